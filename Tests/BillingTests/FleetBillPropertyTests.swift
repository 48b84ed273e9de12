import Foundation
import Testing

@testable import Billing

/// Invariants over seeded random fleets and commitments (shipped catalog, two regions, two
/// families, three sizes, zones known or not, Spot, every commitment kind and payment,
/// commitments starting before the run and ending inside it).
@Suite struct FleetBillPropertyTests {
  static let regions = ["us-east-1", "eu-west-1"]
  static let types = ["m5.large", "m5.xlarge", "m5.2xlarge", "c5.large", "c5.xlarge", "c5.2xlarge"]
  static let horizonHours = 30

  struct Fleet {
    var usage: [InstanceUsage] = []
    var commitments = Commitments()
    var rates = SavingsPlanRates()
  }

  static func fleet(seed: UInt64, catalog: PriceCatalog) throws -> Fleet {
    var random = SplitMix64(state: seed)
    var fleet = Fleet()
    let services = [("checkout", "payments"), ("search", "discovery"), ("batch", "payments")]
    func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
    for _ in 0..<Int.random(in: 10...60, using: &random) {
      let region = pick(regions)
      let start = Double.random(in: 0..<(Double(horizonHours - 2) * hour), using: &random)
      let running =
        Bool.random(using: &random)
        ? Double.random(in: 0..<150, using: &random) : Double.random(in: 0..<(10 * hour), using: &random)
      let (service, team) = pick(services)
      fleet.usage.append(
        InstanceUsage(
          instanceType: pick(types), region: region,
          purchaseOption: Int.random(in: 0..<5, using: &random) == 0 ? .spot : .onDemand,
          count: Int.random(in: 0...4, using: &random), startSeconds: start, endSeconds: start + running,
          service: service, tags: ["team": team],
          availabilityZone: pick([nil, region + "a", region + "b"])))
    }
    func window(_ term: CommitmentTerm) -> (Double, Double?) {
      let start =
        Bool.random(using: &random)
        ? Double.random(in: -term.seconds ..< 0, using: &random)
        : Double.random(in: 0..<(Double(horizonHours) * hour), using: &random)
      let end: Double? =
        Bool.random(using: &random) ? nil : start + Double.random(in: 1..<(40 * hour), using: &random)
      return (start, end)
    }
    var id = 0
    for _ in 0..<Int.random(in: 0...4, using: &random) {
      let region = pick(regions)
      let type = pick(types)
      let term = pick(CommitmentTerm.allCases)
      let payment = pick(PaymentOption.allCases)
      let onDemand = try catalog.onDemandUSDPerHour(region: region, instanceType: type)
      let (start, end) = window(term)
      // Fees below on-demand, so covering usage never costs more than on-demand.
      let upfront = payment == .noUpfront ? nil : onDemand * Double.random(in: 0.05...0.3, using: &random) * term.hours
      let recurring = payment == .allUpfront ? nil : onDemand * Double.random(in: 0.2...0.5, using: &random)
      id += 1
      fleet.commitments.reservedInstances.append(
        ReservedInstance(
          id: "ri-\(id)", instanceType: type, region: region,
          availabilityZone: pick([nil, nil, region + "a"]), count: Int.random(in: 1...3, using: &random),
          offeringClass: pick(OfferingClass.allCases), term: term, payment: payment, startSeconds: start,
          endSeconds: end, upfrontUSDPerInstance: upfront, recurringUSDPerInstanceHour: recurring))
    }
    for _ in 0..<Int.random(in: 0...4, using: &random) {
      let term = pick(CommitmentTerm.allCases)
      let payment = pick(PaymentOption.allCases)
      let commitment = Double.random(in: 0.01...0.6, using: &random)
      let (start, end) = window(term)
      let kind: SavingsPlan.Kind =
        Bool.random(using: &random) ? .compute : .ec2Instance(family: pick(["m5", "c5"]), region: pick(regions))
      id += 1
      fleet.commitments.savingsPlans.append(
        SavingsPlan(
          id: "sp-\(id)", kind: kind, commitmentUSDPerHour: commitment, term: term, payment: payment,
          startSeconds: start, endSeconds: end,
          upfrontUSD: payment == .partialUpfront ? commitment * term.hours / 2 : nil))
    }
    for planType in SavingsPlanType.allCases {
      for family in ["m5", "c5"] {
        for term in CommitmentTerm.allCases {
          for payment in PaymentOption.allCases {
            try fleet.rates.setDiscountPercent(
              Double.random(in: 5...60, using: &random), planType: planType, family: family,
              region: Bool.random(using: &random) ? nil : pick(regions), term: term, payment: payment)
            // Always an any-region fallback so no rate is missing.
            if fleet.rates.discountPercent(planType: planType, family: family, region: "nowhere", term: term, payment: payment) == nil {
              try fleet.rates.setDiscountPercent(
                Double.random(in: 5...60, using: &random), planType: planType, family: family, term: term,
                payment: payment)
            }
          }
        }
      }
    }
    return fleet
  }

