import Foundation

/// The EC2 price list offer file of the AWS Price List Bulk API
/// (`offers/v1.0/aws/AmazonEC2/current/<region>/index.json`, or the all-regions
/// `current/index.json`), read into catalog rows: one ``PriceCatalogEntry`` per (region,
/// instance type) with its On-Demand and Reserved Instance prices.
///
/// ```swift
/// let offer = try EC2OfferFile.load(path: "us-east-1.json", regions: ["us-east-1"])
/// offer.entries.first?.onDemandUSDPerHour   // from terms.OnDemand, unit Hrs
/// ```
///
/// Shape read (AWS Billing User Guide, "Reading the service price list file for an AWS
/// service"): `offerCode`, `version`, `publicationDate`; `products` maps an SKU to
/// `{sku, productFamily, attributes}`; `terms.OnDemand` and `terms.Reserved` map an SKU to
/// offer terms (`<sku>.<offerTermCode>`) with `priceDimensions` (`unit` `Hrs` or
/// `Quantity`, `pricePerUnit.USD`) and, for Reserved, `termAttributes`
/// (`LeaseContractLength` `1yr`/`3yr`, `OfferingClass` `standard`/`convertible`,
/// `PurchaseOption` `No Upfront`/`Partial Upfront`/`All Upfront`).
///
/// **What is kept** is the price the catalog means (Linux/UNIX, shared tenancy, no
/// pre-installed software): products with `productFamily` "Compute Instance", `tenancy`
/// "Shared", `operatingSystem` "Linux", `preInstalledSw` "NA", `capacitystatus` "Used"
/// (not the unused and allocated Capacity Reservation lines) and `licenseModel` "No License
/// required". Everything else is skipped without being checked beyond its JSON shape.
/// Partial Upfront RIs have no catalog column and are counted in ``skipped``.
///
/// Errors name the file and the JSON path; nothing in a kept product is defaulted.
public struct EC2OfferFile: Sendable {
  /// The path or name the file was read from.
  public var fileName: String
  /// `offerCode`: `AmazonEC2` for this file.
  public var offerCode: String
  /// `version`, e.g. `20250404224122`.
  public var version: String
  /// `publicationDate`, e.g. `2025-04-04T22:41:22Z`.
  public var publicationDate: String
  /// Kept rows, sorted by region then instance type; Savings Plans columns empty.
  public var entries: [PriceCatalogEntry]
  /// What was read but not kept, with counts ("3 Partial Upfront Reserved Instance terms").
  public var skipped: [String]

  /// Reads the offer file at `path`; `regions` (empty = all) limits the rows kept.
  public static func load(path: String, regions: Set<String> = []) throws -> EC2OfferFile {
    try EC2OfferFile(data: OfferFileDecoding.readData(path: path), fileName: path, regions: regions)
  }

  /// Reads offer file bytes; `fileName` names them in errors.
  /// - Throws: `BillingError.malformedOfferFile` at the JSON path of the first problem.
  /// - Complexity: O(n) in the size of the file; the decoded document is held in memory.
  public init(data: Data, fileName: String, regions: Set<String> = []) throws {
    let raw = try OfferFileDecoding.decode(
      Document.self, from: data, fileName: fileName, what: "an AWS Price List EC2 offer file")
    guard raw.offerCode == "AmazonEC2" else {
      throw BillingError.malformedOfferFile(
        file: fileName, path: "offerCode",
        expected: "\"AmazonEC2\" (the EC2 offer file; Savings Plans files go to --savings-plans)",
        found: "\"\(OfferFileDecoding.clip(raw.offerCode))\"")
    }
    self.fileName = fileName
    self.offerCode = raw.offerCode
    self.version = raw.version
    self.publicationDate = raw.publicationDate
    var reader = Reader(fileName: fileName, regions: regions)
    (entries, skipped) = try reader.entries(from: raw)
  }

  // MARK: - The decoded shape (only what capsim reads)

