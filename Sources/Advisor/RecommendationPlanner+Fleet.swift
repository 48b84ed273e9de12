import AutoScaling
import Billing
import Forecasting
import Foundation
import Simulation

/// One fleet's part of a recommendation: its search, and the hourly usage (normalized
/// unit-hours of its pool) the advisor plans commitments on.
struct FleetOutcome {
  var recommendation: FleetRecommendation
  /// The pool of the chosen instance type (all usage but `currentUsage`).
  var pool: PoolKey
  /// The pool of the type the fleet runs on now (`currentUsage`); `pool` unless the search
  /// moved the fleet to another family.
  var currentPool: PoolKey
  /// The current policies on the training demand, on the current type: what Cost Explorer looks back on.
  var currentUsage: [Double]
  /// The chosen policies on the training demand.
  var adoptedUsage: [Double]
  /// The chosen policies on each forecast demand path: `[path][hour]`.
  var plannedUsage: [[Double]]
  /// The same, forecast from the training demand less its last `validationHours`.
  var validationUsage: [[Double]]
  /// Why the planning basis could not be validated (nil when it could, or was not asked).
  var validationFailure: String?
  /// Set when the default search space held no SLO-meeting variant and a wider one was searched.
  var searchNote: String?
  /// The chosen policies over the held-out hours (empty without a backtest).
  var actualUsage: [Double]
}

/// Simulates a policy variant on a demand and adds up its On-Demand usage per hour, in
/// normalized unit-hours of the fleet's pool: the usage commitments are planned on. Each
/// simulation draws from its own named random stream, so the order of calls does not matter.
struct FleetUsageSimulator {
  var tickSeconds: SimTime
  var seed: UInt64
  var clock: LocalClock
  var normalizationFactor: Double

  func usage(
    _ variant: PolicyVariant, demand: [Double], dayOffset: SimTime = 0, start: SimTime = 0, stream: String
  ) throws -> [Double] {
    let tick = tickSeconds
    let policies = variant.policies(
      dayOffsetSeconds: dayOffset, durationSeconds: Double(demand.count) * tick, startSeconds: start, clock: clock)
    let needsForecast = policies.contains(where: \.isPredictive)
    let simulation = FleetSimulationInput(
      group: variant.group, policies: policies, demandPerMinute: demand, tickSeconds: tick,
      random: RandomStream(seed: seed).substream(named: stream),
      predictiveForecast: needsForecast
        ? PredictiveLoadForecast(demandPerMinute: demand, tickSeconds: tick, forecaster: SeasonalRegressionLoadForecaster())
        : nil)
    let result = try FleetSimulator.run(simulation)
    // A group with several types: the fleet's own type's usage, the pool its commitments
    // are planned for (the others' On-Demand hours are priced On-Demand in the search).
    let own = variant.group.instanceTypes.firstIndex { $0.instanceType == variant.group.instanceType }
    return HourlyUsage.onDemandUnits(
      result.lifetimes, hours: demand.count / 60, normalizationFactor: normalizationFactor, typeIndex: own)
  }

  /// The usage on every path (`[path][hour]`), path k on stream "<stream>/k".
  func usage(_ variant: PolicyVariant, on paths: [PolicySearchDemand], stream: String) throws -> [[Double]] {
    var usage: [[Double]] = []
    for (k, path) in paths.enumerated() {
      usage.append(try self.usage(
        variant, demand: path.demandPerMinute, dayOffset: path.dayOffsetSeconds, start: path.startSeconds,
        stream: "\(stream)/\(k)"))
    }
    return usage
  }
}

/// The variant chosen together with its commitments, and the trials behind the choice.
struct CommitmentAwareChoice {
  var trials: [CommitmentAwareTrial]
  /// The chosen trial (nil: no trial ran, and the search's recommendation stands).
  var best: CommitmentAwareTrial?
  /// The chosen trial's usage on the forecast paths, already simulated.
  var bestPlannedUsage: [[Double]]?
}

