/// Everything that can go wrong in Billing: a catalog file that does not match the schema,
/// a price the catalog does not have, usage that cannot be billed, or a commitment, rate or
/// option that does not make sense.
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
  /// One Reserved Instance or Savings Plan is inconsistent or lacks a price; `id` is its id.
  case invalidCommitment(id: String, field: String, expected: String, found: String)
  /// A Savings Plan would cover usage for which no rate is known: neither
  /// ``SavingsPlanRates`` nor the catalog's Savings Plans columns have one. Never a silent
  /// zero discount.
  case missingSavingsPlanRate(
    plan: String, planType: String, family: String, region: String, term: String, payment: String)
  /// Spot usage of a type with no Spot price: not in the scenario's prices, the catalog's
  /// `spot_avg_hourly` or the Spot Advisor's savings.
  case missingSpotPrice(region: String, instanceType: String)
  /// A billing option or a Savings Plans rate is out of range; `field` names it.
  case invalidInput(field: String, expected: String, found: String)
  /// An AWS Price List offer file (EC2 or Savings Plans) that is not the documented shape:
  /// `path` is the JSON path of the problem (`terms.OnDemand.<sku>...`), empty for the
  /// document as a whole.
  case malformedOfferFile(file: String, path: String, expected: String, found: String)

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
    case .invalidCommitment(let id, let field, let expected, let found):
      return "commitment '\(id)': \(field) should be \(expected), found \(found)."
    case .missingSavingsPlanRate(let plan, let planType, let family, let region, let term, let payment):
      return "Savings Plan '\(plan)' applies to \(family) usage in \(region): expected a "
        + "Savings Plans rate for (\(planType), \(family), \(term), \(payment)) in the "
        + "scenario's Savings Plans rates or the price catalog, found none."
    case .missingSpotPrice(let region, let instanceType):
      return "no Spot price for \(instanceType) in \(region): expected a Spot price in the "
        + "scenario, a catalog spot_avg_hourly or a Spot Advisor savings_vs_od_pct row, found none."
    case .invalidInput(let field, let expected, let found):
      return "\(field) should be \(expected), found \(found)."
    case .malformedOfferFile(let file, let path, let expected, let found):
      let at = path.isEmpty ? file : "\(file): at \(path)"
      return "\(at): expected \(expected), found \(found)."
    }
  }
}
