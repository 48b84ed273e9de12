import AutoScaling
import Billing
import Foundation
import Testing

@testable import Scenario

/// `purchaseOptions.instanceTypes` and the allocation strategies as a scenario writes them:
/// decoding and errors at their line, the orders each strategy gives from the shipped
/// catalog (counted by hand from its Seoul rows), per-type Spot Advisor rates, and the run's
/// usage carrying each instance's type to billing.
@Suite struct InstanceTypeAllocationScenarioTests {
  /// Seoul, two days, an On-Demand base of 2 and 20% of the rest On-Demand.
  static let yaml = """
    name: types
    timeZone: Asia/Seoul
    demand:
      synthetic: {start: 2026-03-02T00:00:00, days: 2, interval: 1m, baselinePerMinute: 800, noiseSigma: 0}
    capacity:
      unitsPerMinute: {m5.large: 120, m6i.large: 138, m7i.large: 144, m6g.large: 132}
    fleet:
      region: ap-northeast-2
      instanceType: m5.large
      minSize: 4
      maxSize: 100
      purchaseOptions:
        onDemandBaseCapacity: 2
        onDemandPercentageAboveBaseCapacity: 20
        instanceTypes: [m5.large, m6i.large, m7i.large, m6g.large]
        spotAllocationStrategy: price-capacity-optimized
        spotInterruptions: {capacityRebalance: true}
    variants:
      - name: pco
        policies:
          - targetTracking: {metric: cpu, target: 60}
      - name: lowest
        fleet:
          purchaseOptions: {spotAllocationStrategy: lowest-price, spotInstancePools: 3, onDemandAllocationStrategy: lowest-price}
        policies:
          - targetTracking: {metric: cpu, target: 60}
      - name: capacity
        fleet:
          purchaseOptions: {spotAllocationStrategy: capacity-optimized}
        policies:
          - targetTracking: {metric: cpu, target: 60}
      - name: one-type
        fleet:
          purchaseOptions: {instanceTypes: [m5.large]}
        policies:
          - targetTracking: {metric: cpu, target: 60}

    """

  static func replacing(_ old: String, with new: String) -> String {
    precondition(yaml.contains(old), old)
    return yaml.replacingOccurrences(of: old, with: new)
  }

  static func groups() throws -> [GroupConfiguration] {
    let prepared = try ScenarioRunner.prepare(try Fixture.parse(yaml))
    return try ScenarioRunner.units(prepared, variants: []).map {
      try ScenarioRunner.disruptedGroup($0, catalog: prepared.catalog, scope: .all)
    }
  }

  @Test("types and strategies decode with capacities; a variant changes only the keys it writes")
  func decoding() throws {
    let scenario = try Fixture.parse(Self.yaml)
    let types = scenario.fleet.instanceTypes
    #expect(types.instanceTypes == ["m5.large", "m6i.large", "m7i.large", "m6g.large"])
    #expect(types.locations.map(\.line) == [15, 15, 15, 15])
    #expect(types.spotAllocationStrategy == .priceCapacityOptimized)
    #expect(types.onDemandAllocationStrategy == .prioritized)
    #expect(scenario.fleet.group.instanceTypes.map(\.capacityUnitsPerMinute) == [120, 138, 144, 132])
    let lowest = scenario.variants[1].instanceTypes
    #expect(lowest.instanceTypes == types.instanceTypes)
    #expect(lowest.spotAllocationStrategy == .lowestPrice && lowest.spotInstancePools == 3)
    #expect(lowest.onDemandAllocationStrategy == .lowestPrice)
    #expect(scenario.variants[3].group.instanceTypes.map(\.instanceType) == ["m5.large"])
    // AWS's defaults when nothing is written.
    let defaults = InstanceTypesDefinition()
    #expect(defaults.spotAllocationStrategy == .lowestPrice && defaults.spotInstancePools == 2)
    #expect(defaults.onDemandAllocationStrategy == .prioritized)
  }