extension RecommendationPlanner {
  /// Searches one fleet's policies on its training demand and forecast paths, chooses the
  /// variant together with its commitments, and simulates the usage of the current and
  /// chosen policies the commitment planner needs.
  /// - Parameter innovations: this fleet's share of the fleets' joint forecast randomness
  ///   (`[path][hour]`), for the forecast paths and for the validation forecast.
  func analyze(
    _ fleet: FleetPlanInput, validationHours: Int, innovations: (paths: [[Double]], validation: [[Double]])
  ) throws -> FleetOutcome {
    let holdout = holdoutMinutes
    let allDemand = fleet.demandPerMinute
    let (train, paths, clock, scheduleEnd) = try searchBasis(fleet, innovations: innovations.paths)
    let trainCount = train.count
    let types = try searchInstanceTypes(fleet, train: train, paths: paths, clock: clock, scheduleEnd: scheduleEnd)
    // The fleet on the chosen type (its own unless a move wins), its search and choice.
    let picked = types.searched[types.chosen]
    let (typed, search, searchNote, choice) = (picked.fleet, picked.search, picked.note, picked.choice)

    // Usage in normalized unit-hours: current policy on the training history (what Cost
    // Explorer sees, on the current type), recommended policy on each forecast path (what we
    // plan on) and on the whole demand (what happens, for the backtest), on the chosen type.
    let simulator = FleetUsageSimulator(
      tickSeconds: tickSeconds, seed: seed, clock: clock, normalizationFactor: typed.normalizationFactor)
    let currentSimulator = FleetUsageSimulator(
      tickSeconds: tickSeconds, seed: seed, clock: clock, normalizationFactor: fleet.normalizationFactor)
    let chosen = choice.best.map { search.variants[$0.variantIndex] } ?? search.recommended ?? search.current
    var recommendation = FleetRecommendation(
      name: fleet.name, instanceType: typed.instanceType, region: fleet.region, search: search, chosen: chosen,
      commitmentAware: choice.trials, currentScheduledActions: typed.currentScheduledActions)
    if types.searched.count > 1 {
      recommendation.currentInstanceType = fleet.instanceType
      recommendation.instanceTypes = types.searched.map(\.trial)
      recommendation.currentTypeSearch = types.searched[0].search
    }
    let currentSearch = types.searched[0].search
    let current = try currentSimulator.usage(currentSearch.current.variant, demand: train, stream: "recommend/\(fleet.name)/history")
    let adopted = try simulator.usage(chosen.variant, demand: train, stream: "recommend/\(fleet.name)/history")
    let planned = try choice.bestPlannedUsage
      ?? simulator.usage(chosen.variant, on: paths, stream: "recommend/\(fleet.name)/path")
    let validation = validationHours > 0
      ? validationUsage(
        typed, chosen: chosen.variant, train: train, validationHours: validationHours,
        innovations: innovations.validation, simulator: simulator)
      : (usage: [], failure: nil)
    let actual = holdout > 0
      ? Array(try simulator.usage(
        chosen.variant, demand: Array(allDemand[0..<(trainCount + holdout)]), stream: "recommend/\(fleet.name)/actual")
        .suffix(holdout / 60))
      : []
    return FleetOutcome(
      recommendation: recommendation, pool: typed.pool, currentPool: fleet.pool, currentUsage: current,
      adoptedUsage: adopted, plannedUsage: planned, validationUsage: validation.usage,
      validationFailure: validation.failure, searchNote: searchNote, actualUsage: actual)
  }

  /// What every search of a fleet runs on: the training demand (the hold-out cut off, whole
  /// hours), the forecast paths after it (they depend on the demand only: one set, shared
  /// by every instance type), and the clock and end of the current scheduled actions (at
  /// history seconds from the demand's start through the furthest series a recommendation
  /// simulates: the hold-out and forecast paths after it).
  func searchBasis(
    _ fleet: FleetPlanInput, innovations: [[Double]]
  ) throws -> (train: [Double], paths: [PolicySearchDemand], clock: LocalClock, scheduleEnd: Date) {
    let allDemand = fleet.demandPerMinute
    let trainCount = (allDemand.count - holdoutMinutes) / 60 * 60
    let train = Array(allDemand[0..<trainCount])
    let paths = try demandPaths(after: train, days: forecastDays, innovations: innovations)
    let scheduleEnd = start.addingTimeInterval(Double(allDemand.count + forecastDays * 1_440) * tickSeconds)
    let clock = LocalClock(from: start, to: scheduleEnd, in: timeZone)
    return (train, paths, clock, scheduleEnd)
  }

