import AutoScaling
import Billing
import Foundation

/// What one `capsim run` produced: the scenario's frame and one result per variant, in the
/// scenario's order. Plain values; Reporting renders them.
public struct ScenarioResult: Codable, Sendable, Equatable {
  public var scenarioName: String
  public var scenarioDescription: String?
  public var file: String
  public var timeZone: String
  public var region: String
  public var start: Date
  public var end: Date
  public var tickSeconds: Double
  public var seed: UInt64
  public var demandSource: String
  public var demandUnits: Double
  /// One per variant of a single-service scenario, each billed on its own.
  public var variants: [VariantResult]
  /// One per service of a multi-service scenario (their `bill` is nil: see `accountBill`).
  public var services: [VariantResult]
  /// The services' shared bill: commitments applied across them, with showback.
  public var accountBill: FleetBill?
  /// Reserved Instances and Savings Plans the scenario declares.
  public var commitmentCount: Int
  /// How demand was served (the file's `simulation.fidelity`, or `--fidelity`).
  public var fidelity: Fidelity = .fluid
  /// Commitments to buy, planned on the window's uncovered On-Demand usage of the headline
  /// fleet; nil when not asked for (`capsim run`'s terminal table) or nothing is eligible.
  public var purchaseAdvice: WindowPurchaseAdvice?
  /// The most demand a variant may delay and still count as meeting the service level
  /// when the reports rank a cheaper policy, a share in 0...1: `capsim recommend`'s default
  /// SLO (0.1%) unless `capsim run --max-delayed-percent` says otherwise.
  public var maxDelayedShare = 0.001
  /// With the cost reports (`advisesPurchase`), a single-service fluid scenario whose
  /// capacity lists other instance types: the first variant on each of them, in the
  /// capacity map's order; empty otherwise.
  public var instanceTypeAlternatives: [InstanceTypeAlternative] = []
  /// The first variant's capacity per instance (units per minute), beside the alternatives.
  public var headlineCapacityUnitsPerMinute: Double?

  public init(
    scenarioName: String, scenarioDescription: String?, file: String, timeZone: String, region: String,
    start: Date, end: Date, tickSeconds: Double, seed: UInt64, demandSource: String, demandUnits: Double,
    variants: [VariantResult], services: [VariantResult] = [], accountBill: FleetBill? = nil, commitmentCount: Int = 0,
    fidelity: Fidelity = .fluid, purchaseAdvice: WindowPurchaseAdvice? = nil
  ) {
    self.purchaseAdvice = purchaseAdvice
    self.fidelity = fidelity
    self.services = services
    self.accountBill = accountBill
    self.commitmentCount = commitmentCount
    self.scenarioName = scenarioName
    self.scenarioDescription = scenarioDescription
    self.file = file
    self.timeZone = timeZone
    self.region = region
    self.start = start
    self.end = end
    self.tickSeconds = tickSeconds
    self.seed = seed
    self.demandSource = demandSource
    self.demandUnits = demandUnits
    self.variants = variants
  }
}

/// One policy variant's (or one service's) fleet outcome and its bill.
public struct VariantResult: Codable, Sendable, Equatable {
  public var name: String
  public var description: String?
  /// The owning team (services only).
  public var team: String?
  public var instanceType: String
  public var region: String
  /// One short line per policy, e.g. "target tracking cpu 50%".
  public var policySummaries: [String]
  public var statistics: FleetStatistics
  /// Billed instance-hours (per-second, 60 s minimum per instance start).
  public var billedInstanceHours: Double
  public var onDemandUSDPerHour: Double
  /// Effective (amortized) cost: usage at its purchase option's rate plus commitment fees
  /// and waste; equal to on-demand list cost when the scenario has no commitments or Spot.
  public var costUSD: Double
  public var activities: [ScalingActivity]
  /// The variant's own bill (nil for services, which share `ScenarioResult.accountBill`).
  public var bill: FleetBill?
  /// Demand units per clock-hour from the scenario start (hour `h` covers seconds
  /// `[3600·h, 3600·(h+1))`, as the bill's hours): each tick's demand per minute × tick
  /// minutes, a tick that spans two hours split by its seconds in each. Adds up to the
  /// demand's total; empty when not recorded.
  public var hourlyDemandUnits: [Double]
  /// One per predictive policy: its hourly forecast beside the actual load and capacity.
  public var predictiveForecasts: [PredictiveForecastRecord]
  /// Queueing and requests fidelity: latency percentiles per tick (for charts).
  public var latencySeries: LatencySeries?
  /// The scenario's busiest local day (most demand units, a full day when the window has
  /// one): this fleet's demand, capacity, CPU and latency through it.
  public var busiestDay: DayTimeline? = nil
  /// What each disruption (Spot interruptions, each fault) did to this fleet: the run as
  /// it is against the same run without that one disruption. Empty without disruptions.
  public var disruptionEffects: [DisruptionEffect] = []
  /// A fleet that launches several instance types: each type's hours and Spot
  /// interruptions, in the group's order. Empty with one type.
  public var instanceTypeShares: [InstanceTypeShare] = []