  /// The document, with terms decoded only for products ``Product/isKept``: the terms are
  /// most of the file (a dozen per product), and decoding the few percent that are kept
  /// instead of all of them made the reader several times faster (docs/prices.md). Every
  /// product is still decoded, and the whole text is still checked to be JSON.
  struct Document: Decodable {
    var offerCode: String
    var version: String
    var publicationDate: String
    var products: [String: Product]
    var terms: Terms

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: OfferFileKey.self)
      offerCode = try container.decode(String.self, forKey: OfferFileKey("offerCode"))
      version = try container.decode(String.self, forKey: OfferFileKey("version"))
      publicationDate = try container.decode(String.self, forKey: OfferFileKey("publicationDate"))
      let products = try container.decode([String: Product].self, forKey: OfferFileKey("products"))
      self.products = products
      let kept = products.filter { $0.value.isKept }.map(\.key).sorted()
      let termsContainer = try container.nestedContainer(keyedBy: OfferFileKey.self, forKey: OfferFileKey("terms"))
      func termsOfKept(_ name: String) throws -> [String: [String: Term]]? {
        guard termsContainer.contains(OfferFileKey(name)) else { return nil }
        let byProduct = try termsContainer.nestedContainer(keyedBy: OfferFileKey.self, forKey: OfferFileKey(name))
        var result: [String: [String: Term]] = [:]
        for sku in kept {
          result[sku] = try byProduct.decodeIfPresent([String: Term].self, forKey: OfferFileKey(sku))
        }
        return result
      }
      self.terms = Terms(OnDemand: try termsOfKept("OnDemand"), Reserved: try termsOfKept("Reserved"))
    }
  }

  struct Product: Decodable {
    var sku: String
    var productFamily: String?
    var attributes: Attributes?

    /// Linux/UNIX, shared tenancy, no pre-installed software, used capacity: the price the
    /// catalog means.
    var isKept: Bool {
      guard productFamily == "Compute Instance", let a = attributes else { return false }
      return a.tenancy == "Shared" && a.operatingSystem == "Linux" && a.preInstalledSw == "NA"
        && a.capacitystatus == "Used" && a.licenseModel == "No License required"
    }
  }

  struct Attributes: Decodable {
    var instanceType: String?
    var instanceFamily: String?
    var regionCode: String?
    var location: String?
    var operatingSystem: String?
    var tenancy: String?
    var preInstalledSw: String?
    var capacitystatus: String?
    var licenseModel: String?
    var vcpu: String?
    var memory: String?
    var normalizationSizeFactor: String?
  }

  struct Terms: Decodable {
    var OnDemand: [String: [String: Term]]?
    var Reserved: [String: [String: Term]]?
  }

  struct Term: Decodable {
    var priceDimensions: [String: PriceDimension]
    /// `{}` on On-Demand terms.
    var termAttributes: TermAttributes?
  }

  struct TermAttributes: Decodable {
    var LeaseContractLength: String?
    var OfferingClass: String?
    var PurchaseOption: String?
  }

  struct PriceDimension: Decodable {
    var unit: String
    var pricePerUnit: [String: String]
  }
}

extension EC2OfferFile {
  /// Filters products and turns their terms into catalog rows.
  struct Reader {
    var fileName: String
    var regions: Set<String>
    var skippedCounts: [String: Int] = [:]

    init(fileName: String, regions: Set<String>) {
      self.fileName = fileName
      self.regions = regions
    }

    func fail(_ path: String, _ expected: String, _ found: String) -> BillingError {
      .malformedOfferFile(file: fileName, path: path, expected: expected, found: found)
    }

    mutating func skip(_ what: String) { skippedCounts[what, default: 0] += 1 }

    mutating func entries(from raw: Document) throws -> ([PriceCatalogEntry], [String]) {
      var skuByKey: [RegionalInstanceType: String] = [:]
      var entries: [PriceCatalogEntry] = []
      // Sorted SKUs: the first duplicate reported does not depend on dictionary order.
      for sku in raw.products.keys.sorted() {
        let product = raw.products[sku]!
        guard product.isKept, let a = product.attributes else { continue }
        let at = "products.\(sku).attributes"
        let region = try required(a.regionCode, "\(at).regionCode", "the region code, like \"us-east-1\"")
        guard regions.isEmpty || regions.contains(region) else { continue }
        var entry = try catalogEntry(a, region: region, at: at)
        let key = entry.key
        if let other = skuByKey.updateValue(sku, forKey: key) {
          throw fail(
            "products.\(sku)", "one Linux, shared-tenancy, used-capacity product per region and instance type",
            "\(key) also in product \(other)")
        }
        guard let onDemand = raw.terms.OnDemand?[sku] else {
          skip("products without an On-Demand term")
          skuByKey[key] = nil
          continue
        }
        entry.onDemandUSDPerHour = try onDemandPrice(onDemand, sku: sku)
        for (code, term) in (raw.terms.Reserved?[sku] ?? [:]).sorted(by: { $0.key < $1.key }) {
          try apply(term, to: &entry, at: "terms.Reserved.\(sku).\(code)")
        }
        entries.append(entry)
      }
      entries.sort { $0.key < $1.key }
      let notes = skippedCounts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
      return (entries, notes)
    }

