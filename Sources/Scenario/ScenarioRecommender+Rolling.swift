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
    var first = try recommend(prepared, options: single)
    guard let firstBacktest = first.backtest else { return first }
    var done = [RollingBacktest.Origin(daysBeforeEnd: 0, backtest: firstBacktest)]
    for k in 1..<origins {
      let earlier = try prepared.endingEarlier(byDays: k * step)
      guard let backtest = try recommend(earlier, options: single).backtest else { continue }
      done.append(RollingBacktest.Origin(daysBeforeEnd: k * step, backtest: backtest))
    }
    first.rollingBacktest = RollingBacktest(origins: done)
    return first
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
