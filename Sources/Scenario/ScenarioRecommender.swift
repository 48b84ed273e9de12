import Advisor
import AutoScaling
import Billing
import Forecasting
import Foundation
import Simulation
import Workload

/// What `capsim recommend` asks of the advisor, beyond the scenario itself.
public struct RecommendationOptions: Sendable {
  /// The variant whose policies are "current" (default: the first). Ignored with services.
  public var currentVariant: String?
  public var objective = PolicySearchObjective.minimumCost(ServiceLevelObjective(metric: .delayedShare, limit: 0.001))
  /// nil = `RecommendationOptions.defaultSpace(for:)`.
  public var space: PolicySearchSpace?
  /// Demand forecast used for policy search paths and commitment planning.
  public var forecastDays = 14
  public var forecastPaths = 8
  public var holidays: HolidayCalendar?
  /// Commitments: which may be bought, caps, curve and ladder.
  public var offerings = CommitmentOfferings()
  public var caps = CommitmentCaps()
  public var ladderMonths: Int?
  /// Hold out the last N days: recommend from the rest, bill these days as they happened.
  public var backtestDays: Int?
  public var workerCount: Int?
  /// How many of the cheapest SLO-meeting variants are compared with their own optimal
  /// commitments to choose the policy (1 = choose on On-Demand cost alone).
  public var commitmentAwareCandidates = 5

  public init() {}

  /// Targets 40-75% step 5 on the current target tracking policies, warm-up as is or
  /// 60/180 s, scheduled floors off or at 75% of each daily peak 30 minutes early,
  /// predictive off or on with a 300 or 600 s buffer: 8 x 3 x 2 x 3 = 144 variants.
  public static func defaultSpace(for policies: [ScalingPolicy]) -> PolicySearchSpace {
    var space = PolicySearchSpace()
    if policies.contains(where: { if case .targetTracking = $0 { true } else { false } }) {
      space.targetValues = PolicySearchSpace.range(40, through: 75, by: 5)
      space.predictive = [.off, .on(schedulingBufferSeconds: 300), .on(schedulingBufferSeconds: 600)]
    }
    if policies.contains(where: { if case .step = $0 { true } else { false } }) {
      space.stepThresholdScales = [0.8, 0.9, 1, 1.1, 1.2]
    }
    space.warmupSeconds = [60, 180, 300]
    space.scheduledFloors = [.none, .beforePeaks(leadMinutes: 30, peakShare: 0.75)]
    return space
  }
}

/// One fleet's policy recommendation.
public struct FleetRecommendation: Sendable {
  public var name: String
  public var instanceType: String
  public var region: String
  public var search: PolicySearchResult
  /// The chosen variant (the current policies when no variant meets the SLO).
  public var chosen: PolicyVariantResult
  /// The SLO-meeting variants compared with their own optimal commitments (empty when
  /// none meets the SLO); the chosen one is the cheapest here.
  public var commitmentAware: [CommitmentAwareTrial]
}

/// A variant's expected hourly cost on the forecast paths, On-Demand (and Spot) only and
/// with the commitment portfolio that is optimal for its usage.
public struct CommitmentAwareTrial: Sendable, Equatable {
  public var variantIndex: Int
  public var name: String
  public var onDemandHourlyCost: Double
  public var withCommitmentsHourlyCost: Double
}

public struct ScenarioRecommendation: Sendable {
  public var scenarioName: String
  public var file: String
  public var timeZone: TimeZone
  public var start: Date
  public var fleets: [FleetRecommendation]
  public var commitments: CommitmentAdvice
  /// How the commitment planning basis was chosen (validation on the history's tail).
  public var planningSelection: PlanningSelection
  public var backtest: CommitmentBacktest?
  public var notes: [String]
}

