import Foundation

extension PriceCatalog {
  /// Column names of `ec2-prices.csv`. Required columns must be in the header and non-empty
  /// in every row; optional ones may be absent from the header or empty (nil, never zero).
  enum PriceColumn {
    static let required = [
      "region", "instance_type", "family", "size", "vcpu", "memory_gib",
      "normalization_factor", "od_linux_hourly",
    ]
    static let optional = [
      "category", "spot_avg_hourly",
      "ri_std_1y_noupfront_hourly", "ri_std_1y_allupfront_upfront",
      "ri_std_3y_noupfront_hourly", "ri_std_3y_allupfront_upfront",
      "ri_conv_1y_noupfront_hourly", "ri_conv_3y_noupfront_hourly",
      "ri_conv_1y_allupfront_upfront", "ri_conv_3y_allupfront_upfront",
      "compute_sp_1y_noupfront_hourly", "compute_sp_3y_noupfront_hourly",
      "ec2_sp_1y_noupfront_hourly", "ec2_sp_3y_noupfront_hourly",
    ]
  }

  /// Column names of `spot-interruption.csv`; `os`, when present, must be `Linux`.
  enum SpotColumn {
    static let required = [
      "region", "instance_type", "interruption_bucket", "interruption_frequency",
      "savings_vs_od_pct",
    ]
    static let optional = ["os", "interruption_max_pct", "vcpu", "memory_gib"]
  }

  /// Parses catalog CSV text. `fileName` and `spotAdvisorFileName` name the text in errors.
  /// - Throws: `BillingError.malformedCSV` naming the line and column of the first problem:
  ///   a missing, unknown or repeated column, a row with the wrong number of cells, an
  ///   empty required cell, a non-number in a number cell, or a (region, instance type)
  ///   listed twice.
  /// - Complexity: O(n) in the length of the text.
  public init(
    pricesCSV: String, fileName: String = "ec2-prices.csv",
    spotAdvisorCSV: String? = nil, spotAdvisorFileName: String = "spot-interruption.csv"
  ) throws {
    let entries = try Self.parsePrices(CSVTable(text: pricesCSV, fileName: fileName))
    let spot = try spotAdvisorCSV.map {
      try Self.parseSpotAdvisor(CSVTable(text: $0, fileName: spotAdvisorFileName))
    }
    self.init(entries: entries, spotAdvisorEntries: spot ?? [])
  }

  /// The catalog shipped with capsim (AWS list prices of 2025-04-04, Spot Advisor of
  /// 2025-06-28; see `PRICING-SOURCES.md`). Parsed once per process, then shared.
  public static func bundled() throws -> PriceCatalog {
    try bundledResult.get()
  }

  /// Loads a user's price file and, optionally, a Spot Advisor file in the same schema as
  /// the bundled ones. Errors name the paths as given.
  public static func load(path: String, spotAdvisorPath: String? = nil) throws -> PriceCatalog {
    try PriceCatalog(
      pricesCSV: readText(path: path), fileName: path,
      spotAdvisorCSV: spotAdvisorPath.map(readText(path:)),
      spotAdvisorFileName: spotAdvisorPath ?? "")
  }

  private static let bundledResult: Result<PriceCatalog, BillingError> = {
    do {
      guard
        let prices = Bundle.module.url(forResource: "ec2-prices", withExtension: "csv"),
        let spot = Bundle.module.url(forResource: "spot-interruption", withExtension: "csv")
      else {
        return .failure(
          .unreadableFile(
            path: "ec2-prices.csv", reason: "no such resource in the Billing bundle"))
      }
      return .success(
        try PriceCatalog(
          pricesCSV: readText(path: prices.path), fileName: "ec2-prices.csv",
          spotAdvisorCSV: readText(path: spot.path), spotAdvisorFileName: "spot-interruption.csv"))
    } catch let error as BillingError {
      return .failure(error)
    } catch {
      return .failure(.unreadableFile(path: "ec2-prices.csv", reason: "\(error)"))
    }
  }()

  private static func readText(path: String) throws -> String {
    guard FileManager.default.fileExists(atPath: path) else {
      throw BillingError.unreadableFile(path: path, reason: "no file at that path")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw BillingError.unreadableFile(path: path, reason: "a file that cannot be read")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw BillingError.unreadableFile(path: path, reason: "bytes that are not valid UTF-8")
    }
    return text
  }

