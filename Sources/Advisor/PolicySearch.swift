import AutoScaling
import Billing
import Foundation
import Parallel
import Simulation

/// Policy search (issue 5): simulates variants of one fleet's scaling policies on the
/// demand history and on forecast sample paths, in parallel, and recommends the cheapest
/// variant that keeps the service level on both.
///
///     var space = PolicySearchSpace()
///     space.targetValues = PolicySearchSpace.range(40, through: 75, by: 5)
///     space.scheduledFloors = [.none, .beforePeaks(leadMinutes: 30, peakShare: 0.75)]
///     let result = try PolicySearch.run(
///       input,  // group, current policies, history, forecast paths, prices, seed
///       configuration: PolicySearchConfiguration(
///         objective: .minimumCost(ServiceLevelObjective(metric: .delayedShare, limit: 0.001)),
///         space: space))
///     print(result.summary)
///
/// Semantics (decisions documented once, here):
/// - **Runs.** Every variant, and the current policies, run once on the history and once
///   on every forecast path (`FleetSimulator`, fluid fidelity). Each run is one job; jobs
///   run on `workerCount` threads and write their result by index.
/// - **Determinism.** A run's random stream is derived from `PolicySearchInput.seed` and
///   the demand series only (`"policy-search/history"`, `"policy-search/path/<k>"`), never
///   from the scheduling order: results are byte-identical for any worker count. Every
///   variant sees the same stream on the same series (common random numbers), so launch
///   jitter does not make two variants differ by luck.
/// - **Cost.** Billing's per-second rule priced on the run's instance lifetimes
///   (`PolicySearchPricing`), plus the EBS storage of a stopped or hibernated warm pool as
///   the bill charges it (`PolicyRunEvaluation.warmPoolStorageUSD`).
/// - **SLO figure** of a variant (`PolicyVariantResult.sloValue`): the larger of the
///   history's figure and the `pathQuantile` quantile (nearest rank, default P90) of the
///   paths' figures. So a variant meets the SLO when it holds on the history AND on at
///   least that share of the paths. Without paths it is the history's figure.
/// - **Cost figure** (`PolicyVariantResult.costUSD`): the history's cost, what the variant
///   would have cost on known demand. The paths' mean and P10/P50/P90 costs are reported
///   beside it (`ForecastPathSummary`) but do not rank, since paths may be shorter or
///   longer than the history.
/// - **Recommendation.** `.minimumCost`: the cheapest variant meeting the SLO (ties: the
///   lower SLO figure, then the lower index). If none meets it, the result says so and
///   names the closest: the lowest SLO figure (ties: cheaper, then lower index).
///   `.weightedScore`: the lowest `costUSD + usdPerViolationUnit × violation`.
/// - **Pareto front** of (cost figure, SLO figure), both minimized: the variants no other
///   variant beats on both, sorted by cost ascending (so SLO figures strictly descending);
///   of variants with equal figures only the lowest index is kept.
public enum PolicySearch {
  /// Runs the search. Errors (`AdvisorError.invalidInput`) name the field, what was
  /// expected and what was found, and are raised before any simulation runs.
  /// The most simulated fleet-days (variants × the days of the history and every path) one
  /// search runs: at about 0.13 ms per fleet-day at 1-minute ticks, some 5 minutes of CPU.
  public static let maximumSimulatedFleetDays = 2_000_000.0

