/// Where a ``FleetBill`` streams its ``CostLineItem``s: one call per clock-hour, in hour
/// order, so a sink that writes each batch out keeps memory flat in the number of rows.
///
/// The `rows` array is reused by the caller after `consume` returns; copy what you keep.
public protocol LineItemSink {
  /// Receives all rows of one clock-hour (never empty).
  mutating func consume(hourRows rows: [CostLineItem]) throws
  /// Called once after the last hour; flush here.
  mutating func finish() throws
}

extension LineItemSink {
  public mutating func finish() throws {}
}

/// A sink that keeps only running totals: row count and the sums of `BilledCost`,
/// `EffectiveCost` and `ListCost`. For conservation checks (Σ line items = bill totals)
/// and throughput measurements.
public struct LineItemTotals: LineItemSink, Sendable, Equatable {
  public private(set) var rowCount = 0
  public private(set) var hourCount = 0
  public private(set) var billedCostUSD = 0.0
  public private(set) var effectiveCostUSD = 0.0
  public private(set) var listCostUSD = 0.0
  /// The most rows received in one call.
  public private(set) var largestHourRowCount = 0

  public init() {}

  public mutating func consume(hourRows rows: [CostLineItem]) throws {
    rowCount += rows.count
    hourCount += 1
    largestHourRowCount = max(largestHourRowCount, rows.count)
    for row in rows {
      billedCostUSD += row.billedCost
      effectiveCostUSD += row.effectiveCost
      listCostUSD += row.listCost
    }
  }
}
