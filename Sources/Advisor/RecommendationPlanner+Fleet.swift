import AutoScaling
import Billing
import Forecasting
import Foundation
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

extension RecommendationPlanner {
  /// Searches one fleet's policies on its training demand and forecast paths, chooses the
  /// variant together with its commitments, and simulates the usage of the current and
  /// chosen policies the commitment planner needs.
  /// - Parameter innovations: this fleet's share of the fleets' joint forecast randomness
  ///   (`[path][hour]`), for the forecast paths and for the validation forecast.
  func analyze(
    _ fleet: FleetPlanInput, validationHours: Int, innovations: (paths: [[Double]], validation: [[Double]])
  ) throws -> FleetOutcome {
    let tick = tickSeconds
    let holdout = holdoutMinutes
    let allDemand = fleet.demandPerMinute
    let trainCount = (allDemand.count - holdout) / 60 * 60
    let train = Array(allDemand[0..<trainCount])
    // Demand forecast paths after a demand prefix: hourly model, minute texture.
    func demandPaths(after history: [Double], days: Int, innovations: [[Double]]) throws -> [PolicySearchDemand] {
      let hourly = Self.hourlyMeans(history)
      var configuration = SeasonalRegressionConfiguration()
      configuration.holidays = holidays
      let model = try SeasonalRegression.fit(
        ObservedSeries(start: start, intervalSeconds: 3_600, values: hourly),
        horizon: min(days * 24, 24 * 14), configuration: configuration)
      let smooth = try PolicySearchForecastPaths.demandPaths(
        history: history, tickSeconds: tick, model: InnovationSampler(model: model, innovations: innovations),
        days: Double(days), count: forecastPaths, seed: seed)
      return PolicySearchDemand.withHistoricalTexture(smooth, history: history, seed: seed)
    }
    let paths = try demandPaths(after: train, days: forecastDays, innovations: innovations.paths)
    let pricing = try PolicySearchPricing(
      catalog: catalog, region: fleet.region, instanceType: fleet.instanceType,
      spotUSDPerHour: fleet.spotUSDPerHour ?? catalog.spotUSDPerHour(region: fleet.region, instanceType: fleet.instanceType))
    // The current scheduled actions, at history seconds from the demand's start through the
    // furthest series a recommendation simulates (the hold-out and forecast paths after it).
    let scheduleEnd = start.addingTimeInterval(Double(allDemand.count + forecastDays * 1_440) * tick)
    let scheduled = fleet.currentScheduledActions.map {
      ScalingPolicy.scheduled($0.scheduledAction(from: start, to: scheduleEnd, in: timeZone))
    }
    let clock = LocalClock(from: start, to: scheduleEnd, in: timeZone)
    var input = PolicySearchInput(
      group: fleet.group, currentPolicies: fleet.currentPolicies + scheduled, history: PolicySearchDemand(demandPerMinute: train),
      forecastPaths: paths, tickSeconds: tick, pricing: pricing, seed: seed)
    input.clock = clock
    input.serving = fleet.serving
    let objective = fleet.objective
    var configurationSearch = PolicySearchConfiguration(objective: objective, space: fleet.space)
    configurationSearch.workerCount = workerCount
    configurationSearch.requestLevelCandidates = requestLevelCandidates
    var search = try PolicySearch.run(input, configuration: configurationSearch)
    var searchNote: String?
    // Nothing in the space meets the SLO: before keeping policies that miss it, search
    // towards more capacity (when the caller offers a wider space).
    if search.recommended == nil, let wider = fleet.widenedSpace {
      let before = search.variants.count
      configurationSearch.space = wider
      search = try PolicySearch.run(input, configuration: configurationSearch)
      searchNote = "\(fleet.name): none of the \(before) default variants met the SLO; searched \(search.variants.count) with "
        + [wider.targetValues.map { _ in "targets down to 15" }, wider.stepThresholdScales.map { _ in "step thresholds down to half" }]
          .compactMap { $0 }.joined(separator: " and ")
        + (search.recommended == nil ? ", and none of those met it either" : "")
    }

    // Usage in normalized unit-hours: current policy on the training history (what Cost
    // Explorer sees), recommended policy on each forecast path (what we plan on) and on
    // the whole demand (what happens, for the backtest).
    let nf = fleet.normalizationFactor
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
    let key = fleet.pool
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
    if search.recommended != nil && commitmentAwareCandidates > 1 {
      let (owned, _) = ExistingCommitments.owned(ownedCommitments, pools: [key], catalog: catalog, savingsPlanRates: savingsPlanRates)
      for index in meeting.prefix(commitmentAwareCandidates) {
        let variant = search.variants[index]
        var planned: [[Double]] = []
        for (k, path) in paths.enumerated() {
          planned.append(try usage(variant.variant, demand: path.demandPerMinute, dayOffset: path.dayOffsetSeconds, start: path.startSeconds, stream: "recommend/\(fleet.name)/path/\(k)"))
        }
        plannedByVariant[index] = planned
        let residual = try owned.residual(UsagePaths(paths: planned.map { [$0] }))
        let (problems, _) = try CommitmentProblem.fromCatalog(
          pools: [key], usage: residual, catalog: catalog, savingsPlanRates: savingsPlanRates,
          offerings: offerings, caps: caps)
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
    let recommendation = FleetRecommendation(
      name: fleet.name, instanceType: fleet.instanceType, region: fleet.region, search: search, chosen: chosen,
      commitmentAware: trials, currentScheduledActions: fleet.currentScheduledActions)
    let current = try usage(search.current.variant, demand: train, dayOffset: 0, stream: "recommend/\(fleet.name)/history")
    let adopted = try usage(chosen.variant, demand: train, dayOffset: 0, stream: "recommend/\(fleet.name)/history")
    var planned: [[Double]] = best.flatMap { plannedByVariant[$0.variantIndex] } ?? []
    for (k, path) in paths.enumerated() where best == nil {
      planned.append(try usage(chosen.variant, demand: path.demandPerMinute, dayOffset: path.dayOffsetSeconds, start: path.startSeconds, stream: "recommend/\(fleet.name)/path/\(k)"))
    }
    // The same forecast made `validationHours` earlier, for choosing the planning basis.
    var validation: [[Double]] = []
    var validationFailure: String?
    if validationHours > 0 {
      let prefix = Array(train[0..<(train.count - validationHours * 60)])
      do {
        for (k, path) in try demandPaths(after: prefix, days: validationHours / 24, innovations: innovations.validation).enumerated() {
          validation.append(try usage(chosen.variant, demand: path.demandPerMinute, dayOffset: path.dayOffsetSeconds, start: path.startSeconds, stream: "recommend/\(fleet.name)/validation/\(k)"))
        }
      } catch {
        validation = []
        validationFailure = "the planning basis was not validated: no forecast from the history's first \(prefix.count / 60) hours (\(error))"
      }
    }
    let actual = holdout > 0
      ? Array(try usage(chosen.variant, demand: Array(allDemand[0..<(trainCount + holdout)]), dayOffset: 0, stream: "recommend/\(fleet.name)/actual")
        .suffix(holdout / 60))
      : []
    return FleetOutcome(
      recommendation: recommendation, pool: key, currentUsage: current, adoptedUsage: adopted, plannedUsage: planned,
      validationUsage: validation, validationFailure: validationFailure, searchNote: searchNote, actualUsage: actual)
  }
}