  /// - Complexity: (variants + 1) × (paths + 1) fleet simulations, spread over the workers.
  public static func run(
    _ input: PolicySearchInput, configuration: PolicySearchConfiguration
  ) throws(AdvisorError) -> PolicySearchResult {
    let setup = try SearchRuns(input, configuration: configuration)
    let all = setup.all
    let series = setup.series
    let workers = setup.workers
    let objective = configuration.objective
    let latencySLO = setup.latencySLO

    /// Every (variant, series) run of `variantIndices` at `fidelity`, evaluated.
    func evaluate(_ variantIndices: [Int], fidelity: Fidelity) throws(AdvisorError) -> [[PolicyRunEvaluation]] {
      let tally = configuration.progress.map { ProgressTally(total: variantIndices.count * series.count, report: $0) }
      let runs: [Result<PolicyRunEvaluation, AutoScalingError>] = Parallel.map(
        count: variantIndices.count * series.count, workers: workers
      ) { job in
        defer { tally?.finishOne() }
        let v = variantIndices[job / series.count]
        let s = job % series.count
        let key = PolicyRunLedger.Key(search: configuration.searchName, fidelity: fidelity, variant: v, series: s)
        if let recorded = configuration.recordedRuns?.take(key) { return .success(recorded) }
        return setup.evaluate(variant: v, series: s, fidelity: fidelity)
      }
      var evaluations: [[PolicyRunEvaluation]] = []
      evaluations.reserveCapacity(variantIndices.count)
      for (position, v) in variantIndices.enumerated() {
        var row: [PolicyRunEvaluation] = []
        for s in series.indices {
          switch runs[position * series.count + s] {
          case .success(let evaluation): row.append(evaluation)
          case .failure(let error): throw setup.failure(variant: v, series: s, error)
          }
        }
        evaluations.append(row)
      }
      return evaluations
    }

    // A latency objective ranks in queueing fidelity (fast), then decides in requests fidelity.
    let rankingFidelity = setup.rankingFidelity
    let evaluations = try evaluate(Array(all.indices), fidelity: rankingFidelity)
    var results = all.indices.map { v in
      PolicyVariantResult(
        variant: all[v], history: evaluations[v][0], paths: Array(evaluations[v].dropFirst()),
        objective: objective, pathQuantile: configuration.pathQuantile, fidelity: rankingFidelity)
    }
    var checked: [Int] = []
    if latencySLO != nil {
      let order = requestLevelOrder(
        Array(results.dropLast()), objective: objective, margin: configuration.requestLevelMargin)
      var rerun = [all.count - 1]  // the current policies, for the comparison
      var remaining = order
      // Rounds of candidates, best first, until one meets the SLO request by request (a
      // weighted objective needs one round: it ranks by score, met or not). After a round
      // whose candidates all miss, the rest are judged by their queueing figure times the
      // request-level / queueing ratio measured on the re-run variant with the nearest
      // queueing figure (the current policies included), and only those predicted within
      // the limit stay candidates, cheapest first (or, when none is, the closest ones).
      for _ in 0..<configuration.requestLevelRounds {
        let next = Array(remaining.prefix(configuration.requestLevelCandidates))
        if next.isEmpty { break }
        rerun += next
        let requestLevel = try evaluate(rerun, fidelity: .requests)
        for (position, v) in rerun.enumerated() {
          var result = PolicyVariantResult(
            variant: all[v], history: requestLevel[position][0], paths: Array(requestLevel[position].dropFirst()),
            objective: objective, pathQuantile: configuration.pathQuantile, fidelity: .requests)
          result.ranking = results[v].ranking ?? results[v]
          results[v] = result
        }
        checked += next
        rerun = []
        if objective.isWeightedScore || next.contains(where: { results[$0].meetsSLO }) { break }
        // (queueing figure, request-level / queueing) of every re-run variant.
        let measured = (checked + [all.count - 1]).compactMap { v -> (Double, Double)? in
          guard let q = results[v].ranking?.sloValue, q > 0, q.isFinite, results[v].sloValue.isFinite else { return nil }
          return (q, results[v].sloValue / q)
        }
        /// The request-level figure a variant may have: its queueing figure times the ratio
        /// measured on the re-run variant whose queueing figure is nearest (in log).
        func predicted(_ v: Int) -> Double {
          let q = results[v].sloValue
          guard q > 0, let nearest = measured.min(by: { abs(log($0.0 / q)) < abs(log($1.0 / q)) }) else { return q }
          return q * nearest.1
        }
        let limit = objective.serviceLevel.limit
        let untried = remaining.dropFirst(next.count)
        let within = untried.filter { predicted($0) <= limit }
        remaining = within.isEmpty
          ? untried.sorted { (predicted($0), $0) < (predicted($1), $1) } : Array(within)
      }
      checked.sort()
    }
    return PolicySearchResult(
      objective: objective, pathQuantile: configuration.pathQuantile,
      current: results[results.count - 1], variants: Array(results.dropLast()), requestLevelVariants: checked)
  }

