/// Typed access to the cells of a row by column name, with errors naming file, line and
/// column.
struct CSVColumns {
  var fileName: String
  var header: [String]
  var indexByName: [String: Int]

  private func error(_ row: CSVTable.Row, _ index: Int, expected: String) -> BillingError {
    let cell = row.cells[index]
    return .malformedCSV(
      file: fileName, line: row.line, column: index + 1, field: header[index],
      expected: expected, found: cell.isEmpty ? "an empty cell" : "'\(cell)'")
  }

  /// A required, non-empty text cell.
  func text(_ name: String, in row: CSVTable.Row) throws -> String {
    guard let value = optionalText(name, in: row) else {
      throw error(row, indexByName[name]!, expected: "a non-empty \(name)")
    }
    return value
  }

  /// A text cell; nil when the column is absent or the cell is empty.
  func optionalText(_ name: String, in row: CSVTable.Row) -> String? {
    guard let index = indexByName[name], !row.cells[index].isEmpty else { return nil }
    return String(row.cells[index])
  }

  /// A required non-negative finite decimal number (`unit` names it in errors).
  func number(_ name: String, _ unit: String, in row: CSVTable.Row) throws -> Double {
    let index = indexByName[name]!
    guard let value = try optionalNumber(name, unit, in: row) else {
      throw error(row, index, expected: "a non-negative number (\(unit))")
    }
    return value
  }

  /// A non-negative finite decimal number; nil when the column is absent or the cell empty.
  func optionalNumber(_ name: String, _ unit: String, in row: CSVTable.Row) throws -> Double? {
    guard let index = indexByName[name] else { return nil }
    let cell = row.cells[index]
    if cell.isEmpty { return nil }
    // Plain decimals only: Double("nan"), Double("inf") and hex floats parse but are not prices.
    guard cell.utf8.allSatisfy({ Self.decimalBytes.contains($0) }),
      let value = Double(cell), value.isFinite, value >= 0
    else {
      throw error(row, index, expected: "a non-negative number (\(unit))")
    }
    return value
  }

  /// A required integer within `range`.
  func integer(
    _ name: String, in row: CSVTable.Row, range: ClosedRange<Int> = 0...Int.max
  ) throws -> Int {
    let index = indexByName[name]!
    guard let value = Int(row.cells[index]), range.contains(value) else {
      let bounds = range.upperBound == .max ? "\(range.lowerBound) or more" : "\(range)"
      throw error(row, index, expected: "an integer \(bounds)")
    }
    return value
  }

  private static let decimalBytes = Set("0123456789.eE+-".utf8)
}
