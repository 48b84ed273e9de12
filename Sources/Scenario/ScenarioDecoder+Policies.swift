import AutoScaling
import Foundation

extension ScenarioDecoder {
  static let policyTypes = ["targetTracking", "step", "simple", "scheduled", "predictive"]
  static let targetTrackingKeys = [
    "name", "metric", "target", "disableScaleIn", "scaleOutDatapoints", "scaleInDatapoints", "scaleInThresholdRatio",
    "metricPeriod", "scaleInMaxFraction",
  ]
  static let alarmKeys = ["metric", "comparison", "threshold", "period", "evaluationPeriods", "datapointsToAlarm"]
  static let stepKeys = ["name", "alarm", "adjustmentType", "steps", "minAdjustmentMagnitude", "estimatedInstanceWarmup"]
  static let stepAdjustmentKeys = ["lower", "upper", "adjustment"]
  static let simpleKeys = ["name", "alarm", "adjustmentType", "adjustment", "cooldown", "minAdjustmentMagnitude"]
  static let scheduledKeys = ["name", "recurrence", "at", "minSize", "maxSize", "desiredCapacity"]
  static let predictiveKeys = [
    "name", "metric", "targetValue", "mode", "schedulingBufferTime", "maxCapacityBreachBehavior", "maxCapacityBuffer",
  ]
  static let predictiveModes = PredictiveScalingPolicy.Mode.allCases.map { ($0.rawValue, $0) }
  static let breachBehaviors = PredictiveScalingPolicy.MaxCapacityBreachBehavior.allCases.map { ($0.rawValue, $0) }

  static let metrics: [(String, ScalingMetric)] = [
    ("cpu", .averageCPUUtilization), ("requestCountPerTarget", .requestCountPerTarget),
    ("ASGAverageCPUUtilization", .averageCPUUtilization), ("ALBRequestCountPerTarget", .requestCountPerTarget),
  ]
  static let comparisons: [(String, ComparisonOperator)] = [
    (">=", .greaterThanOrEqualToThreshold), (">", .greaterThanThreshold), ("<", .lessThanThreshold),
    ("<=", .lessThanOrEqualToThreshold),
  ] + ComparisonOperator.allCases.map { ($0.rawValue, $0) }
  static let adjustmentTypes = AdjustmentType.allCases.map { ($0.rawValue, $0) }
  /// Bound on any adjustment written in a file; AutoScaling narrows it per adjustment type.
  static let adjustmentRange = -GroupConfiguration.maximumSize...GroupConfiguration.maximumSize

  struct Policies {
    var policies: [ScalingPolicy] = []
    var scheduledActions: [ScheduledActionDefinition] = []
    var locations: [String: SourceLocation] = [:]
  }

  /// `policies:` items, each a one-key mapping naming its type. Names default to
  /// "<type>-<n>" (n from 1, the item's position) and must be unique in the variant.
  func decodePolicies(_ value: YAMLValue?) throws(ScenarioError) -> Policies {
    var result = Policies()
    guard let value else { return result }
    var firstLines: [String: Int] = [:]
    for (index, item) in try value.sequence(count: 0...1_000).enumerated() {
      let expected = "a one-key mapping naming the policy type (\(Self.policyTypes.joined(separator: ", ")))"
      guard case .mapping = item.node else { throw item.wrongType(expected) }
      let entries = try item.keyedValues()
      guard entries.count == 1, let (type, body) = entries.first else {
        let keys = entries.map(\.name).joined(separator: ", ")
        throw item.error(.wrongType(
          field: item.name, expected: expected,
          found: entries.isEmpty ? "an empty mapping" : "a mapping with \(entries.count) keys (\(keys))"))
      }
      guard Self.policyTypes.contains(type) else {
        throw body.keyLocation.error(.unknownKey(
          key: type, in: item.path, allowed: Self.policyTypes, suggestion: Suggestion.closest(to: type, among: Self.policyTypes)))
      }
      let location = body.keyLocation
      let nameValue: YAMLValue?
      if case .mapping = body.node { nameValue = try body.mapping(allowedKeys: Self.allowedKeys(type))["name"] } else { nameValue = nil }
      let name = try nameValue?.identifier() ?? "\(type)-\(index + 1)"
      if let firstLine = firstLines[name] {
        throw (nameValue?.location ?? location).error(.duplicate(kind: "policy name", name: name, firstLine: firstLine))
      }
      firstLines[name] = (nameValue?.location ?? location).line
      result.locations[name] = location

      if type == "scheduled" {
        result.scheduledActions.append(try decodeScheduled(body, name: name, location: location))
        continue
      }
      let policy: ScalingPolicy
      switch type {
      case "targetTracking": policy = .targetTracking(try decodeTargetTracking(body, name: name))
      case "step": policy = .step(try decodeStep(body, name: name))
      case "predictive": policy = .predictive(try decodePredictive(body, name: name))
      default: policy = .simple(try decodeSimple(body, name: name))
      }
      do {
        try policy.validate()
      } catch {
        let keys = type == "predictive" ? Self.predictiveFieldKeys : Self.policyFieldKeys
        throw Self.policyError(error, body: body, fallback: location, fieldKeys: keys)
      }
      result.policies.append(policy)
    }
    return result
  }