  /// What every run of one search shares, set up and checked once: the variants (the
  /// current policies last), the demand series (the history, then the paths), their
  /// predictive forecasts and random streams. `evaluate` runs one (variant, series) pair;
  /// `run` and the shards of `capsim recommend --shard` (`RecommendationPlanner.rankingSearches`)
  /// both go through it, so a run recorded in a shard is exactly the run the search makes.
  public struct SearchRuns: Sendable {
    let input: PolicySearchInput
    let all: [PolicyVariant]
    let series: [PolicySearchDemand]
    let forecasts: [PredictiveLoadForecast?]
    let streams: [RandomStream]
    let metric: ServiceLevelMetric
    let needsTimeline: Bool
    let latencySLO: LatencySLO?
    let workers: Int

    /// Validates the input and configuration (errors before any simulation) and builds
    /// the shared parts.
    public init(_ input: PolicySearchInput, configuration: PolicySearchConfiguration) throws(AdvisorError) {
      try configuration.validate()
      try input.validate()
      let variants = try PolicySearch.variants(for: input, space: configuration.space)
      let current = PolicyVariant.current(group: input.group, policies: input.currentPolicies)
      let all = variants + [current]
      let isLatency = if case .latencyPercentile = configuration.objective.serviceLevel.metric { true } else { false }
      if isLatency && input.serving == nil {
        throw .invalidInput("policy search: a latency objective needs the fleet's serving model (workers, service time)")
      }
      try PolicySearch.validateRuns(all, input: input, fidelity: isLatency ? .requests : .fluid)

      let workers = configuration.workerCount ?? ProcessInfo.processInfo.activeProcessorCount
      let series = [input.history] + input.forecastPaths
      // Bounded work: time grows with variants x simulated days, so an absurd request is
      // refused up front (naming the limit) rather than left running for hours.
      let seriesDays = series.reduce(0.0) { $0 + Double($1.demandPerMinute.count) * input.tickSeconds / 86_400 }
      let fleetDays = Double(all.count) * seriesDays
      guard fleetDays <= PolicySearch.maximumSimulatedFleetDays else {
        throw .invalidInput(
          "policy search: \(all.count) variants x \(series.count) demand series (the history and \(input.forecastPaths.count) forecast paths, \(Int(seriesDays.rounded())) days in all) come to \(Int(fleetDays.rounded())) simulated fleet-days, more than the \(Int(PolicySearch.maximumSimulatedFleetDays)) allowed (about 5 minutes on 2 cores); give fewer variants, paths or forecast days")
      }
      let needsPredictive = all.contains { $0.policies.contains(where: \.isPredictive) }
      let forecaster = configuration.predictiveForecaster
      // The predictive load forecast depends only on demand: built once per series.
      forecasts = Parallel.map(count: series.count, workers: workers) { s in
        guard needsPredictive else { return nil }
        return series[s].predictiveForecast
          ?? PredictiveLoadForecast(
            demandPerMinute: series[s].demandPerMinute, tickSeconds: input.tickSeconds, forecaster: forecaster)
      }
      let root = RandomStream(seed: input.seed)
      streams = (0..<series.count).map { s in
        root.substream(named: s == 0 ? "policy-search/history" : "policy-search/path/\(s - 1)")
      }
      let objective = configuration.objective
      metric = objective.serviceLevel.metric
      needsTimeline = if case .minutesAboveCPU(let threshold) = metric { threshold != 80 } else { false }
      latencySLO = metric.latencySLO(limit: objective.serviceLevel.limit)
      self.input = input
      self.all = all
      self.series = series
      self.workers = workers
    }

    /// Variants (the current policies last) times demand series.
    public var runCount: Int { all.count * series.count }
    /// The variants' count, the current policies included (the last index).
    public var variantCount: Int { all.count }
    public var seriesCount: Int { series.count }
    /// The fidelity every variant is ranked in: fluid, or queueing for a latency objective
    /// (which then re-runs the best few request by request).
    public var rankingFidelity: Fidelity { latencySLO == nil ? .fluid : .queueing }

