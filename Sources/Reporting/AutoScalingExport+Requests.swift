import AutoScaling
import Foundation

// The request bodies, shared by the CLI and CloudFormation renderings. Key order follows
// the AWS API reference; keys the user did not set are left out (AWS defaults apply).

extension AutoScalingExport {
  /// One scaling policy and, for step and simple scaling, the CloudWatch alarm that invokes it.
  struct PolicyRequest {
    var name: String
    var policyType: String
    /// PutScalingPolicy members after AutoScalingGroupName, PolicyName and PolicyType.
    var members: [(String, ExportValue)]
    /// PutMetricAlarm members after AlarmName (step and simple scaling only).
    var alarm: [(String, ExportValue)]?
  }

  struct ScheduledRequest {
    var name: String
    /// PutScheduledUpdateGroupAction members after AutoScalingGroupName and ScheduledActionName.
    var members: [(String, ExportValue)]
  }

  func policyRequests() throws(ReportingError) -> [PolicyRequest] {
    var requests: [PolicyRequest] = []
    for policy in policies {
      switch policy {
      case .targetTracking(let p): requests.append(targetTrackingRequest(p))
      case .step(let p): requests.append(try stepRequest(p))
      case .simple(let p): requests.append(try simpleRequest(p))
      case .predictive(let p): requests.append(try predictiveRequest(p))
      case .scheduled(let action):
        throw ReportingError(
          subject: "scheduled action '\(action.name)'",
          expected: "a ScheduledActionDefinition with its cron recurrence or time (in scheduledActions)",
          found: "a ScheduledAction already expanded to firing times")
      }
    }
    return requests
  }

  /// UpdateAutoScalingGroup members after AutoScalingGroupName (AvailabilityZones,
  /// CapacityRebalance), nil when neither is set.
  func groupRequest() -> [(String, ExportValue)]? {
    var members: [(String, ExportValue)] = []
    if !availabilityZones.isEmpty { members.append(("AvailabilityZones", .list(availabilityZones.map { .string($0) }))) }
    if let capacityRebalance { members.append(("CapacityRebalance", .bool(capacityRebalance))) }
    return members.isEmpty ? nil : members
  }

  /// PutWarmPool members after AutoScalingGroupName: MaxGroupPreparedCapacity (when set;
  /// absent, AWS uses the group's max size, as capsim does), MinSize, PoolState and
  /// InstanceReusePolicy. nil without a pool.
  func warmPoolRequest() throws(ReportingError) -> [(String, ExportValue)]? {
    guard let pool = warmPool else { return nil }
    guard pool.minSize >= 0, (pool.maxGroupPreparedCapacity ?? 0) >= 0 else {
      throw ReportingError(
        subject: "the warm pool of '\(groupName)'", expected: "MinSize and MaxGroupPreparedCapacity of 0 or more",
        found: "MinSize \(pool.minSize), MaxGroupPreparedCapacity \(pool.maxGroupPreparedCapacity.map(String.init) ?? "unset")")
    }
    var members: [(String, ExportValue)] = []
    if let prepared = pool.maxGroupPreparedCapacity { members.append(("MaxGroupPreparedCapacity", .integer(prepared))) }
    members.append(("MinSize", .integer(pool.minSize)))
    members.append(("PoolState", .string(pool.poolState.rawValue)))
    members.append(("InstanceReusePolicy", .map([("ReuseOnScaleIn", .bool(pool.reuseOnScaleIn))])))
    return members
  }

  func scheduledRequests() -> [ScheduledRequest] {
    scheduledActions.map { action in
      var members: [(String, ExportValue)] = []
      switch action.schedule {
      case .recurrence(let cron):
        members.append(("Recurrence", .string(cron.text.split(whereSeparator: \.isWhitespace).joined(separator: " "))))
        members.append(("TimeZone", .string(Self.ianaName(timeZone))))
      case .at(let date):
        members.append(("StartTime", .string(Self.utcTimestamp(date))))
      }
      if let v = action.minSize { members.append(("MinSize", .integer(v))) }
      if let v = action.maxSize { members.append(("MaxSize", .integer(v))) }
      if let v = action.desiredCapacity { members.append(("DesiredCapacity", .integer(v))) }
      return ScheduledRequest(name: action.name, members: members)
    }
  }

  // MARK: Policies

