import AutoScaling
import Foundation

/// One Auto Scaling group's scaling policies and scheduled actions, as plain values, ready to
/// be written as AWS CLI `--cli-input-json` documents (`cliDocuments()`) or a CloudFormation
/// template (`cloudFormationTemplate()`).
///
/// ```swift
/// let export = try AutoScalingExport(
///   groupName: "orders", region: "ap-northeast-2", timeZone: seoul, policies: variant.policies,
///   scheduledActions: variant.scheduledActions)
/// for document in try export.cliDocuments() { print(document.fileName, document.text) }
/// ```
///
/// Build it from policy values: a scenario variant's (`capsim export` picks the variant) or
/// the advisor's recommended policy (`RecommendationReport.export`). Everything is exported as configured: nothing is
/// rounded or dropped silently; a value AWS cannot take (a fractional cooldown, a 45 s alarm
/// period) is a `ReportingError`.
///
/// The group's settings capsim simulates go with them when set: its warm pool
/// (`PutWarmPool`, `AWS::AutoScaling::WarmPool`), and its Availability Zones and Capacity
/// Rebalancing (`UpdateAutoScalingGroup`; in the template, which does not own the group, a
/// comment to paste into the group's resource).
///
/// Not exported: the group's sizes and launch template, and capsim's simulation-only knobs
/// (target tracking's alarm datapoints and scale-in fraction, which AWS does not expose; a
/// warm pool's warm launch time and EBS volume, which are capsim's model of it).
public struct AutoScalingExport: Sendable {
  /// 1...255 ASCII characters 33...126, no colon (AWS's rule for group names).
  public var groupName: String
  /// AWS region code of the group, used in the placeholder policy ARN of alarms.
  public var region: String
  /// The zone cron recurrences are written in (scheduled actions' `TimeZone`).
  public var timeZone: TimeZone
  /// Target tracking, step, simple and predictive policies, exported in this order.
  /// `.scheduled` (already expanded to firing times) cannot be exported: pass
  /// `ScheduledActionDefinition`s in `scheduledActions` instead.
  public var policies: [ScalingPolicy]
  public var scheduledActions: [ScheduledActionDefinition]
  /// The target group request-count metrics are measured on; nil = placeholders (see
  /// `placeholderNotes`).
  public var loadBalancerTarget: LoadBalancerTarget?
  /// Where the policies come from, for the template's Description.
  public var source: String
  /// The group's warm pool (PutWarmPool's PoolState, MinSize, MaxGroupPreparedCapacity,
  /// InstanceReusePolicy); nil = none exported.
  public var warmPool: WarmPoolConfiguration?
  /// The group's Availability Zones (UpdateAutoScalingGroup's AvailabilityZones); empty =
  /// not exported (the group keeps its own).
  public var availabilityZones: [String] = []
  /// Capacity Rebalancing of a group that runs Spot (UpdateAutoScalingGroup's
  /// CapacityRebalance); nil = not exported.
  public var capacityRebalance: Bool?

  public init(
    groupName: String, region: String, timeZone: TimeZone, policies: [ScalingPolicy],
    scheduledActions: [ScheduledActionDefinition] = [],
    loadBalancerTarget: LoadBalancerTarget? = nil, source: String = "capsim"
  ) throws(ReportingError) {
    try Self.validateGroupName(groupName)
    self.groupName = groupName
    self.region = region
    self.timeZone = timeZone
    self.policies = policies
    self.scheduledActions = scheduledActions
    self.loadBalancerTarget = loadBalancerTarget
    self.source = source
  }

  // MARK: Group name

  /// An AWS-safe group name from any text: characters outside ASCII 33...126 and colons
  /// become "-" (runs collapsed, none at the ends), cut to 255; "capsim-group" if nothing
  /// is left.
  public static func groupName(from text: String) -> String {
    var name = ""
    for scalar in text.unicodeScalars {
      if isAllowedInGroupName(scalar) {
        name.unicodeScalars.append(scalar)
      } else if !name.isEmpty, name.last != "-" {
        name += "-"
      }
    }
    while name.last == "-" { name.removeLast() }
    name = String(name.prefix(255))
    return name.isEmpty ? "capsim-group" : name
  }

  static func isAllowedInGroupName(_ scalar: Unicode.Scalar) -> Bool {
    (33...126).contains(scalar.value) && scalar != ":"
  }

  static func validateGroupName(_ name: String) throws(ReportingError) {
    guard (1...255).contains(name.unicodeScalars.count), name.unicodeScalars.allSatisfy(isAllowedInGroupName) else {
      throw ReportingError(
        subject: "the Auto Scaling group name",
        expected: "1 to 255 printable ASCII characters without spaces or colons",
        found: "'\(name)' (\(name.unicodeScalars.count) characters)")
    }
  }

  // MARK: Load balancer

  /// True when some policy measures request count, so a target group is needed.
  public var usesLoadBalancer: Bool {
    policies.contains { policy in
      switch policy {
      case .targetTracking(let p): p.metric == .requestCountPerTarget
      case .step(let p): p.alarm.metric == .requestCountPerTarget
      case .simple(let p): p.alarm.metric == .requestCountPerTarget
      case .predictive(let p): p.metric == .requestCountPerTarget
      case .scheduled: false
      }
    }
  }

  /// What the user must fill in before applying the CLI documents, one sentence each.
  public var placeholderNotes: [String] {
    var notes: [String] = []
    if usesLoadBalancer && loadBalancerTarget == nil {
      notes.append(
        "request-count policies need the ALB target group: pass --resource-label "
          + "app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>; the documents hold REPLACE-... placeholders")
    }
    if !availabilityZones.isEmpty {
      notes.append(
        "AvailabilityZones are the group's zones; a group in a VPC takes its zones from VPCZoneIdentifier: "
          + "give it a subnet in each of \(availabilityZones.joined(separator: ", ")) instead (capsim knows zones, not subnets)")
    }
    if let pool = warmPool {
      notes.append(
        "the warm pool's warmLaunchTime (\(Self.seconds(pool.warmLaunchSeconds))) and EBS volume (\(Self.plainDecimal(pool.volumeGiBPerInstance)) GiB) "
          + "are capsim's model of it, not AWS settings: the launch template and the application decide them")
    }
    if policies.contains(where: { if case .step = $0 { true } else if case .simple = $0 { true } else { false } }) {
      notes.append(
        "each put-metric-alarm document's AlarmActions holds a placeholder ARN: "
          + "replace it with the PolicyARN that put-scaling-policy returns for that policy")
    }
    return notes
  }

  var target: LoadBalancerTarget { loadBalancerTarget ?? .placeholder }

  /// True when there is something to export: a policy, a scheduled action or a group setting.
  public var isEmpty: Bool {
    policies.isEmpty && scheduledActions.isEmpty && warmPool == nil && availabilityZones.isEmpty && capacityRebalance == nil
  }

  /// "90 s", or "1.5 s".
  static func seconds(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? "\(Int(value)) s" : "\(value) s"
  }
}
