import Billing
import Foundation
import Testing

@testable import Advisor

/// A problem in the JSON format of ../shared/peers/commit_lp.py, with its HiGHS optimum.
struct PeerFixture {
  var problem: CommitmentProblem
  var highsTotal: Double
  var hours: Int
  var highsCompute: Double

  init(named name: String) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures").appendingPathComponent(name)
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let families = try #require(doc["families"] as? [[String: Any]])
    var pools: [UsagePool] = []
    var usage: [[Double]] = []
    var instruments: [PoolInstrument] = []
    var computeRates: [Double?] = []
    for (p, family) in families.enumerated() {
      let od = try #require(family["od_rate"] as? Double)
      pools.append(UsagePool(family: try #require(family["name"] as? String), region: "", onDemandRate: od))
      usage.append(try #require(family["usage"] as? [Double]))
      if let ri = family["ri_rate"] as? Double {
        instruments.append(PoolInstrument(pool: p, kind: .reservedInstance(.standard, .oneYear, .noUpfront), ratePerUnitHour: ri))
      }
      if let discount = family["ec2_sp_discount"] as? Double {
        instruments.append(PoolInstrument(pool: p, kind: .ec2InstanceSavingsPlan(.oneYear, .noUpfront), ratePerUnitHour: od * (1 - discount)))
      }
      computeRates.append((family["compute_sp_discount"] as? Double).map { od * (1 - $0) })
    }
    let plan = computeRates.contains { $0 != nil }
      ? ComputeSavingsPlanOffering(term: .oneYear, payment: .noUpfront, coveredRate: computeRates) : nil
    problem = try CommitmentProblem(
      pools: pools, usage: UsagePaths(single: usage), poolInstruments: instruments, computePlan: plan)
    let highs = try #require(doc["highs"] as? [String: Any])
    highsTotal = try #require(highs["total_cost_usd"] as? Double)
    highsCompute = try #require(highs["compute_sp_commitment_usd_per_hour"] as? Double)
    hours = usage[0].count
  }
}

@Suite struct CommitmentOptimizerTests {
  static let fixtures = [
    "commit-lp-1x720-seed2.json", "commit-lp-1x720-seed3.json", "commit-lp-3x720-seed2.json",
    "commit-lp-3x720-seed3.json", "commit-lp-5x720-seed2.json", "commit-lp-5x720-seed3.json",
    "commit-lp-mixed-2x720-seed1.json", "commit-lp-mixed-2x720-seed2.json",
    "commit-lp-mixed-4x720-seed1.json", "commit-lp-mixed-4x720-seed2.json",
  ]

  @Test("matches the HiGHS optimum of the LP peer within 0.1% (and in fact within 1e-5)", arguments: fixtures)
  func matchesHiGHS(_ name: String) throws {
    let fixture = try PeerFixture(named: name)
    let solution = CommitmentOptimizer().solve(fixture.problem)
    let ours = solution.continuousHourlyCost * Double(fixture.hours)
    let gap = abs(ours - fixture.highsTotal) / fixture.highsTotal
    #expect(gap < 1e-5, "ours \(ours) vs HiGHS \(fixture.highsTotal) (gap \(gap), \(solution.iterations) iterations)")
    // The proven lower bound may not exceed the true optimum (HiGHS, to its own tolerance).
    #expect(solution.lowerBound * Double(fixture.hours) <= fixture.highsTotal * (1 + 1e-7))
    #expect(solution.relativeGap < 1e-6)
    // Rounded purchase: whole units, never cheaper than the continuous optimum.
    #expect(solution.purchaseHourlyCost >= solution.lowerBound - 1e-9)
    #expect(solution.purchaseHourlyCost <= solution.continuousHourlyCost * 1.002)
    #expect(abs(solution.continuous.computeCommitment - fixture.highsCompute) <= 0.01 * max(1, fixture.highsCompute))
  }

  @Test("single plan closed form: cover up to the d-quantile of hourly usage")
  func quantileClosedForm() throws {
    // Gamma-like usage from a seeded generator; one family, Compute SP only, discount d.
    var state: UInt64 = 42
    func uniform() -> Double {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Double(state >> 11) / Double(1 << 53)
    }
    let usage = (0..<2000).map { _ in (0..<4).reduce(0.0) { s, _ in s - 10 * log(1 - uniform()) } }
    let od = 0.1
    let d = 0.3
    let problem = try CommitmentProblem(
      pools: [UsagePool(family: "f", region: "", onDemandRate: od)], usage: UsagePaths(single: [usage]),
      poolInstruments: [], computePlan: ComputeSavingsPlanOffering(term: .oneYear, payment: .noUpfront, coveredRate: [od * (1 - d)]))
    let solution = CommitmentOptimizer().solve(problem)
    // Any level between the order statistics around the d-quantile is optimal; cost is flat there.
    let sorted = usage.sorted()
    let k = Int((d * Double(sorted.count)).rounded(.down))
    let level = solution.continuous.computeCommitment / (od * (1 - d))
    #expect(level >= sorted[k - 1] - 1e-6 && level <= sorted[k + 1] + 1e-6, "level \(level), quantile \(sorted[k])")
    func cost(_ x: Double) -> Double {
      (usage.reduce(0) { $0 + od * max(0, $1 - x) } + Double(usage.count) * x * od * (1 - d)) / Double(usage.count)
    }
    #expect(abs(solution.continuousHourlyCost - cost(sorted[k])) <= 1e-6 * cost(0))
  }

  @Test("hand case: two hours, RI versus On-Demand")
  func handCase() throws {
    // Usage 10 then 2 units; On-Demand 1 USD/unit-h; RI 0.6 USD/unit-h.
    // Units 0..2 are used both hours (save 2 x 1 - 2 x 0.6 = 0.8 each), units 2..10 only
    // one hour (1 - 1.2 < 0): buy 2 units. Hourly cost = 2 x 0.6 + (8 + 0) / 2 = 5.2.
    let problem = try CommitmentProblem(
      pools: [UsagePool(family: "m5", region: "", onDemandRate: 1)], usage: UsagePaths(single: [[10, 2]]),
      poolInstruments: [PoolInstrument(pool: 0, kind: .reservedInstance(.standard, .oneYear, .noUpfront), ratePerUnitHour: 0.6)],
      computePlan: nil)
    let solution = CommitmentOptimizer().solve(problem)
    #expect(abs(solution.continuous.poolUnits[0] - 2) < 1e-4)
    #expect(abs(solution.continuousHourlyCost - 5.2) < 1e-6)
    #expect(solution.purchase.poolUnits[0] == 2)
  }

  @Test("hand case: a Compute Savings Plan pools two families that peak at different hours")
  func computePoolsFamilies() throws {
    // Family a uses 4 then 0 units, b 0 then 4; both 1 USD/unit-h On-Demand; Compute plan
    // covers a unit-hour for 0.7 USD. Neither family alone justifies an RI at 0.6 (used half
    // the hours: 0.5 < 0.6), but the Compute plan is busy both hours: commit 2.8 USD/h,
    // hourly cost 2.8 (vs 4 On-Demand).
    let problem = try CommitmentProblem(
      pools: [UsagePool(family: "a", region: "", onDemandRate: 1), UsagePool(family: "b", region: "", onDemandRate: 1)],
      usage: UsagePaths(single: [[4, 0], [0, 4]]),
      poolInstruments: [
        PoolInstrument(pool: 0, kind: .reservedInstance(.standard, .oneYear, .noUpfront), ratePerUnitHour: 0.6),
        PoolInstrument(pool: 1, kind: .reservedInstance(.standard, .oneYear, .noUpfront), ratePerUnitHour: 0.6),
      ],
      computePlan: ComputeSavingsPlanOffering(term: .oneYear, payment: .noUpfront, coveredRate: [0.7, 0.7]))
    let solution = CommitmentOptimizer().solve(problem)
    #expect(abs(solution.continuous.computeCommitment - 2.8) < 1e-4)
    #expect(solution.continuous.poolUnits.allSatisfy { $0 < 1e-4 })
    #expect(abs(solution.continuousHourlyCost - 2.8) < 1e-6)
  }

  @Test("caps bind: a maximum hourly commitment limits the purchase")
  func capBinds() throws {
    let problem = try CommitmentProblem(
      pools: [UsagePool(family: "m5", region: "", onDemandRate: 1)], usage: UsagePaths(single: [[10, 10, 10, 10]]),
      poolInstruments: [PoolInstrument(pool: 0, kind: .reservedInstance(.standard, .oneYear, .noUpfront), ratePerUnitHour: 0.6)],
      computePlan: nil, caps: CommitmentCaps(maxHourlyCommitment: 3))
    let solution = CommitmentOptimizer().solve(problem)
    // 5 units at 0.6 = 3 USD/h; the rest On-Demand: 3 + 5 = 8.
    #expect(abs(solution.continuous.poolUnits[0] - 5) < 1e-3)
    #expect(abs(solution.continuousHourlyCost - 8) < 1e-5)
    #expect(solution.purchase.poolUnits[0] <= 5 + 1e-9)
  }

  @Test("bad usage is an error naming the place")
  func badUsage() {
    #expect(throws: AdvisorError.invalidUsage("path 0, pool 0, hour 1: usage must be a finite number >= 0, found -1.0")) {
      try UsagePaths(single: [[1, -1]])
    }
    #expect(throws: AdvisorError.invalidUsage("path 0, pool 1 has 1 hours, expected 2")) {
      try UsagePaths(single: [[1, 1], [1]])
    }
  }
}

