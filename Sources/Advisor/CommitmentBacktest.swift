import Billing
import Foundation

/// Recommend from the first part of the history, bill the rest as it actually happened:
/// our forecast-based portfolio against every Cost Explorer-style look-back baseline.
public struct CommitmentBacktest: Sendable {
  public struct Line: Sendable, Equatable {
    public var label: String
    public var hourlyCommitment: Double
    /// What the recommender expected to save (on its own planning usage).
    public var expectedSavingsPercent: Double
    /// What it saved on the held-out hours.
    public var realizedSavingsPercent: Double
    public var realizedHourlyCost: Double

    public init(
      label: String, hourlyCommitment: Double, expectedSavingsPercent: Double, realizedSavingsPercent: Double,
      realizedHourlyCost: Double
    ) {
      self.label = label
      self.hourlyCommitment = hourlyCommitment
      self.expectedSavingsPercent = expectedSavingsPercent
      self.realizedSavingsPercent = realizedSavingsPercent
      self.realizedHourlyCost = realizedHourlyCost
    }
  }

  public var trainHours: Int
  public var testHours: Int
  public var onDemandHourlyCost: Double
  public var ours: Line
  /// Cost Explorer-style look-backs on the current policy's usage: what Cost Explorer
  /// would recommend at the time of the decision.
  public var baselines: [Line]
  /// The same look-backs on the usage the new policy would have produced in the past (only
  /// when the policy changes): separates the value of the forecast from the policy change.
  public var samePolicyBaselines: [Line] = []
  /// The best purchase had the held-out usage been known (whole RIs, the same offerings and
  /// caps): the most any recommender could have realized, so the room a backtest leaves.
  public var hindsight: Line?
  /// The advice made on the training part (for the full report).
  public var advice: CommitmentAdvice

  public init(
    trainHours: Int, testHours: Int, onDemandHourlyCost: Double, ours: Line, baselines: [Line], advice: CommitmentAdvice
  ) {
    self.trainHours = trainHours
    self.testHours = testHours
    self.onDemandHourlyCost = onDemandHourlyCost
    self.ours = ours
    self.baselines = baselines
    self.advice = advice
  }

  /// A Cost Explorer-style purchase billed on `actual`, as a line of the table.
  public static func line(
    _ baseline: CostExplorerBaseline, on actual: UsagePaths, label: String? = nil
  ) throws(AdvisorError) -> Line {
    let real = try baseline.realized(on: actual)
    return Line(
      label: label ?? "Cost Explorer-style \(baseline.lookbackDays) d, \(baseline.kind.rawValue)",
      hourlyCommitment: baseline.recommendation.hourlyCommitment,
      expectedSavingsPercent: baseline.recommendation.savingsPercent, realizedSavingsPercent: real.savingsPercent,
      realizedHourlyCost: real.hourlyCost)
  }

  /// The optimum of `candidates` (problems on the held-out usage), as a line whose
  /// expected and realized savings coincide.
  public static func hindsight(_ candidates: [CommitmentProblem]) -> Line? {
    guard let (problem, solution) = CommitmentAdvisor().bestSolution(candidates), solution.onDemandHourlyCost > 0 else {
      return nil
    }
    let percent = 100 * (1 - solution.purchaseHourlyCost / solution.onDemandHourlyCost)
    return Line(
      label: "hindsight: the best purchase for the held-out usage as it happened (no recommender can do better)",
      hourlyCommitment: CommitmentAdvisor.hourlyCommitment(solution.purchase, problem), expectedSavingsPercent: percent,
      realizedSavingsPercent: percent, realizedHourlyCost: solution.purchaseHourlyCost)
  }

  /// The hindsight line for `actual` usage of `pools`, bought as `offerings` under `caps`.
  public static func hindsight(
    pools: [PoolKey], actual: UsagePaths, catalog: PriceCatalog, savingsPlanRates: SavingsPlanRates,
    offerings: CommitmentOfferings, caps: CommitmentCaps
  ) throws(AdvisorError) -> Line? {
    let (candidates, _) = try CommitmentProblem.fromCatalog(
      pools: pools, usage: actual, catalog: catalog, savingsPlanRates: savingsPlanRates, offerings: offerings, caps: caps)
    return hindsight(candidates)
  }

  public var bestBaseline: Line? { baselines.max { $0.realizedSavingsPercent < $1.realizedSavingsPercent } }
}

