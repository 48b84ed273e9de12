import Foundation

/// `transform` over `items` on all cores (`DispatchQueue.concurrentPerform`), results in
/// input order; the first error (by index) is rethrown.
func parallelMap<T: Sendable, R: Sendable>(
  _ items: [T], _ transform: @Sendable (T) throws(ForecastingError) -> R
) throws(ForecastingError) -> [R] {
  let results = UnsafeResultBuffer<R>(count: items.count)
  DispatchQueue.concurrentPerform(iterations: items.count) { i in
    do throws(ForecastingError) {
      results.set(i, .success(try transform(items[i])))
    } catch {
      results.set(i, .failure(error))
    }
  }
  return try results.values().map { result throws(ForecastingError) in try result.get() }
}

/// Fixed-size slots written once each from `concurrentPerform`; every index is written by
/// exactly one iteration, so no two threads touch the same slot.
final class UnsafeResultBuffer<R: Sendable>: @unchecked Sendable {
  private var slots: [Result<R, ForecastingError>?]
  private let lock = NSLock()

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: Result<R, ForecastingError>) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }

  func values() -> [Result<R, ForecastingError>] { slots.map { $0! } }
}
