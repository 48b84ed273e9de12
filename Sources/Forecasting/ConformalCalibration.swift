/// Out-of-sample forecast errors by horizon, from rolling origins inside the training data,
/// turned into split-conformal interval offsets.
///
/// Errors (actual minus forecast, on the model's transformed scale) are grouped into
/// buckets of consecutive horizon steps, each holding at least `minimumSamples` errors.
/// For a central level `α` the interval is `[forecast + q_lo, forecast + q_hi]` with
/// `q_lo` the `⌊(1-α)/2 (m+1)⌋`-th and `q_hi` the `⌈(1+α)/2 (m+1)⌉`-th smallest of the
/// bucket's `m` errors (clamped to the sample), the finite-sample conformal rank.
public struct ConformalCalibration: Sendable, Equatable {
  /// Exclusive upper horizon step (0-based) of each bucket, increasing.
  public let bucketEnds: [Int]
  /// Sorted signed errors per bucket.
  let sortedErrors: [[Double]]
  /// Correlation of consecutive errors along one origin's forecast (0...1): how
  /// persistent a miss is; sample paths reproduce it.
  public let lagOneCorrelation: Double

  /// Number of errors in each bucket.
  public var sampleCounts: [Int] { sortedErrors.map(\.count) }

  init(errorsByStep: [[Double]], minimumSamples: Int, lagOneCorrelation: Double = 0) {
    self.lagOneCorrelation = min(0.9999, max(0, lagOneCorrelation.isFinite ? lagOneCorrelation : 0))
    var ends: [Int] = []
    var buckets: [[Double]] = []
    var current: [Double] = []
    for (step, errors) in errorsByStep.enumerated() {
      current += errors
      if current.count >= minimumSamples {
        ends.append(step + 1)
        buckets.append(current.sorted())
        current = []
      }
    }
    if !current.isEmpty {
      if buckets.isEmpty {
        ends.append(errorsByStep.count)
        buckets.append(current.sorted())
      } else {
        ends[ends.count - 1] = errorsByStep.count
        buckets[buckets.count - 1] = (buckets[buckets.count - 1] + current).sorted()
      }
    }
    self.bucketEnds = ends
    self.sortedErrors = buckets
  }

  /// The error at probability `u` in (0, 1) for 0-based `step`, interpolated between
  /// the bucket's sorted errors; nil when no errors were collected.
  func error(step: Int, probability u: Double) -> Double? {
    guard !sortedErrors.isEmpty else { return nil }
    let bucket = bucketEnds.firstIndex { step < $0 } ?? (bucketEnds.count - 1)
    let errors = sortedErrors[bucket]
    let position = min(max(0, u * Double(errors.count) - 0.5), Double(errors.count - 1))
    let below = Int(position)
    let above = min(below + 1, errors.count - 1)
    let fraction = position - Double(below)
    return errors[below] * (1 - fraction) + errors[above] * fraction
  }

  /// Offsets `(lower, upper)` to add to the transformed forecast at 0-based `step` for
  /// central `level` in (0, 1); steps past the last bucket use the last one. Nil when no
  /// errors were collected.
  public func offsets(step: Int, level: Double) -> (lower: Double, upper: Double)? {
    guard !sortedErrors.isEmpty else { return nil }
    let bucket = bucketEnds.firstIndex { step < $0 } ?? (bucketEnds.count - 1)
    let errors = sortedErrors[bucket]
    let m = Double(errors.count)
    let lowRank = Int(((1 - level) / 2 * (m + 1)).rounded(.down))
    let highRank = Int(((1 + level) / 2 * (m + 1)).rounded(.up))
    let lower = errors[min(errors.count - 1, max(0, lowRank - 1))]
    let upper = errors[min(errors.count - 1, max(0, highRank - 1))]
    return (lower, upper)
  }
}
