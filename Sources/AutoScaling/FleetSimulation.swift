import Simulation

/// Everything one fluid simulation of one policy variant needs, in engine units.
public struct FleetSimulationInput: Sendable {
  public var group: GroupConfiguration
  /// Dynamic policies and scheduled actions (with firing times already expanded).
  public var policies: [ScalingPolicy]
  /// Mean demand rate during each tick, in demand units per minute (>= 0, finite).
  public var demandPerMinute: [Double]
  public var tickSeconds: SimTime
  /// Draws launch jitter; derive it by variant name so variants never perturb each other.
  public var random: RandomStream
  /// Keep per-tick capacity, CPU and delay arrays in the result (for charts).
  public var recordsTimeline: Bool
  /// With `recordsTimeline`, the ticks whose capacity, CPU and delay are kept (nil: all);
  /// e.g. one day of a year-long run. Latency percentiles always cover every tick.
  public var timelineTicks: Range<Int>? = nil
  /// The load forecast predictive policies act on, built once from `demandPerMinute` and
  /// shared by every variant on that demand. Nil: built here with
  /// `SeasonalRegressionLoadForecaster` when a predictive policy needs it.
  public var predictiveForecast: PredictiveLoadForecast?
  /// How demand is served: `fluid` (the default) needs no `serving`; `queueing` and
  /// `requests` need it.
  public var fidelity: Fidelity
  /// Workers, service times, load balancing, timeouts and retries of one instance.
  public var serving: ServingModel?
  /// The latency objective minutes are checked against (queueing and requests only).
  public var latencySLO: LatencySLO?
  /// Requests mode only: each request's arrival, engine seconds, sorted ascending, all in
  /// `[0, durationSeconds)`. Nil: Poisson arrivals at the demand's rate, piecewise
  /// constant per tick.
  public var arrivalTimes: [Double]?
  /// Zone outages and launch failures, in any order.
  public var faults: [FleetFault] = []
  /// Keep every change of desired capacity in the result's `activities`. False leaves them
  /// out (a sweep row needs only the counts, which `statistics` keeps either way); nothing
  /// else changes.
  public var recordsActivities = true
  /// The demand is a `DemandSeries`' values, which its initialisers keep finite and >= 0:
  /// `validate` need not scan them again (a year of ticks per sweep point, 5% of one).
  /// Package-only, so that a library user cannot skip the check.
  package var demandIsKnownValid = false

  public init(
    group: GroupConfiguration, policies: [ScalingPolicy], demandPerMinute: [Double],
    tickSeconds: SimTime, random: RandomStream, recordsTimeline: Bool = false,
    predictiveForecast: PredictiveLoadForecast? = nil, fidelity: Fidelity = .fluid, serving: ServingModel? = nil,
    latencySLO: LatencySLO? = nil, arrivalTimes: [Double]? = nil
  ) {
    self.fidelity = fidelity
    self.serving = serving
    self.latencySLO = latencySLO
    self.arrivalTimes = arrivalTimes
    self.group = group
    self.policies = policies
    self.demandPerMinute = demandPerMinute
    self.tickSeconds = tickSeconds
    self.random = random
    self.recordsTimeline = recordsTimeline
    self.predictiveForecast = predictiveForecast
  }

  public var durationSeconds: SimTime { Double(demandPerMinute.count) * tickSeconds }

