import Foundation

/// Demand units one instance serves per minute at 100% CPU, estimated from what a running
/// fleet measured: its average CPU (CloudWatch `CPUUtilization`, percent) against the
/// demand each instance received (requests per instance per minute), period by period.
///
///     let rates = (1...10).map { Double($0 * 100) }                  // 100 ... 1000
///     let cpu = (1...10).map { Double($0 * 10) + ($0 % 2 == 1 ? 1 : -1) }  // 11, 19, 31, ...
///     let estimate = try CapacityEstimate.fit(cpuPercent: cpu, requestsPerInstancePerMinute: rates)
///     estimate.unitsPerMinute   // 100 / (384500 / 3850000) = 1001.3
///
/// **The model is capsim's own.** The simulator's CPU is `demand / (instances x
/// unitsPerMinute)`: a line through the origin with no idle term (`CapacityModel`). So the
/// fit is a regression of CPU% on requests per instance per minute *through the origin*,
/// `cpu = slope x r`, and `unitsPerMinute = 100 / slope`: the capacity that makes the
/// simulated CPU closest to the measured CPU over the history given, which is what the
/// scaling policies act on. A fit with an intercept (an idle CPU) is made as well and
/// reported (`idleCPUPercent`, `unitsPerMinuteWithIntercept`) but not used: capsim cannot
/// simulate the idle part, and a large idle share is a warning that the origin line will
/// over-state CPU at low load and under-state it at high load.
///
/// **Robust.** Huber M-estimation (tuning constant 1.345 x the residuals' MAD scale, 95%
/// efficient under normal noise) by iteratively reweighted least squares, so a few
/// periods of deploys, cron jobs or garbage collection (CPU without requests) do not pull
/// the slope.
///
/// **The interval** is the slope's 95% interval (1.96 standard errors of the weighted fit,
/// the variance inflated by (1 + rho) / (1 - rho) for the lag-1 autocorrelation rho of the
/// Huber-clipped residuals, since CloudWatch periods are not independent; clipped, so a few
/// isolated spikes do not hide it), mapped through 100 / slope.
/// It states the fit's sampling error only: a CPU that is not linear in requests (caches
/// warming, a different request mix) is model error, which `rSquared` and the intercept fit
/// show.
public struct CapacityEstimate: Sendable, Equatable {
  /// Units per instance per minute at 100% CPU: 100 / slope.
  public var unitsPerMinute: Double
  /// The 95% interval of `unitsPerMinute`; the upper end is infinite when the slope's
  /// interval reaches zero.
  public var lowerUnitsPerMinute: Double
  public var upperUnitsPerMinute: Double
  /// CPU percentage points per request per instance per minute.
  public var slope: Double
  /// Its standard error (autocorrelation-inflated).
  public var slopeStandardError: Double
  /// 1 - SSE / SST over the points used, with SST about the mean CPU (so a line through the
  /// origin that fits worse than the mean scores below 0).
  public var rSquared: Double
  /// Points (periods) the fit used, of `pointsGiven`.
  public var pointsUsed: Int
  public var pointsGiven: Int
  /// Points whose Huber weight is below 1 (treated as partly outliers).
  public var pointsDownWeighted: Int
  /// Lag-1 autocorrelation of the Huber-clipped residuals, in time order.
  public var residualAutocorrelation: Double
  /// The fit with an intercept, for information: CPU at zero requests, and the capacity
  /// from idle to 100%: (100 - idle) / its slope (nil when its slope is not positive).
  public var idleCPUPercent: Double
  public var unitsPerMinuteWithIntercept: Double?

  /// Huber's tuning constant, in units of the residual scale.
  public static let huberConstant = 1.345
  /// The normal quantile of the 95% interval.
  public static let z95 = 1.959963984540054
  /// Fewest usable points.
  public static let minimumPoints = 10

