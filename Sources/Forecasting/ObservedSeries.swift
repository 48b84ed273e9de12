import Foundation
import Workload

/// Values on a regular grid to fit and forecast: `values[i]` covers
/// `[start + i * intervalSeconds, start + (i + 1) * intervalSeconds)`. NaN marks a missing
/// observation (skipped by the fit); unlike `DemandSeries`, nothing else is checked here:
/// the model reports unusable input as `ForecastingError`.
public struct ObservedSeries: Sendable, Equatable {
  public var start: Date
  /// Interval length, seconds (> 0).
  public var intervalSeconds: Double
  public var values: [Double]

  public init(start: Date, intervalSeconds: Double, values: [Double]) {
    self.start = start
    self.intervalSeconds = intervalSeconds
    self.values = values
  }

  /// The demand rates (units per minute) of a `DemandSeries`.
  public init(_ demand: DemandSeries) {
    self.init(start: demand.start, intervalSeconds: demand.intervalSeconds, values: demand.valuesPerMinute)
  }

  public var count: Int { values.count }

  /// Points per day at this interval (not necessarily whole).
  public var pointsPerDay: Double { 86_400 / intervalSeconds }

  /// The first `count` values.
  public func prefix(_ count: Int) -> ObservedSeries {
    ObservedSeries(start: start, intervalSeconds: intervalSeconds, values: Array(values.prefix(count)))
  }
}