  func targetTrackingRequest(_ p: TargetTrackingPolicy) -> PolicyRequest {
    var metric: [(String, ExportValue)] = []
    metric.append(("PredefinedMetricType", .string(p.metric.predefinedMetricType)))
    if p.metric == .requestCountPerTarget { metric.append(("ResourceLabel", .resourceLabel)) }
    return PolicyRequest(
      name: p.name, policyType: "TargetTrackingScaling",
      members: [
        (
          "TargetTrackingConfiguration",
          .map([
            ("PredefinedMetricSpecification", .map(metric)),
            ("TargetValue", .number(p.targetValue)),
            ("DisableScaleIn", .bool(p.disableScaleIn)),
          ])
        )
      ])
  }

  /// Step bounds: capsim's `StepAdjustment` bounds are already offsets from the alarm
  /// threshold (`lower <= metric - threshold < upper`), exactly AWS's
  /// MetricIntervalLowerBound/UpperBound, so they are copied, only rescaled with the
  /// threshold when the alarm metric is a per-period sum (`AlarmMetric.scale`).
  func stepRequest(_ p: StepScalingPolicy) throws(ReportingError) -> PolicyRequest {
    let metric = try alarmMetric(p.alarm, policy: p.name)
    let steps: [ExportValue] = p.steps.map { step in
      var members: [(String, ExportValue)] = []
      if let v = step.lowerBound { members.append(("MetricIntervalLowerBound", .number(v * metric.scale))) }
      if let v = step.upperBound { members.append(("MetricIntervalUpperBound", .number(v * metric.scale))) }
      members.append(("ScalingAdjustment", .integer(step.scalingAdjustment)))
      return .map(members)
    }
    var members: [(String, ExportValue)] = [
      ("AdjustmentType", .string(p.adjustmentType.rawValue)),
      ("StepAdjustments", .list(steps)),
      ("MetricAggregationType", .string("Average")),
    ]
    if let v = p.minAdjustmentMagnitude { members.append(("MinAdjustmentMagnitude", .integer(v))) }
    if let v = p.estimatedInstanceWarmupSeconds {
      members.append(("EstimatedInstanceWarmup", .integer(try Self.wholeSeconds(v, "policy '\(p.name)': estimatedInstanceWarmup"))))
    }
    return PolicyRequest(
      name: p.name, policyType: "StepScaling", members: members,
      alarm: try alarmRequest(p.alarm, metric: metric, policy: p.name))
  }

  func simpleRequest(_ p: SimpleScalingPolicy) throws(ReportingError) -> PolicyRequest {
    let metric = try alarmMetric(p.alarm, policy: p.name)
    var members: [(String, ExportValue)] = [
      ("AdjustmentType", .string(p.adjustmentType.rawValue)),
      ("ScalingAdjustment", .integer(p.scalingAdjustment)),
      ("Cooldown", .integer(try Self.wholeSeconds(p.cooldownSeconds, "policy '\(p.name)': cooldown"))),
    ]
    if let v = p.minAdjustmentMagnitude { members.append(("MinAdjustmentMagnitude", .integer(v))) }
    return PolicyRequest(
      name: p.name, policyType: "SimpleScaling", members: members,
      alarm: try alarmRequest(p.alarm, metric: metric, policy: p.name))
  }

  func predictiveRequest(_ p: PredictiveScalingPolicy) throws(ReportingError) -> PolicyRequest {
    var pair: [(String, ExportValue)] = []
    pair.append(("PredefinedMetricType", .string(p.metric.predefinedMetricPairType)))
    if p.metric == .requestCountPerTarget { pair.append(("ResourceLabel", .resourceLabel)) }
    let buffer = try Self.wholeSeconds(p.schedulingBufferSeconds, "policy '\(p.name)': schedulingBufferTime")
    guard buffer <= 3_600 else {
      throw ReportingError(
        subject: "policy '\(p.name)': schedulingBufferTime", expected: "0...3600 seconds", found: "\(buffer)")
    }
    var configuration: [(String, ExportValue)] = [
      (
        "MetricSpecifications",
        .list([.map([("TargetValue", .number(p.targetValue)), ("PredefinedMetricPairSpecification", .map(pair))])])
      ),
      ("Mode", .string(p.mode.rawValue)),
      ("SchedulingBufferTime", .integer(buffer)),
      ("MaxCapacityBreachBehavior", .string(p.maxCapacityBreachBehavior.rawValue)),
    ]
    // AWS: MaxCapacityBuffer is required with IncreaseMaxCapacity and rejected otherwise.
    if p.maxCapacityBreachBehavior == .increaseMaxCapacity {
      guard (0...100).contains(p.maxCapacityBufferPercent) else {
        throw ReportingError(
          subject: "policy '\(p.name)': maxCapacityBuffer", expected: "0...100 percent", found: "\(p.maxCapacityBufferPercent)")
      }
      configuration.append(("MaxCapacityBuffer", .integer(p.maxCapacityBufferPercent)))
    }
    return PolicyRequest(
      name: p.name, policyType: "PredictiveScaling", members: [("PredictiveScalingConfiguration", .map(configuration))])
  }