    func required(_ value: String?, _ path: String, _ expected: String) throws -> String {
      guard let value, !value.isEmpty else { throw fail(path, expected, value == nil ? "no such member" : "\"\"") }
      return value
    }

    /// Size and identity of a kept product; prices are filled by the caller.
    func catalogEntry(_ a: Attributes, region: String, at: String) throws -> PriceCatalogEntry {
      let type = try required(a.instanceType, "\(at).instanceType", "an instance type like \"m5.large\"")
      let parts = type.split(separator: ".", maxSplits: 1)
      guard parts.count == 2, type.utf8.allSatisfy(Self.isNameByte) else {
        throw fail(
          "\(at).instanceType", "a family and size like \"m5.large\" (letters, digits, '-', '.')",
          "\"\(OfferFileDecoding.clip(type))\"")
      }
      guard region.utf8.allSatisfy(Self.isNameByte) else {
        throw fail(
          "\(at).regionCode", "a region code like \"us-east-1\" (letters, digits, '-')",
          "\"\(OfferFileDecoding.clip(region))\"")
      }
      let vcpuText = try required(a.vcpu, "\(at).vcpu", "a vCPU count")
      guard let vcpu = Int(vcpuText), vcpu >= 1 else {
        throw fail("\(at).vcpu", "a vCPU count of 1 or more", "\"\(OfferFileDecoding.clip(vcpuText))\"")
      }
      let memoryText = try required(a.memory, "\(at).memory", "memory like \"8 GiB\"")
      let memory = try Self.gibibytes(memoryText).orThrow(
        fail("\(at).memory", "memory like \"8 GiB\" or \"1,952.5 GiB\"", "\"\(OfferFileDecoding.clip(memoryText))\""))
      let size = String(parts[1])
      let normalization: Double
      if let text = a.normalizationSizeFactor, text != "NA" {
        guard let value = Double(text), value.isFinite, value > 0,
          text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") })
        else {
          throw fail("\(at).normalizationSizeFactor", "a number above 0", "\"\(OfferFileDecoding.clip(text))\"")
        }
        normalization = value
      } else if let value = Self.normalizationFactor(size: size) {
        normalization = value
      } else {
        throw fail(
          "\(at).normalizationSizeFactor",
          "a normalization factor (AWS gives one for every current type; none can be derived for size \(size))",
          a.normalizationSizeFactor.map { "\"\($0)\"" } ?? "no such member")
      }
      // A category with a comma or quote could not be written to the catalog CSV unquoted.
      let category = a.instanceFamily.flatMap { $0.contains(",") || $0.contains("\"") || $0.isEmpty ? nil : $0 }
      return PriceCatalogEntry(
        region: region, instanceType: type, family: String(parts[0]), size: size, category: category,
        vcpuCount: vcpu, memoryGiB: memory, normalizationFactor: normalization, onDemandUSDPerHour: 0)
    }

    /// The one `Hrs` price of the SKU's On-Demand term.
    func onDemandPrice(_ terms: [String: Term], sku: String) throws -> Double {
      guard terms.count == 1, let (code, term) = terms.first else {
        throw fail(
          "terms.OnDemand.\(sku)", "one On-Demand offer term", "\(terms.count) (\(terms.keys.sorted().joined(separator: ", ")))")
      }
      let at = "terms.OnDemand.\(sku).\(code)"
      let dimensions = try priced(term, at: at)
      guard dimensions.count == 1, let hourly = dimensions.first, hourly.unit == "Hrs" else {
        throw fail(
          "\(at).priceDimensions", "one price dimension with unit \"Hrs\"",
          dimensions.map { "\"\($0.unit)\"" }.joined(separator: ", "))
      }
      return hourly.usd
    }

    /// Validated dimensions of a term: unit and USD price, in rate-code order.
    func priced(_ term: Term, at: String) throws -> [(unit: String, usd: Double)] {
      try term.priceDimensions.sorted { $0.key < $1.key }.map { code, dimension in
        let path = "\(at).priceDimensions.\(code).pricePerUnit.USD"
        guard let text = dimension.pricePerUnit["USD"] else {
          throw fail(path, "a USD price", "no such member")
        }
        return (dimension.unit, try OfferFileDecoding.price(text, fileName: fileName, path: path))
      }
    }

