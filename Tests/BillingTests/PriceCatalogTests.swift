import Foundation
import Numerics
import Testing

@testable import Billing

/// Expected values are read by hand from Resources/ec2-prices.csv and spot-interruption.csv
/// (and the README's cross-checks), not from the loader.
@Suite struct BundledCatalogTests {
  let catalog: PriceCatalog

  init() throws { catalog = try PriceCatalog.bundled() }

  @Test("the bundled catalog has every row of both files and the 8 regions")
  func rowCounts() {
    #expect(catalog.entries.count == 1699)
    #expect(catalog.spotAdvisorEntries.count == 1711)
    #expect(
      catalog.regions == [
        "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "eu-central-1", "eu-west-1",
        "us-east-1", "us-east-2", "us-west-2",
      ])
  }

  @Test(
    "on-demand prices match the CSV cells",
    arguments: [
      ("us-east-1", "m5.large", 0.096),
      ("ap-northeast-2", "m5.large", 0.118),
      ("us-east-1", "c5.xlarge", 0.17),
      ("ap-northeast-2", "r6i.2xlarge", 0.608),
      ("us-east-1", "t3.micro", 0.0104),
      ("us-east-1", "m6a.large", 0.0864),
    ])
  func onDemandPrice(region: String, instanceType: String, usdPerHour: Double) throws {
    let price = try catalog.onDemandUSDPerHour(region: region, instanceType: instanceType)
    #expect(price == usdPerHour)
  }

  @Test("us-east-1 m5.large carries specs and RI rates; empty cells are nil, not zero")
  func fullEntry() throws {
    let entry = try #require(catalog.entry(region: "us-east-1", instanceType: "m5.large"))
    var expected = PriceCatalogEntry(
      region: "us-east-1", instanceType: "m5.large", family: "m5", size: "large",
      category: "General purpose", vcpuCount: 2, memoryGiB: 8, normalizationFactor: 4,
      onDemandUSDPerHour: 0.096)
    expected.standardRIOneYearNoUpfrontUSDPerHour = 0.06
    expected.standardRIThreeYearNoUpfrontUSDPerHour = 0.041
    expected.convertibleRIOneYearNoUpfrontUSDPerHour = 0.071
    expected.convertibleRIThreeYearNoUpfrontUSDPerHour = 0.049
    #expect(entry == expected)
    #expect(entry.spotAverageUSDPerHour == nil)
    #expect(entry.standardRIOneYearAllUpfrontUSD == nil)
    #expect(entry.computeSavingsPlanOneYearNoUpfrontUSDPerHour == nil)
    #expect(entry.ec2InstanceSavingsPlanThreeYearNoUpfrontUSDPerHour == nil)
  }

  @Test("t3.micro has a fractional normalization factor and memory")
  func smallSizes() throws {
    let entry = try #require(catalog.entry(region: "ap-northeast-2", instanceType: "t3.micro"))
    #expect(entry.normalizationFactor == 0.5)
    #expect(entry.memoryGiB == 1)
    #expect(entry.onDemandUSDPerHour == 0.013)
  }

  @Test("a type missing in one region names the region, the type and where it does exist")
  func missingInRegion() throws {
    let error = #expect(throws: BillingError.self) {
      try catalog.onDemandUSDPerHour(region: "ap-northeast-2", instanceType: "m6a.large")
    }
    let others = [
      "ap-northeast-1", "ap-southeast-1", "eu-central-1", "eu-west-1", "us-east-1", "us-east-2",
      "us-west-2",
    ]
    #expect(
      error
        == .missingPrice(
          region: "ap-northeast-2", instanceType: "m6a.large", regionsOfferingType: others))
    #expect(
      error?.description
        == "no price for m6a.large in ap-northeast-2: expected a catalog row with region "
        + "'ap-northeast-2' and instance_type 'm6a.large', found m6a.large only in "
        + "ap-northeast-1, ap-southeast-1, eu-central-1, eu-west-1, us-east-1, us-east-2, "
        + "us-west-2.")
  }

  @Test("a type that exists nowhere says so")
  func missingEverywhere() throws {
    let error = #expect(throws: BillingError.self) {
      try catalog.onDemandUSDPerHour(region: "us-east-1", instanceType: "t3.4xlarge")
    }
    #expect(
      error?.description
        == "no price for t3.4xlarge in us-east-1: expected a catalog row with region "
        + "'us-east-1' and instance_type 't3.4xlarge', found no row for t3.4xlarge in any region.")
  }

  @Test("an unknown region lists all regions that have the type")
  func unknownRegion() {
    #expect(throws: BillingError.missingPrice(
      region: "mars-1", instanceType: "m5.large", regionsOfferingType: catalog.regions)) {
      try catalog.onDemandUSDPerHour(region: "mars-1", instanceType: "m5.large")
    }
  }

  @Test("Spot Advisor rows: bucket, label and savings as in the CSV; absent rows are nil")
  func spotAdvisor() throws {
    #expect(
      catalog.spotAdvisor(region: "us-east-1", instanceType: "m5.large")
        == SpotAdvisorEntry(
          region: "us-east-1", instanceType: "m5.large", interruptionBucket: 3,
          interruptionFrequencyLabel: "15-20%", interruptionMaxPercent: 22,
          savingsVersusOnDemandPercent: 66))
    let seoul = try #require(catalog.spotAdvisor(region: "ap-northeast-2", instanceType: "m5.large"))
    #expect(seoul.interruptionBucket == 1)
    #expect(seoul.interruptionFrequencyLabel == "5-10%")
    #expect(seoul.savingsVersusOnDemandPercent == 68)
    #expect(catalog.spotAdvisor(region: "ap-northeast-2", instanceType: "m6a.large") == nil)
  }

  @Test("load(path:) reads a user's files and names a missing path")
  func loadFromPath() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("capsim-billing-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let prices = directory.appendingPathComponent("prices.csv").path
    try Data(CatalogTextTests.small.utf8).write(to: URL(fileURLWithPath: prices))
    let loaded = try PriceCatalog.load(path: prices)
    #expect(try loaded.onDemandUSDPerHour(region: "us-east-1", instanceType: "m5.large") == 0.096)
    #expect(loaded.spotAdvisorEntries.isEmpty)

    let missing = directory.appendingPathComponent("nope.csv").path
    let error = #expect(throws: BillingError.self) { try PriceCatalog.load(path: missing) }
    #expect(error?.description == "\(missing): expected a readable UTF-8 CSV file, found no file at that path.")
  }
}

