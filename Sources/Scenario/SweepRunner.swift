import AutoScaling
import Billing
import Foundation
#if canImport(Glibc)
  import Glibc
#endif
import Parallel
import Results

/// Runs sweep points: each is decoded (all of them before any simulation, so a bad value
/// stops the sweep before it costs anything), prepared (points that differ only in their
/// variant share one prepared demand and price catalog), then simulated and billed by
/// `ScenarioRunner` exactly as `capsim run` runs the variant, on `jobs` threads. Results
/// reach `consume` in the order of `points`, whatever order they finish in (a reorder
/// buffer of a few results per thread), so output streams and never depends on `jobs`.
public enum SweepRunner {
  /// Runs `points` (indices into the plan's grid, e.g. one shard's) and hands each result to
  /// `consume` in that order, on the calling thread.
  public static func run(
    _ plan: SweepPlan, points: [Int], jobs: Int? = nil, consume: (SweepPointResult) throws -> Void
  ) throws {
    let definitions = try points.map { point throws(ScenarioError) in try plan.scenario(ofPoint: point) }
    let cells = points.map { plan.axisCells(ofPoint: $0) }
    let (prepared, preparedIndex) = try prepareShared(definitions)
    keepFreedMemoryForReuse()
    let threads = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    // One load forecast per prepared demand, shared by its points (none without predictive
    // policies); in parallel across demands.
    let forecasts = Parallel.map(count: prepared.count, workers: threads) { index in
      ScenarioRunner.sharedPredictiveForecast(
        prepared[index], definitions: preparedIndex.indices.filter { preparedIndex[$0] == index }.map { definitions[$0] })
    }
    try Parallel.streamInOrder(count: points.count, workers: threads, window: 4 * threads) { position throws(ScenarioError) in
      var scenario = prepared[preparedIndex[position]]
      scenario.definition = definitions[position]
      try ScenarioRunner.checkFaults(scenario.definition)
      guard !scenario.definition.hasServices else {
        // Services share one account bill: the point is the whole run, as `capsim run` runs it.
        var noLineItems: FOCUSCSVWriter? = nil
        let result = try ScenarioRunner.run(
          scenario, variants: [], lineItems: &noLineItems, advisesPurchase: false, disruptions: .all)
        return SweepPointResult(point: points[position], axisCells: cells[position], metrics: metrics(of: result))
      }
      let metrics = try ScenarioRunner.sweepMetrics(scenario, predictiveForecast: forecasts[preparedIndex[position]])
      return SweepPointResult(point: points[position], axisCells: cells[position], metrics: metrics)
    } consume: { (_: Int, result: SweepPointResult) throws(any Error) in
      try consume(result)
    }
  }

  /// Asks glibc's malloc to keep freed memory for the next point instead of returning it to
  /// the system. A year-long point allocates a few megabytes per buffer (lifetimes, billing
  /// intervals, the hourly schedule); by default glibc maps such blocks fresh and unmaps
  /// them when freed, so every point paid the kernel to fault in and zero the same pages
  /// again (measured: 15% of a point's time, all of it system time). The process keeps its
  /// peak working set instead: a few points' buffers per thread. No effect off glibc.
  static func keepFreedMemoryForReuse() {
    #if canImport(Glibc)
      // malloc.h is not part of the Glibc module: mallopt is looked up by name. Its
      // parameters from malloc.h: M_TRIM_THRESHOLD -1, M_MMAP_THRESHOLD -3.
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
      _ = mallopt(-3, 256 << 20)
      _ = mallopt(-1, 1 << 30)
    #endif
  }