  /// Checks every value the engine computes with, before any arithmetic.
  public func validate() throws(AutoScalingError) {
    try group.validate()
    if !(tickSeconds >= 1 && tickSeconds <= 3_600) {
      throw AutoScalingError(field: "tickSeconds", expected: "1...3600 seconds", found: "\(tickSeconds)")
    }
    if !demandIsKnownValid, let index = demandPerMinute.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
      throw AutoScalingError(
        field: "demandPerMinute[\(index)]", expected: "a finite number >= 0", found: "\(demandPerMinute[index])")
    }
    if let forecast = predictiveForecast,
      forecast.tickSeconds != tickSeconds || forecast.tickCount != demandPerMinute.count
    {
      throw AutoScalingError(
        field: "predictiveForecast",
        expected: "a forecast built from this demand (\(demandPerMinute.count) ticks of \(tickSeconds) s)",
        found: "one built from \(forecast.tickCount) ticks of \(forecast.tickSeconds) s")
    }
    if fidelity != .fluid && !group.typesShareCapacity {
      throw AutoScalingError(
        field: "instanceTypes",
        expected: "one capacity for every type in \(fidelity.rawValue) fidelity (its serving model is one instance shape), or fluid fidelity",
        found: group.typeOptions.map { "\($0.instanceType) \($0.capacityUnitsPerMinute)" }.joined(separator: ", "))
    }
    if let serving {
      try serving.validate()
      let derived = serving.capacityUnitsPerMinute
      if abs(derived - group.capacityUnitsPerMinute) > 1e-6 * derived {
        throw AutoScalingError(
          field: "capacityUnitsPerMinute",
          expected: "the serving model's capacity, workersPerInstance x 60000 / meanMs = \(derived) requests per minute",
          found: "\(group.capacityUnitsPerMinute)")
      }
    }
    if fidelity != .fluid && serving == nil {
      throw AutoScalingError(
        field: "fidelity", expected: "a serving model (workers, service time) for \(fidelity.rawValue) fidelity",
        found: "none")
    }
    try latencySLO?.validate()
    if let arrivalTimes {
      if fidelity != .requests {
        throw AutoScalingError(field: "arrivalTimes", expected: "requests fidelity", found: "\(fidelity.rawValue)")
      }
      var previous = 0.0
      for (index, time) in arrivalTimes.enumerated() {
        if !(time >= previous && time < durationSeconds) {
          throw AutoScalingError(
            field: "arrivalTimes[\(index)]",
            expected: "a time >= the one before (\(previous) s) and < the end (\(durationSeconds) s)", found: "\(time) s")
        }
        previous = time
      }
    }
    try group.spotInterruptions?.validate()
    var faultNames = Set<String>()
    for fault in faults {
      try fault.validate(zoneCount: group.availabilityZoneCount, typeCount: group.typeOptions.count)
      if !faultNames.insert(fault.name).inserted {
        throw AutoScalingError(field: "faults['\(fault.name)'].name", expected: "unique", found: "a duplicate")
      }
    }
    var names = Set<String>()
    for policy in policies {
      try policy.validate()
      if !names.insert(policy.name).inserted {
        throw AutoScalingError(policy: policy.name, field: "name", expected: "unique within the variant", found: "a duplicate")
      }
      if let period = policy.metricPeriodSeconds {
        let ratio = period / tickSeconds
        if ratio < 1 || ratio != ratio.rounded() {
          throw AutoScalingError(
            policy: policy.name, field: "period",
            expected: "a whole multiple of the simulation tick (\(tickSeconds) s)", found: "\(period) s")
        }
      }
    }
  }
}

extension ScalingPolicy {
  /// The CloudWatch period of the policy's metric; nil for scheduled actions and
  /// predictive scaling (which acts on the hourly forecast).
  var metricPeriodSeconds: SimTime? {
    switch self {
    case .targetTracking(let p): p.metricPeriodSeconds
    case .step(let p): p.alarm.periodSeconds
    case .simple(let p): p.alarm.periodSeconds
    case .scheduled, .predictive: nil
    }
  }
}

/// `count` identical instances of the group's type that ran from launch to termination
/// (the end of the simulation if still running). Billing prices these.
public struct InstanceLifetime: Sendable, Equatable {
  public var count: Int
  public var launchedAt: SimTime
  public var terminatedAt: SimTime
  /// Launched as Spot (per the group's instances distribution) rather than On-Demand.
  public var isSpot: Bool
  /// The group's Availability Zone, by index (0 with one zone).
  public var zone: Int
  /// The instance type, by index into the group's `instanceTypes` (0 with one type).
  public var typeIndex: Int

  public init(
    count: Int, launchedAt: SimTime, terminatedAt: SimTime, isSpot: Bool = false, zone: Int = 0, typeIndex: Int = 0
  ) {
    self.count = count
    self.launchedAt = launchedAt
    self.terminatedAt = terminatedAt
    self.isSpot = isSpot
    self.zone = zone
    self.typeIndex = typeIndex
  }
}

/// One change of desired capacity and what caused it.
public struct ScalingActivity: Codable, Sendable, Equatable {
  public var time: SimTime
  public var cause: String  // policy or scheduled action name
  public var fromDesired: Int
  public var toDesired: Int

  public init(time: SimTime, cause: String, fromDesired: Int, toDesired: Int) {
    self.time = time
    self.cause = cause
    self.fromDesired = fromDesired
    self.toDesired = toDesired
  }
}

