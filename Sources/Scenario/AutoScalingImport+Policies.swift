import AutoScaling
import Foundation

// describe-policies entries and describe-scheduled-actions entries as scenario policies.
// Each maps to a YAML list item, or to nothing with a note saying why; partial mappings
// carry notes for the members left out.

extension AutoScalingImport {
  static let policyKeys: Set<String> = [
    "AutoScalingGroupName", "PolicyName", "PolicyARN", "PolicyType", "AdjustmentType", "MinAdjustmentStep",
    "MinAdjustmentMagnitude", "ScalingAdjustment", "Cooldown", "StepAdjustments", "MetricAggregationType",
    "EstimatedInstanceWarmup", "Alarms", "TargetTrackingConfiguration", "Enabled", "PredictiveScalingConfiguration",
  ]
  static let scheduledActionKeys: Set<String> = [
    "AutoScalingGroupName", "ScheduledActionName", "ScheduledActionARN", "Time", "StartTime", "EndTime", "Recurrence",
    "MinSize", "MaxSize", "DesiredCapacity", "TimeZone",
  ]
  static let alarmKeys: Set<String> = [
    "AlarmName", "AlarmArn", "AlarmDescription", "AlarmConfigurationUpdatedTimestamp", "ActionsEnabled", "OKActions",
    "AlarmActions", "InsufficientDataActions", "StateValue", "StateReason", "StateReasonData", "StateUpdatedTimestamp",
    "MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit", "EvaluationPeriods",
    "DatapointsToAlarm", "Threshold", "ComparisonOperator", "TreatMissingData", "EvaluateLowSampleCountPercentile",
    "Metrics", "ThresholdMetricId", "EvaluationState", "StateTransitionedTimestamp",
  ]

  /// An alarm as a scenario `alarm:` flow mapping, and the factor from CloudWatch's values
  /// to capsim's (request count: a Sum per period against capsim's per-minute rate).
  struct MappedAlarm {
    var yaml: String
    var scale: Double
  }
}

extension AutoScalingImport.Context {
  typealias Imported = AutoScalingImport.ImportedPolicy

  mutating func policy(_ item: ImportJSON, index: Int, groupCooldown: Int?) throws(ScenarioError) -> Imported {
    let document = policiesDocument
    let place = "ScalingPolicies[\(index)]"
    let name = try document.requiredString(item, "PolicyName", in: place)
    let type = try document.requiredString(item, "PolicyType", in: place)
    let what = "policy '\(name)' (\(type))"
    var notes = AutoScalingImport.unmappedNotes(item, mapped: AutoScalingImport.policyKeys, unsimulated: [], what: what)
    if try document.bool(item, "Enabled", in: place) == false {
      return Imported(lines: nil, notes: notes + ["\(what) not imported: it is disabled (Enabled false)"])
    }
    var body: [String]?
    switch type {
    case "TargetTrackingScaling": body = try targetTracking(item, what: what, place: place, notes: &notes)
    case "StepScaling": body = try step(item, what: what, place: place, notes: &notes)
    case "SimpleScaling": body = try simple(item, what: what, place: place, groupCooldown: groupCooldown, notes: &notes)
    case "PredictiveScaling": body = try predictive(item, what: what, place: place, notes: &notes)
    default: notes.append("\(what) not imported: capsim knows TargetTrackingScaling, StepScaling, SimpleScaling and PredictiveScaling")
    }
    guard let body else { return Imported(lines: nil, notes: notes) }
    let key = ["TargetTrackingScaling": "targetTracking", "StepScaling": "step", "SimpleScaling": "simple", "PredictiveScaling": "predictive"][type]!
    return Imported(lines: ["- \(key):", "    name: \(ImportYAML.string(name))"] + body.map { "    " + $0 }, notes: notes)
  }

  // MARK: Target tracking

