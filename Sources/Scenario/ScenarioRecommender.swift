import Advisor
import AutoScaling
import Billing
import Forecasting
import Foundation
import Results
import Simulation
import Workload

/// `capsim recommend`: for every fleet of a scenario (its services, or its current
/// variant), search scaling policies on the history and on forecast demand paths; simulate
/// the recommended policy on those paths to get the usage commitments will cover; plan the
/// commitment portfolio on that usage; set Cost Explorer-style recommendations, which look
/// back on the usage the *current* policy produced, beside it. With `backtestDays`, all of
/// it is done on the history without its last days, and both purchases are then billed on
/// those days as they happened under the recommended policy.
public enum ScenarioRecommender {
  public static func recommend(
    _ prepared: PreparedScenario, options given: RecommendationOptions
  ) throws -> ScenarioRecommendation {
    if given.backtestOrigins > 1 { return try recommendFromOrigins(prepared, options: given) }
    var options = given
    // A backtest plans on exactly the held-out period.
    if let days = options.backtestDays { options.forecastDays = days }
    let definition = prepared.definition
    let names = definition.hasServices ? [] : [options.currentVariant ?? definition.variants[0].name]
    let units = try ScenarioRunner.units(prepared, variants: names)
    let holdout = (options.backtestDays ?? 0) * 1_440
    var notes: [String] = []
    var fleets: [FleetRecommendation] = []
    var pools: [PoolKey] = []
    var currentHistory: [[Double]] = []
    var recommendedHistory: [[Double]] = []
    var trainPlanning: [[[Double]]] = []  // [pool][path][hour]
    var validationPlanning: [[[Double]]] = []
    var validationSkipped = false
    // Hours held out of the training demand to choose what to plan commitments on (the
    // forecast or a look-back at the recommended policy's own usage): the planning horizon,
    // at most a third of the training demand, whole days; 0 = too short to validate.
    let shortestTrainHours = units.map { ($0.demand.valuesPerMinute.count - holdout) / 60 }.min() ?? 0
    let validationHours = min(options.forecastDays * 24, shortestTrainHours / 3) / 24 * 24
    var actualRecommended: [[Double]] = []
    // The fleets' forecast paths share randomness as their demands did (one fleet: the
    // model's own seeded draws).
    let trainingHourly = units.map { unit in
      hourlyMeans(Array(unit.demand.valuesPerMinute.prefix((unit.demand.valuesPerMinute.count - holdout) / 60 * 60)))
    }
    let correlation = JointInnovations.correlation(of: trainingHourly, period: 168)
    let seed = definition.simulation.seed
    let pathInnovations = JointInnovations.draw(
      correlation: correlation, steps: options.forecastDays * 24, count: options.forecastPaths, seed: seed)
    let validationInnovations = JointInnovations.draw(
      correlation: correlation, steps: max(1, validationHours), count: options.forecastPaths, seed: seed)
    for (u, unit) in units.enumerated() {
      let outcome = try analyzeFleet(
        unit, prepared: prepared, options: options, holdout: holdout,
        validationHours: validationSkipped ? 0 : validationHours,
        innovations: (pathInnovations[u], validationInnovations[u]))
      fleets.append(outcome.recommendation)
      if let note = outcome.searchNote { notes.append(note) }
      if let note = outcome.validationFailure {
        validationSkipped = true
        notes.append(note)
      }
      if let p = pools.firstIndex(of: outcome.pool) {
        currentHistory[p] = zip(currentHistory[p], outcome.currentUsage).map(+)
        recommendedHistory[p] = zip(recommendedHistory[p], outcome.adoptedUsage).map(+)
        trainPlanning[p] = zip(trainPlanning[p], outcome.plannedUsage).map { zip($0, $1).map(+) }
        validationPlanning[p] = zip(validationPlanning[p], outcome.validationUsage).map { zip($0, $1).map(+) }
        if holdout > 0 { actualRecommended[p] = zip(actualRecommended[p], outcome.actualUsage).map(+) }
      } else {
        pools.append(outcome.pool)
        currentHistory.append(outcome.currentUsage)
        recommendedHistory.append(outcome.adoptedUsage)
        trainPlanning.append(outcome.plannedUsage)
        validationPlanning.append(outcome.validationUsage)
        if holdout > 0 { actualRecommended.append(outcome.actualUsage) }
      }
    }
    if validationSkipped { validationPlanning = [] }
    // Recommend purchases on top of the commitments the scenario already owns.
    let (owned, ownedNotes) = existingCommitments(prepared, pools: pools)
    notes += ownedNotes
    currentHistory = owned.residual(currentHistory)
    recommendedHistory = owned.residual(recommendedHistory)
    if holdout > 0 { actualRecommended = owned.residual(actualRecommended) }
    let trainPlanningResidual = try owned.residual(UsagePaths(paths: (0..<options.forecastPaths).map { k in trainPlanning.map { $0[k] } }))
    if let paths = validationPlanning.first?.count, paths > 0 {
      let residual = try owned.residual(UsagePaths(paths: (0..<paths).map { k in validationPlanning.map { $0[k] } }))
      validationPlanning = pools.indices.map { p in (0..<paths).map { k in (0..<residual.hours).map { residual.value(path: k, hour: $0, pool: p) } } }
    }
    let pathCount = options.forecastPaths
    var planner = CommitmentPlanner()
    planner.offerings = options.offerings
    planner.caps = options.caps
    planner.options.ladderMonths = options.ladderMonths
    let selection = try planner.choosePlanningBasis(
      pools: pools, history: recommendedHistory, validationPlanning: validationPlanning,
      validationHours: validationHours, catalog: prepared.catalog, rates: prepared.savingsPlanRates, start: prepared.start)
    let planning: UsagePaths
    var planningNote: String
    switch selection.chosen {
    case .forecast:
      planning = trainPlanningResidual
      planningNote = "planned on the recommended policies' usage over \(pathCount) forecast demand paths of \(options.forecastDays) days"
    case .lookback(let days):
      planning = try UsagePaths(single: recommendedHistory).suffix(hours: days * 24)
      planningNote = "planned on the recommended policies' simulated usage over the last \(days) days of the history"
    }
    planningNote += selection.trials.isEmpty
      ? " (history too short to validate the choice)"
      : "; chosen by a backtest on the last \(validationHours / 24) days of the history: "
        + selection.trials.map { "\($0.basis): \(String(format: "%.2f", $0.realizedSavingsPercent))% saved" }.joined(separator: ", ")
    var advice = try planner.advise(
      pools: pools, history: currentHistory, start: prepared.start, catalog: prepared.catalog,
      savingsPlanRates: prepared.savingsPlanRates, notes: [planningNote],
      planningUsage: planning, planningBasis: selection.chosen.description)
    if selection.chosen != .forecast {
      // A look-back is one path: take the risk of the purchase over the forecast paths.
      let r = advice.recommendation
      advice.recommendation.risk = try CommitmentAdvisor.risk(of: r.portfolio, problem: r.problem, over: trainPlanningResidual)
      advice.notes.append("risk figures are the purchase billed on the \(pathCount) forecast usage paths")
    }
    let backtest = holdout > 0
      ? try backtest(
        advice: advice, selection: selection, pools: pools, actual: UsagePaths(single: actualRecommended),
        recommendedHistory: recommendedHistory, holdoutHours: holdout / 60, prepared: prepared, options: options)
      : nil
    return ScenarioRecommendation(
      scenarioName: definition.name, file: definition.file, timeZone: definition.timeZone, start: prepared.start,
      fleets: fleets, commitments: advice, planningSelection: selection, backtest: backtest, notes: notes)
  }

  /// Mean demand per minute of each whole hour of a per-minute series.
  static func hourlyMeans(_ perMinute: [Double]) -> [Double] {
    stride(from: 0, to: perMinute.count / 60 * 60, by: 60).map { i in perMinute[i..<(i + 60)].reduce(0, +) / 60 }
  }
}
