import Foundation
import Testing

@testable import Billing

/// EBS storage of stopped warm pool instances, against the Amazon EBS pricing page's gp3
/// example: a 2,000 GB volume for 12 hours (43,200 s) in a 30-day month, "(price per
/// GB-month * 2,000 GB * 43,200 seconds / (86,400 seconds/day * 30-day month))"; the page's
/// figure at EUR 0.09394 per GB-month is 3.13133 (the same formula at $0.08: $2.6667).
@Suite struct StorageBillingTests {
  let catalog = PriceCatalog(entries: [catalogEntry("m5.large", factor: 4, onDemand: 0.096)])
  /// 2026-06-01T00:00:00Z: June has 30 days.
  let june = Date(timeIntervalSince1970: 1_780_272_000)

  func storage(_ count: Int = 1, gib: Double = 2_000, from start: Double = 0, to end: Double = 43_200) -> StorageUsage {
    StorageUsage(
      region: "us-east-1", count: count, gibPerInstance: gib, usdPerGBMonth: 0.08, startSeconds: start, endSeconds: end,
      service: "web", tags: ["team": "core"])
  }

  @Test("AWS's gp3 example: 2,000 GB for 12 hours in a 30-day month at 0.09394 per GB-month is 3.13133")
  func awsExampleFigure() throws {
    var record = storage()
    record.usdPerGBMonth = 0.09394
    let bill = try FleetBill(usage: [run("m5.large", 1, from: 0, to: 43_200)], catalog: catalog, storage: [record], start: june)
    #expect((bill.effective.ebsStorageUSD * 100_000).rounded() == 313_133)
  }

  @Test("the gp3 example at $0.08: $2.6667 in the totals, the hours and the showback")
  func awsExample() throws {
    let usage = [run("m5.large", 1, from: 0, to: 43_200)]
    let bill = try FleetBill(usage: usage, catalog: catalog, storage: [storage()], start: june)
    #expect(abs(bill.effective.ebsStorageUSD - (0.08 * 2_000 / 60)) < 1e-9)
    #expect(abs(bill.billed.ebsStorageUSD - (0.08 * 2_000 / 60)) < 1e-9)
    #expect(abs(bill.effectiveCostUSD - ((0.08 * 2_000 / 60) + 12 * 0.096)) < 1e-9)
    #expect(abs(bill.ebsStorageGBMonths - 2_000.0 / 60) < 1e-9)  // 2,000 GB × 12 h / 720 h
    let web = try #require(bill.showback.services.first)
    #expect(abs(web.ebsStorageCostUSD - (0.08 * 2_000 / 60)) < 1e-9)
    #expect(abs(web.effectiveCostUSD - bill.effectiveCostUSD) < 1e-9)
    #expect(abs(bill.hourlyEffectiveCostUSD.reduce(0, +) - bill.effectiveCostUSD) < 1e-9)
    #expect(abs(bill.hourlyBreakdown.reduce(0) { $0 + $1.totalUSD } - bill.effectiveCostUSD) < 1e-9)
    // Without the storage the bill is the compute alone.
    let plain = try FleetBill(usage: usage, catalog: catalog, start: june)
    #expect(abs(bill.effectiveCostUSD - plain.effectiveCostUSD - (0.08 * 2_000 / 60)) < 1e-9)
    #expect(plain.effective.ebsStorageUSD == 0)
  }

  @Test("FOCUS rows: one EBS row per hour with storage, and Σ rows = the bill's totals")
  func lineItems() throws {
    // Storage from 1.5 h to 4 h, instances only in hour 0: hours 2 and 3 have storage alone.
    var totals = LineItemTotals()
    var rows: [CostLineItem] = []
    struct Collect: LineItemSink {
      var rows: [CostLineItem] = []
      mutating func consume(hourRows: [CostLineItem]) throws { rows += hourRows }
    }
    var collect = Collect()
    let usage = [run("m5.large", 1, from: 0, to: 3_600)]
    let bill = try FleetBill(
      usage: usage, catalog: catalog, options: BillingOptions(horizonHours: 5), storage: [storage(2, gib: 8, from: 5_400, to: 14_400)],
      start: june, lineItems: &totals)
    _ = try FleetBill(
      usage: usage, catalog: catalog, options: BillingOptions(horizonHours: 5), storage: [storage(2, gib: 8, from: 5_400, to: 14_400)],
      start: june, lineItems: &collect)
    rows = collect.rows
    #expect(abs(totals.effectiveCostUSD - bill.effectiveCostUSD) < 1e-12)
    #expect(abs(totals.billedCostUSD - bill.billedCostUSD) < 1e-12)
    #expect(abs(totals.listCostUSD - bill.listCostUSD) < 1e-12)
    let ebs = rows.filter { $0.skuId == "EBS:VolumeUsage" }
    #expect(ebs.map(\.hour) == [1, 2, 3])
    #expect(rows.map(\.hour) == rows.map(\.hour).sorted())
    // 16 GiB × 1800 s / 2,592,000 s × $0.08 in hour 1.
    #expect(abs(ebs[0].billedCost - 16 * 1_800 / 2_592_000 * 0.08) < 1e-12)
    #expect(ebs[0].pricingUnit == "GB-Mo")
  }

  @Test("storage outside the bill's hours is an error naming the record")
  func outsideHorizon() throws {
    #expect {
      try FleetBill(
        usage: [run("m5.large")], catalog: catalog, options: BillingOptions(horizonHours: 1),
        storage: [storage(to: 7_200)], start: june)
    } throws: { error in
      "\(error)".contains("storage[0].endSeconds")
    }
  }
}