  /// Fits `cpuPercent[i] = slope x requestsPerInstancePerMinute[i]` over the points where
  /// both are present (non-nil). Errors: lengths differ, a CPU outside 0...100 or a
  /// negative or non-finite rate (naming the index), fewer than `minimumPoints` usable
  /// points, no load at all, or CPU that does not rise with load.
  /// - Complexity: O(n x iterations), at most 100 iterations.
  public static func fit(cpuPercent: [Double?], requestsPerInstancePerMinute: [Double?]) throws(WorkloadError) -> CapacityEstimate {
    let source = "CapacityEstimate.fit"
    func invalid(_ parameter: String, expected: String, found: String) -> WorkloadError {
      WorkloadError(source: source, location: .parameter(parameter), problem: .invalidArgument(expected: expected, found: found))
    }
    guard cpuPercent.count == requestsPerInstancePerMinute.count else {
      throw invalid(
        "requestsPerInstancePerMinute", expected: "as many points as cpuPercent (\(cpuPercent.count))",
        found: "\(requestsPerInstancePerMinute.count)")
    }
    var x: [Double] = []
    var y: [Double] = []
    for i in cpuPercent.indices {
      guard let cpu = cpuPercent[i], let rate = requestsPerInstancePerMinute[i] else { continue }
      guard cpu.isFinite, cpu >= 0, cpu <= 100 else {
        throw invalid("cpuPercent[\(i)]", expected: "a CPU utilization from 0 to 100 percent", found: "\(cpu)")
      }
      guard rate.isFinite, rate >= 0 else {
        throw invalid("requestsPerInstancePerMinute[\(i)]", expected: "a finite rate >= 0", found: "\(rate)")
      }
      x.append(rate)
      y.append(cpu)
    }
    guard x.count >= minimumPoints else {
      throw invalid(
        "cpuPercent", expected: "at least \(minimumPoints) periods with both CPU and requests",
        found: "\(x.count)")
    }
    // Scale the rates to order one, so sums of squares of 10^9 requests stay exact enough.
    let scale = x.max()!
    guard scale > 0 else {
      throw invalid("requestsPerInstancePerMinute", expected: "some periods with requests", found: "none (all zero)")
    }
    let u = x.map { $0 / scale }
    var weights = [Double](repeating: 1, count: u.count)
    var slope = weightedSlope(u, y, weights)
    for _ in 0..<100 {
      let residuals = zip(u, y).map { $1 - slope * $0 }
      let residualScale = median(residuals.map(abs)) / 0.6744897501960817
      guard residualScale > 0 else { break }
      let k = huberConstant * residualScale
      weights = residuals.map { abs($0) <= k ? 1 : k / abs($0) }
      let next = weightedSlope(u, y, weights)
      let converged = abs(next - slope) <= 1e-12 * max(abs(slope), 1e-300)
      slope = next
      if converged { break }
    }
    guard slope > 0, slope.isFinite else {
      throw invalid(
        "cpuPercent", expected: "CPU that rises with requests per instance (a positive slope)",
        found: "a slope of \(slope / scale) percent per request per minute")
    }
    let residuals = zip(u, y).map { $1 - slope * $0 }
    let n = Double(u.count)
    var weightedSquares = 0.0, weightedX2 = 0.0
    for i in u.indices {
      weightedSquares += weights[i] * residuals[i] * residuals[i]
      weightedX2 += weights[i] * u[i] * u[i]
    }
    // Autocorrelation of the Huber-clipped residuals, so isolated spikes do not dilute it.
    let finalScale = median(residuals.map(abs)) / 0.6744897501960817
    let bound = finalScale > 0 ? huberConstant * finalScale : Double.infinity
    let clipped = residuals.map { min(max($0, -bound), bound) }
    var lagged = 0.0, clippedSquares = 0.0, squares = 0.0
    for i in residuals.indices {
      squares += residuals[i] * residuals[i]
      clippedSquares += clipped[i] * clipped[i]
      if i > 0 { lagged += clipped[i] * clipped[i - 1] }
    }
    let rho = clippedSquares > 0 ? min(max(lagged / clippedSquares, -0.99), 0.99) : 0
    let inflation = rho > 0 ? (1 + rho) / (1 - rho) : 1
    let variance = weightedSquares / (n - 1) / weightedX2 * inflation
    let standardError = variance.squareRoot()
    let meanY = y.reduce(0, +) / n
    let total = y.reduce(0) { $0 + ($1 - meanY) * ($1 - meanY) }
    let rSquared = total > 0 ? 1 - squares / total : (squares == 0 ? 1 : 0)
    let intercept = weightedLine(u, y, weights)
    let lowSlope = slope - z95 * standardError, highSlope = slope + z95 * standardError
    return CapacityEstimate(
      unitsPerMinute: 100 * scale / slope,
      lowerUnitsPerMinute: 100 * scale / highSlope,
      upperUnitsPerMinute: lowSlope > 0 ? 100 * scale / lowSlope : .infinity,
      slope: slope / scale, slopeStandardError: standardError / scale, rSquared: rSquared,
      pointsUsed: u.count, pointsGiven: cpuPercent.count, pointsDownWeighted: weights.filter { $0 < 1 }.count,
      residualAutocorrelation: rho, idleCPUPercent: intercept.intercept,
      unitsPerMinuteWithIntercept: intercept.slope > 0 ? (100 - intercept.intercept) * scale / intercept.slope : nil)
  }

  static func weightedSlope(_ x: [Double], _ y: [Double], _ w: [Double]) -> Double {
    var xy = 0.0, xx = 0.0
    for i in x.indices {
      xy += w[i] * x[i] * y[i]
      xx += w[i] * x[i] * x[i]
    }
    return xy / xx
  }

  /// Weighted least squares with an intercept; a flat x gives slope 0 at the weighted mean.
  static func weightedLine(_ x: [Double], _ y: [Double], _ w: [Double]) -> (intercept: Double, slope: Double) {
    var sw = 0.0, sx = 0.0, sy = 0.0
    for i in x.indices {
      sw += w[i]
      sx += w[i] * x[i]
      sy += w[i] * y[i]
    }
    let mx = sx / sw, my = sy / sw
    var sxy = 0.0, sxx = 0.0
    for i in x.indices {
      sxy += w[i] * (x[i] - mx) * (y[i] - my)
      sxx += w[i] * (x[i] - mx) * (x[i] - mx)
    }
    let slope = sxx > 0 ? sxy / sxx : 0
    return (my - slope * mx, slope)
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}
