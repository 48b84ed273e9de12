import AutoScaling
import Billing
import Foundation
import Simulation

/// Cost and service level of one variant on one demand series.
public struct PolicyRunEvaluation: Codable, Sendable, Equatable {
  /// On-Demand plus Spot plus the warm pool's EBS storage, USD (see `PolicySearchPricing`).
  public var costUSD: Double
  public var onDemandCostUSD: Double
  public var spotCostUSD: Double
  /// EBS volumes of instances waiting stopped or hibernated in a warm pool, USD, as the
  /// run's bill charges them (`StorageUsage.costUSD`); 0 without such a pool.
  public var ebsStorageCostUSD = 0.0
  /// Σ count × max(60, ceil(lifetime)) / 3600, Billing's per-second rule.
  public var billedInstanceHours: Double
  /// The series' length in days (86400 s).
  public var days: Double
  public var demandUnits: Double
  /// The objective's metric: minutes per day above the CPU threshold, or the delayed share.
  public var sloValue: Double
  /// Minutes (summed over the run) with CPU strictly above the objective's threshold (the
  /// 80% statistic when the objective is a delayed share).
  public var minutesAboveCPUThreshold: Double
  public var delayedShare: Double
  public var meanInstances: Double
  public var peakInstances: Int
  public var scaleOutActions: Int
  public var scaleInActions: Int
  /// Queueing or requests fidelity: the run's request counts and latency.
  public var requests: RequestStatistics?

  public init(
    costUSD: Double, onDemandCostUSD: Double, spotCostUSD: Double, billedInstanceHours: Double, days: Double,
    demandUnits: Double, sloValue: Double, minutesAboveCPUThreshold: Double, delayedShare: Double,
    meanInstances: Double, peakInstances: Int, scaleOutActions: Int, scaleInActions: Int
  ) {
    self.costUSD = costUSD
    self.onDemandCostUSD = onDemandCostUSD
    self.spotCostUSD = spotCostUSD
    self.billedInstanceHours = billedInstanceHours
    self.days = days
    self.demandUnits = demandUnits
    self.sloValue = sloValue
    self.minutesAboveCPUThreshold = minutesAboveCPUThreshold
    self.delayedShare = delayedShare
    self.meanInstances = meanInstances
    self.peakInstances = peakInstances
    self.scaleOutActions = scaleOutActions
    self.scaleInActions = scaleInActions
  }

  /// Billed instance-seconds of `lifetimes`, On-Demand and Spot: Σ count ×
  /// `PerSecondBilling.billedSeconds(terminatedAt - launchedAt)`, i.e. max(60, ceil(lifetime)).
  static func billedSeconds(_ lifetimes: [InstanceLifetime]) -> (onDemand: Double, spot: Double) {
    var onDemand = 0.0
    var spot = 0.0
    for lifetime in lifetimes {
      let billed =
        Double(lifetime.count) * PerSecondBilling.billedSeconds(runningSeconds: lifetime.terminatedAt - lifetime.launchedAt)
      if lifetime.isSpot { spot += billed } else { onDemand += billed }
    }
    return (onDemand, spot)
  }

  /// Prices `result.lifetimes` and reads the SLO figures.
  ///
  /// Cost is Billing's EC2 Linux per-second rule (`PerSecondBilling.billedSeconds`: each
  /// instance start billed `max(60, ceil(terminatedAt - launchedAt))` seconds) times the
  /// hourly price / 3600, On-Demand or Spot per lifetime: the same figure `OnDemandBill`
  /// gives for these lifetimes as usage records, up to floating-point summation order.
  ///
  /// `ebsStorageUSD`: the warm pool's EBS storage for the run (`warmPoolStorageUSD`), added
  /// to the cost as the bill adds it.
  init(_ result: FleetSimulationResult, metric: ServiceLevelMetric, pricing: PolicySearchPricing, ebsStorageUSD: Double = 0) {
    let (onDemandSeconds, spotSeconds) = Self.billedSeconds(result.lifetimes)
    var onDemand = onDemandSeconds * pricing.onDemandUSDPerHour / 3_600
    var spot = spotSeconds * (pricing.spotUSDPerHour ?? 0) / 3_600
    if !pricing.typePrices.isEmpty {
      onDemand = 0
      spot = 0
      for lifetime in result.lifetimes {
        let prices = pricing.typePrices[lifetime.typeIndex]
        let billed =
          Double(lifetime.count) * PerSecondBilling.billedSeconds(runningSeconds: lifetime.terminatedAt - lifetime.launchedAt)
        if lifetime.isSpot {
          spot += billed * (prices.spotUSDPerHour ?? 0) / 3_600
        } else {
          onDemand += billed * prices.onDemandUSDPerHour / 3_600
        }
      }
    }
    let statistics = result.statistics
    let days = statistics.durationSeconds / 86_400
    var minutesAbove = statistics.minutesAboveCPU80
    let slo: Double
    switch metric {
    case .minutesAboveCPU(let threshold):
      if threshold != 80, let cpu = result.timeline?.cpuUtilization {
        let tickMinutes = days > 0 ? statistics.durationSeconds / 60 / Double(cpu.count) : 0
        minutesAbove = Double(cpu.lazy.filter { $0 > threshold }.count) * tickMinutes
      }
      slo = days > 0 ? minutesAbove / days : 0
    case .delayedShare:
      slo = statistics.delayedShare
    case .latencyPercentile:
      slo = statistics.requests?.latencyAtSLOPercentileSeconds ?? .infinity
    }
    self.init(
      costUSD: onDemand + spot, onDemandCostUSD: onDemand, spotCostUSD: spot,
      billedInstanceHours: (onDemandSeconds + spotSeconds) / 3_600, days: days, demandUnits: statistics.demandUnits,
      sloValue: slo, minutesAboveCPUThreshold: minutesAbove, delayedShare: statistics.delayedShare,
      meanInstances: statistics.meanInstances, peakInstances: statistics.peakInstances,
      scaleOutActions: statistics.scaleOutActions, scaleInActions: statistics.scaleInActions)
    requests = statistics.requests
    ebsStorageCostUSD = ebsStorageUSD
    costUSD += ebsStorageUSD
  }

