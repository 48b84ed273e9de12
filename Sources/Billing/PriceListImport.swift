import Foundation

/// AWS Price List files turned into capsim's own catalog files: a prices CSV in the schema
/// ``PriceCatalog`` loads and a Savings Plans rates CSV in the schema ``SavingsPlanRates``
/// loads, with a provenance note naming every source file, its version and publication date.
///
/// ```swift
/// let imported = try PriceListImport(ec2: [offer], savingsPlans: [compute, ec2Instance])
/// try imported.pricesCSV()            // ec2-prices.csv
/// try imported.savingsPlanRatesCSV()  // savings-plan-rates.csv
/// ```
///
/// Savings Plans rates go to two places, because capsim reads them in two ways:
/// - the catalog's `*_sp_*_noupfront_hourly` columns get each instance type's No Upfront
///   rate exactly as AWS lists it (the bill falls back to them);
/// - the rates CSV gets one discount per (plan type, family, region, term, payment), which
///   is what ``SavingsPlanRates`` keys on (and what the advisor prices plans with). AWS lists
///   a rate per instance type, and the sizes of a family can differ by a rounding; the
///   discount written is the **smallest** of the family's sizes (a plan is never made to
///   look better than AWS prices it), and the `source` cell says how many types it covers
///   and their spread.
///
/// Output is deterministic: rows sorted, numbers written as the shortest text that reads
/// back to the same `Double`, and no clock time.
public struct PriceListImport: Sendable {
  /// The catalog rows, Savings Plans No Upfront columns filled where a file had the rate.
  public var entries: [PriceCatalogEntry]
  /// One discount per key, with the sentence for its `source` cell.
  public var discounts: [Discount]
  /// Where the data came from, one line per file.
  public var sources: [Source]
  /// What was read and not kept, per file.
  public var notes: [String]

  public struct Discount: Sendable, Equatable {
    public var key: SavingsPlanRates.Key
    public var percent: Double
    public var source: String
  }

  public struct Source: Sendable, Equatable {
    public var fileName: String
    public var kind: String
    public var version: String
    public var publicationDate: String
    public var rowsKept: Int
  }

