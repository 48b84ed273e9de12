import Foundation
import Testing

@testable import Billing

/// The fixtures in Fixtures/PriceList are in the shape the AWS Billing User Guide documents
/// ("Reading the service price list file for an AWS service" / "... for a Savings Plan"),
/// with the us-east-1 m5 prices of the shipped catalog (2025-04-04) and Savings Plans rates
/// chosen so that the discounts are easy to check by hand:
///
/// | type | On-Demand | Compute 1y NU | Compute 3y AU | EC2 Instance 1y NU |
/// | --- | --- | --- | --- | --- |
/// | m5.large | 0.096 | 0.072 (25 %) | 0.048 (50 %) | 0.066 (31.25 %) |
/// | m5.xlarge | 0.192 | 0.144 (25 %) | 0.0961 (49.947916… %) | 0.132 (31.25 %) |
///
/// The EC2 file also holds products that must not be kept: m5.large on Windows, on
/// dedicated tenancy, as an allocated Capacity Reservation line and with SQL Web, and an
/// EBS volume.
enum PriceListFixture {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/PriceList")
  static var ec2: String { directory.appendingPathComponent("ec2-offer.json").path }
  static var compute: String { directory.appendingPathComponent("compute-savings-plans.json").path }
  static var ec2Instance: String { directory.appendingPathComponent("ec2-instance-savings-plans.json").path }

  static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

  /// The EC2 fixture with `old` replaced by `new` (exactly once).
  static func ec2Data(replacing old: String, with new: String) throws -> Data {
    let text = try self.text(ec2)
    precondition(text.components(separatedBy: old).count == 2, "'\(old)' must occur once in the fixture")
    return Data(text.replacingOccurrences(of: old, with: new).utf8)
  }

  static func imported(regions: Set<String> = []) throws -> PriceListImport {
    try PriceListImport(
      ec2: [EC2OfferFile.load(path: ec2, regions: regions)],
      savingsPlans: [SavingsPlansOfferFile.load(path: compute, regions: regions),
                     SavingsPlansOfferFile.load(path: ec2Instance, regions: regions)])
  }
}

