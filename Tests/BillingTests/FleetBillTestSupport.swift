import Foundation
import Numerics
import Testing

@testable import Billing

let hour = 3_600.0

/// A catalog row made in code (for AWS's documented examples, whose types and prices are
/// not in the shipped catalog). `riHourly` is the Standard 1-year No Upfront fee.
func catalogEntry(
  _ instanceType: String, region: String = "us-east-1", factor: Double, onDemand: Double,
  riHourly: Double? = nil
) -> PriceCatalogEntry {
  let parts = instanceType.split(separator: ".")
  var entry = PriceCatalogEntry(
    region: region, instanceType: instanceType, family: String(parts[0]), size: String(parts[1]),
    vcpuCount: 2, memoryGiB: 8, normalizationFactor: factor, onDemandUSDPerHour: onDemand)
  entry.standardRIOneYearNoUpfrontUSDPerHour = riHourly
  return entry
}

/// Usage of one service: `count` instances from `start` to `end` seconds.
func run(
  _ instanceType: String, _ count: Int = 1, from start: Double = 0, to end: Double = hour,
  region: String = "us-east-1", zone: String? = nil, _ option: PurchaseOption = .onDemand,
  service: String = "web", team: String = "core"
) -> InstanceUsage {
  InstanceUsage(
    instanceType: instanceType, region: region, purchaseOption: option, count: count,
    startSeconds: start, endSeconds: end, service: service, tags: ["team": team],
    availabilityZone: zone)
}

func regionalRI(
  _ id: String, _ instanceType: String, _ count: Int = 1, region: String = "us-east-1",
  start: Double = 0, end: Double? = nil, payment: PaymentOption = .noUpfront,
  upfront: Double? = nil, recurring: Double? = nil
) -> ReservedInstance {
  ReservedInstance(
    id: id, instanceType: instanceType, region: region, count: count, term: .oneYear,
    payment: payment, startSeconds: start, endSeconds: end, upfrontUSDPerInstance: upfront,
    recurringUSDPerInstanceHour: recurring)
}

func zonalRI(_ id: String, _ instanceType: String, _ count: Int = 1, zone: String) -> ReservedInstance {
  ReservedInstance(
    id: id, instanceType: instanceType, region: String(zone.dropLast()), availabilityZone: zone,
    count: count, term: .oneYear, startSeconds: 0)
}

/// Rates from (plan type, family, discount percent) triples, 1-year No Upfront, any region.
func discounts(_ entries: [(SavingsPlanType, String, Double)]) throws -> SavingsPlanRates {
  var rates = SavingsPlanRates()
  for (type, family, percent) in entries {
    try rates.setDiscountPercent(percent, planType: type, family: family, term: .oneYear, payment: .noUpfront)
  }
  return rates
}

/// Collects every row in memory and checks that each call carries exactly one hour.
struct CollectingSink: LineItemSink {
  var rows: [CostLineItem] = []
  var calls = 0
  var finished = false

