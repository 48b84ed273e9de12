import Advisor
import Benchmark
import CommitmentSupport

// Issue 5: the portfolio solve for 5 families x 8,760 hours (RIs, EC2 Instance SPs and a
// Compute SP; exact to a proven 1e-7 gap), and the same with 3 families x 720 hours, the
// peer README's small case. Side by side with HiGHS: peers/compare-commit-lp.sh.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(10))

  let large = try! PeerProblem.generate(families: 5, hours: 8_760, seed: 2)
  Benchmark("portfolio 5 families x 8,760 h", configuration: .init(maxIterations: 20)) { benchmark in
    blackHole(CommitmentOptimizer().solve(large, rounds: false))
  }
  Benchmark("portfolio 5 families x 8,760 h, rounded to whole RIs", configuration: .init(maxIterations: 20)) { benchmark in
    blackHole(CommitmentOptimizer().solve(large))
  }
  let small = try! PeerProblem.generate(families: 3, hours: 720, seed: 2)
  Benchmark("portfolio 3 families x 720 h") { benchmark in
    blackHole(CommitmentOptimizer().solve(small, rounds: false))
  }
}