  private static func parsePrices(_ table: CSVTable) throws -> [PriceCatalogEntry] {
    let columns = try table.columns(
      required: PriceColumn.required, optional: PriceColumn.optional)
    var lineByKey: [RegionalInstanceType: Int] = [:]
    var entries: [PriceCatalogEntry] = []
    entries.reserveCapacity(table.rows.count)
    for row in table.rows {
      var entry = PriceCatalogEntry(
        region: try columns.text("region", in: row),
        instanceType: try columns.text("instance_type", in: row),
        family: try columns.text("family", in: row),
        size: try columns.text("size", in: row),
        category: columns.optionalText("category", in: row),
        vcpuCount: try columns.integer("vcpu", in: row, range: 1...Int.max),
        memoryGiB: try columns.number("memory_gib", "GiB", in: row),
        normalizationFactor: try columns.number(
          "normalization_factor", "normalized units per instance-hour", in: row),
        onDemandUSDPerHour: try columns.number("od_linux_hourly", "USD per hour", in: row))
      let hourly = "USD per hour"
      entry.spotAverageUSDPerHour = try columns.optionalNumber("spot_avg_hourly", hourly, in: row)
      entry.standardRIOneYearNoUpfrontUSDPerHour = try columns.optionalNumber(
        "ri_std_1y_noupfront_hourly", hourly, in: row)
      entry.standardRIThreeYearNoUpfrontUSDPerHour = try columns.optionalNumber(
        "ri_std_3y_noupfront_hourly", hourly, in: row)
      entry.standardRIOneYearAllUpfrontUSD = try columns.optionalNumber(
        "ri_std_1y_allupfront_upfront", "USD", in: row)
      entry.standardRIThreeYearAllUpfrontUSD = try columns.optionalNumber(
        "ri_std_3y_allupfront_upfront", "USD", in: row)
      entry.convertibleRIOneYearNoUpfrontUSDPerHour = try columns.optionalNumber(
        "ri_conv_1y_noupfront_hourly", hourly, in: row)
      entry.convertibleRIThreeYearNoUpfrontUSDPerHour = try columns.optionalNumber(
        "ri_conv_3y_noupfront_hourly", hourly, in: row)
      entry.convertibleRIOneYearAllUpfrontUSD = try columns.optionalNumber(
        "ri_conv_1y_allupfront_upfront", "USD", in: row)
      entry.convertibleRIThreeYearAllUpfrontUSD = try columns.optionalNumber(
        "ri_conv_3y_allupfront_upfront", "USD", in: row)
      entry.computeSavingsPlanOneYearNoUpfrontUSDPerHour = try columns.optionalNumber(
        "compute_sp_1y_noupfront_hourly", hourly, in: row)
      entry.computeSavingsPlanThreeYearNoUpfrontUSDPerHour = try columns.optionalNumber(
        "compute_sp_3y_noupfront_hourly", hourly, in: row)
      entry.ec2InstanceSavingsPlanOneYearNoUpfrontUSDPerHour = try columns.optionalNumber(
        "ec2_sp_1y_noupfront_hourly", hourly, in: row)
      entry.ec2InstanceSavingsPlanThreeYearNoUpfrontUSDPerHour = try columns.optionalNumber(
        "ec2_sp_3y_noupfront_hourly", hourly, in: row)
      try checkUnique(entry.key, line: row.line, in: &lineByKey, fileName: table.fileName)
      entries.append(entry)
    }
    return entries
  }

  private static func parseSpotAdvisor(_ table: CSVTable) throws -> [SpotAdvisorEntry] {
    let columns = try table.columns(required: SpotColumn.required, optional: SpotColumn.optional)
    var lineByKey: [RegionalInstanceType: Int] = [:]
    var entries: [SpotAdvisorEntry] = []
    entries.reserveCapacity(table.rows.count)
    for row in table.rows {
      if let os = columns.optionalText("os", in: row), os != "Linux" {
        let index = columns.indexByName["os"]!
        throw BillingError.malformedCSV(
          file: table.fileName, line: row.line, column: index + 1, field: "os",
          expected: "Linux (the catalog prices Linux only)", found: "'\(os)'")
      }
      let entry = SpotAdvisorEntry(
        region: try columns.text("region", in: row),
        instanceType: try columns.text("instance_type", in: row),
        interruptionBucket: try columns.integer("interruption_bucket", in: row, range: 0...4),
        interruptionFrequencyLabel: try columns.text("interruption_frequency", in: row),
        interruptionMaxPercent: try columns.optionalNumber(
          "interruption_max_pct", "percent", in: row),
        savingsVersusOnDemandPercent: try columns.number("savings_vs_od_pct", "percent", in: row))
      try checkUnique(entry.key, line: row.line, in: &lineByKey, fileName: table.fileName)
      entries.append(entry)
    }
    return entries
  }

  private static func checkUnique(
    _ key: RegionalInstanceType, line: Int, in lineByKey: inout [RegionalInstanceType: Int],
    fileName: String
  ) throws {
    if let first = lineByKey.updateValue(line, forKey: key) {
      throw BillingError.malformedCSV(
        file: fileName, line: line, column: nil, field: nil,
        expected: "one row per region and instance type",
        found: "\(key) again (first on line \(first))")
    }
  }
}
