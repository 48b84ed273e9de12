import AutoScaling
import Billing
import Forecasting
import Foundation
import Simulation

/// One fleet as the planner takes it: plain values, checked by the caller (one-minute
/// ticks, at least 3 days of demand before the hold-out, a type the catalog lists).
public struct FleetPlanInput: Sendable {
  public var name: String
  public var instanceType: String
  public var region: String
  /// The commitment pool the fleet's usage counts against, and its instance type's
  /// normalization factor (unit-hours per instance-hour).
  public var pool: PoolKey
  public var normalizationFactor: Double
  public var group: GroupConfiguration
  /// The current dynamic policies (scheduled actions go in `currentScheduledActions`).
  public var currentPolicies: [ScalingPolicy]
  /// The current scheduled actions as written; the planner expands them in `timeZone`.
  public var currentScheduledActions: [ScheduledActionDefinition]
  /// Demand per one-minute tick from the planner's `start`, hold-out included.
  public var demandPerMinute: [Double]
  public var serving: ServingModel?
  /// The fleet's own Spot price; nil = the catalog's.
  public var spotUSDPerHour: Double?
  public var objective: PolicySearchObjective
  public var space: PolicySearchSpace
  /// Searched when nothing in `space` meets the SLO (nil: keep what `space` found).
  public var widenedSpace: PolicySearchSpace?
  /// Other instance types to search beside `instanceType` (type x policy, each priced with
  /// its own optimal commitments); empty = the single-type search.
  public var otherInstanceTypes: [InstanceTypeOption] = []

  public init(
    name: String, instanceType: String, region: String, pool: PoolKey, normalizationFactor: Double,
    group: GroupConfiguration, currentPolicies: [ScalingPolicy], currentScheduledActions: [ScheduledActionDefinition],
    demandPerMinute: [Double], serving: ServingModel?, spotUSDPerHour: Double?, objective: PolicySearchObjective,
    space: PolicySearchSpace, widenedSpace: PolicySearchSpace?
  ) {
    self.name = name
    self.instanceType = instanceType
    self.region = region
    self.pool = pool
    self.normalizationFactor = normalizationFactor
    self.group = group
    self.currentPolicies = currentPolicies
    self.currentScheduledActions = currentScheduledActions
    self.demandPerMinute = demandPerMinute
    self.serving = serving
    self.spotUSDPerHour = spotUSDPerHour
    self.objective = objective
    self.space = space
    self.widenedSpace = widenedSpace
  }
}

/// What the planner chose: per fleet its policy, then one commitment purchase for all
/// fleets together, how its planning basis was chosen and (with a hold-out) its backtest.
public struct RecommendationPlan: Sendable {
  public var fleets: [FleetRecommendation]
  public var commitments: CommitmentAdvice
  public var planningSelection: PlanningSelection
  public var backtest: CommitmentBacktest?
  public var notes: [String]
}