/// Hourly forecast paths spread over minutes with the average intra-hour shape are smoother
/// than real demand, and a fleet scales on minute-level spikes: simulated on them, a policy
/// uses fewer instances than it will. So each path hour gets the minute-by-minute texture of
/// a historical hour at the same hour of day (drawn with a seeded generator, one draw per
/// path hour): minute value = the path's hourly mean x that historical minute / its hour's
/// mean. Hourly means (what the forecast model predicts) are unchanged.
func withHistoricalTexture(_ paths: [PolicySearchDemand], history: [Double], seed: UInt64) -> [PolicySearchDemand] {
  let days = history.count / 1_440
  guard days >= 1 else { return paths }
  var random = RandomStream(seed: seed).substream(named: "recommend/texture")
  return paths.map { path in
    var demand = path.demandPerMinute
    let offsetMinutes = Int(path.dayOffsetSeconds / 60)
    var start = 0
    while start < demand.count {
      let end = min(demand.count, start + 60)
      let mean = demand[start..<end].reduce(0, +) / Double(end - start)
      let minuteOfDay = (offsetMinutes + start) % 1_440
      let day = Int(random.nextUnitDouble() * Double(days)) % days
      let source = day * 1_440 + minuteOfDay
      if source + (end - start) <= history.count {
        let sourceMean = history[source..<(source + end - start)].reduce(0, +) / Double(end - start)
        if sourceMean > 0 {
          for m in start..<end { demand[m] = mean * history[source + m - start] / sourceMean }
        }
      }
      start = end
    }
    return PolicySearchDemand(demandPerMinute: demand, dayOffsetSeconds: path.dayOffsetSeconds)
  }
}

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
    var scheduledDropped = false
    for unit in units {
      let tick = unit.demand.intervalSeconds
      guard tick == 60 else {
        throw unit.location.error(.invalidValue(field: "simulation.tick", expected: "1m for capsim recommend", found: "\(tick) s", suggestion: nil))
      }
      let allDemand = unit.demand.valuesPerMinute
      let trainCount = (allDemand.count - holdout) / 60 * 60
      guard trainCount >= 2 * 1_440 else {
        throw unit.location.error(.invalidValue(
            field: "--backtest-days", expected: "a hold-out leaving at least 2 whole days of demand",
            found: "\(allDemand.count / 1_440) days of demand, \(options.backtestDays ?? 0) held out", suggestion: nil))
      }
      let train = Array(allDemand[0..<trainCount])
      if !unit.scheduledActions.isEmpty { scheduledDropped = true }
      let seed = definition.simulation.seed
      // Demand forecast paths after a demand prefix: hourly model, minute texture.
      func demandPaths(after history: [Double], days: Int) throws -> [PolicySearchDemand] {
        let hourly = stride(from: 0, to: history.count, by: 60).map { i in history[i..<(i + 60)].reduce(0, +) / 60 }
        var configuration = SeasonalRegressionConfiguration()
        configuration.holidays = options.holidays
        let model = try SeasonalRegression.fit(
          ObservedSeries(start: prepared.start, intervalSeconds: 3_600, values: hourly),
          horizon: min(days * 24, 24 * 14), configuration: configuration)
        let smooth = try PolicySearchForecastPaths.demandPaths(
          history: history, tickSeconds: tick, model: model, days: Double(days), count: options.forecastPaths, seed: seed)
        return withHistoricalTexture(smooth, history: history, seed: seed)
      }
      let paths = try demandPaths(after: train, days: options.forecastDays)
      let pricing = try PolicySearchPricing(
        catalog: prepared.catalog, region: unit.fleet.region, instanceType: unit.fleet.instanceType,
        spotUSDPerHour: unit.spotPriceUSDPerHour
          ?? prepared.catalog.spotUSDPerHour(region: unit.fleet.region, instanceType: unit.fleet.instanceType))
      let input = PolicySearchInput(
        group: unit.group, currentPolicies: unit.policies, history: PolicySearchDemand(demandPerMinute: train),
        forecastPaths: paths, tickSeconds: tick, pricing: pricing, seed: seed)
      var configurationSearch = PolicySearchConfiguration(
        objective: options.objective, space: options.space ?? RecommendationOptions.defaultSpace(for: unit.policies))
      configurationSearch.workerCount = options.workerCount
      let search = try PolicySearch.run(input, configuration: configurationSearch)

      // Usage in normalized unit-hours: current policy on the training history (what Cost
      // Explorer sees), recommended policy on each forecast path (what we plan on) and on
      // the whole demand (what happens, for the backtest).
      guard let entry = prepared.catalog.entry(region: unit.fleet.region, instanceType: unit.fleet.instanceType) else {
        throw unit.location.error(.invalidValue(field: "fleet.instanceType", expected: "a type the price catalog lists", found: unit.fleet.instanceType, suggestion: nil))
      }
      let nf = entry.normalizationFactor
      func usage(_ variant: PolicyVariant, demand: [Double], dayOffset: SimTime, stream: String) throws -> [Double] {
        let policies = variant.policies(dayOffsetSeconds: dayOffset, durationSeconds: Double(demand.count) * tick)
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
      let meeting = search.variants.indices.filter { search.variants[$0].meetsSLO }
        .sorted { (search.variants[$0].costUSD, $0) < (search.variants[$1].costUSD, $1) }
      if search.recommended != nil && options.commitmentAwareCandidates > 1 {
        let (owned, _) = existingCommitments(prepared, pools: [key])
        for index in meeting.prefix(options.commitmentAwareCandidates) {
          let variant = search.variants[index]
          var planned: [[Double]] = []
          for (k, path) in paths.enumerated() {
            planned.append(try usage(variant.variant, demand: path.demandPerMinute, dayOffset: path.dayOffsetSeconds, stream: "recommend/\(unit.name)/path/\(k)"))
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
            withCommitmentsHourlyCost: withCommitments + spot))
        }
      }
      let best = trials.min { ($0.withCommitmentsHourlyCost, $0.onDemandHourlyCost) < ($1.withCommitmentsHourlyCost, $1.onDemandHourlyCost) }
      let chosen = best.map { search.variants[$0.variantIndex] } ?? search.recommended ?? search.current
      fleets.append(FleetRecommendation(
        name: unit.name, instanceType: unit.fleet.instanceType, region: unit.fleet.region, search: search, chosen: chosen,
        commitmentAware: trials))
      let current = try usage(search.current.variant, demand: train, dayOffset: 0, stream: "recommend/\(unit.name)/history")
      let adopted = try usage(chosen.variant, demand: train, dayOffset: 0, stream: "recommend/\(unit.name)/history")
      var planned: [[Double]] = best.flatMap { plannedByVariant[$0.variantIndex] } ?? []
      for (k, path) in paths.enumerated() where best == nil {
        planned.append(try usage(chosen.variant, demand: path.demandPerMinute, dayOffset: path.dayOffsetSeconds, stream: "recommend/\(unit.name)/path/\(k)"))
      }
      // The same forecast made `validationHours` earlier, for choosing the planning basis.
      var validation: [[Double]] = []
      if validationHours > 0 && !validationSkipped {
        let prefix = Array(train[0..<(train.count - validationHours * 60)])
        do {
          for (k, path) in try demandPaths(after: prefix, days: validationHours / 24).enumerated() {
            validation.append(try usage(chosen.variant, demand: path.demandPerMinute, dayOffset: path.dayOffsetSeconds, stream: "recommend/\(unit.name)/validation/\(k)"))
          }
        } catch {
          validationSkipped = true
          notes.append("the planning basis was not validated: no forecast from the history's first \(prefix.count / 60) hours (\(error))")
        }
      }
      let actual = holdout > 0
        ? Array(try usage(chosen.variant, demand: Array(allDemand[0..<(trainCount + holdout)]), dayOffset: 0, stream: "recommend/\(unit.name)/actual")
          .suffix(holdout / 60))
        : []
      if let p = pools.firstIndex(of: key) {
        currentHistory[p] = zip(currentHistory[p], current).map(+)
        recommendedHistory[p] = zip(recommendedHistory[p], adopted).map(+)
        trainPlanning[p] = zip(trainPlanning[p], planned).map { zip($0, $1).map(+) }
        validationPlanning[p] = zip(validationPlanning[p], validation).map { zip($0, $1).map(+) }
        if holdout > 0 { actualRecommended[p] = zip(actualRecommended[p], actual).map(+) }
      } else {
        pools.append(key)
        currentHistory.append(current)
        recommendedHistory.append(adopted)
        trainPlanning.append(planned)
        validationPlanning.append(validation)
        if holdout > 0 { actualRecommended.append(actual) }
      }
    }
    if scheduledDropped {
      notes.append("the current policies' scheduled actions are not part of the search baseline; scheduled floors are searched instead")
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
    let selection = try choosePlanningBasis(
      planner: planner, pools: pools, recommendedHistory: recommendedHistory, validationPlanning: validationPlanning,
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
    let advice = try planner.advise(
      pools: pools, history: currentHistory, start: prepared.start, catalog: prepared.catalog,
      savingsPlanRates: prepared.savingsPlanRates, notes: [planningNote],
      planningUsage: planning, planningBasis: selection.chosen.description)
    var backtest: CommitmentBacktest?
    if holdout > 0 {
      let actual = try UsagePaths(single: actualRecommended)
      let r = advice.recommendation
      let ours = try CommitmentAdvisor.realized(r.portfolio, problem: r.problem, on: actual)
      let baselines = try advice.baselines.map { b throws -> CommitmentBacktest.Line in
        let real = try b.baseline.realized(on: actual)
        return CommitmentBacktest.Line(
          label: "Cost Explorer-style \(b.baseline.lookbackDays) d, \(b.baseline.kind.rawValue)",
          hourlyCommitment: b.baseline.recommendation.hourlyCommitment,
          expectedSavingsPercent: b.baseline.recommendation.savingsPercent, realizedSavingsPercent: real.savingsPercent,
          realizedHourlyCost: real.hourlyCost)
      }
      // Cost Explorer-style again, but looking back on the usage the recommended policy
      // would have produced: isolates forecast-vs-look-back from the policy change.
      let (sameCandidates, _) = try CommitmentProblem.fromCatalog(
        pools: pools, usage: UsagePaths(single: recommendedHistory), catalog: prepared.catalog,
        savingsPlanRates: prepared.savingsPlanRates, offerings: options.offerings)
      var samePolicy: [CommitmentBacktest.Line] = []
      for days in [7, 30, 60] where days * 24 <= recommendedHistory[0].count {
        for kind in CommitmentKind.allCases {
          guard let b = try CostExplorerBaseline.recommend(history: sameCandidates, lookbackDays: days, kind: kind) else { continue }
          let real = try b.realized(on: actual)
          samePolicy.append(CommitmentBacktest.Line(
            label: "Cost Explorer-style \(days) d, \(kind.rawValue), on the recommended policy's past usage",
            hourlyCommitment: b.recommendation.hourlyCommitment, expectedSavingsPercent: b.recommendation.savingsPercent,
            realizedSavingsPercent: real.savingsPercent, realizedHourlyCost: real.hourlyCost))
        }
      }
      backtest = CommitmentBacktest(
        trainHours: currentHistory.first?.count ?? 0, testHours: holdout / 60, onDemandHourlyCost: ours.onDemandHourlyCost,
        ours: CommitmentBacktest.Line(
          label: "capsim (recommended policy, \(selection.chosen), all kinds)", hourlyCommitment: r.hourlyCommitment,
          expectedSavingsPercent: r.savingsPercent, realizedSavingsPercent: ours.savingsPercent,
          realizedHourlyCost: ours.hourlyCost),
        baselines: baselines, advice: advice)
      backtest?.samePolicyBaselines = samePolicy
    }
    return ScenarioRecommendation(
      scenarioName: definition.name, file: definition.file, timeZone: definition.timeZone, start: prepared.start,
      fleets: fleets, commitments: advice, planningSelection: selection, backtest: backtest, notes: notes)
  }
}

