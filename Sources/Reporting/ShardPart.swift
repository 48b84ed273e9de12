import Foundation
import Results

/// Which of `n` slices a process runs: `--shard i/n`, i from 1. Slice i holds the items
/// (sweep points, run items, recommend runs) `i-1, i-1+n, i-1+2n, ...`: strided, so every
/// slice gets a share of each region of the grid (the grid's first axis often decides the
/// cost of a point), and a slice can be empty when n is larger than the number of items.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
  /// 1...count.
  public var index: Int
  public var count: Int

  public static let maximumCount = 100_000

  public init(index: Int, count: Int) {
    precondition((1...Self.maximumCount).contains(count) && (1...count).contains(index), "shard \(index)/\(count)")
    self.index = index
    self.count = count
  }

  /// Reads `i/n`; nil (for the caller's message) when it is not two integers with 1 <= i <= n <= 100000.
  public init?(parsing text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } && $0.count <= 6 }),
      let i = Int(parts[0]), let n = Int(parts[1]), (1...Self.maximumCount).contains(n), (1...n).contains(i)
    else { return nil }
    self.init(index: i, count: n)
  }

  public var description: String { "\(index)/\(count)" }

  /// The items of `total` this shard runs, in order.
  public func items(of total: Int) -> [Int] { Array(stride(from: index - 1, to: total, by: count)) }

  /// How many items of `total` this shard runs (`items(of:).count`, without making them).
  public func itemCount(of total: Int) -> Int { total >= index ? (total - index) / count + 1 : 0 }
}

/// The first line of a part file: what produced it. `capsim merge` combines parts only when
/// everything but the shard index agrees.
public struct ShardPartHeader: Codable, Sendable, Equatable {
  public static let currentFormat = "capsim-part-1"

  public var format = ShardPartHeader.currentFormat
  /// The subcommand: `sweep`, `run` or `recommend`.
  public var command: String
  /// The options that change the output, in a canonical order.
  public var arguments: [String]
  /// `ScenarioDefinition.contentSHA256`: the scenario and its data files.
  public var scenarioSHA256: String
  public var shard: Int
  public var shards: Int
  /// Items of the whole run, over all shards: sweep points, `run`'s items (`RunShardItem`)
  /// or `recommend`'s ranking runs (`RecommendShardRun`).
  public var totalPoints: Int
  public var capsimVersion: String
  /// The sweep's table shape (sweep parts).
  public var sweep: SweepSchema?

  public init(
    command: String, arguments: [String], scenarioSHA256: String, shard: Shard, totalPoints: Int, capsimVersion: String,
    sweep: SweepSchema?
  ) {
    self.command = command
    self.arguments = arguments
    self.scenarioSHA256 = scenarioSHA256
    self.shard = shard.index
    self.shards = shard.count
    self.totalPoints = totalPoints
    self.capsimVersion = capsimVersion
    self.sweep = sweep
  }

  /// The header as one line of JSON (keys sorted).
  public func line() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(self)) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

/// A part file that cannot be merged, named.
public struct ShardPartError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The offending part file ("" when the problem is the set of parts, e.g. one is missing).
  public var file: String
  public var message: String

  public var description: String { file.isEmpty ? message : "\(file): \(message)" }
}

/// Reads part files and checks they are the complete set of one run.
public enum ShardMerge {
  public struct Part: Sendable {
    public var file: String
    public var header: ShardPartHeader
    /// The body lines after the header.
    public var lines: [Substring]
  }

