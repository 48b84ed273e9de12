import Foundation
import Testing

@testable import Billing

@Suite struct EligibleUsageReaderTests {
  let catalog = try! PriceCatalog.bundled()

  func write(_ text: String, name: String = "usage.csv") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-usage-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test("hourly CSV: instance-type columns become normalized units, family columns stay")
  func hourlyColumns() throws {
    let path = try write("""
      timestamp,m5.large,m5.xlarge,c6i
      2026-03-02T00:00:00Z,2,1,3
      2026-03-02T01:00:00Z,1,0,0.5

      2026-03-02T03:00:00Z,0,2,1
      """)
    let usage = try EligibleUsageReader.read(path: path, catalog: catalog, region: "us-east-1")
    #expect(usage.format == .hourlyColumns)
    #expect(usage.hours == 4)
    #expect(usage.pools.map(\.family) == ["c6i", "m5"])
    // m5: 2 x 4 + 1 x 8 = 16; 1 x 4 = 4; hour 2 missing = 0; 2 x 8 = 16.
    #expect(usage.units[1] == [16, 4, 0, 16])
    #expect(usage.units[0] == [3, 0.5, 0, 1])
    #expect(usage.notes.contains("1 of 4 hours have no rows: counted as zero usage"))
  }

  @Test("FOCUS: only On-Demand EC2 box usage counts; quoted tags are fine")
  func focus() throws {
    let path = try write("""
      ChargePeriodStart,ChargeCategory,PricingCategory,ConsumedQuantity,CommitmentDiscountId,ServiceName,RegionId,SkuId,Tags
      2026-03-02T00:00:00Z,Usage,Standard,2,,Amazon Elastic Compute Cloud,ap-northeast-2,BoxUsage:m5.large,"{""team"":""a,b""}"
      2026-03-02T00:00:00Z,Usage,Committed,5,ri-1,Amazon Elastic Compute Cloud,ap-northeast-2,BoxUsage:m5.large,{}
      2026-03-02T00:00:00Z,Usage,Dynamic,5,,Amazon Elastic Compute Cloud,ap-northeast-2,SpotUsage:m5.large,{}
      2026-03-02T01:00:00Z,Purchase,,1,ri-1,Amazon Elastic Compute Cloud,ap-northeast-2,ReservedInstance,{}
      2026-03-02T01:00:00Z,Usage,Standard,0.5,,Amazon Elastic Compute Cloud,ap-northeast-2,BoxUsage:m5.2xlarge,{}
      """)
    let usage = try EligibleUsageReader.read(path: path, catalog: catalog, region: "ignored")
    #expect(usage.format == .focus)
    #expect(usage.pools == [EligibleUsage.Pool(family: "m5", region: "ap-northeast-2")])
    #expect(usage.units == [[8, 8]])
    #expect(usage.rowsRead == 5 && usage.rowsUsed == 2)
  }

  @Test("CUR 2.0: Usage line items with BoxUsage; covered usage and other OS skipped")
  func cur() throws {
    let path = try write("""
      line_item_usage_start_date,line_item_line_item_type,line_item_usage_type,line_item_usage_amount,product_region_code,product_operating_system
      2026-03-02 00:00:00,Usage,APN2-BoxUsage:c6i.xlarge,3,ap-northeast-2,Linux
      2026-03-02 00:00:00,DiscountedUsage,APN2-BoxUsage:c6i.xlarge,4,ap-northeast-2,Linux
      2026-03-02 00:00:00,Usage,APN2-BoxUsage:c6i.xlarge,4,ap-northeast-2,Windows
      2026-03-02 02:00:00,Usage,APN2-BoxUsage:c6i.large,1,ap-northeast-2,Linux
      """)
    let usage = try EligibleUsageReader.read(path: path, catalog: catalog, region: "")
    #expect(usage.format == .cur)
    #expect(usage.units == [[24, 0, 4]])
    #expect(usage.notes.first?.contains("1 line item type DiscountedUsage") == true)
  }

