import Simulation

// What a scenario tells the Auto Scaling model: the group and its policies, in engine units
// (seconds since scenario start, instances, percent CPU). Calendar work (cron, time zones)
// happens in Scenario, which hands us firing times; this module never sees a date.

/// The Auto Scaling group being simulated (one instance type, fluid fidelity).
public struct GroupConfiguration: Sendable, Equatable {
  /// Label carried into the usage timeline, e.g. "m5.large".
  public var instanceType: String
  public var minSize: Int
  public var maxSize: Int
  /// Instances in service (and warmed up) at time 0; clamped to min...max.
  public var initialCapacity: Int
  /// Seconds from launch until the instance serves traffic (boot + application start).
  public var launchSeconds: SimTime
  /// Each launch's latency is drawn uniformly from launchSeconds ± jitter (seeded); 0 = fixed.
  public var launchJitterSeconds: SimTime
  /// The group's default instance warm-up: seconds after launch completes during which the
  /// instance serves but its metrics are left out of the aggregate the policies evaluate.
  public var warmupSeconds: SimTime
  /// Demand units one instance serves per minute at 100% CPU.
  public var capacityUnitsPerMinute: Double
  /// MixedInstancesPolicy.InstancesDistribution: the first `onDemandBaseCapacity`
  /// instances are On-Demand; above it `onDemandPercentageAboveBaseCapacity` percent are
  /// On-Demand and the rest Spot (AWS defaults: 0 and 100, i.e. all On-Demand).
  public var onDemandBaseCapacity: Int
  public var onDemandPercentageAboveBaseCapacity: Int
  /// Availability Zones the group launches into, balanced (ASG-UG "Availability Zone
  /// rebalancing"); 1 = capsim's single-zone model.
  public var availabilityZoneCount: Int = 1
  /// How the group's Spot instances are interrupted; nil = never.
  public var spotInterruptions: SpotInterruptions?

  /// How far above its maximum the group may go while it launches before it terminates
  /// (Capacity Rebalancing, zone rebalancing): 10 percent or one instance, whichever is
  /// greater (ASG-UG "Availability Zone rebalancing").
  public var rebalancingMargin: Int { max(1, (maxSize + 9) / 10) }
  /// A warm pool beside the group; nil = none.
  public var warmPool: WarmPoolConfiguration?
  /// MixedInstancesPolicy Overrides: the instance types the group may launch, `instanceType`
  /// among them (it names the group in reports, and its capacity is the one predictive
  /// scaling plans with); empty = `instanceType` alone.
  public var instanceTypes: [InstanceTypeOverride] = []
  /// Where launches go among `instanceTypes`; nil = list order, Spot in one pool.
  public var allocation: InstanceTypeAllocation?

  public init(
    instanceType: String, minSize: Int, maxSize: Int, initialCapacity: Int,
    launchSeconds: SimTime, launchJitterSeconds: SimTime = 0, warmupSeconds: SimTime,
    capacityUnitsPerMinute: Double, onDemandBaseCapacity: Int = 0, onDemandPercentageAboveBaseCapacity: Int = 100,
    warmPool: WarmPoolConfiguration? = nil
  ) {
    self.warmPool = warmPool
    self.onDemandBaseCapacity = onDemandBaseCapacity
    self.onDemandPercentageAboveBaseCapacity = onDemandPercentageAboveBaseCapacity
    self.instanceType = instanceType
    self.minSize = minSize
    self.maxSize = maxSize
    self.initialCapacity = initialCapacity
    self.launchSeconds = launchSeconds
    self.launchJitterSeconds = launchJitterSeconds
    self.warmupSeconds = warmupSeconds
    self.capacityUnitsPerMinute = capacityUnitsPerMinute
  }
}

/// The metric a policy watches; both are fleet aggregates over the metric period.
public enum ScalingMetric: String, Sendable, Equatable, CaseIterable {
  /// ASGAverageCPUUtilization, in percent (0...100), over warmed-up in-service instances.
  case averageCPUUtilization
  /// ALBRequestCountPerTarget: demand units per minute divided by registered (in-service) targets.
  case requestCountPerTarget
}

