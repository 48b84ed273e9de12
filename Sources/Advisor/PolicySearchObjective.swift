import AutoScaling

/// What a policy search minimizes, and the service level it must keep.
///
///     // The cheapest policy with at most 30 minutes a day above 80% CPU:
///     .minimumCost(ServiceLevelObjective(metric: .minutesAboveCPU(thresholdPercent: 80), limit: 30))
///     // Cost plus 0.50 USD per delayed order beyond 0.1% of the orders:
///     .weightedScore(ServiceLevelObjective(metric: .delayedShare, limit: 0.001), usdPerViolationUnit: 0.5)
public enum PolicySearchObjective: Sendable, Equatable {
  /// The cheapest variant whose SLO figure is within `limit` (see `PolicySearchResult`).
  case minimumCost(ServiceLevelObjective)
  /// The variant with the least `costUSD + usdPerViolationUnit × violation`, where the
  /// violation is the SLO figure's excess over the limit, counted over the history's length
  /// (minutes for `minutesAboveCPU`, demand units for `delayedShare`).
  case weightedScore(ServiceLevelObjective, usdPerViolationUnit: Double)

  public var serviceLevel: ServiceLevelObjective {
    switch self {
    case .minimumCost(let slo), .weightedScore(let slo, _): slo
    }
  }

  public var isWeightedScore: Bool {
    if case .weightedScore = self { true } else { false }
  }
}

/// A service level: a metric of one simulated run and the most it may be.
public struct ServiceLevelObjective: Sendable, Equatable, CustomStringConvertible {
  public var metric: ServiceLevelMetric
  /// The most the metric may be: minutes per day for `minutesAboveCPU`, a share in 0...1
  /// for `delayedShare`. 0 means none at all.
  public var limit: Double

  public init(metric: ServiceLevelMetric, limit: Double) {
    self.metric = metric
    self.limit = limit
  }

  public var description: String {
    switch metric {
    case .minutesAboveCPU(let threshold):
      "at most \(PolicySearchFormat.number(limit)) minutes per day above \(PolicySearchFormat.number(threshold))% CPU"
    case .delayedShare:
      "at most \(PolicySearchFormat.number(limit * 100))% of demand delayed"
    case .latencyPercentile(let percentile):
      "p\(PolicySearchFormat.number(percentile)) latency at most \(PolicySearchFormat.number(limit * 1_000)) ms"
    }
  }
}

/// The SLO metrics the fleet simulation measures.
public enum ServiceLevelMetric: Sendable, Equatable, Hashable {
  /// Minutes per day during which fleet CPU is strictly above `thresholdPercent` (0...100),
  /// per simulated tick (`FleetStatistics.minutesAboveCPU80` is the 80% case).
  case minutesAboveCPU(thresholdPercent: Double)
  /// Delayed demand over all demand (`FleetStatistics.delayedShare`), 0...1.
  case delayedShare
  /// The `percentile`-th percentile (0 < p < 100) of request latency over the run, seconds
  /// (`RequestStatistics.latencyAtSLOPercentileSeconds`): needs a serving model. Variants
  /// are ranked in queueing fidelity, and the best candidates re-run in requests fidelity
  /// decide (`PolicySearch`).
  case latencyPercentile(Double)

  /// The latency SLO the simulation checks minutes against, for a latency metric.
  func latencySLO(limit: Double) -> LatencySLO? {
    if case .latencyPercentile(let percentile) = self { LatencySLO(latencySeconds: limit, percentile: percentile) } else { nil }
  }
}

enum PolicySearchFormat {
  /// Shortest decimal form: 80 not 80.0, 0.5 as 0.5.
  static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }
}
