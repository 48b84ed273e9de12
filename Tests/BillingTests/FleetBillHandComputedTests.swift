import Foundation
import Testing

@testable import Billing

/// Mixed cases computed by hand from the shipped catalog (us-east-1, USD per hour):
/// m5.large 0.096 (RI Standard 1y No Upfront 0.06, Spot Advisor savings 66%), m5.xlarge
/// 0.192 (0.121), m5.2xlarge 0.384 (0.242), c5.large 0.085 (0.054), eu-west-1 m5.large 0.107.
@Suite struct FleetBillHandComputedTests {
  let catalog: PriceCatalog

  init() throws { catalog = try PriceCatalog.bundled() }

  // MARK: Reserved Instances

  @Test("RI size flexibility across sizes: an m5.xlarge RI (8 units) covers an m5.large, then a quarter of an m5.2xlarge")
  func sizeFlexibilityAcrossSizes() throws {
    // 8 units: the m5.large (4 units, smallest first) in full, then 4 of the m5.2xlarge's 16
    // units = 25% of its hour. On demand: 0.75 × 0.384 = 0.288. RI: 0.121, fully used,
    // 0.121 / 8 per unit, so 0.0605 to each of the two.
    let (bill, rows) = try billWithRows(
      [run("m5.2xlarge"), run("m5.large")],
      Commitments(reservedInstances: [regionalRI("ri", "m5.xlarge")]), catalog: catalog)
    expectNear(hours(rows) { $0.instanceType == "m5.large" && $0.commitmentDiscountId == "ri" }, 1)
    expectNear(hours(rows) { $0.instanceType == "m5.2xlarge" && $0.commitmentDiscountId == "ri" }, 0.25)
    expectNear(bill.effective.onDemandUSD, 0.288)
    expectNear(bill.effective.reservedInstanceUSD, 0.121)
    expectNear(bill.effectiveCostUSD, 0.409)
    expectNear(bill.listCostUSD, 0.48)
    expectNear(bill.effectiveSavingsRate, 1 - 0.409 / 0.48)
    for row in rows where row.commitmentDiscountId == "ri" && row.chargeCategory == .usage {
      expectNear(row.effectiveCost, 0.0605, "\(row.instanceType!) covered cost")
      #expect(row.billedCost == 0)
    }
    // RI quantity in hours of the reserved type: 4 units / 8 = 0.5 m5.xlarge-hours each.
    expectNear(rows.filter { $0.commitmentDiscountId == "ri" }.compactMap(\.commitmentDiscountQuantity).reduce(0, +), 1)
    expectNear(bill.reservedInstances[0].usedQuantity, 8, "normalized unit-hours used")
    expectNear(bill.coverage.reservedInstanceCoverage, 8.0 / 20, "8 of 20 units")
    // Cash: the No Upfront hourly fee as a Purchase row.
    expectNear(bill.billed.reservedInstanceUSD, 0.121)
    let fee = try #require(rows.first { $0.chargeCategory == .purchase })
    #expect(fee.chargeFrequency == .recurring && fee.effectiveCost == 0)
  }

  @Test("a zonal RI covers only its type in its zone: not another zone, size or an unknown zone")
  func zonalScope() throws {
    let usage = [
      run("m5.large", zone: "us-east-1a", service: "a"), run("m5.large", zone: "us-east-1b", service: "b"),
      run("m5.xlarge", zone: "us-east-1a", service: "c"), run("m5.large", zone: nil, service: "d"),
    ]
    let (bill, rows) = try billWithRows(
      usage, Commitments(reservedInstances: [zonalRI("z", "m5.large", 2, zone: "us-east-1a")]), catalog: catalog)
    let covered = rows.filter { $0.commitmentDiscountId == "z" && $0.chargeCategory == .usage && $0.commitmentDiscountStatus == .used }
    #expect(covered.map(\.service) == ["a"])
    expectNear(hours(covered) { _ in true }, 1)
    // 2 instance-hours bought, 1 used: the other is waste at 0.06.
    expectNear(bill.reservedInstances[0].utilization, 0.5)
    expectNear(bill.wasteUSD, 0.06)
    #expect(bill.reservedInstances[0].unit == "instance-hours")
  }

