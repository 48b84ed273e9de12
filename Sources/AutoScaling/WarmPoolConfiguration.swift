import Simulation

/// A warm pool beside the group (ASG-UG, "Warm pools for Amazon EC2 Auto Scaling";
/// PutWarmPool API): pre-initialized instances that scale-out takes before it launches
/// new ones.
///
/// Size: `max(minSize, (maxGroupPreparedCapacity ?? group max size) - desired capacity)`,
/// never below 0 (PutWarmPool's MaxGroupPreparedCapacity: "If the desired capacity of the
/// Auto Scaling group is higher than the MaxGroupPreparedCapacity, the capacity of the warm
/// pool is 0, unless you specify a value for MinSize").
///
/// AWS rejects a warm pool on a group with a mixed instances policy or Spot instances
/// (PutWarmPool: "This operation cannot be called on an Auto Scaling group that has a mixed
/// instances policy or a launch template or launch configuration that requests Spot
/// Instances"); `GroupConfiguration.validate` does the same.
public struct WarmPoolConfiguration: Sendable, Equatable {
  /// The state pool instances wait in (PoolState; AWS's default is stopped).
  public enum PoolState: String, Sendable, Equatable, CaseIterable {
    /// Billed for EBS only.
    case stopped = "Stopped"
    /// Memory saved to the root volume; billed for EBS only.
    case hibernated = "Hibernated"
    /// Running: billed as an On-Demand instance, though not in service.
    case running = "Running"
  }

  public var poolState: PoolState
  /// MinSize: instances the pool keeps whatever the group's size (AWS default 0).
  public var minSize: Int
  /// MaxGroupPreparedCapacity: group plus pool; nil = the group's max size.
  public var maxGroupPreparedCapacity: Int?
  /// InstanceReusePolicy.ReuseOnScaleIn: scale-in returns instances to the pool instead of
  /// terminating them.
  public var reuseOnScaleIn: Bool
  /// Seconds from leaving the pool until the instance serves traffic (start + application
  /// resume); used instead of the group's `launchSeconds` for launches served by the pool.
  public var warmLaunchSeconds: SimTime
  /// Size of one instance's EBS volumes, GiB: billed while it waits stopped or hibernated.
  public var volumeGiBPerInstance: Double
  /// EBS storage price, USD per GB-month (prorated per second over the calendar month).
  public var usdPerGBMonth: Double

  /// 8 GiB: the root volume of the Amazon Linux 2023 AMI, the smallest common instance disk.
  public static let defaultVolumeGiBPerInstance = 8.0
  /// gp3 storage in US East (N. Virginia), USD per GB-month (Amazon EBS pricing page, gp3
  /// "$0.08/GB-month"). Other regions may cost more: set `usdPerGBMonth` from the page.
  public static let defaultUSDPerGBMonth = 0.08

  public init(
    poolState: PoolState = .stopped, minSize: Int = 0, maxGroupPreparedCapacity: Int? = nil,
    reuseOnScaleIn: Bool = false, warmLaunchSeconds: SimTime,
    volumeGiBPerInstance: Double = Self.defaultVolumeGiBPerInstance, usdPerGBMonth: Double = Self.defaultUSDPerGBMonth
  ) {
    self.poolState = poolState
    self.minSize = minSize
    self.maxGroupPreparedCapacity = maxGroupPreparedCapacity
    self.reuseOnScaleIn = reuseOnScaleIn
    self.warmLaunchSeconds = warmLaunchSeconds
    self.volumeGiBPerInstance = volumeGiBPerInstance
    self.usdPerGBMonth = usdPerGBMonth
  }

  /// Pool instances the group keeps at `desired` capacity and max size `maxSize`.
  public func targetSize(desired: Int, maxSize: Int) -> Int {
    max(minSize, max(0, (maxGroupPreparedCapacity ?? maxSize) - desired))
  }

  /// Whether waiting instances are stopped or hibernated (EBS billed, compute not).
  public var isStored: Bool { poolState != .running }

  func validate(group: GroupConfiguration) throws(AutoScalingError) {
    func fail(_ field: String, _ expected: String, _ found: Any) throws(AutoScalingError) {
      throw AutoScalingError(field: "warmPool.\(field)", expected: expected, found: "\(found)")
    }
    if group.onDemandPercentageAboveBaseCapacity < 100 {
      try fail(
        "onDemandPercentageAboveBaseCapacity", "100 (AWS allows no warm pool on a group with Spot or a mixed instances policy)",
        group.onDemandPercentageAboveBaseCapacity)
    }
    if minSize < 0 || minSize > GroupConfiguration.maximumSize {
      try fail("minSize", "0...\(GroupConfiguration.maximumSize)", minSize)
    }
    if let prepared = maxGroupPreparedCapacity, prepared < 0 || prepared > GroupConfiguration.maximumSize {
      try fail("maxGroupPreparedCapacity", "0...\(GroupConfiguration.maximumSize)", prepared)
    }
    if !(warmLaunchSeconds >= 0 && warmLaunchSeconds <= 86_400) {
      try fail("warmLaunchSeconds", "0...86400 seconds", warmLaunchSeconds)
    }
    if !(volumeGiBPerInstance > 0 && volumeGiBPerInstance <= 1_048_576) {
      try fail("volumeGiBPerInstance", "a size in (0, 1048576] GiB", volumeGiBPerInstance)
    }
    if !(usdPerGBMonth >= 0 && usdPerGBMonth <= 100) {
      try fail("usdPerGBMonth", "a price in 0...100 USD per GB-month", usdPerGBMonth)
    }
  }
}

/// `count` pool instances that waited stopped or hibernated from `startSeconds` to
/// `endSeconds`: billing prices their EBS volumes for that time.
public struct WarmPoolStoredInterval: Sendable, Equatable {
  public var count: Int
  public var startSeconds: SimTime
  public var endSeconds: SimTime

  public init(count: Int, startSeconds: SimTime, endSeconds: SimTime) {
    self.count = count
    self.startSeconds = startSeconds
    self.endSeconds = endSeconds
  }
}

/// What the warm pool did during a run.
public struct WarmPoolStatistics: Codable, Sendable, Equatable {
  /// Time-weighted mean of pool instances (entering, waiting), per tick.
  public var meanPoolSize: Double = 0
  /// Instances that scale-out took from the pool.
  public var launchesFromPool = 0
  /// Instances launched straight into the group because the pool had none ready.
  public var coldLaunches = 0
  /// Instances launched into the pool (initial fill excluded).
  public var poolRefills = 0
  /// Instances scale-in returned to the pool (ReuseOnScaleIn).
  public var returnedToPool = 0
  /// Pool instances terminated because the pool was over its size.
  public var poolTerminations = 0
  /// Instance-seconds pool instances ran while not in the group (entering the pool, and
  /// the whole wait in a Running pool): part of the lifetimes, billed as On-Demand.
  public var runningPoolInstanceSeconds = 0.0
  /// Instance-seconds pool instances waited stopped or hibernated (EBS only).
  public var storedPoolInstanceSeconds = 0.0

  public init() {}
}
