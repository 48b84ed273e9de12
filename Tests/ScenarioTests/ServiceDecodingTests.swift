import AutoScaling
import Foundation
import Testing

@testable import Scenario

/// A two-service scenario (UTC): `api` falls back to the top-level capacity, `search` has
/// its own, an AZ and purchase options.
enum ServiceFixture {
  static let yaml = """
    name: teams
    capacity:
      unitsPerMinute: {m5.large: 120}
    services:
      - name: api
        team: orders
        tags: {cost-center: "CC-1", env: prod}
        demand:
          csv: data/orders.csv
        fleet:
          region: us-east-1
          instanceType: m5.large
          minSize: 2
          maxSize: 10
        policies:
          - targetTracking: {metric: cpu, target: 50}
      - name: search
        team: discovery
        demand:
          synthetic: {start: 2026-03-02T00:00:00, days: 7, baselinePerMinute: 800}
        capacity:
          unitsPerMinute: {r6i.large: 500}
        fleet:
          region: us-east-1
          availabilityZone: us-east-1b
          instanceType: r6i.large
          minSize: 2
          maxSize: 60
          purchaseOptions: {onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 30, spotPriceUSDPerHour: 0.05}
        policies:
          - scheduled: {name: lunch, recurrence: "0 11 * * *", minSize: 6}

    """
  //  1 name: teams
  //  2 capacity:
  //  3   unitsPerMinute: {m5.large: 120}
  //  4 services:
  //  5   - name: api
  //  6     team: orders
  //  7     tags: {cost-center: "CC-1", env: prod}
  //  8     demand:
  //  9       csv: data/orders.csv
  // 10     fleet:
  // 11       region: us-east-1
  // 12       instanceType: m5.large
  // 13       minSize: 2
  // 14       maxSize: 10
  // 15     policies:
  // 16       - targetTracking: {metric: cpu, target: 50}
  // 17   - name: search
  // 18     team: discovery
  // 19     demand:
  // 20       synthetic: {start: 2026-03-02T00:00:00, days: 7, baselinePerMinute: 800}
  // 21     capacity:
  // 22       unitsPerMinute: {r6i.large: 500}
  // 23     fleet:
  // 24       region: us-east-1
  // 25       availabilityZone: us-east-1b
  // 26       instanceType: r6i.large
  // 27       minSize: 2
  // 28       maxSize: 60
  // 29       purchaseOptions: {onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 30, spotPriceUSDPerHour: 0.05}
  // 30     policies:
  // 31       - scheduled: {name: lunch, recurrence: "0 11 * * *", minSize: 6}

  /// `yaml` with 1-based line `number` replaced by `replacement` (which may span lines).
  static func replacing(line number: Int, with replacement: String) -> String {
    var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines[number - 1] = replacement
    return lines.joined(separator: "\n")
  }
}

@Suite struct ServiceDecodingTests {
  static func at(_ line: Int, _ column: Int) -> Scenario.SourceLocation {
    Scenario.SourceLocation(file: "test.yaml", line: line, column: column)
  }

  @Test("services decode with team, tags, demand, a validated fleet and policies, in file order")
  func services() throws {
    let scenario = try Fixture.parse(ServiceFixture.yaml)
    #expect(scenario.hasServices)
    #expect(scenario.services.map(\.name) == ["api", "search"])
    #expect(scenario.services.map(\.team) == ["orders", "discovery"])
    #expect(scenario.services.map(\.tags) == [["cost-center": "CC-1", "env": "prod"], [:]])
    #expect(scenario.services.map(\.location) == [Self.at(5, 5), Self.at(17, 5)])

    let api = scenario.services[0]
    #expect(api.demand.source == .csv(Fixture.directory.appendingPathComponent("data/orders.csv").standardizedFileURL))
    var apiFleet = FleetDefinition(
      region: "us-east-1", availabilityZone: nil, instanceType: "m5.large",
      group: GroupConfiguration(
        instanceType: "m5.large", minSize: 2, maxSize: 10, initialCapacity: 2, launchSeconds: 120, warmupSeconds: 300,
        capacityUnitsPerMinute: 120),
      spotPriceUSDPerHour: nil, location: Self.at(10, 5))
    // The top-level capacity map, which api falls back to.
    apiFleet.capacityByType = [InstanceTypeCapacity(instanceType: "m5.large", unitsPerMinute: 120, location: Self.at(3, 30))]
    #expect(api.fleet == apiFleet)
    #expect(api.policies == [.targetTracking(TargetTrackingPolicy(
      name: "targetTracking-1", metric: .averageCPUUtilization, targetValue: 50))])
    #expect(api.policyLocations == ["targetTracking-1": Self.at(16, 9)])
    #expect(api.scheduledActions.isEmpty)

    let search = scenario.services[1]
    guard case .synthetic(let synthetic) = search.demand.source else {
      Issue.record("expected a synthetic source, got \(search.demand.source)")
      return
    }
    #expect(synthetic.baselinePerMinute == 800)
    #expect(synthetic.start == .utc("2026-03-02T00:00:00Z"))
    var searchFleet = FleetDefinition(
      region: "us-east-1", availabilityZone: "us-east-1b", instanceType: "r6i.large",
      group: GroupConfiguration(
        instanceType: "r6i.large", minSize: 2, maxSize: 60, initialCapacity: 2, launchSeconds: 120, warmupSeconds: 300,
        capacityUnitsPerMinute: 500, onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 30),
      spotPriceUSDPerHour: 0.05, location: Self.at(23, 5))
    // Its own capacity map, which replaces the top-level one.
    searchFleet.capacityByType = [InstanceTypeCapacity(instanceType: "r6i.large", unitsPerMinute: 500, location: Self.at(22, 35))]
    #expect(search.fleet == searchFleet)
    #expect(search.policies.isEmpty)
    #expect(search.scheduledActions.map(\.name) == ["lunch"])
    #expect(search.scheduledActions.map(\.minSize) == [6])
  }

  @Test("a multi-service scenario has no variants; demand and fleet repeat the first service's")
  func scenarioLevelFields() throws {
    let scenario = try Fixture.parse(ServiceFixture.yaml)
    #expect(scenario.variants.isEmpty)
    #expect(scenario.demand == scenario.services[0].demand)
    #expect(scenario.fleet == scenario.services[0].fleet)
    #expect(scenario.capacityUnitsPerMinute == ["m5.large": 120])
  }

  @Test("without a top-level capacity every service brings its own, and the scenario's map is empty")
  func noTopLevelCapacity() throws {
    let yaml = ServiceFixture.replacing(line: 2, with: "")
      .replacingOccurrences(of: "  unitsPerMinute: {m5.large: 120}\n", with: "")
      .replacingOccurrences(of: "    demand:\n      csv: data/orders.csv\n", with: """
            demand:
              csv: data/orders.csv
            capacity: {unitsPerMinute: {m5.large: 100}}

        """)
    let scenario = try Fixture.parse(yaml)
    #expect(scenario.capacityUnitsPerMinute.isEmpty)
    #expect(scenario.services.map(\.fleet.group.capacityUnitsPerMinute) == [100, 500])
  }
}
