import AutoScaling

/// One disruption's effect on one fleet (variant or service): the run with every
/// disruption against the same run (same seed) without this one, so each figure is what
/// this disruption added, given the others.
public struct DisruptionEffect: Codable, Sendable, Equatable {
  public enum Kind: String, Codable, Sendable, Equatable {
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

extension DisruptionEffect {
  /// A disruption a counterfactual run leaves out: its name, kind and, per fleet of the run
  /// (variants or services, in order), whether it touches that fleet (the fleet runs Spot
  /// with interruptions; the fault is in one of its zones and, if it names a type, a type
  /// it launches).
  public struct LeftOut: Codable, Sendable, Equatable {
    public var name: String
    public var kind: Kind
    public var touches: [Bool]

    public init(name: String, kind: Kind, touches: [Bool]) {
      self.name = name
      self.kind = kind
      self.touches = touches
    }
  }

  /// Fleet `fleet`'s effects of each left-out disruption it is touched by, in `leftOut`'s
  /// order: `full` is the fleet in the run as written, `without[k]` the same fleet in the
  /// run without `leftOut[k]`.
  public static func effects(
    full: VariantResult, without: [VariantResult], leftOut: [LeftOut], fleet: Int
  ) -> [DisruptionEffect] {
    precondition(without.count == leftOut.count, "\(without.count) counterfactual runs for \(leftOut.count) disruptions")
    let stats = full.statistics.disruptions ?? DisruptionStatistics()
    var effects: [DisruptionEffect] = []
    for (entry, other) in zip(leftOut, without) where entry.touches[fleet] {
      let dropped: Double? = full.statistics.requests.flatMap { requests in
        other.statistics.requests.map { base in
          (requests.timedOutRequests + requests.rejectedRequests) - (base.timedOutRequests + base.rejectedRequests)
        }
      }
      let delayed = full.statistics.delayedUnits - other.statistics.delayedUnits
      switch entry.kind {
      case .spotInterruptions:
        effects.append(
          DisruptionEffect(
            name: entry.name, kind: entry.kind, costUSD: full.costUSD - other.costUSD, delayedUnits: delayed,
            droppedRequests: dropped, instancesLost: stats.spotInterruptions, failedLaunchAttempts: 0,
            capacityRebalanceLaunches: stats.capacityRebalanceLaunches,
            replacedBeforeInterruption: stats.replacedBeforeInterruption))
      case .zoneOutage, .launchFailures:
        let faultStats = stats.faults.first { $0.name == entry.name } ?? FaultStatistics(name: entry.name)
        effects.append(
          DisruptionEffect(
            name: entry.name, kind: entry.kind, costUSD: full.costUSD - other.costUSD, delayedUnits: delayed,
            droppedRequests: dropped, instancesLost: faultStats.instancesLost,
            failedLaunchAttempts: faultStats.failedLaunchAttempts))
      }
    }
    return effects
  }
}
