import Billing
import Forecasting
import Foundation
import Testing

@testable import Advisor

@Suite struct CommitmentAdvisorTests {
  let catalog = try! PriceCatalog.bundled()

  func rates() throws -> SavingsPlanRates {
    var rates = SavingsPlanRates()
    try rates.setDiscountPercent(28, planType: .compute, family: "m5", term: .oneYear, payment: .noUpfront)
    try rates.setDiscountPercent(27, planType: .compute, family: "c6i", term: .oneYear, payment: .noUpfront)
    try rates.setDiscountPercent(37, planType: .ec2Instance, family: "m5", term: .oneYear, payment: .noUpfront)
    return rates
  }

  @Test("problem from the catalog: per-unit On-Demand and RI rates from the smallest size, SP rates from discounts")
  func fromCatalog() throws {
    let usage = try UsagePaths(single: [[8, 8], [4, 4]])
    let (problems, notes) = try CommitmentProblem.fromCatalog(
      pools: [PoolKey(family: "m5", region: "us-east-1"), PoolKey(family: "c6i", region: "us-east-1")], usage: usage,
      catalog: catalog, savingsPlanRates: rates())
    #expect(problems.count == 1)
    let problem = try #require(problems.first)
    // m5.large: On-Demand 0.096 USD/h, NF 4; Standard 1y No Upfront 0.06; Convertible 0.071.
    #expect(problem.pools[0].recommendedInstanceType == "m5.large")
    #expect(abs(problem.pools[0].onDemandRate - 0.024) < 1e-12)
    let m5 = problem.poolInstruments.filter { $0.pool == 0 }
    #expect(m5.map(\.kind) == [
      .reservedInstance(.standard, .oneYear, .noUpfront), .reservedInstance(.convertible, .oneYear, .noUpfront),
      .ec2InstanceSavingsPlan(.oneYear, .noUpfront),
    ])
    #expect(abs(m5[0].ratePerUnitHour - 0.015) < 1e-12)
    #expect(abs(m5[1].ratePerUnitHour - 0.071 / 4) < 1e-12)
    #expect(abs(m5[2].ratePerUnitHour - 0.024 * 0.63) < 1e-12)
    #expect(abs(problem.computePlan!.coveredRate[0]! - 0.024 * 0.72) < 1e-12)
    #expect(notes.contains { $0.contains("no EC2 Instance Savings Plans rate for c6i") })
  }

  /// 50 days at 10 units then 10 days at 20, one family, Standard RI at 0.625 x On-Demand.
  func growingUsage() throws -> [CommitmentProblem] {
    let hours = (0..<(60 * 24)).map { $0 < 50 * 24 ? 10.0 : 20.0 }
    let (problems, _) = try CommitmentProblem.fromCatalog(
      pools: [PoolKey(family: "m5", region: "us-east-1")], usage: UsagePaths(single: [hours]), catalog: catalog,
      savingsPlanRates: SavingsPlanRates(), offerings: CommitmentOfferings(reservedInstanceClasses: [.standard]))
    return problems
  }

  @Test("Cost Explorer-style look-backs: 7 days sees the new level, 60 days the old one")
  func lookbacks() throws {
    let problems = try growingUsage()
    let week = try #require(try CostExplorerBaseline.recommend(history: problems, lookbackDays: 7, kind: .reservedInstances))
    let twoMonths = try #require(try CostExplorerBaseline.recommend(history: problems, lookbackDays: 60, kind: .reservedInstances))
    // 20 units = 5 m5.large; 10 units is 2.5 -> rounded to 2 or 3 instances, whichever is cheaper.
    #expect(week.recommendation.purchases.first?.numberOfInstances == 5)
    let n = try #require(twoMonths.recommendation.purchases.first?.numberOfInstances)
    #expect(n == 2 || n == 3)
    #expect(try CostExplorerBaseline.recommend(history: problems, lookbackDays: 7, kind: .computeSavingsPlans) == nil)
    // Billed on the last 10 days as they happened, the 7-day purchase saves more.
    let recent = try UsagePaths(single: [Array(repeating: 20.0, count: 240)])
    #expect(try week.realized(on: recent).savingsPercent > twoMonths.realized(on: recent).savingsPercent)
    // Hand check: 20 units all covered: cost 20 x 0.015 = 0.30 USD/h against 0.48 On-Demand.
    let realized = try week.realized(on: recent)
    #expect(abs(realized.hourlyCost - 0.30) < 1e-9 && abs(realized.onDemandHourlyCost - 0.48) < 1e-9)
  }

  @Test("curve peaks at the optimum; what-ifs never beat the best purchase for that load")
  func curveAndWhatIfs() throws {
    var hours: [Double] = []
    for h in 0..<(28 * 24) { hours.append(10 + 8 * sin(Double(h) * .pi / 12) + Double(h % 7)) }
    let (problems, _) = try CommitmentProblem.fromCatalog(
      pools: [PoolKey(family: "m5", region: "us-east-1")], usage: UsagePaths(single: [hours]), catalog: catalog,
      savingsPlanRates: rates())
    var options = CommitmentAdvisorOptions()
    options.ladderMonths = 4
    let r = try CommitmentAdvisor(options: options).recommend(problems)
    let optimum = try #require(r.curve.first { $0.hourlyCommitment > 0 && abs($0.savingsPercent - r.curve.map(\.savingsPercent).max()!) < 1e-9 })
    #expect(optimum.optimizedUnderCap)
    let below = r.curve.filter { $0.optimizedUnderCap }
    #expect(zip(below, below.dropFirst()).allSatisfy { $0.savingsPercent <= $1.savingsPercent + 1e-9 })
    let above = r.curve.filter { !$0.optimizedUnderCap }
    #expect(zip(above, above.dropFirst()).allSatisfy { $0.savingsPercent >= $1.savingsPercent - 1e-9 && $0.utilization >= $1.utilization - 1e-9 })
    for w in r.whatIfs { #expect(w.bestSavingsPercent >= w.savingsPercent - 1e-6) }
    let drop = try #require(r.whatIfs.first { $0.loadFactor == 0.8 })
    #expect(drop.savingsPercent < r.savingsPercent && drop.utilization < r.utilization)
    // 3 RIs over 4 months: one a month for three months, no empty fourth tranche.
    #expect(r.purchases.map(\.numberOfInstances) == [3])
    #expect(r.ladder.map { $0.items.map(\.numberOfInstances) } == [[1], [1], [1]])
    #expect(abs(r.ladder.reduce(0) { $0 + $1.hourlyCommitment } - r.hourlyCommitment) < 1e-9)
    #expect(r.ladder.last?.expiresMonth == 14)
    // Purchase savings add up to the total.
    let monthly = r.purchases.reduce(0) { $0 + $1.estimatedMonthlySavingsAmount }
    #expect(abs(monthly - r.monthlySavings) < 1e-6 * max(1, r.monthlySavings))
  }

  @Test("risk over forecast paths is ordered and the planner reports baselines beside")
  func plannerWithForecast() throws {
    var hours: [Double] = []
    for h in 0..<(35 * 24) { hours.append(40 + 20 * sin(Double(h % 24) * .pi / 12) + Double(h) * 0.01 + Double((h * 7919) % 13) * 0.5) }
    var planner = CommitmentPlanner()
    planner.forecastDays = 14
    planner.forecastPaths = 20
    // A light model keeps the debug-build test fast; the default selects by cross-validation.
    planner.forecastConfiguration.dailyOrderCandidates = [4]
    planner.forecastConfiguration.weeklyOrderCandidates = [0]
    planner.forecastConfiguration.ridgePenaltyCandidates = [1e-3]
    planner.forecastConfiguration.recencyHalfLifeDaysCandidates = [nil]
    let advice = try planner.advise(
      pools: [PoolKey(family: "m5", region: "us-east-1")], history: [hours], start: Date(timeIntervalSince1970: 1_772_409_600),
      catalog: catalog, savingsPlanRates: rates())
    let r = advice.recommendation
    #expect(r.paths == 20 && r.hours == 14 * 24)
    #expect(r.risk.costP10 <= r.risk.costP50 && r.risk.costP50 <= r.risk.costP90)
    #expect(advice.baselines.map(\.baseline.lookbackDays) == [7, 7, 7, 30, 30, 30])
    // Ours is the optimum on the planning paths: no baseline does better there.
    for b in advice.baselines { #expect(b.planningSavingsPercent <= r.savingsPercent + 0.05) }
    // Same seed, same answer.
    let again = try planner.advise(
      pools: [PoolKey(family: "m5", region: "us-east-1")], history: [hours], start: Date(timeIntervalSince1970: 1_772_409_600),
      catalog: catalog, savingsPlanRates: rates())
    #expect(again.recommendation.expectedHourlyCost == r.expectedHourlyCost)
  }
}

@Suite struct ExistingCommitmentsTests {
  @Test("owned commitments are taken off usage in AWS's order: family-bound, then Compute where it saves most")
  func residual() {
    // Pools a (On-Demand 1, Compute rate 0.7: 30% off) and b (On-Demand 1, rate 0.8: 20% off).
    // Owned: 2 units of a family-bound RI on a; a Compute plan of 1.4 USD/h.
    let owned = ExistingCommitments(poolUnits: [2, 0], computeCommitment: 1.4, computeRate: [0.7, 0.8], onDemandRate: [1, 1])
    // Hour 0: a 5 -> 3 after the RI; Compute covers 2 units of a (1.4 USD) -> a 1, b 4 untouched.
    // Hour 1: a 1 -> 0; Compute goes to b: 1.4 / 0.8 = 1.75 units -> b 2.25.
    let residual = owned.residual([[5, 1], [4, 4]])
    #expect(residual[0] == [1, 0])
    #expect(residual[1] == [4, 2.25])
    #expect(ExistingCommitments(poolUnits: [0, 0], computeCommitment: 0, computeRate: [nil, nil], onDemandRate: [1, 1]).residual([[3]]) == [[3]])
  }
}

@Suite struct CommitmentLadderTests {
  @Test("a ladder splits each term's lines over the months in whole units, each tranche expiring a term later")
  func mixedTerms() throws {
    // Pool a: steady 10 units, a 3-year RI at 0.5; pool b: steady 4 units, only a 1-year
    // Compute plan (rate 0.7). Both are bought; three monthly tranches per term.
    let problem = try CommitmentProblem(
      pools: [UsagePool(family: "a", region: "", onDemandRate: 1), UsagePool(family: "b", region: "", onDemandRate: 1)],
      usage: UsagePaths(single: [[10, 10, 10], [4, 4, 4]]),
      poolInstruments: [PoolInstrument(pool: 0, kind: .reservedInstance(.standard, .threeYears, .noUpfront), ratePerUnitHour: 0.5)],
      computePlan: ComputeSavingsPlanOffering(term: .oneYear, payment: .noUpfront, coveredRate: [nil, 0.7]))
    var options = CommitmentAdvisorOptions()
    options.ladderMonths = 3
    options.curveFractions = []
    options.whatIfLoadFactors = []
    let r = try CommitmentAdvisor(options: options).recommend([problem])
    #expect(r.ladder.map(\.month) == [0, 0, 1, 1, 2, 2])
    #expect(r.ladder.map(\.expiresMonth) == [12, 36, 13, 37, 14, 38])
    // 10 RIs (one unit each, 0.5 USD/h) in whole instances: 4, 3, 3. The Compute plan,
    // 4 x 0.7 = 2.8 USD/h rounded down to 2.799 (Savings Plans are bought in 0.001 USD/h
    // steps, and the optimum sits on the edge), in thousandths: 2,799 = 933 x 3.
    let compute = r.ladder.filter { $0.expiresMonth < 36 }
    let reserved = r.ladder.filter { $0.expiresMonth >= 36 }
    #expect(reserved.map { $0.items.map(\.numberOfInstances) } == [[4], [3], [3]])
    #expect(zip(reserved.map(\.hourlyCommitment), [2.0, 1.5, 1.5]).allSatisfy { abs($0 - $1) < 1e-9 })
    #expect(r.purchases.map(\.hourlyCommitment) == [5, 2.799])
    #expect(zip(compute.map(\.hourlyCommitment), [0.933, 0.933, 0.933]).allSatisfy { abs($0 - $1) < 1e-12 })
    #expect(compute.allSatisfy { $0.items.count == 1 && $0.items[0].numberOfInstances == nil })
    #expect(abs(reserved[0].share - 0.4) < 1e-12)
    #expect(abs(r.ladder.reduce(0) { $0 + $1.hourlyCommitment } - r.hourlyCommitment) < 1e-9)
  }

  @Test("a ladder longer than the instance count: one instance a month, and no empty tranches")
  func fewerInstancesThanMonths() throws {
    let problem = try CommitmentProblem(
      pools: [UsagePool(family: "a", region: "", onDemandRate: 1, unitsPerInstance: 4)],
      usage: UsagePaths(single: [[8, 8, 8]]),
      poolInstruments: [PoolInstrument(pool: 0, kind: .reservedInstance(.standard, .oneYear, .noUpfront), ratePerUnitHour: 0.5)],
      computePlan: nil)
    var options = CommitmentAdvisorOptions()
    options.ladderMonths = 3
    options.curveFractions = []
    options.whatIfLoadFactors = []
    let r = try CommitmentAdvisor(options: options).recommend([problem])
    // 8 units = 2 instances of 4 units at 2 USD/h each.
    #expect(r.purchases.first?.numberOfInstances == 2)
    #expect(r.ladder.map(\.month) == [0, 1])
    #expect(r.ladder.map { $0.items.map(\.numberOfInstances) } == [[1], [1]])
    #expect(r.ladder.allSatisfy { abs($0.hourlyCommitment - 2) < 1e-9 && abs($0.share - 0.5) < 1e-12 })
  }
}
