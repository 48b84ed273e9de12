import Foundation
import Testing

@testable import Scenario

/// `capsim validate`'s Savings Plans rate check (`SavingsPlanRateCheck`): an error where a
/// plan without a rate certainly meets On-Demand usage, a warning where it may, nothing
/// otherwise. The independent truth is `capsim run` itself: every certain case is checked to
/// fail at billing, and every scenario without an error or a warning to run.
@Suite struct SavingsPlanRateCheckTests {
  /// One day of synthetic demand in Seoul; a Compute Savings Plan from 2026 (line 14);
  /// `fleet` and `rates` fill in the fleet's keys and the `savingsPlanRates` block.
  static func scenario(
    fleet: String = "minSize: 2", plan: String = "type: compute", planStart: String = "2026-01-01T00:00:00",
    rates: String = ""
  ) -> String {
    """
    name: sp-check
    timeZone: Asia/Seoul
    demand:
      synthetic: {start: 2026-03-02T00:00:00, days: 1, baselinePerMinute: 300}
    capacity:
      unitsPerMinute: {m5.large: 120, c6i.large: 150}
    fleet: {region: ap-northeast-2, instanceType: m5.large, maxSize: 40, launchTime: 2m, warmup: 5m, \(fleet)}
    variants:
      - name: cpu-50
        policies:
          - targetTracking: {name: cpu, metric: cpu, target: 50}
    commitments:
      savingsPlans:
        - id: sp
          \(plan)
          commitmentUSDPerHour: 0.05
          term: 1y
          payment: noUpfront
          start: \(planStart)
    \(rates)
    """
  }

  static let m5Rate =
    "savingsPlanRates:\n  - {type: compute, family: m5, region: ap-northeast-2, term: 1y, payment: noUpfront, discountPercent: 28}"
  static let c6iRate =
    "\n  - {type: compute, family: c6i, term: 1y, payment: noUpfront, discountPercent: 27}"

  static func prepared(_ yaml: String) throws -> PreparedScenario {
    try ScenarioRunner.prepare(try ScenarioDefinition.parse(yaml: yaml, file: "sp.yaml", baseDirectory: Fixture.directory))
  }

  /// Whether `capsim run` bills the scenario (nil) or the error it stops with.
  static func runError(_ prepared: PreparedScenario) -> String? {
    do {
      _ = try ScenarioRunner.run(prepared)
      return nil
    } catch {
      return error.description
    }
  }