  /// Each part's header read and checked against the first: same command, arguments,
  /// scenario hash, shard count, point count and version; every shard 1...n exactly once.
  public static func read(_ files: [(path: String, text: String)]) throws(ShardPartError) -> [Part] {
    var parts: [Part] = []
    for (path, text) in files {
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      if lines.last == "" { lines.removeLast() }
      guard let first = lines.first, let header = try? JSONDecoder().decode(ShardPartHeader.self, from: Data(first.utf8)),
        header.format == ShardPartHeader.currentFormat
      else {
        let found = lines.first.map { "'\($0.prefix(60))\($0.count > 60 ? "…" : "")'" } ?? "an empty file"
        throw ShardPartError(
          file: path, message: "not a capsim part file: expected a first line {\"format\":\"\(ShardPartHeader.currentFormat)\",...} "
            + "as capsim sweep, run or recommend --shard writes, found \(found)")
      }
      guard (1...Shard.maximumCount).contains(header.shards), (1...header.shards).contains(header.shard) else {
        throw ShardPartError(file: path, message: "shard \(header.shard)/\(header.shards) is not a valid shard (1 <= i <= n <= \(Shard.maximumCount))")
      }
      guard header.totalPoints >= 0 else {
        throw ShardPartError(file: path, message: "totalPoints should be a count of items (0 or more), found \(header.totalPoints)")
      }
      parts.append(Part(file: path, header: header, lines: Array(lines.dropFirst())))
    }
    guard let first = parts.first else { throw ShardPartError(file: "", message: "no part files given") }
    var byShard: [Int: String] = [:]
    for part in parts {
      let h = part.header
      let f = first.header
      let differences: [(String, String, String)] = [
        ("command", h.command, f.command), ("arguments", h.arguments.joined(separator: " "), f.arguments.joined(separator: " ")),
        ("scenario hash", h.scenarioSHA256, f.scenarioSHA256), ("shard count", "\(h.shards)", "\(f.shards)"),
        ("total points", "\(h.totalPoints)", "\(f.totalPoints)"), ("capsim version", h.capsimVersion, f.capsimVersion),
        ("sweep table", h.sweep.map { "\($0)" } ?? "none", f.sweep.map { "\($0)" } ?? "none"),
      ].filter { $0.1 != $0.2 }
      if let (field, found, expected) = differences.first {
        throw ShardPartError(
          file: part.file, message: "a part of a different run: its \(field) is '\(found)', but \(first.file) has '\(expected)'")
      }
      if let other = byShard[h.shard] {
        throw ShardPartError(file: part.file, message: "shard \(h.shard)/\(h.shards) is given twice (also \(other))")
      }
      byShard[h.shard] = part.file
    }
    let missing = (1...first.header.shards).filter { byShard[$0] == nil }
    if !missing.isEmpty {
      let list = missing.prefix(20).map(String.init).joined(separator: ", ") + (missing.count > 20 ? ", ..." : "")
      throw ShardPartError(
        file: "", message: "missing part\(missing.count == 1 ? "" : "s"): shard\(missing.count == 1 ? "" : "s") \(list) "
          + "of \(first.header.shards) (given: \(parts.map(\.file).joined(separator: ", ")))")
    }
    return parts.sorted { $0.header.shard < $1.header.shard }
  }

  /// The sweep rows of a complete set of parts, in point order. Each part must hold exactly
  /// its shard's points, in order (a truncated or edited part is an error naming it).
  public static func sweepRows(_ parts: [Part]) throws(ShardPartError) -> (schema: SweepSchema, rows: [SweepTable.Cells]) {
    guard let schema = parts.first?.header.sweep, parts.first?.header.command == "sweep" else {
      throw ShardPartError(file: parts.first?.file ?? "", message: "not a sweep part (its header has no sweep table)")
    }
    let total = schema.totalPoints
    if let problem = schemaProblem(schema, header: parts[0].header) {
      throw ShardPartError(file: parts[0].file, message: "the header's sweep table is not one capsim writes: \(problem)")
    }
    try checkCounts(parts, total: total, noun: "points", records: "rows")
    let columns = SweepTable.columns(schema)
    let axisColumnCount = schema.axes.reduce(0) { $0 + $1.columns.count }
    var rows = [SweepTable.Cells?](repeating: nil, count: total)
    for part in parts {
      let shard = Shard(index: part.header.shard, count: part.header.shards)
      for (offset, (line, point)) in zip(part.lines, shard.items(of: total)).enumerated() {
        guard let cells = try? JSONDecoder().decode([String?].self, from: Data(line.utf8)), cells.count == columns.count,
          cells[0] == String(point)
        else {
          throw ShardPartError(
            file: part.file, message: "row \(offset + 2) should be point \(point) with \(columns.count) cells, found '\(line.prefix(60))'")
        }
        for (position, (column, cell)) in zip(columns, cells).enumerated() {
          let isAxis = (1..<1 + axisColumnCount).contains(position)
          guard let cell, !cellFits(cell, column.kind, isAxis: isAxis) else { continue }
          let expected =
            switch column.kind {
            case .boolean: "true or false"
            case .integer: "an integer"
            case .number: isAxis ? "a JSON number" : "a finite number in Swift's shortest form"
            case .text: "text"
            }
          throw ShardPartError(
            file: part.file,
            message: "row \(offset + 2), column '\(column.name)': expected \(expected) as capsim writes it, found '\(cell.prefix(60))'")
        }
        rows[point] = cells
      }
    }
    return (schema, rows.map { $0! })
  }

  /// Whether a cell's text is what the sweep writes in its column (`SweepTable.cells`): an
  /// axis value as the scenario wrote it (a JSON number in a numeric axis column); a figure
  /// as Swift's shortest text of a finite `Double` or an `Int`; `true` or `false`. Each is
  /// written bare in JSON Lines, so anything else would make an invalid line.
  static func cellFits(_ cell: String, _ kind: SweepTable.Kind, isAxis: Bool) -> Bool {
    switch kind {
    case .text: true
    case .number where isAxis: SweepSchema.isJSONNumber(cell)
    case .number: Double(cell).map { $0.isFinite && SweepTable.number($0) == cell } ?? false
    case .integer: Int(cell).map { String($0) == cell } ?? false
    case .boolean: cell == "true" || cell == "false"
    }
  }

