import Foundation

extension SavingsPlanRates {
  /// Column names of a Savings Plans rates CSV:
  ///
  /// ```
  /// plan_type,family,region,term,payment,discount_pct,source
  /// compute,m5,,1y,no-upfront,28,our Cost Explorer 2025-05
  /// ec2-instance,m5,us-east-1,3y,all-upfront,61,...
  /// ```
  ///
  /// `plan_type` is `compute` or `ec2-instance`; `region` empty = any region; `term` `1y` or
  /// `3y`; `payment` `no-upfront`, `partial-upfront` or `all-upfront`; `discount_pct` the
  /// discount versus on-demand in percent (0 to below 100). `source` (optional, unquoted)
  /// says where the figure comes from; it is not read.
  enum Column {
    static let required = ["plan_type", "family", "term", "payment", "discount_pct"]
    static let optional = ["region", "source"]
  }

  /// Parses rates CSV text; `fileName` names it in errors.
  /// - Throws: `BillingError.malformedCSV` naming the line and column of the first problem,
  ///   including a key listed twice.
  public init(csv: String, fileName: String) throws {
    let table = try CSVTable(text: csv, fileName: fileName)
    let columns = try table.columns(required: Column.required, optional: Column.optional)
    self.init()
    var lineByKey: [Key: Int] = [:]
    for row in table.rows {
      func enumCell<T: RawRepresentable & CaseIterable>(_ name: String, _: T.Type) throws -> T
      where T.RawValue == String {
        let text = try columns.text(name, in: row)
        guard let value = T(rawValue: text) else {
          let index = columns.indexByName[name]!
          throw BillingError.malformedCSV(
            file: fileName, line: row.line, column: index + 1, field: name,
            expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", "),
            found: "'\(text)'")
        }
        return value
      }
      let key = Key(
        planType: try enumCell("plan_type", SavingsPlanType.self),
        family: try columns.text("family", in: row),
        region: columns.optionalText("region", in: row),
        term: try enumCell("term", CommitmentTerm.self),
        payment: try enumCell("payment", PaymentOption.self))
      let percent = try columns.number("discount_pct", "percent", in: row)
      guard percent < 100 else {
        let index = columns.indexByName["discount_pct"]!
        throw BillingError.malformedCSV(
          file: fileName, line: row.line, column: index + 1, field: "discount_pct",
          expected: "a percentage from 0 to below 100", found: "'\(percent)'")
      }
      if let first = lineByKey.updateValue(row.line, forKey: key) {
        throw BillingError.malformedCSV(
          file: fileName, line: row.line, column: nil, field: nil,
          expected: "one row per (plan_type, family, region, term, payment)",
          found: "the same key again (first on line \(first))")
      }
      try setDiscountPercent(
        percent, planType: key.planType, family: key.family, region: key.region, term: key.term,
        payment: key.payment)
    }
  }

  /// Loads a rates CSV file (schema in ``init(csv:fileName:)``); errors name `path`.
  public static func load(path: String) throws -> SavingsPlanRates {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw BillingError.unreadableFile(path: path, reason: "no readable file at that path")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw BillingError.unreadableFile(path: path, reason: "bytes that are not valid UTF-8")
    }
    return try SavingsPlanRates(csv: text, fileName: path)
  }
}
