import AutoScaling
import Foundation
import Testing

@testable import Scenario

/// Zones, Spot interruptions and faults as a scenario writes them: decoding with file:line
/// errors, `--fault` flags, and what each disruption is reported to cost, checked against
/// runs of the scenario written without it.
@Suite struct DisruptionScenarioTests {
  /// Three zones, an On-Demand base of 2 and half of the rest Spot, two days at 1,500
  /// orders/min baseline (about 25 instances at 50% CPU), a zone lost at the first dinner
  /// peak and launch failures beside it.
  static let yaml = """
    name: zones
    timeZone: Asia/Seoul
    demand:
      synthetic: {start: 2026-03-02T00:00:00, days: 2, interval: 1m, baselinePerMinute: 1500, noiseSigma: 0}
    capacity:
      unitsPerMinute: {m5.large: 120}
    fleet:
      region: ap-northeast-2
      availabilityZones: [ap-northeast-2a, ap-northeast-2b, ap-northeast-2c]
      instanceType: m5.large
      minSize: 6
      maxSize: 200
      launchTime: 2m
      warmup: 5m
      purchaseOptions:
        onDemandBaseCapacity: 2
        onDemandPercentageAboveBaseCapacity: 50
        spotInterruptions: {monthlyPercent: 60, capacityRebalance: true, warningLead: 5m}
    faults:
      - name: lose-a
        zoneOutage: ap-northeast-2a
        start: 2026-03-02T18:00:00
        duration: 2h
      - name: crunch-b
        launchFailures: {probability: 0.5, zone: ap-northeast-2b}
        start: 2026-03-02T18:00:00
        end: 2026-03-02T20:00:00
    variants:
      - name: cpu-70
        policies:
          - targetTracking: {metric: cpu, target: 70}
      - name: cpu-70-no-rebalancing
        fleet:
          purchaseOptions:
            spotInterruptions: {capacityRebalance: false}
        policies:
          - targetTracking: {metric: cpu, target: 70}

    """

  static func replacing(_ old: String, with new: String, in text: String = yaml) -> String {
    precondition(text.contains(old), old)
    return text.replacingOccurrences(of: old, with: new)
  }

  @Test("zones, Spot interruptions and faults decode; a variant changes only the Spot keys it writes")
  func decodes() throws {
    let scenario = try Fixture.parse(Self.yaml)
    #expect(scenario.fleet.availabilityZones == ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"])
    #expect(scenario.fleet.group.availabilityZoneCount == 3)
    let spot = try #require(scenario.variants[0].group.spotInterruptions)
    #expect(spot.capacityRebalance && spot.warningLeadSeconds == 300)
    #expect(spot.ratePerInstanceSecond == SpotInterruptions.rate(monthlyFraction: 0.6))
    let inherited = try #require(scenario.variants[1].group.spotInterruptions)
    #expect(!inherited.capacityRebalance && inherited.warningLeadSeconds == 300)
    #expect(inherited.ratePerInstanceSecond == spot.ratePerInstanceSecond)
    #expect(scenario.faults.map(\.name) == ["lose-a", "crunch-b"])
    guard case .zoneOutage(let zone, let duration, let detection) = scenario.faults[0].kind else {
      Issue.record("expected a zone outage")
      return
    }
    #expect(zone == "ap-northeast-2a" && duration == 7_200 && detection == 60)
    guard case .launchFailures(let probability, let failingZone, let retry) = scenario.faults[1].kind else {
      Issue.record("expected launch failures")
      return
    }
    #expect(probability == 0.5 && failingZone == "ap-northeast-2b" && retry == 60)
    #expect(scenario.faults[1].end!.timeIntervalSince(scenario.faults[1].start!) == 7_200)
  }

