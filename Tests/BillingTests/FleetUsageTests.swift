import Foundation
import Testing

@testable import Billing

/// `FleetUsage` (pools + records, as a simulated fleet bills in a sweep) against the same
/// records written out as `InstanceUsage`: the bills must be equal in every figure, and
/// bad records must fail with the same error.
@Suite struct FleetUsageTests {
  let catalog = PriceCatalog(entries: [
    catalogEntry("m5.large", factor: 4, onDemand: 0.10, riHourly: 0.06),
    catalogEntry("m5.xlarge", factor: 8, onDemand: 0.20, riHourly: 0.12),
    catalogEntry("c6i.large", factor: 4, onDemand: 0.09, riHourly: 0.055),
  ])

  /// Two types, two zones, On-Demand and Spot (pool = (type × 2 + zone) × 2 + spot), one
  /// pool no record names, and records in an order that names pools out of index order.
  static func fleetUsage(seed: UInt64) -> FleetUsage {
    var pools: [FleetUsage.Pool] = []
    for type in ["m5.large", "c6i.large"] {
      for zone in ["us-east-1a", "us-east-1b"] {
        for option in [PurchaseOption.onDemand, .spot] {
          pools.append(.init(instanceType: type, region: "us-east-1", purchaseOption: option, availabilityZone: zone))
        }
      }
    }
    var generator = SplitMix64(state: seed)
    var records: [FleetUsage.Record] = []
    for _ in 0..<400 {
      let start = Double(generator.next() % 200_000) + Double(generator.next() % 1_000) / 1_000
      let length = Double(generator.next() % 20_000) + Double(generator.next() % 1_000) / 1_000
      let pool = Int(generator.next() % 7)  // pool 7 (c6i.large, b, Spot) stays unused
      records.append(.init(pool: pool, count: Int(generator.next() % 4), startSeconds: start, endSeconds: start + length))
    }
    return FleetUsage(service: "orders", tags: ["team": "checkout"], pools: pools, records: records)
  }

  static let options = BillingOptions(horizonHours: 72, spotUSDPerHour: [
    RegionalInstanceType(region: "us-east-1", instanceType: "m5.large"): 0.03,
    RegionalInstanceType(region: "us-east-1", instanceType: "c6i.large"): 0.028,
  ])

  @Test("a FleetUsage is billed exactly as its records written out, commitments, Spot and zones included",
        arguments: [1, 2, 3] as [UInt64])
  func sameBillAsInstanceUsage(seed: UInt64) throws {
    let usage = Self.fleetUsage(seed: seed)
    let commitments = Commitments(
      reservedInstances: [
        regionalRI("ri-m5", "m5.xlarge", 1, start: 3_600 * 5, end: 3_600 * 40),
        zonalRI("ri-c6i-a", "c6i.large", 2, zone: "us-east-1a"),
      ],
      savingsPlans: [SavingsPlan(id: "sp", kind: .compute, commitmentUSDPerHour: 0.05, term: .oneYear, startSeconds: 7_200)])
    let rates = try discounts([(.compute, "m5", 25), (.compute, "c6i", 20)])
    let options = Self.options
    let pooled = try FleetBill(
      usage: usage, commitments: commitments, catalog: catalog, savingsPlanRates: rates, options: options)
    let written = try FleetBill(
      usage: usage.instanceUsage, commitments: commitments, catalog: catalog, savingsPlanRates: rates, options: options)
    #expect(pooled == written)
    // And the bill is not empty: the records reached every part of it.
    #expect(pooled.billed.spotUSD > 0 && pooled.billed.onDemandUSD > 0)
    #expect(pooled.reservedInstances.allSatisfy { $0.usedQuantity > 0 })
    #expect(pooled.savingsPlans[0].usedQuantity > 0)
    #expect(pooled.instanceStarts == usage.records.reduce(0) { $0 + $1.count })
  }

  @Test("a bad record fails as the same record written out does; a pool index out of range is an error naming it")
  func errors() throws {
    var usage = Self.fleetUsage(seed: 4)
    func errorText(_ body: () throws -> FleetBill) -> String? {
      do {
        _ = try body()
        return nil
      } catch {
        return "\(error)"
      }
    }
    usage.records[17].endSeconds = usage.records[17].startSeconds - 1
    let written = errorText { try FleetBill(usage: usage.instanceUsage, catalog: catalog, options: Self.options) }
    #expect(written != nil)
    #expect(errorText { try FleetBill(usage: usage, catalog: catalog, options: Self.options) } == written)

    usage = Self.fleetUsage(seed: 4)
    usage.pools[usage.records[5].pool].availabilityZone = "eu-west-1a"
    let wrongZone = errorText { try FleetBill(usage: usage.instanceUsage, catalog: catalog, options: Self.options) }
    #expect(wrongZone?.contains("availabilityZone") == true)
    #expect(errorText { try FleetBill(usage: usage, catalog: catalog, options: Self.options) } == wrongZone)

    usage = Self.fleetUsage(seed: 4)
    usage.records[9].pool = usage.pools.count
    let message = try #require(errorText { try FleetBill(usage: usage, catalog: catalog, options: Self.options) })
    #expect(message.hasPrefix("usage record 9 (0-based): pool should be an index into the 8 pools"), "\(message)")
  }
}
