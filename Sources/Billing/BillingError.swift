/// Everything that can go wrong in Billing: a catalog file that does not match the schema,
/// a price the catalog does not have, or usage that cannot be billed.
///
/// Each case carries where the problem is, what was expected and what was found;
/// `description` is the one sentence the user reads.
public enum BillingError: Error, CustomStringConvertible, Equatable, Sendable {
  /// A catalog file could not be opened or decoded.
  case unreadableFile(path: String, reason: String)
  /// A header, row or cell of a catalog CSV does not match the schema. `line` is 1-based
  /// (the header is line 1); `column` is the 1-based cell position and `field` its header
  /// name, both nil when the problem is the row as a whole.
  case malformedCSV(
    file: String, line: Int, column: Int?, field: String?, expected: String, found: String)
  /// The catalog has no row for this pair; `regionsOfferingType` lists (sorted) the regions
  /// where the type does have a row, empty when it has none anywhere.
  case missingPrice(region: String, instanceType: String, regionsOfferingType: [String])
  /// One usage record cannot be billed; `record` is its 0-based index in the input array.
  case invalidUsage(record: Int, field: String, expected: String, found: String)

  public var description: String {
    switch self {
    case .unreadableFile(let path, let reason):
      return "\(path): expected a readable UTF-8 CSV file, found \(reason)."
    case .malformedCSV(let file, let line, let column, let field, let expected, let found):
      var at = "\(file):\(line)"
      if let column { at += ":\(column)" }
      if let field { at += " (column '\(field)')" }
      return "\(at): expected \(expected), found \(found)."
    case .missingPrice(let region, let instanceType, let regions):
      let found =
        regions.isEmpty
        ? "no row for \(instanceType) in any region"
        : "\(instanceType) only in \(regions.joined(separator: ", "))"
      return "no price for \(instanceType) in \(region): expected a catalog row with region "
        + "'\(region)' and instance_type '\(instanceType)', found \(found)."
    case .invalidUsage(let record, let field, let expected, let found):
      return "usage record \(record) (0-based): \(field) should be \(expected), found \(found)."
    }
  }
}