/// Fleet-level outcomes of one run. CPU is in percent (0...100).
public struct FleetStatistics: Codable, Sendable, Equatable {
  public var durationSeconds: SimTime = 0
  public var demandUnits: Double = 0
  public var servedUnits: Double = 0
  /// Demand beyond in-service capacity during its tick (queued or served late).
  public var delayedUnits: Double = 0
  public var peakInstances = 0
  /// Time-weighted mean of running instances (pending, warming and in service).
  public var meanInstances: Double = 0
  public var meanCPUUtilization: Double = 0
  public var minutesAboveCPU80: Double = 0
  public var scaleOutActions = 0
  public var scaleInActions = 0
  /// Sum of lifetimes, before any billing minimum.
  public var instanceSeconds: Double = 0
  /// Request counts and latency (queueing and requests fidelity only).
  public var requests: RequestStatistics?
  /// Spot interruptions and faults, when the group has either.
  public var disruptions: DisruptionStatistics?
  /// What the warm pool did; nil without one.
  public var warmPool: WarmPoolStatistics?

  public var delayedShare: Double { demandUnits > 0 ? delayedUnits / demandUnits : 0 }

  public init() {}
}

/// Per-tick arrays, recorded only on request.
public struct FleetTimeline: Sendable, Equatable {
  /// The tick `desired[0]`, `running[0]`, `inService[0]`, `cpuUtilization[0]` and
  /// `delayedPerMinute[0]` describe (`FleetSimulationInput.timelineTicks`' lower bound).
  public var firstTick = 0
  public var desired: [Int] = []
  public var running: [Int] = []
  public var inService: [Int] = []
  public var cpuUtilization: [Double] = []
  public var delayedPerMinute: [Double] = []
  /// Queueing and requests fidelity: latency percentiles of the requests that arrived in
  /// each tick, seconds (NaN in a tick without completed requests).
  public var latencyP50Seconds: [Double] = []
  public var latencyP99Seconds: [Double] = []
}

public struct FleetSimulationResult: Sendable, Equatable {
  public var lifetimes: [InstanceLifetime]
  public var statistics: FleetStatistics
  public var activities: [ScalingActivity]
  public var timeline: FleetTimeline?
  /// One per predictive policy, in policy order: forecast against actual, hour by hour.
  public var predictiveForecasts: [PredictiveForecastRecord] = []
  /// Warm pool instances' stopped or hibernated waits (billed for EBS only), in the order
  /// they ended; empty without a warm pool or with a Running one.
  public var warmPoolStoredIntervals: [WarmPoolStoredInterval] = []

  public init(
    lifetimes: [InstanceLifetime], statistics: FleetStatistics, activities: [ScalingActivity],
    timeline: FleetTimeline? = nil, predictiveForecasts: [PredictiveForecastRecord] = [],
    warmPoolStoredIntervals: [WarmPoolStoredInterval] = []
  ) {
    self.warmPoolStoredIntervals = warmPoolStoredIntervals
    self.lifetimes = lifetimes
    self.statistics = statistics
    self.activities = activities
    self.timeline = timeline
    self.predictiveForecasts = predictiveForecasts
  }
}

/// A predictive policy's forecast beside what happened, per hour of the run (hour `h`
/// covers engine seconds `[3600 h, 3600 (h + 1))`), as AWS's console charts it. Recorded
/// in both modes (ForecastOnly acts on nothing but still forecasts).
public struct PredictiveForecastRecord: Codable, Sendable, Equatable {
  public var policyName: String
  public var mode: PredictiveScalingPolicy.Mode
  /// The forecast load of each hour from the latest refresh at or before the hour's start,
  /// demand units per minute; nil before the first forecast (24 h of history).
  public var forecastLoadPerMinute: [Double?]
  /// That load as instances at the policy's target, before any max-capacity limit: the
  /// floor ForecastAndScale sets for the hour. Nil where the load is.
  public var forecastCapacity: [Int?]
  /// The hour's mean demand, units per minute.
  public var actualLoadPerMinute: [Double]
  /// The hour's time-weighted mean of in-service instances.
  public var meanInServiceInstances: [Double]

  public init(
    policyName: String, mode: PredictiveScalingPolicy.Mode, forecastLoadPerMinute: [Double?],
    forecastCapacity: [Int?], actualLoadPerMinute: [Double], meanInServiceInstances: [Double]
  ) {
    self.policyName = policyName
    self.mode = mode
    self.forecastLoadPerMinute = forecastLoadPerMinute
    self.forecastCapacity = forecastCapacity
    self.actualLoadPerMinute = actualLoadPerMinute
    self.meanInServiceInstances = meanInServiceInstances
  }
}
