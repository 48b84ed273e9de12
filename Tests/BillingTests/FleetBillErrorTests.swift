import Foundation
import Testing

@testable import Billing

/// Bad input is an error naming the field and the value, never a trap or a silent zero.
@Suite struct FleetBillErrorTests {
  let catalog: PriceCatalog

  init() throws { catalog = try PriceCatalog.bundled() }

  func billError(
    _ usage: [InstanceUsage] = [run("m5.large")], _ commitments: Commitments = Commitments(),
    rates: SavingsPlanRates = SavingsPlanRates(), options: BillingOptions = BillingOptions(),
    catalog: PriceCatalog? = nil
  ) -> BillingError? {
    #expect(throws: BillingError.self) {
      try FleetBill(
        usage: usage, commitments: commitments, catalog: catalog ?? self.catalog, savingsPlanRates: rates,
        options: options)
    }
  }

  @Test("a Savings Plan without a rate for usage it could cover names plan, type, family, term, payment")
  func missingSavingsPlanRate() throws {
    let plan = SavingsPlan(id: "sp-1", kind: .compute, commitmentUSDPerHour: 1, term: .threeYears, startSeconds: 0)
    let rates = try discounts([(.compute, "c5", 20)])  // c5 only; the usage is m5
    let error = billError([run("m5.large")], Commitments(savingsPlans: [plan]), rates: rates)
    #expect(error == .missingSavingsPlanRate(
      plan: "sp-1", planType: "compute", family: "m5", region: "us-east-1", term: "3y", payment: "no-upfront"))
    #expect(
      error?.description
        == "Savings Plan 'sp-1' applies to m5 usage in us-east-1: expected a Savings Plans rate for "
        + "(compute, m5, 3y, no-upfront) in the scenario's Savings Plans rates or the price catalog, found none.")
  }

  @Test("a plan that never overlaps the bill needs no rate")
  func inactivePlanNeedsNoRate() throws {
    let plan = SavingsPlan(
      id: "old", kind: .compute, commitmentUSDPerHour: 1, term: .oneYear,
      startSeconds: -CommitmentTerm.oneYear.seconds, endSeconds: -1)
    let bill = try FleetBill(usage: [run("m5.large")], commitments: Commitments(savingsPlans: [plan]), catalog: catalog)
    #expect(bill.savingsPlans[0].activeHours == 0 && bill.savingsPlans[0].utilization == nil)
  }

  @Test(
    "commitment errors name the id, the field and what was found",
    arguments: [
      (ReservedInstance(id: "p", instanceType: "m5.large", region: "us-east-1", count: 1, term: .oneYear,
                        payment: .partialUpfront, startSeconds: 0), "upfrontUSDPerInstance", "none"),
      (ReservedInstance(id: "c", instanceType: "m5.large", region: "us-east-1", count: 1,
                        offeringClass: .convertible, term: .oneYear, payment: .allUpfront, startSeconds: 0),
       "upfrontUSDPerInstance", "none"),
      (ReservedInstance(id: "n", instanceType: "m5.large", region: "us-east-1", count: 0, term: .oneYear,
                        startSeconds: 0), "count", "0"),
      (ReservedInstance(id: "t", instanceType: "m5.large", region: "us-east-1", count: 1, term: .oneYear,
                        startSeconds: .nan), "startSeconds", "nan"),
      (ReservedInstance(id: "e", instanceType: "m5.large", region: "us-east-1", count: 1, term: .oneYear,
                        startSeconds: 0, endSeconds: 2 * CommitmentTerm.oneYear.seconds), "endSeconds", "63072000.0"),
      (ReservedInstance(id: "z", instanceType: "m5.large", region: "us-east-1", availabilityZone: "eu-west-1a",
                        count: 1, term: .oneYear, startSeconds: 0), "availabilityZone", "'eu-west-1a'"),
      (ReservedInstance(id: "f", instanceType: "m5.large", region: "us-east-1", count: 1, term: .oneYear,
                        startSeconds: 0, recurringUSDPerInstanceHour: -1), "recurringUSDPerInstanceHour", "-1.0"),
    ])
  func reservedInstanceErrors(ri: ReservedInstance, field: String, found: String) {
    let error = billError([run("m5.large")], Commitments(reservedInstances: [ri]))
    guard case .invalidCommitment(let id, let actualField, _, let actualFound)? = error else {
      Issue.record("expected invalidCommitment, got \(String(describing: error))")
      return
    }
    #expect(id == ri.id && actualField == field && actualFound == found)
  }

  @Test("a Partial Upfront RI reads as one sentence")
  func partialUpfrontMessage() {
    let ri = ReservedInstance(
      id: "ri-9", instanceType: "m5.large", region: "us-east-1", count: 1, term: .threeYears,
      payment: .partialUpfront, startSeconds: 0)
    #expect(
      billError([run("m5.large")], Commitments(reservedInstances: [ri]))?.description
        == "commitment 'ri-9': upfrontUSDPerInstance should be the upfront fee of a standard 3y "
        + "partial-upfront m5.large in us-east-1 Reserved Instance (the catalog has no such price; "
        + "give it in the scenario), found none.")
  }

  @Test("Savings Plan errors: commitment, upfront, family, duplicate id")
  func savingsPlanErrors() {
    func field(_ plans: [SavingsPlan], ris: [ReservedInstance] = []) -> (String, String)? {
      guard case .invalidCommitment(_, let field, _, let found)? = billError(
        [run("m5.large")], Commitments(reservedInstances: ris, savingsPlans: plans))
      else { return nil }
      return (field, found)
    }
    let zero = SavingsPlan(id: "a", kind: .compute, commitmentUSDPerHour: 0, term: .oneYear, startSeconds: 0)
    #expect(field([zero])! == ("commitmentUSDPerHour", "0.0"))
    let partial = SavingsPlan(id: "b", kind: .compute, commitmentUSDPerHour: 1, term: .oneYear, payment: .partialUpfront, startSeconds: 0)
    #expect(field([partial])! == ("upfrontUSD", "none"))
    let all = SavingsPlan(id: "c", kind: .compute, commitmentUSDPerHour: 1, term: .oneYear, payment: .allUpfront, startSeconds: 0, upfrontUSD: 10)
    #expect(field([all])! == ("upfrontUSD", "10.0"))
    let family = SavingsPlan(id: "d", kind: .ec2Instance(family: "m99", region: "us-east-1"), commitmentUSDPerHour: 1, term: .oneYear, startSeconds: 0)
    #expect(field([family])?.0 == "kind")
    let ri = regionalRI("same", "m5.large")
    let plan = SavingsPlan(id: "same", kind: .compute, commitmentUSDPerHour: 1, term: .oneYear, startSeconds: 0)
    #expect(field([plan], ris: [ri])! == ("id", "'same' twice"))
  }

  @Test("usage errors: a zone outside the region, a service with two sets of tags, no Spot price")
  func usageErrors() throws {
    guard case .invalidUsage(0, "availabilityZone", _, "'eu-west-1a'")? = billError([run("m5.large", zone: "eu-west-1a")]) else {
      Issue.record("zone outside the region")
      return
    }
    guard case .invalidUsage(1, "tags", _, _)? = billError([run("m5.large", team: "a"), run("c5.large", team: "b")]) else {
      Issue.record("inconsistent tags")
      return
    }
    let noAdvisor = PriceCatalog(entries: [catalogEntry("m5.large", factor: 4, onDemand: 0.096)])
    #expect(billError([run("m5.large", 1, .spot)], catalog: noAdvisor) == .missingSpotPrice(region: "us-east-1", instanceType: "m5.large"))
  }

  @Test("option and rate errors")
  func optionErrors() throws {
    #expect(billError(options: BillingOptions(horizonHours: -1)) == .invalidInput(
      field: "horizonHours", expected: "an integer from 0 to 87600", found: "-1"))
    let key = RegionalInstanceType(region: "us-east-1", instanceType: "m5.large")
    guard case .invalidInput("spotUSDPerHour[m5.large in us-east-1]", _, "-0.5")? = billError(
      options: BillingOptions(spotUSDPerHour: [key: -0.5]))
    else {
      Issue.record("negative Spot price")
      return
    }
    var rates = SavingsPlanRates()
    #expect(throws: BillingError.self) {
      try rates.setDiscountPercent(100, planType: .compute, family: "m5", term: .oneYear, payment: .noUpfront)
    }
    #expect(rates.isEmpty)
  }

  @Test("rates CSV: region-specific rows win over any-region rows; bad cells name line and column")
  func ratesCSV() throws {
    let rates = try SavingsPlanRates(
      csv: """
        plan_type,family,region,term,payment,discount_pct,source
        compute,m5,,1y,no-upfront,20,example
        compute,m5,eu-west-1,1y,no-upfront,25,example
        ec2-instance,c5,,3y,all-upfront,60,example
        """, fileName: "sp.csv")
    #expect(rates.discountPercent(planType: .compute, family: "m5", region: "us-east-1", term: .oneYear, payment: .noUpfront) == 20)
    #expect(rates.discountPercent(planType: .compute, family: "m5", region: "eu-west-1", term: .oneYear, payment: .noUpfront) == 25)
    #expect(rates.discountPercent(planType: .ec2Instance, family: "c5", region: "x", term: .threeYears, payment: .allUpfront) == 60)
    #expect(rates.discountPercent(planType: .ec2Instance, family: "c5", region: "x", term: .oneYear, payment: .allUpfront) == nil)
    #expect(throws: BillingError.malformedCSV(
      file: "sp.csv", line: 2, column: 4, field: "term", expected: "one of 1y, 3y", found: "'2y'")) {
      try SavingsPlanRates(csv: "plan_type,family,region,term,payment,discount_pct\ncompute,m5,,2y,no-upfront,20\n", fileName: "sp.csv")
    }
    #expect(throws: BillingError.self) {
      try SavingsPlanRates(csv: "plan_type,family,term,payment,discount_pct\ncompute,m5,1y,no-upfront,120\n", fileName: "sp.csv")
    }
    #expect(throws: BillingError.self) {
      try SavingsPlanRates(
        csv: "plan_type,family,term,payment,discount_pct\ncompute,m5,1y,no-upfront,20\ncompute,m5,1y,no-upfront,21\n",
        fileName: "sp.csv")
    }
  }

  @Test("a catalog with Savings Plans columns is used when the table has no rate (No Upfront)")
  func catalogRateFallback() throws {
    var entry = catalogEntry("m5.large", factor: 4, onDemand: 0.096)
    entry.computeSavingsPlanOneYearNoUpfrontUSDPerHour = 0.072
    let plan = SavingsPlan(id: "sp", kind: .compute, commitmentUSDPerHour: 0.072, term: .oneYear, startSeconds: 0)
    let bill = try FleetBill(
      usage: [run("m5.large")], commitments: Commitments(savingsPlans: [plan]),
      catalog: PriceCatalog(entries: [entry]))
    expectNear(bill.savingsPlans[0].utilization, 1)
    expectNear(bill.effectiveCostUSD, 0.072)
  }
}