  func targetTracking(_ item: ImportJSON, what: String, place: String, notes: inout [String]) throws(ScenarioError) -> [String]? {
    let document = policiesDocument
    guard let configuration = item["TargetTrackingConfiguration"] else {
      notes.append("\(what) not imported: it has no TargetTrackingConfiguration")
      return nil
    }
    let inPlace = "\(place).TargetTrackingConfiguration"
    if configuration["CustomizedMetricSpecification"] != nil {
      notes.append("\(what) not imported: it tracks a customized metric (CustomizedMetricSpecification); capsim simulates ASGAverageCPUUtilization and ALBRequestCountPerTarget only")
      return nil
    }
    guard let specification = configuration["PredefinedMetricSpecification"] else {
      notes.append("\(what) not imported: it has no PredefinedMetricSpecification")
      return nil
    }
    let metricName = try document.requiredString(specification, "PredefinedMetricType", in: "\(inPlace).PredefinedMetricSpecification")
    guard let metric = ScalingMetric(predefinedMetricType: metricName) else {
      notes.append("\(what) not imported: capsim does not simulate \(metricName); it simulates "
        + ScalingMetric.allCases.map(\.predefinedMetricType).joined(separator: " and "))
      return nil
    }
    guard let target = try document.number(configuration, "TargetValue", in: inPlace) else {
      throw document.error(at: configuration, "\(inPlace) has no 'TargetValue'")
    }
    var lines = ["metric: \(Self.metricKey(metric))", "target: \(ImportYAML.number(target))"]
    if try document.bool(configuration, "DisableScaleIn", in: inPlace) == true { lines.append("disableScaleIn: true") }
    if let warmup = item["EstimatedInstanceWarmup"] {
      // Not `warmup.number.map(ImportYAML.number)` in the interpolation: Swift 6.3.1's
      // optimizer (-O, CopyPropagation) crashes on it with "Found outside of lifetime use".
      var seconds = "?"
      if let number = warmup.number { seconds = ImportYAML.number(number) }
      notes.append("\(what): EstimatedInstanceWarmup \(seconds) not imported (capsim's target tracking uses the group's warmup)")
    }
    let unknown = configuration.keys.filter { !["PredefinedMetricSpecification", "TargetValue", "DisableScaleIn"].contains($0) }
    if !unknown.isEmpty { notes.append("\(what): TargetTrackingConfiguration keys not imported: \(unknown.joined(separator: ", "))") }
    return lines
  }

  static func metricKey(_ metric: ScalingMetric) -> String {
    metric == .averageCPUUtilization ? "cpu" : "requestCountPerTarget"
  }

  // MARK: Step and simple