/// What commitments are planned on: forecast paths of the recommended policy's usage, or a
/// look-back at its simulated past usage. Chosen per run by a backtest inside the history.
public enum PlanningBasis: Sendable, Equatable, CustomStringConvertible {
  case forecast
  case lookback(days: Int)

  public var description: String {
    switch self {
    case .forecast: "forecast"
    case .lookback(let days): "look-back \(days) d"
    }
  }
}

public struct PlanningSelection: Sendable {
  public struct Trial: Sendable {
    public var basis: PlanningBasis
    public var realizedSavingsPercent: Double
  }

  public var chosen: PlanningBasis
  public var trials: [Trial]
}

extension ScenarioRecommender {
  /// Plans on each basis as of `validationHours` before the end of the training history,
  /// bills each purchase on those last hours (the recommended policy's simulated usage),
  /// and keeps the basis that saved most (ties: the forecast). The forecast needs no
  /// defending when it is right, and a look-back wins where the forecast is biased.
  static func choosePlanningBasis(
    planner: CommitmentPlanner, pools: [PoolKey], recommendedHistory: [[Double]], validationPlanning: [[[Double]]],
    validationHours: Int, catalog: PriceCatalog, rates: SavingsPlanRates, start: Date
  ) throws -> PlanningSelection {
    let total = recommendedHistory.first?.count ?? 0
    guard validationHours >= 24, total - validationHours >= 48, let paths = validationPlanning.first?.count, paths > 0 else {
      return PlanningSelection(chosen: .forecast, trials: [])
    }
    let before = recommendedHistory.map { Array($0[0..<(total - validationHours)]) }
    let after = try UsagePaths(single: recommendedHistory.map { Array($0[(total - validationHours)...]) })
    var lean = planner
    lean.lookbackDays = []
    lean.options.curveFractions = []
    lean.options.whatIfLoadFactors = []
    lean.options.ladderMonths = nil
    var candidates: [(PlanningBasis, UsagePaths)] = [
      (.forecast, try UsagePaths(paths: (0..<paths).map { k in validationPlanning.map { $0[k] } }))
    ]
    for days in [7, 30] where days * 24 <= before[0].count {
      candidates.append((.lookback(days: days), try UsagePaths(single: before).suffix(hours: days * 24)))
    }
    var trials: [PlanningSelection.Trial] = []
    for (basis, usage) in candidates {
      let advice = try lean.advise(
        pools: pools, history: before, start: start, catalog: catalog, savingsPlanRates: rates, planningUsage: usage)
      let r = advice.recommendation
      let realized = try CommitmentAdvisor.realized(r.portfolio, problem: r.problem, on: after)
      trials.append(PlanningSelection.Trial(basis: basis, realizedSavingsPercent: realized.savingsPercent))
    }
    let best = trials.max { a, b in
      a.realizedSavingsPercent < b.realizedSavingsPercent - 1e-9
    }!
    // max(by:) returns the last of equal maxima; prefer the earliest (the forecast).
    let chosen = trials.first { abs($0.realizedSavingsPercent - best.realizedSavingsPercent) <= 1e-9 }!.basis
    return PlanningSelection(chosen: chosen, trials: trials)
  }
}

