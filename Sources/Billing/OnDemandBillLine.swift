/// The on-demand cost of one (region, instance type).
public struct OnDemandBillLine: Sendable, Equatable {
  public var region: String
  public var instanceType: String
  public var onDemandUSDPerHour: Double
  /// Σ count over this line's usage records.
  public var instanceStarts: Int
  /// Σ count × (end - start), before rounding and the 60-second minimum.
  public var runningInstanceSeconds: Double
  /// Σ count × max(60, ceil(end - start)); a whole number.
  public var billedInstanceSeconds: Double
  /// `billedInstanceSeconds × onDemandUSDPerHour / 3600`.
  public var costUSD: Double
  /// Billed instance-seconds per clock-hour; `OnDemandBill.hourCount` entries.
  public var hourlyBilledInstanceSeconds: [Double]
  /// Cost per clock-hour in USD; `OnDemandBill.hourCount` entries.
  public var hourlyCostUSD: [Double]

  public var key: RegionalInstanceType {
    RegionalInstanceType(region: region, instanceType: instanceType)
  }

  /// `billedInstanceSeconds` in hours.
  public var billedInstanceHours: Double { billedInstanceSeconds / OnDemandBill.secondsPerHour }
}