  @Test("zonal RIs apply before regional ones")
  func zonalBeforeRegional() throws {
    // One m5.large in us-east-1a; a regional m5.large RI bought earlier and a zonal one: the
    // zonal takes the instance, the regional is unused.
    let commitments = Commitments(reservedInstances: [
      regionalRI("regional", "m5.large", start: -3_600), zonalRI("zonal", "m5.large", zone: "us-east-1a"),
    ])
    let (bill, _) = try billWithRows([run("m5.large", zone: "us-east-1a")], commitments, catalog: catalog)
    expectNear(bill.reservedInstances.first { $0.id == "zonal" }!.utilization, 1)
    expectNear(bill.reservedInstances.first { $0.id == "regional" }!.utilization, 0)
  }

  // MARK: Savings Plans order

  @Test("a Compute plan covers the family with the higher discount first (c5 30% before m5 20%)")
  func savingsPlanOrderAcrossFamilies() throws {
    // Rates: c5.large 0.085 × 0.7 = 0.0595, m5.large 0.096 × 0.8 = 0.0768. Commitment 0.10:
    // c5 in full (0.0595), then 0.0405 / 0.0768 = 0.52734 of the m5 hour; the rest of the m5
    // hour on demand: (1 − 0.0405/0.0768) × 0.096.
    let rates = try discounts([(.compute, "c5", 30), (.compute, "m5", 20)])
    let plan = SavingsPlan(id: "sp", kind: .compute, commitmentUSDPerHour: 0.10, term: .oneYear, startSeconds: 0)
    let (bill, rows) = try billWithRows(
      [run("m5.large"), run("c5.large")], Commitments(savingsPlans: [plan]), catalog: catalog, rates: rates)
    expectNear(hours(rows) { $0.instanceType == "c5.large" && $0.commitmentDiscountId == "sp" }, 1)
    expectNear(hours(rows) { $0.instanceType == "m5.large" && $0.commitmentDiscountId == "sp" }, 0.0405 / 0.0768)
    expectNear(bill.effective.onDemandUSD, (1 - 0.0405 / 0.0768) * 0.096)
    expectNear(bill.effectiveCostUSD, 0.10 + (1 - 0.0405 / 0.0768) * 0.096)
    expectNear(bill.savingsPlans[0].utilization, 1)
    // SP coverage (SP-UG): on-demand value covered / (covered + on-demand billed).
    let covered = 0.085 + 0.0405 / 0.0768 * 0.096
    expectNear(bill.coverage.savingsPlanCoverage, covered / (covered + (1 - 0.0405 / 0.0768) * 0.096))
  }

  @Test("equal discounts: the usage with the lower Savings Plans rate first (c5.large before m5.large)")
  func savingsPlanTieLowestRate() throws {
    // Both 20%: c5.large 0.068, m5.large 0.0768. Commitment 0.07: c5 in full, then
    // 0.002 / 0.0768 of the m5 hour.
    let rates = try discounts([(.compute, "c5", 20), (.compute, "m5", 20)])
    let plan = SavingsPlan(id: "sp", kind: .compute, commitmentUSDPerHour: 0.07, term: .oneYear, startSeconds: 0)
    let (_, rows) = try billWithRows(
      [run("m5.large"), run("c5.large")], Commitments(savingsPlans: [plan]), catalog: catalog, rates: rates)
    expectNear(hours(rows) { $0.instanceType == "c5.large" && $0.commitmentDiscountId == "sp" }, 1)
    expectNear(hours(rows) { $0.instanceType == "m5.large" && $0.commitmentDiscountId == "sp" }, 0.002 / 0.0768)
  }

  @Test("EC2 Instance plan (m5, 25%) before the Compute plan (c5 30%, m5 20%)")
  func ec2InstanceBeforeCompute() throws {
    // EC2 Instance plan 0.05 at m5.large 0.072: 0.05 / 0.072 = 0.69444 of the m5 hour.
    // Compute plan 0.10: c5 0.0595 in full, then the rest of m5, 0.30556 h × 0.0768 =
    // 0.023467; used 0.082967, waste 0.017033. Nothing on demand.
    let rates = try discounts([(.ec2Instance, "m5", 25), (.compute, "c5", 30), (.compute, "m5", 20)])
    let plans = [
      SavingsPlan(id: "compute", kind: .compute, commitmentUSDPerHour: 0.10, term: .oneYear, startSeconds: 0),
      SavingsPlan(
        id: "ec2", kind: .ec2Instance(family: "m5", region: "us-east-1"), commitmentUSDPerHour: 0.05,
        term: .oneYear, startSeconds: 0),
    ]
    let (bill, rows) = try billWithRows(
      [run("m5.large"), run("c5.large")], Commitments(savingsPlans: plans), catalog: catalog, rates: rates)
    let ec2Share = 0.05 / 0.072
    expectNear(hours(rows) { $0.instanceType == "m5.large" && $0.commitmentDiscountId == "ec2" }, ec2Share)
    expectNear(hours(rows) { $0.instanceType == "m5.large" && $0.commitmentDiscountId == "compute" }, 1 - ec2Share)
    expectNear(bill.savingsPlans[0].usedQuantity, 0.0595 + (1 - ec2Share) * 0.0768)
    expectNear(bill.savingsPlans[0].wasteUSD, 0.10 - 0.0595 - (1 - ec2Share) * 0.0768)
    expectNear(bill.effective.onDemandUSD, 0)
    expectNear(bill.effectiveCostUSD, 0.15)
  }