  // MARK: Alarms

  /// The CloudWatch metric an alarm watches, and the factor from capsim's value to it.
  struct AlarmMetric {
    var namespace: String
    var metricName: String
    var statistic: String
    var dimension: (name: String, value: ExportValue)
    /// CPU: 1. Request count: capsim measures requests per target per minute; CloudWatch's
    /// RequestCountPerTarget takes only the Sum statistic, per period, so thresholds and
    /// step bounds are multiplied by period / 60 s.
    var scale: Double
  }

  func alarmMetric(_ alarm: AlarmConfiguration, policy: String) throws(ReportingError) -> AlarmMetric {
    let period = try Self.wholeSeconds(alarm.periodSeconds, "policy '\(policy)': alarm period")
    guard period >= 60, period % 60 == 0 else {
      throw ReportingError(
        subject: "policy '\(policy)': alarm period",
        expected: "a multiple of 60 seconds (EC2 and ALB publish these metrics once a minute at most)",
        found: "\(period) seconds")
    }
    let names = alarm.metric.alarmMetric
    switch alarm.metric {
    case .averageCPUUtilization:
      return AlarmMetric(
        namespace: names.namespace, metricName: names.metricName, statistic: names.statistic,
        dimension: ("AutoScalingGroupName", .groupName), scale: 1)
    case .requestCountPerTarget:
      return AlarmMetric(
        namespace: names.namespace, metricName: names.metricName, statistic: names.statistic,
        dimension: ("TargetGroup", .targetGroupFullName), scale: Double(period) / 60)
    }
  }

  func alarmRequest(_ alarm: AlarmConfiguration, metric: AlarmMetric, policy: String) throws(ReportingError)
    -> [(String, ExportValue)]
  {
    [
      ("AlarmDescription", .string("Invokes scaling policy '\(policy)' (exported by capsim).")),
      ("MetricName", .string(metric.metricName)),
      ("Namespace", .string(metric.namespace)),
      ("Statistic", .string(metric.statistic)),
      ("Dimensions", .list([.map([("Name", .string(metric.dimension.name)), ("Value", metric.dimension.value)])])),
      ("Period", .integer(try Self.wholeSeconds(alarm.periodSeconds, "policy '\(policy)': alarm period"))),
      ("EvaluationPeriods", .integer(alarm.evaluationPeriods)),
      ("DatapointsToAlarm", .integer(alarm.datapointsToAlarm)),
      ("Threshold", .number(alarm.threshold * metric.scale)),
      ("ComparisonOperator", .string(alarm.comparison.rawValue)),
      ("AlarmActions", .list([.policyARN(policy)])),
    ]
  }

  // MARK: Helpers

  static func wholeSeconds(_ seconds: Double, _ subject: String) throws(ReportingError) -> Int {
    guard seconds.isFinite, seconds >= 0, seconds <= 1e9, seconds == seconds.rounded() else {
      throw ReportingError(subject: subject, expected: "a whole number of seconds (AWS takes integers)", found: "\(seconds)")
    }
    return Int(seconds)
  }

  /// AWS wants canonical IANA names; Foundation reports UTC as "GMT" on some platforms.
  static func ianaName(_ zone: TimeZone) -> String {
    ["UTC", "GMT", "Etc/GMT", "Etc/UTC", "Universal", "Zulu"].contains(zone.identifier) ? "Etc/UTC" : zone.identifier
  }

  /// `YYYY-MM-DDThh:mm:ssZ`, the only form StartTime takes.
  static func utcTimestamp(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    func two(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
    return "\(c.year ?? 1970)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))Z"
  }
}
