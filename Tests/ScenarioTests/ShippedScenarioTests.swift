import AutoScaling
import Foundation
import Testing

@testable import Scenario

@Suite struct ShippedScenarioTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var formatDocument: String {
    get throws { try String(contentsOf: root.appendingPathComponent("docs/scenario-format.md"), encoding: .utf8) }
  }

  @Test("every scenario shipped in scenarios/ loads without error",
        arguments: ["seoul-food-delivery", "nyc-taxi", "elb-requests", "seoul-order-api", "seoul-zone-loss", "seoul-warm-pool", "seoul-spot-diversified"])
  func shippedScenarioLoads(name: String) throws {
    let path = Self.root.appendingPathComponent("scenarios/\(name).yaml").path
    let scenario = try ScenarioDefinition.load(path: path)
    #expect(scenario.name == name)
    #expect(!scenario.variants.isEmpty)
  }

  @Test("scenarios/food-delivery-teams.yaml loads with its three services, two RIs, a Compute Savings Plan and six rates")
  func foodDeliveryTeamsLoads() throws {
    let scenario = try ScenarioDefinition.load(path: Self.root.appendingPathComponent("scenarios/food-delivery-teams.yaml").path)
    let seoul = try #require(TimeZone(identifier: "Asia/Seoul"))
    #expect(scenario.name == "food-delivery-teams")
    #expect(scenario.timeZone == seoul)
    #expect(scenario.variants.isEmpty)
    #expect(scenario.services.map(\.name) == ["order-api", "rider-dispatch", "menu-search"])
    #expect(scenario.services.map(\.team) == ["orders", "logistics", "discovery"])
    #expect(scenario.services.map(\.fleet.instanceType) == ["m5.large", "c6i.large", "r6i.large"])
    #expect(scenario.services.map(\.fleet.region) == Array(repeating: "ap-northeast-2", count: 3))
    #expect(scenario.services.map(\.fleet.availabilityZone) == [nil, "ap-northeast-2a", nil])
    #expect(scenario.services.map(\.fleet.group.onDemandBaseCapacity) == [0, 0, 2])
    #expect(scenario.services.map(\.fleet.group.onDemandPercentageAboveBaseCapacity) == [100, 100, 30])
    #expect(scenario.services.allSatisfy { !$0.policies.isEmpty })
    let baselines = scenario.services.map { service -> Double? in
      if case .synthetic(let synthetic) = service.demand.source { synthetic.baselinePerMinute } else { nil }
    }
    #expect(baselines == [300, 100, 800])

    let reserved = scenario.commitments.reservedInstances
    #expect(reserved.map(\.id) == ["ri-m5-regional", "ri-c6i-zonal"])
    #expect(reserved.map(\.instanceType) == ["m5.xlarge", "c6i.large"])
    #expect(reserved.map(\.availabilityZone) == [nil, "ap-northeast-2a"])
    #expect(reserved.map(\.count) == [2, 2])
    #expect(reserved.allSatisfy { $0.offeringClass == .standard && $0.term == .oneYear && $0.payment == .noUpfront })
    #expect(reserved[0].start == .utc("2025-08-31T15:00:00Z"))  // 2025-09-01 00:00 Seoul
    #expect(reserved[0].end == .utc("2026-08-31T15:00:00Z"))

    let plans = scenario.commitments.savingsPlans
    #expect(plans.map(\.id) == ["sp-compute"])
    #expect(plans.map(\.kind) == [.compute])
    #expect(plans.map(\.commitmentUSDPerHour) == [0.4])
    #expect(plans.map(\.start) == [.utc("2026-01-14T15:00:00Z")])

    #expect(scenario.savingsPlanRates.count == 6)
    #expect(Set(scenario.savingsPlanRates.map(\.family)) == ["m5", "c6i", "r6i"])
    #expect(Set(scenario.savingsPlanRates.map(\.planType)) == [.compute, .ec2Instance])
    #expect(scenario.savingsPlanRates.allSatisfy { $0.term == .oneYear && $0.payment == .noUpfront })
    #expect(scenario.simulation.durationSeconds == Double(28 * 86_400))
  }

  @Test("the multi-service example in docs/scenario-format.md is a valid scenario")
  func documentedMultiServiceExampleParses() throws {
    let document = try Self.formatDocument
    let heading = try #require(document.range(of: "## A multi-service example"))
    let opening = try #require(document.range(of: "```yaml\n", range: heading.upperBound..<document.endIndex))
    let closing = try #require(document.range(of: "\n```", range: opening.upperBound..<document.endIndex))
    let example = String(document[opening.upperBound..<closing.lowerBound])
    let scenario = try ScenarioDefinition.parse(yaml: example, file: "scenario-format.md", baseDirectory: Self.root)
    #expect(scenario.services.map(\.name) == ["order-api", "menu-search"])
  }

  @Test("the serving example in docs/scenario-format.md is a valid scenario with the capacity serving gives")
  func documentedServingExampleParses() throws {
    let document = try Self.formatDocument
    let heading = try #require(document.range(of: "## Serving and latency (queueing and requests fidelity)"))
    let opening = try #require(document.range(of: "```yaml\n", range: heading.upperBound..<document.endIndex))
    let closing = try #require(document.range(of: "\n```", range: opening.upperBound..<document.endIndex))
    let example = String(document[opening.upperBound..<closing.lowerBound])
    let scenario = try ScenarioDefinition.parse(yaml: example, file: "scenario-format.md", baseDirectory: Self.root)
    #expect(scenario.simulation.fidelity == .requests)
    #expect(scenario.fleet.serving?.workersPerInstance == 4)
    #expect(scenario.fleet.group.capacityUnitsPerMinute == 12_000)
    #expect(scenario.fleet.latencySLO?.percentile == 99)
  }

  @Test("the complete example in docs/scenario-format.md is a valid scenario")
  func documentedExampleParses() throws {
    let document = try Self.formatDocument
    let opening = try #require(document.range(of: "```yaml\n"))
    let closing = try #require(document.range(of: "\n```", range: opening.upperBound..<document.endIndex))
    let example = String(document[opening.upperBound..<closing.lowerBound])
    let scenario = try ScenarioDefinition.parse(yaml: example, file: "scenario-format.md", baseDirectory: Self.root)
    #expect(scenario.variants.map(\.name) == ["target-cpu-50", "step-and-simple"])
    #expect(scenario.variants[0].scheduledActions.map(\.name) == ["lunch-floor", "white-day"])
    #expect(scenario.commitments.reservedInstances.count == 2)
    #expect(scenario.commitments.savingsPlans.count == 2)
    #expect(scenario.savingsPlanRates.count == 2)
  }

  @Test("scenarios/seoul-sweep.yaml is a 192-point sweep whose every point decodes, with the documented columns")
  func shippedSweep() throws {
    let plan = try SweepPlan.load(path: Self.root.appendingPathComponent("scenarios/seoul-sweep.yaml").path)
    #expect(plan.pointCount == 2 * 2 * 2 * 2 * 2 * 3 * 2)
    try plan.validateEveryPoint()
    #expect(plan.schema.axes.flatMap(\.columns) == [
      "demand_scale", "promotion", "seed", "instance_type", "size_min_size", "size_max_size", "target", "dinner_floor",
    ])
    #expect(plan.schema.axes.map(\.isWhatIf) == [true, true, true, false, false, false, false])
    let last = try plan.scenario(ofPoint: 191)
    #expect(last.fleet.instanceType == "c6i.large" && last.demand.scale == 1.3 && last.simulation.seed == 7)
  }

  @Test("docs/scenario-format.md mentions every key the decoder accepts")
  func everyKeyIsDocumented() throws {
    let document = try Self.formatDocument
    let keys = ScenarioDecoder.topLevelKeys + ScenarioDecoder.demandKeys + ScenarioDecoder.syntheticKeys
      + ScenarioDecoder.fleetKeys + ScenarioDecoder.variantKeys + ScenarioDecoder.policyTypes
      + ScenarioDecoder.targetTrackingKeys + ScenarioDecoder.alarmKeys + ScenarioDecoder.stepKeys
      + ScenarioDecoder.stepAdjustmentKeys + ScenarioDecoder.simpleKeys + ScenarioDecoder.scheduledKeys
      + ScenarioDecoder.predictiveKeys
      + ScenarioDecoder.simulationKeys + ["unitsPerMinute"] + ScenarioDecoder.purchaseOptionKeys
      + ScenarioDecoder.serviceKeys + ScenarioDecoder.commitmentsKeys + ScenarioDecoder.reservedInstanceKeys
      + ScenarioDecoder.savingsPlanKeys + ScenarioDecoder.savingsPlanRateKeys
      + ScenarioDecoder.servingKeys + ScenarioDecoder.serviceTimeKeys + ScenarioDecoder.sloKeys
      + ["maxAttempts", "backoffMs"] + ScenarioDecoder.spotInterruptionKeys + ScenarioDecoder.faultKeys
      + ScenarioDecoder.launchFailureKeys + ScenarioDecoder.warmPoolKeys
      + ScenarioDecoder.sweepKeys + ScenarioDecoder.sweepAxisKeys + ScenarioDecoder.sweepObjectiveKeys
    let missing = Set(keys).filter { !document.contains("`\($0)`") && !document.contains("\($0):") }
    #expect(missing.isEmpty, "undocumented keys: \(missing.sorted())")
  }
}