  public init(
    name: String, description: String?, team: String? = nil, instanceType: String, region: String = "",
    policySummaries: [String], statistics: FleetStatistics, billedInstanceHours: Double, onDemandUSDPerHour: Double,
    costUSD: Double, activities: [ScalingActivity], bill: FleetBill? = nil, hourlyDemandUnits: [Double] = [],
    predictiveForecasts: [PredictiveForecastRecord] = [], latencySeries: LatencySeries? = nil
  ) {
    self.hourlyDemandUnits = hourlyDemandUnits
    self.latencySeries = latencySeries
    self.predictiveForecasts = predictiveForecasts
    self.name = name
    self.description = description
    self.team = team
    self.region = region
    self.bill = bill
    self.instanceType = instanceType
    self.policySummaries = policySummaries
    self.statistics = statistics
    self.billedInstanceHours = billedInstanceHours
    self.onDemandUSDPerHour = onDemandUSDPerHour
    self.costUSD = costUSD
    self.activities = activities
  }
}

/// Latency percentiles of the requests that arrived in each tick, seconds; NaN where a
/// tick had none.
public struct LatencySeries: Codable, Sendable, Equatable {
  public var tickSeconds: Double
  public var p50Seconds: [Double]
  public var p99Seconds: [Double]

  public init(tickSeconds: Double, p50Seconds: [Double], p99Seconds: [Double]) {
    self.tickSeconds = tickSeconds
    self.p50Seconds = p50Seconds
    self.p99Seconds = p99Seconds
  }
}

extension VariantResult {
  /// Demand units per clock-hour of a demand series given per tick (units per minute), hour
  /// `h` covering seconds `[3600·h, 3600·(h+1))` from the series start; a tick that spans
  /// two hours is split by its seconds in each. Σ = Σ value × tick minutes.
  public static func hourlyUnits(perMinute values: [Double], tickSeconds: Double) -> [Double] {
    guard tickSeconds > 0, tickSeconds.isFinite, !values.isEmpty else { return [] }
    let hour = 3_600.0
    let hourCount = Int((Double(values.count) * tickSeconds / hour).rounded(.up))
    var out = [Double](repeating: 0, count: max(1, hourCount))
    for (k, perMinute) in values.enumerated() {
      var start = Double(k) * tickSeconds
      let end = start + tickSeconds
      while start < end {
        let h = min(out.count - 1, Int((start / hour).rounded(.down)))
        let stop = min(end, Double(h + 1) * hour)
        out[h] += perMinute * (stop > start ? stop - start : end - start) / 60
        start = stop > start ? stop : end
      }
    }
    return out
  }
}

/// The headline fleet (the first variant) simulated on another instance type the scenario's
/// capacity lists, with the same policies (sizes scaled to the same capacity) and billed as
/// the run bills: On-Demand plus the scenario's commitments.
public struct InstanceTypeAlternative: Codable, Sendable, Equatable {
  public var instanceType: String
  public var family: String
  public var capacityUnitsPerMinute: Double
  public var onDemandUSDPerHour: Double
  /// Effective cost over the window, as `VariantResult.costUSD`.
  public var costUSD: Double
  public var statistics: FleetStatistics

  public init(
    instanceType: String, family: String, capacityUnitsPerMinute: Double, onDemandUSDPerHour: Double, costUSD: Double,
    statistics: FleetStatistics
  ) {
    self.instanceType = instanceType
    self.family = family
    self.capacityUnitsPerMinute = capacityUnitsPerMinute
    self.onDemandUSDPerHour = onDemandUSDPerHour
    self.costUSD = costUSD
    self.statistics = statistics
  }
}
