import CSV
import CivilCalendar
import Foundation

/// Hourly commitment-eligible EC2 usage per instance family and region, in normalized
/// unit-hours (EC2-UG "Instance size flexibility"): what the commitment advisor plans for.
public struct EligibleUsage: Sendable, Equatable {
  public enum Format: String, Sendable {
    /// `timestamp,<column>...`: one row per hour; a column is an instance type
    /// (`m5.large`: instance-hours) or a family (`m5`: normalized unit-hours).
    case hourlyColumns = "hourly CSV"
    /// FOCUS 1.x: On-Demand EC2 usage rows (ChargeCategory Usage, PricingCategory Standard,
    /// no CommitmentDiscountId); the instance type from x_UsageType or SkuId
    /// (`[REGION-]BoxUsage:m5.large`).
    case focus = "FOCUS 1.x"
    /// AWS CUR 2.0: line_item_line_item_type Usage with a BoxUsage usage type.
    case cur = "CUR 2.0"
  }

  public struct Pool: Sendable, Hashable, Comparable {
    public var family: String
    public var region: String

    public static func < (a: Pool, b: Pool) -> Bool { (a.family, a.region) < (b.family, b.region) }
  }

  public var format: Format
  /// The first hour (UTC).
  public var start: Date
  public var hours: Int
  /// Sorted by family, then region.
  public var pools: [Pool]
  /// `units[pool][hour]`.
  public var units: [[Double]]
  public var rowsRead: Int
  public var rowsUsed: Int
  /// What was skipped and why, with counts.
  public var notes: [String]
}

/// Reads hourly usage from a CSV export. The parsing of quoted cells is CSV.swift's
/// (yaslab/CSV.swift): FOCUS and CUR exports quote tags and descriptions.
public enum EligibleUsageReader {
  /// The largest usage one cell may hold, hours (a million instances for a century is
  /// 9e11): far above any real export, far enough below `Double.greatestFiniteMagnitude`
  /// that sums over rows and normalization factors stay finite.
  static let maximumHoursPerCell = 1e12

  /// - Parameter region: the region of `hourlyColumns` files (the other formats carry it).
  public static func read(path: String, catalog: PriceCatalog, region: String) throws -> EligibleUsage {
    // Read whole: CSV.swift's stream reader reports a read error at the end of every
    // file on Linux (InputStream.hasBytesAvailable stays true at EOF), so a real error
    // could not be told apart. An export of a year of hourly rows is tens of MB.
    guard FileManager.default.fileExists(atPath: path) else {
      throw BillingError.unreadableFile(path: path, reason: "no such file")
    }
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw BillingError.unreadableFile(path: path, reason: "a file that is not readable UTF-8 text")
    }
    return try read(csv: text, fileName: path, catalog: catalog, region: region)
  }

  /// Reads usage CSV text held in memory (the formats of ``read(path:catalog:region:)``);
  /// `fileName` names it in errors.
  public static func read(csv text: String, fileName path: String, catalog: PriceCatalog, region: String) throws
    -> EligibleUsage
  {
    let reader: CSVReader
    do {
      reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: false)
    } catch {
      throw BillingError.unreadableFile(path: path, reason: "not CSV (\(error))")
    }
    guard let header = reader.headerRow, !header.isEmpty else {
      throw BillingError.malformedCSV(file: path, line: 1, column: nil, field: nil, expected: "a header row", found: "an empty file")
    }
    var parser = Parser(path: path, header: header.map { $0.trimmingCharacters(in: .whitespaces) }, catalog: catalog, region: region)
    try parser.detect()
    var line = 1
    while let row = reader.next() {
      line += 1
      if row.count == 1 && row[0].isEmpty { continue }
      try parser.consume(row, line: line)
    }
    if let error = reader.error {
      throw BillingError.malformedCSV(file: path, line: line + 1, column: nil, field: nil, expected: "well-formed CSV", found: "\(error)")
    }
    return try parser.finish()
  }

  /// Usage export timestamps, read by `CivilCalendar`'s `ISO8601Timestamp`: `T` or a space
  /// between date and time, optional seconds (60, a leap second, accepted), `.` fractions,
  /// `Z` or an offset within ±18:00, or a bare date; upper-case `T` and `Z` only, nothing
  /// around the text. Without a zone: UTC.
  static let timestampOptions = ISO8601Timestamp.Options(
    acceptsEpochSeconds: false, ignoresSurroundingSpaces: false, acceptsLowercaseDesignators: false,
    acceptsSpacesAfterSeparator: false, requiresSeconds: false, acceptsLeapSecond: true, acceptsCommaFraction: false,
    maximumOffsetSeconds: 18 * 3_600)

  /// The instant of `2026-03-02T10:00:00Z`, `2026-03-02 10:00` (UTC),
  /// `2026-03-02T10:00:00.000+09:00`, in whole seconds (a fraction is dropped: usage is
  /// binned by hour).
  static func timestamp(_ text: String) -> Date? {
    guard case .success(let parsed) = ISO8601Timestamp.parse(text, options: timestampOptions) else { return nil }
    return Date(timeIntervalSince1970: Double(parsed.wholeLocalSeconds - (parsed.utcOffsetSeconds ?? 0)))
  }

  /// `APN2-BoxUsage:m5.large` -> `m5.large`; nil for anything that is not box usage.
  static func instanceType(fromUsageType usageType: String) -> String? {
    guard let range = usageType.range(of: "BoxUsage:") else { return nil }
    let type = usageType[range.upperBound...]
    return type.isEmpty ? nil : String(type)
  }
}

