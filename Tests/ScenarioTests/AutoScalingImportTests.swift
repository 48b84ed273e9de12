import AutoScaling
import Foundation
import Testing

@testable import Scenario

/// `capsim import` on AWS CLI output as users save it (fixtures in scenarios/import/, in
/// botocore's output shapes): the YAML it writes parses, and its policies are the ones
/// written here by hand from the fixtures.
@Suite struct AutoScalingImportTests {
  static let directory = ShippedScenarioTests.root.appendingPathComponent("scenarios/import")
  static func fixture(_ name: String) -> String { directory.appendingPathComponent(name).path }

  static func inputs(
    groups: String = "groups.json", alarms: String? = "alarms.json", scheduled: String? = "scheduled-actions.json",
    warmPool: String? = nil, instanceType: String? = nil
  ) -> AutoScalingImport.Inputs {
    AutoScalingImport.Inputs(
      groupsPath: fixture(groups), policiesPath: fixture("policies.json"), alarmsPath: alarms.map(fixture),
      scheduledActionsPath: scheduled.map(fixture), warmPoolPath: warmPool.map(fixture), demandPath: fixture("demand.json"),
      unitsPerMinute: 1200, instanceType: instanceType, outputPath: fixture("imported.yaml"))
  }

  static func parse(_ yaml: String) throws -> ScenarioDefinition {
    try ScenarioDefinition.parse(yaml: yaml, file: fixture("imported.yaml"), baseDirectory: directory)
  }

  // Hand-written from policies.json and alarms.json.
  static let cpu50 = ScalingPolicy.targetTracking(TargetTrackingPolicy(name: "cpu-50", metric: .averageCPUUtilization, targetValue: 50))
  static let alb1000 = ScalingPolicy.targetTracking(
    TargetTrackingPolicy(name: "alb-1000", metric: .requestCountPerTarget, targetValue: 1000, disableScaleIn: true))
  static let stepOut = ScalingPolicy.step(StepScalingPolicy(
    name: "out",
    alarm: AlarmConfiguration(
      metric: .averageCPUUtilization, comparison: .greaterThanOrEqualToThreshold, threshold: 70, periodSeconds: 60,
      evaluationPeriods: 3, datapointsToAlarm: 2),
    adjustmentType: .percentChangeInCapacity,
    steps: [
      StepAdjustment(lowerBound: 0, upperBound: 10, scalingAdjustment: 20),
      StepAdjustment(lowerBound: 10, upperBound: nil, scalingAdjustment: 50),
    ],
    minAdjustmentMagnitude: 2, estimatedInstanceWarmupSeconds: 180))
  static let simpleIn = ScalingPolicy.simple(SimpleScalingPolicy(
    name: "in",
    alarm: AlarmConfiguration(
      metric: .averageCPUUtilization, comparison: .lessThanThreshold, threshold: 30, periodSeconds: 300, evaluationPeriods: 2),
    adjustmentType: .changeInCapacity, scalingAdjustment: -2, cooldownSeconds: 600))
  /// The alarm's 3000 requests per target per 120 s period is capsim's 1500 per minute.
  static let requestsBurst = ScalingPolicy.step(StepScalingPolicy(
    name: "requests-burst",
    alarm: AlarmConfiguration(
      metric: .requestCountPerTarget, comparison: .greaterThanThreshold, threshold: 1500, periodSeconds: 120, evaluationPeriods: 1),
    adjustmentType: .changeInCapacity, steps: [StepAdjustment(lowerBound: 0, upperBound: nil, scalingAdjustment: 3)]))

