import Foundation
import Testing

@testable import Billing

/// A minimal RFC 4180 reader for checking the writer's output (quoted cells, doubled quotes).
func parseCSV(_ text: String) -> [[String]] {
  var rows: [[String]] = []
  var row: [String] = []
  var cell = ""
  var inQuotes = false
  var characters = Array(text)[...]
  while let character = characters.popFirst() {
    if inQuotes {
      if character == "\"" {
        if characters.first == "\"" {
          cell.append("\"")
          characters.removeFirst()
        } else {
          inQuotes = false
        }
      } else {
        cell.append(character)
      }
    } else if character == "\"" {
      inQuotes = true
    } else if character == "," {
      row.append(cell)
      cell = ""
    } else if character == "\n" {
      row.append(cell)
      rows.append(row)
      row = []
      cell = ""
    } else {
      cell.append(character)
    }
  }
  return rows
}

@Suite struct LineItemTests {
  let catalog: PriceCatalog

  init() throws { catalog = try PriceCatalog.bundled() }

  @Test("CSV: the FOCUS header, 36 cells a row, Tags JSON and odd names quoted and read back")
  func csvQuoting() throws {
    let tags = ["team": "pay,ments", "note": "say \"hi\"\nbye", "cost-center": "42"]
    let usage = [
      InstanceUsage(
        instanceType: "m5.large", region: "us-east-1", count: 1, startSeconds: 0, endSeconds: 5_400,
        service: "check\"out, v2", tags: tags, availabilityZone: "us-east-1a")
    ]
    var bytes: [UInt8] = []
    var writer = FOCUSCSVWriter(chunkBytes: 64) { bytes += $0 }
    let bill = try FleetBill(
      usage: usage, commitments: Commitments(reservedInstances: [regionalRI("ri", "m5.large")]),
      catalog: catalog, start: Date(timeIntervalSince1970: 1_735_689_600), lineItems: &writer)
    let table = parseCSV(String(decoding: bytes, as: UTF8.self))
    #expect(table[0] == FOCUSCSVWriter.columns)
    #expect(table.count == 1 + writer.rowCount)
    #expect(table.allSatisfy { $0.count == 36 })
    let column = Dictionary(uniqueKeysWithValues: FOCUSCSVWriter.columns.enumerated().map { ($1, $0) })
    let usageRows = table.dropFirst().filter { $0[column["ChargeCategory"]!] == "Usage" && !$0[column["ConsumedQuantity"]!].isEmpty }
    for row in usageRows {
      #expect(row[column["ResourceName"]!] == "check\"out, v2")
      let json = try JSONSerialization.jsonObject(with: Data(row[column["Tags"]!].utf8)) as? [String: String]
      #expect(json == tags)
      #expect(row[column["ServiceName"]!] == "Amazon Elastic Compute Cloud")
      #expect(row[column["ServiceCategory"]!] == "Compute" && row[column["ProviderName"]!] == "AWS")
      #expect(row[column["AvailabilityZone"]!] == "us-east-1a" && row[column["RegionId"]!] == "us-east-1")
    }
    // Hour 0 covered by the RI, hour 1 half covered and half unused.
    let statuses = table.dropFirst().map { $0[column["CommitmentDiscountStatus"]!] }
    #expect(statuses.filter { $0 == "Used" }.count == 2 && statuses.filter { $0 == "Unused" }.count == 1)
    let billed = table.dropFirst().compactMap { Double($0[column["BilledCost"]!]) }.reduce(0, +)
    expectNear(billed, bill.billedCostUSD)
    let effective = table.dropFirst().compactMap { Double($0[column["EffectiveCost"]!]) }.reduce(0, +)
    expectNear(effective, bill.effectiveCostUSD)
    #expect(table[1][column["ChargePeriodStart"]!] == "2025-01-01T00:00:00Z")
    #expect(table[1][column["CommitmentDiscountType"]!] == "Reserved Instance")
    #expect(table[1][column["CommitmentDiscountCategory"]!] == "Usage")
  }

