/// One disruption's effect on one fleet (variant or service): the run with every
/// disruption against the same run (same seed) without this one, so each figure is what
/// this disruption added, given the others.
public struct DisruptionEffect: Sendable, Equatable {
  public enum Kind: String, Sendable, Equatable {
    case spotInterruptions = "spot-interruptions"
    case zoneOutage = "zone-outage"
    case launchFailures = "launch-failures"
  }

  /// "spot interruptions", or the fault's name.
  public var name: String
  public var kind: Kind
  /// Cost with the disruption minus cost without it (the fleet's cost as reported: its
  /// bill, or its showback in a scenario with services).
  public var costUSD: Double
  /// Demand delayed with it minus without it, demand units.
  public var delayedUnits: Double
  /// Requests that timed out or were rejected, with minus without (requests fidelity); nil
  /// in the other fidelities, which drop nothing.
  public var droppedRequests: Double?
  /// Instances lost (zone outage) or interrupted (Spot).
  public var instancesLost: Int
  /// Launch attempts that failed (launch failures).
  public var failedLaunchAttempts: Int
  /// Spot only: replacements Capacity Rebalancing launched, and at-risk instances it
  /// replaced before they were reclaimed.
  public var capacityRebalanceLaunches: Int
  public var replacedBeforeInterruption: Int

  public init(
    name: String, kind: Kind, costUSD: Double, delayedUnits: Double, droppedRequests: Double?, instancesLost: Int,
    failedLaunchAttempts: Int, capacityRebalanceLaunches: Int = 0, replacedBeforeInterruption: Int = 0
  ) {
    self.name = name
    self.kind = kind
    self.costUSD = costUSD
    self.delayedUnits = delayedUnits
    self.droppedRequests = droppedRequests
    self.instancesLost = instancesLost
    self.failedLaunchAttempts = failedLaunchAttempts
    self.capacityRebalanceLaunches = capacityRebalanceLaunches
    self.replacedBeforeInterruption = replacedBeforeInterruption
  }
}