  /// The policy's alarm from --alarms, or nil with a note saying why the policy is left out.
  func alarm(_ item: ImportJSON, what: String, notes: inout [String]) throws(ScenarioError) -> AutoScalingImport.MappedAlarm? {
    let names = (item["Alarms"]?.array ?? []).compactMap { $0["AlarmName"]?.string }
    guard let name = names.first else {
      notes.append("\(what) not imported: no CloudWatch alarm invokes it (empty 'Alarms'), so capsim cannot tell when it acts")
      return nil
    }
    if names.count > 1 {
      notes.append("\(what): invoked by \(names.count) alarms; imported with the first, '\(name)' (not imported: \(names.dropFirst().joined(separator: ", ")))")
    }
    guard alarmsGiven, let document = alarmsDocument else {
      notes.append("\(what) not imported: it needs its alarm '\(name)' (threshold, comparison, period): pass `aws cloudwatch describe-alarms` output as --alarms")
      return nil
    }
    guard let alarm = alarms.first(where: { $0["AlarmName"]?.string == name }) else {
      notes.append("\(what) not imported: its alarm '\(name)' is not in the --alarms file")
      return nil
    }
    let place = "alarm '\(name)'"
    if alarm["Metrics"] != nil {
      notes.append("\(what) not imported: its alarm '\(name)' uses metric math ('Metrics'); capsim simulates alarms on one metric")
      return nil
    }
    let namespace = try document.string(alarm, "Namespace", in: place) ?? ""
    let metricName = try document.string(alarm, "MetricName", in: place) ?? ""
    guard let metric = ScalingMetric(alarmNamespace: namespace, metricName: metricName) else {
      notes.append("\(what) not imported: its alarm '\(name)' watches \(namespace)/\(metricName); capsim simulates "
        + ScalingMetric.allCases.map { "\($0.alarmMetric.namespace)/\($0.alarmMetric.metricName)" }.joined(separator: " and "))
      return nil
    }
    let statistic = try document.string(alarm, "Statistic", in: place) ?? alarm["ExtendedStatistic"]?.string ?? "none"
    guard statistic == metric.alarmMetric.statistic else {
      notes.append("\(what) not imported: its alarm '\(name)' reads the \(statistic) of \(metricName); capsim's metric is its \(metric.alarmMetric.statistic)")
      return nil
    }
    guard let comparisonText = try document.string(alarm, "ComparisonOperator", in: place),
      let comparison = ComparisonOperator(rawValue: comparisonText)
    else {
      notes.append("\(what) not imported: its alarm '\(name)' compares with \(alarm["ComparisonOperator"]?.string ?? "nothing"); capsim simulates "
        + ComparisonOperator.allCases.map(\.rawValue).joined(separator: ", "))
      return nil
    }
    guard let threshold = try document.number(alarm, "Threshold", in: place) else {
      notes.append("\(what) not imported: its alarm '\(name)' has no Threshold")
      return nil
    }
    let period = try document.integer(alarm, "Period", in: place) ?? 60
    let evaluationPeriods = try document.integer(alarm, "EvaluationPeriods", in: place) ?? 1
    let scale = metric == .requestCountPerTarget ? Double(period) / 60 : 1
    var fields = [
      "metric: \(Self.metricKey(metric))", "comparison: \(comparison.rawValue)", "threshold: \(ImportYAML.number(threshold / scale))",
      "period: \(period)", "evaluationPeriods: \(evaluationPeriods)",
    ]
    if let datapoints = try document.integer(alarm, "DatapointsToAlarm", in: place) { fields.append("datapointsToAlarm: \(datapoints)") }
    if let missing = alarm["TreatMissingData"]?.string, !["missing", "notBreaching"].contains(missing) {
      notes.append("\(what): alarm '\(name)' TreatMissingData \"\(missing)\" not simulated (capsim treats a missing datapoint as not breaching)")
    }
    if alarm["ActionsEnabled"]?.bool == false {
      notes.append("\(what): alarm '\(name)' has ActionsEnabled false in AWS; capsim simulates it as enabled")
    }
    let unknown = alarm.keys.filter { !AutoScalingImport.alarmKeys.contains($0) }
    if !unknown.isEmpty { notes.append("\(what): alarm '\(name)' unknown keys, not imported: \(unknown.joined(separator: ", "))") }
    return AutoScalingImport.MappedAlarm(yaml: "{" + fields.joined(separator: ", ") + "}", scale: scale)
  }

  func adjustmentType(_ item: ImportJSON, what: String, place: String, notes: inout [String]) throws(ScenarioError) -> AdjustmentType? {
    let text = try policiesDocument.string(item, "AdjustmentType", in: place) ?? AdjustmentType.changeInCapacity.rawValue
    guard let type = AdjustmentType(rawValue: text) else {
      notes.append("\(what) not imported: AdjustmentType \(text); capsim knows " + AdjustmentType.allCases.map(\.rawValue).joined(separator: ", "))
      return nil
    }
    return type
  }

  /// `minAdjustmentMagnitude` (only with percent adjustments, as capsim and AWS take it).
  func minAdjustment(_ item: ImportJSON, type: AdjustmentType, what: String, place: String, notes: inout [String]) throws(ScenarioError) -> [String] {
    if item["MinAdjustmentStep"] != nil {
      notes.append("\(what): MinAdjustmentStep (deprecated) not imported; use MinAdjustmentMagnitude")
    }
    guard let magnitude = try policiesDocument.integer(item, "MinAdjustmentMagnitude", in: place) else { return [] }
    guard type == .percentChangeInCapacity else {
      notes.append("\(what): MinAdjustmentMagnitude \(magnitude) not imported (it applies to PercentChangeInCapacity only)")
      return []
    }
    return ["minAdjustmentMagnitude: \(magnitude)"]
  }