@Suite struct CommitmentCapsTests {
  /// Ten units every hour, On-Demand 1 USD/unit-h; a No Upfront RI at 0.7 and an All
  /// Upfront RI at 0.6 effective (its 0.6 x 8,760 USD per unit paid at purchase).
  func problem(_ caps: CommitmentCaps) throws -> CommitmentProblem {
    try CommitmentProblem(
      pools: [UsagePool(family: "m5", region: "", onDemandRate: 1)], usage: UsagePaths(single: [[10, 10, 10, 10]]),
      poolInstruments: [
        PoolInstrument(pool: 0, kind: .reservedInstance(.standard, .oneYear, .noUpfront), ratePerUnitHour: 0.7),
        PoolInstrument(pool: 0, kind: .reservedInstance(.standard, .oneYear, .allUpfront), ratePerUnitHour: 0.6, upfrontPerUnit: 0.6 * 8_760),
      ],
      computePlan: nil, caps: caps)
  }

  @Test("no cap: all ten units on the cheaper All Upfront RI")
  func uncapped() throws {
    let s = CommitmentOptimizer().solve(try problem(CommitmentCaps()))
    #expect(abs(s.continuous.poolUnits[1] - 10) < 1e-3 && s.continuous.poolUnits[0] < 1e-3)
    #expect(abs(s.continuousHourlyCost - 6) < 1e-5)
  }