    /// Variant `v` on series `s` (the history is 0) at `fidelity`, simulated and priced.
    public func evaluate(variant v: Int, series s: Int, fidelity: Fidelity) -> Result<PolicyRunEvaluation, AutoScalingError> {
      let variant = all[v]
      let demand = series[s]
      let tick = input.tickSeconds
      let policies = variant.policies(
        dayOffsetSeconds: demand.dayOffsetSeconds, durationSeconds: Double(demand.demandPerMinute.count) * tick,
        startSeconds: demand.startSeconds, clock: input.clock)
      let simulation = FleetSimulationInput(
        group: variant.group, policies: policies, demandPerMinute: demand.demandPerMinute, tickSeconds: tick,
        random: streams[s], recordsTimeline: needsTimeline,
        predictiveForecast: policies.contains(where: \.isPredictive) ? forecasts[s] : nil, fidelity: fidelity,
        serving: fidelity == .fluid ? nil : input.serving, latencySLO: latencySLO)
      return Result { () throws(AutoScalingError) in
        let result = try FleetSimulator.run(simulation)
        let storage = try PolicyRunEvaluation.warmPoolStorageUSD(
          result, pool: variant.group.warmPool, start: input.start.addingTimeInterval(demand.startSeconds))
        return PolicyRunEvaluation(result, metric: metric, pricing: input.pricing, ebsStorageUSD: storage)
      }
    }

    /// The error a failed run becomes, naming the variant and the series.
    public func failure(variant v: Int, series s: Int, _ error: AutoScalingError) -> AdvisorError {
      .invalidInput("policy search: variant '\(all[v].name)' on \(s == 0 ? "the history" : "forecast path \(s - 1)"): \(error)")
    }
  }

  /// The order in which a latency objective re-runs variants in requests fidelity: by the
  /// objective's order on the queueing figures (cost, or score), those whose queueing
  /// latency is within `margin` times the limit (the queueing model may err either way);
  /// when none is, all by queueing latency, closest first. Of variants with identical
  /// ranking figures only the first is listed.
  static func requestLevelOrder(
    _ results: [PolicyVariantResult], objective: PolicySearchObjective, margin: Double
  ) -> [Int] {
    let limit = objective.serviceLevel.limit
    let order = results.indices.sorted {
      objective.isWeightedScore
        ? (results[$0].score, results[$0].sloValue, $0) < (results[$1].score, results[$1].sloValue, $1)
        : (results[$0].costUSD, results[$0].sloValue, $0) < (results[$1].costUSD, results[$1].sloValue, $1)
    }
    let near = order.filter { results[$0].sloValue <= limit * margin }
    let ordered = near.isEmpty ? results.indices.sorted { (results[$0].sloValue, $0) < (results[$1].sloValue, $1) } : near
    // Variants that behaved identically in the ranking pass (a warm-up that changes
    // nothing, say) are re-run once: the first of them stands for the rest.
    var seen = Set<[Double]>()
    return ordered.filter { v in
      let r = results[v]
      return seen.insert([r.costUSD, r.sloValue, r.history.meanInstances] + r.paths.map(\.costUSD)).inserted
    }
  }

  /// Validates every variant's simulation input on the history and every path's demand,
  /// so that no error can surface from inside the parallel part.
  static func validateRuns(
    _ variants: [PolicyVariant], input: PolicySearchInput, fidelity: Fidelity = .fluid
  ) throws(AdvisorError) {
    let history = input.history
    for variant in variants {
      let simulation = FleetSimulationInput(
        group: variant.group,
        policies: variant.policies(
          dayOffsetSeconds: 0, durationSeconds: Double(history.demandPerMinute.count) * input.tickSeconds,
          clock: input.clock),
        demandPerMinute: history.demandPerMinute, tickSeconds: input.tickSeconds, random: RandomStream(seed: 0),
        predictiveForecast: history.predictiveForecast, fidelity: fidelity, serving: fidelity == .fluid ? nil : input.serving)
      do { try simulation.validate() } catch {
        throw .invalidInput("policy search: variant '\(variant.name)': \(error)")
      }
    }
    for (k, path) in input.forecastPaths.enumerated() {
      let simulation = FleetSimulationInput(
        group: input.group, policies: [], demandPerMinute: path.demandPerMinute, tickSeconds: input.tickSeconds,
        random: RandomStream(seed: 0), predictiveForecast: path.predictiveForecast)
      do { try simulation.validate() } catch {
        throw .invalidInput("policy search: forecastPaths[\(k)]: \(error)")
      }
    }
  }
}

