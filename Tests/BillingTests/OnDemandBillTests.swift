import Numerics
import Testing

@testable import Billing

/// Prices used below, read from Resources/ec2-prices.csv (USD per hour):
/// us-east-1 m5.large 0.096, us-east-1 c5.xlarge 0.17, ap-northeast-2 m5.large 0.118,
/// ap-northeast-2 t3.micro 0.013.
@Suite struct OnDemandBillTests {
  let catalog: PriceCatalog

  init() throws { catalog = try PriceCatalog.bundled() }

  func usage(
    _ instanceType: String = "m5.large", _ region: String = "us-east-1", count: Int = 1,
    from start: Double, to end: Double, _ option: PurchaseOption = .onDemand
  ) -> InstanceUsage {
    InstanceUsage(
      instanceType: instanceType, region: region, purchaseOption: option, count: count,
      startSeconds: start, endSeconds: end)
  }

  @Test(
    "one instance start bills max(60, ceil(running seconds))",
    arguments: [
      (0.0, 60.0), (30, 60), (59.999, 60), (60, 60), (60.4, 61), (61.2, 62), (120.5, 121),
      (3_600, 3_600),
    ])
  func billedSeconds(runningSeconds: Double, billed: Double) throws {
    #expect(PerSecondBilling.billedSeconds(runningSeconds: runningSeconds) == billed)
    let bill = try OnDemandBill(
      usage: [usage(from: 1_000, to: 1_000 + runningSeconds)], catalog: catalog)
    #expect(bill.billedInstanceSeconds == billed)
    expectApproximately(bill.costUSD, billed * 0.096 / 3_600, "cost")
    expectConservation(bill)
  }

  @Test("floating-point noise in end - start does not bill an extra second")
  func roundingTolerance() throws {
    #expect(65.4 - 4.4 > 61)  // 61.00000000000001: the noise this guards against
    let bill = try OnDemandBill(usage: [usage(from: 4.4, to: 65.4)], catalog: catalog)
    #expect(bill.billedInstanceSeconds == 61)
  }

  @Test("3 instances × 2 h of us-east-1 m5.large at 0.096 USD/h cost 0.576 USD")
  func threeInstancesTwoHours() throws {
    let bill = try OnDemandBill(usage: [usage(count: 3, from: 0, to: 7_200)], catalog: catalog)
    #expect(bill.billedInstanceSeconds == 21_600)
    #expect(bill.billedInstanceHours == 6)
    #expect(bill.instanceStarts == 3)
    expectApproximately(bill.costUSD, 0.576, "cost")
    expectApproximately(bill.hourlyCostUSD, [0.288, 0.288], "hourly cost")
    expectApproximately(bill.hourlyCostUSD(paddedToHours: 4), [0.288, 0.288, 0, 0])
    #expect(bill.hourlyCostUSD(paddedToHours: 1).count == 2)
    expectConservation(bill)
  }

