import CivilCalendar
import Foundation

/// What-if transforms. Each returns a new series and rejects a nonsense argument with a
/// `WorkloadError` naming it (never a trap).
extension DemandSeries {
  /// Seconds in a Julian year (365.25 days), the year `withGrowth(percentPerYear:)` uses.
  public static let secondsPerYear = 31_557_600.0

  private static func argumentError(_ api: String, _ name: String, expected: String, found: Double) -> WorkloadError {
    WorkloadError(
      source: "DemandSeries.\(api)", location: .parameter(name),
      problem: .invalidArgument(expected: expected, found: "\(found)"))
  }

  /// The same demand on a grid of `newIntervalSeconds`, by overlap-weighted averaging of
  /// rates: each new interval's rate is the sum over old intervals of
  /// `rate * overlapSeconds`, divided by the new interval length. Works for downsampling,
  /// upsampling and non-integer ratios alike, and conserves `totalUnits` (to rounding):
  /// every old second is assigned to exactly one new interval.
  ///
  /// The new series starts at the same instant. When the old duration is not a whole
  /// number of new intervals, the last new interval runs past the old end and counts zero
  /// demand there (so it reads lower); that is what keeps the total exact. Example,
  /// 30-minute rates [6, 12] to 7-minute intervals: 4 x 6, then (6*2 + 12*5)/7 = 10.29,
  /// then 3 x 12, then 12*4/7 = 6.86 for the interval with 4 of its 7 minutes inside
  /// the data; 540 units before and after.
  /// - Complexity: O(count + new count).
  public func resampled(toIntervalSeconds newInterval: Double) throws(WorkloadError) -> DemandSeries {
    guard newInterval.isFinite, newInterval > 0 else {
      throw Self.argumentError(
        "resampled(toIntervalSeconds:)", "toIntervalSeconds", expected: "a finite number of seconds > 0",
        found: newInterval)
    }
    let oldInterval = intervalSeconds
    let duration = durationSeconds
    let ratio = duration / newInterval
    guard ratio < Double(Self.maximumCount) else {
      throw WorkloadError(
        source: "DemandSeries.resampled(toIntervalSeconds:)", problem: .tooManyIntervals(count: ratio))
    }
    // A ratio within rounding of a whole number is that number (no sliver interval).
    let nearest = ratio.rounded()
    let newCount = max(1, abs(ratio - nearest) <= 1e-9 * max(1, ratio) ? Int(nearest) : Int(ratio.rounded(.up)))

    var result = [Double](repeating: 0, count: newCount)
    var i = 0
    for j in 0..<newCount {
      let low = Double(j) * newInterval
      // The last new interval takes whatever old time is left, so nothing is dropped.
      let high = j == newCount - 1 ? max(Double(newCount) * newInterval, duration) : Double(j + 1) * newInterval
      var weighted = 0.0
      while i < count {
        let oldLow = Double(i) * oldInterval, oldHigh = Double(i + 1) * oldInterval
        let overlap = min(oldHigh, high) - max(oldLow, low)
        if overlap > 0 { weighted += valuesPerMinute[i] * overlap }
        if oldHigh <= high { i += 1 } else { break }
      }
      result[j] = weighted / newInterval
    }
    return DemandSeries(unchecked: start, intervalSeconds: newInterval, valuesPerMinute: result)
  }

  /// Every rate multiplied by `factor` (finite, >= 0).
  public func scaled(by factor: Double) throws(WorkloadError) -> DemandSeries {
    guard factor.isFinite, factor >= 0 else {
      throw Self.argumentError("scaled(by:)", "factor", expected: "a finite number >= 0", found: factor)
    }
    let values = valuesPerMinute.map { $0 * factor }
    if let index = values.firstIndex(where: { !$0.isFinite }) {
      throw Self.argumentError(
        "scaled(by:)", "factor", expected: "a factor that keeps rates finite (valuesPerMinute[\(index)] overflows)",
        found: factor)
    }
    return DemandSeries(unchecked: start, intervalSeconds: intervalSeconds, valuesPerMinute: values)
  }

  /// The same values starting `seconds` later (earlier when negative), e.g. to replay last
  /// month's orders as next month's.
  public func shifted(bySeconds seconds: Double) throws(WorkloadError) -> DemandSeries {
    guard seconds.isFinite else {
      throw Self.argumentError(
        "shifted(bySeconds:)", "bySeconds", expected: "a finite number of seconds", found: seconds)
    }
    return DemandSeries(
      unchecked: start.addingTimeInterval(seconds), intervalSeconds: intervalSeconds, valuesPerMinute: valuesPerMinute)
  }

  /// The intervals that begin in `[from, to)` (half-open, like CloudWatch periods, which
  /// are labelled by their start). Intervals are kept whole, never cut. An empty result is
  /// an error that gives the range the series covers.
  public func sliced(from: Date, to: Date) throws(WorkloadError) -> DemandSeries {
    let api = "DemandSeries.sliced(from:to:)"
    let lower = from.timeIntervalSince(start) / intervalSeconds
    let upper = to.timeIntervalSince(start) / intervalSeconds
    guard lower.isFinite, upper.isFinite, from < to else {
      throw WorkloadError(
        source: api, location: .parameter("to"),
        problem: .invalidArgument(expected: "a date after from (\(Self.iso(from)))", found: Self.iso(to)))
    }
    // A bound within a nanosecond-scale rounding error of a grid time is that grid time.
    let first = Int(min(max((lower - 1e-9).rounded(.up), 0), Double(count)))
    let end = Int(min(max((upper - 1e-9).rounded(.up), 0), Double(count)))
    guard first < end else {
      throw WorkloadError(
        source: api, location: .parameter("from"),
        problem: .invalidArgument(
          expected: "a range in which an interval of the series begins (\(Self.iso(start)) to \(Self.iso(self.end)))",
          found: "\(Self.iso(from)) to \(Self.iso(to))"))
    }
    return DemandSeries(
      unchecked: date(atIndex: first), intervalSeconds: intervalSeconds,
      valuesPerMinute: Array(valuesPerMinute[first..<end]))
  }

  /// Demand growing by `percentPerYear`, compounding continuously with elapsed time: the
  /// interval beginning `t` seconds after `start` is multiplied by
  /// `(1 + percentPerYear / 100) ^ (t / secondsPerYear)`. The first interval is unchanged;
  /// `percentPerYear` must be > -100 (a shrinking business is fine).
  public func withGrowth(percentPerYear: Double) throws(WorkloadError) -> DemandSeries {
    guard percentPerYear.isFinite, percentPerYear > -100 else {
      throw Self.argumentError(
        "withGrowth(percentPerYear:)", "percentPerYear", expected: "a finite percentage > -100", found: percentPerYear)
    }
    let base = 1 + percentPerYear / 100
    var values = valuesPerMinute
    for i in values.indices {
      values[i] *= pow(base, Double(i) * intervalSeconds / Self.secondsPerYear)
      guard values[i].isFinite else {
        throw Self.argumentError(
          "withGrowth(percentPerYear:)", "percentPerYear",
          expected: "a growth that keeps rates finite (valuesPerMinute[\(i)] overflows)", found: percentPerYear)
      }
    }
    return DemandSeries(unchecked: start, intervalSeconds: intervalSeconds, valuesPerMinute: values)
  }

  static func iso(_ date: Date) -> String {
    CivilTime.format(localSeconds: date.timeIntervalSince1970, separator: "T") + "Z"
  }
}