/// One demand series the variants run on: the history or one forecast sample path.
public struct PolicySearchDemand: Sendable, Equatable {
  /// Mean demand rate of each tick, units per minute (finite, >= 0).
  public var demandPerMinute: [Double]
  /// The predictive load forecast of exactly this series (nil: built by the search, once
  /// per series, when a variant uses predictive scaling).
  public var predictiveForecast: PredictiveLoadForecast?
  /// Where in the history's day this series starts, seconds in [0, 86400): 0 for the
  /// history; for a path that follows the history, the history's length modulo a day.
  /// Places the daily scheduled floors at the same time of day on every series.
  public var dayOffsetSeconds: SimTime
  /// Seconds from the history's first tick to this series' first tick: 0 for the history;
  /// for a path that follows the history, the history's length. Moves the current
  /// scheduled actions (whose firing times are history seconds) onto this series.
  public var startSeconds: SimTime

  public init(
    demandPerMinute: [Double], predictiveForecast: PredictiveLoadForecast? = nil, dayOffsetSeconds: SimTime = 0,
    startSeconds: SimTime = 0
  ) {
    self.demandPerMinute = demandPerMinute
    self.predictiveForecast = predictiveForecast
    self.dayOffsetSeconds = dayOffsetSeconds
    self.startSeconds = startSeconds
  }
}

/// Prices of the group's instance type, USD per instance-hour.
public struct PolicySearchPricing: Sendable, Equatable {
  public var onDemandUSDPerHour: Double
  /// Needed when the group launches Spot (`onDemandPercentageAboveBaseCapacity` < 100).
  public var spotUSDPerHour: Double?
  /// A group with several instance types: each type's prices, in the group's
  /// `instanceTypes` order (lifetimes are priced by their `typeIndex`); empty: one type.
  public var typePrices: [TypePrice] = []

  public struct TypePrice: Sendable, Equatable {
    public var onDemandUSDPerHour: Double
    public var spotUSDPerHour: Double?

    public init(onDemandUSDPerHour: Double, spotUSDPerHour: Double?) {
      self.onDemandUSDPerHour = onDemandUSDPerHour
      self.spotUSDPerHour = spotUSDPerHour
    }
  }

  public init(onDemandUSDPerHour: Double, spotUSDPerHour: Double? = nil) {
    self.onDemandUSDPerHour = onDemandUSDPerHour
    self.spotUSDPerHour = spotUSDPerHour
  }

  /// The catalog's On-Demand Linux price for the type in the region, and its average Spot
  /// price when the catalog has one (else `spotUSDPerHour`).
  public init(catalog: PriceCatalog, region: String, instanceType: String, spotUSDPerHour: Double? = nil) throws(AdvisorError) {
    do {
      let entry = try catalog.requireEntry(region: region, instanceType: instanceType)
      self.init(onDemandUSDPerHour: entry.onDemandUSDPerHour, spotUSDPerHour: entry.spotAverageUSDPerHour ?? spotUSDPerHour)
    } catch {
      throw .invalidInput("policy search: no price for \(instanceType) in \(region): \(error)")
    }
  }
}