  static func allowedKeys(_ type: String) -> [String] {
    switch type {
    case "targetTracking": targetTrackingKeys
    case "step": stepKeys
    case "simple": simpleKeys
    case "predictive": predictiveKeys
    default: scheduledKeys
    }
  }

  func decodeTargetTracking(_ body: YAMLValue, name: String) throws(ScenarioError) -> TargetTrackingPolicy {
    let m = try body.mapping(allowedKeys: Self.targetTrackingKeys)
    var policy = TargetTrackingPolicy(
      name: name, metric: try m.required("metric").choice(Self.metrics, expected: "cpu or requestCountPerTarget"),
      targetValue: try m.required("target").double(in: .above(0, atMost: 1e9)))
    if let v = m["disableScaleIn"] { policy.disableScaleIn = try v.bool() }
    if let v = m["scaleOutDatapoints"] { policy.scaleOutDatapoints = try v.int(in: 1...1_440) }
    if let v = m["scaleInDatapoints"] { policy.scaleInDatapoints = try v.int(in: 1...1_440) }
    if let v = m["scaleInThresholdRatio"] { policy.scaleInThresholdRatio = try v.double(in: .above(0, atMost: 1)) }
    if let v = m["metricPeriod"] { policy.metricPeriodSeconds = try v.duration(in: .closed(10, 3_600)) }
    if let v = m["scaleInMaxFraction"] { policy.scaleInMaxFraction = try v.double(in: .above(0, atMost: 1)) }
    return policy
  }

  /// AWS's PredictiveScalingConfiguration names; `metric` and `targetValue` are the
  /// scaling metric of the metric pair (the load metric is the demand). Defaults as AWS:
  /// ForecastOnly, a 300 s buffer, HonorMaxCapacity.
  func decodePredictive(_ body: YAMLValue, name: String) throws(ScenarioError) -> PredictiveScalingPolicy {
    let m = try body.mapping(allowedKeys: Self.predictiveKeys)
    let behavior =
      try m.optional("maxCapacityBreachBehavior") { v throws(ScenarioError) in
        try v.choice(Self.breachBehaviors)
      } ?? .honorMaxCapacity
    if behavior == .honorMaxCapacity, let buffer = m["maxCapacityBuffer"] {
      let written = m["maxCapacityBreachBehavior"] != nil ? "" : " (the default)"
      throw buffer.keyLocation.error(.conflicting(
        field: "maxCapacityBuffer", with: "maxCapacityBreachBehavior: HonorMaxCapacity\(written)",
        rule: "a max capacity buffer is used only with maxCapacityBreachBehavior: IncreaseMaxCapacity"))
    }
    return PredictiveScalingPolicy(
      name: name, metric: try m.required("metric").choice(Self.metrics, expected: "cpu or requestCountPerTarget"),
      targetValue: try m.required("targetValue").double(in: .above(0, atMost: 1e9)),
      mode: try m.optional("mode") { v throws(ScenarioError) in try v.choice(Self.predictiveModes) } ?? .forecastOnly,
      schedulingBufferSeconds: try m.optional("schedulingBufferTime") { v throws(ScenarioError) in
        try v.duration(in: .closed(0, 3_600))
      } ?? 300,
      maxCapacityBreachBehavior: behavior,
      maxCapacityBufferPercent: try m.optional("maxCapacityBuffer") { v throws(ScenarioError) in
        try v.int(in: 0...100)
      } ?? 0)
  }

