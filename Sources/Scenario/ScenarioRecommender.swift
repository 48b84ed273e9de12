import Advisor
import AutoScaling
import Billing
import Foundation
import Parallel
import Results

/// `capsim recommend`: the scenario's fleets (its services, or its current variant) as the
/// advisor's `RecommendationPlanner` takes them, checked here so errors point at the YAML;
/// the planner searches policies, chooses them with their commitments and plans the
/// purchase (see its documentation). With `backtestDays`, all of it is done on the history
/// without its last days, and the purchases are billed on those days as they happened.
public enum ScenarioRecommender {
  public static func recommend(
    _ prepared: PreparedScenario, options given: RecommendationOptions
  ) throws -> ScenarioRecommendation {
    if given.backtestOrigins > 1 { return try recommendFromOrigins(prepared, options: given) }
    let (planner, fleets, typeNotes) = try plannerAndFleets(prepared, options: given)
    let definition = prepared.definition
    let plan = try planner.plan(fleets)
    return ScenarioRecommendation(
      scenarioName: definition.name, file: definition.file, timeZone: definition.timeZone, start: prepared.start,
      fleets: plan.fleets, commitments: plan.commitments, planningSelection: plan.planningSelection,
      backtest: plan.backtest, notes: typeNotes + plan.notes)
  }

  /// The ranking pass of every policy search `recommend` starts with (every backtest
  /// origin's, in order), set up but not run: what `capsim recommend --shard` splits
  /// (`RecommendationPlanner.rankingSearches`). `recommend` with the runs in
  /// `options.recordedRuns` then gives exactly the unsharded recommendation.
  public static func rankingSearches(
    _ prepared: PreparedScenario, options given: RecommendationOptions
  ) throws -> [RankingSearch] {
    var searches: [RankingSearch] = []
    for (origin, options) in try originOptions(prepared, options: given) {
      let (planner, fleets, _) = try plannerAndFleets(origin, options: options)
      searches += try planner.rankingSearches(fleets)
    }
    return searches
  }

  /// The planner and its fleets, as `recommend` builds them from the scenario.
  static func plannerAndFleets(
    _ prepared: PreparedScenario, options given: RecommendationOptions
  ) throws -> (RecommendationPlanner, [FleetPlanInput], typeNotes: [String]) {
    var options = given
    // A backtest plans on exactly the held-out period.
    if let days = options.backtestDays { options.forecastDays = days }
    let definition = prepared.definition
    let names = definition.hasServices ? [] : [options.currentVariant ?? definition.variants[0].name]
    let units = try ScenarioRunner.units(prepared, variants: names)
    let holdout = (options.backtestDays ?? 0) * 1_440
    var planner = RecommendationPlanner(
      start: prepared.start, timeZone: definition.timeZone, seed: definition.simulation.seed, catalog: prepared.catalog,
      savingsPlanRates: prepared.savingsPlanRates, ownedCommitments: prepared.commitments)
    planner.forecastDays = options.forecastDays
    planner.forecastPaths = options.forecastPaths
    planner.holidays = options.holidays
    planner.holdoutMinutes = holdout
    planner.workerCount = options.workerCount
    planner.progress = options.progress
    planner.requestLevelCandidates = options.requestLevelCandidates
    planner.commitmentAwareCandidates = options.commitmentAwareCandidates
    planner.offerings = options.offerings
    planner.caps = options.caps
    planner.ladderMonths = options.ladderMonths
    planner.recordedRuns = options.recordedRuns
    planner.searchNamePrefix = options.searchNamePrefix
    try checkInstanceTypes(options.instanceTypes, units: units, file: definition.file)
    var typeNotes: [String] = []
    let fleets = try units.map { unit throws(ScenarioError) in
      var input = try planInput(unit, catalog: prepared.catalog, options: options, holdout: holdout)
      let (others, note) = try otherInstanceTypes(unit, catalog: prepared.catalog, narrowedTo: options.instanceTypes)
      input.otherInstanceTypes = others
      if let note { typeNotes.append(note) }
      return input
    }
    return (planner, fleets, typeNotes)
  }

  /// `--types`: every type named must be in some fleet's capacity map.
  static func checkInstanceTypes(
    _ names: [String]?, units: [ScenarioRunner.FleetUnit], file: String
  ) throws(ScenarioError) {
    guard let names else { return }
    let listed = units.flatMap { $0.fleet.capacityByType.map(\.instanceType) + [$0.fleet.instanceType] }
    if let unknown = names.first(where: { !listed.contains($0) }) {
      var seen = Set<String>()
      let known = listed.filter { seen.insert($0).inserted }
      throw SourceLocation(file: file, line: 0, column: 0).error(.invalidValue(
        field: "instanceTypes",
        expected: "instance types the scenario's capacity.unitsPerMinute lists (\(known.joined(separator: ", ")))",
        found: "'\(unknown)'", suggestion: Suggestion.closest(to: unknown, among: known)))
    }
  }