  /// Demand forecast paths after a demand prefix: hourly model, minute texture.
  func demandPaths(after history: [Double], days: Int, innovations: [[Double]]) throws -> [PolicySearchDemand] {
    let hourly = Self.hourlyMeans(history)
    var configuration = SeasonalRegressionConfiguration()
    configuration.holidays = holidays
    let model = try SeasonalRegression.fit(
      ObservedSeries(start: start, intervalSeconds: 3_600, values: hourly),
      horizon: min(days * 24, 24 * 14), configuration: configuration)
    let smooth = try PolicySearchForecastPaths.demandPaths(
      history: history, tickSeconds: tickSeconds, model: InnovationSampler(model: model, innovations: innovations),
      days: Double(days), count: forecastPaths, seed: seed)
    return PolicySearchDemand.withHistoricalTexture(smooth, history: history, seed: seed)
  }

  /// The policy search on the training demand and the forecast paths; when nothing in the
  /// fleet's space meets the SLO, a search of its wider space (with a note saying so).
  func searchPolicies(
    _ fleet: FleetPlanInput, train: [Double], paths: [PolicySearchDemand], pricing: PolicySearchPricing,
    clock: LocalClock, scheduleEnd: Date, progressName: String? = nil
  ) throws -> (PolicySearchResult, note: String?) {
    let (input, configuration) = try searchSetup(
      fleet, space: fleet.space, train: train, paths: paths, pricing: pricing, clock: clock, scheduleEnd: scheduleEnd,
      progressName: progressName)
    let search = try PolicySearch.run(input, configuration: configuration)
    // Nothing in the space meets the SLO: before keeping policies that miss it, search
    // towards more capacity (when the caller offers a wider space).
    guard search.recommended == nil, let wider = fleet.widenedSpace else { return (search, nil) }
    let before = search.variants.count
    let (_, widenedConfiguration) = try searchSetup(
      fleet, space: wider, widened: true, train: train, paths: paths, pricing: pricing, clock: clock,
      scheduleEnd: scheduleEnd, progressName: progressName)
    let widened = try PolicySearch.run(input, configuration: widenedConfiguration)
    let note = "\(fleet.name): none of the \(before) default variants met the SLO; searched \(widened.variants.count) with "
      + [wider.targetValues.map { _ in "targets down to 15" }, wider.stepThresholdScales.map { _ in "step thresholds down to half" }]
        .compactMap { $0 }.joined(separator: " and ")
      + (widened.recommended == nil ? ", and none of those met it either" : "")
    return (widened, note)
  }

  /// One search's input and configuration: the fleet (on one instance type) over its
  /// training demand and forecast paths, in `space`; named in `recordedRuns` by fleet,
  /// type and space (`widened`), after `searchNamePrefix`.
  func searchSetup(
    _ fleet: FleetPlanInput, space: PolicySearchSpace, widened: Bool = false, train: [Double],
    paths: [PolicySearchDemand], pricing: PolicySearchPricing, clock: LocalClock, scheduleEnd: Date,
    progressName: String? = nil
  ) throws -> (PolicySearchInput, PolicySearchConfiguration) {
    let scheduled = fleet.currentScheduledActions.map {
      ScalingPolicy.scheduled($0.scheduledAction(from: start, to: scheduleEnd, in: timeZone))
    }
    var input = PolicySearchInput(
      group: fleet.group, currentPolicies: fleet.currentPolicies + scheduled, history: PolicySearchDemand(demandPerMinute: train),
      forecastPaths: paths, tickSeconds: tickSeconds, pricing: pricing, seed: seed)
    input.clock = clock
    input.start = start
    input.serving = fleet.serving
    var configuration = PolicySearchConfiguration(objective: fleet.objective, space: space)
    configuration.workerCount = workerCount
    if let progress {
      let name = progressName ?? fleet.name
      configuration.progress = { done, total in progress(name, done, total) }
    }
    configuration.requestLevelCandidates = requestLevelCandidates
    configuration.recordedRuns = recordedRuns
    configuration.searchName = "\(searchNamePrefix)\(fleet.name) \(fleet.instanceType) \(widened ? "widened" : "space")"
    return (input, configuration)
  }

