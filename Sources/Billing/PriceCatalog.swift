/// EC2 list prices and Spot Advisor figures keyed by (region, instance type).
///
/// ```swift
/// let catalog = try PriceCatalog.bundled()
/// try catalog.onDemandUSDPerHour(region: "us-east-1", instanceType: "m5.large")  // 0.096
/// ```
///
/// Load the shipped copy with ``bundled()``, a user file with ``load(path:spotAdvisorPath:)``,
/// or CSV text with ``init(pricesCSV:fileName:spotAdvisorCSV:spotAdvisorFileName:)``. The
/// schema is the one documented in `Resources/PRICING-SOURCES.md`; columns are found by
/// header name, so their order does not matter.
///
/// The catalog is an immutable value: share it freely across concurrent runs.
public struct PriceCatalog: Sendable, Equatable {
  /// Every price row, sorted by region, then instance type.
  public let entries: [PriceCatalogEntry]
  /// Every Spot Advisor row, sorted by region, then instance type.
  public let spotAdvisorEntries: [SpotAdvisorEntry]
  private let entryIndexByKey: [RegionalInstanceType: Int]
  private let spotIndexByKey: [RegionalInstanceType: Int]
  private let regionsByInstanceType: [String: [String]]

  /// Builds a catalog from rows made in code. Each (region, instance type) may appear once
  /// per array.
  public init(entries: [PriceCatalogEntry], spotAdvisorEntries: [SpotAdvisorEntry] = []) {
    self.entries = entries.sorted { $0.key < $1.key }
    self.spotAdvisorEntries = spotAdvisorEntries.sorted { $0.key < $1.key }
    var entryIndexByKey: [RegionalInstanceType: Int] = [:]
    var regionsByInstanceType: [String: [String]] = [:]
    for (index, entry) in self.entries.enumerated() {
      let previous = entryIndexByKey.updateValue(index, forKey: entry.key)
      precondition(previous == nil, "two price entries for \(entry.key)")
      // Entries are sorted by region, so each list comes out sorted.
      regionsByInstanceType[entry.instanceType, default: []].append(entry.region)
    }
    var spotIndexByKey: [RegionalInstanceType: Int] = [:]
    for (index, entry) in self.spotAdvisorEntries.enumerated() {
      let previous = spotIndexByKey.updateValue(index, forKey: entry.key)
      precondition(previous == nil, "two Spot Advisor entries for \(entry.key)")
    }
    self.entryIndexByKey = entryIndexByKey
    self.spotIndexByKey = spotIndexByKey
    self.regionsByInstanceType = regionsByInstanceType
  }

  /// The regions that have at least one price row, sorted.
  public var regions: [String] {
    var seen = Set<String>()
    return entries.compactMap { seen.insert($0.region).inserted ? $0.region : nil }
  }

  /// The regions with a price row for `instanceType`, sorted; empty when none has.
  public func regions(offering instanceType: String) -> [String] {
    regionsByInstanceType[instanceType] ?? []
  }

  /// The price row for the pair, or nil when the catalog has none.
  /// - Complexity: O(1).
  public func entry(region: String, instanceType: String) -> PriceCatalogEntry? {
    entryIndexByKey[RegionalInstanceType(region: region, instanceType: instanceType)]
      .map { entries[$0] }
  }

  /// The price row for the pair.
  /// - Throws: `BillingError.missingPrice`, listing the regions that do have the type.
  public func requireEntry(region: String, instanceType: String) throws -> PriceCatalogEntry {
    guard let entry = entry(region: region, instanceType: instanceType) else {
      throw BillingError.missingPrice(
        region: region, instanceType: instanceType,
        regionsOfferingType: regions(offering: instanceType))
    }
    return entry
  }

  /// The Linux on-demand list price in USD per instance-hour.
  /// - Throws: `BillingError.missingPrice`, listing the regions that do have the type.
  public func onDemandUSDPerHour(region: String, instanceType: String) throws -> Double {
    try requireEntry(region: region, instanceType: instanceType).onDemandUSDPerHour
  }

  /// What the Spot Instance Advisor reports for the pair, or nil when it has no row.
  /// - Complexity: O(1).
  public func spotAdvisor(region: String, instanceType: String) -> SpotAdvisorEntry? {
    spotIndexByKey[RegionalInstanceType(region: region, instanceType: instanceType)]
      .map { spotAdvisorEntries[$0] }
  }
}