/// Target tracking (ASG-UG "Target tracking scaling policies"). Alarm shape is the widely
/// observed one AWS creates (reference §2, unverified): high alarm after
/// `scaleOutDatapoints` breaching datapoints above the target, low alarm after
/// `scaleInDatapoints` below `scaleInThresholdRatio` × target.
public struct TargetTrackingPolicy: Sendable, Equatable {
  public var name: String
  public var metric: ScalingMetric
  /// Percent for CPU, units per target per minute for request count.
  public var targetValue: Double
  public var disableScaleIn: Bool
  public var scaleOutDatapoints: Int
  public var scaleInDatapoints: Int
  public var scaleInThresholdRatio: Double
  public var metricPeriodSeconds: SimTime
  /// Largest share of current capacity removed by one scale-in (AWS "scales in gradually";
  /// the exact rule is unpublished: a capsim assumption, at least one instance per action).
  public var scaleInMaxFraction: Double

  public init(
    name: String, metric: ScalingMetric, targetValue: Double, disableScaleIn: Bool = false,
    scaleOutDatapoints: Int = 3, scaleInDatapoints: Int = 15, scaleInThresholdRatio: Double = 0.9,
    metricPeriodSeconds: SimTime = 60, scaleInMaxFraction: Double = 0.1
  ) {
    self.name = name
    self.metric = metric
    self.targetValue = targetValue
    self.disableScaleIn = disableScaleIn
    self.scaleOutDatapoints = scaleOutDatapoints
    self.scaleInDatapoints = scaleInDatapoints
    self.scaleInThresholdRatio = scaleInThresholdRatio
    self.metricPeriodSeconds = metricPeriodSeconds
    self.scaleInMaxFraction = scaleInMaxFraction
  }
}

public enum ComparisonOperator: String, Sendable, Equatable, CaseIterable {
  case greaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold"
  case greaterThanThreshold = "GreaterThanThreshold"
  case lessThanThreshold = "LessThanThreshold"
  case lessThanOrEqualToThreshold = "LessThanOrEqualToThreshold"

  public func isBreached(_ value: Double, threshold: Double) -> Bool {
    switch self {
    case .greaterThanOrEqualToThreshold: value >= threshold
    case .greaterThanThreshold: value > threshold
    case .lessThanThreshold: value < threshold
    case .lessThanOrEqualToThreshold: value <= threshold
    }
  }
}

/// A CloudWatch metric alarm as step and simple policies use it: the alarm is in ALARM
/// when at least `datapointsToAlarm` of the last `evaluationPeriods` datapoints breach, and
/// invokes its policy once per period while it stays there.
public struct AlarmConfiguration: Sendable, Equatable {
  public var metric: ScalingMetric
  public var comparison: ComparisonOperator
  public var threshold: Double
  public var periodSeconds: SimTime
  public var evaluationPeriods: Int
  public var datapointsToAlarm: Int

  public init(
    metric: ScalingMetric, comparison: ComparisonOperator, threshold: Double,
    periodSeconds: SimTime = 60, evaluationPeriods: Int = 1, datapointsToAlarm: Int? = nil
  ) {
    self.metric = metric
    self.comparison = comparison
    self.threshold = threshold
    self.periodSeconds = periodSeconds
    self.evaluationPeriods = evaluationPeriods
    self.datapointsToAlarm = datapointsToAlarm ?? evaluationPeriods
  }
}

public enum AdjustmentType: String, Sendable, Equatable, CaseIterable {
  case changeInCapacity = "ChangeInCapacity"
  case exactCapacity = "ExactCapacity"
  case percentChangeInCapacity = "PercentChangeInCapacity"
}

