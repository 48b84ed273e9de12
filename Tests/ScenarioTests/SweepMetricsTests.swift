import Foundation
import Results
import Testing

@testable import Scenario

/// A sweep row is computed without `ScenarioRunner.run` (no busiest-day timeline, no
/// activity list, a forecast shared across points, billing from `FleetUsage`); its figures
/// must still be `capsim run`'s for the same variant, bit for bit. The reference is the
/// variant result `run` reports, turned into a row by `SweepRunner.metrics(of:)`.
@Suite struct SweepMetricsTests {
  /// Every variant of `definition` as a sweep point (the scenario with only that variant)
  /// against `run --policy VARIANT`.
  static func expectRowsEqualRun(_ definition: ScenarioDefinition, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let prepared = try ScenarioRunner.prepare(definition)
    for variant in definition.variants {
      var point = prepared
      point.definition.variants = [variant]
      let forecast = ScenarioRunner.sharedPredictiveForecast(point, definitions: [point.definition])
      let row = try ScenarioRunner.sweepMetrics(point, predictiveForecast: forecast)
      let reference = SweepRunner.metrics(of: try ScenarioRunner.run(prepared, variants: [variant.name]).variants[0])
      #expect(row == reference, "\(definition.name) / \(variant.name)", sourceLocation: sourceLocation)
    }
  }

  @Test("each shipped variant's row equals capsim run's figures (predictive, zones and outages, warm pool, Spot over types)",
        arguments: ["seoul-food-delivery", "seoul-zone-loss", "seoul-warm-pool", "seoul-spot-diversified"])
  func shippedScenarios(name: String) throws {
    let path = ShippedScenarioTests.root.appendingPathComponent("scenarios/\(name).yaml").path
    try Self.expectRowsEqualRun(try ScenarioDefinition.load(path: path))
  }

  /// Three days with a regional RI, a zonal RI, a Compute Savings Plan, Spot above a base
  /// in two zones, and step and simple policies beside target tracking: every part of the
  /// bill the row's cost reads.
  static let commitmentsScenario = """
    name: sweep-commitments
    timeZone: Asia/Seoul
    demand:
      synthetic: {start: 2026-03-02T00:00:00, days: 3, baselinePerMinute: 300, noiseSigma: 0.05}
    capacity:
      unitsPerMinute: {m5.large: 120}
    fleet:
      region: ap-northeast-2
      availabilityZones: [ap-northeast-2a, ap-northeast-2c]
      instanceType: m5.large
      minSize: 2
      maxSize: 40
      purchaseOptions: {onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 50}
    commitments:
      reservedInstances:
        - {id: ri-regional, instanceType: m5.large, region: ap-northeast-2, count: 2, offeringClass: standard, term: 1y, payment: noUpfront, start: 2026-01-01T00:00:00}
        - {id: ri-zonal, instanceType: m5.large, region: ap-northeast-2, availabilityZone: ap-northeast-2a, count: 1, offeringClass: standard, term: 1y, payment: noUpfront, start: 2026-03-03T06:30:00}
      savingsPlans:
        - {id: sp, type: compute, commitmentUSDPerHour: 0.05, term: 1y, payment: noUpfront, start: 2026-03-02T12:00:00}
    savingsPlanRates:
      - {type: compute, family: m5, region: ap-northeast-2, term: 1y, payment: noUpfront, discountPercent: 28}
    variants:
      - name: target
        policies:
          - targetTracking: {name: cpu, metric: cpu, target: 55}
          - scheduled: {name: floor, recurrence: "30 17 * * *", minSize: 8}
      - name: steps
        policies:
          - step:
              name: out
              alarm: {metric: cpu, comparison: ">=", threshold: 60, period: 1m, evaluationPeriods: 2, datapointsToAlarm: 2}
              adjustmentType: ChangeInCapacity
              steps:
                - {lower: 0, adjustment: 3}
          - simple:
              name: in
              alarm: {metric: cpu, comparison: "<", threshold: 30, period: 1m, evaluationPeriods: 10}
              adjustmentType: ChangeInCapacity
              adjustment: -1
              cooldown: 5m
    simulation: {seed: 11}

    """

  @Test("rows with commitments, Spot and two zones equal capsim run's figures")
  func commitmentsSpotAndZones() throws {
    try Self.expectRowsEqualRun(try Fixture.parse(Self.commitmentsScenario))
  }
}
