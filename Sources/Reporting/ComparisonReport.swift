import Foundation
import Scenario

/// Renders a `capsim run` result as a terminal table or a JSON document.
public enum ComparisonReport {
  // MARK: JSON

  /// One JSON document, keys in a fixed order, numbers rounded for reading (money to
  /// 1e-6 USD, percentages to 1e-4); identical bytes for identical results.
  public static func json(_ result: ScenarioResult) -> String {
    let zone = TimeZone(identifier: result.timeZone) ?? TimeZone(identifier: "UTC")!
    let scenario: JSONValue = .object([
      ("name", .string(result.scenarioName)),
      ("description", result.scenarioDescription.map(JSONValue.string) ?? .null),
      ("file", .string(result.file)),
      ("timeZone", .string(result.timeZone)),
      ("region", .string(result.region)),
      ("start", .string(isoString(result.start, zone: zone))),
      ("end", .string(isoString(result.end, zone: zone))),
      ("tickSeconds", .number(result.tickSeconds)),
      ("seed", .string(String(result.seed))),
      ("demandSource", .string(result.demandSource)),
      ("demandUnits", .rounded(result.demandUnits, places: 3)),
    ])
    let variants: [JSONValue] = result.variants.map { variant in
      let s = variant.statistics
      return .object([
        ("name", .string(variant.name)),
        ("description", variant.description.map(JSONValue.string) ?? .null),
        ("instanceType", .string(variant.instanceType)),
        ("policies", .array(variant.policySummaries.map(JSONValue.string))),
        ("instanceHours", .rounded(variant.billedInstanceHours, places: 6)),
        ("onDemandUSDPerHour", .number(variant.onDemandUSDPerHour)),
        ("costUSD", .rounded(variant.costUSD, places: 6)),
        ("peakInstances", .integer(s.peakInstances)),
        ("meanInstances", .rounded(s.meanInstances, places: 4)),
        ("meanCPUUtilizationPercent", .rounded(s.meanCPUUtilization, places: 4)),
        ("minutesAboveCPU80", .rounded(s.minutesAboveCPU80, places: 4)),
        ("demandUnits", .rounded(s.demandUnits, places: 3)),
        ("servedUnits", .rounded(s.servedUnits, places: 3)),
        ("delayedUnits", .rounded(s.delayedUnits, places: 3)),
        ("delayedPercent", .rounded(s.delayedShare * 100, places: 4)),
        ("scaleOutActions", .integer(s.scaleOutActions)),
        ("scaleInActions", .integer(s.scaleInActions)),
      ])
    }
    return JSONValue.object([("scenario", scenario), ("variants", .array(variants))]).rendered()
  }

  // MARK: Table

  /// A fixed-width comparison, one row per variant, cost delta against the first variant.
  public static func table(_ result: ScenarioResult) -> String {
    let zone = TimeZone(identifier: result.timeZone) ?? TimeZone(identifier: "UTC")!
    let days = result.end.timeIntervalSince(result.start) / 86_400
    var out = "\(result.scenarioName) — \(result.file)\n"
    if let description = result.scenarioDescription, !description.isEmpty {
      out += "\(description)\n"
    }
    out += "Demand: \(result.demandSource), \(dayString(result.start, zone: zone)) to \(dayString(result.end, zone: zone)) "
    out += "\(result.timeZone) (\(formatted(days, decimals: 1)) days, tick \(formatted(result.tickSeconds, decimals: 0)) s, seed \(result.seed)), "
    out += "\(grouped(result.demandUnits)) units in \(result.region)\n\n"

    let headers = [
      "variant", "instance-h", "cost USD", "vs first", "peak", "mean", "CPU %", "min >80%",
      "delayed", "delayed %", "out/in",
    ]
    let first = result.variants.first?.costUSD ?? 0
    var rows: [[String]] = []
    for variant in result.variants {
      let s = variant.statistics
      let delta = first > 0 ? (variant.costUSD - first) / first * 100 : 0
      rows.append([
        variant.name,
        grouped(variant.billedInstanceHours, decimals: 1),
        grouped(variant.costUSD, decimals: 2),
        variant.name == result.variants.first?.name ? "—" : signed(delta) + "%",
        String(s.peakInstances),
        formatted(s.meanInstances, decimals: 1),
        formatted(s.meanCPUUtilization, decimals: 1),
        grouped(s.minutesAboveCPU80, decimals: 0),
        grouped(s.delayedUnits, decimals: 0),
        formatted(s.delayedShare * 100, decimals: 3),
        "\(s.scaleOutActions)/\(s.scaleInActions)",
      ])
    }
    out += TextGrid(headers: headers, rows: rows, leftAligned: [0]).rendered()
    if let cheapest = result.variants.min(by: { $0.costUSD < $1.costUSD }),
      let fewestDelays = result.variants.min(by: { $0.statistics.delayedUnits < $1.statistics.delayedUnits })
    {
      out += "\nCheapest: \(cheapest.name) (\(grouped(cheapest.costUSD, decimals: 2)) USD). "
      out += "Fewest delayed units: \(fewestDelays.name) (\(formatted(fewestDelays.statistics.delayedShare * 100, decimals: 3))%).\n"
    }
    out += "Costs are on-demand list prices, per-second billing with a 60 s minimum per instance.\n"
    return out
  }

  // MARK: Formatting helpers (locale-independent, deterministic)

  static func isoString(_ date: Date, zone: TimeZone) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = zone
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }

  static func dayString(_ date: Date, zone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    func two(_ v: Int?) -> String { v.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
    return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
  }

  static func formatted(_ value: Double, decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
  }

  static func signed(_ value: Double) -> String {
    (value >= 0 ? "+" : "") + String(format: "%.1f", value)
  }

  /// Thousands separated with commas, e.g. 1,234,567.89.
  static func grouped(_ value: Double, decimals: Int = 0) -> String {
    let text = String(format: "%.\(decimals)f", value)
    let negative = text.hasPrefix("-")
    let body = negative ? String(text.dropFirst()) : text
    let parts = body.split(separator: ".", maxSplits: 1)
    let integer = Array(parts[0])
    var groupedInteger = ""
    for (i, digit) in integer.enumerated() {
      if i > 0 && (integer.count - i) % 3 == 0 { groupedInteger += "," }
      groupedInteger.append(digit)
    }
    let fraction = parts.count > 1 ? "." + parts[1] : ""
    return (negative ? "-" : "") + groupedInteger + fraction
  }
}

/// Columns padded to their widest cell; numbers right-aligned unless listed.
struct TextGrid {
  var headers: [String]
  var rows: [[String]]
  var leftAligned: Set<Int>

  func rendered() -> String {
    var widths = headers.map(\.count)
    for row in rows {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { i, cell in
        let pad = String(repeating: " ", count: widths[i] - cell.count)
        return leftAligned.contains(i) ? cell + pad : pad + cell
      }.joined(separator: "  ")
    }
    var out = line(headers) + "\n"
    out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    for row in rows { out += line(row) + "\n" }
    return out
  }
}