/// The fleet and the demand a search runs on.
public struct PolicySearchInput: Sendable {
  /// The group as configured now; variants change its warm-up only.
  public var group: GroupConfiguration
  /// The policies in force now (the baseline the recommendation is compared with).
  /// Scheduled actions in it fire at history seconds (expanded far enough to cover the
  /// paths: a path starting `startSeconds` into the history sees them shifted by that).
  /// Variants keep them, except those with floors before the peaks, which replace them.
  public var currentPolicies: [ScalingPolicy]
  public var history: PolicySearchDemand
  /// Forecast sample paths (e.g. from `PolicySearchForecastPaths.demandPaths`); may be empty.
  public var forecastPaths: [PolicySearchDemand]
  /// Seconds per demand value (60 for per-minute demand).
  public var tickSeconds: SimTime
  public var pricing: PolicySearchPricing
  /// How one instance serves requests: needed by a latency objective (queueing and
  /// requests fidelity), unused otherwise.
  public var serving: ServingModel?
  /// Root of every run's random stream.
  public var seed: UInt64
  /// Local time against engine time (daylight saving): where daily peaks and floors fall.
  public var clock = LocalClock()
  /// The instant of the history's first tick: the calendar month a warm pool's EBS storage
  /// is prorated over (Billing's rule); a path starts `startSeconds` after it.
  public var start = Date(timeIntervalSince1970: 0)

  public init(
    group: GroupConfiguration, currentPolicies: [ScalingPolicy], history: PolicySearchDemand,
    forecastPaths: [PolicySearchDemand] = [], tickSeconds: SimTime = 60, pricing: PolicySearchPricing, seed: UInt64
  ) {
    self.group = group
    self.currentPolicies = currentPolicies
    self.history = history
    self.forecastPaths = forecastPaths
    self.tickSeconds = tickSeconds
    self.pricing = pricing
    self.seed = seed
  }

  func validate() throws(AdvisorError) {
    func fail(_ field: String, _ expected: String, _ found: String) -> AdvisorError {
      .invalidInput("policy search: '\(field)' should be \(expected), found \(found)")
    }
    if history.demandPerMinute.isEmpty { throw fail("history.demandPerMinute", "at least one value", "none") }
    for (k, path) in forecastPaths.enumerated() where path.demandPerMinute.isEmpty {
      throw fail("forecastPaths[\(k)].demandPerMinute", "at least one value", "none")
    }
    for (name, demand) in [("history", history)] + forecastPaths.enumerated().map({ ("forecastPaths[\($0)]", $1) }) {
      if !(demand.dayOffsetSeconds >= 0 && demand.dayOffsetSeconds < 86_400) {
        throw fail("\(name).dayOffsetSeconds", "seconds in [0, 86400)", "\(demand.dayOffsetSeconds)")
      }
      if !(demand.startSeconds >= 0 && demand.startSeconds.isFinite) {
        throw fail("\(name).startSeconds", "finite seconds >= 0", "\(demand.startSeconds)")
      }
    }
    if !(pricing.onDemandUSDPerHour >= 0 && pricing.onDemandUSDPerHour.isFinite) {
      throw fail("pricing.onDemandUSDPerHour", "a finite price >= 0", "\(pricing.onDemandUSDPerHour)")
    }
    if let spot = pricing.spotUSDPerHour, !(spot >= 0 && spot.isFinite) {
      throw fail("pricing.spotUSDPerHour", "a finite price >= 0", "\(spot)")
    }
    if let serving {
      do { try serving.validate() } catch { throw .invalidInput("policy search: \(error)") }
    }
    if group.onDemandPercentageAboveBaseCapacity < 100 && pricing.spotUSDPerHour == nil {
      throw fail(
        "pricing.spotUSDPerHour", "a Spot price, since the group launches Spot above its On-Demand base",
        "none")
    }
  }
}

