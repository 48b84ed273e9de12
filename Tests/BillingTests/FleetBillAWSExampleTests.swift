import Foundation
import Testing

@testable import Billing

/// AWS's own worked examples, restated and reproduced.
///
/// Savings Plans User Guide, "Understanding how Savings Plans apply to your AWS usage"
/// (docs.aws.amazon.com/savingsplans/latest/userguide/sp-applying.html). The page's hour:
/// 4 × r5.4xlarge (Linux, shared, us-east-1) and 1 × m5.24xlarge (Windows, dedicated,
/// us-east-1) for the full hour, plus Fargate and Lambda usage. Its "illustrative" rates:
///
/// | type        | On-Demand | Compute SP | savings | EC2 Instance SP | savings |
/// | r5.4xlarge  | $1.00     | $0.70      | 30%     | $0.60           | 40%     |
/// | m5.24xlarge | $10.00    | $8.20      | 18%     | $7.80           | 22%     |
///
/// capsim bills EC2 only (Linux, shared tenancy), so these tests keep the two EC2 lines with
/// the page's rates (the m5.24xlarge is simply a type with those rates here) and check the
/// EC2 part of each scenario; the page's totals ($47.13, $56.24, ...) also count Fargate and
/// Lambda.
@Suite struct SavingsPlansUserGuideExampleTests {
  let catalog = PriceCatalog(entries: [
    catalogEntry("r5.4xlarge", factor: 32, onDemand: 1.00, riHourly: 0.60),
    catalogEntry("m5.24xlarge", factor: 192, onDemand: 10.00),
  ])
  let usage = [run("r5.4xlarge", 4), run("m5.24xlarge", 1)]
  let rates: SavingsPlanRates

  init() throws {
    rates = try discounts([
      (.compute, "r5", 30), (.compute, "m5", 18), (.ec2Instance, "r5", 40), (.ec2Instance, "m5", 22),
    ])
  }

  func computePlan(_ usdPerHour: Double, id: String = "csp") -> SavingsPlan {
    SavingsPlan(id: id, kind: .compute, commitmentUSDPerHour: usdPerHour, term: .oneYear, startSeconds: 0)
  }

  @Test("scenario 1: a $50/h Compute plan covers all EC2 usage at SP rates; the rest is lost")
  func scenario1() throws {
    let (bill, rows) = try billWithRows(
      usage, Commitments(savingsPlans: [computePlan(50)]), catalog: catalog, rates: rates)
    // 4 × $0.70 + 1 × $8.20 = $11.00 of the commitment used; without the plan $14.00.
    expectNear(bill.savingsPlans[0].usedQuantity, 11.00, "commitment used")
    expectNear(bill.savingsPlans[0].wasteUSD, 39.00, "unused commitment")
    expectNear(bill.effective.onDemandUSD, 0, "on-demand")
    expectNear(bill.effectiveCostUSD, 50, "effective cost = the commitment")
    expectNear(bill.listCostUSD, 14.00, "on-demand equivalent")
    expectNear(bill.coverage.savingsPlanCoverage, 1, "Savings Plans coverage")
    expectNear(hours(rows) { $0.commitmentDiscountId == "csp" }, 5, "instance-hours covered")
  }

  @Test("scenario 2: a $2/h Compute plan covers ~2.9 r5 units first (30%), $1.14 of r5 on demand")
  func scenario2() throws {
    let (bill, rows) = try billWithRows(
      usage, Commitments(savingsPlans: [computePlan(2)]), catalog: catalog, rates: rates)
    // r5.4xlarge has the highest savings (30% vs 18%): $2 / $0.70 = 2.857 instance-hours
    // ("approximately 2.9 units"); the other 1.143 at $1.00 = $1.14; m5.24xlarge $10.00 on
    // demand. The page's $56.24 adds Fargate and Lambda on-demand charges to these $11.14.
    let r5Covered = hours(rows) { $0.instanceType == "r5.4xlarge" && $0.commitmentDiscountId == "csp" }
    expectNear(r5Covered, 2 / 0.70, "r5 instance-hours covered")
    let r5OnDemand = rows.filter { $0.instanceType == "r5.4xlarge" && $0.pricingCategory == .standard }
    expectNear(r5OnDemand.reduce(0) { $0 + $1.billedCost }, 4 - 2 / 0.70, "r5 on-demand ($1.14)")
    #expect((r5OnDemand.reduce(0) { $0 + $1.billedCost } * 100).rounded() / 100 == 1.14)
    expectNear(hours(rows) { $0.instanceType == "m5.24xlarge" && $0.commitmentDiscountId != nil }, 0, "m5 not covered")
    expectNear(bill.effective.onDemandUSD, 10 + 4 - 2 / 0.70, "on-demand charges for EC2")
    expectNear(bill.savingsPlans[0].utilization, 1, "utilization")
  }