  /// The EBS storage cost of `result`'s stopped or hibernated warm pool instances, for a
  /// series starting at `start`: the pool's volume size and price, priced by Billing's own
  /// rule (`StorageUsage.costUSD`), so the search ranks variants on what the bill charges.
  /// 0 without a pool, or with a Running one (billed as instances, in the lifetimes).
  static func warmPoolStorageUSD(
    _ result: FleetSimulationResult, pool: WarmPoolConfiguration?, start: Date
  ) throws(AutoScalingError) -> Double {
    guard let pool, pool.isStored, !result.warmPoolStoredIntervals.isEmpty else { return 0 }
    let storage = result.warmPoolStoredIntervals.map {
      StorageUsage(
        region: "", count: $0.count, gibPerInstance: pool.volumeGiBPerInstance, usdPerGBMonth: pool.usdPerGBMonth,
        startSeconds: $0.startSeconds, endSeconds: $0.endSeconds)
    }
    do {
      return try StorageUsage.costUSD(of: storage, start: start)
    } catch {
      throw AutoScalingError(field: "warmPool", expected: "storage the bill can price", found: "\(error)")
    }
  }
}

/// A variant over the forecast sample paths.
public struct ForecastPathSummary: Sendable, Equatable {
  public var pathCount: Int
  public var meanCostUSD: Double
  /// Nearest-rank quantiles of the paths' costs.
  public var p10CostUSD: Double
  public var p50CostUSD: Double
  public var p90CostUSD: Double
  public var meanSLOValue: Double
  /// The `pathQuantile` quantile (nearest rank) of the paths' SLO figures.
  public var quantileSLOValue: Double
  /// Share of paths whose SLO figure is within the limit.
  public var shareOfPathsMeetingSLO: Double

  init(_ paths: [PolicyRunEvaluation], pathQuantile: Double, limit: Double) {
    let costs = paths.map(\.costUSD).sorted()
    let slos = paths.map(\.sloValue).sorted()
    pathCount = paths.count
    meanCostUSD = costs.reduce(0, +) / Double(costs.count)
    p10CostUSD = Self.nearestRank(costs, 0.1)
    p50CostUSD = Self.nearestRank(costs, 0.5)
    p90CostUSD = Self.nearestRank(costs, 0.9)
    meanSLOValue = slos.reduce(0, +) / Double(slos.count)
    quantileSLOValue = Self.nearestRank(slos, pathQuantile)
    shareOfPathsMeetingSLO = Double(slos.filter { $0 <= limit }.count) / Double(slos.count)
  }

  /// The value at rank `ceil(q × n)` (1-based) of sorted `values`: P90 of 10 paths is the
  /// 9th smallest, so the SLO holding at P90 means it holds on 9 of the 10.
  static func nearestRank(_ sorted: [Double], _ q: Double) -> Double {
    let rank = max(1, min(sorted.count, Int((q * Double(sorted.count) - 1e-9).rounded(.up))))
    return sorted[rank - 1]
  }
}

