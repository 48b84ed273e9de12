import AutoScaling
import Foundation
import Reporting
import Scenario
import Testing

/// `capsim export` then `capsim import`: a shipped variant's policies, exported as AWS CLI
/// input and reshaped as `describe-policies` / `describe-alarms` /
/// `describe-scheduled-actions` print them, import back to the same policies.
///
/// With `CAPSIM_IMPORT_DOCUMENTS_DIR` set, the documents are also written there (one folder
/// per variant), for CI to check against botocore's output shapes
/// (Tests/tools/check_botocore_shapes.py).
@Suite struct AutoScalingImportRoundTripTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func write(_ object: Any, _ name: String, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    return url.path
  }

  @Test("export then import gives the variant's policies back",
        arguments: ["target-cpu-50", "step-cpu", "simple-cpu", "target-cpu-60-scheduled", "target-cpu-60-predictive"])
  func roundTrip(variantName: String) throws {
    let scenario = try ScenarioDefinition.load(path: Self.root.appendingPathComponent("scenarios/seoul-food-delivery.yaml").path)
    let variant = try #require(scenario.variants.first { $0.name == variantName })
    let export = try AutoScalingExport(
      groupName: "orders", region: scenario.fleet.region, timeZone: scenario.timeZone, policies: variant.policies,
      scheduledActions: variant.scheduledActions)
    let documents = try export.cliDocuments()
    func input(_ document: ExportDocument) throws -> [String: Any] {
      try #require(try JSONSerialization.jsonObject(with: Data(document.text.utf8)) as? [String: Any])
    }
    var alarmNames: [String: String] = [:]
    var alarms: [[String: Any]] = []
    for document in documents where document.command == .putMetricAlarm {
      let alarm = try input(document)
      alarmNames[document.name] = alarm["AlarmName"] as? String
      alarms.append(alarm)
    }
    var policies: [[String: Any]] = []
    var scheduled: [[String: Any]] = []
    for document in documents {
      var entry = try input(document)
      switch document.command {
      case .putScalingPolicy:
        entry["Alarms"] = alarmNames[document.name].map { [["AlarmName": $0, "AlarmARN": "arn:aws:cloudwatch:x:1:alarm:\($0)"]] } ?? []
        policies.append(entry)
      case .putScheduledUpdateGroupAction:
        scheduled.append(entry)
      default: break
      }
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-roundtrip-\(getpid())-\(variantName)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let group: [String: Any] = [
      "AutoScalingGroupName": "orders",
      "AutoScalingGroupARN": "arn:aws:autoscaling:\(scenario.fleet.region):123456789012:autoScalingGroup:x:autoScalingGroupName/orders",
      "MinSize": variant.group.minSize, "MaxSize": variant.group.maxSize, "DesiredCapacity": variant.group.minSize,
      "DefaultCooldown": 300, "AvailabilityZones": ["\(scenario.fleet.region)a"], "HealthCheckType": "EC2",
      "CreatedTime": "2026-03-02T00:00:00.000000+00:00",
      "Instances": [[
        "InstanceId": "i-0123456789abcdef0", "InstanceType": scenario.fleet.instanceType, "AvailabilityZone": "\(scenario.fleet.region)a",
        "LifecycleState": "InService", "HealthStatus": "Healthy", "ProtectedFromScaleIn": false,
      ]],
    ]
    let inputs = AutoScalingImport.Inputs(
      groupsPath: try Self.write(["AutoScalingGroups": [group]], "groups.json", in: directory),
      policiesPath: try Self.write(["ScalingPolicies": policies], "policies.json", in: directory),
      alarmsPath: try Self.write(["MetricAlarms": alarms], "alarms.json", in: directory),
      scheduledActionsPath: try Self.write(["ScheduledUpdateGroupActions": scheduled], "scheduled.json", in: directory),
      demandPath: Self.root.appendingPathComponent("scenarios/import/demand.json").path, unitsPerMinute: 120,
      outputPath: directory.appendingPathComponent("imported.yaml").path)
    if let keep = ProcessInfo.processInfo.environment["CAPSIM_IMPORT_DOCUMENTS_DIR"], !keep.isEmpty {
      let kept = URL(fileURLWithPath: keep).appendingPathComponent(variantName)
      try FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
      for name in ["groups.json", "policies.json", "alarms.json", "scheduled.json"] {
        let target = kept.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: directory.appendingPathComponent(name), to: target)
      }
    }
    let yaml = try AutoScalingImport.scenarioYAML(inputs)
    let imported = try ScenarioDefinition.parse(yaml: yaml, file: "imported.yaml", baseDirectory: directory)
    let current = try #require(imported.variants.first)
    #expect(current.policies == variant.policies, "\(yaml)")
    #expect(current.scheduledActions == variant.scheduledActions)
    if !variant.scheduledActions.isEmpty { #expect(imported.timeZone.identifier == scenario.timeZone.identifier) }
  }

  @Test("export then import gives the group's warm pool, zones and Capacity Rebalancing back, with its policies",
        arguments: [
          ("seoul-warm-pool.yaml", "stopped-pool-reuse"), ("seoul-warm-pool.yaml", "running-pool"),
          ("seoul-zone-loss.yaml", "target-cpu-50"), ("seoul-zone-loss.yaml", "target-cpu-50-no-rebalancing"),
        ])
  func roundTripGroupSettings(file: String, variantName: String) throws {
    let scenario = try ScenarioDefinition.load(path: Self.root.appendingPathComponent("scenarios/\(file)").path)
    let variant = try #require(scenario.variants.first { $0.name == variantName })
    var export = try AutoScalingExport(
      groupName: "orders", region: scenario.fleet.region, timeZone: scenario.timeZone, policies: variant.policies,
      scheduledActions: variant.scheduledActions)
    // What `capsim export` adds for the group (Sources/capsim/AutoScalingExport+Scenario.swift).
    export.warmPool = variant.group.warmPool
    export.availabilityZones = scenario.fleet.availabilityZones
    let runsSpot = variant.group.onDemandPercentageAboveBaseCapacity < 100
    if runsSpot { export.capacityRebalance = variant.group.spotInterruptions?.capacityRebalance }
    let documents = try export.cliDocuments()
    func input(_ command: ExportDocument.Command) throws -> [[String: Any]] {
      try documents.filter { $0.command == command }.map {
        try #require(try JSONSerialization.jsonObject(with: Data($0.text.utf8)) as? [String: Any])
      }
    }
    let update = try input(.updateAutoScalingGroup).first ?? [:]
    let warmPool = try input(.putWarmPool).first.map { put in put.filter { $0.key != "AutoScalingGroupName" } }
    #expect((warmPool != nil) == (variant.group.warmPool != nil))
    let policies = try input(.putScalingPolicy).map { policy in policy.merging(["Alarms": []]) { a, _ in a } }

    // describe-auto-scaling-groups as AWS prints the group once the documents are applied.
    // A group always has zones: without exported ones, the one a scenario without zones stands for.
    let zones = update["AvailabilityZones"] as? [String] ?? ["\(scenario.fleet.region)a"]
    #expect(zones == (scenario.fleet.availabilityZones.isEmpty ? zones : scenario.fleet.availabilityZones))
    var group: [String: Any] = [
      "AutoScalingGroupName": "orders",
      "AutoScalingGroupARN": "arn:aws:autoscaling:\(scenario.fleet.region):123456789012:autoScalingGroup:x:autoScalingGroupName/orders",
      "MinSize": variant.group.minSize, "MaxSize": variant.group.maxSize, "DesiredCapacity": variant.group.minSize,
      "DefaultCooldown": 300, "AvailabilityZones": zones, "HealthCheckType": "EC2",
      "CreatedTime": "2026-03-02T00:00:00.000000+00:00",
      "Instances": [[
        "InstanceId": "i-0123456789abcdef0", "InstanceType": scenario.fleet.instanceType, "AvailabilityZone": zones[0],
        "LifecycleState": "InService", "HealthStatus": "Healthy", "ProtectedFromScaleIn": false,
      ]],
      "CapacityRebalance": update["CapacityRebalance"] as? Bool ?? false,
    ]
    if let warmPool { group["WarmPoolConfiguration"] = warmPool }
    if runsSpot {
      group["MixedInstancesPolicy"] = [
        "LaunchTemplate": [
          "LaunchTemplateSpecification": ["LaunchTemplateId": "lt-0123456789abcdef0", "Version": "$Latest"],
          "Overrides": [["InstanceType": scenario.fleet.instanceType]],
        ],
        "InstancesDistribution": [
          "OnDemandBaseCapacity": variant.group.onDemandBaseCapacity,
          "OnDemandPercentageAboveBaseCapacity": variant.group.onDemandPercentageAboveBaseCapacity,
        ],
      ]
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-roundtrip-\(getpid())-\(file)-\(variantName)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var names = ["groups.json", "policies.json"]
    var inputs = AutoScalingImport.Inputs(
      groupsPath: try Self.write(["AutoScalingGroups": [group]], "groups.json", in: directory),
      policiesPath: try Self.write(["ScalingPolicies": policies], "policies.json", in: directory),
      demandPath: Self.root.appendingPathComponent("scenarios/import/demand.json").path, unitsPerMinute: 120,
      outputPath: directory.appendingPathComponent("imported.yaml").path)
    if let warmPool {
      // describe-warm-pool: the same configuration and the pool's instances (none listed).
      inputs.warmPoolPath = try Self.write(["WarmPoolConfiguration": warmPool, "Instances": []], "warm-pool.json", in: directory)
      names.append("warm-pool.json")
    }
    if let keep = ProcessInfo.processInfo.environment["CAPSIM_IMPORT_DOCUMENTS_DIR"], !keep.isEmpty {
      let kept = URL(fileURLWithPath: keep).appendingPathComponent("\(file)-\(variantName)")
      try FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
      for name in names {
        let target = kept.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: directory.appendingPathComponent(name), to: target)
      }
    }
    let yaml = try AutoScalingImport.scenarioYAML(inputs)
    let imported = try ScenarioDefinition.parse(yaml: yaml, file: "imported.yaml", baseDirectory: directory)
    let current = try #require(imported.variants.first)
    #expect(current.policies == variant.policies, "\(yaml)")
    #expect(imported.fleet.availabilityZones == zones)
    #expect(current.group.onDemandBaseCapacity == variant.group.onDemandBaseCapacity)
    #expect(current.group.onDemandPercentageAboveBaseCapacity == variant.group.onDemandPercentageAboveBaseCapacity)
    #expect(current.group.spotInterruptions?.capacityRebalance == (runsSpot ? variant.group.spotInterruptions?.capacityRebalance : nil))
    // What AWS holds of the pool comes back; its warm launch time and volume are capsim's
    // model, in no AWS document (the import writes its defaults and says so).
    let original = variant.group.warmPool
    let back = current.group.warmPool
    #expect(back?.poolState == original?.poolState)
    #expect(back?.minSize == original?.minSize)
    #expect(back?.maxGroupPreparedCapacity == original?.maxGroupPreparedCapacity)
    #expect(back?.reuseOnScaleIn == original?.reuseOnScaleIn)
  }
}
