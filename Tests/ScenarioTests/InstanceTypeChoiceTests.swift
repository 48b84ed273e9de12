import Advisor
import Foundation
import Testing

@testable import Scenario

/// The scenario side of the instance-type choice: which types a fleet searches, the errors,
/// and the run report's "another instance type", hand-counted on a fleet that cannot move.
@Suite struct InstanceTypeChoiceTests {
  /// 10 m5.large fixed (min = max), 100 units/min each; c6i.large serves 90, so the same
  /// capacity is ceil(10 x 100 / 90) = ceil(11.1) = 12 c6i.large. Demand stays far below
  /// both (baseline 100/min). Seoul list prices: m5.large 0.118, c6i.large 0.096 USD/h.
  static let fixed = """
    name: fixed
    timeZone: Asia/Seoul
    demand:
      synthetic: {start: 2026-03-02T00:00:00, days: 3, interval: 1m, baselinePerMinute: 100, noiseSigma: 0}
    capacity:
      unitsPerMinute:
        m5.large: 100
        c6i.large: 90
    fleet: {region: ap-northeast-2, instanceType: m5.large, minSize: 10, maxSize: 10, launchTime: 2m, warmup: 5m}
    variants:
      - name: current
        policies:
          - targetTracking: {metric: cpu, target: 50}
    simulation: {tick: 1m, seed: 3}
    """

  @Test("capsim run: the first variant on c6i.large is 12 x 0.096 x 72 h = 82.944 USD vs 10 x 0.118 x 72 = 84.96, ranked with its command")
  func runRanksAnotherType() throws {
    let prepared = try ScenarioRunner.prepare(Fixture.parse(Self.fixed))
    let result = try ScenarioRunner.run(prepared, advisesPurchase: true)
    let first = try #require(result.variants.first)
    #expect(abs(first.costUSD - 84.96) < 1e-6)
    let alternative = try #require(result.instanceTypeAlternatives.first)
    #expect(result.instanceTypeAlternatives.count == 1)
    #expect(alternative.instanceType == "c6i.large" && alternative.family == "c6i")
    #expect(abs(alternative.costUSD - 82.944) < 1e-6)
    #expect(alternative.statistics.peakInstances == 12)
    #expect(result.headlineCapacityUnitsPerMinute == 100)

    // Without the cost reports (the terminal table), nothing extra is simulated.
    #expect(try ScenarioRunner.run(prepared).instanceTypeAlternatives.isEmpty)
  }

  @Test("a fleet searches the other types its capacity lists, in file order, narrowed by --types")
  func typesSearched() throws {
    let yaml = Self.fixed.replacingOccurrences(of: "    c6i.large: 90\n", with: "    c6i.large: 90\n    m7g.large: 125\n")
    let prepared = try ScenarioRunner.prepare(Fixture.parse(yaml))
    let unit = try #require(try ScenarioRunner.units(prepared, variants: []).first)
    let (all, _) = try ScenarioRecommender.otherInstanceTypes(unit, catalog: prepared.catalog, narrowedTo: nil)
    #expect(all.map(\.instanceType) == ["c6i.large", "m7g.large"])
    #expect(all.map(\.pool.family) == ["c6i", "m7g"] && all.map(\.capacityUnitsPerMinute) == [90, 125])
    let (narrowed, _) = try ScenarioRecommender.otherInstanceTypes(
      unit, catalog: prepared.catalog, narrowedTo: ["m5.large", "m7g.large"])
    #expect(narrowed.map(\.instanceType) == ["m7g.large"])
    let (own, _) = try ScenarioRecommender.otherInstanceTypes(unit, catalog: prepared.catalog, narrowedTo: ["m5.large"])
    #expect(own.isEmpty)
  }

  @Test("a listed type the catalog does not price in the region: the error points at its capacity entry")
  func unpricedTypeIsAnError() throws {
    let yaml = Self.fixed.replacingOccurrences(of: "    c6i.large: 90\n", with: "    c6i.large: 90\n    m9z.large: 80\n")
    let prepared = try ScenarioRunner.prepare(Fixture.parse(yaml))
    var options = RecommendationOptions()
    options.forecastDays = 1
    options.forecastPaths = 1
    #expect {
      _ = try ScenarioRecommender.recommend(prepared, options: options)
    } throws: { error in
      let text = "\(error)"
      return text.contains("test.yaml:9:16:") && text.contains("m9z.large")
        && text.contains("an instance type the price catalog lists for ap-northeast-2")
    }
    // The run report checks the same.
    #expect(throws: ScenarioError.self) { try ScenarioRunner.run(prepared, advisesPurchase: true) }
  }

  @Test("--types naming a type no capacity map lists: the error names the listed ones and the closest")
  func unknownTypesOption() throws {
    let prepared = try ScenarioRunner.prepare(Fixture.parse(Self.fixed))
    var options = RecommendationOptions()
    options.instanceTypes = ["m5.large", "c6i.largee"]
    #expect {
      _ = try ScenarioRecommender.recommend(prepared, options: options)
    } throws: { error in
      let text = "\(error)"
      return text.contains("'c6i.largee'") && text.contains("(m5.large, c6i.large)") && text.contains("did you mean 'c6i.large'?")
    }
  }
}
