import Foundation

/// Where one input point came from, built only when a message needs it.
struct PointReference {
  var location: WorkloadError.Location
  /// The timestamp as written in the input.
  var timestampText: String
  var style: TimestampStyle

  /// "line 56" or "MetricDataResults[0].Timestamps[3]", for messages about another point.
  var place: String {
    switch location {
    case .line(let line), .lineColumn(let line, _): return "line \(line)"
    case .jsonPath(let path): return path
    case .parameter(let name): return name
    case .whole: return "an earlier point"
    }
  }
}

/// The checks and conversions shared by every loader, after the points are in time order:
/// at least two points, the interval (given or inferred), each point on the grid started by
/// the first, no two in one slot, gaps handled by policy, values turned into rates.
enum SeriesAssembler {
  /// Timestamps within a millisecond of a grid time are on the grid.
  static let gridToleranceSeconds = 0.001

  /// `times` (seconds since 1970 UTC) must be strictly increasing; `values` are raw file
  /// values, already checked finite and >= 0.
  static func assemble(
    times: [Double], values: [Double], options: DemandLoadOptions, source: String,
    reference: (Int) -> PointReference
  ) -> Result<DemandSeries, WorkloadError> {
    let n = times.count
    guard n >= 2 else { return .failure(WorkloadError(source: source, problem: .tooFewRows(found: n))) }

    let interval: Double
    let intervalWasInferred: Bool
    if let given = options.intervalSeconds {
      guard given.isFinite, given > 0 else {
        return .failure(
          WorkloadError(
            source: source, location: .parameter("intervalSeconds"),
            problem: .invalidArgument(expected: "a finite number of seconds > 0", found: "\(given)")))
      }
      interval = given
      intervalWasInferred = false
    } else {
      interval = inferInterval(times)
      intervalWasInferred = true
    }

    // rate = value * multiplier / divisor; two roundings at most, so a total of 6 per
    // 5 minutes reads exactly 1.2 per minute (6 * (60 / 300) would give 1.2000000000000002).
    let (multiplier, divisor): (Double, Double)
    switch options.valueMeaning {
    case .totalPerInterval: (multiplier, divisor) = (60, interval)
    case .ratePerMinute: (multiplier, divisor) = (1, 1)
    case .ratePerSecond: (multiplier, divisor) = (60, 1)
    }

    func fail(_ k: Int, _ problem: (PointReference) -> WorkloadError.Problem) -> Result<DemandSeries, WorkloadError> {
      let point = reference(k)
      return .failure(WorkloadError(source: source, location: point.location, problem: problem(point)))
    }
    func format(_ utc: Double, like point: PointReference) -> String {
      DemandTimestamp.format(utc: utc, style: point.style, timeZone: options.naiveTimeZone)
    }

    let origin = times[0]
    let lastOffset = (times[n - 1] - origin) / interval
    guard lastOffset < Double(DemandSeries.maximumCount) else {
      return .failure(WorkloadError(source: source, problem: .tooManyIntervals(count: lastOffset + 1)))
    }
    var rates: [Double] = []
    rates.reserveCapacity(Int(lastOffset.rounded()) + 1)
    var previousSlot = 0
    for k in 0..<n {
      let rate = values[k] * multiplier / divisor
      guard rate.isFinite else {
        return fail(k) { _ in .valueNotFinite(text: "\(values[k]) (as a per-minute rate)") }
      }
      if k == 0 {
        rates.append(rate)
        continue
      }
      let slot = Int(((times[k] - origin) / interval).rounded())
      let gridTime = origin + Double(slot) * interval
      if abs(times[k] - gridTime) > gridToleranceSeconds {
        let below = Double(((times[k] - origin) / interval).rounded(.down))
        return fail(k) { point in
          .offGrid(
            timestamp: point.timestampText, intervalSeconds: interval,
            gridStart: format(origin, like: point),
            nearestBefore: format(origin + below * interval, like: point),
            nearestAfter: format(origin + (below + 1) * interval, like: point),
            intervalWasInferred: intervalWasInferred)
        }
      }
      if slot <= previousSlot {
        let earlier = reference(k - 1)
        return fail(k) { point in .duplicateTimestamp(timestamp: point.timestampText, firstAt: earlier.place) }
      }
      let missing = slot - previousSlot - 1
      if missing > 0 {
        switch options.gaps {
        case .error:
          let expected = origin + Double(previousSlot + 1) * interval
          return fail(k) { point in
            .gap(
              expected: format(expected, like: point), found: point.timestampText,
              missingCount: missing, intervalSeconds: interval)
          }
        case .zero:
          rates.append(contentsOf: repeatElement(0, count: missing))
        case .interpolate:
          let left = rates[rates.count - 1]
          let step = (rate - left) / Double(missing + 1)
          for j in 1...missing { rates.append(max(0, left + step * Double(j))) }
        }
      }
      rates.append(rate)
      previousSlot = slot
    }
    return .success(
      DemandSeries(
        unchecked: Date(timeIntervalSince1970: origin), intervalSeconds: interval, valuesPerMinute: rates))
  }

  /// The most common difference between consecutive times, compared to the millisecond;
  /// ties go to the shorter difference. `times` strictly increasing, at least two.
  static func inferInterval(_ times: [Double]) -> Double {
    var counts: [Int64: Int] = [:]
    for k in 1..<times.count {
      let milliseconds = Int64(((times[k] - times[k - 1]) * 1000).rounded())
      counts[milliseconds, default: 0] += 1
    }
    var best: (milliseconds: Int64, count: Int) = (0, 0)
    for (milliseconds, count) in counts
    where count > best.count || (count == best.count && milliseconds < best.milliseconds) {
      best = (milliseconds, count)
    }
    // A difference under half a millisecond rounds to 0; fall back to the exact smallest.
    if best.milliseconds <= 0 {
      return zip(times.dropFirst(), times).map { $0 - $1 }.min() ?? 1
    }
    return Double(best.milliseconds) / 1000
  }
}