  @Test("an EC2 Instance plan covers neither another region nor another family")
  func ec2InstanceScope() throws {
    let rates = try discounts([(.ec2Instance, "m5", 25)])
    let plan = SavingsPlan(
      id: "ec2", kind: .ec2Instance(family: "m5", region: "us-east-1"), commitmentUSDPerHour: 10,
      term: .oneYear, startSeconds: 0)
    let (bill, rows) = try billWithRows(
      [run("m5.large", region: "eu-west-1"), run("c5.large")], Commitments(savingsPlans: [plan]),
      catalog: catalog, rates: rates)
    #expect(rows.allSatisfy { $0.commitmentDiscountStatus != .used })
    expectNear(bill.effective.onDemandUSD, 0.107 + 0.085)
    expectNear(bill.wasteUSD, 10)
  }

  // MARK: Partial hours and terms

  @Test("partial hours: 30 min, 61 s and 59 s bill 1800 + 61 + 60 s; one RI covers all three")
  func partialHours() throws {
    let usage = [run("m5.large", from: 0, to: 1_800), run("m5.large", from: 100, to: 161), run("m5.large", from: 2_000, to: 2_059)]
    let (onDemand, _) = try billWithRows(usage, catalog: catalog)
    #expect(onDemand.billedInstanceSeconds == 1_921)
    expectNear(onDemand.effectiveCostUSD, 1_921 / hour * 0.096)
    // Per-second billing lets short instances share one RI hour: 1921 of 3600 s used.
    let (bill, rows) = try billWithRows(
      usage, Commitments(reservedInstances: [regionalRI("ri", "m5.large")]), catalog: catalog)
    expectNear(hours(rows) { $0.commitmentDiscountId == "ri" }, 1_921 / hour)
    expectNear(bill.effective.onDemandUSD, 0)
    expectNear(bill.reservedInstances[0].utilization, 1_921 / hour)
    expectNear(bill.wasteUSD, (hour - 1_921) / hour * 0.06)
    let unused = try #require(rows.first { $0.commitmentDiscountStatus == .unused })
    expectNear(unused.pricingQuantity, (hour - 1_921) / hour, "unused m5.large-hours")
    #expect(unused.billedCost == 0 && unused.resourceId == "ri")
  }

  @Test("two instances of 30 min in one hour share one RI hour in full")
  func shortInstancesShare() throws {
    let (bill, _) = try billWithRows(
      [run("m5.large", from: 0, to: 1_800), run("m5.large", from: 1_800, to: 3_600)],
      Commitments(reservedInstances: [regionalRI("ri", "m5.large")]), catalog: catalog)
    expectNear(bill.reservedInstances[0].utilization, 1)
    expectNear(bill.effectiveCostUSD, 0.06)
  }

  @Test("an RI bought before the run expires at 2 h: hours 0-1 covered, 2-3 on demand")
  func expiringReservedInstance() throws {
    // Started a year minus 2 h before the run.
    let ri = regionalRI("old", "m5.large", start: 2 * hour - CommitmentTerm.oneYear.seconds)
    let (bill, rows) = try billWithRows(
      [run("m5.large", from: 0, to: 4 * hour)], Commitments(reservedInstances: [ri]), catalog: catalog)
    let coveredHours = Set(rows.filter { $0.commitmentDiscountId == "old" && $0.commitmentDiscountStatus == .used }.map(\.hour))
    #expect(coveredHours == [0, 1])
    expectNear(bill.effective.onDemandUSD, 2 * 0.096)
    expectNear(bill.reservedInstances[0].activeHours, 2)
    expectNear(bill.billed.reservedInstanceUSD, 2 * 0.06, "fees only while active; upfront (none) was before")
    #expect(!rows.contains { $0.chargeFrequency == .oneTime })
  }

