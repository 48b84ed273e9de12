import Foundation

/// Standard normal innovations for several series' sample paths at once, correlated across
/// series like their histories' deviations from last week: forecast paths of two fleets (or
/// two usage pools) then rise and fall together as much as they did, which decides how much
/// a shared Compute Savings Plan pools. Same seed, same draws; with one series, the draws
/// of `SeasonalRegression.samplePaths(steps:count:seed:)`.
public enum JointInnovations {
  /// `[series][path][step]`: for each path and step, one vector `L e` with `e` iid standard
  /// normal and `L` the Cholesky factor of `correlation`.
  public static func draw(correlation: [[Double]], steps: Int, count: Int, seed: UInt64) -> [[[Double]]] {
    let n = correlation.count
    let factor = cholesky(correlation) ?? identity(n)
    var generator = SeededGenerator(seed: seed)
    var out = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: steps), count: count), count: n)
    var e = [Double](repeating: 0, count: n)
    for path in 0..<count {
      for step in 0..<steps {
        for i in 0..<n { e[i] = generator.nextNormal() }
        for i in 0..<n {
          var v = 0.0
          for j in 0...i { v += factor[i][j] * e[j] }
          out[i][path][step] = v
        }
      }
    }
    return out
  }

  /// Pearson correlation of the series' deviations from `period` steps earlier (for hourly
  /// series, 168: last week), on log(1 + x) so a burst does not outweigh the rest; over the
  /// steps where every series is finite. A constant series is uncorrelated with the rest.
  /// The result is a valid correlation matrix (shrunk towards the identity when needed).
  public static func correlation(of series: [[Double]], period: Int) -> [[Double]] {
    let n = series.count
    var result = identity(n)
    let length = series.map(\.count).min() ?? 0
    guard n > 1, period >= 1, length > period + 2 else { return result }
    var deviations = [[Double]](repeating: [], count: n)
    for t in period..<length {
      let values = series.map { (log1p(max(0, $0[t])), log1p(max(0, $0[t - period]))) }
      guard values.allSatisfy({ $0.0.isFinite && $0.1.isFinite }) else { continue }
      for i in 0..<n { deviations[i].append(values[i].0 - values[i].1) }
    }
    let m = deviations[0].count
    guard m > 2 else { return result }
    let centred = deviations.map { d -> [Double] in
      let mean = d.reduce(0, +) / Double(m)
      return d.map { $0 - mean }
    }
    let norms = centred.map { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    for i in 0..<n {
      for j in 0..<i where norms[i] > 0 && norms[j] > 0 {
        var dot = 0.0
        for t in 0..<m { dot += centred[i][t] * centred[j][t] }
        let r = max(-1, min(1, dot / (norms[i] * norms[j])))
        result[i][j] = r
        result[j][i] = r
      }
    }
    // Pairwise estimates over the same steps are positive semi-definite; shrink towards
    // the identity until the factorization is strictly positive (rounding, collinear series).
    let estimate = result
    var shrink = 0.0
    while cholesky(result) == nil, shrink < 1 {
      shrink = min(1, shrink + 0.05)
      result = estimate.enumerated().map { i, row in row.enumerated().map { j, r in i == j ? 1 : (1 - shrink) * r } }
    }
    return result
  }

  /// Lower-triangular `L` with `L L' = a`; nil unless `a` is symmetric positive definite.
  static func cholesky(_ a: [[Double]]) -> [[Double]]? {
    let n = a.count
    guard a.allSatisfy({ $0.count == n }) else { return nil }
    var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      for j in 0...i {
        var sum = a[i][j]
        for k in 0..<j { sum -= l[i][k] * l[j][k] }
        if i == j {
          guard sum > 1e-12, sum.isFinite else { return nil }
          l[i][i] = sum.squareRoot()
        } else {
          l[i][j] = sum / l[j][j]
        }
      }
    }
    return l
  }

  static func identity(_ n: Int) -> [[Double]] {
    (0..<n).map { i in (0..<n).map { $0 == i ? 1 : 0 } }
  }
}
