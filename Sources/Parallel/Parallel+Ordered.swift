import Foundation

extension Parallel {
  /// Runs `produce(0) ... produce(count - 1)` on `workers` threads and hands each result to
  /// `consume` on the calling thread, in index order, as soon as it and every result before
  /// it are done: a stream in job order, whatever order the jobs finish in.
  ///
  /// At most `window` results wait in the reorder buffer: a thread claims job `j` only when
  /// `j < consumed + window`, so a slow job holds back at most `window` finished ones and
  /// memory stays bounded however many jobs there are. With one worker everything runs
  /// inline, in order.
  ///
  /// When a job fails, no further job is claimed, the jobs already running finish, every
  /// result before the failure is consumed, and the failure of the lowest-numbered failed
  /// job is thrown (the same error a run on one thread gives). `consume` runs on the caller's
  /// thread only, so it may write to a file or the terminal without locks.
  ///
  ///     try Parallel.streamInOrder(count: 100, workers: 2, window: 8) { i in i * i } consume: { i, square in print(i, square) }
  public static func streamInOrder<T: Sendable, E: Error>(
    count: Int, workers: Int? = nil, window: Int = 64, _ produce: @escaping @Sendable (Int) throws(E) -> T,
    consume: (Int, T) throws(E) -> Void
  ) throws(E) {
    guard count > 0 else { return }
    precondition(window >= 1, "the reorder window must hold at least one result, got \(window)")
    let threads = max(1, min(workers ?? ProcessInfo.processInfo.activeProcessorCount, count))
    if threads == 1 {
      for index in 0..<count { try consume(index, try produce(index)) }
      return
    }
    let buffer = ReorderBuffer<Result<T, E>>(count: count, window: window)
    let group = DispatchGroup()
    for _ in 0..<threads {
      DispatchQueue.global().async(group: group) {
        while let job = buffer.claim() {
          let result: Result<T, E>
          do throws(E) { result = .success(try produce(job)) } catch { result = .failure(error) }
          buffer.finish(job, with: result)
        }
      }
    }
    var failure: E?
    for index in 0..<count {
      switch buffer.take(index) {
      case .success(let value):
        do throws(E) { try consume(index, value) } catch {
          failure = error
        }
      case .failure(let error):
        failure = error
      }
      if failure != nil { break }
    }
    if failure != nil { buffer.cancel() }
    group.wait()
    if let failure { throw failure }
  }

  /// The shared state of `streamInOrder`: the next job to claim, the next index to consume,
  /// and the finished results in between, behind one condition lock.
  final class ReorderBuffer<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let window: Int
    private var nextToClaim = 0
    private var nextToConsume = 0
    private var isCancelled = false
    private var finished: [Int: T] = [:]

    init(count: Int, window: Int) {
      self.count = count
      self.window = window
    }

    /// The next job, once it fits in the window; nil when every job is claimed or the stream
    /// was cancelled.
    func claim() -> Int? {
      condition.lock()
      defer { condition.unlock() }
      while !isCancelled && nextToClaim < count && nextToClaim >= nextToConsume + window { condition.wait() }
      guard !isCancelled, nextToClaim < count else { return nil }
      nextToClaim += 1
      return nextToClaim - 1
    }

    func finish(_ job: Int, with result: T) {
      condition.lock()
      finished[job] = result
      condition.broadcast()
      condition.unlock()
    }

    /// Waits for job `index`'s result, removes it and opens the window by one.
    func take(_ index: Int) -> T {
      condition.lock()
      defer { condition.unlock() }
      while finished[index] == nil { condition.wait() }
      let result = finished.removeValue(forKey: index)!
      nextToConsume = index + 1
      condition.broadcast()
      return result
    }

    func cancel() {
      condition.lock()
      isCancelled = true
      condition.broadcast()
      condition.unlock()
    }
  }
}