  @Test("scenario 3: two r5.4xlarge Reserved Instances apply first, then the Compute plan")
  func scenario3() throws {
    // The page: "First, the Reserve Instances covers two of the r5.4xlarge instances. Then,
    // the Savings Plans rate is applied to the remaining r5.4xlarge and the rest of the
    // usage". EC2 part: 2 × $0.70 + $8.20 = $9.60 of the $18.20 commitment.
    let commitments = Commitments(
      reservedInstances: [regionalRI("ri-r5", "r5.4xlarge", 2)], savingsPlans: [computePlan(18.20)])
    let (bill, rows) = try billWithRows(usage, commitments, catalog: catalog, rates: rates)
    expectNear(hours(rows) { $0.instanceType == "r5.4xlarge" && $0.commitmentDiscountId == "ri-r5" }, 2, "RI covers two r5")
    expectNear(hours(rows) { $0.instanceType == "r5.4xlarge" && $0.commitmentDiscountId == "csp" }, 2, "SP the other two")
    expectNear(hours(rows) { $0.instanceType == "m5.24xlarge" && $0.commitmentDiscountId == "csp" }, 1, "SP the m5")
    expectNear(bill.savingsPlans[0].usedQuantity, 9.60, "commitment used")
    expectNear(bill.effective.onDemandUSD, 0, "nothing on demand")
    expectNear(bill.reservedInstances[0].utilization, 1, "RI utilization")
  }

  @Test("scenario 4: the r5 EC2 Instance plan applies before the Compute plan")
  func scenario4() throws {
    // The page: a $3.00/h EC2 Instance plan (r5, us-east-1) "covers all of the r5.4xlarge
    // usage because multiplying the usage by the EC2 Instance Family Savings Plan rate is
    // $2.40. This is less than the $3.00/hour commitment. Next, the Compute Savings Plan is
    // applied to rest of the resource usage" ($16.80/h).
    let plans = [
      computePlan(16.80),
      SavingsPlan(
        id: "ec2-r5", kind: .ec2Instance(family: "r5", region: "us-east-1"), commitmentUSDPerHour: 3,
        term: .oneYear, startSeconds: 0),
    ]
    let (bill, rows) = try billWithRows(usage, Commitments(savingsPlans: plans), catalog: catalog, rates: rates)
    let ec2Plan = try #require(bill.savingsPlans.first { $0.id == "ec2-r5" })
    expectNear(ec2Plan.usedQuantity, 2.40, "EC2 Instance plan used (4 × $0.60)")
    expectNear(ec2Plan.utilization, 0.8, "EC2 Instance plan utilization")
    expectNear(ec2Plan.wasteUSD, 0.60, "its unused $0.60")
    expectNear(hours(rows) { $0.instanceType == "r5.4xlarge" && $0.commitmentDiscountId == "csp" }, 0, "Compute plan skips r5")
    expectNear(hours(rows) { $0.instanceType == "m5.24xlarge" && $0.commitmentDiscountId == "csp" }, 1, "Compute plan covers m5")
    expectNear(bill.savingsPlans[0].usedQuantity, 8.20, "Compute plan used on EC2")
  }
}

/// EC2 User Guide, "How Reserved Instances are applied" and "Instance size flexibility"
/// (docs.aws.amazon.com/AWSEC2/latest/UserGuide/apply_ri.html, ri-size-flexibility).
/// Prices are not part of these examples; the catalogs below make some up.
@Suite struct ReservedInstancesUserGuideExampleTests {
  @Test("a t2.medium RI (2 units) covers two t2.small fully, or 50% of one t2.large")
  func t2SizeFlexibility() throws {
    let catalog = PriceCatalog(entries: [
      catalogEntry("t2.small", factor: 1, onDemand: 0.023),
      catalogEntry("t2.medium", factor: 2, onDemand: 0.0464, riHourly: 0.032),
      catalogEntry("t2.large", factor: 4, onDemand: 0.0928),
    ])
    let ri = Commitments(reservedInstances: [regionalRI("ri-t2", "t2.medium")])
    let (small, smallRows) = try billWithRows([run("t2.small", 2)], ri, catalog: catalog)
    expectNear(hours(smallRows) { $0.commitmentDiscountId == "ri-t2" }, 2, "both t2.small covered")
    expectNear(small.effective.onDemandUSD, 0)
    let (large, largeRows) = try billWithRows([run("t2.large", 1)], ri, catalog: catalog)
    expectNear(hours(largeRows) { $0.commitmentDiscountId == "ri-t2" }, 0.5, "half the t2.large hour")
    expectNear(large.effective.onDemandUSD, 0.5 * 0.0928)
  }

