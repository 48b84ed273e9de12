/// Settings of one ``FleetBill`` beyond usage, commitments and prices.
public struct BillingOptions: Sendable, Equatable {
  /// The longest horizon, in hours (ten 365-day years).
  public static let maximumHorizonHours = 87_600

  /// Clock-hours the bill covers at least (the scenario length), from hour 0; commitment
  /// fees are owed in each of them. nil = through the last hour with billed usage. Usage
  /// past the horizon extends the bill rather than being dropped.
  public var horizonHours: Int?
  /// Spot prices in USD per instance-hour, from the scenario; they win over the catalog.
  public var spotUSDPerHour: [RegionalInstanceType: Double]
  /// Where unused commitment (waste) goes in the showback.
  public var wasteAttribution: WasteAttribution

  public init(
    horizonHours: Int? = nil, spotUSDPerHour: [RegionalInstanceType: Double] = [:],
    wasteAttribution: WasteAttribution = .unallocated
  ) {
    self.horizonHours = horizonHours
    self.spotUSDPerHour = spotUSDPerHour
    self.wasteAttribution = wasteAttribution
  }
}

/// Where the cost of unused commitment goes in the showback.
public enum WasteAttribution: String, Codable, Sendable, Hashable, CaseIterable {
  /// One separate "unused commitments" amount, charged to no service: the default, because
  /// waste is the buyer's decision, not a service's usage (it is what FOCUS shows as rows
  /// with `CommitmentDiscountStatus` = Unused and no resource).
  case unallocated
  /// Each commitment's waste spread over the services it covered, in proportion to the
  /// on-demand value of their covered usage; waste of a commitment that covered nothing
  /// stays unallocated.
  case coveredUsageShare = "covered-usage-share"
}