/// One variant's figures and how they stand against the objective.
public struct PolicyVariantResult: Sendable, Equatable {
  public var variant: PolicyVariant
  public var history: PolicyRunEvaluation
  /// One per forecast path, in path order.
  public var paths: [PolicyRunEvaluation]
  /// Nil without forecast paths.
  public var forecast: ForecastPathSummary?
  /// The cost figure that ranks: the history's cost.
  public var costUSD: Double
  /// The SLO figure that decides: max(history, path quantile).
  public var sloValue: Double
  public var meetsSLO: Bool
  /// The SLO figure's excess over the limit over the history's length: minutes for
  /// `minutesAboveCPU`, demand units for `delayedShare`.
  public var violation: Double
  /// `costUSD` for `.minimumCost`; `costUSD + usdPerViolationUnit × violation` for `.weightedScore`.
  public var score: Double
  /// The fidelity of these figures: fluid, or, with a latency objective, queueing (the
  /// ranking pass) or requests (the re-run that decides).
  public var fidelity: Fidelity
  /// After a re-run in requests fidelity: the ranking pass's figures (queueing).
  public var ranking: PolicyVariantResult? {
    get { rankingBox.first }
    set { rankingBox = newValue.map { [$0] } ?? [] }
  }
  var rankingBox: [PolicyVariantResult] = []

  init(
    variant: PolicyVariant, history: PolicyRunEvaluation, paths: [PolicyRunEvaluation],
    objective: PolicySearchObjective, pathQuantile: Double, fidelity: Fidelity = .fluid
  ) {
    self.fidelity = fidelity
    let slo = objective.serviceLevel
    self.variant = variant
    self.history = history
    self.paths = paths
    forecast = paths.isEmpty ? nil : ForecastPathSummary(paths, pathQuantile: pathQuantile, limit: slo.limit)
    costUSD = history.costUSD
    sloValue = max(history.sloValue, forecast?.quantileSLOValue ?? history.sloValue)
    meetsSLO = sloValue <= slo.limit
    let excess = max(0, sloValue - slo.limit)
    violation =
      switch slo.metric {
      case .minutesAboveCPU: excess * history.days
      case .delayedShare: excess * history.demandUnits
      case .latencyPercentile: excess * 1_000 * history.days
      }
    score =
      switch objective {
      case .minimumCost: costUSD
      case .weightedScore(_, let weight): costUSD + weight * violation
      }
  }
}

/// What the search concluded.
public enum PolicySearchOutcome: Sendable, Equatable {
  /// The variant to adopt.
  case recommended(variantIndex: Int)
  /// `.minimumCost` only: no variant meets the SLO; the one closest to it.
  case noVariantMeetsSLO(closestVariantIndex: Int)

  public var variantIndex: Int {
    switch self {
    case .recommended(let index), .noVariantMeetsSLO(let index): index
    }
  }
}

/// The chosen variant (recommended, or closest when none meets the SLO) against the current
/// policies. Deltas are chosen minus current: a negative cost delta is a saving.
public struct PolicyComparison: Sendable, Equatable {
  public var currentCostUSD: Double
  public var chosenCostUSD: Double
  public var costDeltaUSD: Double
  /// `costDeltaUSD / currentCostUSD × 100`; nil when the current cost is 0.
  public var costDeltaPercent: Double?
  public var currentSLOValue: Double
  public var chosenSLOValue: Double
  public var sloDelta: Double
  public var currentMeetsSLO: Bool
  public var chosenMeetsSLO: Bool
  /// The same over the forecast paths' mean cost; nil without paths.
  public var forecastMeanCostDeltaUSD: Double?

  init(current: PolicyVariantResult, chosen: PolicyVariantResult) {
    currentCostUSD = current.costUSD
    chosenCostUSD = chosen.costUSD
    costDeltaUSD = chosen.costUSD - current.costUSD
    costDeltaPercent = current.costUSD > 0 ? costDeltaUSD / current.costUSD * 100 : nil
    currentSLOValue = current.sloValue
    chosenSLOValue = chosen.sloValue
    sloDelta = chosen.sloValue - current.sloValue
    currentMeetsSLO = current.meetsSLO
    chosenMeetsSLO = chosen.meetsSLO
    if let a = chosen.forecast, let b = current.forecast { forecastMeanCostDeltaUSD = a.meanCostUSD - b.meanCostUSD }
  }
}

/// Everything a search found. `variants[i].variant.index == i`.
public struct PolicySearchResult: Sendable, Equatable {
  public var objective: PolicySearchObjective
  public var pathQuantile: Double
  /// The current policies, evaluated exactly like a variant (index -1).
  public var current: PolicyVariantResult
  public var variants: [PolicyVariantResult]
  /// Indices into `variants`: non-dominated on (costUSD, sloValue), cost ascending.
  public var paretoFront: [Int]
  public var outcome: PolicySearchOutcome
  /// The outcome's variant against the current policies.
  public var comparison: PolicyComparison
  /// Latency objective: the variants re-run in requests fidelity (ascending); the outcome
  /// is chosen among them, on their request-level figures. Empty otherwise.
  public var requestLevelVariants: [Int]