extension CommitmentPlanner {
  /// - Parameters:
  ///   - units: `units[pool][hour]` over the whole history.
  ///   - testHours: the held-out tail; the planner's `forecastDays` (if set) is replaced by
  ///     the test length, so ours plans on forecast paths of exactly the held-out period.
  public func backtest(
    pools keys: [PoolKey], history units: [[Double]], start: Date, testHours: Int, catalog: PriceCatalog,
    savingsPlanRates: SavingsPlanRates, usesForecast: Bool = true
  ) throws -> CommitmentBacktest {
    let total = units.first?.count ?? 0
    guard testHours >= 24, testHours <= total - 48 else {
      throw AdvisorError.invalidInput(
        "a backtest needs at least 24 held-out hours and 48 hours before them; the history has \(total) hours, asked to hold out \(testHours)")
    }
    let trainCount = total - testHours
    let train = units.map { Array($0[0..<trainCount]) }
    let actual = try UsagePaths(single: units.map { Array($0[trainCount...]) })
    var planner = self
    let testDays = (testHours + 23) / 24
    // Our method: forecast paths of the held-out period, or a look-back, whichever won a
    // backtest inside the training part (CommitmentPlanner.choosePlanningBasis).
    var selection = PlanningSelection(chosen: usesForecast ? .forecast : .lookback(days: min(30, trainCount / 24)), trials: [])
    let validationHours = min(testDays * 24, trainCount / 3) / 24 * 24
    if usesForecast, validationHours >= 24, trainCount - validationHours >= 48 {
      let prefix = train.map { Array($0[0..<(trainCount - validationHours)]) }
      if let forecast = try? UsageForecast.paths(
        history: prefix, start: start, hours: validationHours, paths: forecastPaths, seed: seed,
        configuration: forecastConfiguration)
      {
        selection = try planner.choosePlanningBasis(
          pools: keys, history: train, validation: forecast, validationHours: validationHours, catalog: catalog,
          rates: savingsPlanRates, start: start)
      }
    }
    let advice: CommitmentAdvice
    switch selection.chosen {
    case .forecast:
      planner.forecastDays = testDays
      advice = try planner.advise(
        pools: keys, history: train, start: start, catalog: catalog, savingsPlanRates: savingsPlanRates)
    case .lookback(let days):
      planner.forecastDays = nil
      advice = try planner.advise(
        pools: keys, history: train, start: start, catalog: catalog, savingsPlanRates: savingsPlanRates,
        planningUsage: UsagePaths(single: train).suffix(hours: days * 24), planningBasis: selection.chosen.description)
    }
    let r = advice.recommendation
    let realized = try CommitmentAdvisor.realized(r.portfolio, problem: r.problem, on: actual)
    let trials = selection.trials.map { "\($0.basis) \(String(format: "%.2f", $0.realizedSavingsPercent))%" }.joined(separator: ", ")
    let ours = CommitmentBacktest.Line(
      label: "capsim (\(selection.chosen)\(trials.isEmpty ? "" : "; validated: " + trials), all kinds)",
      hourlyCommitment: r.hourlyCommitment,
      expectedSavingsPercent: r.savingsPercent, realizedSavingsPercent: realized.savingsPercent,
      realizedHourlyCost: realized.hourlyCost)
    let baselines = try advice.baselines.map { b throws(AdvisorError) in try CommitmentBacktest.line(b.baseline, on: actual) }
    var result = CommitmentBacktest(
      trainHours: trainCount, testHours: testHours, onDemandHourlyCost: realized.onDemandHourlyCost, ours: ours,
      baselines: baselines, advice: advice)
    result.hindsight = try CommitmentBacktest.hindsight(
      pools: keys, actual: actual, catalog: catalog, savingsPlanRates: savingsPlanRates, offerings: offerings, caps: caps)
    return result
  }

  /// `backtest` from `origins` origins: the usual split, then the history cut `stepHours`
  /// earlier each time (see `RollingBacktest`).
  public func rollingBacktest(
    pools keys: [PoolKey], history units: [[Double]], start: Date, testHours: Int, origins: Int, stepHours: Int,
    catalog: PriceCatalog, savingsPlanRates: SavingsPlanRates, usesForecast: Bool = true
  ) throws -> RollingBacktest {
    if let problem = Self.rollingBacktestShortfall(
      totalHours: units.first?.count ?? 0, testHours: testHours, origins: origins, stepHours: stepHours)
    {
      throw AdvisorError.invalidInput(problem)
    }
    var done: [RollingBacktest.Origin] = []
    for k in 0..<origins {
      let cut = units.map { Array($0.dropLast(k * stepHours)) }
      let b = try backtest(
        pools: keys, history: cut, start: start, testHours: testHours, catalog: catalog, savingsPlanRates: savingsPlanRates,
        usesForecast: usesForecast)
      done.append(RollingBacktest.Origin(daysBeforeEnd: k * stepHours / 24, backtest: b))
    }
    return RollingBacktest(origins: done)
  }

  /// Why `origins` origins `stepHours` apart, each holding out `testHours`, do not fit in
  /// `totalHours` of usage (the earliest keeps 48 hours before its hold-out); nil when they
  /// do. Checked before multiplying, so it cannot overflow.
  public static func rollingBacktestShortfall(totalHours total: Int, testHours: Int, origins: Int, stepHours: Int) -> String? {
    guard origins >= 1, stepHours >= 1, origins <= total, stepHours <= total, testHours <= total,
      testHours + (origins - 1) * stepHours + 48 <= total
    else {
      return "\(origins) backtest origins \(stepHours) hours apart holding out \(testHours) hours each need \(testHours) + (\(origins) - 1) x \(stepHours) + 48 hours of usage; there are \(total)"
    }
    return nil
  }
}
