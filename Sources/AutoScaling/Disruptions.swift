import Foundation
import Simulation

// What goes wrong in a real fleet, in engine units: Spot interruptions (a property of the
// group's Spot capacity) and faults (events the scenario places in time: a lost
// Availability Zone, launches failing for lack of capacity). Scenario turns calendar times,
// zone names and Spot Advisor buckets into these; the engine never sees a date or a name.

/// How the group's Spot instances are interrupted (EC2-UG "Spot Instance interruptions";
/// ASG-UG "Capacity Rebalancing").
///
/// The process is Poisson per running Spot instance: each is reclaimed at
/// `ratePerInstanceSecond`, independently, and the one reclaimed is drawn uniformly among
/// the running Spot instances. Its first warning comes `warningLeadSeconds` before the
/// interruption (the EC2 instance rebalance recommendation; the two-minute interruption
/// notice is the latest warning AWS guarantees, so the lead is at least 120 s).
///
/// - Capacity Rebalancing off: nothing happens at the warning; the instance serves until it
///   is reclaimed, and the group launches a replacement then (AWS: "Auto Scaling doesn't
///   replace a Spot Instance until after the Amazon EC2 Spot service interrupts the instance
///   and its health check fails").
/// - Capacity Rebalancing on: at the warning the group launches a replacement Spot instance
///   (if the group may exceed its maximum by the rebalancing margin, see
///   ``GroupConfiguration/rebalancingMargin``) and terminates the at-risk instance once the
///   replacement is in service, or loses it at the interruption if that comes first.
public struct SpotInterruptions: Sendable, Equatable {
  /// Interruptions per running Spot instance per second (>= 0; 0 = never). nil: the
  /// Spot Advisor bucket of the group's type, which the caller (Scenario) must resolve
  /// before the run.
  public var ratePerInstanceSecond: Double?
  /// Seconds from the first warning to the interruption (>= 120, the notice).
  public var warningLeadSeconds: SimTime
  public var capacityRebalance: Bool

  public static let noticeSeconds: SimTime = 120
  /// The month a Spot Advisor frequency refers to: 730 hours (AWS's billing month).
  public static let monthSeconds: SimTime = 730 * 3_600

  public init(ratePerInstanceSecond: Double?, warningLeadSeconds: SimTime = noticeSeconds, capacityRebalance: Bool) {
    self.ratePerInstanceSecond = ratePerInstanceSecond
    self.warningLeadSeconds = warningLeadSeconds
    self.capacityRebalance = capacityRebalance
  }

  /// The per-instance rate at which a share `monthlyFraction` (0..<1) of instances running
  /// a whole month is interrupted at least once: `-ln(1 - p) / month`.
  public static func rate(monthlyFraction p: Double) -> Double {
    -Foundation.log(1 - p) / monthSeconds
  }

  func validate() throws(AutoScalingError) {
    guard let rate = ratePerInstanceSecond else {
      throw AutoScalingError(
        field: "spotInterruptions.ratePerInstanceSecond", expected: "a rate (resolved from the Spot Advisor)", found: "none")
    }
    if !(rate >= 0 && rate <= 1) {
      throw AutoScalingError(field: "spotInterruptions.ratePerInstanceSecond", expected: "0...1 per second", found: "\(rate)")
    }
    if !(warningLeadSeconds >= Self.noticeSeconds && warningLeadSeconds <= 86_400) {
      throw AutoScalingError(
        field: "spotInterruptions.warningLeadSeconds",
        expected: "120...86400 seconds (the two-minute notice is the latest warning)", found: "\(warningLeadSeconds)")
    }
  }
}

/// An event the scenario places in the run.
public enum FleetFault: Sendable, Equatable {
  /// The zone is lost from `startSeconds` for `durationSeconds`: its instances stop serving
  /// at once, the group's health checks find them after `detectionSeconds` and replace them
  /// in the other zones; no launch goes to the zone while it is down. When it comes back,
  /// the group rebalances (launches in the zone first, then terminates in the others).
  case zoneOutage(ZoneOutage)
  /// Launches fail with InsufficientInstanceCapacity.
  case launchFailures(LaunchFailures)

  public var name: String {
    switch self {
    case .zoneOutage(let f): f.name
    case .launchFailures(let f): f.name
    }
  }
}

