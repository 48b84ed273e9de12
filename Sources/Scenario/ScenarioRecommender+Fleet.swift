import Advisor
import AutoScaling
import Billing
import Forecasting
import Foundation
import Results
import Simulation

/// One fleet's part of a recommendation: its search, and the hourly usage (normalized
/// unit-hours of its pool) the advisor plans commitments on.
struct FleetOutcome {
  var recommendation: FleetRecommendation
  var pool: PoolKey
  /// The current policies on the training demand: what Cost Explorer looks back on.
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

extension ScenarioRecommender {
  /// Searches one fleet's policies on its training demand and forecast paths, chooses the
  /// variant together with its commitments, and simulates the usage of the current and
  /// chosen policies the commitment planner needs.
  /// - Parameter innovations: this fleet's share of the fleets' joint forecast randomness
  ///   (`[path][hour]`), for the forecast paths and for the validation forecast.
  static func analyzeFleet(
    _ unit: ScenarioRunner.FleetUnit, prepared: PreparedScenario, options: RecommendationOptions, holdout: Int,
    validationHours: Int, innovations: (paths: [[Double]], validation: [[Double]])
  ) throws -> FleetOutcome {
    let definition = prepared.definition
    let tick = unit.demand.intervalSeconds
    guard tick == 60 else {
      throw unit.location.error(.invalidValue(field: "simulation.tick", expected: "1m for capsim recommend", found: "\(tick) s", suggestion: nil))
    }
    let allDemand = unit.demand.valuesPerMinute
    let trainCount = (allDemand.count - holdout) / 60 * 60
    // The demand forecast behind the search paths needs 60 hourly points (2.5 days).
    guard trainCount >= 3 * 1_440 else {
      throw unit.location.error(
        holdout > 0
          ? .invalidValue(
            field: "backtestDays", expected: "a hold-out leaving at least 3 whole days of demand to forecast from",
            found: "\(allDemand.count / 1_440) days of demand, \(options.backtestDays ?? 0) held out", suggestion: nil)
          : .invalidValue(
            field: "demand", expected: "at least 3 whole days of demand for capsim recommend to forecast from",
            found: "\(Double(allDemand.count) / 1_440) days", suggestion: nil))
    }
    let train = Array(allDemand[0..<trainCount])
    let seed = definition.simulation.seed
    // Demand forecast paths after a demand prefix: hourly model, minute texture.
    func demandPaths(after history: [Double], days: Int, innovations: [[Double]]) throws -> [PolicySearchDemand] {
      let hourly = ScenarioRecommender.hourlyMeans(history)
      var configuration = SeasonalRegressionConfiguration()
      configuration.holidays = options.holidays
      let model = try SeasonalRegression.fit(
        ObservedSeries(start: prepared.start, intervalSeconds: 3_600, values: hourly),
        horizon: min(days * 24, 24 * 14), configuration: configuration)
      let smooth = try PolicySearchForecastPaths.demandPaths(
        history: history, tickSeconds: tick, model: InnovationSampler(model: model, innovations: innovations),
        days: Double(days), count: options.forecastPaths, seed: seed)
      return withHistoricalTexture(smooth, history: history, seed: seed)
    }
    let paths = try demandPaths(after: train, days: options.forecastDays, innovations: innovations.paths)
    let pricing = try PolicySearchPricing(
      catalog: prepared.catalog, region: unit.fleet.region, instanceType: unit.fleet.instanceType,
      spotUSDPerHour: unit.spotPriceUSDPerHour
        ?? prepared.catalog.spotUSDPerHour(region: unit.fleet.region, instanceType: unit.fleet.instanceType))
    // The current scheduled actions, at history seconds from the demand's start through the
    // furthest series a recommendation simulates (the hold-out and forecast paths after it).
    let scheduleEnd = prepared.start.addingTimeInterval(Double(allDemand.count + options.forecastDays * 1_440) * tick)
    let scheduled = unit.scheduledActions.map {
      ScalingPolicy.scheduled($0.scheduledAction(from: prepared.start, to: scheduleEnd, in: definition.timeZone))
    }
    let clock = localClock(from: prepared.start, to: scheduleEnd, in: definition.timeZone)
    var input = PolicySearchInput(
      group: unit.group, currentPolicies: unit.policies + scheduled, history: PolicySearchDemand(demandPerMinute: train),
      forecastPaths: paths, tickSeconds: tick, pricing: pricing, seed: seed)
    input.clock = clock
    input.serving = unit.fleet.serving
    let objective = Self.objective(options, fleet: unit.fleet)
    var configurationSearch = PolicySearchConfiguration(
      objective: objective, space: options.space ?? RecommendationOptions.defaultSpace(for: unit.policies))
    configurationSearch.workerCount = options.workerCount
    configurationSearch.requestLevelCandidates = options.requestLevelCandidates
    var search = try PolicySearch.run(input, configuration: configurationSearch)
    var searchNote: String?
    // Nothing in the default space meets the SLO: before keeping policies that miss it,
    // search towards more capacity (a narrowed space given by the user is left as is).
    if search.recommended == nil, options.space == nil, let wider = RecommendationOptions.widenedSpace(for: unit.policies) {
      let before = search.variants.count
      configurationSearch.space = wider
      search = try PolicySearch.run(input, configuration: configurationSearch)
      searchNote = "\(unit.name): none of the \(before) default variants met the SLO; searched \(search.variants.count) with "
        + [wider.targetValues.map { _ in "targets down to 15" }, wider.stepThresholdScales.map { _ in "step thresholds down to half" }]
          .compactMap { $0 }.joined(separator: " and ")
        + (search.recommended == nil ? ", and none of those met it either" : "")
    }

    // Usage in normalized unit-hours: current policy on the training history (what Cost
    // Explorer sees), recommended policy on each forecast path (what we plan on) and on
    // the whole demand (what happens, for the backtest).
    guard let entry = prepared.catalog.entry(region: unit.fleet.region, instanceType: unit.fleet.instanceType) else {
      throw unit.location.error(.invalidValue(field: "fleet.instanceType", expected: "a type the price catalog lists", found: unit.fleet.instanceType, suggestion: nil))
    }
    let nf = entry.normalizationFactor
    func usage(_ variant: PolicyVariant, demand: [Double], dayOffset: SimTime, start: SimTime = 0, stream: String) throws -> [Double] {
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
      return HourlyUsage.onDemandUnits(result.lifetimes, hours: demand.count / 60, normalizationFactor: nf)
    }
    let key = PoolKey(family: entry.family, region: unit.fleet.region)
    // Policy and commitments together: of the cheapest variants that meet the SLO (on
    // On-Demand cost), keep the one whose expected cost on the forecast paths is lowest
    // once its usage gets its own optimal commitments (plus its Spot cost).
    var trials: [CommitmentAwareTrial] = []
    var plannedByVariant: [Int: [[Double]]] = [:]
    // Candidates: the cheapest SLO-meeting variants; with a weighted objective, the
    // lowest-scoring ones (cost plus the SLO penalty), met or not.
    let weighted = objective.isWeightedScore
    // A latency objective decides on request-level figures only: the re-run variants.
    let decided = search.requestLevelVariants.isEmpty ? Array(search.variants.indices) : search.requestLevelVariants
    let meeting = decided.filter { weighted || search.variants[$0].meetsSLO }
      .sorted {
        weighted
          ? (search.variants[$0].score, $0) < (search.variants[$1].score, $1)
          : (search.variants[$0].costUSD, $0) < (search.variants[$1].costUSD, $1)
      }
    let historyHours = Double(train.count) * tick / 3_600
    if search.recommended != nil && options.commitmentAwareCandidates > 1 {
      let (owned, _) = existingCommitments(prepared, pools: [key])
      for index in meeting.prefix(options.commitmentAwareCandidates) {
        let variant = search.variants[index]
        var planned: [[Double]] = []
        for (k, path) in paths.enumerated() {
          planned.append(try usage(variant.variant, demand: path.demandPerMinute, dayOffset: path.dayOffsetSeconds, start: path.startSeconds, stream: "recommend/\(unit.name)/path/\(k)"))
        }
        plannedByVariant[index] = planned
        let residual = try owned.residual(UsagePaths(paths: planned.map { [$0] }))
        let (problems, _) = try CommitmentProblem.fromCatalog(
          pools: [key], usage: residual, catalog: prepared.catalog, savingsPlanRates: prepared.savingsPlanRates,
          offerings: options.offerings, caps: options.caps)
        let withCommitments = problems.map { CommitmentOptimizer().solve($0, rounds: false).continuousHourlyCost }.min() ?? .infinity
        let onDemand = problems.first.map { CommitmentOptimizer().hourlyCost(of: .none(instrumentCount: $0.poolInstruments.count), in: $0) } ?? 0
        let spot = variant.paths.isEmpty ? 0 : variant.paths.reduce(0) { $0 + $1.spotCostUSD / max(1e-9, $1.days * 24) } / Double(variant.paths.count)
        trials.append(CommitmentAwareTrial(
          variantIndex: index, name: variant.variant.name, onDemandHourlyCost: onDemand + spot,
          withCommitmentsHourlyCost: withCommitments + spot,
          penaltyHourlyCost: historyHours > 0 ? (variant.score - variant.costUSD) / historyHours : 0))
      }
    }
    let best = trials.min {
      ($0.withCommitmentsHourlyCost + $0.penaltyHourlyCost, $0.onDemandHourlyCost)
        < ($1.withCommitmentsHourlyCost + $1.penaltyHourlyCost, $1.onDemandHourlyCost)
    }
    let chosen = best.map { search.variants[$0.variantIndex] } ?? search.recommended ?? search.current
    var recommendation = FleetRecommendation(
      name: unit.name, instanceType: unit.fleet.instanceType, region: unit.fleet.region, search: search, chosen: chosen,
      commitmentAware: trials)
    recommendation.currentScheduledActions = unit.scheduledActions
    let current = try usage(search.current.variant, demand: train, dayOffset: 0, stream: "recommend/\(unit.name)/history")
    let adopted = try usage(chosen.variant, demand: train, dayOffset: 0, stream: "recommend/\(unit.name)/history")
    var planned: [[Double]] = best.flatMap { plannedByVariant[$0.variantIndex] } ?? []
    for (k, path) in paths.enumerated() where best == nil {
      planned.append(try usage(chosen.variant, demand: path.demandPerMinute, dayOffset: path.dayOffsetSeconds, start: path.startSeconds, stream: "recommend/\(unit.name)/path/\(k)"))
    }
    // The same forecast made `validationHours` earlier, for choosing the planning basis.
    var validation: [[Double]] = []
    var validationFailure: String?
    if validationHours > 0 {
      let prefix = Array(train[0..<(train.count - validationHours * 60)])
      do {
        for (k, path) in try demandPaths(after: prefix, days: validationHours / 24, innovations: innovations.validation).enumerated() {
          validation.append(try usage(chosen.variant, demand: path.demandPerMinute, dayOffset: path.dayOffsetSeconds, start: path.startSeconds, stream: "recommend/\(unit.name)/validation/\(k)"))
        }
      } catch {
        validation = []
        validationFailure = "the planning basis was not validated: no forecast from the history's first \(prefix.count / 60) hours (\(error))"
      }
    }
    let actual = holdout > 0
      ? Array(try usage(chosen.variant, demand: Array(allDemand[0..<(trainCount + holdout)]), dayOffset: 0, stream: "recommend/\(unit.name)/actual")
        .suffix(holdout / 60))
      : []
    return FleetOutcome(
      recommendation: recommendation, pool: key, currentUsage: current, adoptedUsage: adopted, plannedUsage: planned,
      validationUsage: validation, validationFailure: validationFailure, searchNote: searchNote, actualUsage: actual)
  }

  /// The fleet's objective: its scenario latency SLO when it has one (and a serving model)
  /// and the caller did not choose an SLO; otherwise the caller's.
  static func objective(_ options: RecommendationOptions, fleet: FleetDefinition) -> PolicySearchObjective {
    guard options.usesScenarioLatencySLO, fleet.serving != nil, let slo = fleet.latencySLO else { return options.objective }
    let latency = ServiceLevelObjective(metric: .latencyPercentile(slo.percentile), limit: slo.latencySeconds)
    if case .weightedScore(_, let weight) = options.objective { return .weightedScore(latency, usdPerViolationUnit: weight) }
    return .minimumCost(latency)
  }

  /// The zone's clock changes between `start` and `end`, against engine time from `start`.
  static func localClock(from start: Date, to end: Date, in zone: TimeZone) -> LocalClock {
    let base = zone.secondsFromGMT(for: start)
    var shifts: [LocalClock.Shift] = []
    var after = start
    while let next = zone.nextDaylightSavingTimeTransition(after: after), next < end {
      shifts.append(LocalClock.Shift(at: next.timeIntervalSince(start), seconds: Double(zone.secondsFromGMT(for: next) - base)))
      after = next
    }
    return LocalClock(shifts: shifts)
  }
}