@Suite struct CatalogTextTests {
  static let header =
    "region,instance_type,family,size,vcpu,memory_gib,normalization_factor,od_linux_hourly"
  static let small = """
    \(header)
    us-east-1,m5.large,m5,large,2,8,4,0.096
    ap-northeast-2,m5.large,m5,large,2,8,4,0.118

    """

  func parse(_ text: String) throws -> PriceCatalog {
    try PriceCatalog(pricesCSV: text, fileName: "test.csv")
  }

  @Test("column order does not matter; optional columns may be absent or empty")
  func columnOrder() throws {
    let catalog = try parse(
      """
      ri_std_1y_noupfront_hourly,od_linux_hourly,size,region,memory_gib,instance_type,vcpu,normalization_factor,family
      0.06,0.096,large,us-east-1,8,m5.large,2,4,m5
      ,0.17,xlarge,us-east-1,8,c5.xlarge,4,8,c5
      """)
    let m5 = try #require(catalog.entry(region: "us-east-1", instanceType: "m5.large"))
    #expect(m5.onDemandUSDPerHour == 0.096)
    #expect(m5.standardRIOneYearNoUpfrontUSDPerHour == 0.06)
    #expect(m5.vcpuCount == 2 && m5.memoryGiB == 8 && m5.normalizationFactor == 4)
    #expect(m5.family == "m5" && m5.size == "large" && m5.category == nil)
    let c5 = try #require(catalog.entry(region: "us-east-1", instanceType: "c5.xlarge"))
    #expect(c5.onDemandUSDPerHour == 0.17)
    #expect(c5.standardRIOneYearNoUpfrontUSDPerHour == nil)
    #expect(c5.standardRIThreeYearNoUpfrontUSDPerHour == nil)
  }

  @Test("CRLF line ends and a byte-order mark are accepted")
  func windowsText() throws {
    let text = "\u{FEFF}" + Self.small.replacingOccurrences(of: "\n", with: "\r\n")
    let catalog = try parse(text)
    #expect(try catalog.onDemandUSDPerHour(region: "ap-northeast-2", instanceType: "m5.large") == 0.118)
  }