public struct ZoneOutage: Sendable, Equatable {
  public var name: String
  /// Index into the group's zones (0..<availabilityZoneCount).
  public var zone: Int
  public var startSeconds: SimTime
  public var durationSeconds: SimTime
  /// From the loss to the group terminating the lost instances (ELB health checks: an
  /// Application Load Balancer's defaults, 2 failed checks 30 s apart, give 60 s).
  public var detectionSeconds: SimTime

  public init(name: String, zone: Int, startSeconds: SimTime, durationSeconds: SimTime, detectionSeconds: SimTime = 60) {
    self.name = name
    self.zone = zone
    self.startSeconds = startSeconds
    self.durationSeconds = durationSeconds
    self.detectionSeconds = detectionSeconds
  }
}

/// Each launch attempt (one instance of one type in one zone) inside the window fails with
/// `probability`; a failed instance tries the group's other types in the zone, then its other
/// zones (AWS launches in another pool when one lacks capacity), and what still fails is
/// retried `retrySeconds` later while the group is below its desired capacity.
public struct LaunchFailures: Sendable, Equatable {
  /// Which launches a failure applies to.
  public enum Market: String, Sendable, Equatable {
    case onDemand = "on-demand"
    case spot
  }

  public var name: String
  public var probability: Double
  /// The zone whose launches fail; nil: every zone.
  public var zone: Int?
  /// The instance type (index into the group's `instanceTypes`) whose launches fail; nil: every type.
  public var instanceType: Int?
  /// On-Demand or Spot launches only; nil: both.
  public var market: Market?
  public var startSeconds: SimTime
  /// nil: to the end of the run.
  public var endSeconds: SimTime?
  public var retrySeconds: SimTime

  public init(
    name: String, probability: Double, zone: Int? = nil, instanceType: Int? = nil, market: Market? = nil,
    startSeconds: SimTime = 0, endSeconds: SimTime? = nil, retrySeconds: SimTime = 60
  ) {
    self.name = name
    self.probability = probability
    self.zone = zone
    self.instanceType = instanceType
    self.market = market
    self.startSeconds = startSeconds
    self.endSeconds = endSeconds
    self.retrySeconds = retrySeconds
  }

  func applies(zone z: Int, type t: Int, isSpot: Bool, at time: SimTime) -> Bool {
    (zone == nil || zone == z) && (instanceType == nil || instanceType == t)
      && (market == nil || (market == .spot) == isSpot) && time >= startSeconds && time < (endSeconds ?? .infinity)
  }
}

extension FleetFault {
  func validate(zoneCount: Int, typeCount: Int = 1) throws(AutoScalingError) {
    func fail(_ field: String, _ expected: String, _ found: Any) throws(AutoScalingError) {
      throw AutoScalingError(field: "faults['\(name)'].\(field)", expected: expected, found: "\(found)")
    }
    switch self {
    case .zoneOutage(let f):
      if f.zone < 0 || f.zone >= zoneCount { try fail("zone", "one of the group's \(zoneCount) zones", f.zone) }
      if !(f.startSeconds >= 0 && f.startSeconds.isFinite) { try fail("start", "a time in the run", f.startSeconds) }
      if !(f.durationSeconds > 0 && f.durationSeconds.isFinite) { try fail("duration", "> 0 seconds", f.durationSeconds) }
      if !(f.detectionSeconds >= 0 && f.detectionSeconds <= f.durationSeconds) {
        try fail("detection", "0...duration (\(f.durationSeconds) s)", f.detectionSeconds)
      }
    case .launchFailures(let f):
      if !(f.probability >= 0 && f.probability <= 1) { try fail("probability", "0...1", f.probability) }
      if let zone = f.zone, zone < 0 || zone >= zoneCount {
        try fail("zone", "one of the group's \(zoneCount) zones", zone)
      }
      if let type = f.instanceType, type < 0 || type >= typeCount {
        try fail("instanceType", "one of the group's \(typeCount) instance types", type)
      }
      if !(f.startSeconds >= 0 && f.startSeconds.isFinite) { try fail("start", "a time in the run", f.startSeconds) }
      if let end = f.endSeconds, !(end > f.startSeconds && end.isFinite) {
        try fail("end", "after the start (\(f.startSeconds) s)", end)
      }
      if !(f.retrySeconds >= 1 && f.retrySeconds <= 86_400) { try fail("retry", "1...86400 seconds", f.retrySeconds) }
    }
  }
}
