import Foundation

/// The one way capsim runs independent jobs on several cores: variants, forecast paths,
/// fleets, series, chunks. Threads (`DispatchQueue.concurrentPerform`) claim the next job
/// index from a shared counter and write each result to its own slot, so the output is in
/// job order and never depends on which thread ran what, when, or how many there were.
///
///     let squares = Parallel.map(count: 4) { i in i * i }              // [0, 1, 4, 9]
///     let fits = try Parallel.map(count: series.count, workers: 2) { s throws(MyError) in try fit(series[s]) }
public enum Parallel {
  /// `[body(0), ..., body(count - 1)]` on `workers` threads (nil: every active core;
  /// inline with one). When jobs fail, the failure of the lowest-numbered job is thrown,
  /// after every job has run.
  public static func map<T: Sendable, E: Error>(
    count: Int, workers: Int? = nil, _ body: @Sendable (Int) throws(E) -> T
  ) throws(E) -> [T] {
    guard count > 0 else { return [] }
    let threads = max(1, min(workers ?? ProcessInfo.processInfo.activeProcessorCount, count))
    if threads == 1 { return try (0..<count).map { i throws(E) in try body(i) } }
    let slots = Slots<Result<T, E>>(count: count)
    let counter = JobCounter()
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      while true {
        let job = counter.claim()
        guard job < count else { return }
        do throws(E) {
          slots.store(.success(try body(job)), at: job)
        } catch {
          slots.store(.failure(error), at: job)
        }
      }
    }
    return try slots.collect().map { result throws(E) in try result.get() }
  }

  /// `body(0) ... body(count - 1)` on `workers` threads (nil: every active core), for jobs
  /// that write their results in place (each job to its own part of a shared buffer).
  public static func forEach(count: Int, workers: Int? = nil, _ body: @Sendable (Int) -> Void) {
    guard count > 0 else { return }
    let threads = max(1, min(workers ?? ProcessInfo.processInfo.activeProcessorCount, count))
    if threads == 1 {
      for i in 0..<count { body(i) }
      return
    }
    let counter = JobCounter()
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      while true {
        let job = counter.claim()
        guard job < count else { return }
        body(job)
      }
    }
  }

  final class JobCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func claim() -> Int {
      lock.lock()
      defer { lock.unlock() }
      next += 1
      return next - 1
    }
  }

  /// One slot per job; each slot is written by exactly one thread (so no lock), read after
  /// all have finished (`concurrentPerform` returns only then).
  final class Slots<T>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
      self.count = count
      base = .allocate(capacity: count)
      base.initialize(repeating: nil, count: count)
    }

    deinit {
      base.deinitialize(count: count)
      base.deallocate()
    }

    func store(_ value: T, at index: Int) { base[index] = value }

    func collect() -> [T] {
      (0..<count).map { index in
        guard let value = base[index] else { preconditionFailure("parallel job \(index) of \(count) left no result") }
        return value
      }
    }
  }
}
