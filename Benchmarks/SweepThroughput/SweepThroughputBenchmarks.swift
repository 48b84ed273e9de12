// Issue 14, item 5: many variants of one demand series, each simulated and billed as a
// sweep row. The grid is scenarios/seoul-sweep-year.yaml: 365 synthetic days at 1-minute
// ticks (525,600 ticks per point), with a regional Reserved Instance and a Compute Savings
// Plan, 10 targets x 5 warm-ups x 4 group sizes x 5 dinner floors = 1,000 points.
//
// The bar: 1,000 points in under 10 s on the 2-core machine. A case runs all 1,000 points
// through `SweepRunner.run` (decoding every point, preparing the shared demand once,
// simulating and billing each point, rows handed over in point order) on 1 or 2 threads.
// Loading the plan (reading the YAML) is setup and not measured. Points per second per
// core = 1,000 / wall seconds / threads.
import Benchmark
import Foundation
import Results
import Scenario

/// The shipped year sweep (read in each case's setup, before the measurement: a
/// `SweepPlan` is not `Sendable`, so it is not a global).
func loadYearPlan() throws -> SweepPlan {
  let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  return try SweepPlan.load(path: repository.appendingPathComponent("scenarios/seoul-sweep-year.yaml").path)
}

/// Runs every point on `threads` threads; checks that each row arrived, in order.
func sweepYear(_ yearPlan: SweepPlan, threads: Int) throws -> Double {
  var expected = 0
  var costUSD = 0.0
  try SweepRunner.run(yearPlan, points: Array(0..<yearPlan.pointCount), jobs: threads) { row in
    precondition(row.point == expected, "row \(row.point) arrived where \(expected) was due")
    precondition(row.metrics.costUSD > 0 && row.metrics.billedInstanceHours > 0, "point \(row.point) billed nothing")
    expected += 1
    costUSD += row.metrics.costUSD
  }
  precondition(expected == 1_000, "1,000 rows, got \(expected)")
  return costUSD
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
    warmupIterations: 0,
    maxDuration: .seconds(60),
    maxIterations: 3
  )

  for threads in [1, 2] {
    Benchmark("SweepThroughput 1000 points x 1 year 1-minute ticks \(threads) thread\(threads == 1 ? "" : "s")") {
      benchmark in
      let plan = try loadYearPlan()
      benchmark.startMeasurement()
      let total = try sweepYear(plan, threads: threads)
      benchmark.stopMeasurement()
      blackHole(total)
    }
  }
}
