import AutoScaling

/// One instance type's part of a fleet that launches several (`purchaseOptions.instanceTypes`):
/// where the allocation strategies put the fleet, and what Spot interruptions hit it.
public struct InstanceTypeShare: Codable, Sendable, Equatable {
  public var instanceType: String
  /// Running instance-hours (launch to termination, before billing's one-minute minimum).
  public var onDemandInstanceHours: Double
  public var spotInstanceHours: Double
  /// Spot instances of the type EC2 reclaimed.
  public var spotInterruptions: Int

  public init(instanceType: String, onDemandInstanceHours: Double, spotInstanceHours: Double, spotInterruptions: Int) {
    self.instanceType = instanceType
    self.onDemandInstanceHours = onDemandInstanceHours
    self.spotInstanceHours = spotInstanceHours
    self.spotInterruptions = spotInterruptions
  }

  /// Per type of `types` (the group's order), from the run's lifetimes and the engine's
  /// per-type interruption counts (empty: none).
  public static func shares(types: [String], lifetimes: [InstanceLifetime], interruptions: [Int]) -> [InstanceTypeShare] {
    var shares = types.map {
      InstanceTypeShare(instanceType: $0, onDemandInstanceHours: 0, spotInstanceHours: 0, spotInterruptions: 0)
    }
    for life in lifetimes {
      let hours = Double(life.count) * (life.terminatedAt - life.launchedAt) / 3_600
      if life.isSpot { shares[life.typeIndex].spotInstanceHours += hours } else { shares[life.typeIndex].onDemandInstanceHours += hours }
    }
    for (index, count) in interruptions.enumerated() where index < shares.count { shares[index].spotInterruptions = count }
    return shares
  }
}