  /// Billed seconds per (hour, service, region, type, zone, option), computed record by
  /// record without HourlyAttribution.
  static func bruteForceSeconds(_ usage: [InstanceUsage]) -> [String: Double] {
    var seconds: [String: Double] = [:]
    for record in usage where record.count > 0 {
      let whole = max(0, (record.endSeconds - record.startSeconds - 1e-6).rounded(.up))
      let topUp = max(60, whole) - whole
      let key = { (h: Int) in
        "\(h)|\(record.service!)|\(record.region)|\(record.instanceType)|\(record.availabilityZone ?? "-")|\(record.purchaseOption)"
      }
      let n = Double(record.count)
      seconds[key(Int(record.startSeconds / hour)), default: 0] += n * topUp
      var h = Int(record.startSeconds / hour)
      let end = record.startSeconds + whole
      while Double(h) * hour < end {
        let overlap = min(end, Double(h + 1) * hour) - max(record.startSeconds, Double(h) * hour)
        if overlap > 0 { seconds[key(h), default: 0] += n * overlap }
        h += 1
      }
    }
    return seconds
  }

  @Test("random fleets keep every invariant", arguments: 1...40)
  func invariants(seed: Int) throws {
    let catalog = try PriceCatalog.bundled()
    let fleet = try Self.fleet(seed: UInt64(seed), catalog: catalog)
    // Odd seeds charge waste to the services it covered, even ones leave it unallocated.
    let options = BillingOptions(
      horizonHours: Self.horizonHours, wasteAttribution: seed % 2 == 1 ? .coveredUsageShare : .unallocated)
    // Σ line items = totals, coverage and utilization <= 100%, showback adds up (in here).
    let (bill, rows) = try billWithRows(
      fleet.usage, fleet.commitments, catalog: catalog, rates: fleet.rates, options: options)

    // Per hour and bucket: covered + on-demand (or Spot) seconds = billed seconds, so no
    // commitment covers more than the usage of that hour.
    var fromRows: [String: Double] = [:]
    for row in rows where row.chargeCategory == .usage && row.consumedQuantity != nil {
      let option = row.pricingCategory == .dynamic ? PurchaseOption.spot : .onDemand
      fromRows["\(row.hour)|\(row.service!)|\(row.regionId!)|\(row.instanceType!)|\(row.availabilityZone ?? "-")|\(option)", default: 0] +=
        row.consumedQuantity! * hour
    }
    let expected = Self.bruteForceSeconds(fleet.usage).filter { $0.value > 0 }
    #expect(Set(fromRows.keys) == Set(expected.keys))
    for (key, seconds) in expected {
      expectNear(fromRows[key] ?? 0, seconds, "seconds of \(key)", tolerance: 1e-9)
    }
    expectNear(bill.billedInstanceSeconds, expected.values.reduce(0, +), "billed seconds", tolerance: 1e-9)

    // A commitment never covers ineligible usage: wrong region, family, type/zone, period, Spot.
    let reserved = Dictionary(uniqueKeysWithValues: fleet.commitments.reservedInstances.map { ($0.id, $0) })
    let plans = Dictionary(uniqueKeysWithValues: fleet.commitments.savingsPlans.map { ($0.id, $0) })
    func family(_ type: String) -> Substring { type.split(separator: ".")[0] }
    for row in rows where row.commitmentDiscountStatus == .used {
      let id = try #require(row.commitmentDiscountId)
      let type = try #require(row.instanceType)
      #expect(row.pricingCategory == .committed && row.skuId.hasPrefix("BoxUsage"), "no Spot")
      let (start, end): (Double, Double)
      if let ri = reserved[id] {
        #expect(row.regionId == ri.region)
        if let zone = ri.availabilityZone {
          #expect(type == ri.instanceType && row.availabilityZone == zone, "zonal: exact type and zone")
        } else {
          #expect(family(type) == family(ri.instanceType), "regional: same family")
        }
        (start, end) = (ri.startSeconds, ri.effectiveEndSeconds)
      } else {
        let plan = try #require(plans[id])
        if case .ec2Instance(let planFamily, let region) = plan.kind {
          #expect(row.regionId == region && family(type) == planFamily)
        }
        (start, end) = (plan.startSeconds, plan.effectiveEndSeconds)
      }
      #expect(Double(row.hour) * hour < end && Double(row.hour + 1) * hour > start, "inside its term")
    }

    // Commitment rates are below on-demand here, so the effective cost less waste never
    // exceeds the all-on-demand cost, and Spot never costs more than on-demand.
    #expect(bill.effectiveCostUSD - bill.wasteUSD <= bill.listCostUSD * (1 + 1e-12) + 1e-12)
    for report in bill.reservedInstances + bill.savingsPlans {
      #expect(report.usedQuantity <= report.purchasedQuantity * (1 + 1e-12))
      #expect(report.coveredOnDemandEquivalentUSD + 1e-12 >= report.effectiveCostUSD - report.wasteUSD)
    }
    // The hourly breakdown adds up: options and waste to each hour's effective cost, hours
    // to the totals, and each service's hours to its showback usage cost.
    #expect(bill.hourlyBreakdown.count == bill.hourCount)
    for (h, hour) in bill.hourlyBreakdown.enumerated() {
      expectNear(hour.totalUSD, bill.hourlyEffectiveCostUSD[h], "hour \(h) by option", tolerance: 1e-9)
    }
    expectNear(bill.hourlyBreakdown.reduce(0) { $0 + $1.wasteUSD }, bill.wasteUSD, "hourly waste", tolerance: 1e-9)
    expectNear(bill.hourlyBreakdown.reduce(0) { $0 + $1.onDemandUSD }, bill.effective.onDemandUSD, "hourly on-demand", tolerance: 1e-9)
    expectNear(
      bill.hourlyBreakdown.reduce(0) { $0 + $1.coveredOnDemandEquivalentUSD },
      bill.coverage.commitmentCoveredOnDemandEquivalentUSD, "hourly covered", tolerance: 1e-9)
    expectNear(
      bill.hourlyBreakdown.reduce(0) { $0 + $1.eligibleOnDemandEquivalentUSD }, bill.coverage.onDemandOptionListUSD,
      "hourly eligible", tolerance: 1e-9)
    for service in bill.hourlyServiceCosts {
      let row = try #require(bill.showback.services.first { $0.name == service.name })
      #expect(service.usageCostUSD.count == bill.hourCount)
      expectNear(
        service.usageCostUSD.reduce(0, +), row.onDemandCostUSD + row.spotCostUSD + row.coveredCostUSD,
        "hourly cost of \(service.name)", tolerance: 1e-9)
      expectNear(service.allocatedWasteUSD.reduce(0, +), row.allocatedWasteUSD, "hourly waste of \(service.name)", tolerance: 1e-9)
    }

    // Deterministic, whatever the order of the records.
    let shuffled = try FleetBill(
      usage: fleet.usage.reversed(), commitments: fleet.commitments, catalog: catalog,
      savingsPlanRates: fleet.rates, options: options)
    expectNear(shuffled.effectiveCostUSD, bill.effectiveCostUSD, "reversed records")
    #expect(shuffled.showback.services.map(\.name) == bill.showback.services.map(\.name))
  }
}