  @Test("a mixed-instances group with target tracking, step, simple and scheduled policies imports as the variant 'current'")
  func singleGroup() throws {
    let yaml = try AutoScalingImport.scenarioYAML(Self.inputs(warmPool: "warm-pool.json"))
    let scenario = try Self.parse(yaml)
    #expect(scenario.name == "orders")
    #expect(scenario.timeZone.identifier == "Asia/Seoul")
    #expect(scenario.capacityUnitsPerMinute == ["m5.large": 1200])
    let variant = try #require(scenario.variants.first)
    #expect(scenario.variants.map(\.name) == ["current"])
    #expect(variant.policies == [Self.cpu50, Self.alb1000, Self.stepOut, Self.simpleIn, Self.requestsBurst])
    #expect(variant.group.minSize == 2)
    #expect(variant.group.maxSize == 40)
    #expect(variant.group.initialCapacity == 4)
    #expect(variant.group.warmupSeconds == 180)
    #expect(scenario.fleet.instanceType == "m5.large")
    #expect(scenario.fleet.region == "ap-northeast-2")

    #expect(variant.scheduledActions.map(\.name) == ["lunch-floor", "white-day"])
    let lunch = try #require(variant.scheduledActions.first)
    guard case .recurrence(let cron) = lunch.schedule else { Issue.record("lunch-floor should recur"); return }
    #expect(cron.text == "30 10 * * MON-FRI")
    #expect((lunch.minSize, lunch.maxSize, lunch.desiredCapacity) == (6, 40, nil))
    #expect(variant.scheduledActions[1].schedule == .at(Date(timeIntervalSince1970: 1_772_524_800)))
    #expect(variant.scheduledActions[1].desiredCapacity == 12)

    #expect(yaml.contains("  cloudwatch: \"demand.json\"\n  metricId: \"orders\"\n"))
    #expect(yaml.contains(
      "purchaseOptions: {onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 50, spotInterruptions: {capacityRebalance: true}}"))
    // groups.json: CapacityRebalance true on a group with Spot above its base; one zone.
    #expect(variant.group.spotInterruptions?.capacityRebalance == true)
    #expect(scenario.fleet.availabilityZones == ["ap-northeast-2a"])
    #expect(yaml.contains("  availabilityZone: \"ap-northeast-2a\"\n"))
  }

  @Test("what is not mapped is a comment: customized metrics, a missing alarm, unknown keys, Spot strategy, warm pool, EndTime")
  func unmappedAreComments() throws {
    let yaml = try AutoScalingImport.scenarioYAML(Self.inputs(warmPool: "warm-pool.json"))
    let comments = yaml.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }.joined(separator: "\n")
    for expected in [
      "# policy 'queue-depth' (TargetTrackingScaling) not imported: it tracks a customized metric (CustomizedMetricSpecification)",
      "# policy 'orphan-step' (StepScaling) not imported: its alarm 'deleted-alarm' is not in the --alarms file",
      "# group 'orders': unknown keys (not in the AWS output shape capsim knows), not imported: FutureShinyFeature",
      "HealthCheckType \"ELB\", HealthCheckGracePeriod 300",
      "the group also runs or may launch m5a.large",
      "SpotAllocationStrategy \"price-capacity-optimized\" not simulated",
      "warm pool (MinSize 2, PoolState \"Stopped\", InstanceReusePolicy) not imported: the group has Spot instances",
      "# scheduled action 'white-day': EndTime not imported",
      "# policies of groups not in --groups, not imported: 'cpu-60' (group 'menu-search')",
    ] {
      #expect(comments.contains(expected), "missing comment: \(expected)")
    }
  }

  @Test("without --alarms, step and simple policies are left out with a comment saying to pass it; target tracking still maps")
  func withoutAlarms() throws {
    let yaml = try AutoScalingImport.scenarioYAML(Self.inputs(alarms: nil, scheduled: nil))
    let scenario = try Self.parse(yaml)
    #expect(scenario.variants[0].policies == [Self.cpu50, Self.alb1000])
    #expect(yaml.contains(
      "# policy 'out' (StepScaling) not imported: it needs its alarm 'orders-cpu-high' (threshold, comparison, period): pass `aws cloudwatch describe-alarms` output as --alarms"))
    #expect(yaml.contains("# policy 'in' (SimpleScaling) not imported: it needs its alarm 'orders-cpu-low'"))
  }

  @Test("several groups become services, each with its own policies, demand result and team")
  func severalGroups() throws {
    let yaml = try AutoScalingImport.scenarioYAML(Self.inputs(groups: "groups-two.json", scheduled: nil))
    let scenario = try Self.parse(yaml)
    #expect(scenario.services.map(\.name) == ["orders", "menu-search"])
    #expect(scenario.services.map(\.team) == ["orders", "menu-search"])
    #expect(scenario.services[0].policies == [Self.cpu50, Self.alb1000, Self.stepOut, Self.simpleIn, Self.requestsBurst])
    #expect(scenario.services[1].policies == [.targetTracking(TargetTrackingPolicy(name: "cpu-60", metric: .averageCPUUtilization, targetValue: 60))])
    #expect(scenario.services.map(\.fleet.instanceType) == ["m5.large", "c6i.large"])
    #expect(yaml.contains("      metricId: \"menu\"\n"))
    #expect(scenario.services.map(\.fleet.availabilityZones) == [["ap-northeast-2a", "ap-northeast-2c"], ["ap-northeast-2b"]])
    #expect(scenario.services[0].fleet.group.availabilityZoneCount == 2)
    #expect(yaml.contains("      availabilityZones: [\"ap-northeast-2a\", \"ap-northeast-2c\"]\n"))
    #expect(yaml.contains("      availabilityZone: \"ap-northeast-2b\"\n"))
  }

  @Test("AvailabilityZones become availabilityZones; CapacityRebalance maps on a Spot group, on an On-Demand one it is a comment")
  func zonesAndCapacityRebalance() throws {
    // groups-zones.json: 'checkout' all On-Demand in three zones with CapacityRebalance
    // true; 'courier-spot' Spot above one On-Demand instance in two zones, CapacityRebalance false.
    let yaml = try AutoScalingImport.scenarioYAML(Self.inputs(groups: "groups-zones.json", scheduled: nil))
    let scenario = try Self.parse(yaml)
    #expect(scenario.services.map(\.name) == ["checkout", "courier-spot"])
    let checkout = scenario.services[0].fleet
    #expect(checkout.availabilityZones == ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"])
    #expect(checkout.group.availabilityZoneCount == 3)
    #expect(checkout.group.spotInterruptions == nil)
    #expect(yaml.contains(
      "  # group 'checkout': CapacityRebalance true not imported: the group runs no Spot instances, and Capacity Rebalancing only replaces Spot instances at an elevated risk of interruption\n"))
    let courier = scenario.services[1].fleet
    #expect(courier.availabilityZones == ["ap-northeast-2a", "ap-northeast-2c"])
    #expect(courier.group.onDemandPercentageAboveBaseCapacity == 0)
    #expect(courier.group.spotInterruptions?.capacityRebalance == false)
    #expect(yaml.contains("purchaseOptions: {onDemandBaseCapacity: 1, onDemandPercentageAboveBaseCapacity: 0, spotInterruptions: {capacityRebalance: false}}"))
    #expect(!yaml.contains("CapacityRebalance false"))
    #expect(!yaml.contains("spans"))
  }

  // groups.json with its m5a.large override as m6i.large (in the bundled Seoul catalog):
  // Overrides [m5.large, m6i.large], SpotAllocationStrategy price-capacity-optimized,
  // OnDemandAllocationStrategy prioritized.
  @Test("MixedInstancesPolicy Overrides with --type-units-per-minute become instanceTypes and strategies")
  func overridesBecomeInstanceTypes() throws {
    let text = try String(contentsOfFile: Self.fixture("groups.json"), encoding: .utf8)
      .replacingOccurrences(of: "m5a.large", with: "m6i.large")
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("groups-mixed-\(getpid()).json").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    var inputs = Self.inputs(alarms: nil, scheduled: nil)
    inputs.groupsPath = path
    // Without the other type's capacity: one type, and a comment saying what to give.
    let single = try AutoScalingImport.scenarioYAML(inputs)
    #expect(single.contains("give --type-units-per-minute TYPE=N for m6i.large"))
    #expect(try Self.parse(single).variants[0].group.instanceTypes.isEmpty)
    inputs.typeUnitsPerMinute = ["m6i.large": 1380]
    let yaml = try AutoScalingImport.scenarioYAML(inputs)
    #expect(yaml.contains("\"m6i.large\": 1380"))
    let scenario = try Self.parse(yaml)
    let variant = scenario.variants[0]
    #expect(variant.group.instanceTypes.map(\.instanceType) == ["m5.large", "m6i.large"])
    #expect(variant.group.instanceTypes.map(\.capacityUnitsPerMinute) == [1200, 1380])
    #expect(variant.instanceTypes.spotAllocationStrategy == .priceCapacityOptimized)
    #expect(variant.instanceTypes.onDemandAllocationStrategy == .prioritized)
    #expect(!yaml.contains("SpotAllocationStrategy \"price-capacity-optimized\""))
    // It runs: both types are priced in the bundled catalog.
    let prepared = try ScenarioRunner.prepare(scenario)
    let unit = try ScenarioRunner.units(prepared, variants: [])[0]
    #expect(try ScenarioRunner.disruptedGroup(unit, catalog: prepared.catalog, scope: .all).allocation != nil)
  }

  @Test("CapacityRebalance on a Spot type the Spot Advisor data lacks stays a comment, so the scenario still runs")
  func capacityRebalanceWithoutSpotAdvisorRate() throws {
    var inputs = Self.inputs(groups: "groups-zones.json", scheduled: nil, instanceType: "u-6tb1.metal")
    inputs.unitsPerMinute = 1200
    let yaml = try AutoScalingImport.scenarioYAML(inputs)
    let scenario = try Self.parse(yaml)
    #expect(scenario.services[1].fleet.group.spotInterruptions == nil)
    #expect(yaml.contains(
      "# group 'courier-spot': CapacityRebalance false not imported: capsim's Spot Advisor data has no interruption rate for u-6tb1.metal in ap-northeast-2; write purchaseOptions.spotInterruptions: {monthlyPercent: N, capacityRebalance: false} with a rate you know"))
    #expect(yaml.contains("purchaseOptions: {onDemandBaseCapacity: 1, onDemandPercentageAboveBaseCapacity: 0}\n"))
  }

  @Test("zones the scenario cannot take (another region's, repeated) are left out with a comment saying why")
  func unmappableZones() {
    var notes: [String] = []
    let kept = AutoScalingImport.Context.availabilityZones(
      ["us-east-1a", "eu-west-1b", "us-east-1a", "us-east-1-bos-1a", "us-east-1"], region: "us-east-1", what: "group 'a'",
      notes: &notes)
    #expect(kept == ["us-east-1a", "us-east-1-bos-1a"])
    #expect(notes == [
      "group 'a': AvailabilityZones eu-west-1b, us-east-1a, us-east-1 not imported: capsim takes up to 32 distinct zones named after the group's region us-east-1 (such as us-east-1a)"
    ])
  }

  @Test("describe-warm-pool of a group without a warm pool (only 'Instances') is accepted and needs no comment")
  func noWarmPool() throws {
    let path = try Self.temporaryFile("no-warm-pool.json", "{\n    \"Instances\": []\n}\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    var inputs = Self.inputs()
    inputs.warmPoolPath = path
    let yaml = try AutoScalingImport.scenarioYAML(inputs)
    #expect(!yaml.contains("warm pool ("))
  }

  @Test("the same inputs give the same bytes")
  func deterministic() throws {
    #expect(try AutoScalingImport.scenarioYAML(Self.inputs()) == (try AutoScalingImport.scenarioYAML(Self.inputs())))
  }

  @Test("the shipped scenarios/import/orders.yaml is what the import writes today")
  func shippedExampleIsCurrent() throws {
    var inputs = Self.inputs(warmPool: "warm-pool.json")
    inputs.outputPath = Self.fixture("orders.yaml")
    let shipped = try String(contentsOfFile: Self.fixture("orders.yaml"), encoding: .utf8)
    let yaml = try AutoScalingImport.scenarioYAML(inputs)
    // The header names the input paths as given; compare from the first non-header line.
    func body(_ text: String) -> String { text.split(separator: "\n").drop { $0.hasPrefix("#") }.joined(separator: "\n") }
    #expect(body(yaml) == body(shipped))
  }

  // MARK: Errors

  static func temporaryFile(_ name: String, _ text: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-import-\(getpid())-\(name)")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  static func importError(_ inputs: AutoScalingImport.Inputs) -> ScenarioError? {
    do {
      _ = try AutoScalingImport.scenarioYAML(inputs)
      Issue.record("expected an error")
      return nil
    } catch {
      return error
    }
  }

  @Test("JSON that does not parse is reported at FILE:LINE:COLUMN with what was expected and what was found",
        arguments: [
          ("{\n  \"AutoScalingGroups\": [\n    {\"MinSize\": 2,,}\n  ]\n}\n", 3, 19, "expected a member name in double quotes, found ',}'"),
          ("{\n  \"AutoScalingGroups\": [\n    {\"MinSize\": 2}\n  \n", 5, 1, "expected ',' or ']', found the end of the file"),
          ("{\"AutoScalingGroups\": [tru]}", 1, 24, "expected a value (an object, array, string, number, true, false or null), found 'tru]}'"),
          ("{\"AutoScalingGroups\": []} x", 1, 27, "expected the end of the document, found 'x'"),
          // Columns count Unicode scalars: "서울" is two, not six bytes.
          ("{\"AutoScalingGroups\": [{\"Tags\": [\"서울\" 1]}]}", 1, 39, "expected ',' or ']', found '1]}]}'"),
        ])
  func badJSON(text: String, line: Int, column: Int, message: String) throws {
    let path = try Self.temporaryFile("bad-\(line)-\(column).json", text)
    defer { try? FileManager.default.removeItem(atPath: path) }
    var inputs = Self.inputs()
    inputs.groupsPath = path
    let error = try #require(Self.importError(inputs))
    #expect(error.description == "\(path):\(line):\(column): invalid JSON: \(message)")
  }

  @Test("a policies file given as --groups names the option, the expected key and the file it looks like")
  func wrongDocument() throws {
    var inputs = Self.inputs()
    inputs.groupsPath = Self.fixture("policies.json")
    let error = try #require(Self.importError(inputs))
    #expect(error.description == "\(Self.fixture("policies.json")):1:1: the --groups file should be `aws autoscaling describe-auto-scaling-groups` output, an object with 'AutoScalingGroups'; found keys 'ScalingPolicies' (is this the --policies file?)")
  }

  @Test("a group with only a launch template names no instance type: an error asking for --instance-type, which fixes it")
  func launchTemplateOnly() throws {
    let groups = """
      {"AutoScalingGroups": [{"AutoScalingGroupName": "orders",
        "AutoScalingGroupARN": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x:autoScalingGroupName/orders",
        "LaunchTemplate": {"LaunchTemplateId": "lt-1", "LaunchTemplateName": "orders-api", "Version": "$Default"},
        "MinSize": 0, "MaxSize": 4, "DesiredCapacity": 0, "DefaultCooldown": 300, "AvailabilityZones": ["us-east-1a"],
        "Instances": [], "Tags": []}]}
      """
    let path = try Self.temporaryFile("lt-groups.json", groups)
    defer { try? FileManager.default.removeItem(atPath: path) }
    var inputs = Self.inputs(scheduled: nil)
    inputs.groupsPath = path
    let error = try #require(Self.importError(inputs))
    #expect(error.message.contains("names no instance type (launch template or configuration 'orders-api' holds it"))
    #expect(error.message.hasSuffix("; pass --instance-type"))
    #expect(error.line == 1)

    inputs.instanceType = "c6i.xlarge"
    let scenario = try Self.parse(try AutoScalingImport.scenarioYAML(inputs))
    #expect(scenario.fleet.instanceType == "c6i.xlarge")
    #expect(scenario.fleet.region == "us-east-1")
  }

  @Test("a value of the wrong type is reported at its position")
  func wrongType() throws {
    let path = try Self.temporaryFile("type-groups.json", "{\"AutoScalingGroups\": [\n  {\"AutoScalingGroupName\": \"a\", \"MinSize\": \"two\", \"AvailabilityZones\": [\"us-east-1a\"]}]}")
    defer { try? FileManager.default.removeItem(atPath: path) }
    var inputs = Self.inputs()
    inputs.groupsPath = path
    let error = try #require(Self.importError(inputs))
    #expect(error.description == "\(path):2:44: 'MinSize' in AutoScalingGroups[0] should be an integer, found the string \"two\"")
  }

  // Found by FuzzImportJSON: an ARN without its region field put the account id in
  // fleet.region, a scenario capsim rejects. Now the first AZ's region is used, and with
  // no AZ either, the import says what it needs.
  @Test("an ARN whose region field is not a region code: the AZ's region, else an error (fuzzing)")
  func regionFromBadARN() throws {
    let arn = "arn:aws:autoscaling::123456789012:autoScalingGroup:x:autoScalingGroupName/a"
    let group = "{\"AutoScalingGroupName\": \"a\", \"AutoScalingGroupARN\": \"\(arn)\", \"MinSize\": 1, \"MaxSize\": 2, "
      + "\"Instances\": [{\"InstanceId\": \"i-1\", \"InstanceType\": \"m5.large\"}]"
    let withZone = try Self.temporaryFile("arn-zone.json", "{\"AutoScalingGroups\": [\(group), \"AvailabilityZones\": [\"eu-west-1b\"]}]}")
    let withoutZone = try Self.temporaryFile("arn-nozone.json", "{\"AutoScalingGroups\": [\(group)}]}")
    defer { for path in [withZone, withoutZone] { try? FileManager.default.removeItem(atPath: path) } }
    var inputs = Self.inputs()
    inputs.groupsPath = withZone
    let yaml = try AutoScalingImport.scenarioYAML(inputs)
    #expect(yaml.contains("  region: \"eu-west-1\"\n"))
    _ = try Self.parse(yaml)
    inputs.groupsPath = withoutZone
    let error = try #require(Self.importError(inputs))
    #expect(error.description.hasPrefix("\(withoutZone):1:24: AutoScalingGroups[0] ('a') names no region"), "\(error)")
  }

  // Found by FuzzImportJSON: two step adjustments, the second without either bound (AWS
  // refuses it), were mapped into a step policy the scenario decoder rejects.
  @Test("documents that would give a scenario capsim rejects: an error naming the policies file, no YAML (fuzzing)")
  func unreadableScenarioIsAnError() throws {
    let policies = """
      {"ScalingPolicies": [{"AutoScalingGroupName": "orders", "PolicyName": "out", "PolicyType": "StepScaling",
       "AdjustmentType": "ChangeInCapacity", "StepAdjustments": [
         {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 10.0, "ScalingAdjustment": 1}, {"ScalingAdjustment": 2}],
       "Alarms": [{"AlarmName": "orders-cpu-high"}]}]}
      """
    let path = try Self.temporaryFile("unbounded-steps.json", policies)
    defer { try? FileManager.default.removeItem(atPath: path) }
    var inputs = Self.inputs()
    inputs.policiesPath = path
    let error = try #require(Self.importError(inputs))
    #expect(error.description.hasPrefix("\(path): the documents give a scenario capsim would reject (policy 'out': 'steps[1]' should be bounded when there are several steps"), "\(error)")
  }

  // MARK: Capacity from CPU and requests

  /// `timestamp,value` rows every 5 minutes from 2026-03-02 00:00 UTC.
  static func metricCSV(_ name: String, _ values: [Double?]) throws -> String {
    var text = "timestamp,value\n"
    for (index, value) in values.enumerated() {
      guard let value else { continue }
      text += String(format: "2026-03-02T%02d:%02d:00Z,%@\n", index / 12, index % 12 * 5, ImportYAML.number(value))
    }
    return try temporaryFile(name, text)
  }

  // Requests per target per 5 minutes 250, 500, ..., 3000, i.e. 50 ... 600 a minute;
  // CPU 5, 10, ..., 60 = rate / 10: 1000 units per minute at 100% CPU, exactly.
  @Test("CSV metrics: the estimate is the exact capacity, written above capacity: and used for every type")
  func capacityFromCSV() throws {
    let requests = try Self.metricCSV("req.csv", (1...12).map { Double($0) * 250 })
    let cpu = try Self.metricCSV("cpu.csv", (1...12).map { Double($0) * 5 })
    let metrics = AutoScalingImport.CapacityMetrics(cpuPath: cpu, requestsPath: requests)
    let estimate = try AutoScalingImport.estimateCapacity(metrics)
    #expect(abs(estimate.unitsPerMinute - 1000) < 1e-9)
    var inputs = Self.inputs()
    inputs.unitsPerMinute = ImportYAML.significant(estimate.unitsPerMinute, digits: 4)
    inputs.capacityEstimate = (metrics, estimate)
    let yaml = try AutoScalingImport.scenarioYAML(inputs)
    #expect(yaml.contains("# capacity.unitsPerMinute 1000 estimated from CPU and requests per instance (95% interval 1000 to 1000)"))
    #expect(yaml.contains("capacity:\n  unitsPerMinute:\n    \"m5.large\": 1000\n"))
    #expect(try Self.parse(yaml).capacityUnitsPerMinute["m5.large"] == 1000)
  }

  // RequestCount for the whole group (two instances) halves to requests per instance.
  @Test("with --instances, requests are divided by the instances in service; periods with none are left out")
  func capacityWithInstances() throws {
    let requests = try Self.metricCSV("req2.csv", (1...13).map { Double($0) * 500 })
    let instances = try Self.metricCSV("inst.csv", (1...13).map { $0 == 13 ? 0 : 2 })
    let cpu = try Self.metricCSV("cpu2.csv", (1...13).map { $0 == 13 ? 0 : Double($0) * 5 })
    let estimate = try AutoScalingImport.estimateCapacity(
      AutoScalingImport.CapacityMetrics(cpuPath: cpu, requestsPath: requests, instancesPath: instances))
    #expect(abs(estimate.unitsPerMinute - 1000) < 1e-9)
    #expect(estimate.pointsUsed == 12 && estimate.pointsGiven == 13)
  }

  @Test("a CPU above 100, a gap, or too few periods: an error naming the file and what to do")
  func capacityErrors() throws {
    let requests = try Self.metricCSV("req3.csv", (1...12).map { Double($0) * 250 })
    let hot = try Self.metricCSV("hot.csv", (1...12).map { $0 == 4 ? 130 : Double($0) * 5 })
    let tooHot = try #require(Self.capacityError(AutoScalingImport.CapacityMetrics(cpuPath: hot, requestsPath: requests)))
    #expect(tooHot.description == "\(hot): the --cpu metric is 130 at 2026-03-02 00:15:00 +0000: expected CPUUtilization in percent, 0 to 100")
    let gappy = try Self.metricCSV("gap.csv", (1...12).map { $0 == 5 ? nil : Double($0) * 5 })
    let gap = try #require(Self.capacityError(AutoScalingImport.CapacityMetrics(cpuPath: gappy, requestsPath: requests)))
    #expect(gap.description.hasPrefix("\(gappy):6:1: the --cpu metric: gap before this row"), "\(gap)")
    #expect(gap.description.hasSuffix("query FILL(m1, 0) or FILL(m1, REPEAT) with metric math to fill them)"))
    let short = try Self.metricCSV("short.csv", (1...5).map { Double($0) * 10 })
    let few = try #require(Self.capacityError(AutoScalingImport.CapacityMetrics(cpuPath: short, requestsPath: requests)))
    #expect(few.description == "\(short): cannot estimate capacity from --cpu \(short) and --requests \(requests) over 5 common 300 s periods: expected at least 10 periods with both CPU and requests, found 5; give --units-per-minute instead")
  }

  static func capacityError(_ metrics: AutoScalingImport.CapacityMetrics) -> ScenarioError? {
    do {
      _ = try AutoScalingImport.estimateCapacity(metrics)
      Issue.record("expected an error")
      return nil
    } catch {
      return error
    }
  }
}