  /// Combines the files. Two EC2 files may not list the same (region, instance type).
  /// - Throws: `BillingError.malformedOfferFile` for such a duplicate, or when nothing was kept.
  public init(ec2 offers: [EC2OfferFile], savingsPlans: [SavingsPlansOfferFile] = []) throws {
    var entryIndex: [RegionalInstanceType: Int] = [:]
    var entries: [PriceCatalogEntry] = []
    var sources: [Source] = []
    var notes: [String] = []
    for offer in offers {
      for entry in offer.entries {
        if entryIndex[entry.key] != nil {
          throw BillingError.malformedOfferFile(
            file: offer.fileName, path: "products",
            expected: "each region's prices in one EC2 offer file", found: "\(entry.key) in an earlier file too")
        }
        entryIndex[entry.key] = entries.count
        entries.append(entry)
      }
      sources.append(Source(
        fileName: offer.fileName, kind: "EC2 offer file (\(offer.offerCode))", version: offer.version,
        publicationDate: offer.publicationDate, rowsKept: offer.entries.count))
      notes += offer.skipped.map { "\(offer.fileName): skipped \($0)" }
    }
    guard !entries.isEmpty else {
      throw BillingError.malformedOfferFile(
        file: offers.map(\.fileName).joined(separator: ", "), path: "products",
        expected: "at least one Linux, shared-tenancy Compute Instance product in the regions asked for",
        found: "none")
    }
    // Per discount key: every type's discount, to take the smallest.
    var percentsByKey: [SavingsPlanRates.Key: [(type: String, percent: Double)]] = [:]
    var fileNamesByKey: [SavingsPlanRates.Key: Set<String>] = [:]
    for file in savingsPlans {
      var kept = 0
      var missingTypes = 0
      var aboveOnDemand = 0
      for rate in file.rates {
        guard let index = entryIndex[RegionalInstanceType(region: rate.region, instanceType: rate.instanceType)] else {
          missingTypes += 1
          continue
        }
        let onDemand = entries[index].onDemandUSDPerHour
        guard onDemand > 0, rate.usdPerHour > 0, rate.usdPerHour <= onDemand else {
          aboveOnDemand += 1
          continue
        }
        kept += 1
        if rate.payment == .noUpfront {
          switch (rate.planType, rate.term) {
          case (.compute, .oneYear): entries[index].computeSavingsPlanOneYearNoUpfrontUSDPerHour = rate.usdPerHour
          case (.compute, .threeYears): entries[index].computeSavingsPlanThreeYearNoUpfrontUSDPerHour = rate.usdPerHour
          case (.ec2Instance, .oneYear): entries[index].ec2InstanceSavingsPlanOneYearNoUpfrontUSDPerHour = rate.usdPerHour
          case (.ec2Instance, .threeYears):
            entries[index].ec2InstanceSavingsPlanThreeYearNoUpfrontUSDPerHour = rate.usdPerHour
          }
        }
        let key = SavingsPlanRates.Key(
          planType: rate.planType, family: entries[index].family, region: rate.region, term: rate.term,
          payment: rate.payment)
        percentsByKey[key, default: []].append((rate.instanceType, Self.discountPercent(rate.usdPerHour, of: onDemand)))
        fileNamesByKey[key, default: []].insert(file.fileName)
      }
      sources.append(Source(
        fileName: file.fileName, kind: "Savings Plans file", version: file.version,
        publicationDate: file.publicationDate, rowsKept: kept))
      notes += file.skipped.map { "\(file.fileName): skipped \($0)" }
      if missingTypes > 0 {
        notes.append("\(file.fileName): skipped \(missingTypes) rates of instance types the EC2 files do not price")
      }
      if aboveOnDemand > 0 {
        notes.append("\(file.fileName): skipped \(aboveOnDemand) rates not below the On-Demand price")
      }
    }
    discounts = percentsByKey.map { key, percents in
      let smallest = percents.min { ($0.percent, $0.type) < ($1.percent, $1.type) }!
      let largest = percents.map(\.percent).max()!
      let spread =
        percents.count == 1
        ? "from \(smallest.type)"
        : "smallest of \(percents.count) types (\(smallest.type)); largest \(Self.number(largest))"
      let files = fileNamesByKey[key]!.sorted().map(Self.cellText).joined(separator: " ")
      return Discount(key: key, percent: smallest.percent, source: "AWS Price List \(files): \(spread)")
    }.sorted { Self.sortKey($0.key).lexicographicallyPrecedes(Self.sortKey($1.key)) }
    self.entries = entries.sorted { $0.key < $1.key }
    self.sources = sources
    self.notes = notes
  }

