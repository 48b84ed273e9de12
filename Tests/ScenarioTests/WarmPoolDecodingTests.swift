import AutoScaling
import Foundation
import Testing

@testable import Scenario

/// `warmPool:` in the fleet and in variants, its errors with file:line, and `capsim import`
/// of a warm pool.
@Suite struct WarmPoolDecodingTests {
  /// `Fixture.minimal` with `warmPool: fleetPool` at line 11 (after maxSize) and its
  /// variant list replaced by `variants`.
  static func scenario(fleetPool: String?, variants: String) -> String {
    let yaml = Fixture.minimal(replacing: "maxSize: 10", with: "  maxSize: 10" + (fleetPool.map { "\n  warmPool: \($0)" } ?? ""))
    return String(yaml[..<yaml.range(of: "variants:\n")!.upperBound]) + variants + "\n"
  }

  static let variantA = """
      - name: a
        policies:
          - targetTracking: {metric: cpu, target: 50}
    """

  @Test("a fleet warmPool block decodes every key; variants inherit it, replace it or remove it with none")
  func decodes() throws {
    let yaml = Self.scenario(
      fleetPool: "{state: hibernated, minSize: 1, maxGroupPreparedCapacity: 8, reuseOnScaleIn: true, warmLaunchTime: 90s, volumeGiB: 20, usdPerGBMonth: 0.1}",
      variants: Self.variantA + """

          - name: b
            fleet:
              warmPool: {warmLaunchTime: 2m}
          - name: c
            fleet:
              warmPool: none
        """)
    let definition = try Fixture.parse(yaml)
    let expected = WarmPoolConfiguration(
      poolState: .hibernated, minSize: 1, maxGroupPreparedCapacity: 8, reuseOnScaleIn: true, warmLaunchSeconds: 90,
      volumeGiBPerInstance: 20, usdPerGBMonth: 0.1)
    #expect(definition.fleet.group.warmPool == expected)
    #expect(definition.variants[0].group.warmPool == expected)
    // A variant's block replaces the fleet's whole; unwritten keys take AWS's and capsim's defaults.
    #expect(definition.variants[1].group.warmPool == WarmPoolConfiguration(warmLaunchSeconds: 120))
    #expect(definition.variants[2].group.warmPool == nil)
  }

  @Test("a warm pool with Spot is an error at the warmPool key: AWS rejects it")
  func spotIsAnError() throws {
    let yaml = Self.scenario(
      fleetPool: "{warmLaunchTime: 1m}",
      variants: """
          - name: a
            fleet:
              purchaseOptions: {onDemandPercentageAboveBaseCapacity: 50}
        """)
    let error = try #require(Fixture.error(yaml))
    #expect(error.location.line == 11)
    #expect(error.description.contains("variant 'a': 'warmPool' needs an all On-Demand group"))
    #expect(error.description.contains("onDemandPercentageAboveBaseCapacity 50"))

    let priced = Self.scenario(
      fleetPool: "{warmLaunchTime: 1m}",
      variants: """
          - name: a
            fleet:
              purchaseOptions: {spotPriceUSDPerHour: 0.03}
        """)
    #expect(try #require(Fixture.error(priced)).description.contains("found spotPriceUSDPerHour"))
  }

  @Test(arguments: [
    ("{state: warm, warmLaunchTime: 1m}", "stopped, hibernated, running"),
    ("{minSize: 1}", "warmLaunchTime"),
    ("{warmLaunchTime: 1m, minSize: -1}", "minSize"),
    ("{warmLaunchTime: 1m, volumeGiB: 0}", "volumeGiB"),
    ("{warmLaunchTime: 1m, usdPerGBMonth: 500}", "usdPerGBMonth"),
    ("{warmLaunchTime: 1m, size: 3}", "size"),
    ("none", "mapping"),
  ])
  func badValuesAreErrorsAtTheirLine(block: String, mentions: String) throws {
    let error = try #require(Fixture.error(Self.scenario(fleetPool: block, variants: Self.variantA)))
    #expect(error.location.line == 11, "\(error)")
    #expect(error.description.contains(mentions), "\(error)")
  }

  @Test("a variant with and without a pool runs, and the stopped pool's EBS is in the variant's cost")
  func runsAndBills() throws {
    let definition = try ScenarioDefinition.load(path: ShippedScenarioTests.root.appendingPathComponent("scenarios/seoul-warm-pool.yaml").path)
    let result = try ScenarioRunner.run(try ScenarioRunner.prepare(definition))
    let byName = Dictionary(uniqueKeysWithValues: result.variants.map { ($0.name, $0) })
    let none = try #require(byName["no-pool"])
    let stopped = try #require(byName["stopped-pool"])
    let running = try #require(byName["running-pool"])
    #expect(none.statistics.warmPool == nil)
    #expect(none.bill?.effective.ebsStorageUSD == 0)
    let bill = try #require(stopped.bill)
    let pool = try #require(stopped.statistics.warmPool)
    // 8 GiB x stored seconds / March's 31 days x $0.08 (the whole week is in March).
    let expectedEBS = 8 * pool.storedPoolInstanceSeconds / (31 * 86_400) * 0.08
    #expect(abs(bill.effective.ebsStorageUSD - expectedEBS) < 1e-9)
    #expect(abs(stopped.costUSD - (bill.effective.onDemandUSD + expectedEBS)) < 1e-6)
    // Conservation: the bill saw exactly the simulated lifetimes, pool time included.
    #expect(abs(bill.runningInstanceSeconds - stopped.statistics.instanceSeconds) < 1e-6)
    #expect(running.statistics.warmPool?.storedPoolInstanceSeconds == 0)
    #expect(running.bill?.effective.ebsStorageUSD == 0)
    // The pool serves the peaks: less demand delayed than without it.
    #expect(stopped.statistics.delayedUnits < none.statistics.delayedUnits)
    #expect(pool.launchesFromPool > 0)
  }

  @Test("capsim import maps describe-warm-pool onto the one group when it has no Spot")
  func importMapsThePool() throws {
    let directory = AutoScalingImportTests.directory
    let groups = try String(contentsOf: directory.appendingPathComponent("groups.json"), encoding: .utf8)
      .replacingOccurrences(of: "\"OnDemandPercentageAboveBaseCapacity\": 50", with: "\"OnDemandPercentageAboveBaseCapacity\": 100")
    let groupsPath = try AutoScalingImportTests.temporaryFile("groups-on-demand.json", groups)
    var inputs = AutoScalingImportTests.inputs(warmPool: "warm-pool.json")
    inputs.groupsPath = groupsPath
    let yaml = try AutoScalingImport.scenarioYAML(inputs)
    #expect(yaml.contains("  warmPool: {state: stopped, minSize: 2, reuseOnScaleIn: true, warmLaunchTime: 60}\n"))
    #expect(yaml.contains("imported as warmPool; warmLaunchTime (pool to in service, 60 s)"))
    let scenario = try AutoScalingImportTests.parse(yaml)
    #expect(scenario.variants[0].group.warmPool == WarmPoolConfiguration(minSize: 2, reuseOnScaleIn: true, warmLaunchSeconds: 60))
  }
}