  func step(_ item: ImportJSON, what: String, place: String, notes: inout [String]) throws(ScenarioError) -> [String]? {
    let document = policiesDocument
    guard let alarm = try alarm(item, what: what, notes: &notes) else { return nil }
    guard let type = try adjustmentType(item, what: what, place: place, notes: &notes) else { return nil }
    var steps: [String] = []
    for (i, step) in try document.list(item, "StepAdjustments", in: place).enumerated() {
      let stepPlace = "\(place).StepAdjustments[\(i)]"
      var fields: [String] = []
      if let lower = try document.number(step, "MetricIntervalLowerBound", in: stepPlace) { fields.append("lower: \(ImportYAML.number(lower / alarm.scale))") }
      if let upper = try document.number(step, "MetricIntervalUpperBound", in: stepPlace) { fields.append("upper: \(ImportYAML.number(upper / alarm.scale))") }
      fields.append("adjustment: \(try document.requiredInteger(step, "ScalingAdjustment", in: stepPlace))")
      steps.append("  - {" + fields.joined(separator: ", ") + "}")
    }
    guard !steps.isEmpty else {
      notes.append("\(what) not imported: it has no StepAdjustments")
      return nil
    }
    var lines = ["alarm: \(alarm.yaml)", "adjustmentType: \(type.rawValue)", "steps:"] + steps
    lines += try minAdjustment(item, type: type, what: what, place: place, notes: &notes)
    if let warmup = try document.integer(item, "EstimatedInstanceWarmup", in: place) { lines.append("estimatedInstanceWarmup: \(warmup)") }
    if let aggregation = item["MetricAggregationType"]?.string, aggregation != "Average" {
      notes.append("\(what): MetricAggregationType \(aggregation) not simulated (capsim aggregates the metric as an Average)")
    }
    if item["Cooldown"] != nil { notes.append("\(what): Cooldown not imported (step scaling has no cooldown)") }
    return lines
  }

  func simple(_ item: ImportJSON, what: String, place: String, groupCooldown: Int?, notes: inout [String]) throws(ScenarioError) -> [String]? {
    let document = policiesDocument
    guard let alarm = try alarm(item, what: what, notes: &notes) else { return nil }
    guard let type = try adjustmentType(item, what: what, place: place, notes: &notes) else { return nil }
    let adjustment = try document.requiredInteger(item, "ScalingAdjustment", in: place)
    var lines = ["alarm: \(alarm.yaml)", "adjustmentType: \(type.rawValue)", "adjustment: \(adjustment)"]
    // AWS: a simple policy without its own Cooldown uses the group's DefaultCooldown.
    if let cooldown = try document.integer(item, "Cooldown", in: place) ?? groupCooldown { lines.append("cooldown: \(cooldown)") }
    lines += try minAdjustment(item, type: type, what: what, place: place, notes: &notes)
    return lines
  }

  // MARK: Predictive

