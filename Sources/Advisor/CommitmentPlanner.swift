import Billing
import Forecasting
import Foundation

/// The commitment advisor end to end: hourly usage per pool -> problem (catalog prices,
/// Savings Plans rates, allowed offerings, caps) -> exact recommendation on the history or
/// on forecast paths -> Cost Explorer-style baselines from 7/30/60-day look-backs.
public struct CommitmentPlanner: Sendable {
  public var offerings = CommitmentOfferings()
  public var caps = CommitmentCaps()
  public var options = CommitmentAdvisorOptions()
  /// Plan on this many forecast days (nil: on the history as it is).
  public var forecastDays: Int?
  public var forecastPaths = 50
  public var seed: UInt64 = 1
  public var lookbackDays: [Int] = [7, 30, 60]
  public var forecastConfiguration = SeasonalRegressionConfiguration()

  public init() {}

  /// - Parameters:
  ///   - history: `units[pool][hour]`, normalized unit-hours, starting at `start`: what
  ///     Cost Explorer-style baselines look back on.
  ///   - planningUsage: usage paths to plan on (e.g. a recommended policy simulated on
  ///     forecast demand); nil = forecast the history (`forecastDays`) or plan on it.
  public func advise(
    pools keys: [PoolKey], history units: [[Double]], start: Date, catalog: PriceCatalog,
    savingsPlanRates: SavingsPlanRates, notes inputNotes: [String] = [],
    planningUsage: UsagePaths? = nil, planningBasis: String = "forecast"
  ) throws -> CommitmentAdvice {
    let history = try UsagePaths(single: units)
    var notes = inputNotes
    let planning: UsagePaths
    let basis: String
    if let given = planningUsage {
      guard given.poolCount == history.poolCount else {
        throw AdvisorError.invalidInput("planning usage has \(given.poolCount) pools, the history \(history.poolCount)")
      }
      planning = given
      basis = planningBasis
    } else if let days = forecastDays {
      guard days >= 1 else { throw AdvisorError.invalidInput("forecast days must be at least 1, found \(days)") }
      guard history.hours >= 48 else {
        throw AdvisorError.invalidInput("a usage forecast needs at least 48 hours of history, found \(history.hours)")
      }
      planning = try UsageForecast.paths(history: units, start: start, hours: days * 24, paths: forecastPaths, seed: seed,
        configuration: forecastConfiguration)
      basis = "forecast"
      notes.append("planned on \(forecastPaths) forecast paths of the next \(days) days (seed \(seed)); pools correlated as their histories' week-over-week deviations")
    } else {
      planning = history
      basis = "history"
    }
    let (candidates, catalogNotes) = try CommitmentProblem.fromCatalog(
      pools: keys, usage: planning, catalog: catalog, savingsPlanRates: savingsPlanRates, offerings: offerings, caps: caps)
    if savingsPlanRates.isEmpty {
      notes += Array(Set(catalogNotes.filter { !$0.contains("Savings Plans rate") })).sorted()
      notes.append("Savings Plans not considered: no rates given (AWS publishes none as a file; pass --savings-plan-rates or give the scenario savingsPlanRates)")
    } else {
      notes += Array(Set(catalogNotes)).sorted()
    }
    let recommendation = try CommitmentAdvisor(options: options).recommend(candidates, notes: [])
    // The candidates differ only in the Compute plan; any one names the pools.
    let chosen = candidates[0]
    // Cost Explorer-style: look-backs over the history only, one kind at a time.
    let historyCandidates = try candidates.map { c throws(AdvisorError) in
      var copy = try c.replacingUsage(history)
      copy.caps = CommitmentCaps()
      return copy
    }
    var baselines: [CostExplorerBaseline] = []
    for days in lookbackDays where days * 24 <= history.hours {
      for kind in CommitmentKind.allCases {
        if let baseline = try CostExplorerBaseline.recommend(history: historyCandidates, lookbackDays: days, kind: kind, options: options) {
          baselines.append(baseline)
        }
      }
    }
    let skipped = lookbackDays.filter { $0 * 24 > history.hours }
    if !skipped.isEmpty {
      notes.append("look-backs of \(skipped.map { "\($0)" }.joined(separator: ", ")) days skipped: the history has \(history.hours / 24) days")
    }
    return try CommitmentAdvice(
      planningBasis: basis, historyStart: start, historyHours: history.hours, history: history, problem: chosen.replacingUsage(planning),
      recommendation: recommendation, baselines: baselines, notes: notes)
  }
}