  /// Policy and commitments together: of the cheapest variants that meet the SLO (on
  /// On-Demand cost), keep the one whose expected cost on the forecast paths is lowest once
  /// its usage gets its own optimal commitments (plus its Spot cost). With a weighted
  /// objective the candidates are the lowest-scoring variants, met or not, and the SLO
  /// penalty per history hour is added.
  func chooseWithCommitments(
    _ fleet: FleetPlanInput, search: PolicySearchResult, paths: [PolicySearchDemand], historyHours: Double,
    simulator: FleetUsageSimulator
  ) throws -> CommitmentAwareChoice {
    guard search.recommended != nil && commitmentAwareCandidates > 1 else {
      return CommitmentAwareChoice(trials: [], best: nil, bestPlannedUsage: nil)
    }
    let weighted = fleet.objective.isWeightedScore
    // A latency objective decides on request-level figures only: the re-run variants.
    let decided = search.requestLevelVariants.isEmpty ? Array(search.variants.indices) : search.requestLevelVariants
    let meeting = decided.filter { weighted || search.variants[$0].meetsSLO }
      .sorted {
        weighted
          ? (search.variants[$0].score, $0) < (search.variants[$1].score, $1)
          : (search.variants[$0].costUSD, $0) < (search.variants[$1].costUSD, $1)
      }
    let key = fleet.pool
    let (owned, _) = ExistingCommitments.owned(ownedCommitments, pools: [key], catalog: catalog, savingsPlanRates: savingsPlanRates)
    var trials: [CommitmentAwareTrial] = []
    var plannedByVariant: [Int: [[Double]]] = [:]
    for index in meeting.prefix(commitmentAwareCandidates) {
      let variant = search.variants[index]
      let planned = try simulator.usage(variant.variant, on: paths, stream: "recommend/\(fleet.name)/path")
      plannedByVariant[index] = planned
      let residual = try owned.residual(UsagePaths(paths: planned.map { [$0] }))
      let (problems, _) = try CommitmentProblem.fromCatalog(
        pools: [key], usage: residual, catalog: catalog, savingsPlanRates: savingsPlanRates,
        offerings: offerings, caps: caps)
      let withCommitments = problems.map { CommitmentOptimizer().solve($0, rounds: false).continuousHourlyCost }.min() ?? .infinity
      let onDemand = problems.first.map { CommitmentOptimizer().hourlyCost(of: .none(instrumentCount: $0.poolInstruments.count), in: $0) } ?? 0
      // Spot and a warm pool's EBS storage take no commitment: their mean hourly cost on the paths.
      let uncommitted = variant.paths.isEmpty ? 0 : variant.paths.reduce(0) {
        $0 + ($1.spotCostUSD + $1.ebsStorageCostUSD) / max(1e-9, $1.days * 24)
      } / Double(variant.paths.count)
      trials.append(CommitmentAwareTrial(
        variantIndex: index, name: variant.variant.name, onDemandHourlyCost: onDemand + uncommitted,
        withCommitmentsHourlyCost: withCommitments + uncommitted,
        penaltyHourlyCost: historyHours > 0 ? (variant.score - variant.costUSD) / historyHours : 0))
    }
    let best = trials.min {
      ($0.withCommitmentsHourlyCost + $0.penaltyHourlyCost, $0.onDemandHourlyCost)
        < ($1.withCommitmentsHourlyCost + $1.penaltyHourlyCost, $1.onDemandHourlyCost)
    }
    return CommitmentAwareChoice(trials: trials, best: best, bestPlannedUsage: best.flatMap { plannedByVariant[$0.variantIndex] })
  }

  /// The chosen policies' usage on the forecast made `validationHours` before the end of
  /// the training demand, for choosing the planning basis; a forecast that cannot be made
  /// there gives no usage and the reason.
  func validationUsage(
    _ fleet: FleetPlanInput, chosen: PolicyVariant, train: [Double], validationHours: Int, innovations: [[Double]],
    simulator: FleetUsageSimulator
  ) -> (usage: [[Double]], failure: String?) {
    let prefix = Array(train[0..<(train.count - validationHours * 60)])
    do {
      let paths = try demandPaths(after: prefix, days: validationHours / 24, innovations: innovations)
      return (try simulator.usage(chosen, on: paths, stream: "recommend/\(fleet.name)/validation"), nil)
    } catch {
      return ([], "the planning basis was not validated: no forecast from the history's first \(prefix.count / 60) hours (\(error))")
    }
  }
}