  @Test("a fleet starting with On-Demand m5 instances under a Compute plan with no m5 rate is an error at the plan, and run fails")
  func certainMissingRateIsAnError() throws {
    let prepared = try Self.prepared(Self.scenario())
    let check = try SavingsPlanRateCheck(prepared)
    #expect(check.warnings.isEmpty)
    let error = try #require(check.errors.first).error
    #expect(check.errors.count == 1)
    #expect(
      error.description
        == "sp.yaml:14:7: 'savingsPlanRates' should be an entry {type: compute, family: m5, region: ap-northeast-2 or "
        + "none, term: 1y, payment: noUpfront, discountPercent: ...} for Savings Plan 'sp' (variant 'cpu-50' starts with "
        + "2 instances, m5.large, with On-Demand in its instances distribution: its bill has On-Demand m5 usage the plan "
        + "covers), found none (nor a No Upfront rate in the price catalog)")
    #expect(Self.runError(prepared)?.contains("expected a Savings Plans rate for (compute, m5, 1y, no-upfront)") == true)
  }

  @Test("with the family's rate, in the region or for any region, nothing is reported and run bills the plan")
  func rateGivenIsValid() throws {
    for rates in [Self.m5Rate, "savingsPlanRates:" + Self.c6iRate.replacingOccurrences(of: "c6i", with: "m5")] {
      let prepared = try Self.prepared(Self.scenario(rates: rates))
      #expect(try SavingsPlanRateCheck(prepared).findings.isEmpty)
      #expect(Self.runError(prepared) == nil)
    }
  }

  @Test("a fleet that starts empty but may scale out On-Demand gets a warning, not an error")
  func possibleUsageIsAWarning() throws {
    let prepared = try Self.prepared(Self.scenario(fleet: "minSize: 0"))
    let check = try SavingsPlanRateCheck(prepared)
    #expect(check.errors.isEmpty)
    let warning = try #require(check.warnings.first)
    #expect(check.warnings.count == 1)
    #expect(
      warning.description
        == "sp.yaml:14:7: warning: Savings Plan 'sp' may need an entry {type: compute, family: m5, region: "
        + "ap-northeast-2 or none, term: 1y, payment: noUpfront, discountPercent: ...} in savingsPlanRates: variant "
        + "'cpu-50' starts with no instances but may launch On-Demand m5.large; capsim run stops at billing if it does")
  }

  @Test("no finding when the fleet never runs On-Demand, the plan is outside the window, or covers another family")
  func nothingToCover() throws {
    let cases = [
      // All Spot: Savings Plans never apply to Spot usage.
      Self.scenario(fleet: "minSize: 2, purchaseOptions: {onDemandPercentageAboveBaseCapacity: 0}"),
      // The plan starts after the one simulated day (billed hours end 2026-03-03 00:00 Seoul).
      Self.scenario(planStart: "2026-03-03T00:00:00"),
      // An EC2 Instance plan for c6i; the fleet runs m5.
      Self.scenario(plan: "type: ec2Instance\n      family: c6i\n      region: ap-northeast-2"),
    ]
    for yaml in cases {
      let prepared = try Self.prepared(yaml)
      #expect(try SavingsPlanRateCheck(prepared).findings.isEmpty)
      #expect(Self.runError(prepared) == nil)
    }
  }

  @Test("a plan that ended before the window, or starts in its last hour, is judged as billing judges it")
  func windowEdges() throws {
    // Ends 2026-03-01, the day before the window: inactive, and run bills without a rate.
    let ended = try Self.prepared(Self.scenario(planStart: "2026-01-01T00:00:00\n      end: 2026-03-01T00:00:00"))
    #expect(try SavingsPlanRateCheck(ended).findings.isEmpty)
    #expect(Self.runError(ended) == nil)
    // Starts 30 minutes before the window ends: active in the last billed hour.
    let late = try Self.prepared(Self.scenario(planStart: "2026-03-02T23:30:00"))
    #expect(try SavingsPlanRateCheck(late).errors.count == 1)
    #expect(Self.runError(late) != nil)
  }

  @Test("several families: an error only when none of them has a rate, else a warning naming the one without")
  func severalFamilies() throws {
    let types = "minSize: 2, purchaseOptions: {instanceTypes: [m5.large, c6i.large]}"
    let none = try Self.prepared(Self.scenario(fleet: types))
    let noneCheck = try SavingsPlanRateCheck(none)
    #expect(noneCheck.errors.count == 1 && noneCheck.errors[0].families == ["m5", "c6i"])
    #expect(Self.runError(none) != nil)
    let some = try Self.prepared(Self.scenario(fleet: types, rates: Self.m5Rate))
    let someCheck = try SavingsPlanRateCheck(some)
    #expect(someCheck.errors.isEmpty)
    #expect(someCheck.warnings.map(\.families) == [["c6i"]])
    let both = try Self.prepared(Self.scenario(fleet: types, rates: Self.m5Rate + Self.c6iRate))
    #expect(try SavingsPlanRateCheck(both).findings.isEmpty)
    #expect(Self.runError(both) == nil)
  }

  @Test("an EC2 Instance plan for one of several families is a warning: the initial instances may be of another")
  func ec2InstancePlanAmongSeveralFamilies() throws {
    let yaml = Self.scenario(
      fleet: "minSize: 2, purchaseOptions: {instanceTypes: [c6i.large, m5.large]}",
      plan: "type: ec2Instance\n      family: m5\n      region: ap-northeast-2")
    let check = try SavingsPlanRateCheck(try Self.prepared(yaml))
    #expect(check.errors.isEmpty)
    #expect(check.warnings.map(\.families) == [["m5"]])
  }

  @Test("every shipped scenario passes the check without an error")
  func shippedScenarios() throws {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios")
      .standardizedFileURL
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
    #expect(files.count >= 10)
    for file in files {
      let definition = try ScenarioDefinition.load(path: directory.appendingPathComponent(file).path)
      #expect(try SavingsPlanRateCheck(try ScenarioRunner.prepare(definition)).errors.isEmpty, "\(file)")
    }
  }
}
