/// A comma-separated table read by hand: the header cells and the data rows with their
/// 1-based line numbers (the header is line 1).
///
/// Why by hand and not a CSV library: the catalog files have a fixed, unquoted format
/// (no cell contains a comma, quote or newline; checked for the shipped copies), so
/// splitting on newlines and commas is the whole parser, it needs no dependency, and it
/// keeps the line number of every row so that errors can point at it. A quote anywhere is
/// rejected rather than split wrongly.
///
/// Accepted: `\n` or `\r\n` line ends, a leading UTF-8 byte-order mark, blank lines
/// (skipped, still counted). Cells are not trimmed; an empty cell is empty, never zero.
struct CSVTable {
  struct Row {
    var line: Int
    var cells: [Substring]
  }

  var fileName: String
  var header: [String]
  var rows: [Row]

  /// - Complexity: O(n) in the length of `text`.
  init(text: String, fileName: String) throws {
    self.fileName = fileName
    var body = Substring(text)
    if body.first == "\u{FEFF}" { body = body.dropFirst() }
    // `Character.isNewline` treats "\r\n" as one line end.
    let lines = body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    var header: [String]?
    var rows: [Row] = []
    rows.reserveCapacity(lines.count)
    for (offset, text) in lines.enumerated() where !text.isEmpty {
      let line = offset + 1
      if text.contains("\"") {
        throw BillingError.malformedCSV(
          file: fileName, line: line, column: nil, field: nil,
          expected: "unquoted comma-separated cells", found: "a double quote")
      }
      let cells = text.split(separator: ",", omittingEmptySubsequences: false)
      guard let header else {
        header = cells.map(String.init)
        continue
      }
      guard cells.count == header.count else {
        throw BillingError.malformedCSV(
          file: fileName, line: line, column: nil, field: nil,
          expected: "\(header.count) cells like the header", found: "\(cells.count) cells")
      }
      rows.append(Row(line: line, cells: cells))
    }
    guard let header else {
      throw BillingError.malformedCSV(
        file: fileName, line: 1, column: nil, field: nil,
        expected: "a header line naming the columns", found: "an empty file")
    }
    self.header = header
    self.rows = rows
  }

  /// Maps the known column names to their positions; the order in the file does not matter.
  /// Throws when a required column is absent, a column is repeated or a name is unknown
  /// (a misspelt optional column would otherwise read as empty).
  func columns(required: [String], optional: [String]) throws -> CSVColumns {
    var indexByName: [String: Int] = [:]
    let known = Set(required + optional)
    for (index, name) in header.enumerated() {
      guard known.contains(name) else {
        throw BillingError.malformedCSV(
          file: fileName, line: 1, column: index + 1, field: name,
          expected: "one of the known columns (\((required + optional).joined(separator: ", ")))",
          found: "unknown column '\(name)'")
      }
      if let first = indexByName[name] {
        throw BillingError.malformedCSV(
          file: fileName, line: 1, column: index + 1, field: name,
          expected: "each column once", found: "'\(name)' again (first in column \(first + 1))")
      }
      indexByName[name] = index
    }
    for name in required where indexByName[name] == nil {
      throw BillingError.malformedCSV(
        file: fileName, line: 1, column: nil, field: name,
        expected: "a header with required column '\(name)'",
        found: "columns \(header.joined(separator: ", "))")
    }
    return CSVColumns(fileName: fileName, header: header, indexByName: indexByName)
  }
}