@Suite struct EC2OfferFileTests {
  @Test("keeps only Linux, shared-tenancy, no-software, used-capacity Compute Instances")
  func filtering() throws {
    let offer = try EC2OfferFile.load(path: PriceListFixture.ec2)
    #expect(offer.entries.map(\.key.description) == [
      "m5.large in ap-northeast-2", "m5.large in us-east-1", "m5.xlarge in us-east-1", "r5.24xlarge in us-east-1",
    ])
    #expect(offer.offerCode == "AmazonEC2")
    #expect(offer.version == "20250404224122")
    #expect(offer.publicationDate == "2025-04-04T22:41:22Z")
    #expect(offer.skipped == ["1 Partial Upfront Reserved Instance terms (the catalog has no Partial Upfront columns)"])
  }

  @Test("reads On-Demand, every RI column, the upfront Quantity dimension and the size attributes")
  func pricesOfOneType() throws {
    let offer = try EC2OfferFile.load(path: PriceListFixture.ec2)
    let m5 = try #require(offer.entries.first { $0.region == "us-east-1" && $0.instanceType == "m5.large" })
    var expected = PriceCatalogEntry(
      region: "us-east-1", instanceType: "m5.large", family: "m5", size: "large", category: "General purpose",
      vcpuCount: 2, memoryGiB: 8, normalizationFactor: 4, onDemandUSDPerHour: 0.096)
    expected.standardRIOneYearNoUpfrontUSDPerHour = 0.06
    expected.standardRIThreeYearNoUpfrontUSDPerHour = 0.041
    expected.convertibleRIOneYearNoUpfrontUSDPerHour = 0.071
    expected.convertibleRIThreeYearNoUpfrontUSDPerHour = 0.049
    expected.standardRIOneYearAllUpfrontUSD = 494
    expected.convertibleRIThreeYearAllUpfrontUSD = 1133
    #expect(m5 == expected)
    let r5 = try #require(offer.entries.first { $0.instanceType == "r5.24xlarge" })
    #expect(r5.memoryGiB == 768 && r5.vcpuCount == 96 && r5.normalizationFactor == 192 && r5.onDemandUSDPerHour == 6.048)
    #expect(r5.standardRIOneYearNoUpfrontUSDPerHour == nil && r5.category == "Memory optimized")
  }

  @Test("--region keeps that region's rows only")
  func regionFilter() throws {
    let offer = try EC2OfferFile.load(path: PriceListFixture.ec2, regions: ["ap-northeast-2"])
    #expect(offer.entries.count == 1)
    #expect(offer.entries.first?.onDemandUSDPerHour == 0.118)
  }

  @Test("memory with a thousands separator and sizes without a factor read as AWS writes them")
  func attributeParsing() {
    #expect(EC2OfferFile.Reader.gibibytes("1,952.5 GiB") == 1952.5)
    #expect(EC2OfferFile.Reader.gibibytes("8 GB") == nil)
    #expect(EC2OfferFile.Reader.gibibytes("NA") == nil)
    #expect(EC2OfferFile.Reader.normalizationFactor(size: "24xlarge") == 192)
    #expect(EC2OfferFile.Reader.normalizationFactor(size: "nano") == 0.25)
    #expect(EC2OfferFile.Reader.normalizationFactor(size: "metal") == nil)
  }

  @Test("errors name the file, the JSON path, what was expected and what was found", arguments: [
    // A Savings Plans file given as the EC2 offer file.
    ("SP", "", "at offerCode", "member 'offerCode'"),
    // A non-numeric price.
    ("\"USD\": \"0.0960000000\"", "\"USD\": \"0.096O\"",
     "at terms.OnDemand.7W6DNQ55YG9FCPXZ.7W6DNQ55YG9FCPXZ.JRTCKXETXF.priceDimensions.7W6DNQ55YG9FCPXZ.JRTCKXETXF.6YS6EN2CT7.pricePerUnit.USD",
     "found \"0.096O\""),
    // A missing field of a kept product.
    ("\"vcpu\": \"4\",", "", "at products.4C7N4APU9GEUZ6H6.attributes.vcpu", "found no such member"),
    // An unknown term length.
    ("\"Partial Upfront\"", "\"Some Upfront\"",
     "at terms.Reserved.7W6DNQ55YG9FCPXZ.7W6DNQ55YG9FCPXZ.HU7G6KETJZ.termAttributes.PurchaseOption", "found \"Some Upfront\""),
    // Another offer code.
    ("\"offerCode\": \"AmazonEC2\"", "\"offerCode\": \"AmazonRDS\"", "at offerCode", "found \"AmazonRDS\""),
    // A price that is a JSON number, not a string.
    ("\"USD\": \"0.1920000000\"", "\"USD\": 0.192", "at terms.OnDemand.4C7N4APU9GEUZ6H6", "expected a JSON string"),
    // Not JSON at all.
    ("{\n  \"formatVersion\"", "{\n  formatVersion", "offer.json: expected an AWS Price List EC2 offer file (valid JSON)", "not JSON at line 2, column 3"),
  ])
  func errors(old: String, new: String, path: String, found: String) throws {
    let data: Data
    if old == "SP" {
      data = try Data(contentsOf: URL(fileURLWithPath: PriceListFixture.compute))
    } else {
      data = try PriceListFixture.ec2Data(replacing: old, with: new)
    }
    do {
      _ = try EC2OfferFile(data: data, fileName: "offer.json")
      Issue.record("expected an error")
    } catch let error as BillingError {
      let message = error.description
      #expect(message.hasPrefix("offer.json"), "\(message)")
      #expect(message.contains(path), "\(message)")
      #expect(message.contains(found), "\(message)")
    }
  }
}