    /// One Reserved Instance term into its catalog column.
    mutating func apply(_ term: Term, to entry: inout PriceCatalogEntry, at: String) throws {
      let attributes = term.termAttributes
      let lengthText = attributes?.LeaseContractLength
      let classText = attributes?.OfferingClass
      let paymentText = attributes?.PurchaseOption
      let terms: [String: CommitmentTerm] = ["1yr": .oneYear, "3yr": .threeYears]
      let classes: [String: OfferingClass] = ["standard": .standard, "convertible": .convertible]
      let payments: [String: PaymentOption] = [
        "No Upfront": .noUpfront, "Partial Upfront": .partialUpfront, "All Upfront": .allUpfront,
      ]
      func attribute<T>(_ text: String?, _ table: [String: T], _ name: String) throws -> T {
        guard let text, let value = table[text] else {
          throw fail(
            "\(at).termAttributes.\(name)", "one of " + table.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", "),
            text.map { "\"\(OfferFileDecoding.clip($0))\"" } ?? "no such member")
        }
        return value
      }
      let length = try attribute(lengthText, terms, "LeaseContractLength")
      let offering = try attribute(classText, classes, "OfferingClass")
      let payment = try attribute(paymentText, payments, "PurchaseOption")
      let dimensions = try priced(term, at: at)
      var hourly: Double?
      var upfront: Double?
      for dimension in dimensions {
        switch dimension.unit {
        case "Hrs" where hourly == nil: hourly = dimension.usd
        case "Quantity" where upfront == nil: upfront = dimension.usd
        default:
          throw fail(
            "\(at).priceDimensions", "at most one dimension with unit \"Hrs\" and one with \"Quantity\"",
            dimensions.map { "\"\($0.unit)\"" }.joined(separator: ", "))
        }
      }
      switch payment {
      case .noUpfront:
        guard let hourly, upfront ?? 0 == 0 else {
          throw fail("\(at).priceDimensions", "a No Upfront term: an \"Hrs\" price and no upfront fee",
                     "hourly \(hourly.map { "\($0)" } ?? "none"), upfront \(upfront.map { "\($0)" } ?? "none")")
        }
        switch (offering, length) {
        case (.standard, .oneYear): entry.standardRIOneYearNoUpfrontUSDPerHour = hourly
        case (.standard, .threeYears): entry.standardRIThreeYearNoUpfrontUSDPerHour = hourly
        case (.convertible, .oneYear): entry.convertibleRIOneYearNoUpfrontUSDPerHour = hourly
        case (.convertible, .threeYears): entry.convertibleRIThreeYearNoUpfrontUSDPerHour = hourly
        }
      case .allUpfront:
        guard let upfront, hourly ?? 0 == 0 else {
          throw fail("\(at).priceDimensions", "an All Upfront term: a \"Quantity\" fee and no hourly price above 0",
                     "upfront \(upfront.map { "\($0)" } ?? "none"), hourly \(hourly.map { "\($0)" } ?? "none")")
        }
        switch (offering, length) {
        case (.standard, .oneYear): entry.standardRIOneYearAllUpfrontUSD = upfront
        case (.standard, .threeYears): entry.standardRIThreeYearAllUpfrontUSD = upfront
        case (.convertible, .oneYear): entry.convertibleRIOneYearAllUpfrontUSD = upfront
        case (.convertible, .threeYears): entry.convertibleRIThreeYearAllUpfrontUSD = upfront
        }
      case .partialUpfront:
        skip("Partial Upfront Reserved Instance terms (the catalog has no Partial Upfront columns)")
      }
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
        true
      default: false
      }
    }

    /// `"8 GiB"` -> 8, `"1,952.5 GiB"` -> 1952.5; nil for anything else.
    static func gibibytes(_ text: String) -> Double? {
      guard text.hasSuffix(" GiB") else { return nil }
      let number = text.dropLast(4).filter { $0 != "," }
      guard !number.isEmpty, number.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") }),
        let value = Double(number), value.isFinite
      else { return nil }
      return value
    }

    /// AWS's instance size flexibility table (nano 0.25 ... xlarge 8, `Nxlarge` 8 N); nil
    /// for sizes it does not name (metal).
    static func normalizationFactor(size: String) -> Double? {
      let table: [String: Double] = [
        "nano": 0.25, "micro": 0.5, "small": 1, "medium": 2, "large": 4, "xlarge": 8,
      ]
      if let value = table[size] { return value }
      guard size.hasSuffix("xlarge"), let n = Int(size.dropLast(6)), (2...1_000).contains(n) else { return nil }
      return 8 * Double(n)
    }
  }
}

extension Optional {
  func orThrow(_ error: @autoclosure () -> any Error) throws -> Wrapped {
    guard let value = self else { throw error() }
    return value
  }
}