  @Test("timestamps: charge periods are clock-hours from start; billing periods are UTC months")
  func timestamps() throws {
    // 2024-02-29T23:00:00Z: hour 0 is in February (a leap day), hour 1 in March.
    let start = Date(timeIntervalSince1970: 1_709_247_600)
    var sink = CollectingSink()
    _ = try FleetBill(
      usage: [run("m5.large", from: 0, to: 2 * hour)], catalog: catalog, start: start, lineItems: &sink)
    let text = sink.rows.map {
      [$0.chargePeriodStart, $0.chargePeriodEnd, $0.billingPeriodStart, $0.billingPeriodEnd].map(UTCTime.iso8601)
    }
    #expect(text == [
      ["2024-02-29T23:00:00Z", "2024-03-01T00:00:00Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"],
      ["2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z", "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z"],
    ])
  }

  @Test("UTC formatting and month bounds agree with Foundation on random dates")
  func utcAgainstFoundation() throws {
    var random = SplitMix64(state: 7)
    let formatter = ISO8601DateFormatter()
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    for _ in 0..<2_000 {
      let date = Date(timeIntervalSince1970: Double(Int.random(in: -2_000_000_000...4_000_000_000, using: &random)))
      #expect(UTCTime.iso8601(date) == formatter.string(from: date))
      let month = calendar.dateInterval(of: .month, for: date)!
      let bounds = UTCTime.monthBounds(containing: date)
      #expect(bounds.start == month.start && bounds.end == month.end)
    }
  }

  @Test("streaming: a year of rows passes through a 64 KiB writer; memory holds at most one hour more")
  func streamingMemoryIsFlat() throws {
    // 12 types × 24 h × 365 days, an RI and a plan: several rows per type-hour.
    let types = ["m5.large", "m5.xlarge", "m5.2xlarge", "c5.large", "c5.xlarge", "c5.2xlarge"]
    var usage: [InstanceUsage] = []
    for (index, type) in types.enumerated() {
      for region in ["us-east-1", "eu-west-1"] {
        usage.append(run(type, 1 + index % 3, from: 0, to: 365 * 24 * hour, region: region, service: "s\(index % 2)"))
      }
    }
    let commitments = Commitments(
      reservedInstances: [regionalRI("ri", "m5.large", 3)],
      savingsPlans: [SavingsPlan(id: "sp", kind: .compute, commitmentUSDPerHour: 0.5, term: .oneYear, startSeconds: 0)])
    let rates = try discounts([(.compute, "m5", 20), (.compute, "c5", 25)])
    var written = 0
    var writer = FOCUSCSVWriter(chunkBytes: 1 << 16) { written += $0.count }
    let bill = try FleetBill(
      usage: usage, commitments: commitments, catalog: catalog, savingsPlanRates: rates,
      start: Date(timeIntervalSince1970: 1_735_689_600), lineItems: &writer)
    var totals = LineItemTotals()
    _ = try FleetBill(
      usage: usage, commitments: commitments, catalog: catalog, savingsPlanRates: rates,
      start: Date(timeIntervalSince1970: 1_735_689_600), lineItems: &totals)
    #expect(totals.hourCount == 8_760 && totals.rowCount == writer.rowCount)
    #expect(totals.largestHourRowCount < 40, "one call carries one hour of rows")
    #expect(written == writer.writtenBytes && written > 100 * (1 << 16), "MBs written in chunks")
    // The buffer never held more than a chunk plus one hour of rows (< 40 rows × 1 KB).
    #expect(writer.peakBufferedBytes < (1 << 16) + 40 * 1_024)
    expectNear(totals.effectiveCostUSD, bill.effectiveCostUSD)
    expectNear(totals.billedCostUSD, bill.billedCostUSD)
    expectNear(totals.listCostUSD, bill.listCostUSD)
  }

  @Test("with no usage and no commitments the CSV is the header alone")
  func headerOnly() throws {
    var bytes: [UInt8] = []
    var writer = FOCUSCSVWriter { bytes += $0 }
    _ = try FleetBill(usage: [], catalog: catalog, start: Date(), lineItems: &writer)
    #expect(String(decoding: bytes, as: UTF8.self) == FOCUSCSVWriter.columns.joined(separator: ",") + "\n")
  }
}
