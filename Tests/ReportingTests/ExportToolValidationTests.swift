import Advisor
import AutoScaling
import Foundation
import Results
import Scenario
import Testing

@testable import Reporting

/// Exported documents checked by the real tools (docs/export.md): botocore's ParamValidator
/// against the PutScalingPolicy, PutMetricAlarm and PutScheduledUpdateGroupAction input
/// shapes, and cfn-lint on the templates. Each test runs only when its tool is installed
/// (`python3 -c 'import botocore'`, `cfn-lint --version`); otherwise Swift Testing reports it
/// skipped with the reason below, and nothing fails.
@Suite struct ExportToolValidationTests {
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// Runs a command through /usr/bin/env (so PATH finds pyenv shims); nil if it cannot start.
  static func run(_ arguments: [String]) -> (status: Int32, output: String)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  static let hasBotocore = run(["python3", "-c", "import botocore.session, botocore.validate"])?.status == 0
  static let hasCFNLint = run(["cfn-lint", "--version"])?.status == 0

  /// Every variant and service of every shipped scenario, plus one export with every policy
  /// kind (predictive and request-count ones included), so each request shape is covered.
  static func exports() throws -> [(label: String, export: AutoScalingExport)] {
    var result: [(String, AutoScalingExport)] = []
    let directory = packageRoot.appendingPathComponent("scenarios")
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
    for file in files {
      let scenario = try ScenarioDefinition.load(path: directory.appendingPathComponent(file).path)
      let groups = scenario.hasServices
        ? scenario.services.map { ($0.name, $0.fleet.region, $0.policies, $0.scheduledActions, $0.fleet.group, $0.fleet.availabilityZones) }
        : scenario.variants.map { ($0.name, scenario.fleet.region, $0.policies, $0.scheduledActions, $0.group, scenario.fleet.availabilityZones) }
      for (name, region, policies, scheduledActions, group, zones) in groups {
        var export = try AutoScalingExport(
          groupName: AutoScalingExport.groupName(from: name), region: region, timeZone: scenario.timeZone,
          policies: policies, scheduledActions: scheduledActions)
        // The group settings `capsim export` adds (Sources/capsim/AutoScalingExport+Scenario.swift).
        export.warmPool = group.warmPool
        export.availabilityZones = zones
        if group.onDemandPercentageAboveBaseCapacity < 100 { export.capacityRebalance = group.spotInterruptions?.capacityRebalance }
        if !export.isEmpty { result.append(("\(file)-\(name)", export)) }
      }
    }
    // What `capsim recommend --output` writes: a searched policy with daily floors (as cron
    // scheduled actions) and predictive scaling, on the shipped Seoul scenario.
    var options = RecommendationOptions()
    options.forecastDays = 1
    options.forecastPaths = 1
    var space = PolicySearchSpace()
    space.targetValues = [60]
    space.scheduledFloors = [.beforePeaks(leadMinutes: 30, peakShare: 0.75)]
    space.predictive = [.on(schedulingBufferSeconds: 300)]
    options.space = space
    let seoul = try ScenarioRunner.prepare(
      ScenarioDefinition.load(path: directory.appendingPathComponent("seoul-food-delivery.yaml").path))
    let recommendation = try ScenarioRecommender.recommend(seoul, options: options)
    let recommended = try RecommendationReport.export(recommendation.fleets[0], recommendation: recommendation)
    #expect(!recommended.scheduledActions.isEmpty && recommended.policies.contains(where: \.isPredictive))
    result.append(("recommended", recommended))
    // A recommendation that keeps the current policies' scheduled actions: they go out as
    // written (cron), not as the engine's expanded firing times.
    var keep = options
    keep.currentVariant = "target-cpu-60-scheduled"
    keep.space?.scheduledFloors = [.none]
    keep.space?.predictive = [.off]
    let kept = try ScenarioRecommender.recommend(seoul, options: keep)
    #expect(kept.fleets[0].keepsCurrentSchedule)
    let keptExport = try RecommendationReport.export(kept.fleets[0], recommendation: kept)
    #expect(keptExport.scheduledActions.map(\.name) == ["lunch-floor", "afternoon", "dinner-floor", "night"])
    #expect(!keptExport.policies.contains { if case .scheduled = $0 { true } else { false } })
    result.append(("recommended-keeping-schedule", keptExport))
    let alarm = AlarmConfiguration(metric: .requestCountPerTarget, comparison: .greaterThanThreshold, threshold: 100, periodSeconds: 300)
    let everything = try AutoScalingExport(
      groupName: "orders-asg", region: "ap-northeast-2", timeZone: TimeZone(identifier: "Asia/Seoul")!,
      policies: [
        .targetTracking(TargetTrackingPolicy(name: "requests", metric: .requestCountPerTarget, targetValue: 80.5)),
        .step(StepScalingPolicy(
          name: "step-out", alarm: alarm, adjustmentType: .percentChangeInCapacity,
          steps: [StepAdjustment(lowerBound: 0, upperBound: 20, scalingAdjustment: 10), StepAdjustment(lowerBound: 20, upperBound: nil, scalingAdjustment: 30)],
          minAdjustmentMagnitude: 2, estimatedInstanceWarmupSeconds: 120)),
        .simple(SimpleScalingPolicy(
          name: "simple-in", alarm: AlarmConfiguration(metric: .averageCPUUtilization, comparison: .lessThanOrEqualToThreshold, threshold: 25),
          adjustmentType: .exactCapacity, scalingAdjustment: 4, cooldownSeconds: 600)),
        .predictive(PredictiveScalingPolicy(name: "forecast-cpu", metric: .averageCPUUtilization, targetValue: 50)),
        .predictive(PredictiveScalingPolicy(
          name: "forecast-alb", metric: .requestCountPerTarget, targetValue: 900, mode: .forecastAndScale,
          schedulingBufferSeconds: 300, maxCapacityBreachBehavior: .increaseMaxCapacity, maxCapacityBufferPercent: 10)),
      ],
      scheduledActions: [
        ScheduledActionDefinition(
          name: "lunch", schedule: .recurrence(try CronExpression("30 11 * * MON-FRI")), minSize: 10, maxSize: 80,
          desiredCapacity: 20),
        ScheduledActionDefinition(
          name: "promo", schedule: .at(Date(timeIntervalSince1970: 1_773_392_400)), minSize: 30),
      ],
      loadBalancerTarget: try LoadBalancerTarget(resourceLabel: "app/orders-alb/50dc6c495c0c9188/targetgroup/orders/73e2d6bc24d8a067"),
      source: "every policy kind")
    result.append(("every-kind", everything))
    // Every group setting at once, a hibernated pool with every PutWarmPool member.
    var settings = try AutoScalingExport(
      groupName: "dispatch", region: "ap-northeast-2", timeZone: TimeZone(identifier: "Asia/Seoul")!, policies: [],
      source: "group settings")
    settings.warmPool = WarmPoolConfiguration(
      poolState: .hibernated, minSize: 2, maxGroupPreparedCapacity: 8, reuseOnScaleIn: true, warmLaunchSeconds: 60)
    settings.availabilityZones = ["ap-northeast-2a", "ap-northeast-2c"]
    settings.capacityRebalance = true
    result.append(("group-settings", settings))
    return result
  }