  mutating func consume(hourRows rows: [CostLineItem]) throws {
    #expect(!rows.isEmpty)
    #expect(Set(rows.map(\.hour)).count == 1, "one call, one hour")
    if let last = self.rows.last { #expect(last.hour < rows[0].hour, "hours in order") }
    self.rows += rows
    calls += 1
  }

  mutating func finish() throws { finished = true }
}

/// Bills with line items collected, and checks the invariants every bill keeps.
func billWithRows(
  _ usage: [InstanceUsage], _ commitments: Commitments = Commitments(), catalog: PriceCatalog,
  rates: SavingsPlanRates = SavingsPlanRates(), options: BillingOptions = BillingOptions(),
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> (FleetBill, [CostLineItem]) {
  var sink = CollectingSink()
  let bill = try FleetBill(
    usage: usage, commitments: commitments, catalog: catalog, savingsPlanRates: rates,
    options: options, start: Date(timeIntervalSince1970: 1_735_689_600), lineItems: &sink)
  #expect(sink.finished, sourceLocation: sourceLocation)
  expectInvariants(bill, sink.rows, sourceLocation: sourceLocation)
  // The same bill without rows.
  let plain = try FleetBill(
    usage: usage, commitments: commitments, catalog: catalog, savingsPlanRates: rates, options: options)
  #expect(plain == bill, "bill with and without line items", sourceLocation: sourceLocation)
  return (bill, sink.rows)
}

/// Σ line items = totals; coverage and utilization in 0...1; showback adds up; no negative
/// money; effective − waste <= list when every commitment rate is below on-demand.
func expectInvariants(
  _ bill: FleetBill, _ rows: [CostLineItem], sourceLocation: SourceLocation = #_sourceLocation
) {
  func near(_ a: Double, _ b: Double, _ what: String) {
    #expect(
      a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-9, relativeTolerance: 1e-9),
      "\(what): \(a) != \(b)", sourceLocation: sourceLocation)
  }
  near(rows.reduce(0) { $0 + $1.billedCost }, bill.billedCostUSD, "Σ BilledCost")
  near(rows.reduce(0) { $0 + $1.effectiveCost }, bill.effectiveCostUSD, "Σ EffectiveCost")
  near(rows.reduce(0) { $0 + $1.listCost }, bill.listCostUSD, "Σ ListCost")
  near(bill.hourlyBilledCostUSD.reduce(0, +), bill.billedCostUSD, "Σ hourly billed")
  near(bill.hourlyEffectiveCostUSD.reduce(0, +), bill.effectiveCostUSD, "Σ hourly effective")
  near(
    rows.filter { $0.commitmentDiscountStatus == .unused }.reduce(0) { $0 + $1.effectiveCost },
    bill.wasteUSD, "Σ Unused rows = waste")
  near(
    bill.showback.services.reduce(0) { $0 + $1.effectiveCostUSD } + bill.showback.unallocatedCommitmentUSD,
    bill.effectiveCostUSD, "showback + unallocated")
  near(bill.showback.teams.reduce(0) { $0 + $1.effectiveCostUSD }, bill.showback.services.reduce(0) { $0 + $1.effectiveCostUSD }, "teams = services")
  for coverage in [bill.coverage.reservedInstanceCoverage, bill.coverage.savingsPlanCoverage, bill.coverage.commitmentCoverage] {
    if let coverage { #expect((0...1 + 1e-12).contains(coverage), "coverage \(coverage)", sourceLocation: sourceLocation) }
  }
  for report in bill.reservedInstances + bill.savingsPlans {
    if let utilization = report.utilization {
      #expect((0...1 + 1e-12).contains(utilization), "\(report.id) utilization \(utilization)", sourceLocation: sourceLocation)
    }
    near(report.wasteUSD, report.effectiveCostUSD * (1 - (report.utilization ?? 1)), "\(report.id) waste")
  }
  for row in rows {
    #expect(row.billedCost >= 0 && row.effectiveCost >= 0 && row.listCost >= 0, sourceLocation: sourceLocation)
  }
  let services = bill.showback.services.map(\.effectiveCostUSD)
  #expect(services == services.sorted(by: >), "ranked most expensive first", sourceLocation: sourceLocation)
}

func expectNear(
  _ actual: Double?, _ expected: Double, _ what: String = "value", tolerance: Double = 1e-9,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let actual else {
    Issue.record("\(what) is nil, expected \(expected)", sourceLocation: sourceLocation)
    return
  }
  #expect(
    actual.isApproximatelyEqual(to: expected, absoluteTolerance: tolerance, relativeTolerance: tolerance),
    "\(what): \(actual) != \(expected)", sourceLocation: sourceLocation)
}

/// Instance-hours of `rows` matching the filter.
func hours(_ rows: [CostLineItem], where include: (CostLineItem) -> Bool) -> Double {
  rows.filter { include($0) && $0.chargeCategory == .usage && $0.consumedQuantity != nil }
    .reduce(0) { $0 + $1.consumedQuantity! }
}