private struct Parser {
  let path: String
  let header: [String]
  let catalog: PriceCatalog
  let region: String
  var format: EligibleUsage.Format = .hourlyColumns
  var index: [String: Int] = [:]
  /// hour (epoch hours) -> pool -> units
  var byHour: [Int: [EligibleUsage.Pool: Double]] = [:]
  var columnPools: [(pool: EligibleUsage.Pool, factor: Double)?] = []
  var rowsRead = 0
  var rowsUsed = 0
  var skipped: [String: Int] = [:]
  var normalization: [String: Double] = [:]

  init(path: String, header: [String], catalog: PriceCatalog, region: String) {
    self.path = path
    self.header = header
    self.catalog = catalog
    self.region = region
    for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
  }

  mutating func detect() throws {
    if index["ChargePeriodStart"] != nil {
      format = .focus
      for name in ["ChargeCategory", "ConsumedQuantity", "RegionId"] where index[name] == nil {
        throw missingColumn(name)
      }
      if index["x_UsageType"] == nil && index["SkuId"] == nil { throw missingColumn("x_UsageType or SkuId") }
    } else if index["line_item_usage_start_date"] != nil {
      format = .cur
      for name in ["line_item_line_item_type", "line_item_usage_type", "line_item_usage_amount", "product_region_code"]
      where index[name] == nil {
        throw missingColumn(name)
      }
    } else {
      format = .hourlyColumns
      guard ["timestamp", "hour", "time"].contains(header[0].lowercased()) else {
        throw BillingError.malformedCSV(
          file: path, line: 1, column: 1, field: header[0],
          expected: "a FOCUS export (ChargePeriodStart...), a CUR 2.0 export (line_item_usage_start_date...) or an hourly CSV whose first column is 'timestamp'",
          found: "'\(header[0])'")
      }
      guard header.count > 1 else {
        throw BillingError.malformedCSV(file: path, line: 1, column: nil, field: nil, expected: "at least one usage column after timestamp", found: "none")
      }
      for (c, name) in header.enumerated().dropFirst() {
        if let entry = catalog.entry(region: region, instanceType: name) {
          columnPools.append((EligibleUsage.Pool(family: entry.family, region: region), entry.normalizationFactor))
        } else if catalog.recommendedEntry(family: name, region: region) != nil {
          columnPools.append((EligibleUsage.Pool(family: name, region: region), 1))
        } else {
          throw BillingError.malformedCSV(
            file: path, line: 1, column: c + 1, field: name,
            expected: "an instance type (m5.large) or family (m5) the price catalog lists in \(region)", found: "'\(name)'")
        }
      }
      columnPools.insert(nil, at: 0)
    }
  }

  func missingColumn(_ name: String) -> BillingError {
    .malformedCSV(file: path, line: 1, column: nil, field: nil, expected: "a column named \(name) in a \(format.rawValue) export", found: "no such column")
  }

  func cell(_ row: [String], _ name: String) -> String? {
    guard let i = index[name], i < row.count else { return nil }
    return row[i]
  }

  mutating func factor(_ type: String, region: String) -> Double? {
    let key = region + "/" + type
    if let cached = normalization[key] { return cached }
    guard let entry = catalog.entry(region: region, instanceType: type) else { return nil }
    normalization[key] = entry.normalizationFactor
    return entry.normalizationFactor
  }

  mutating func skip(_ reason: String) { skipped[reason, default: 0] += 1 }

