import Foundation
import Results
import Testing

@testable import Scenario

/// The sweep block: grids in the documented order, points equal to the variant written out,
/// and errors at the sweep value that caused them.
@Suite struct SweepPlanTests {
  /// Two days of synthetic demand, one target-tracking variant with a scheduled floor.
  static func scenario(variant: String = "    policies:\n      - targetTracking: {name: cpu, metric: cpu, target: 50}\n", sweep: String) -> String {
    """
    name: sweep-test
    timeZone: Asia/Seoul
    demand:
      synthetic: {start: 2026-03-02T00:00:00, days: 2, baselinePerMinute: 300, noiseSigma: 0.05}
    capacity:
      unitsPerMinute: {m5.large: 120, c6i.large: 150}
    fleet:
      region: ap-northeast-2
      instanceType: m5.large
      minSize: 2
      maxSize: 40
    variants:
      - name: other
        policies:
          - targetTracking: {metric: cpu, target: 30}
      - name: tt
    \(variant)simulation: {seed: 3}

    """ + sweep
  }

  static func plan(_ yaml: String) throws(ScenarioError) -> SweepPlan {
    try SweepPlan.parse(yaml: yaml, file: "sweep.yaml", baseDirectory: Fixture.directory)
  }

  static func sweepError(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ScenarioError? {
    do {
      let plan = try plan(yaml)
      for point in 0..<plan.pointCount { _ = try plan.scenario(ofPoint: point) }
      Issue.record("expected a ScenarioError, every point decoded", sourceLocation: sourceLocation)
      return nil
    } catch {
      return error
    }
  }

  @Test("a product grid lists points with the last axis varying fastest, mapping values as one column per key")
  func productOrder() throws {
    let plan = try Self.plan(Self.scenario(sweep: """
      sweep:
        variant: tt
        axes:
          - {name: scale, set: demand.scale, values: [1, 1.5]}
          - {name: size, set: variant.fleet, values: [{minSize: 2, maxSize: 40}, {minSize: 4, maxSize: 20}]}
          - {name: target, set: "variant.policies[cpu].target", values: [40, 60, 80]}

      """))
    #expect(plan.pointCount == 12)
    #expect(plan.schema.axes.map(\.columns) == [["scale"], ["size_min_size", "size_max_size"], ["target"]])
    #expect(plan.schema.axes.map(\.isWhatIf) == [true, false, false])
    let expected: [[String]] = [
      ["1", "2", "40", "40"], ["1", "2", "40", "60"], ["1", "2", "40", "80"],
      ["1", "4", "20", "40"], ["1", "4", "20", "60"], ["1", "4", "20", "80"],
      ["1.5", "2", "40", "40"], ["1.5", "2", "40", "60"], ["1.5", "2", "40", "80"],
      ["1.5", "4", "20", "40"], ["1.5", "4", "20", "60"], ["1.5", "4", "20", "80"],
    ]
    #expect((0..<12).map { plan.axisCells(ofPoint: $0) } == expected)
    let point = try plan.scenario(ofPoint: 10)
    #expect(point.variants.map(\.name) == ["tt"])
    #expect(point.demand.scale == 1.5)
    #expect(point.variants[0].group.minSize == 4 && point.variants[0].group.maxSize == 20)
    guard case .targetTracking(let policy) = point.variants[0].policies[0] else {
      Issue.record("expected target tracking")
      return
    }
    #expect(policy.targetValue == 60)
  }

  @Test("a list grid runs its points in file order; values: capacity takes every type of the capacity map")
  func listAndCapacity() throws {
    let list = try Self.plan(Self.scenario(sweep: """
      sweep:
        variant: tt
        grid: list
        axes:
          - {name: target, set: "variant.policies[cpu].target"}
          - {name: seed, set: simulation.seed}
        points:
          - {target: 70, seed: 1}
          - {target: 45, seed: 9}

      """))
    #expect(list.pointCount == 2)
    #expect((0..<2).map { list.axisCells(ofPoint: $0) } == [["70", "1"], ["45", "9"]])
    #expect(try list.scenario(ofPoint: 1).simulation.seed == 9)
    let types = try Self.plan(Self.scenario(sweep: """
      sweep:
        variant: tt
        axes:
          - {name: instance_type, set: fleet.instanceType, values: capacity}

      """))
    #expect((0..<types.pointCount).map { types.axisCells(ofPoint: $0) } == [["m5.large"], ["c6i.large"]])
    #expect(try types.scenario(ofPoint: 1).fleet.instanceType == "c6i.large")
    #expect(types.schema.axes[0].isNumeric == [false])
  }

  @Test("a point is simulated and billed exactly as capsim run runs the variant with its values written in")
  func pointEqualsWrittenVariant() throws {
    let plan = try Self.plan(Self.scenario(sweep: """
      sweep:
        variant: tt
        axes:
          - {name: scale, set: demand.scale, values: [1.0, 1.3]}
          - {name: target, set: "variant.policies[cpu].target", values: [40, 65]}
          - {name: max, set: variant.fleet.maxSize, values: [12, 40]}

      """))
    var rows: [SweepPointResult] = []
    try SweepRunner.run(plan, points: [0, 7], jobs: 2) { rows.append($0) }
    #expect(rows.map(\.point) == [0, 7])
    // Point 7 = scale 1.3, target 65, maxSize 40, written into the scenario by hand.
    var written = Self.scenario(
      variant: "    fleet: {maxSize: 40}\n    policies:\n      - targetTracking: {name: cpu, metric: cpu, target: 65}\n",
      sweep: "")
    written = written.replacingOccurrences(of: "noiseSigma: 0.05}", with: "noiseSigma: 0.05}\n  scale: 1.3")
    let definition = try Fixture.parse(written)
    let result = try ScenarioRunner.run(try ScenarioRunner.prepare(definition), variants: ["tt"])
    let variant = result.variants[0]
    let metrics = rows[1].metrics
    #expect(metrics == SweepRunner.metrics(of: variant))
    #expect(metrics.costUSD == variant.costUSD)
    #expect(metrics.billedInstanceHours == variant.billedInstanceHours)
    #expect(metrics.delayedPercent == variant.statistics.delayedShare * 100)
    #expect(metrics.peakInstances == variant.statistics.peakInstances)
    #expect(metrics.scaleOutActions == variant.statistics.scaleOutActions)
    // And the points differ from each other (the axes took effect).
    #expect(rows[0].metrics.costUSD != rows[1].metrics.costUSD)
  }

  @Test("mistakes in a sweep block are errors at the sweep's own lines")
  func errors() throws {
    let base = Self.scenario(sweep: "")
    let baseLines = base.split(separator: "\n", omittingEmptySubsequences: false).count - 1
    func sweep(_ text: String) -> String { base + text }
    // The sweep block starts on line baseLines + 1.
    let s = baseLines + 1

    var error = Self.sweepError(sweep("sweep:\n  variant: tt\n  axes:\n    - {name: target, set: \"variant.policies[cpo].target\", values: [40]}\n"))
    #expect(error?.line == s + 3)
    #expect(error?.message.contains("the name of an item of 'variant.policies' (cpu)") == true)
    #expect(error?.message.contains("did you mean 'cpu'") == true)

    error = Self.sweepError(sweep("sweep:\n  variant: tt\n  axes:\n    - name: target\n      set: variant.policies[cpu].target\n      values: [40, -5]\n"))
    #expect(error?.line == s + 5)
    #expect(error?.message.contains("target") == true)

    // The base variant overrides maxSize, so the top-level maxSize would never apply.
    let overriding = Self.scenario(
      variant: "    fleet: {maxSize: 30}\n    policies:\n      - targetTracking: {name: cpu, metric: cpu, target: 50}\n",
      sweep: "sweep:\n  variant: tt\n  axes:\n    - {name: max, set: fleet.maxSize, values: [20]}\n")
    error = Self.sweepError(overriding)
    #expect(error?.message.contains("set variant.fleet.maxSize instead") == true)

    error = Self.sweepError(sweep("sweep:\n  variant: tt\n  axes:\n    - {name: Target, set: demand.scale, values: [1]}\n"))
    #expect(error?.message.contains("snake_case") == true)

    error = Self.sweepError(sweep("sweep:\n  variant: nope\n  axes:\n    - {name: x, set: demand.scale, values: [1]}\n"))
    #expect(error?.message.contains("one of the scenario's variants (other, tt)") == true)

    error = Self.sweepError(sweep("sweep:\n  axes:\n    - {name: x, set: name, values: [a]}\n"))
    #expect(error?.message.contains("a path starting at variant, services[NAME] or one of demand") == true)

    error = Self.sweepError(sweep("sweep:\n  axes:\n    - {name: x, set: \"services[a].fleet.maxSize\", values: [3]}\n"))
    #expect(error?.line == s + 2)
    #expect(error?.message.contains("this scenario has no services") == true)

    error = Self.sweepError(sweep("sweep:\n  grid: list\n  axes:\n    - {name: x, set: demand.scale}\n    - {name: y, set: simulation.seed}\n  points:\n    - {x: 1}\n"))
    #expect(error?.line == s + 6)
    #expect(error?.message.contains("missing required key 'y'") == true)

    error = Self.sweepError(sweep("sweep:\n  axes:\n    - {name: size, set: variant.fleet, values: [{minSize: 2}, {maxSize: 9}]}\n"))
    #expect(error?.message.contains("a mapping with the keys minSize") == true)

    error = Self.sweepError(sweep("sweep:\n  axes:\n    - {name: cost_usd, set: demand.scale, values: [1]}\n"))
    #expect(error?.message.contains("a column name capsim does not use itself") == true)
  }

  /// Two services (two days each) sharing a Compute Savings Plan.
  static func servicesScenario(apiTarget: Int = 50, searchMax: Int = 20, planUSDPerHour: Double = 0.1, sweep: String) -> String {
    """
    name: services-sweep
    timeZone: Asia/Seoul
    capacity:
      unitsPerMinute: {m5.large: 120}
    services:
      - name: api
        team: orders
        demand:
          synthetic: {start: 2026-03-02T00:00:00, days: 2, baselinePerMinute: 300, noiseSigma: 0.05}
        fleet: {region: ap-northeast-2, instanceType: m5.large, minSize: 2, maxSize: 40}
        policies:
          - targetTracking: {name: cpu, metric: cpu, target: \(apiTarget)}
      - name: search
        team: discovery
        demand:
          synthetic: {start: 2026-03-02T00:00:00, days: 2, baselinePerMinute: 200, noiseSigma: 0.05}
        capacity:
          unitsPerMinute: {c6i.large: 150}
        fleet: {region: ap-northeast-2, instanceType: c6i.large, minSize: 1, maxSize: \(searchMax)}
        policies:
          - targetTracking: {name: cpu, metric: cpu, target: 60}
    commitments:
      savingsPlans:
        - {id: sp, type: compute, commitmentUSDPerHour: \(planUSDPerHour), term: 1y, payment: noUpfront, start: 2026-01-01T00:00:00}
    savingsPlanRates:
      - {type: compute, family: m5, region: ap-northeast-2, term: 1y, payment: noUpfront, discountPercent: 28}
      - {type: compute, family: c6i, region: ap-northeast-2, term: 1y, payment: noUpfront, discountPercent: 27}
    simulation: {seed: 5}

    """ + sweep
  }

  @Test("a scenario with services: a point runs every service, patched, as capsim run runs the scenario written out")
  func servicesPoint() throws {
    let plan = try Self.plan(Self.servicesScenario(sweep: """
      sweep:
        axes:
          - {name: api_target, set: "services[api].policies[cpu].target", values: [40, 70]}
          - {name: search_max, set: "services[search].fleet.maxSize", values: [3, 20]}
          - {name: plan, set: "commitments.savingsPlans[sp].commitmentUSDPerHour", values: [0.1, 0.5]}

      """))
    #expect(plan.schema.services == ["api", "search"])
    #expect(plan.schema.baseVariant == "")
    // The service's demand would be a what-if; its policy, its fleet and the plan size as given.
    #expect(plan.schema.axes.map(\.isWhatIf) == [false, false, true])
    var rows: [SweepPointResult] = []
    try SweepRunner.run(plan, points: [0, 5], jobs: 2) { rows.append($0) }
    // Point 5 = api target 70, search maxSize 3, plan 0.5, written out by hand.
    let definition = try Fixture.parse(Self.servicesScenario(apiTarget: 70, searchMax: 3, planUSDPerHour: 0.5, sweep: ""))
    let result = try ScenarioRunner.run(try ScenarioRunner.prepare(definition))
    let services = result.services.map(\.statistics)
    let metrics = rows[1].metrics
    #expect(result.services.count == 2)
    #expect(metrics.costUSD == result.accountBill?.effectiveCostUSD)
    #expect(metrics.billedInstanceHours == result.services[0].billedInstanceHours + result.services[1].billedInstanceHours)
    #expect(metrics.peakInstances == services[0].peakInstances + services[1].peakInstances)
    #expect(metrics.delayedPercent == max(services[0].delayedShare, services[1].delayedShare) * 100)
    #expect(metrics.scaleOutActions == services[0].scaleOutActions + services[1].scaleOutActions)
    // maxSize 3 holds search below its demand: it delays, and the worst service's share is the row's.
    #expect(services[1].peakInstances == 3)
    #expect(services[1].delayedShare > services[0].delayedShare)
    #expect(rows[0].metrics.costUSD != metrics.costUSD)
  }

  @Test("the metrics of a point with services: sums, the worst service's service levels, a weighted CPU")
  func servicesMetrics() {
    func m(_ hours: Double, _ peak: Int, _ mean: Double, _ cpu: Double, _ delayed: Double, _ above: Double, _ p99: Double?) -> SweepMetrics {
      SweepMetrics(
        costUSD: 1, billedInstanceHours: hours, peakInstances: peak, meanInstances: mean, meanCPUPercent: cpu,
        delayedPercent: delayed, minutesAboveCPU80: above, minutesAboveCPU80PerDay: above / 2, latencyP99Milliseconds: p99,
        scaleOutActions: peak, scaleInActions: 1)
    }
    let a = m(100, 10, 3, 40, 0.05, 12, 80)
    let b = m(50, 4, 1, 80, 0.2, 30, 120)
    let both = SweepRunner.metrics(ofServices: [a, b], accountCostUSD: 42.5)
    #expect(both.costUSD == 42.5)
    #expect(both.billedInstanceHours == 150)
    #expect(both.peakInstances == 14)
    #expect(both.meanInstances == 4)
    #expect(both.meanCPUPercent == 50)  // (40 x 3 + 80 x 1) / 4
    #expect(both.delayedPercent == 0.2)
    #expect(both.minutesAboveCPU80 == 30)
    #expect(both.minutesAboveCPU80PerDay == 15)
    #expect(both.latencyP99Milliseconds == 120)
    #expect(both.scaleOutActions == 14)
    #expect(both.scaleInActions == 2)
    #expect(SweepRunner.metrics(ofServices: [a, m(1, 1, 0, 0, 0, 0, nil)], accountCostUSD: 0).latencyP99Milliseconds == nil)
  }

  @Test("SHA-256 gives the FIPS 180-4 examples, in one update or many")
  func sha256() {
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    let two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    #expect(SHA256.hex(Array(two.utf8)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
    var pieces = SHA256()
    for chunk in stride(from: 0, to: bytes.count, by: 37) { pieces.update(bytes[chunk..<min(chunk + 37, bytes.count)]) }
    #expect(pieces.finalizeHex() == SHA256.hex(bytes))
  }
}