@Suite struct SavingsPlansOfferFileTests {
  @Test("keeps EC2 Linux shared-tenancy rates; Windows, dedicated and Fargate rates are skipped")
  func computeRates() throws {
    let file = try SavingsPlansOfferFile.load(path: PriceListFixture.compute)
    #expect(file.rates.map { "\($0.instanceType) \($0.term) \($0.payment) \($0.usdPerHour)" } == [
      "m5.large 1y no-upfront 0.072", "m5.large 3y all-upfront 0.048",
      "m5.xlarge 1y no-upfront 0.144", "m5.xlarge 3y all-upfront 0.0961",
    ])
    #expect(file.rates.allSatisfy { $0.planType == .compute && $0.region == "us-east-1" })
    #expect(file.skipped == ["3 rates of other usage (not EC2 Linux shared tenancy)"])
    #expect(file.version == "20250404183540" && file.regionCode == "us-east-1")
  }

  @Test("EC2 Instance plans read from their own product family")
  func ec2InstanceRates() throws {
    let file = try SavingsPlansOfferFile.load(path: PriceListFixture.ec2Instance)
    #expect(file.rates.map(\.planType) == [.ec2Instance, .ec2Instance])
    #expect(file.rates.map(\.usdPerHour) == [0.066, 0.132])
  }

  @Test("shared-tenancy usage types, with and without a region prefix")
  func usageTypes() {
    #expect(SavingsPlansOfferFile.isSharedBoxUsage("BoxUsage:m5.large"))
    #expect(SavingsPlansOfferFile.isSharedBoxUsage("APN2-BoxUsage:m5.large"))
    #expect(!SavingsPlansOfferFile.isSharedBoxUsage("DedicatedUsage:m5.large"))
    #expect(!SavingsPlansOfferFile.isSharedBoxUsage("USE1-Fargate-vCPU-Hours:perCPU"))
    #expect(!SavingsPlansOfferFile.isSharedBoxUsage("BoxUsage:"))
  }

  @Test("an EC2 offer file given as a Savings Plans file, and a bad rate, are errors at their path")
  func errors() throws {
    let ec2 = try Data(contentsOf: URL(fileURLWithPath: PriceListFixture.ec2))
    #expect {
      try SavingsPlansOfferFile(data: ec2, fileName: "sp.json")
    } throws: { error in
      "\(error)".hasPrefix("sp.json: at products: expected a JSON array")
    }
    let text = try PriceListFixture.text(PriceListFixture.compute)
      .replacingOccurrences(of: "\"price\": \"0.144\"", with: "\"price\": \"-0.144\"")
    #expect {
      try SavingsPlansOfferFile(data: Data(text.utf8), fileName: "sp.json")
    } throws: { error in
      "\(error)" == "sp.json: at terms.savingsPlan[0].rates[1].discountedRate.price: expected a price in USD "
        + "as decimal digits (like \"0.0960000000\"), found \"-0.144\"."
    }
  }
}

@Suite struct PriceListImportTests {
  @Test("the written files load with the existing loaders and hold the fixture's prices")
  func roundTrip() throws {
    let imported = try PriceListFixture.imported()
    let catalog = try PriceCatalog(pricesCSV: imported.pricesCSV(), fileName: "ec2-prices.csv")
    #expect(catalog.entries == imported.entries)
    let m5 = try #require(catalog.entry(region: "us-east-1", instanceType: "m5.large"))
    #expect(m5.onDemandUSDPerHour == 0.096)
    #expect(m5.computeSavingsPlanOneYearNoUpfrontUSDPerHour == 0.072)
    #expect(m5.ec2InstanceSavingsPlanOneYearNoUpfrontUSDPerHour == 0.066)
    #expect(m5.computeSavingsPlanThreeYearNoUpfrontUSDPerHour == nil)  // 3y is All Upfront only
    #expect(m5.convertibleRIThreeYearAllUpfrontUSD == 1133)

    let rates = try SavingsPlanRates(csv: imported.savingsPlanRatesCSV(), fileName: "savings-plan-rates.csv")
    func percent(_ type: SavingsPlanType, _ term: CommitmentTerm, _ payment: PaymentOption) -> Double? {
      rates.discountPercent(planType: type, family: "m5", region: "us-east-1", term: term, payment: payment)
    }
    expectNear(percent(.compute, .oneYear, .noUpfront), 25)
    expectNear(percent(.ec2Instance, .oneYear, .noUpfront), 31.25)
    // The smaller of 50 % (large) and 1 − 0.0961 / 0.192 = 49.947916… % (xlarge).
    expectNear(percent(.compute, .threeYears, .allUpfront), (1 - 0.0961 / 0.192) * 100, tolerance: 1e-12)
    #expect(percent(.compute, .oneYear, .noUpfront) != nil)
    #expect(rates.discountPercentByKey.count == 3)
    #expect(rates.discountPercent(planType: .compute, family: "m5", region: "ap-northeast-2", term: .oneYear, payment: .noUpfront) == nil)
  }

