// The hourly billing engine over one year: 50 instance types (us-east-1, 10 families,
// 5 sizes each) running a base fleet all year plus a daily lunch peak, priced against 10
// commitments (regional and zonal Reserved Instances, EC2 Instance and Compute Savings
// Plans). Inputs (catalog, 18,300 usage records, commitments, rates) are built once
// outside the measurement; each case measures FleetBill from usage records to results.
import Benchmark
import Billing
import Foundation

struct YearOfBilling {
  let catalog: PriceCatalog
  let usage: [InstanceUsage]
  let commitments: Commitments
  let rates: SavingsPlanRates
  let options = BillingOptions(horizonHours: 8_760)

  init() throws {
    catalog = try PriceCatalog.bundled()
    let families = ["m5", "m6i", "m7i", "c5", "c6i", "c7i", "r5", "r6i", "r7i", "m6a"]
    let sizes = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge"]
    // c5 has no 8xlarge; its 9xlarge stands in.
    let types = families.flatMap { family in
      sizes.map { family == "c5" && $0 == "8xlarge" ? "c5.9xlarge" : "\(family).\($0)" }
    }
    precondition(types.count == 50, "50 types")
    var usage: [InstanceUsage] = []
    var state: UInt64 = 1
    func jitter() -> Double {  // 0..<1800 s, SplitMix64
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Double((z ^ (z >> 31)) % 1_800)
    }
    for (index, type) in types.enumerated() {
      let service = "service-\(index % 5)"
      let tags = ["team": "team-\(index % 5 % 3)"]
      let zone: String? = index % 10 == 0 ? "us-east-1a" : nil
      precondition(catalog.entry(region: "us-east-1", instanceType: type) != nil, "\(type) in the catalog")
      usage.append(
        InstanceUsage(
          instanceType: type, region: "us-east-1", count: 2, startSeconds: 0, endSeconds: 8_760 * 3_600,
          service: service, tags: tags, availabilityZone: zone))
      for day in 0..<365 {
        let start = Double(day * 86_400 + 11 * 3_600) + jitter()
        usage.append(
          InstanceUsage(
            instanceType: type, region: "us-east-1", count: 1 + day % 4, startSeconds: start,
            endSeconds: start + 3 * 3_600 + jitter(), service: service, tags: tags, availabilityZone: zone))
      }
    }
    self.usage = usage
    func ri(_ id: String, _ type: String, _ count: Int, zone: String? = nil, start: Double = 0) -> ReservedInstance {
      ReservedInstance(
        id: id, instanceType: type, region: "us-east-1", availabilityZone: zone, count: count, term: .oneYear,
        startSeconds: start)
    }
    func plan(_ id: String, _ kind: SavingsPlan.Kind, _ usdPerHour: Double, start: Double = 0) -> SavingsPlan {
      SavingsPlan(id: id, kind: kind, commitmentUSDPerHour: usdPerHour, term: .oneYear, startSeconds: start)
    }
    commitments = Commitments(
      reservedInstances: [
        ri("ri-m5", "m5.2xlarge", 4), ri("ri-c5", "c5.xlarge", 6, start: -180 * 86_400),
        ri("ri-r5", "r5.large", 10), ri("ri-m5-zonal", "m5.large", 2, zone: "us-east-1a"),
      ],
      savingsPlans: [
        plan("sp-m6i", .ec2Instance(family: "m6i", region: "us-east-1"), 1.5),
        plan("sp-c6i", .ec2Instance(family: "c6i", region: "us-east-1"), 1.0),
        plan("sp-r6i", .ec2Instance(family: "r6i", region: "us-east-1"), 2.0, start: 90 * 86_400),
        plan("sp-compute-1", .compute, 5), plan("sp-compute-2", .compute, 3, start: -200 * 86_400),
        plan("sp-compute-3", .compute, 2, start: 100 * 86_400),
      ])
    var rates = SavingsPlanRates()
    for (index, family) in families.enumerated() {
      try rates.setDiscountPercent(
        Double(20 + index), planType: .compute, family: family, term: .oneYear, payment: .noUpfront)
      try rates.setDiscountPercent(
        Double(30 + index), planType: .ec2Instance, family: family, term: .oneYear, payment: .noUpfront)
    }
    self.rates = rates
  }

  func bill() throws -> FleetBill {
    try FleetBill(usage: usage, commitments: commitments, catalog: catalog, savingsPlanRates: rates, options: options)
  }

  func bill<Sink: LineItemSink>(into sink: inout Sink) throws -> FleetBill {
    try FleetBill(
      usage: usage, commitments: commitments, catalog: catalog, savingsPlanRates: rates, options: options,
      start: Date(timeIntervalSince1970: 1_735_689_600), lineItems: &sink)
  }
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .instructions, .mallocCountTotal, .peakMemoryResident],
    warmupIterations: 2,
    maxDuration: .seconds(5),
    maxIterations: 50
  )

  Benchmark("Billing 1 year hourly 50 types 10 commitments") { benchmark in
    let year = try YearOfBilling()
    benchmark.startMeasurement()
    let bill = try year.bill()
    benchmark.stopMeasurement()
    precondition(bill.hourCount == 8_760 && bill.reservedInstances.count == 4 && bill.savingsPlans.count == 6)
    precondition(bill.effectiveCostUSD < bill.listCostUSD, "commitments save money here")
    blackHole(bill)
  }

  Benchmark("Billing line items 1 year to a counting sink") { benchmark in
    let year = try YearOfBilling()
    var totals = LineItemTotals()
    benchmark.startMeasurement()
    let bill = try year.bill(into: &totals)
    benchmark.stopMeasurement()
    precondition(abs(totals.effectiveCostUSD - bill.effectiveCostUSD) <= 1e-6 * bill.effectiveCostUSD)
    // 578,266 rows: usage per (bucket, commitment) covering it, on-demand rest, unused and fees.
    precondition(totals.rowCount > 500_000, "rows: \(totals.rowCount)")
    blackHole(totals)
  }

  Benchmark("Billing line items 1 year FOCUS CSV to /dev/null") { benchmark in
    let year = try YearOfBilling()
    guard let devNull = FileHandle(forWritingAtPath: "/dev/null") else { fatalError("no /dev/null") }
    var writer = FOCUSCSVWriter(fileHandle: devNull)
    benchmark.startMeasurement()
    let bill = try year.bill(into: &writer)
    benchmark.stopMeasurement()
    precondition(writer.rowCount > 500_000 && writer.peakBufferedBytes < 2 << 20, "flat memory")
    blackHole(bill)
  }
}