  /// The prices CSV: the shipped catalog's columns in its order, then the Convertible All
  /// Upfront columns. Loads with ``PriceCatalog/init(pricesCSV:fileName:spotAdvisorCSV:spotAdvisorFileName:)``.
  public func pricesCSV() -> String {
    let header = [
      "region", "instance_type", "family", "size", "category", "vcpu", "memory_gib", "normalization_factor",
      "od_linux_hourly", "spot_avg_hourly", "ri_std_1y_noupfront_hourly", "ri_std_1y_allupfront_upfront",
      "ri_std_3y_noupfront_hourly", "ri_std_3y_allupfront_upfront", "ri_conv_1y_noupfront_hourly",
      "ri_conv_3y_noupfront_hourly", "compute_sp_1y_noupfront_hourly", "compute_sp_3y_noupfront_hourly",
      "ec2_sp_1y_noupfront_hourly", "ec2_sp_3y_noupfront_hourly", "ri_conv_1y_allupfront_upfront",
      "ri_conv_3y_allupfront_upfront",
    ]
    var lines = [header.joined(separator: ",")]
    for e in entries {
      let cells: [String] = [
        e.region, e.instanceType, e.family, e.size, e.category ?? "", "\(e.vcpuCount)", Self.number(e.memoryGiB),
        Self.number(e.normalizationFactor), Self.number(e.onDemandUSDPerHour), Self.number(e.spotAverageUSDPerHour),
        Self.number(e.standardRIOneYearNoUpfrontUSDPerHour), Self.number(e.standardRIOneYearAllUpfrontUSD),
        Self.number(e.standardRIThreeYearNoUpfrontUSDPerHour), Self.number(e.standardRIThreeYearAllUpfrontUSD),
        Self.number(e.convertibleRIOneYearNoUpfrontUSDPerHour), Self.number(e.convertibleRIThreeYearNoUpfrontUSDPerHour),
        Self.number(e.computeSavingsPlanOneYearNoUpfrontUSDPerHour),
        Self.number(e.computeSavingsPlanThreeYearNoUpfrontUSDPerHour),
        Self.number(e.ec2InstanceSavingsPlanOneYearNoUpfrontUSDPerHour),
        Self.number(e.ec2InstanceSavingsPlanThreeYearNoUpfrontUSDPerHour),
        Self.number(e.convertibleRIOneYearAllUpfrontUSD), Self.number(e.convertibleRIThreeYearAllUpfrontUSD),
      ]
      lines.append(cells.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The Savings Plans rates CSV (schema of ``SavingsPlanRates/init(csv:fileName:)``).
  public func savingsPlanRatesCSV() -> String {
    var lines = ["plan_type,family,region,term,payment,discount_pct,source"]
    for discount in discounts {
      let k = discount.key
      lines.append(
        [
          k.planType.rawValue, k.family, k.region ?? "", k.term.rawValue, k.payment.rawValue,
          Self.number(discount.percent), discount.source,
        ].joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The provenance note written beside the CSVs (Markdown).
  public func provenance() -> String {
    var text = """
      # Prices imported from the AWS Price List

      Written by `capsim prices import` (docs/prices.md). Every price is copied from the files
      below; nothing is estimated. Kept: Linux/UNIX, shared tenancy, no pre-installed software,
      capacity status Used. Savings Plans discounts in `savings-plan-rates.csv` are each family's
      smallest across its instance types (see each row's `source`).

      | file | kind | version | publicationDate | rows kept |
      | --- | --- | --- | --- | ---: |

      """
    for source in sources {
      text += "| \(source.fileName) | \(source.kind) | \(source.version) | \(source.publicationDate) | \(source.rowsKept) |\n"
    }
    if !notes.isEmpty {
      text += "\n## Not kept\n\n" + notes.map { "- \($0)\n" }.joined()
    }
    return text
  }

  /// `(1 - rate / onDemand) × 100` in decimal arithmetic on the prices as written (the
  /// shortest text of each `Double`, which is the Price List's text without trailing zeros),
  /// so that 0.072 of 0.096 is 25, not 25.00000000000001.
  static func discountPercent(_ rate: Double, of onDemand: Double) -> Double {
    guard let r = Decimal(string: "\(rate)"), let o = Decimal(string: "\(onDemand)"), o > 0 else {
      return (1 - rate / onDemand) * 100
    }
    return NSDecimalNumber(decimal: (o - r) / o * 100).doubleValue
  }

  /// Shortest text that reads back to the same value; empty for nil.
  static func number(_ value: Double?) -> String {
    guard let value else { return "" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  /// A file name as it can stand in an unquoted CSV cell.
  static func cellText(_ name: String) -> String {
    String(name.map { $0 == "," || $0 == "\"" || $0.isNewline ? "_" : $0 })
  }

  static func sortKey(_ key: SavingsPlanRates.Key) -> [String] {
    [key.planType.rawValue, key.family, key.region ?? "", key.term.rawValue, key.payment.rawValue]
  }
}