/// A policy and commitment recommendation for fleets that share an account: for every
/// fleet, search scaling policies on the history and on forecast demand paths; simulate the
/// recommended policy on those paths to get the usage commitments will cover; plan the
/// commitment portfolio on that usage, on top of the commitments already owned; set Cost
/// Explorer-style recommendations, which look back on the usage the *current* policy
/// produced, beside it. With `holdoutMinutes`, all of it is done on the demand without its
/// last minutes, and both purchases are then billed on those minutes as they happened
/// under the recommended policy.
///
/// The steps, in order: `analyze` each fleet (search, policy with its commitments, usage),
/// add the usage up per pool (`PooledUsage`), subtract owned commitments, choose the
/// planning basis (`choosePlanningBasis`), advise, and backtest.
public struct RecommendationPlanner: Sendable {
  /// The demand's first instant (engine time 0) and the zone scheduled actions and daily
  /// floors are read in.
  public var start: Date
  public var timeZone: TimeZone
  public var seed: UInt64
  /// The demand's tick; the planner works on one-minute ticks.
  public var tickSeconds: SimTime = 60
  public var forecastDays = 14
  public var forecastPaths = 8
  public var holidays: HolidayCalendar?
  /// Minutes held out at the end of every fleet's demand for the backtest (0: none).
  public var holdoutMinutes = 0
  public var workerCount: Int?
  /// Told `(fleet, done, total)` simulations while each policy search runs; nil for none.
  public var progress: (@Sendable (_ fleet: String, _ done: Int, _ total: Int) -> Void)?
  public var requestLevelCandidates = 5
  /// How many of the cheapest SLO-meeting variants are compared with their own optimal
  /// commitments (1 or less: the search's recommendation is kept).
  public var commitmentAwareCandidates = 5
  public var offerings = CommitmentOfferings()
  public var caps = CommitmentCaps()
  public var ladderMonths: Int?
  public var catalog: PriceCatalog
  public var savingsPlanRates: SavingsPlanRates
  /// Commitments already owned: purchases are recommended on top of them.
  public var ownedCommitments: Commitments
  /// Policy-search runs made elsewhere (the parts of a sharded `capsim recommend`); nil:
  /// every run is simulated here.
  public var recordedRuns: PolicyRunLedger?
  /// Prefixes every search's name in `recordedRuns` (the backtest origin, when there are several).
  public var searchNamePrefix = ""

  public init(
    start: Date, timeZone: TimeZone, seed: UInt64, catalog: PriceCatalog, savingsPlanRates: SavingsPlanRates,
    ownedCommitments: Commitments
  ) {
    self.start = start
    self.timeZone = timeZone
    self.seed = seed
    self.catalog = catalog
    self.savingsPlanRates = savingsPlanRates
    self.ownedCommitments = ownedCommitments
  }

  /// Usage of all fleets, added up per pool.
  struct PooledOutcomes {
    /// The current policies on the training demand (what Cost Explorer looks back on).
    var currentHistory = PooledUsage()
    /// The chosen policies on the training demand.
    var recommendedHistory = PooledUsage()
    /// The chosen policies on the forecast paths.
    var planned = PooledUsagePaths()
    /// The same, forecast `validationHours` earlier; nil when a fleet could not be validated.
    var validation: PooledUsagePaths? = PooledUsagePaths()
    /// The chosen policies over the held-out hours.
    var actual = PooledUsage()

    /// Adds one fleet's usage. When its type search moved it to another family, the current
    /// usage is in the current type's pool and the rest in the chosen type's: every record
    /// gets both pools (the other one at zero), the current pool first, so the pools are in
    /// the same order everywhere.
    mutating func add(_ outcome: FleetOutcome, holdout: Bool) {
      let moved = outcome.pool != outcome.currentPool
      func zeros(_ hourly: [Double]) -> [Double] { Array(repeating: 0, count: hourly.count) }
      currentHistory.add(outcome.currentUsage, to: outcome.currentPool)
      if moved {
        currentHistory.add(zeros(outcome.currentUsage), to: outcome.pool)
        recommendedHistory.add(zeros(outcome.adoptedUsage), to: outcome.currentPool)
        planned.add(outcome.plannedUsage.map(zeros), to: outcome.currentPool)
        validation?.add(outcome.validationUsage.map(zeros), to: outcome.currentPool)
        if holdout { actual.add(zeros(outcome.actualUsage), to: outcome.currentPool) }
      }
      recommendedHistory.add(outcome.adoptedUsage, to: outcome.pool)
      planned.add(outcome.plannedUsage, to: outcome.pool)
      validation?.add(outcome.validationUsage, to: outcome.pool)
      if holdout { actual.add(outcome.actualUsage, to: outcome.pool) }
    }
  }