  static func scratchDirectory(_ name: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-export-\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: directory)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  static let validator = """
    import json, sys
    import botocore.session
    from botocore.validate import ParamValidator
    session = botocore.session.get_session()
    failures = 0
    for entry in json.load(open(sys.argv[1])):
        shape = session.get_service_model(entry["service"]).operation_model(entry["operation"]).input_shape
        report = ParamValidator().validate(json.load(open(entry["path"])), shape)
        if report.has_errors():
            failures += 1
            print(entry["path"] + ":\\n" + report.generate_report())
    print("botocore validated %d documents, %d invalid" % (len(json.load(open(sys.argv[1]))), failures))
    sys.exit(1 if failures else 0)
    """

  @Test(
    "every exported document passes botocore's ParamValidator for its operation",
    .enabled(if: hasBotocore, "needs python3 with botocore (pip install botocore)"))
  func botocoreValidation() throws {
    let directory = try Self.scratchDirectory("botocore")
    defer { try? FileManager.default.removeItem(at: directory) }
    var manifest: [JSONValue] = []
    var operations: Set<String> = []
    for (label, export) in try Self.exports() {
      for document in try export.cliDocuments() {
        let path = directory.appendingPathComponent("\(label)-\(document.fileName)").path
        try document.text.write(toFile: path, atomically: true, encoding: .utf8)
        operations.insert(document.command.operation)
        manifest.append(.object([
          ("service", .string(document.command.service)), ("operation", .string(document.command.operation)),
          ("path", .string(path)),
        ]))
      }
    }
    #expect(operations == ["UpdateAutoScalingGroup", "PutWarmPool", "PutScalingPolicy", "PutMetricAlarm", "PutScheduledUpdateGroupAction"])
    let manifestPath = directory.appendingPathComponent("manifest.json").path
    try JSONValue.array(manifest).rendered().write(toFile: manifestPath, atomically: true, encoding: .utf8)
    let result = try #require(Self.run(["python3", "-c", Self.validator, manifestPath]))
    print(result.output, terminator: "")
    #expect(result.status == 0, "\(result.output)")
  }

  @Test(
    "every exported CloudFormation template passes cfn-lint (exit 0, or 4: warnings only)",
    .enabled(if: hasCFNLint, "needs cfn-lint on PATH (pip install cfn-lint)"))
  func cfnLint() throws {
    let directory = try Self.scratchDirectory("cfn-lint")
    defer { try? FileManager.default.removeItem(at: directory) }
    var paths: [String] = []
    // A template needs a resource: zones alone are only a comment, so such an export has none.
    for (label, export) in try Self.exports() where !(export.policies.isEmpty && export.scheduledActions.isEmpty && export.warmPool == nil) {
      let path = directory.appendingPathComponent("\(label).yaml").path
      try export.cloudFormationTemplate().write(toFile: path, atomically: true, encoding: .utf8)
      paths.append(path)
    }
    let result = try #require(Self.run(["cfn-lint"] + paths))
    if !result.output.isEmpty { print("cfn-lint warnings:\n\(result.output)") }
    print("cfn-lint checked \(paths.count) templates: exit \(result.status)")
    #expect(result.status == 0 || result.status == 4, "\(result.output)")
  }
}