  @Test("an imported catalog prices an m5.large hour as the fixture does: On-Demand, RI and Savings Plans")
  func billsOneHour() throws {
    let imported = try PriceListFixture.imported()
    let catalog = try PriceCatalog(pricesCSV: imported.pricesCSV())
    let rates = try SavingsPlanRates(csv: imported.savingsPlanRatesCSV(), fileName: "rates.csv")
    let usage = [run("m5.large")]
    // On-Demand: 0.096 per hour.
    expectNear(try FleetBill(usage: usage, catalog: catalog).effectiveCostUSD, 0.096)
    // Convertible 3-year All Upfront from the Quantity dimension: 1133 / 26,280 per hour.
    let ri = ReservedInstance(
      id: "ri", instanceType: "m5.large", region: "us-east-1", count: 1, offeringClass: .convertible,
      term: .threeYears, payment: .allUpfront, startSeconds: 0)
    let riBill = try FleetBill(usage: usage, commitments: Commitments(reservedInstances: [ri]), catalog: catalog)
    expectNear(riBill.effective.reservedInstanceUSD, 1133.0 / 26_280)
    expectNear(riBill.effective.onDemandUSD, 0)
    // Compute 1-year No Upfront plan of 0.072 per hour covers the hour at 0.072, from the
    // rates file (25 %) and from the catalog column alone.
    let plan = SavingsPlan(id: "sp", kind: .compute, commitmentUSDPerHour: 0.072, term: .oneYear, startSeconds: 0)
    for spRates in [rates, SavingsPlanRates()] {
      let bill = try FleetBill(usage: usage, commitments: Commitments(savingsPlans: [plan]), catalog: catalog, savingsPlanRates: spRates)
      expectNear(bill.effective.savingsPlanUSD, 0.072)
      expectNear(bill.effective.onDemandUSD, 0)
      expectNear(bill.savingsPlans[0].usedQuantity, 0.072)
    }
  }

  @Test("the same files give byte-identical output, with every source in the provenance note")
  func deterministicWithProvenance() throws {
    let a = try PriceListFixture.imported()
    let b = try PriceListFixture.imported()
    #expect(a.pricesCSV() == b.pricesCSV())
    #expect(a.savingsPlanRatesCSV() == b.savingsPlanRatesCSV())
    #expect(a.provenance() == b.provenance())
    let note = a.provenance()
    #expect(note.contains("| 20250404224122 | 2025-04-04T22:41:22Z | 4 |"))
    #expect(note.contains("| 20250404183540 | 2025-04-04T18:35:40Z | 4 |"))
    #expect(note.contains("| 20250404183540 | 2025-04-04T18:35:40Z | 2 |"))
    #expect(a.pricesCSV().split(separator: "\n").count == 5)
  }

  @Test("the same region and type in two EC2 files is an error")
  func duplicateAcrossFiles() throws {
    let offer = try EC2OfferFile.load(path: PriceListFixture.ec2)
    #expect(throws: BillingError.self) { try PriceListImport(ec2: [offer, offer]) }
  }
}