/// How a search decides, and how it runs.
public struct PolicySearchConfiguration: Sendable {
  public var objective: PolicySearchObjective
  public var space: PolicySearchSpace
  /// The quantile of the paths' SLO figures that must be within the limit, in 0.5...1
  /// (nearest rank): 0.9 = the SLO holds on at least 90% of the paths; 1 = on every path.
  public var pathQuantile: Double
  /// Threads running simulations (>= 1); nil = the active processor count. The result
  /// does not depend on it.
  public var workerCount: Int?
  /// Builds the predictive load forecast of a series that comes without one.
  public var predictiveForecaster: any PredictiveLoadForecaster
  /// Latency objective: how many of the best variants (by the queueing figures) are re-run
  /// in requests fidelity per round, which then decides (>= 1).
  public var requestLevelCandidates = 5
  /// Latency objective: rounds of re-runs at most, each taking the next candidates, until
  /// one meets the SLO request by request (>= 1).
  public var requestLevelRounds = 4
  /// Latency objective: a variant is a candidate for the re-run when its queueing latency
  /// is at most this many times the limit (>= 1).
  public var requestLevelMargin = 1.5
  /// Told `(done, total)` simulations as they finish (from the worker threads, in any
  /// order of jobs but with `done` increasing), e.g. for a progress line; nil for none.
  public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
  /// Runs already made elsewhere (the parts of a sharded `capsim recommend`), taken instead
  /// of simulating when their key (`searchName`, fidelity, variant, series) matches; nil:
  /// every run is simulated here.
  public var recordedRuns: PolicyRunLedger?
  /// This search's name in `recordedRuns` (the planner's: fleet, instance type, space).
  public var searchName = ""

  public init(
    objective: PolicySearchObjective, space: PolicySearchSpace, pathQuantile: Double = 0.9, workerCount: Int? = nil,
    predictiveForecaster: any PredictiveLoadForecaster = SeasonalRegressionLoadForecaster()
  ) {
    self.objective = objective
    self.space = space
    self.pathQuantile = pathQuantile
    self.workerCount = workerCount
    self.predictiveForecaster = predictiveForecaster
  }

  func validate() throws(AdvisorError) {
    func fail(_ field: String, _ expected: String, _ found: String) -> AdvisorError {
      .invalidInput("policy search: '\(field)' should be \(expected), found \(found)")
    }
    let slo = objective.serviceLevel
    switch slo.metric {
    case .minutesAboveCPU(let threshold):
      if !(threshold >= 0 && threshold <= 100) {
        throw fail("objective.metric.thresholdPercent", "a CPU percentage in 0...100", "\(threshold)")
      }
      if !(slo.limit >= 0 && slo.limit <= 1_440) {
        throw fail("objective.limit", "minutes per day in 0...1440", "\(slo.limit)")
      }
    case .delayedShare:
      if !(slo.limit >= 0 && slo.limit <= 1) { throw fail("objective.limit", "a share of demand in 0...1", "\(slo.limit)") }
    case .latencyPercentile(let percentile):
      if !(percentile > 0 && percentile < 100) {
        throw fail("objective.metric.percentile", "a percentile in (0, 100)", "\(percentile)")
      }
      if !(slo.limit > 0 && slo.limit <= 3_600) { throw fail("objective.limit", "seconds in (0, 3600]", "\(slo.limit)") }
    }
    if requestLevelCandidates < 1 { throw fail("requestLevelCandidates", "at least 1", "\(requestLevelCandidates)") }
    if requestLevelRounds < 1 { throw fail("requestLevelRounds", "at least 1", "\(requestLevelRounds)") }
    if !(requestLevelMargin >= 1 && requestLevelMargin.isFinite) {
      throw fail("requestLevelMargin", "a finite number >= 1", "\(requestLevelMargin)")
    }
    if case .weightedScore(_, let weight) = objective, !(weight >= 0 && weight.isFinite) {
      throw fail("objective.usdPerViolationUnit", "a finite number of USD >= 0", "\(weight)")
    }
    if !(pathQuantile >= 0.5 && pathQuantile <= 1) {
      throw fail("pathQuantile", "a quantile in 0.5...1 (0.9 for P90)", "\(pathQuantile)")
    }
    if let workers = workerCount, workers < 1 { throw fail("workerCount", "at least 1", "\(workers)") }
  }
}

/// Counts finished jobs across threads and reports about every 1% of them (and the last).
final class ProgressTally: @unchecked Sendable {
  private let lock = NSLock()
  private var done = 0
  private let total: Int
  private let step: Int
  private let report: @Sendable (Int, Int) -> Void

  init(total: Int, report: @escaping @Sendable (Int, Int) -> Void) {
    self.total = total
    step = max(1, total / 100)
    self.report = report
  }

  func finishOne() {
    lock.lock()
    done += 1
    let now = done
    if now % step == 0 || now == total { report(now, total) }
    lock.unlock()
  }
}