  public func plan(_ fleets: [FleetPlanInput]) throws -> RecommendationPlan {
    let holdout = holdoutMinutes
    var notes: [String] = []
    var recommendations: [FleetRecommendation] = []
    // Hours held out of the training demand to choose what to plan commitments on (the
    // forecast or a look-back at the recommended policy's own usage): the planning horizon,
    // at most a third of the training demand, whole days; 0 = too short to validate.
    let (validationHours, innovations) = forecastRandomness(fleets)
    var pooled = PooledOutcomes()
    for (u, fleet) in fleets.enumerated() {
      let outcome = try analyze(
        fleet, validationHours: pooled.validation == nil ? 0 : validationHours,
        innovations: (innovations.paths[u], innovations.validation[u]))
      recommendations.append(outcome.recommendation)
      if let note = outcome.searchNote { notes.append(note) }
      if let note = outcome.validationFailure {
        pooled.validation = nil
        notes.append(note)
      }
      pooled.add(outcome, holdout: holdout > 0)
      if outcome.pool != outcome.currentPool, let from = outcome.recommendation.currentInstanceType {
        let to = outcome.recommendation.instanceType
        notes.append(
          "\(fleet.name): moves from \(from) to \(to): commitments are planned on its \(to) usage; the history and the "
            + "Cost Explorer-style look-back are today's \(from) usage, whose \(outcome.currentPool.family) commitments would go unused after the move")
      }
    }
    let pools = pooled.currentHistory.pools
    // Recommend purchases on top of the commitments the scenario already owns.
    let (owned, ownedNotes) = ExistingCommitments.owned(
      ownedCommitments, pools: pools, catalog: catalog, savingsPlanRates: savingsPlanRates)
    notes += ownedNotes
    let currentHistory = owned.residual(pooled.currentHistory.hourlyByPool)
    let recommendedHistory = owned.residual(pooled.recommendedHistory.hourlyByPool)
    let actual = holdout > 0 ? owned.residual(pooled.actual.hourlyByPool) : []
    let plannedResidual = try owned.residual(pooled.planned.usagePaths(pathCount: forecastPaths))
    let validationResidual = try pooled.validation.flatMap { v throws(AdvisorError) -> UsagePaths? in
      v.pathCount > 0 ? try owned.residual(v.usagePaths(pathCount: v.pathCount)) : nil
    }
    var planner = CommitmentPlanner()
    planner.offerings = offerings
    planner.caps = caps
    planner.options.ladderMonths = ladderMonths
    let selection = try planner.choosePlanningBasis(
      pools: pools, history: recommendedHistory, validation: validationResidual,
      validationHours: validationHours, catalog: catalog, rates: savingsPlanRates, start: start)
    var advice = try advise(
      planner, selection: selection, pools: pools, currentHistory: currentHistory,
      recommendedHistory: recommendedHistory, planned: plannedResidual, validationHours: validationHours)
    if selection.chosen != .forecast {
      // A look-back is one path: take the risk of the purchase over the forecast paths.
      let r = advice.recommendation
      advice.recommendation.risk = try CommitmentAdvisor.risk(of: r.portfolio, problem: r.problem, over: plannedResidual)
      advice.notes.append("risk figures are the purchase billed on the \(forecastPaths) forecast usage paths")
    }
    let backtest = holdout > 0
      ? try backtest(
        advice: advice, selection: selection, pools: pools, actual: UsagePaths(single: actual),
        recommendedHistory: recommendedHistory, holdoutHours: holdout / 60)
      : nil
    return RecommendationPlan(
      fleets: recommendations, commitments: advice, planningSelection: selection, backtest: backtest, notes: notes)
  }

  /// The validation hours and the fleets' joint forecast randomness (`jointInnovations`).
  func forecastRandomness(
    _ fleets: [FleetPlanInput]
  ) -> (validationHours: Int, innovations: (paths: [[[Double]]], validation: [[[Double]]])) {
    let shortestTrainHours = fleets.map { ($0.demandPerMinute.count - holdoutMinutes) / 60 }.min() ?? 0
    let validationHours = min(forecastDays * 24, shortestTrainHours / 3) / 24 * 24
    return (validationHours, jointInnovations(fleets, validationHours: validationHours))
  }