  @Test("a term ending mid-hour covers that share of the hour; a plan bought at 1 h covers from then")
  func termBoundaryMidHour() throws {
    let rates = try discounts([(.compute, "m5", 20)])
    let commitments = Commitments(
      reservedInstances: [regionalRI("ri", "m5.large", start: 0, end: 1.5 * hour)],
      savingsPlans: [SavingsPlan(id: "sp", kind: .compute, commitmentUSDPerHour: 1, term: .oneYear, startSeconds: 3 * hour)])
    let (bill, rows) = try billWithRows(
      [run("m5.large", from: 0, to: 4 * hour)], commitments, catalog: catalog, rates: rates,
      options: BillingOptions(horizonHours: 4))
    let ri = hours(rows) { $0.commitmentDiscountId == "ri" }
    expectNear(ri, 1.5, "RI: hour 0 and half of hour 1")
    expectNear(bill.reservedInstances[0].activeHours, 1.5)
    expectNear(bill.reservedInstances[0].billedCostUSD, 1.5 * 0.06)
    expectNear(hours(rows) { $0.commitmentDiscountId == "sp" && $0.hour == 3 }, 1, "plan from hour 3")
    expectNear(bill.effective.onDemandUSD, (0.5 + 1) * 0.096, "half of hour 1 and hour 2")
    expectNear(bill.savingsPlans[0].activeHours, 1)
    expectNear(bill.savingsPlans[0].wasteUSD, 1 - 0.0768)
  }

  @Test("commitment fees run over the whole horizon even without usage")
  func horizonWithoutUsage() throws {
    let (bill, rows) = try billWithRows(
      [], Commitments(reservedInstances: [regionalRI("ri", "m5.large", 3)]), catalog: catalog,
      options: BillingOptions(horizonHours: 10))
    #expect(bill.hourCount == 10)
    expectNear(bill.wasteUSD, 10 * 3 * 0.06)
    expectNear(bill.billedCostUSD, 10 * 3 * 0.06)
    #expect(rows.filter { $0.commitmentDiscountStatus == .unused }.count == 10)
    #expect(bill.effectiveSavingsRate == nil)
  }

  // MARK: Upfront fees

  @Test("All Upfront RI: the upfront is billed at purchase and amortized over 8760 h")
  func allUpfrontReservedInstance() throws {
    let ri = regionalRI("ri", "m5.large", start: hour, payment: .allUpfront, upfront: 438)
    let (bill, rows) = try billWithRows(
      [run("m5.large", from: 0, to: 3 * hour)], Commitments(reservedInstances: [ri]), catalog: catalog)
    // Effective 438 / 8760 = 0.05 per hour, hours 1 and 2; hour 0 on demand.
    expectNear(bill.effective.reservedInstanceUSD, 0.10)
    expectNear(bill.effective.onDemandUSD, 0.096)
    expectNear(bill.billed.reservedInstanceUSD, 438)
    let upfront = try #require(rows.first { $0.chargeFrequency == .oneTime })
    #expect(upfront.hour == 1 && upfront.billedCost == 438 && upfront.effectiveCost == 0)
    #expect(!rows.contains { $0.chargeFrequency == .recurring })
  }

  @Test("Partial Upfront Savings Plan: recurring = commitment − upfront / term hours")
  func partialUpfrontSavingsPlan() throws {
    let rates = try SavingsPlanRates(
      csv: "plan_type,family,region,term,payment,discount_pct\ncompute,m5,,1y,partial-upfront,25\n",
      fileName: "rates.csv")
    let plan = SavingsPlan(
      id: "sp", kind: .compute, commitmentUSDPerHour: 0.2, term: .oneYear, payment: .partialUpfront,
      startSeconds: 0, upfrontUSD: 876)
    let (bill, _) = try billWithRows(
      [run("m5.large", from: 0, to: 2 * hour)], Commitments(savingsPlans: [plan]), catalog: catalog, rates: rates)
    // 876 / 8760 = 0.1 upfront per hour, so 0.1 recurring; effective 0.2 per hour.
    expectNear(bill.billed.savingsPlanUSD, 876 + 2 * 0.1)
    expectNear(bill.effective.savingsPlanUSD, 0.4)
    expectNear(bill.savingsPlans[0].usedQuantity, 2 * 0.072)
  }

  // MARK: Spot and showback

