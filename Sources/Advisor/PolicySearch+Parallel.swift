import Foundation

/// Runs independent jobs on a fixed number of threads and returns their results in job
/// order. Threads claim the next job index from a shared counter; each result is written
/// to its own slot, so the output never depends on which thread ran what, or when.
enum PolicySearchParallel {
  /// `[body(0), body(1), ..., body(count - 1)]`, computed on `workers` threads
  /// (`DispatchQueue.concurrentPerform`); inline with one worker.
  static func map<T: Sendable>(count: Int, workers: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let threads = max(1, min(workers, count))
    if threads == 1 { return (0..<count).map(body) }
    let slots = Slots<T>(count: count)
    let counter = JobCounter()
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      while true {
        let job = counter.claim()
        guard job < count else { return }
        slots.store(body(job), at: job)
      }
    }
    return slots.collect()
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

  /// One slot per job; each slot is written by exactly one thread, read after all finish.
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
        guard let value = base[index] else { preconditionFailure("policy search job \(index) of \(count) left no result") }
        return value
      }
    }
  }
}