  /// What makes a sweep table's shape one the writers cannot render, or nil: its point
  /// count differs from the header's, an axis has a column without its kind (or the
  /// reverse), or two columns share a name.
  static func schemaProblem(_ schema: SweepSchema, header: ShardPartHeader) -> String? {
    guard schema.totalPoints == header.totalPoints else {
      return "\(schema.totalPoints) points, but the header says \(header.totalPoints)"
    }
    if let axis = schema.axes.first(where: { $0.columns.count != $0.isNumeric.count }) {
      return "axis '\(axis.name)' has \(axis.columns.count) columns and \(axis.isNumeric.count) column kinds"
    }
    var seen = Set<String>()
    for column in SweepTable.columns(schema) where !seen.insert(column.name).inserted {
      return "two columns are named '\(column.name)'"
    }
    return nil
  }

  /// Checks that each part holds exactly its shard's share of `total` items (before any
  /// item is read, so a header's count never sizes an allocation by itself).
  static func checkCounts(_ parts: [Part], total: Int, noun: String, records: String, hint: String = "") throws(ShardPartError) {
    for part in parts {
      let shard = Shard(index: part.header.shard, count: part.header.shards)
      let expected = shard.itemCount(of: total)
      guard part.lines.count == expected else {
        throw ShardPartError(
          file: part.file,
          message: "shard \(shard) of \(total) \(noun) should hold \(expected) \(records), found \(part.lines.count)\(hint)")
      }
    }
  }
}

/// The body lines of `run` and `recommend` parts: one record per line, JSON with sorted
/// keys, doubles as Swift's shortest round-trip text (non-finite ones as the strings
/// `"+Infinity"`, `"-Infinity"`, `"NaN"`). Exactness is checked, not assumed: every line is
/// read back and written again, and a record whose text changes (a double that did not
/// come back bit for bit) is an error rather than a part that would merge to other bytes.
public enum ShardRecordCoding {
  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return encoder
  }

  static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return decoder
  }

  /// The record as one line (with its newline).
  public static func line<T: Codable>(_ record: T) throws -> String {
    let data = try encoder().encode(record)
    let again = try encoder().encode(try decoder().decode(T.self, from: data))
    guard again == data else {
      throw ShardPartError(file: "", message: "a record does not read back exactly (capsim bug): \(String(decoding: data.prefix(200), as: UTF8.self))")
    }
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  public static func record<T: Decodable>(_ type: T.Type, from line: Substring) throws -> T {
    try decoder().decode(T.self, from: Data(line.utf8))
  }
}

extension ShardMerge {
  /// The records of a complete set of `command` parts, in item order: each part must hold
  /// exactly its shard's items of the header's `totalPoints`, in order, each line a record
  /// of `type` whose item (`item`) is the one expected. A part that is not, or a line that
  /// does not read, is an error naming the part and the line.
  public static func records<T: Decodable>(
    _ parts: [Part], command: String, as type: T.Type, item: (T) -> Int
  ) throws(ShardPartError) -> [T] {
    guard let first = parts.first, first.header.command == command else {
      throw ShardPartError(file: parts.first?.file ?? "", message: "not a '\(command)' part")
    }
    let total = first.header.totalPoints
    try checkCounts(parts, total: total, noun: "items", records: "records", hint: " (truncated?)")
    var records = [T?](repeating: nil, count: total)
    for part in parts {
      let shard = Shard(index: part.header.shard, count: part.header.shards)
      for (offset, (line, index)) in zip(part.lines, shard.items(of: total)).enumerated() {
        let record: T
        do { record = try ShardRecordCoding.record(T.self, from: line) } catch {
          throw ShardPartError(
            file: part.file, message: "line \(offset + 2): not a \(command) record (\(error)): '\(line.prefix(60))…'")
        }
        guard item(record) == index else {
          throw ShardPartError(
            file: part.file, message: "line \(offset + 2) should be item \(index), found item \(item(record))")
        }
        records[index] = record
      }
    }
    return records.map { $0! }
  }
}

extension ShardMerge {
  /// The unsharded `capsim run` result of a complete set of `run` parts: their records
  /// (`records`), checked to belong together (`RunShardItem.inconsistency`, naming the part
  /// holding the item at fault), merged.
  public static func runResult(_ parts: [Part]) throws(ShardPartError) -> ScenarioResult {
    let items = try records(parts, command: "run", as: RunShardItem.self, item: \.item)
    guard !items.isEmpty else {
      throw ShardPartError(file: parts.first?.file ?? "", message: "a run of no items (its header's totalPoints is 0)")
    }
    if let (item, problem) = RunShardItem.inconsistency(items) {
      let count = parts[0].header.shards
      let file = parts.first { $0.header.shard == item % count + 1 }?.file ?? ""
      throw ShardPartError(file: file, message: "item \(item) does not merge with the others: \(problem)")
    }
    return RunShardItem.merged(items)
  }
}
