import Foundation
import Results

/// A sweep's table: one row per grid point, the same columns in CSV and JSON Lines, readable
/// as they are by DuckDB (`read_csv_auto`, `read_json_auto`) and pandas.
///
/// A row is first turned into cells (`cells(of:schema:)`: each value's text, nil for none),
/// and every output is rendered from cells: the CSV line, the JSON line, a shard part's
/// line, and the summary (which reads its numbers back from the cells). Numbers are written
/// as Swift's shortest text that reads back to the same `Double`, so a part's cells give
/// `capsim merge` exactly the bytes the unsharded sweep writes.
///
/// Columns, in order: `point` (0-based grid index), the axes' columns, `cost_usd`,
/// `billed_instance_hours`, `peak_instances`, `mean_instances`, `mean_cpu_percent`,
/// `delayed_percent`, `minutes_above_cpu_80`, `minutes_above_cpu_80_per_day`,
/// `latency_p99_ms` (empty / null without latency), `scale_out_actions`,
/// `scale_in_actions`, then `meets_<slo>` (true/false) per objective.
public enum SweepTable {
  public enum Kind: Sendable, Equatable {
    case integer, number, text, boolean
  }

  public struct Column: Sendable, Equatable {
    public var name: String
    public var kind: Kind
  }

  /// One row: a text per column, nil for no value (an empty CSV field, JSON null).
  public typealias Cells = [String?]

  static let metricColumns: [Column] = [
    Column(name: "cost_usd", kind: .number), Column(name: "billed_instance_hours", kind: .number),
    Column(name: "peak_instances", kind: .integer), Column(name: "mean_instances", kind: .number),
    Column(name: "mean_cpu_percent", kind: .number), Column(name: "delayed_percent", kind: .number),
    Column(name: "minutes_above_cpu_80", kind: .number), Column(name: "minutes_above_cpu_80_per_day", kind: .number),
    Column(name: "latency_p99_ms", kind: .number), Column(name: "scale_out_actions", kind: .integer),
    Column(name: "scale_in_actions", kind: .integer),
  ]

  public static func columns(_ schema: SweepSchema) -> [Column] {
    var columns = [Column(name: "point", kind: .integer)]
    for axis in schema.axes {
      for (name, isNumeric) in zip(axis.columns, axis.isNumeric) { columns.append(Column(name: name, kind: isNumeric ? .number : .text)) }
    }
    columns += metricColumns
    columns += schema.objectives.map { Column(name: "meets_\($0.name)", kind: .boolean) }
    return columns
  }

  public static func cells(of result: SweepPointResult, schema: SweepSchema) -> Cells {
    let m = result.metrics
    var cells: Cells = [String(result.point)]
    cells += result.axisCells.map { Optional($0) }
    cells += [
      number(m.costUSD), number(m.billedInstanceHours), String(m.peakInstances), number(m.meanInstances),
      number(m.meanCPUPercent), number(m.delayedPercent), number(m.minutesAboveCPU80), number(m.minutesAboveCPU80PerDay),
      m.latencyP99Milliseconds.flatMap(number), String(m.scaleOutActions), String(m.scaleInActions),
    ]
    cells += schema.objectives.map { $0.isMet(by: m.value(of: $0.metric)) ? "true" : "false" }
    return cells
  }

  /// Swift's shortest round-trip text (`0.1`, `1234.5`, `1e-05`); nil for a non-finite value.
  static func number(_ x: Double) -> String? { x.isFinite ? "\(x)" : nil }

  // MARK: CSV (RFC 4180)

  public static func csvHeader(_ schema: SweepSchema) -> String {
    columns(schema).map { csvField($0.name) }.joined(separator: ",") + "\n"
  }

  public static func csvLine(_ cells: Cells) -> String {
    cells.map { $0.map(csvField) ?? "" }.joined(separator: ",") + "\n"
  }

  static func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix(" ") || text.hasSuffix(" ")
    else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  // MARK: JSON Lines

  public static func jsonLine(_ cells: Cells, schema: SweepSchema) -> String {
    let columns = columns(schema)
    precondition(cells.count == columns.count, "a sweep row has \(cells.count) cells for \(columns.count) columns")
    let members = zip(columns, cells).map { column, cell -> String in
      let value: String
      switch (cell, column.kind) {
      case (nil, _): value = "null"
      case (let text?, .text): value = jsonString(text)
      case (let text?, _): value = text
      }
      return "\(jsonString(column.name)):\(value)"
    }
    return "{" + members.joined(separator: ",") + "}\n"
  }

  static func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// A row in a shard part: a JSON array of the cells' texts (strings or null), read back
  /// exactly by `JSONDecoder`.
  public static func partLine(_ cells: Cells) -> String {
    "[" + cells.map { $0.map(jsonString) ?? "null" }.joined(separator: ",") + "]\n"
  }
}
