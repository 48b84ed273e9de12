import AutoScaling

/// The scenario's fleet: where it runs and the Auto Scaling group every variant starts from.
public struct FleetDefinition: Sendable, Equatable {
  /// AWS region code, e.g. "ap-northeast-2".
  public var region: String
  /// The Availability Zones the group runs in, in the engine's order (zone `i` is
  /// `availabilityZones[i]`), each in `region`: `availabilityZone: ZONE` decodes to a list
  /// of one, `availabilityZones: [...]` to the list the group balances across. Empty =
  /// unspecified: one zone with no name, so only regional Reserved Instances can match the
  /// group's usage.
  public var availabilityZones: [String]
  /// The group's zone when it runs in exactly one (zonal Reserved Instances can match it);
  /// nil with none or several.
  public var availabilityZone: String? { availabilityZones.count == 1 ? availabilityZones[0] : nil }
  public var instanceType: String
  /// Validated; `capacityUnitsPerMinute` is the capacity map's entry for `instanceType`, and
  /// `onDemandBaseCapacity` / `onDemandPercentageAboveBaseCapacity` come from
  /// `purchaseOptions` (defaults 0 and 100: all On-Demand).
  public var group: GroupConfiguration
  /// `purchaseOptions.spotPriceUSDPerHour`: the Spot price to bill Spot usage at, > 0;
  /// nil = the billing engine's own Spot price for the type and region.
  public var spotPriceUSDPerHour: Double?
  /// `purchaseOptions.instanceTypes` and the allocation strategies (capacities resolved into
  /// `group.instanceTypes`; prices and Spot Advisor buckets are read when the run starts).
  public var instanceTypes = InstanceTypesDefinition()
  /// Where `fleet:` is written.
  public var location: SourceLocation
  /// `serving:` (the scenario's, or the service's own): how one instance serves requests;
  /// nil = fluid fidelity only. When set, `group.capacityUnitsPerMinute` is its capacity.
  public var serving: ServingModel?
  /// Where `serving:` is written (for errors found when the run checks it).
  public var servingLocation: SourceLocation?
  /// `slo:` (the scenario's, or the service's own): the latency objective.
  public var latencySLO: LatencySLO?
  /// The capacity map that applies to the fleet (its service's own, else the scenario's),
  /// in file order, `instanceType` among them; empty when the capacity follows from
  /// `serving:` alone. `capsim recommend` searches the other types too.
  public var capacityByType: [InstanceTypeCapacity] = []

  /// `availabilityZone`: the one zone, or nil (set `availabilityZones` for several).
  public init(
    region: String, availabilityZone: String? = nil, instanceType: String, group: GroupConfiguration,
    spotPriceUSDPerHour: Double? = nil, location: SourceLocation
  ) {
    self.region = region
    self.availabilityZones = availabilityZone.map { [$0] } ?? []
    self.instanceType = instanceType
    self.group = group
    self.spotPriceUSDPerHour = spotPriceUSDPerHour
    self.location = location
  }
}

/// One `capacity.unitsPerMinute` entry: demand units one instance of the type serves per
/// minute at 100% CPU (> 0), and where it is written.
public struct InstanceTypeCapacity: Sendable, Equatable {
  public var instanceType: String
  public var unitsPerMinute: Double
  public var location: SourceLocation

  public init(instanceType: String, unitsPerMinute: Double, location: SourceLocation) {
    self.instanceType = instanceType
    self.unitsPerMinute = unitsPerMinute
    self.location = location
  }
}

/// `purchaseOptions.instanceTypes` and the allocation strategies: the types a group with a
/// MixedInstancesPolicy launches (its Overrides) and how it picks among them. The fleet's
/// are the defaults; a variant's `purchaseOptions` changes only the keys it writes.
public struct InstanceTypesDefinition: Sendable, Equatable {
  /// AWS's SpotAllocationStrategy values.
  public enum SpotStrategy: String, Sendable, Equatable, CaseIterable {
    case lowestPrice = "lowest-price"
    case capacityOptimized = "capacity-optimized"
    case capacityOptimizedPrioritized = "capacity-optimized-prioritized"
    case priceCapacityOptimized = "price-capacity-optimized"
  }

  /// AWS's OnDemandAllocationStrategy values.
  public enum OnDemandStrategy: String, Sendable, Equatable, CaseIterable {
    case prioritized
    case lowestPrice = "lowest-price"
  }

  /// In priority order, the fleet's `instanceType` among them; empty = that type alone.
  public var instanceTypes: [String] = []
  /// Where each of `instanceTypes` is written.
  public var locations: [SourceLocation] = []
  /// AWS's defaults for an Auto Scaling group: lowest-price over 2 pools, prioritized.
  public var spotAllocationStrategy: SpotStrategy = .lowestPrice
  public var spotInstancePools = 2
  public var onDemandAllocationStrategy: OnDemandStrategy = .prioritized

  public init() {}
}
