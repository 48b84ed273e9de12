import Foundation

extension SeasonalRegression {
  /// `count` seeded sample paths of the next `steps` intervals, for Monte Carlo in the
  /// advisor. Same seed, same paths.
  ///
  /// Each path is the forecast plus an error whose distribution at every step is the
  /// conformal calibration's empirical error distribution for that horizon (so the share
  /// of paths inside an interval matches its level), and whose steps are correlated like
  /// the calibration's out-of-sample errors: a Gaussian AR(1) with `lagOneCorrelation` is
  /// mapped through the normal CDF to those empirical quantiles (a Gaussian copula). A
  /// miss at lunch carries into the afternoon, as in real forecast errors. No value
  /// exceeds the history's `ceiling` (a path that would is held at it).
  /// - Complexity: O(count * steps * log(calibration buckets)).
  public func samplePaths(steps: Int, count: Int, seed: UInt64) throws(ForecastingError) -> [[Double]] {
    guard steps >= 1 else { throw .invalidArgument(name: "steps", expected: "at least 1", found: "\(steps)") }
    guard count >= 1 else { throw .invalidArgument(name: "count", expected: "at least 1 path", found: "\(count)") }
    return try samplePaths(innovations: JointInnovations.draw(correlation: [[1]], steps: steps, count: count, seed: seed)[0])
  }

  /// The same paths from given innovations: `innovations[path][step]`, standard normals
  /// (independent over steps; across series they may be correlated, see
  /// `JointInnovations`). Step 0 takes its innovation as is; later steps follow the AR(1)
  /// `n = rho n + sqrt(1 - rho^2) e`.
  public func samplePaths(innovations: [[Double]]) throws(ForecastingError) -> [[Double]] {
    guard let steps = innovations.first?.count, steps >= 1, innovations.allSatisfy({ $0.count == steps }) else {
      throw .invalidArgument(name: "innovations", expected: "paths of equal length, at least 1 step", found: "\(innovations.map(\.count))")
    }
    let z = core.predictTransformed(steps: steps)
    let rho = calibration.lagOneCorrelation
    let innovationScale = (1 - rho * rho).squareRoot()
    let caps = (0..<steps).map { ceiling?.value(step: $0, mean: core.transform.inverse(z[$0])) ?? .infinity }
    return innovations.map { e in
      var normal = e[0]
      return (0..<steps).map { step in
        if step > 0 { normal = rho * normal + innovationScale * e[step] }
        let u = 0.5 * erfc(-normal / 2.0.squareRoot())
        let error = calibration.error(step: step, probability: u) ?? 0
        return min(core.transform.inverse(z[step] + error), caps[step])
      }
    }
  }
}

/// SplitMix64 with Box-Muller normals: a small, fast, seedable generator, so forecasts
/// never touch global randomness.
struct SeededGenerator: Sendable {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func nextUInt64() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in (0, 1), never 0 or 1.
  mutating func nextUniform() -> Double { (Double(nextUInt64() >> 11) + 0.5) / 9_007_199_254_740_992 }

  mutating func nextNormal() -> Double {
    (-2 * log(nextUniform())).squareRoot() * cos(2 * Double.pi * nextUniform())
  }
}