  @Test("scenario 1: zonal m3.large RIs, regional m4.large RIs cover 2 m4.xlarge, a c4.large RI half a c4.xlarge")
  func scenario1() throws {
    // Running: 4 × m3.large in us-east-1a, 2 × m4.xlarge in us-east-1b, 1 × c4.xlarge in
    // us-east-1c. Bought: 4 × m3.large zonal in us-east-1a, 4 × m4.large regional (4 × 4 =
    // 16 units = 2 × m4.xlarge at 8), 1 × c4.large regional (4 units of the c4.xlarge's 8:
    // "the c4.large Reserved Instance billing discount applies to 50% of c4.xlarge usage").
    let catalog = PriceCatalog(entries: [
      catalogEntry("m3.large", factor: 4, onDemand: 0.133, riHourly: 0.08),
      catalogEntry("m4.large", factor: 4, onDemand: 0.10, riHourly: 0.062),
      catalogEntry("m4.xlarge", factor: 8, onDemand: 0.20),
      catalogEntry("c4.large", factor: 4, onDemand: 0.10, riHourly: 0.063),
      catalogEntry("c4.xlarge", factor: 8, onDemand: 0.199),
    ])
    let usage = [
      run("m3.large", 4, zone: "us-east-1a"), run("m4.xlarge", 2, zone: "us-east-1b"),
      run("c4.xlarge", 1, zone: "us-east-1c"),
    ]
    let commitments = Commitments(reservedInstances: [
      zonalRI("zonal-m3", "m3.large", 4, zone: "us-east-1a"), regionalRI("regional-m4", "m4.large", 4),
      regionalRI("regional-c4", "c4.large", 1),
    ])
    let (bill, rows) = try billWithRows(usage, commitments, catalog: catalog)
    expectNear(hours(rows) { $0.commitmentDiscountId == "zonal-m3" }, 4, "m3.large by the zonal RIs")
    expectNear(hours(rows) { $0.instanceType == "m4.xlarge" && $0.commitmentDiscountId == "regional-m4" }, 2)
    expectNear(hours(rows) { $0.instanceType == "c4.xlarge" && $0.commitmentDiscountId == "regional-c4" }, 0.5)
    expectNear(bill.effective.onDemandUSD, 0.5 * 0.199, "only half the c4.xlarge on demand")
    for report in bill.reservedInstances { expectNear(report.utilization, 1, report.id) }
    // Cost Explorer RI coverage: (16 + 16 + 4) of (16 + 16 + 8) normalized units.
    expectNear(bill.coverage.reservedInstanceCoverage, 36.0 / 40, "RI coverage (normalized)")
  }

  @Test("scenario 2: one m3.2xlarge RI (16 units) covers 2 m3.large first, then 1 of 2 m3.xlarge")
  func scenario2() throws {
    // "It applies first to the m3.large instances and then to the m3.xlarge instances ...
    // full benefit to 2 × m3.large usage (8 units). This leaves 8 units ... full benefit to
    // 1 × m3.xlarge usage. The remaining m3.xlarge usage is charged at the On-Demand rate."
    let catalog = PriceCatalog(entries: [
      catalogEntry("m3.large", factor: 4, onDemand: 0.133),
      catalogEntry("m3.xlarge", factor: 8, onDemand: 0.266),
      catalogEntry("m3.2xlarge", factor: 16, onDemand: 0.532, riHourly: 0.3),
    ])
    let usage = [run("m3.xlarge", 2, zone: "us-east-1a"), run("m3.large", 2, zone: "us-east-1b")]
    let (bill, rows) = try billWithRows(
      usage, Commitments(reservedInstances: [regionalRI("ri", "m3.2xlarge")]), catalog: catalog)
    expectNear(hours(rows) { $0.instanceType == "m3.large" && $0.commitmentDiscountId == "ri" }, 2)
    expectNear(hours(rows) { $0.instanceType == "m3.xlarge" && $0.commitmentDiscountId == "ri" }, 1)
    expectNear(bill.effective.onDemandUSD, 0.266, "one m3.xlarge on demand")
    // The RI's $0.30/h spread over its 16 units: 8 units to the m3.large, 8 to an m3.xlarge.
    let riCost = rows.filter { $0.commitmentDiscountId == "ri" && $0.instanceType == "m3.large" }
    expectNear(riCost.reduce(0) { $0 + $1.effectiveCost }, 0.15)
  }

  @Test("one m5.2xlarge RI (16 units) covers two m5.xlarge, or four m5.large (shipped catalog)")
  func m5TwoXLarge() throws {
    let catalog = try PriceCatalog.bundled()
    let ri = Commitments(reservedInstances: [regionalRI("ri", "m5.2xlarge")])  // 0.242 USD/h
    for (type, count) in [("m5.xlarge", 2), ("m5.large", 4)] {
      let (bill, rows) = try billWithRows([run(type, count)], ri, catalog: catalog)
      expectNear(hours(rows) { $0.commitmentDiscountId == "ri" }, Double(count), type)
      expectNear(bill.effectiveCostUSD, 0.242, "\(type): the RI fee only")
      expectNear(bill.reservedInstances[0].utilization, 1)
    }
  }
}