  @Test("an upfront cap mixes payment options: 4 units All Upfront within 21,024 USD, 6 No Upfront")
  func upfrontCap() throws {
    let s = CommitmentOptimizer().solve(try problem(CommitmentCaps(maxUpfront: 4 * 0.6 * 8_760)))
    #expect(abs(s.continuous.poolUnits[1] - 4) < 1e-3)
    #expect(abs(s.continuous.poolUnits[0] - 6) < 1e-3)
    // 4 x 0.6 + 6 x 0.7 = 6.6 USD/h.
    #expect(abs(s.continuousHourlyCost - 6.6) < 1e-5)
  }

  @Test("a coverage cap of 50% keeps half the mean On-Demand spend uncommitted")
  func coverageCap() throws {
    let s = CommitmentOptimizer().solve(try problem(CommitmentCaps(maxCoverage: 0.5)))
    #expect(abs(s.continuous.poolUnits.reduce(0, +) - 5) < 1e-3)
    // 5 x 0.6 + 5 On-Demand = 8 USD/h.
    #expect(abs(s.continuousHourlyCost - 8) < 1e-5)
  }

  @Test("caps out of range are errors")
  func badCaps() {
    #expect(throws: AdvisorError.invalidProblem("maximum coverage must be within 0...1, found 1.5")) {
      try problem(CommitmentCaps(maxCoverage: 1.5))
    }
    #expect(throws: AdvisorError.invalidProblem("maximum upfront must be >= 0, found -1.0")) {
      try problem(CommitmentCaps(maxUpfront: -1))
    }
  }
}
