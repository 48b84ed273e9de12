import Synchronization
import Testing

@testable import Parallel

struct JobFailed: Error, Equatable { var job: Int }

@Suite struct ParallelTests {
  @Test("results in job order, the same for any number of workers")
  func orderAndWorkers() {
    let expected = (0..<1_000).map { $0 * $0 }
    for workers in [1, 2, 7, nil] {
      #expect(Parallel.map(count: 1_000, workers: workers) { $0 * $0 } == expected)
    }
    #expect(Parallel.map(count: 0) { $0 }.isEmpty)
  }

  @Test("the failure of the lowest-numbered failing job is thrown, whatever ran first")
  func lowestFailureWins() {
    for workers in [1, 4] {
      #expect(throws: JobFailed(job: 3)) {
        _ = try Parallel.map(count: 100, workers: workers) { i throws(JobFailed) in
          if i == 3 || i == 50 || i == 99 { throw JobFailed(job: i) }
          return i
        }
      }
    }
  }

  @Test("forEach runs every job exactly once")
  func forEachOnce() {
    let counts = Mutex([Int](repeating: 0, count: 500))
    Parallel.forEach(count: 500, workers: 3) { job in counts.withLock { $0[job] += 1 } }
    #expect(counts.withLock { $0 } == Array(repeating: 1, count: 500))
  }
}

