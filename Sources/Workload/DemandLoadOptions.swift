import Foundation

/// How the CSV and CloudWatch loaders read values and timestamps.
public struct DemandLoadOptions: Sendable, Equatable {
  /// What one value in the file means.
  public enum ValueMeaning: String, Sendable, Equatable, CaseIterable {
    /// Units counted over the whole interval (CloudWatch Sum, NAB counts): divided by the
    /// interval in minutes.
    case totalPerInterval
    /// Mean units per minute over the interval: taken as is.
    case ratePerMinute
    /// Mean units per second over the interval: multiplied by 60.
    case ratePerSecond
  }

  /// What to do with interval slots that have no row.
  public enum GapPolicy: String, Sendable, Equatable, CaseIterable {
    /// Stop at the first gap, naming the row after it, the expected timestamp and the
    /// number of missing intervals.
    case error
    /// Fill missing intervals on a straight line between the rates on either side.
    case interpolate
    /// Fill missing intervals with zero demand.
    case zero
  }

  public var valueMeaning: ValueMeaning
  public var gaps: GapPolicy
  /// Interval length, seconds (> 0). When nil it is inferred: the most common difference
  /// between consecutive timestamps (ties go to the shorter difference).
  public var intervalSeconds: Double?
  /// The zone of timestamps written without an offset (`2026-01-05 12:00:00`). Local times
  /// the clocks repeat (fall-back) take the earliest reading after the previous row, so a
  /// file that lists the repeated hour twice reads correctly; local times the clocks skip
  /// are an error.
  public var naiveTimeZone: TimeZone

  public init(
    valueMeaning: ValueMeaning = .totalPerInterval,
    gaps: GapPolicy = .error,
    intervalSeconds: Double? = nil,
    naiveTimeZone: TimeZone = TimeZone(identifier: "UTC")!
  ) {
    self.valueMeaning = valueMeaning
    self.gaps = gaps
    self.intervalSeconds = intervalSeconds
    self.naiveTimeZone = naiveTimeZone
  }
}

/// The statistic read from `aws cloudwatch get-metric-statistics` datapoints.
public enum CloudWatchStatistic: String, Sendable, Equatable, CaseIterable {
  case sum = "Sum"
  case average = "Average"
  case maximum = "Maximum"
  case minimum = "Minimum"
  case sampleCount = "SampleCount"
}