  // Seoul rows of the shipped catalog (On-Demand USD/h; Spot = On-Demand x (1 - Advisor
  // savings); Advisor bucket): m5.large 0.118, 0.118 x 0.32 = 0.03776, 1 (5-10%);
  // m6i.large 0.118, 0.03776, 2; m7i.large 0.1239, 0.1239 x 0.29 = 0.035931, 1;
  // m6g.large 0.094, 0.094 x 0.31 = 0.02914, 4.
  // - price-capacity-optimized: bucket 1 first (m7i cheaper than m5), then m6i, m6g.
  // - lowest-price: m6g, m7i, then m5 and m6i at one price in list order; 3 pools.
  // - capacity-optimized: bucket 1 (m5, m7i in list order), m6i, m6g.
  // - On-Demand lowest-price: m6g 0.094, m5 and m6i 0.118 (list order), m7i 0.1239.
  @Test("each strategy's order comes from the catalog's prices and Spot Advisor buckets")
  func orders() throws {
    let groups = try Self.groups()
    #expect(groups[0].allocation == InstanceTypeAllocation(onDemandOrder: [0, 1, 2, 3], spotOrder: [2, 0, 1, 3]))
    #expect(
      groups[1].allocation == InstanceTypeAllocation(onDemandOrder: [3, 0, 1, 2], spotOrder: [3, 2, 0, 1], spotPools: 3))
    #expect(groups[2].allocation == InstanceTypeAllocation(onDemandOrder: [0, 1, 2, 3], spotOrder: [0, 2, 1, 3]))
    // Each type's Spot rate is its own bucket's: m6g.large >20% read as 25% a month.
    let rates = groups[0].instanceTypes.map(\.spotInterruptionRatePerSecond)
    let expected = [7.5, 12.5, 7.5, 25].map { SpotInterruptions.rate(monthlyFraction: $0 / 100) }
    #expect(rates == expected.map { Optional($0) })
  }

  @Test("the run's usage carries each instance's type: Spot in m7i.large, On-Demand in m5.large")
  func usageTypes() throws {
    let prepared = try ScenarioRunner.prepare(try Fixture.parse(Self.yaml))
    let unit = try ScenarioRunner.units(prepared, variants: ["pco"])[0]
    let fleet = try ScenarioRunner.simulate(unit, prepared: prepared)
    let spot = Set(fleet.usage.filter { $0.purchaseOption == .spot }.map(\.instanceType))
    let onDemand = Set(fleet.usage.filter { $0.purchaseOption == .onDemand }.map(\.instanceType))
    #expect(spot == ["m7i.large"])
    #expect(onDemand == ["m5.large"])
    let result = try ScenarioRunner.run(prepared, variants: ["pco"])
    // Billed at each type's own Spot price: the Spot cost is m7i.large's rate x its hours.
    let bill = try #require(result.variants[0].bill)
    let spotSeconds = fleet.usage.filter { $0.purchaseOption == .spot }.reduce(0.0) {
      $0 + Double($1.count) * max(60, ($1.endSeconds - $1.startSeconds).rounded(.up))
    }
    #expect(abs(bill.effective.spotUSD - spotSeconds / 3_600 * 0.1239 * 0.29) < 1e-6)
    // The per-type shares add the usage's running hours, type by type.
    let shares = result.variants[0].instanceTypeShares
    #expect(shares.map(\.instanceType) == ["m5.large", "m6i.large", "m7i.large", "m6g.large"])
    func hours(_ type: String, _ option: PurchaseOption) -> Double {
      fleet.usage.filter { $0.instanceType == type && $0.purchaseOption == option }.reduce(0.0) {
        $0 + Double($1.count) * ($1.endSeconds - $1.startSeconds) / 3_600
      }
    }
    #expect(abs(shares[2].spotInstanceHours - hours("m7i.large", .spot)) < 1e-9)
    #expect(abs(shares[0].onDemandInstanceHours - hours("m5.large", .onDemand)) < 1e-9)
    #expect(shares[1].onDemandInstanceHours + shares[1].spotInstanceHours == 0)
    #expect(shares.map(\.spotInterruptions).reduce(0, +) == result.variants[0].statistics.disruptions?.spotInterruptions)
  }

  @Test("mistakes in instance types are errors at their line")
  func errors() throws {
    let missing = Fixture.error(Self.replacing("m5.large, m6i.large, m7i.large, m6g.large]", with: "m5.large, c7i.large]"))
    #expect(missing?.location.line == 15)
    #expect(missing?.description.contains("capacity.unitsPerMinute") == true)
    let notListed = Fixture.error(Self.replacing("[m5.large, m6i.large, m7i.large, m6g.large]", with: "[m6i.large, m7i.large]"))
    #expect(notListed?.description.contains("includes the fleet's instanceType m5.large") == true)
    let duplicate = Fixture.error(Self.replacing("m7i.large, m6g.large]", with: "m7i.large, m7i.large]"))
    #expect(duplicate?.description.contains("duplicate") == true || duplicate?.description.contains("m7i.large") == true)
    let pools = Fixture.error(
      Self.replacing("spotAllocationStrategy: price-capacity-optimized", with: "spotAllocationStrategy: price-capacity-optimized\n    spotInstancePools: 2"))
    #expect(pools?.location.line == 17)
    #expect(pools?.description.contains("lowest-price only") == true)
    let strategy = Fixture.error(Self.replacing("price-capacity-optimized", with: "price-capacity"))
    #expect(strategy?.description.contains("price-capacity-optimized") == true)
  }

  @Test("a fault on one type applies where that type launches; a type no group launches is an error")
  func faultsByType() throws {
    let fault = """
      faults:
        - name: m7i-out
          launchFailures: {probability: 1, instanceType: m7i.large, market: spot}
          start: 2026-03-02T18:00:00
          duration: 3h
      variants:
      """
    let scenario = try Fixture.parse(Self.replacing("variants:", with: fault))
    #expect(scenario.faults[0].instanceType == "m7i.large" && scenario.faults[0].market == .spot)
    let prepared = try ScenarioRunner.prepare(scenario)
    let units = try ScenarioRunner.units(prepared, variants: [])
    let faults = try units.map { try ScenarioRunner.fleetFaults($0, prepared: prepared, scope: .all) }
    guard case .launchFailures(let failures) = try #require(faults[0].first) else {
      Issue.record("expected launch failures")
      return
    }
    #expect(failures.instanceType == 2 && failures.market == .spot)
    #expect(faults[3].isEmpty)  // one-type launches no m7i.large
    // The pco variant's Spot moves to m5.large, next in its order, while m7i.large fails.
    let result = try ScenarioRunner.run(prepared, variants: ["pco"])
    let effect = try #require(result.variants[0].disruptionEffects.first { $0.name == "m7i-out" })
    #expect(effect.failedLaunchAttempts > 0)
    let wrong = try Fixture.parse(Self.replacing("variants:", with: fault.replacingOccurrences(of: "m7i.large", with: "c7i.large")))
    #expect(throws: ScenarioError.self) { _ = try ScenarioRunner.prepare(wrong) }
    do {
      _ = try ScenarioRunner.prepare(wrong)
    } catch {
      #expect(error.description.contains("a type a group of the run launches"))
      #expect(error.location.line == 20)  // the launchFailures line, where instanceType is written
    }
  }
}