  @Test("errors name the file, line, column and what was expected")
  func errors() throws {
    let bad = try write("timestamp,m5.large\n2026-03-02T00:00:00Z,two\n")
    #expect(throws: BillingError.malformedCSV(
      file: bad, line: 2, column: 2, field: "m5.large", expected: "a number of hours >= 0", found: "'two'")) {
      try EligibleUsageReader.read(path: bad, catalog: catalog, region: "us-east-1")
    }
    let unknown = try write("timestamp,m5.huge\n")
    #expect(throws: BillingError.self) { try EligibleUsageReader.read(path: unknown, catalog: catalog, region: "us-east-1") }
    let date = try write("timestamp,m5\n03/02/2026,1\n")
    #expect(throws: BillingError.malformedCSV(
      file: date, line: 2, column: 1, field: "timestamp",
      expected: "an ISO 8601 timestamp like 2026-03-02T10:00:00Z", found: "'03/02/2026'")) {
      try EligibleUsageReader.read(path: date, catalog: catalog, region: "us-east-1")
    }
    let empty = try write("timestamp,m5\n")
    #expect(throws: BillingError.self) { try EligibleUsageReader.read(path: empty, catalog: catalog, region: "us-east-1") }
    #expect(throws: BillingError.unreadableFile(path: "/nonexistent/u.csv", reason: "no such file")) {
      try EligibleUsageReader.read(path: "/nonexistent/u.csv", catalog: catalog, region: "us-east-1")
    }
  }

  @Test(
    "usage whose normalized sum would overflow to infinity is an error naming the cell, in every format (fuzzing)",
    arguments: [
      ("timestamp,m5.2xlarge\n2026-03-02T00:00:00Z,1e308\n", 2, 2, "m5.2xlarge"),
      ("""
      ChargePeriodStart,ChargeCategory,ConsumedQuantity,RegionId,SkuId
      2026-03-02T00:00:00Z,Usage,1e300,us-east-1,BoxUsage:m5.large
      """, 2, 3, "ConsumedQuantity"),
      ("""
      line_item_usage_start_date,line_item_line_item_type,line_item_usage_type,line_item_usage_amount,product_region_code
      2026-03-02 00:00:00,Usage,BoxUsage:m5.large,1000000000001,us-east-1
      """, 2, 4, "line_item_usage_amount"),
    ])
  func hugeUsage(csv: String, line: Int, column: Int, field: String) throws {
    let found = csv.split(whereSeparator: \.isNewline)[1].split(separator: ",")[column - 1]
    #expect(throws: BillingError.malformedCSV(
      file: "u.csv", line: line, column: column, field: field, expected: "at most 1e12 hours in one cell",
      found: "'\(found)'")) {
      try EligibleUsageReader.read(csv: csv, fileName: "u.csv", catalog: catalog, region: "us-east-1")
    }
    // The bound itself is accepted, and its sum in normalized units stays finite.
    let atBound = csv.replacingOccurrences(of: String(found), with: "1e12")
    let usage = try EligibleUsageReader.read(csv: atBound, fileName: "u.csv", catalog: catalog, region: "us-east-1")
    #expect(usage.units.allSatisfy { $0.allSatisfy(\.isFinite) })
  }

  @Test("timestamps with offsets and fractions")
  func timestamps() {
    let base = EligibleUsageReader.timestamp("2026-03-02T10:00:00Z")!
    #expect(EligibleUsageReader.timestamp("2026-03-02T19:00:00.000+09:00") == base)
    #expect(EligibleUsageReader.timestamp("2026-03-02T19:00:00.999+0900") == base)  // whole seconds
    #expect(EligibleUsageReader.timestamp("2026-03-02T09:00:00-01") == base)
    #expect(EligibleUsageReader.timestamp("2026-03-02 10:00") == base)
    #expect(EligibleUsageReader.timestamp("2026-03-02T09:59:60Z") == base)  // a leap second
    #expect(EligibleUsageReader.timestamp("2026-03-02")!.timeIntervalSince1970 == 1_772_409_600)  // UTC midnight
    #expect(base.timeIntervalSince1970 == 1_772_445_600)
    #expect(EligibleUsageReader.timestamp("2026-13-02T10:00:00Z") == nil)
    #expect(EligibleUsageReader.timestamp("2026-03-02T10:00:00Zjunk") == nil)
    #expect(EligibleUsageReader.timestamp("2026-03-02t10:00:00z") == nil)  // upper-case designators only
    #expect(EligibleUsageReader.timestamp(" 2026-03-02T10:00:00Z") == nil)
    #expect(EligibleUsageReader.timestamp("1772445600") == nil)
  }

  @Test(
    "impossible dates, offsets and fractions are refused (they were read before the one ISO 8601 parser)",
    arguments: [
      "2026-02-30T10:00:00Z",  // was 2026-03-02
      "2026-04-31",
      "2026-03-02T10:00:00+99:00",  // offsets beyond ±18:00
      "2026-03-02T10:00:00+18:01",
      "2026-03-02T10:00:00+09:75",
      "2026-03-02T10:00:00+09:",  // a colon and no minutes
      "2026-03-02T10:00:00.Z",  // a decimal point and no digits
      "2026-03-02T10:00:00.",
    ])
  func refusedTimestamps(text: String) {
    #expect(EligibleUsageReader.timestamp(text) == nil)
  }
}
