import Advisor
import Foundation
import Results
import Workload

extension ScenarioRecommender {
  /// The recommendation with its backtest made from `backtestOrigins` origins: the usual
  /// split (the last `backtestDays` held out), then the demand cut `backtestStepDays`
  /// earlier each time, everything (policy search, forecast, planning basis, portfolio,
  /// look-backs) redone on what was known at that origin. Held-out windows overlap when
  /// the step is shorter than the hold-out.
  static func recommendFromOrigins(
    _ prepared: PreparedScenario, options: RecommendationOptions
  ) throws -> ScenarioRecommendation {
    let origins = try originOptions(prepared, options: options)
    var first = try recommend(origins[0].prepared, options: origins[0].options)
    guard let firstBacktest = first.backtest else { return first }
    var done = [RollingBacktest.Origin(daysBeforeEnd: 0, backtest: firstBacktest)]
    for k in origins.indices.dropFirst() {
      guard let backtest = try recommend(origins[k].prepared, options: origins[k].options).backtest else { continue }
      done.append(RollingBacktest.Origin(daysBeforeEnd: k * options.backtestStepDays, backtest: backtest))
    }
    first.rollingBacktest = RollingBacktest(origins: done)
    return first
  }

  /// Each backtest origin's scenario (the demand cut `k x backtestStepDays` days earlier)
  /// and single-origin options, the first origin first; just the scenario and options as
  /// given without `backtestOrigins` > 1. Validated before any arithmetic can overflow.
  static func originOptions(
    _ prepared: PreparedScenario, options: RecommendationOptions
  ) throws -> [(prepared: PreparedScenario, options: RecommendationOptions)] {
    guard options.backtestOrigins > 1 else { return [(prepared, options)] }
    let wholeFile = SourceLocation(file: prepared.definition.file, line: 0, column: 0)
    guard let days = options.backtestDays else {
      throw wholeFile.error(.invalidValue(
        field: "backtestOrigins", expected: "backtestDays as well (the days each origin holds out)",
        found: "\(options.backtestOrigins) origins and no backtestDays", suggestion: nil))
    }
    let origins = options.backtestOrigins
    let step = options.backtestStepDays
    guard step >= 1 else {
      throw wholeFile.error(.invalidValue(field: "backtestStepDays", expected: "at least 1", found: "\(step)", suggestion: nil))
    }
    // Validated before any arithmetic can overflow: the earliest origin keeps 3 days.
    let demandDays = Int(prepared.demand.durationSeconds / 86_400)
    guard origins <= demandDays, step <= demandDays, days <= demandDays,
      days + (origins - 1) * step + 3 <= demandDays
    else {
      throw wholeFile.error(.invalidValue(
        field: "backtestOrigins",
        expected: "origins that leave at least 3 days of history before the earliest hold-out (backtest days + (origins - 1) x step + 3 <= \(demandDays) days of demand)",
        found: "\(origins) origins, \(step)-day step, \(days) days held out", suggestion: nil))
    }
    var single = options
    single.backtestOrigins = 1
    var result = [(prepared, single)]
    for k in 1..<origins {
      var earlier = single
      earlier.searchNamePrefix = "origin \(k): "
      result.append((try prepared.endingEarlier(byDays: k * step), earlier))
    }
    return result
  }
}

extension PreparedScenario {
  /// The scenario as it stood `days` days before its demand ends: every demand series cut
  /// there (the start, prices and commitments are unchanged).
  func endingEarlier(byDays days: Int) throws(WorkloadError) -> PreparedScenario {
    func cut(_ series: DemandSeries) throws(WorkloadError) -> DemandSeries {
      let drop = min(series.count, Int((Double(days) * 86_400 / series.intervalSeconds).rounded()))
      return try DemandSeries(
        start: series.start, intervalSeconds: series.intervalSeconds, valuesPerMinute: Array(series.valuesPerMinute.dropLast(drop)))
    }
    var copy = self
    copy.demand = try cut(demand)
    copy.serviceDemands = try serviceDemands.map { s throws(WorkloadError) in try cut(s) }
    return copy
  }
}
