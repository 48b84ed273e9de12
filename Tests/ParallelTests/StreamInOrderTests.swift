import Foundation
import Synchronization
import Testing

@testable import Parallel

@Suite struct StreamInOrderTests {
  @Test("results reach the consumer in job order, for any number of workers, when jobs finish out of order")
  func inOrder() {
    for workers in [1, 2, 5] {
      var seen: [Int] = []
      Parallel.streamInOrder(count: 200, workers: workers, window: 7) { i in
        // Early jobs are the slowest, so later ones finish first.
        if i % 10 == 0 { usleep(UInt32(2_000)) }
        return i * 3
      } consume: { index, value in
        #expect(value == index * 3)
        seen.append(index)
      }
      #expect(seen == Array(0..<200))
    }
  }

  @Test("no more than the window's worth of jobs runs ahead of the consumer")
  func windowBound() {
    let consumed = Mutex(0)
    let furthestAhead = Mutex(0)
    Parallel.streamInOrder(count: 300, workers: 4, window: 5) { i in
      let lead = i - consumed.withLock { $0 }
      furthestAhead.withLock { $0 = max($0, lead) }
      if i % 7 == 0 { usleep(500) }
      return i
    } consume: { index, _ in
      consumed.withLock { $0 = index + 1 }
    }
    // Job j is claimed only when j < taken + window, where `taken` counts the results handed
    // to the consumer; the one being consumed is handed over before `consumed` counts it, so
    // against `consumed` the lead is at most window (5): window results buffered, one in hand.
    #expect(furthestAhead.withLock { $0 } <= 5)
  }

  @Test("the lowest-numbered failure is thrown after every result before it was consumed")
  func lowestFailure() {
    for workers in [1, 3] {
      var consumed: [Int] = []
      let produce: @Sendable (Int) throws(JobFailed) -> Int = { i throws(JobFailed) in
        if i == 40 || i == 45 || i == 99 { throw JobFailed(job: i) }
        return i
      }
      do throws(JobFailed) {
        try Parallel.streamInOrder(count: 100, workers: workers, window: 16, produce) { (index: Int, _: Int) throws(JobFailed) in
          consumed.append(index)
        }
        Issue.record("expected job 40 to fail the stream")
      } catch {
        #expect(error == JobFailed(job: 40))
      }
      #expect(consumed == Array(0..<40))
    }
  }

  @Test("a failing consumer stops the stream with its error")
  func consumerFailure() {
    let produce: @Sendable (Int) throws(JobFailed) -> Int = { $0 }
    do throws(JobFailed) {
      try Parallel.streamInOrder(count: 1_000, workers: 2, window: 4, produce) { (index: Int, _: Int) throws(JobFailed) in
        if index == 12 { throw JobFailed(job: 12) }
      }
      Issue.record("expected the consumer's failure")
    } catch {
      #expect(error == JobFailed(job: 12))
    }
  }
}