  mutating func consume(_ row: [String], line: Int) throws {
    rowsRead += 1
    guard row.count == header.count else {
      throw BillingError.malformedCSV(file: path, line: line, column: nil, field: nil, expected: "\(header.count) cells", found: "\(row.count)")
    }
    func hourOf(_ column: String) throws -> Int {
      let text = cell(row, column) ?? ""
      guard let date = EligibleUsageReader.timestamp(text) else {
        throw BillingError.malformedCSV(
          file: path, line: line, column: index[column].map { $0 + 1 }, field: column,
          expected: "an ISO 8601 timestamp like 2026-03-02T10:00:00Z", found: "'\(text)'")
      }
      return Int((date.timeIntervalSince1970 / 3600).rounded(.down))
    }
    func amount(_ column: String) throws -> Double {
      let text = cell(row, column) ?? ""
      guard let value = Double(text), value.isFinite, value >= 0 else {
        throw BillingError.malformedCSV(
          file: path, line: line, column: index[column].map { $0 + 1 }, field: column,
          expected: "a number of hours >= 0", found: "'\(text)'")
      }
      // Bounded so that the sums in normalized units stay finite: 1e308 m5.2xlarge hours
      // (x 16 units) would add up to infinity and reach the optimizer as usage.
      guard value <= EligibleUsageReader.maximumHoursPerCell else {
        throw BillingError.malformedCSV(
          file: path, line: line, column: index[column].map { $0 + 1 }, field: column,
          expected: "at most 1e12 hours in one cell", found: "'\(text)'")
      }
      return value
    }
    switch format {
    case .hourlyColumns:
      let hour = try hourOf(header[0])
      for c in 1..<row.count {
        let value = try amount(header[c])
        guard let (pool, factor) = columnPools[c] else { continue }
        byHour[hour, default: [:]][pool, default: 0] += value * factor
      }
      rowsUsed += 1
    case .focus:
      guard cell(row, "ChargeCategory") == "Usage" else { return skip("not ChargeCategory Usage") }
      if let service = cell(row, "ServiceName"), !service.isEmpty, service != "Amazon Elastic Compute Cloud" {
        return skip("not Amazon Elastic Compute Cloud")
      }
      if let pricing = cell(row, "PricingCategory"), !pricing.isEmpty, pricing != "Standard" {
        return skip("PricingCategory \(pricing) (only On-Demand usage is eligible)")
      }
      if let id = cell(row, "CommitmentDiscountId"), !id.isEmpty { return skip("already covered by a commitment") }
      let usageType = [cell(row, "x_UsageType"), cell(row, "SkuId")].compactMap { $0 }.first { $0.contains("BoxUsage:") }
      guard let usageType, let type = EligibleUsageReader.instanceType(fromUsageType: usageType) else {
        return skip("not EC2 box usage")
      }
      try add(type: type, region: cell(row, "RegionId") ?? "", hours: try amount("ConsumedQuantity"), hour: try hourOf("ChargePeriodStart"), line: line)
    case .cur:
      guard cell(row, "line_item_line_item_type") == "Usage" else {
        return skip("line item type \(cell(row, "line_item_line_item_type") ?? "") (only On-Demand Usage is eligible)")
      }
      if let os = cell(row, "product_operating_system"), !os.isEmpty, os != "Linux" {
        return skip("operating system \(os) (prices are Linux)")
      }
      guard let type = EligibleUsageReader.instanceType(fromUsageType: cell(row, "line_item_usage_type") ?? "") else {
        return skip("not EC2 box usage")
      }
      try add(type: type, region: cell(row, "product_region_code") ?? "", hours: try amount("line_item_usage_amount"), hour: try hourOf("line_item_usage_start_date"), line: line)
    }
  }

  mutating func add(type: String, region: String, hours: Double, hour: Int, line: Int) throws {
    guard let factor = factor(type, region: region), let entry = catalog.entry(region: region, instanceType: type) else {
      throw BillingError.malformedCSV(
        file: path, line: line, column: nil, field: nil,
        expected: "an instance type and region the price catalog lists", found: "\(type) in '\(region)'")
    }
    byHour[hour, default: [:]][EligibleUsage.Pool(family: entry.family, region: region), default: 0] += hours * factor
    rowsUsed += 1
  }

  func finish() throws -> EligibleUsage {
    guard let first = byHour.keys.min(), let last = byHour.keys.max() else {
      throw BillingError.malformedCSV(
        file: path, line: 1, column: nil, field: nil, expected: "at least one row of eligible On-Demand EC2 usage",
        found: "none (\(rowsRead) rows read\(skipped.isEmpty ? "" : "; skipped: " + skippedText))")
    }
    let hours = last - first + 1
    guard hours <= 10 * 8_784 else {
      throw BillingError.malformedCSV(file: path, line: 1, column: nil, field: nil, expected: "usage spanning at most 10 years", found: "\(hours) hours")
    }
    let pools = Set(byHour.values.flatMap(\.keys)).sorted()
    let position = Dictionary(uniqueKeysWithValues: pools.enumerated().map { ($1, $0) })
    var units = [[Double]](repeating: [Double](repeating: 0, count: hours), count: pools.count)
    for (hour, values) in byHour {
      for (pool, value) in values { units[position[pool]!][hour - first] += value }
    }
    var notes = skipped.isEmpty ? [] : ["skipped rows: " + skippedText]
    let missing = hours - byHour.count
    if missing > 0 { notes.append("\(missing) of \(hours) hours have no rows: counted as zero usage") }
    return EligibleUsage(
      format: format, start: Date(timeIntervalSince1970: Double(first * 3600)), hours: hours, pools: pools,
      units: units, rowsRead: rowsRead, rowsUsed: rowsUsed, notes: notes)
  }

  var skippedText: String {
    skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
  }
}