  @Test("bad zones, Spot settings and faults are errors at their line")
  func errors() throws {
    func message(_ yaml: String) -> String? { Fixture.error(yaml).map { "\($0)" } }
    #expect(
      message(Self.replacing("  availabilityZones: [ap-northeast-2a,", with: "  availabilityZone: ap-northeast-2a\n  availabilityZones: [ap-northeast-2a,"))?
        .contains("test.yaml:10") == true)
    #expect(message(Self.replacing("ap-northeast-2c]", with: "us-east-1c]"))?.contains("an Availability Zone of ap-northeast-2") == true)
    #expect(message(Self.replacing("ap-northeast-2c]", with: "ap-northeast-2a]"))?.contains("not listed before") == true)
    #expect(message(Self.replacing("warningLead: 5m", with: "warningLead: 1m"))?.contains("test.yaml:18") == true)
    #expect(message(Self.replacing("monthlyPercent: 60", with: "monthlyPercent: 120"))?.contains("test.yaml:18") == true)
    let noStart = Self.replacing("    zoneOutage: ap-northeast-2a\n    start: 2026-03-02T18:00:00\n", with: "    zoneOutage: ap-northeast-2a\n")
    #expect(message(noStart)?.contains("'start'") == true)
    let both = Self.replacing("    duration: 2h\n", with: "    duration: 2h\n    end: 2026-03-02T19:00:00\n")
    #expect(message(both)?.contains("not both") == true)
    let twoKinds = Self.replacing("    zoneOutage: ap-northeast-2a\n", with: "    zoneOutage: ap-northeast-2a\n    launchFailures: {probability: 1}\n")
    #expect(message(twoKinds)?.contains("one of 'zoneOutage") == true)
    let duplicate = Self.replacing("  - name: crunch-b", with: "  - name: lose-a")
    #expect(message(duplicate)?.contains("fault name") == true)
    #expect(message(Self.replacing("probability: 0.5", with: "probability: 1.5"))?.contains("test.yaml:25") == true)
  }

  @Test("a fault in a zone no fleet uses is an error at the zone, naming the fleet's zones")
  func unknownZone() throws {
    let scenario = try Fixture.parse(Self.replacing("zoneOutage: ap-northeast-2a", with: "zoneOutage: ap-northeast-2d"))
    do {
      _ = try ScenarioRunner.prepare(scenario)
      Issue.record("expected an error")
    } catch {
      let text = "\(error)"
      #expect(text.contains("test.yaml:21") && text.contains("ap-northeast-2a, ap-northeast-2b, ap-northeast-2c"), "\(text)")
    }
  }

  @Test("--fault flags use the faults grammar; bad ones name the flag")
  func faultFlags() throws {
    let plain = try Fixture.parse(Self.yaml.components(separatedBy: "faults:")[0] + "variants:" + Self.yaml.components(separatedBy: "variants:")[1])
    #expect(plain.faults.isEmpty)
    let flagged = try plain.addingFaults(flags: [
      "zoneOutage: ap-northeast-2a, start: 2026-03-02T18:00:00, duration: 2h",
      "name: crunch, launchFailures: {probability: 0.5}, start: 2026-03-02T18:00:00",
    ])
    #expect(flagged.faults.map(\.name) == ["zone-outage-1", "crunch"])
    // 18:00 Seoul is 09:00 UTC.
    #expect(flagged.faults[0].start == ISO8601DateFormatter().date(from: "2026-03-02T09:00:00Z"))
    #expect(throws: ScenarioError.self) { try plain.addingFaults(flags: ["zoneOutage: [unclosed"]) }
    do {
      _ = try plain.addingFaults(flags: ["zoneOutage: ap-northeast-2a"])
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".contains("--fault #1"), "\(error)")
    }
  }

  @Test("each disruption's reported effect is the run minus the run written without it")
  func effectsMatchRunsWithout() throws {
    let prepared = try ScenarioRunner.prepare(Fixture.parse(Self.yaml))
    let result = try ScenarioRunner.run(prepared)
    let effects = result.variants[0].disruptionEffects
    #expect(effects.map(\.name) == ["spot interruptions", "lose-a", "crunch-b"])

    // The scenario written without the zone outage, and without Spot interruptions.
    let withoutOutage = try Fixture.parse(
      Self.replacing(
        "  - name: lose-a\n    zoneOutage: ap-northeast-2a\n    start: 2026-03-02T18:00:00\n    duration: 2h\n", with: ""))
    let withoutSpot = try Fixture.parse(
      Self.replacing("    spotInterruptions: {monthlyPercent: 60, capacityRebalance: true, warningLead: 5m}\n", with: "")
        .replacingOccurrences(of: "      - name: cpu-70-no-rebalancing\n        fleet:\n          purchaseOptions:\n            spotInterruptions: {capacityRebalance: false}\n        policies:\n          - targetTracking: {metric: cpu, target: 70}\n", with: ""))
    let a = try ScenarioRunner.run(ScenarioRunner.prepare(withoutOutage)).variants[0]
    let b = try ScenarioRunner.run(ScenarioRunner.prepare(withoutSpot)).variants[0]
    let full = result.variants[0]
    #expect(abs(effects[1].costUSD - (full.costUSD - a.costUSD)) < 1e-9)
    #expect(abs(effects[1].delayedUnits - (full.statistics.delayedUnits - a.statistics.delayedUnits)) < 1e-9)
    #expect(abs(effects[0].costUSD - (full.costUSD - b.costUSD)) < 1e-9)
    // The outage lost the zone's instances and delayed demand at 70% CPU; the Spot
    // process interrupted (or, with Capacity Rebalancing, replaced) some instances.
    #expect(effects[1].instancesLost > 0 && effects[1].delayedUnits > 0)
    #expect(effects[0].capacityRebalanceLaunches > 0)
    #expect(effects[2].failedLaunchAttempts > 0)
    // Without Capacity Rebalancing nothing is replaced ahead of the reclaim.
    let second = result.variants[1].disruptionEffects[0]
    #expect(second.capacityRebalanceLaunches == 0 && second.replacedBeforeInterruption == 0)
    // Same input, same bytes.
    #expect(try ScenarioRunner.run(prepared) == result)
  }

  @Test("without monthlyPercent the rate is the Spot Advisor bucket's middle (m5.large in Seoul: 5-10%)")
  func advisorRate() throws {
    let scenario = try Fixture.parse(Self.replacing("monthlyPercent: 60, ", with: ""))
    let prepared = try ScenarioRunner.prepare(scenario)
    let unit = try ScenarioRunner.units(prepared, variants: [])[0]
    let group = try ScenarioRunner.disruptedGroup(unit, catalog: prepared.catalog, scope: .all)
    #expect(group.spotInterruptions?.ratePerInstanceSecond == SpotInterruptions.rate(monthlyFraction: 0.075))
    #expect(ScenarioRunner.spotAdvisorMonthlyPercent(bucket: 4) == 25)
  }
}