  func predictive(_ item: ImportJSON, what: String, place: String, notes: inout [String]) throws(ScenarioError) -> [String]? {
    let document = policiesDocument
    guard let configuration = item["PredictiveScalingConfiguration"] else {
      notes.append("\(what) not imported: it has no PredictiveScalingConfiguration")
      return nil
    }
    let inPlace = "\(place).PredictiveScalingConfiguration"
    let specifications = try document.list(configuration, "MetricSpecifications", in: inPlace)
    guard let specification = specifications.first else {
      notes.append("\(what) not imported: it has no MetricSpecifications")
      return nil
    }
    if specifications.count > 1 { notes.append("\(what): only the first of \(specifications.count) MetricSpecifications imported") }
    let metric: ScalingMetric?
    if let pair = specification["PredefinedMetricPairSpecification"]?["PredefinedMetricType"]?.string {
      metric = ScalingMetric(predefinedMetricPairType: pair)
    } else if let scaling = specification["PredefinedScalingMetricSpecification"]?["PredefinedMetricType"]?.string {
      metric = ScalingMetric(predefinedMetricType: scaling)
    } else {
      metric = nil
    }
    guard let metric else {
      notes.append("\(what) not imported: its metric is customized or not one capsim simulates (predefined CPU or ALB request count pairs only)")
      return nil
    }
    guard let target = try document.number(specification, "TargetValue", in: "\(inPlace).MetricSpecifications[0]") else {
      throw document.error(at: specification, "\(inPlace).MetricSpecifications[0] has no 'TargetValue'")
    }
    if specification["PredefinedLoadMetricSpecification"] != nil || specification["CustomizedLoadMetricSpecification"] != nil {
      notes.append("\(what): its load metric is not imported; capsim forecasts the demand (--demand) as the load")
    }
    var lines = ["metric: \(Self.metricKey(metric))", "targetValue: \(ImportYAML.number(target))"]
    if let mode = try document.string(configuration, "Mode", in: inPlace) {
      guard PredictiveScalingPolicy.Mode(rawValue: mode) != nil else {
        notes.append("\(what) not imported: Mode \(mode) is not ForecastOnly or ForecastAndScale")
        return nil
      }
      lines.append("mode: \(mode)")
    }
    if let buffer = try document.integer(configuration, "SchedulingBufferTime", in: inPlace) { lines.append("schedulingBufferTime: \(buffer)") }
    if let behavior = try document.string(configuration, "MaxCapacityBreachBehavior", in: inPlace) {
      guard PredictiveScalingPolicy.MaxCapacityBreachBehavior(rawValue: behavior) != nil else {
        notes.append("\(what) not imported: MaxCapacityBreachBehavior \(behavior) is not HonorMaxCapacity or IncreaseMaxCapacity")
        return nil
      }
      lines.append("maxCapacityBreachBehavior: \(behavior)")
      if behavior == PredictiveScalingPolicy.MaxCapacityBreachBehavior.increaseMaxCapacity.rawValue,
        let buffer = try document.integer(configuration, "MaxCapacityBuffer", in: inPlace)
      {
        lines.append("maxCapacityBuffer: \(buffer)")
      }
    }
    return lines
  }

  // MARK: Scheduled actions

  mutating func scheduledAction(_ item: ImportJSON, index: Int) throws(ScenarioError) -> Imported {
    guard let document = scheduledDocument else { return Imported(lines: nil, notes: []) }
    let place = "ScheduledUpdateGroupActions[\(index)]"
    let name = try document.requiredString(item, "ScheduledActionName", in: place)
    let what = "scheduled action '\(name)'"
    var notes = AutoScalingImport.unmappedNotes(item, mapped: AutoScalingImport.scheduledActionKeys, unsimulated: [], what: what)
    var fields = ["name: \(ImportYAML.string(name))"]
    if let recurrence = try document.string(item, "Recurrence", in: place) {
      let zone = try document.string(item, "TimeZone", in: place) ?? "UTC"
      if timeZone == nil { timeZone = zone }
      guard timeZone == zone else {
        return Imported(lines: nil, notes: notes + ["\(what) not imported: its TimeZone \(zone) differs from the scenario's, \(timeZone!) (a scenario has one time zone)"])
      }
      fields.append("recurrence: \(ImportYAML.string(recurrence))")
      if item["StartTime"] != nil || item["Time"] != nil {
        notes.append("\(what): StartTime not imported (the recurrence fires over the whole simulated window)")
      }
    } else if let start = try document.string(item, "StartTime", in: place) {
      fields.append("at: \(ImportYAML.string(start))")
    } else if let time = try document.string(item, "Time", in: place) {
      fields.append("at: \(ImportYAML.string(time))")
    } else {
      return Imported(lines: nil, notes: notes + ["\(what) not imported: it has neither Recurrence nor StartTime"])
    }
    if item["EndTime"] != nil { notes.append("\(what): EndTime not imported (capsim's scheduled actions have no end time)") }
    var sized = false
    for (key, yamlKey) in [("MinSize", "minSize"), ("MaxSize", "maxSize"), ("DesiredCapacity", "desiredCapacity")] {
      if let value = try document.integer(item, key, in: place) {
        fields.append("\(yamlKey): \(value)")
        sized = true
      }
    }
    guard sized else { return Imported(lines: nil, notes: notes + ["\(what) not imported: it sets none of MinSize, MaxSize, DesiredCapacity"]) }
    return Imported(lines: ["- scheduled: {" + fields.joined(separator: ", ") + "}"], notes: notes)
  }
}