  /// The types the fleet's capacity map lists beside its own (in file order, narrowed to
  /// `narrowedTo` when given), each as the planner searches it. Every one must be priced in
  /// the catalog for the fleet's region: the error points at its capacity entry. A fleet
  /// whose capacity follows from `serving:` is searched on its own type only (the serving
  /// model is one type's), with a note when its capacity map lists others.
  static func otherInstanceTypes(
    _ unit: ScenarioRunner.FleetUnit, catalog: PriceCatalog, narrowedTo names: [String]?
  ) throws(ScenarioError) -> ([InstanceTypeOption], note: String?) {
    let fleet = unit.fleet
    let others = fleet.capacityByType.filter { entry in
      entry.instanceType != fleet.instanceType && (names?.contains(entry.instanceType) ?? true)
    }
    guard !others.isEmpty else { return ([], nil) }
    guard unit.group.instanceTypes.isEmpty else {
      return ([], "\(unit.name): instance types not searched one by one: the group already launches several "
        + "(\(unit.group.instanceTypes.map(\.instanceType).joined(separator: ", "))), priced each at its own rates")
    }
    guard fleet.serving == nil else {
      return ([], "\(unit.name): instance types other than \(fleet.instanceType) not searched: its capacity follows from "
        + "its serving block, which describes \(fleet.instanceType) only")
    }
    var options: [InstanceTypeOption] = []
    for entry in others {
      guard let price = catalog.entry(region: fleet.region, instanceType: entry.instanceType) else {
        let known = catalog.entries.filter { $0.region == fleet.region }.map(\.instanceType)
        throw entry.location.error(.invalidValue(
          field: "capacity.unitsPerMinute",
          expected: "an instance type the price catalog lists for \(fleet.region) (capsim recommend searches every type listed here)",
          found: "'\(entry.instanceType)'", suggestion: Suggestion.closest(to: entry.instanceType, among: known)))
      }
      options.append(InstanceTypeOption(
        instanceType: entry.instanceType, pool: PoolKey(family: price.family, region: fleet.region),
        normalizationFactor: price.normalizationFactor, capacityUnitsPerMinute: entry.unitsPerMinute))
    }
    return (options, nil)
  }

  /// One fleet as the planner takes it, after the checks that need the YAML's location: a
  /// one-minute tick, 3 whole days of demand to forecast from, a type the catalog lists.
  static func planInput(
    _ unit: ScenarioRunner.FleetUnit, catalog: PriceCatalog, options: RecommendationOptions, holdout: Int
  ) throws(ScenarioError) -> FleetPlanInput {
    let tick = unit.demand.intervalSeconds
    guard tick == 60 else {
      throw unit.location.error(.invalidValue(field: "simulation.tick", expected: "1m for capsim recommend", found: "\(tick) s", suggestion: nil))
    }
    let allDemand = unit.demand.valuesPerMinute
    // The demand forecast behind the search paths needs 60 hourly points (2.5 days).
    guard (allDemand.count - holdout) / 60 * 60 >= 3 * 1_440 else {
      throw unit.location.error(
        holdout > 0
          ? .invalidValue(
            field: "backtestDays", expected: "a hold-out leaving at least 3 whole days of demand to forecast from",
            found: "\(allDemand.count / 1_440) days of demand, \(options.backtestDays ?? 0) held out", suggestion: nil)
          : .invalidValue(
            field: "demand", expected: "at least 3 whole days of demand for capsim recommend to forecast from",
            found: "\(Double(allDemand.count) / 1_440) days", suggestion: nil))
    }
    guard let entry = catalog.entry(region: unit.fleet.region, instanceType: unit.fleet.instanceType) else {
      throw unit.location.error(.invalidValue(field: "fleet.instanceType", expected: "a type the price catalog lists", found: unit.fleet.instanceType, suggestion: nil))
    }
    return FleetPlanInput(
      name: unit.name, instanceType: unit.fleet.instanceType, region: unit.fleet.region,
      pool: PoolKey(family: entry.family, region: unit.fleet.region), normalizationFactor: entry.normalizationFactor,
      // As the run simulates it: Spot Advisor rates and the types' allocation resolved.
      group: try ScenarioRunner.disruptedGroup(unit, catalog: catalog, scope: .all), currentPolicies: unit.policies, currentScheduledActions: unit.scheduledActions,
      demandPerMinute: allDemand, serving: unit.fleet.serving, spotUSDPerHour: unit.spotPriceUSDPerHour,
      objective: objective(options, fleet: unit.fleet),
      space: options.space ?? RecommendationOptions.defaultSpace(for: unit.policies),
      // A space the user narrowed is searched as given; the default one widens towards capacity.
      widenedSpace: options.space == nil ? RecommendationOptions.widenedSpace(for: unit.policies) : nil)
  }

  /// The fleet's objective: its scenario latency SLO when it has one (and a serving model)
  /// and the caller did not choose an SLO; otherwise the caller's.
  static func objective(_ options: RecommendationOptions, fleet: FleetDefinition) -> PolicySearchObjective {
    guard options.usesScenarioLatencySLO, fleet.serving != nil, let slo = fleet.latencySLO else { return options.objective }
    let latency = ServiceLevelObjective(metric: .latencyPercentile(slo.percentile), limit: slo.latencySeconds)
    if case .weightedScore(_, let weight) = options.objective { return .weightedScore(latency, usdPerViolationUnit: weight) }
    return .minimumCost(latency)
  }
}

extension ScenarioRecommender {
  /// Simulates the ranking runs `runs` (ascending indices into all of `searches`' runs,
  /// search after search) in parallel on `workers` threads; results in `runs`' order.
  public static func rankingRuns(
    _ searches: [RankingSearch], runs: [Int], workers: Int? = nil
  ) throws(AdvisorError) -> [RecommendShardRun] {
    var offsets: [Int] = []
    var total = 0
    for search in searches {
      offsets.append(total)
      total += search.runs.runCount
    }
    let located = runs.map { run -> (search: Int, job: Int) in
      precondition((0..<total).contains(run), "run \(run) of \(total)")
      var low = 0
      var high = offsets.count - 1
      while low < high {
        let middle = (low + high + 1) / 2
        if offsets[middle] <= run { low = middle } else { high = middle - 1 }
      }
      return (low, run - offsets[low])
    }
    return try Parallel.map(count: runs.count, workers: workers) { position throws(AdvisorError) in
      let (s, job) = located[position]
      return RecommendShardRun(
        run: runs[position], key: searches[s].key(ofRun: job), evaluation: try searches[s].evaluate(job))
    }
  }
}