  init(
    objective: PolicySearchObjective, pathQuantile: Double, current: PolicyVariantResult, variants: [PolicyVariantResult],
    requestLevelVariants: [Int] = []
  ) {
    precondition(!variants.isEmpty, "a policy search result needs at least one variant")
    self.objective = objective
    self.pathQuantile = pathQuantile
    self.current = current
    self.variants = variants
    self.requestLevelVariants = requestLevelVariants
    paretoFront = Self.paretoFront(variants)
    outcome = Self.outcome(variants, objective: objective, among: requestLevelVariants.isEmpty ? nil : requestLevelVariants)
    comparison = PolicyComparison(current: current, chosen: variants[outcome.variantIndex])
  }

  /// The recommended variant; nil when no variant meets the SLO.
  public var recommended: PolicyVariantResult? {
    if case .recommended(let index) = outcome { variants[index] } else { nil }
  }

  /// The non-dominated variants: sorted by (cost, SLO, index), a variant joins the front
  /// when its SLO figure is strictly below every cheaper-or-equal one's before it.
  static func paretoFront(_ variants: [PolicyVariantResult]) -> [Int] {
    let order = variants.indices.sorted { (variants[$0].costUSD, variants[$0].sloValue, $0) < (variants[$1].costUSD, variants[$1].sloValue, $1) }
    var front: [Int] = []
    var bestSLO = Double.infinity
    for index in order where variants[index].sloValue < bestSLO {
      front.append(index)
      bestSLO = variants[index].sloValue
    }
    return front
  }

  static func outcome(
    _ variants: [PolicyVariantResult], objective: PolicySearchObjective, among: [Int]? = nil
  ) -> PolicySearchOutcome {
    let pool = among ?? Array(variants.indices)
    switch objective {
    case .minimumCost:
      let feasible = pool.filter { variants[$0].meetsSLO }
      if let best = feasible.min(by: { (variants[$0].costUSD, variants[$0].sloValue, $0) < (variants[$1].costUSD, variants[$1].sloValue, $1) }) {
        return .recommended(variantIndex: best)
      }
      let closest = pool.min { (variants[$0].sloValue, variants[$0].costUSD, $0) < (variants[$1].sloValue, variants[$1].costUSD, $1) }!
      return .noVariantMeetsSLO(closestVariantIndex: closest)
    case .weightedScore:
      let best = pool.min { (variants[$0].score, variants[$0].sloValue, $0) < (variants[$1].score, variants[$1].sloValue, $1) }!
      return .recommended(variantIndex: best)
    }
  }

  /// Two or three sentences for a terminal: what was chosen and how it compares.
  public var summary: String {
    let slo = objective.serviceLevel
    let chosen = variants[outcome.variantIndex]
    func usd(_ value: Double) -> String { String(format: "%.2f USD", value) }
    let delta = comparison.costDeltaPercent.map { String(format: " (%+.1f%%)", $0) } ?? ""
    let figures =
      "\(usd(chosen.costUSD)) on the history, SLO figure \(Self.figure(chosen.sloValue, slo.metric)); current policies: \(usd(comparison.currentCostUSD)), \(Self.figure(comparison.currentSLOValue, slo.metric)); cost delta \(String(format: "%+.2f", comparison.costDeltaUSD)) USD\(delta)."
    switch outcome {
    case .recommended:
      let goal: String
      switch objective {
      case .minimumCost: goal = "\(slo)"
      case .weightedScore(_, let weight):
        let unit =
          switch slo.metric {
          case .minutesAboveCPU: "minute"
          case .delayedShare: "demand unit"
          case .latencyPercentile: "ms per day"
          }
        goal = "least cost + \(PolicySearchFormat.number(weight)) USD per \(unit) beyond the SLO of \(slo)"
      }
      return "Recommended \(chosen.variant.name) out of \(variants.count) variants (\(goal)): \(figures)"
    case .noVariantMeetsSLO:
      return
        "No variant meets the SLO (\(slo)) out of \(variants.count) variants; the closest is \(chosen.variant.name): \(figures)"
    }
  }

  static func figure(_ value: Double, _ metric: ServiceLevelMetric) -> String {
    switch metric {
    case .minutesAboveCPU: String(format: "%.1f min/day", value)
    case .delayedShare: String(format: "%.4f%% delayed", value * 100)
    case .latencyPercentile(let p): String(format: "p%@ %.1f ms", PolicySearchFormat.number(p), value * 1_000)
    }
  }
}