  /// The ranking pass of every policy search `plan` starts with, in the order `plan` runs
  /// them (fleets, then each fleet's instance types, the current first), set up but not
  /// run: the independent bulk of a recommendation's work, which `capsim recommend --shard`
  /// splits. What follows depends on their results (a widened space when nothing meets the
  /// SLO, request-level re-runs, the commitment-aware choice, usage, planning) and runs in
  /// `plan`, which takes these runs from `recordedRuns`.
  public func rankingSearches(_ fleets: [FleetPlanInput]) throws -> [RankingSearch] {
    let (_, innovations) = forecastRandomness(fleets)
    var searches: [RankingSearch] = []
    for (u, fleet) in fleets.enumerated() {
      let basis = try searchBasis(fleet, innovations: innovations.paths[u])
      for typed in typedFleets(fleet) {
        let (input, configuration) = try searchSetup(
          typed, space: typed.space, train: basis.train, paths: basis.paths, pricing: try searchPricing(typed),
          clock: basis.clock, scheduleEnd: basis.scheduleEnd)
        searches.append(
          RankingSearch(name: configuration.searchName, runs: try PolicySearch.SearchRuns(input, configuration: configuration)))
      }
    }
    return searches
  }

  /// The fleets' forecast paths share randomness as their demands did (one fleet: the
  /// model's own seeded draws): per fleet, `[path][hour]` for the forecast paths and for
  /// the validation forecast.
  func jointInnovations(
    _ fleets: [FleetPlanInput], validationHours: Int
  ) -> (paths: [[[Double]]], validation: [[[Double]]]) {
    let trainingHourly = fleets.map { fleet in
      let minutes = fleet.demandPerMinute
      return Self.hourlyMeans(Array(minutes.prefix((minutes.count - holdoutMinutes) / 60 * 60)))
    }
    let correlation = JointInnovations.correlation(of: trainingHourly, period: 168)
    let paths = JointInnovations.draw(correlation: correlation, steps: forecastDays * 24, count: forecastPaths, seed: seed)
    let validation = JointInnovations.draw(
      correlation: correlation, steps: max(1, validationHours), count: forecastPaths, seed: seed)
    return (paths, validation)
  }

  /// The commitment advice on the chosen planning basis, with a note saying what it was
  /// planned on and why.
  func advise(
    _ planner: CommitmentPlanner, selection: PlanningSelection, pools: [PoolKey], currentHistory: [[Double]],
    recommendedHistory: [[Double]], planned: UsagePaths, validationHours: Int
  ) throws -> CommitmentAdvice {
    let planning: UsagePaths
    var planningNote: String
    switch selection.chosen {
    case .forecast:
      planning = planned
      planningNote = "planned on the recommended policies' usage over \(forecastPaths) forecast demand paths of \(forecastDays) days"
    case .lookback(let days):
      planning = try UsagePaths(single: recommendedHistory).suffix(hours: days * 24)
      planningNote = "planned on the recommended policies' simulated usage over the last \(days) days of the history"
    }
    planningNote += selection.trials.isEmpty
      ? " (history too short to validate the choice)"
      : "; chosen by a backtest on the last \(validationHours / 24) days of the history: "
        + selection.trials.map { "\($0.basis): \(String(format: "%.2f", $0.realizedSavingsPercent))% saved" }.joined(separator: ", ")
    return try planner.advise(
      pools: pools, history: currentHistory, start: start, catalog: catalog,
      savingsPlanRates: savingsPlanRates, notes: [planningNote],
      planningUsage: planning, planningBasis: selection.chosen.description)
  }

  /// Mean demand per minute of each whole hour of a per-minute series.
  static func hourlyMeans(_ perMinute: [Double]) -> [Double] {
    stride(from: 0, to: perMinute.count / 60 * 60, by: 60).map { i in perMinute[i..<(i + 60)].reduce(0, +) / 60 }
  }
}