  func decodeAlarm(_ value: YAMLValue) throws(ScenarioError) -> AlarmConfiguration {
    let m = try value.mapping(allowedKeys: Self.alarmKeys)
    let evaluationPeriods = try m.optional("evaluationPeriods") { v throws(ScenarioError) in try v.int(in: 1...1_440) } ?? 1
    return AlarmConfiguration(
      metric: try m.required("metric").choice(Self.metrics, expected: "cpu or requestCountPerTarget"),
      comparison: try m.required("comparison").choice(
        Self.comparisons, expected: "one of \">=\", \">\", \"<\", \"<=\" (quoted) or an AWS ComparisonOperator name"),
      threshold: try m.required("threshold").double(in: .finite),
      periodSeconds: try m.optional("period") { v throws(ScenarioError) in try v.duration(in: .closed(10, 86_400)) } ?? 60,
      evaluationPeriods: evaluationPeriods,
      datapointsToAlarm: try m.optional("datapointsToAlarm") { v throws(ScenarioError) in try v.int(in: 1...1_440) })
  }

  func decodeStep(_ body: YAMLValue, name: String) throws(ScenarioError) -> StepScalingPolicy {
    let m = try body.mapping(allowedKeys: Self.stepKeys)
    let alarm = try decodeAlarm(m.required("alarm"))
    let adjustmentType = try m.required("adjustmentType").choice(Self.adjustmentTypes)
    var steps: [StepAdjustment] = []
    for item in try m.required("steps").sequence(count: 1...100) {
      let step = try item.mapping(allowedKeys: Self.stepAdjustmentKeys)
      steps.append(StepAdjustment(
        lowerBound: try step.optional("lower") { v throws(ScenarioError) in try v.double(in: .finite) },
        upperBound: try step.optional("upper") { v throws(ScenarioError) in try v.double(in: .finite) },
        scalingAdjustment: try step.required("adjustment").int(in: Self.adjustmentRange)))
    }
    return StepScalingPolicy(
      name: name, alarm: alarm, adjustmentType: adjustmentType, steps: steps,
      minAdjustmentMagnitude: try m.optional("minAdjustmentMagnitude") { v throws(ScenarioError) in
        try v.int(in: 1...GroupConfiguration.maximumSize)
      },
      estimatedInstanceWarmupSeconds: try m.optional("estimatedInstanceWarmup") { v throws(ScenarioError) in
        try v.duration(in: .closed(0, 86_400))
      })
  }

  func decodeSimple(_ body: YAMLValue, name: String) throws(ScenarioError) -> SimpleScalingPolicy {
    let m = try body.mapping(allowedKeys: Self.simpleKeys)
    return SimpleScalingPolicy(
      name: name, alarm: try decodeAlarm(m.required("alarm")),
      adjustmentType: try m.required("adjustmentType").choice(Self.adjustmentTypes),
      scalingAdjustment: try m.required("adjustment").int(in: Self.adjustmentRange),
      minAdjustmentMagnitude: try m.optional("minAdjustmentMagnitude") { v throws(ScenarioError) in
        try v.int(in: 1...GroupConfiguration.maximumSize)
      },
      cooldownSeconds: try m.optional("cooldown") { v throws(ScenarioError) in try v.duration(in: .closed(0, 86_400)) } ?? 300)
  }

