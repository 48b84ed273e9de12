import Foundation

/// Demand on a regular time grid: the mean rate over each interval, in demand units
/// (orders, requests) per minute.
///
///     let series = try DemandSeries(
///       start: Date(timeIntervalSince1970: 0), intervalSeconds: 300, valuesPerMinute: [10, 20])
///     series.totalUnits                        // 150: 10/min for 5 min + 20/min for 5 min
///     series.value(atOffsetSeconds: 400)       // 20
///
/// Invariants (checked by the throwing initializer; every loader, transform and generator
/// returns series that keep them): `intervalSeconds` is finite and > 0; there is at least
/// one value; every value is finite and >= 0. Interval `i` covers
/// `[start + i * intervalSeconds, start + (i + 1) * intervalSeconds)`.
///
/// Loaders: `loadCSV(path:options:)`, `loadCloudWatchJSON(path:options:metricId:statistic:)`.
/// Transforms (`DemandSeries+Transforms.swift`) return new series.
public struct DemandSeries: Sendable, Equatable {
  /// The instant interval 0 begins.
  public let start: Date
  /// Length of every interval, seconds (> 0).
  public let intervalSeconds: Double
  /// Mean demand rate over each interval, units per minute (finite, >= 0).
  public let valuesPerMinute: [Double]

  /// Longest series any loader, transform or generator builds: 50 million intervals
  /// (95 years of minutes, 400 MB of values). A file whose timestamps would need more is
  /// almost certainly mistyped (epoch milliseconds read as seconds, a wrong year).
  public static let maximumCount = 50_000_000

  /// Validates the invariants above; errors name the offending argument.
  public init(start: Date, intervalSeconds: Double, valuesPerMinute: [Double]) throws(WorkloadError) {
    let source = "DemandSeries"
    guard intervalSeconds.isFinite, intervalSeconds > 0 else {
      throw WorkloadError(
        source: source, location: .parameter("intervalSeconds"),
        problem: .invalidArgument(expected: "a finite number of seconds > 0", found: "\(intervalSeconds)"))
    }
    guard !valuesPerMinute.isEmpty else {
      throw WorkloadError(
        source: source, location: .parameter("valuesPerMinute"),
        problem: .invalidArgument(expected: "at least one value", found: "an empty array"))
    }
    guard valuesPerMinute.count <= Self.maximumCount else {
      throw WorkloadError(source: source, problem: .tooManyIntervals(count: Double(valuesPerMinute.count)))
    }
    for (index, value) in valuesPerMinute.enumerated() where !(value.isFinite && value >= 0) {
      throw WorkloadError(
        source: source, location: .parameter("valuesPerMinute[\(index)]"),
        problem: .invalidArgument(expected: "a finite rate >= 0 units per minute", found: "\(value)"))
    }
    self.init(unchecked: start, intervalSeconds: intervalSeconds, valuesPerMinute: valuesPerMinute)
  }

  /// For values already known to keep the invariants.
  init(unchecked start: Date, intervalSeconds: Double, valuesPerMinute: [Double]) {
    precondition(
      intervalSeconds.isFinite && intervalSeconds > 0 && !valuesPerMinute.isEmpty,
      "DemandSeries invariant broken: intervalSeconds \(intervalSeconds), count \(valuesPerMinute.count)")
    self.start = start
    self.intervalSeconds = intervalSeconds
    self.valuesPerMinute = valuesPerMinute
  }

  /// Number of intervals.
  public var count: Int { valuesPerMinute.count }

  /// Length of the whole series, seconds.
  public var durationSeconds: Double { Double(count) * intervalSeconds }

  /// The instant the last interval ends (exclusive).
  public var end: Date { start.addingTimeInterval(durationSeconds) }

  /// Demand units over the whole series: the sum of `value * intervalSeconds / 60`.
  /// - Complexity: O(count).
  public var totalUnits: Double {
    let minutesPerInterval = intervalSeconds / 60
    return valuesPerMinute.reduce(0) { $0 + $1 * minutesPerInterval }
  }

  /// The rate (units per minute) of the interval containing `offsetSeconds` after `start`;
  /// nil before `start`, at or after `end`, or for a non-finite offset.
  public func value(atOffsetSeconds offsetSeconds: Double) -> Double? {
    guard offsetSeconds.isFinite, offsetSeconds >= 0 else { return nil }
    let position = offsetSeconds / intervalSeconds
    guard position < Double(count) else { return nil }
    let index = Int(position)
    return index < count ? valuesPerMinute[index] : nil
  }

  /// The instant interval `index` begins.
  public func date(atIndex index: Int) -> Date {
    start.addingTimeInterval(Double(index) * intervalSeconds)
  }
}