extension ScenarioRecommender {
  /// The scenario's commitments in pool terms. Zonal RIs are counted against their family
  /// like regional ones (an approximation: they cover only their exact type in their zone);
  /// commitments are taken as active over the whole planning period; an EC2 Instance or
  /// Compute plan without a rate in `savingsPlanRates` is left out, with a note.
  static func existingCommitments(_ prepared: PreparedScenario, pools: [PoolKey]) -> (ExistingCommitments, [String]) {
    let catalog = prepared.catalog
    var notes: [String] = []
    let od: [Double] = pools.map { key in
      catalog.recommendedEntry(family: key.family, region: key.region).map { $0.onDemandUSDPerHour / $0.normalizationFactor } ?? 0
    }
    var units = [Double](repeating: 0, count: pools.count)
    var compute = 0.0
    var computeRate = [Double?](repeating: nil, count: pools.count)
    for ri in prepared.commitments.reservedInstances {
      guard let entry = catalog.entry(region: ri.region, instanceType: ri.instanceType),
        let p = pools.firstIndex(of: PoolKey(family: entry.family, region: ri.region))
      else { continue }
      units[p] += Double(ri.count) * entry.normalizationFactor
      if !ri.isRegional { notes.append("owned zonal RI \(ri.id) counted against all of \(entry.family) in \(ri.region)") }
    }
    for plan in prepared.commitments.savingsPlans {
      switch plan.kind {
      case .ec2Instance(let family, let region):
        guard let p = pools.firstIndex(of: PoolKey(family: family, region: region)) else { continue }
        guard let discount = prepared.savingsPlanRates.discountPercent(
          planType: .ec2Instance, family: family, region: region, term: plan.term, payment: plan.payment)
        else {
          notes.append("owned Savings Plan \(plan.id) left out: no rate for \(family) in \(region)")
          continue
        }
        units[p] += plan.commitmentUSDPerHour / (od[p] * (1 - discount / 100))
      case .compute:
        compute += plan.commitmentUSDPerHour
        for (p, key) in pools.enumerated() where computeRate[p] == nil {
          if let discount = prepared.savingsPlanRates.discountPercent(
            planType: .compute, family: key.family, region: key.region, term: plan.term, payment: plan.payment)
          {
            computeRate[p] = od[p] * (1 - discount / 100)
          }
        }
      }
    }
    let owned = ExistingCommitments(poolUnits: units, computeCommitment: compute, computeRate: computeRate, onDemandRate: od)
    if !owned.isEmpty {
      notes.insert("recommendations are for purchases on top of the scenario's commitments (\(prepared.commitments.reservedInstances.count) RIs, \(prepared.commitments.savingsPlans.count) Savings Plans): planned on the usage they leave uncovered", at: 0)
    }
    return (owned, notes)
  }
}