  func decodeScheduled(_ body: YAMLValue, name: String, location: SourceLocation) throws(ScenarioError) -> ScheduledActionDefinition {
    let m = try body.mapping(allowedKeys: Self.scheduledKeys)
    try m.reject("at", with: "recurrence", rule: "a scheduled action has either a recurrence or a single time 'at'")
    let schedule: ScheduledActionDefinition.Schedule
    if let recurrence = m["recurrence"] {
      let text = try recurrence.string(length: 1...200)
      do {
        schedule = .recurrence(try CronExpression(text))
      } catch {
        let expected = error.field == "expression"
          ? "a cron expression of \(error.expected)"
          : "a cron expression whose \(error.field) field is \(error.expected)"
        let found = error.field == "expression" ? error.found : "'\(error.found)'"
        throw recurrence.error(.invalidValue(
          field: "recurrence", expected: expected, found: "\(found) in \(recurrence.literalDescription)", suggestion: nil))
      }
    } else if let at = m["at"] {
      schedule = .at(try at.timestamp(in: timeZone))
    } else {
      throw body.keyLocation.error(.missingOneOf(keys: ["recurrence", "at"], in: body.path))
    }
    let size = 0...GroupConfiguration.maximumSize
    let action = ScheduledActionDefinition(
      name: name, schedule: schedule,
      minSize: try m.optional("minSize") { v throws(ScenarioError) in try v.int(in: size) },
      maxSize: try m.optional("maxSize") { v throws(ScenarioError) in try v.int(in: size) },
      desiredCapacity: try m.optional("desiredCapacity") { v throws(ScenarioError) in try v.int(in: size) })
    do {
      try ScheduledAction(
        name: name, firingTimes: [], minSize: action.minSize, maxSize: action.maxSize,
        desiredCapacity: action.desiredCapacity
      ).validate()
    } catch {
      throw Self.policyError(error, body: body, fallback: location)
    }
    return action
  }

  // MARK: AutoScaling errors

  /// AutoScaling's property names and the YAML keys that set them.
  static let policyFieldKeys = [
    "targetValue": "target", "metricPeriodSeconds": "metricPeriod", "periodSeconds": "period",
    "lowerBound": "lower", "upperBound": "upper", "scalingAdjustment": "adjustment",
    "estimatedInstanceWarmupSeconds": "estimatedInstanceWarmup", "cooldownSeconds": "cooldown",
  ]
  /// The same for predictive scaling, whose YAML keys are AWS's names.
  static let predictiveFieldKeys = [
    "schedulingBufferSeconds": "schedulingBufferTime", "maxCapacityBufferPercent": "maxCapacityBuffer",
  ]

  /// An AutoScalingError about a policy, with its field path translated to YAML keys
  /// ("steps[1].lowerBound" -> "steps[1].lower") and located at that key when the file
  /// writes it, else at the policy's type key.
  static func policyError(
    _ error: AutoScalingError, body: YAMLValue, fallback: SourceLocation, fieldKeys: [String: String] = policyFieldKeys
  ) -> ScenarioError {
    let components = error.field.split(separator: ".").map { component -> String in
      let text = String(component)
      return fieldKeys[text] ?? text
    }
    let field = components.joined(separator: ".")
    var node: YAMLValue? = body
    for component in components {
      node = node.flatMap { Self.child(component, of: $0) }
    }
    let owner = error.policy.map { "policy '\($0)': " } ?? ""
    return (node?.location ?? fallback).error(.policy("\(owner)'\(field)' should be \(error.expected), found \(error.found)"))
  }

  /// `key` or `key[index]` inside an already-decoded mapping; nil when absent.
  static func child(_ component: String, of value: YAMLValue) -> YAMLValue? {
    var key = Substring(component)
    var index: Int?
    if let open = component.firstIndex(of: "["), component.hasSuffix("]") {
      key = component[..<open]
      index = Int(component[component.index(after: open)..<component.index(before: component.endIndex)])
      if index == nil { return nil }
    }
    guard case .mapping(let mapping) = value.node,
      let (keyNode, valueNode) = mapping.first(where: { $0.key.scalar?.string == String(key) })
    else { return nil }
    let child = YAMLValue(
      node: valueNode, file: value.file, name: String(key), path: value.childPath(String(key)), keyMark: keyNode.mark)
    guard let index else { return child }
    guard case .sequence(let items) = valueNode, index >= 0, index < items.count else { return nil }
    let itemNode = Array(items)[index]
    return YAMLValue(node: itemNode, file: value.file, name: "\(key)[\(index)]", path: "\(child.path)[\(index)]", keyMark: nil)
  }
}
