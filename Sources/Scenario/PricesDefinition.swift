import Foundation

/// The scenario's `prices:` block: a price catalog to use instead of the shipped one (for
/// example one written by `capsim prices import` from the AWS Price List), and optionally
/// a Savings Plans rates CSV beside it.
///
/// ```yaml
/// prices:
///   catalog: prices/ec2-prices.csv                  # the catalog CSV schema
///   savingsPlanRates: prices/savings-plan-rates.csv # optional; inline savingsPlanRates win
/// ```
public struct PricesDefinition: Sendable, Equatable {
  /// The prices CSV (schema of `PRICING-SOURCES.md`), resolved against the scenario's directory.
  public var catalog: URL
  /// A Savings Plans rates CSV (`plan_type,family,region,term,payment,discount_pct`).
  public var savingsPlanRates: URL?
  /// Where the block starts.
  public var location: SourceLocation

  public init(catalog: URL, savingsPlanRates: URL? = nil, location: SourceLocation) {
    self.catalog = catalog
    self.savingsPlanRates = savingsPlanRates
    self.location = location
  }
}