  /// One `PreparedScenario` per distinct scenario apart from its variants, and which one each
  /// definition uses. Preparing loads, transforms and resamples the demand and reads the
  /// catalog; none of that depends on the variant.
  static func prepareShared(_ definitions: [ScenarioDefinition]) throws(ScenarioError) -> ([PreparedScenario], [Int]) {
    var keys: [ScenarioDefinition] = []
    var prepared: [PreparedScenario] = []
    var index: [Int] = []
    for definition in definitions {
      var key = definition
      key.variants = []
      if let found = keys.firstIndex(of: key) {
        index.append(found)
        continue
      }
      prepared.append(try ScenarioRunner.prepare(definition))
      keys.append(key)
      index.append(keys.count - 1)
    }
    return (prepared, index)
  }

  /// The figures of a point's row: its variant's, or with services the account's.
  static func metrics(of result: ScenarioResult) -> SweepMetrics {
    guard let account = result.accountBill, !result.services.isEmpty else { return metrics(of: result.variants[0]) }
    return metrics(ofServices: result.services.map(metrics(of:)), accountCostUSD: account.effectiveCostUSD)
  }

  /// A point of a scenario with services, from each service's own figures. Costs, hours,
  /// instances and actions add up; the cost is the account's effective cost (the shared
  /// commitments applied across the services, unused commitment included, as `capsim run`'s
  /// account total). Peak instances is the sum of each service's peak (services may peak at
  /// different minutes: an upper bound of the fleet's). The service-level figures are the
  /// worst service's (its demand units are its own, so shares cannot be pooled): a point
  /// meets an SLO only when every service does. Mean CPU is weighted by mean instances.
  /// Latency p99 is the worst service's, or none unless every service measured one.
  static func metrics(ofServices services: [SweepMetrics], accountCostUSD: Double) -> SweepMetrics {
    let meanInstances = services.reduce(0) { $0 + $1.meanInstances }
    let weightedCPU = services.reduce(0) { $0 + $1.meanCPUPercent * $1.meanInstances }
    let latencies = services.compactMap(\.latencyP99Milliseconds)
    return SweepMetrics(
      costUSD: accountCostUSD, billedInstanceHours: services.reduce(0) { $0 + $1.billedInstanceHours },
      peakInstances: services.reduce(0) { $0 + $1.peakInstances }, meanInstances: meanInstances,
      meanCPUPercent: meanInstances > 0 ? weightedCPU / meanInstances : 0,
      delayedPercent: services.map(\.delayedPercent).max() ?? 0,
      minutesAboveCPU80: services.map(\.minutesAboveCPU80).max() ?? 0,
      minutesAboveCPU80PerDay: services.map(\.minutesAboveCPU80PerDay).max() ?? 0,
      latencyP99Milliseconds: latencies.count == services.count ? latencies.max() : nil,
      scaleOutActions: services.reduce(0) { $0 + $1.scaleOutActions },
      scaleInActions: services.reduce(0) { $0 + $1.scaleInActions })
  }

  /// The figures of a point's row, from the variant result `capsim run` reports (the
  /// reference the tests hold `ScenarioRunner.sweepMetrics` to).
  static func metrics(of variant: VariantResult) -> SweepMetrics {
    metrics(costUSD: variant.costUSD, billedInstanceHours: variant.billedInstanceHours, statistics: variant.statistics)
  }

  /// A row's figures from the bill's totals and the simulation's statistics.
  static func metrics(costUSD: Double, billedInstanceHours: Double, statistics: FleetStatistics) -> SweepMetrics {
    let days = statistics.durationSeconds / 86_400
    return SweepMetrics(
      costUSD: costUSD, billedInstanceHours: billedInstanceHours, peakInstances: statistics.peakInstances,
      meanInstances: statistics.meanInstances, meanCPUPercent: statistics.meanCPUUtilization,
      delayedPercent: statistics.delayedShare * 100, minutesAboveCPU80: statistics.minutesAboveCPU80,
      minutesAboveCPU80PerDay: days > 0 ? statistics.minutesAboveCPU80 / days : 0,
      latencyP99Milliseconds: statistics.requests?.latencyP99Seconds.map { $0 * 1_000 },
      scaleOutActions: statistics.scaleOutActions, scaleInActions: statistics.scaleInActions)
  }
}