/// One step: applies when `lowerBound <= metric - threshold < upperBound` (nil = unbounded).
public struct StepAdjustment: Sendable, Equatable {
  public var lowerBound: Double?
  public var upperBound: Double?
  public var scalingAdjustment: Int

  public init(lowerBound: Double?, upperBound: Double?, scalingAdjustment: Int) {
    self.lowerBound = lowerBound
    self.upperBound = upperBound
    self.scalingAdjustment = scalingAdjustment
  }
}

/// Step scaling (ASG-UG "Step and simple scaling policies"): no cooldown; while instances
/// warm up, a new breach adds only what exceeds the capacity already being added.
public struct StepScalingPolicy: Sendable, Equatable {
  public var name: String
  public var alarm: AlarmConfiguration
  public var adjustmentType: AdjustmentType
  public var steps: [StepAdjustment]
  public var minAdjustmentMagnitude: Int?
  /// EstimatedInstanceWarmup; nil = the group's warm-up.
  public var estimatedInstanceWarmupSeconds: SimTime?

  public init(
    name: String, alarm: AlarmConfiguration, adjustmentType: AdjustmentType,
    steps: [StepAdjustment], minAdjustmentMagnitude: Int? = nil,
    estimatedInstanceWarmupSeconds: SimTime? = nil
  ) {
    self.name = name
    self.alarm = alarm
    self.adjustmentType = adjustmentType
    self.steps = steps
    self.minAdjustmentMagnitude = minAdjustmentMagnitude
    self.estimatedInstanceWarmupSeconds = estimatedInstanceWarmupSeconds
  }
}

/// Simple scaling: one adjustment per alarm, then no response until the scaling activity
/// has finished (launched instances in service) and the cooldown has passed.
public struct SimpleScalingPolicy: Sendable, Equatable {
  public var name: String
  public var alarm: AlarmConfiguration
  public var adjustmentType: AdjustmentType
  public var scalingAdjustment: Int
  public var minAdjustmentMagnitude: Int?
  public var cooldownSeconds: SimTime

  public init(
    name: String, alarm: AlarmConfiguration, adjustmentType: AdjustmentType,
    scalingAdjustment: Int, minAdjustmentMagnitude: Int? = nil, cooldownSeconds: SimTime = 300
  ) {
    self.name = name
    self.alarm = alarm
    self.adjustmentType = adjustmentType
    self.scalingAdjustment = scalingAdjustment
    self.minAdjustmentMagnitude = minAdjustmentMagnitude
    self.cooldownSeconds = cooldownSeconds
  }
}

/// A scheduled action, already expanded from its cron recurrence (in the scenario's time
/// zone) to firing times in engine seconds by the Scenario module.
public struct ScheduledAction: Sendable, Equatable {
  public var name: String
  public var firingTimes: [SimTime]
  public var minSize: Int?
  public var maxSize: Int?
  public var desiredCapacity: Int?

  public init(
    name: String, firingTimes: [SimTime], minSize: Int? = nil, maxSize: Int? = nil,
    desiredCapacity: Int? = nil
  ) {
    self.name = name
    self.firingTimes = firingTimes
    self.minSize = minSize
    self.maxSize = maxSize
    self.desiredCapacity = desiredCapacity
  }
}

public enum ScalingPolicy: Sendable, Equatable {
  case targetTracking(TargetTrackingPolicy)
  case step(StepScalingPolicy)
  case simple(SimpleScalingPolicy)
  case scheduled(ScheduledAction)
  /// Predictive scaling: a capacity floor per hour from the load forecast.
  case predictive(PredictiveScalingPolicy)

  public var name: String {
    switch self {
    case .targetTracking(let p): p.name
    case .step(let p): p.name
    case .simple(let p): p.name
    case .scheduled(let p): p.name
    case .predictive(let p): p.name
    }
  }

  public var isPredictive: Bool {
    if case .predictive = self { true } else { false }
  }

  public var isScheduled: Bool {
    if case .scheduled = self { true } else { false }
  }
}