  @Test("a missing required column is an error on line 1 naming the column")
  func missingColumn() throws {
    let error = #expect(throws: BillingError.self) {
      try parse(
        """
        region,instance_type,family,size,vcpu,memory_gib,normalization_factor
        us-east-1,m5.large,m5,large,2,8,4
        """)
    }
    #expect(
      error?.description
        == "test.csv:1 (column 'od_linux_hourly'): expected a header with required column "
        + "'od_linux_hourly', found columns region, instance_type, family, size, vcpu, "
        + "memory_gib, normalization_factor.")
  }

  @Test("a non-number in a price cell names line, column number and column name")
  func notANumber() throws {
    let error = #expect(throws: BillingError.self) {
      try parse(
        """
        \(Self.header)
        us-east-1,m5.large,m5,large,2,8,4,0.096
        us-east-1,m5.xlarge,m5,xlarge,4,16,8,0.1g2
        """)
    }
    #expect(
      error
        == .malformedCSV(
          file: "test.csv", line: 3, column: 8, field: "od_linux_hourly",
          expected: "a non-negative number (USD per hour)", found: "'0.1g2'"))
    #expect(
      error?.description
        == "test.csv:3:8 (column 'od_linux_hourly'): expected a non-negative number "
        + "(USD per hour), found '0.1g2'.")
  }

  @Test(
    "prices that parse as Double but are not prices are rejected",
    arguments: ["nan", "inf", "-0.5", "0x1p3", " 0.1"])
  func notAPrice(cell: String) throws {
    #expect(throws: BillingError.malformedCSV(
      file: "test.csv", line: 2, column: 8, field: "od_linux_hourly",
      expected: "a non-negative number (USD per hour)", found: "'\(cell)'")) {
      try parse("\(Self.header)\nus-east-1,m5.large,m5,large,2,8,4,\(cell)\n")
    }
  }

  @Test("an empty required cell is an error, never zero")
  func emptyRequiredCell() throws {
    let error = #expect(throws: BillingError.self) {
      try parse("\(Self.header)\nus-east-1,m5.large,m5,large,2,8,4,\n")
    }
    #expect(
      error?.description
        == "test.csv:2:8 (column 'od_linux_hourly'): expected a non-negative number "
        + "(USD per hour), found an empty cell.")
  }

  @Test("a row with the wrong number of cells names its line and both counts")
  func wrongColumnCount() throws {
    let error = #expect(throws: BillingError.self) {
      try parse("\(Self.header)\nus-east-1,m5.large,m5,large,2,8,0.096\n")
    }
    #expect(error?.description == "test.csv:2: expected 8 cells like the header, found 7 cells.")
  }

  @Test("quotes, unknown or repeated columns and duplicate rows are rejected")
  func otherMalformations() throws {
    let quoted = #expect(throws: BillingError.self) {
      try parse("\(Self.header)\n\"us-east-1\",m5.large,m5,large,2,8,4,0.096\n")
    }
    #expect(quoted?.description == "test.csv:2: expected unquoted comma-separated cells, found a double quote.")

    let unknown = #expect(throws: BillingError.self) {
      try parse("\(Self.header),ri_std_1y_noupfront_hourli\nus-east-1,m5.large,m5,large,2,8,4,0.096,0.06\n")
    }
    guard case .malformedCSV(_, 1, 9, "ri_std_1y_noupfront_hourli", _, _)? = unknown else {
      Issue.record("unexpected \(String(describing: unknown))")
      return
    }

    #expect(throws: BillingError.malformedCSV(
      file: "test.csv", line: 1, column: 9, field: "region",
      expected: "each column once", found: "'region' again (first in column 1)")) {
      try parse("\(Self.header),region\nus-east-1,m5.large,m5,large,2,8,4,0.096,us-east-1\n")
    }

    #expect(throws: BillingError.malformedCSV(
      file: "test.csv", line: 4, column: nil, field: nil,
      expected: "one row per region and instance type",
      found: "m5.large in us-east-1 again (first on line 2)")) {
      try parse(Self.small + "us-east-1,m5.large,m5,large,2,8,4,0.1\n")
    }

    #expect(throws: BillingError.malformedCSV(
      file: "test.csv", line: 1, column: nil, field: nil,
      expected: "a header line naming the columns", found: "an empty file")) {
      try parse("")
    }
  }

  @Test("Spot Advisor text is checked the same way: bucket range and OS")
  func spotAdvisorText() throws {
    let spotHeader = "region,instance_type,os,interruption_bucket,interruption_frequency,savings_vs_od_pct"
    let catalog = try PriceCatalog(
      pricesCSV: Self.small, spotAdvisorCSV: "\(spotHeader)\nus-east-1,m5.large,Linux,0,<5%,40\n")
    let entry = try #require(catalog.spotAdvisor(region: "us-east-1", instanceType: "m5.large"))
    #expect(entry.interruptionBucket == 0 && entry.interruptionMaxPercent == nil)
    #expect(entry.savingsVersusOnDemandPercent == 40)

    #expect(throws: BillingError.malformedCSV(
      file: "spot-interruption.csv", line: 2, column: 4, field: "interruption_bucket",
      expected: "an integer 0...4", found: "'5'")) {
      try PriceCatalog(
        pricesCSV: Self.small, spotAdvisorCSV: "\(spotHeader)\nus-east-1,m5.large,Linux,5,x,40\n")
    }
    #expect(throws: BillingError.malformedCSV(
      file: "spot-interruption.csv", line: 2, column: 3, field: "os",
      expected: "Linux (the catalog prices Linux only)", found: "'Windows'")) {
      try PriceCatalog(
        pricesCSV: Self.small,
        spotAdvisorCSV: "\(spotHeader)\nus-east-1,m5.large,Windows,0,<5%,40\n")
    }
  }
}