  // Hand computation:
  //   2 × us-east-1 m5.large, 0-1800 s:       3600 s → 1 h × 0.096      = 0.096
  //   1 × us-east-1 c5.xlarge, 600-4200 s:    3600 s → 1 h × 0.17       = 0.17
  //   4 × ap-northeast-2 t3.micro, 100-145 s: 45 s → 60 s each, 240 s   = 240/3600 × 0.013
  //   1 × ap-northeast-2 m5.large, 0-36000 s: 10 h × 0.118              = 1.18
  // Hour 0: 0.096 + 3000/3600 × 0.17 + 240/3600 × 0.013 + 0.118; hour 1: 600/3600 × 0.17
  // + 0.118; hours 2-9: 0.118.
  @Test("mixed types and regions: one line each, sorted by region then type")
  func mixedTypes() throws {
    let bill = try OnDemandBill(
      usage: [
        usage("m5.large", "us-east-1", count: 2, from: 0, to: 1_800),
        usage("t3.micro", "ap-northeast-2", count: 4, from: 100, to: 145),
        usage("c5.xlarge", "us-east-1", from: 600, to: 4_200),
        usage("m5.large", "ap-northeast-2", from: 0, to: 36_000),
      ], catalog: catalog)
    #expect(
      bill.lines.map(\.key.description)
        == [
          "m5.large in ap-northeast-2", "t3.micro in ap-northeast-2", "c5.xlarge in us-east-1",
          "m5.large in us-east-1",
        ])
    #expect(bill.lines.map(\.billedInstanceSeconds) == [36_000, 240, 3_600, 3_600])
    #expect(bill.lines.map(\.instanceStarts) == [1, 4, 1, 2])
    #expect(bill.lines[1].runningInstanceSeconds == 180)
    expectApproximately(
      bill.lines.map(\.costUSD), [1.18, 240.0 / 3_600 * 0.013, 0.17, 0.096], "line costs")
    expectApproximately(bill.costUSD, 1.18 + 240.0 / 3_600 * 0.013 + 0.17 + 0.096, "total")
    #expect(bill.hourCount == 10)
    let hour0 = 0.096 + 3_000.0 / 3_600 * 0.17 + 240.0 / 3_600 * 0.013 + 0.118
    let hour1 = 600.0 / 3_600 * 0.17 + 0.118
    expectApproximately(
      bill.hourlyCostUSD, [hour0, hour1] + Array(repeating: 0.118, count: 8), "hourly cost")
    expectApproximately(
      bill.lines[2].hourlyBilledInstanceSeconds, [3_000, 600] + Array(repeating: 0, count: 8))
    expectConservation(bill)
  }

  @Test(
    "hourly attribution across hour boundaries (seconds per clock-hour by hand)",
    arguments: [
      // 1000.5 s → 1001 billed over [3000, 4001): 600 in hour 0, 401 in hour 1.
      (1, 3_000.0, 4_000.5, [600.0, 401]),
      // 20 s → 60 billed: 10 s run in each hour, the 40 s top-up in the start hour.
      (1, 3_590, 3_610, [50, 10]),
      // 3599.9 s → 3600 billed over [0.4, 3600.4): the round-up falls in hour 1.
      (1, 0.4, 3_600.3, [3_599.6, 0.4]),
      // 2 instances, 3 h from 1800 s: full hours 1 and 2 via the difference array.
      (2, 1_800, 12_600, [3_600, 7_200, 7_200, 3_600]),
      // Starts on a boundary: nothing in hours 0 and 1, 45 s → 60 s in hour 2.
      (3, 7_200, 7_245, [0, 0, 180]),
      // Ends exactly on a boundary: no empty trailing hour.
      (1, 0, 7_200, [3_600, 3_600]),
    ])
  func hourlyAttribution(count: Int, start: Double, end: Double, seconds: [Double]) throws {
    let bill = try OnDemandBill(
      usage: [usage(count: count, from: start, to: end)], catalog: catalog)
    expectApproximately(bill.hourlyBilledInstanceSeconds, seconds, "hourly seconds")
    expectApproximately(bill.hourlyCostUSD, seconds.map { $0 * 0.096 / 3_600 }, "hourly cost")
    for perHour in bill.hourlyBilledInstanceSeconds {
      #expect(perHour <= 3_600 * Double(count))
    }
    expectConservation(bill)
  }

  @Test("the sum over hours equals the total on 2000 generated records")
  func generatedConservation() throws {
    var random = SplitMix64(state: 42)
    let types = [("m5.large", "us-east-1"), ("c5.xlarge", "us-east-1"), ("m5.large", "ap-northeast-2"),
                 ("t3.micro", "ap-northeast-2")]
    var records: [InstanceUsage] = []
    var expectedSeconds = 0.0
    for _ in 0..<2_000 {
      let (instanceType, region) = types[Int.random(in: 0..<types.count, using: &random)]
      let start = Double.random(in: 0..<(72 * 3_600), using: &random)
      let running = Bool.random(using: &random)
        ? Double.random(in: 0..<120, using: &random)
        : Double.random(in: 0..<(20 * 3_600), using: &random)
      let count = Int.random(in: 0...5, using: &random)
      records.append(usage(instanceType, region, count: count, from: start, to: start + running))
      expectedSeconds += Double(count) * max(60, (running - 1e-6).rounded(.up))
    }
    let bill = try OnDemandBill(usage: records, catalog: catalog)
    #expect(bill.billedInstanceSeconds == expectedSeconds)
    expectConservation(bill)
    #expect(try OnDemandBill(usage: records, catalog: catalog) == bill)  // deterministic
  }

  @Test("no usage is an empty bill")
  func empty() throws {
    let bill = try OnDemandBill(usage: [], catalog: catalog)
    #expect(bill.lines.isEmpty && bill.costUSD == 0 && bill.hourCount == 0)
    #expect(bill.hourlyCostUSD(paddedToHours: 3) == [0, 0, 0])
    let zero = try OnDemandBill(usage: [usage(count: 0, from: 0, to: 100)], catalog: catalog)
    #expect(zero.lines.isEmpty && zero.costUSD == 0)
  }

  @Test(
    "invalid usage is an error naming the record, field, expectation and value",
    arguments: [
      (-1.0, 10.0, 1, PurchaseOption.onDemand, "startSeconds", "-1.0"),
      (.nan, 10, 1, .onDemand, "startSeconds", "nan"),
      (10, 5, 1, .onDemand, "endSeconds", "5.0"),
      (0, .infinity, 1, .onDemand, "endSeconds", "inf"),
      (0, 4e8, 1, .onDemand, "endSeconds", "400000000.0"),
      (0, 10, -1, .onDemand, "count", "-1"),
      (0, 10, 1, .spot, "purchaseOption", "spot"),
    ])
  func invalidUsage(
    start: Double, end: Double, count: Int, option: PurchaseOption, field: String, found: String
  ) throws {
    let records = [usage(from: 0, to: 60), usage(count: count, from: start, to: end, option)]
    let error = #expect(throws: BillingError.self) {
      try OnDemandBill(usage: records, catalog: catalog)
    }
    guard case .invalidUsage(let record, let actualField, _, let actualFound)? = error else {
      Issue.record("expected invalidUsage, got \(String(describing: error))")
      return
    }
    #expect(record == 1 && actualField == field && actualFound == found)
  }

  @Test("an end before the start reads as one sentence")
  func invalidUsageMessage() throws {
    let error = #expect(throws: BillingError.self) {
      try OnDemandBill(usage: [usage(from: 10, to: 5)], catalog: catalog)
    }
    #expect(
      error?.description
        == "usage record 0 (0-based): endSeconds should be a finite number of seconds from "
        + "startSeconds (10.0) to 315360000, found 5.0.")
  }

  @Test("usage of a type the region lacks fails with the catalog's error")
  func missingPrice() throws {
    #expect(throws: BillingError.missingPrice(
      region: "ap-northeast-2", instanceType: "m6a.large",
      regionsOfferingType: catalog.regions(offering: "m6a.large"))) {
      try OnDemandBill(usage: [usage("m6a.large", "ap-northeast-2", from: 0, to: 60)], catalog: catalog)
    }
  }
}