  @Test("Spot is priced at the Spot rate and never covered, even by a large Compute plan")
  func spotNeverCovered() throws {
    let rates = try discounts([(.compute, "m5", 20)])
    let plan = SavingsPlan(id: "sp", kind: .compute, commitmentUSDPerHour: 5, term: .oneYear, startSeconds: 0)
    let (bill, rows) = try billWithRows(
      [run("m5.large", 2, .spot), run("m5.xlarge", 1, .spot)], Commitments(savingsPlans: [plan]),
      catalog: catalog, rates: rates,
      options: BillingOptions(spotUSDPerHour: [RegionalInstanceType(region: "us-east-1", instanceType: "m5.xlarge"): 0.07]))
    // m5.large from the Spot Advisor: 0.096 × (1 − 0.66) = 0.03264 (an estimate); m5.xlarge
    // from the scenario, 0.07.
    expectNear(bill.effective.spotUSD, 2 * 0.03264 + 0.07)
    expectNear(bill.savingsPlans[0].usedQuantity, 0)
    expectNear(bill.wasteUSD, 5)
    #expect(rows.filter { $0.pricingCategory == .dynamic }.count == 2)
    #expect(bill.coverage.savingsPlanCoverage == nil, "no eligible usage")
    expectNear(bill.listCostUSD, 2 * 0.096 + 0.192)
  }

  @Test("services sharing a type share a commitment in proportion to their usage; ranked by cost")
  func showbackSharing() throws {
    // 1 + 3 m5.large for one hour, 2 RIs: each service has half its usage covered.
    // checkout: 0.5 × 0.096 + 0.5 × 0.06 = 0.078; search: 3 × that = 0.234; batch: 0.085
    // (c5.large on demand), so batch ranks above checkout.
    let usage = [
      run("m5.large", 1, service: "checkout", team: "payments"),
      run("m5.large", 3, service: "search", team: "discovery"),
      run("c5.large", 1, service: "batch", team: "payments"),
    ]
    let (bill, _) = try billWithRows(
      usage, Commitments(reservedInstances: [regionalRI("ri", "m5.large", 2)]), catalog: catalog)
    #expect(bill.showback.services.map(\.name) == ["search", "batch", "checkout"])
    let search = bill.showback.services[0], checkout = bill.showback.services[2]
    expectNear(search.effectiveCostUSD, 0.234)
    expectNear(checkout.effectiveCostUSD, 0.078)
    expectNear(checkout.commitmentBenefitUSD, 0.5 * (0.096 - 0.06))
    expectNear(search.listCostUSD, 0.288)
    #expect(bill.showback.teams.map(\.name) == ["discovery", "payments"])
    expectNear(bill.showback.teams[1].effectiveCostUSD, 0.078 + 0.085)
  }

  @Test("waste: unallocated by default, or shared by covered usage")
  func wasteAttribution() throws {
    // 3 RIs, 1 + 1 instances: 1 RI-hour unused (0.06).
    let usage = [run("m5.large", service: "a"), run("m5.large", service: "b")]
    let commitments = Commitments(reservedInstances: [regionalRI("ri", "m5.large", 3)])
    let (unallocated, _) = try billWithRows(usage, commitments, catalog: catalog)
    expectNear(unallocated.showback.unallocatedCommitmentUSD, 0.06)
    let (shared, _) = try billWithRows(
      usage, commitments, catalog: catalog, options: BillingOptions(wasteAttribution: .coveredUsageShare))
    expectNear(shared.showback.unallocatedCommitmentUSD, 0)
    for row in shared.showback.services {
      expectNear(row.allocatedWasteUSD, 0.03)
      expectNear(row.effectiveCostUSD, 0.09)
    }
    // Hour by hour, with the window's shares: the hours add up to the showback.
    for service in shared.hourlyServiceCosts {
      expectNear(service.allocatedWasteUSD.reduce(0, +), 0.03, "hourly waste of \(service.name)")
      expectNear(service.effectiveCostUSD.reduce(0, +), 0.09, "hourly cost of \(service.name)")
    }
    #expect(unallocated.hourlyServiceCosts.allSatisfy { $0.allocatedWasteUSD.allSatisfy { $0 == 0 } })
  }

  @Test("with on-demand usage only, the bill equals OnDemandBill")
  func matchesOnDemandBill() throws {
    let usage = [run("m5.large", 3, from: 10, to: 7_300), run("c5.xlarge", from: 600, to: 4_200)]
    let (bill, _) = try billWithRows(usage, catalog: catalog)
    let onDemand = try OnDemandBill(usage: usage, catalog: catalog)
    expectNear(bill.effectiveCostUSD, onDemand.costUSD)
    expectNear(bill.billedInstanceSeconds, onDemand.billedInstanceSeconds)
    for (a, b) in zip(bill.hourlyEffectiveCostUSD, onDemand.hourlyCostUSD) { expectNear(a, b) }
  }
}
