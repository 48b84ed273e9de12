import Simulation

// A group with a MixedInstancesPolicy may launch several instance types (its Overrides).
// The engine sees them as options with a capacity and a Spot interruption rate, and two
// orders the allocation strategies give: Scenario turns strategies, prices and Spot Advisor
// buckets into those orders, so the engine never sees a price (docs/disruptions.md,
// "Several instance types").

/// One instance type the group may launch.
public struct InstanceTypeOverride: Sendable, Equatable {
  /// Label carried into the usage timeline, e.g. "m7i.large".
  public var instanceType: String
  /// Demand units one instance of the type serves per minute at 100% CPU.
  public var capacityUnitsPerMinute: Double
  /// Interruptions per running Spot instance of the type per second (>= 0); nil: the
  /// group's `spotInterruptions` rate.
  public var spotInterruptionRatePerSecond: Double?

  public init(instanceType: String, capacityUnitsPerMinute: Double, spotInterruptionRatePerSecond: Double? = nil) {
    self.instanceType = instanceType
    self.capacityUnitsPerMinute = capacityUnitsPerMinute
    self.spotInterruptionRatePerSecond = spotInterruptionRatePerSecond
  }
}

/// Where the group's launches go among its instance types.
///
/// Each launch first picks its zone (the group balances zones first), then its type: On-Demand
/// instances try `onDemandOrder` in order; Spot instances go to the type among the first
/// `spotPools` of `spotOrder` with the fewest Spot instances in that zone (ties: the earlier
/// in the order), and fall back to the rest of the order when a launch fails. Scale-in cuts
/// the other way: the type last in the order first, and with `spotPools` > 1 the fullest of
/// the pools the strategy spreads over, so the fleet stays where the strategy would put it
/// (ASG-UG "default termination policy": align to the allocation strategy).
public struct InstanceTypeAllocation: Sendable, Equatable {
  /// Indices into the group's `instanceTypes`, best first: a permutation.
  public var onDemandOrder: [Int]
  public var spotOrder: [Int]
  /// lowest-price's SpotInstancePools (1...types); 1 for the other Spot strategies.
  public var spotPools: Int

  public init(onDemandOrder: [Int], spotOrder: [Int], spotPools: Int = 1) {
    self.onDemandOrder = onDemandOrder
    self.spotOrder = spotOrder
    self.spotPools = spotPools
  }

  /// Every type in list order, Spot in one pool: what a one-type group does.
  public static func listOrder(count: Int) -> InstanceTypeAllocation {
    InstanceTypeAllocation(onDemandOrder: Array(0..<count), spotOrder: Array(0..<count))
  }
}

extension GroupConfiguration {
  /// At most as many types as a MixedInstancesPolicy takes Overrides (40), so a launch's
  /// tried types fit in a 64-bit set.
  public static let maximumInstanceTypes = 40

  /// The types the engine launches: `instanceTypes`, or the group's one type.
  var typeOptions: [InstanceTypeOverride] {
    instanceTypes.isEmpty
      ? [InstanceTypeOverride(instanceType: instanceType, capacityUnitsPerMinute: capacityUnitsPerMinute)]
      : instanceTypes
  }

  var typeAllocation: InstanceTypeAllocation {
    allocation ?? .listOrder(count: typeOptions.count)
  }

  func validateInstanceTypes() throws(AutoScalingError) {
    guard !instanceTypes.isEmpty else {
      if allocation != nil {
        throw AutoScalingError(field: "allocation", expected: "instanceTypes to allocate among", found: "no instance types")
      }
      return
    }
    func fail(_ field: String, _ expected: String, _ found: Any) throws(AutoScalingError) {
      throw AutoScalingError(field: field, expected: expected, found: "\(found)")
    }
    if instanceTypes.count > Self.maximumInstanceTypes {
      try fail("instanceTypes", "1...\(Self.maximumInstanceTypes) types", instanceTypes.count)
    }
    var names = Set<String>()
    for (index, option) in instanceTypes.enumerated() {
      if !names.insert(option.instanceType).inserted {
        try fail("instanceTypes[\(index)]", "a type not listed before", option.instanceType)
      }
      if !(option.capacityUnitsPerMinute > 0 && option.capacityUnitsPerMinute.isFinite) {
        try fail("instanceTypes[\(index)].capacityUnitsPerMinute", "a positive finite number", option.capacityUnitsPerMinute)
      }
      if let rate = option.spotInterruptionRatePerSecond, !(rate >= 0 && rate <= 1) {
        try fail("instanceTypes[\(index)].spotInterruptionRatePerSecond", "0...1 per second", rate)
      }
    }
    if !instanceTypes.contains(where: { $0.instanceType == instanceType }) {
      try fail("instanceType", "one of instanceTypes (\(instanceTypes.map(\.instanceType).joined(separator: ", ")))", instanceType)
    }
    let allocation = typeAllocation
    let all = Array(0..<instanceTypes.count)
    if allocation.onDemandOrder.sorted() != all {
      try fail("allocation.onDemandOrder", "a permutation of 0..<\(instanceTypes.count)", allocation.onDemandOrder)
    }
    if allocation.spotOrder.sorted() != all {
      try fail("allocation.spotOrder", "a permutation of 0..<\(instanceTypes.count)", allocation.spotOrder)
    }
    if allocation.spotPools < 1 || allocation.spotPools > instanceTypes.count {
      try fail("allocation.spotPools", "1...\(instanceTypes.count) (the types listed)", allocation.spotPools)
    }
    if instanceTypes.count > 1 && warmPool != nil {
      try fail(
        "warmPool", "no warm pool: AWS does not combine warm pools with a mixed instances policy",
        "\(instanceTypes.count) instance types")
    }
  }

  /// Whether the types serve alike (one capacity), as the queueing and requests servers
  /// need: they model one instance shape.
  var typesShareCapacity: Bool {
    typeOptions.allSatisfy { $0.capacityUnitsPerMinute == typeOptions[0].capacityUnitsPerMinute }
  }
}
