import Forecasting
import Foundation

/// Forecast paths of hourly usage per pool, for planning commitments on where usage is
/// going rather than where it was.
public enum UsageForecast {
  /// Fits Forecasting's seasonal regression to each pool's hourly history and draws
  /// `paths` seeded sample paths of the next `hours` hours (negative draws clamped to 0).
  /// The pools' paths share their randomness as their histories did: the innovations are
  /// correlated across pools like each pool's deviation from the week before
  /// (`JointInnovations`), so a Compute Savings Plan's pooling is neither overstated (as by
  /// independent draws) nor lost (as by common ones).
  /// - Parameter history: `history[pool][hour]`.
  public static func paths(
    history: [[Double]], start: Date, hours: Int, paths: Int, seed: UInt64,
    configuration: SeasonalRegressionConfiguration = SeasonalRegressionConfiguration()
  ) throws -> UsagePaths {
    guard hours >= 1, paths >= 1 else {
      throw AdvisorError.invalidInput("a usage forecast needs at least 1 hour and 1 path, found \(hours) hours, \(paths) paths")
    }
    let correlation = JointInnovations.correlation(of: history, period: 168)
    let innovations = JointInnovations.draw(correlation: correlation, steps: hours, count: paths, seed: seed)
    var byPool: [[[Double]]] = []
    for (p, series) in history.enumerated() {
      let observed = ObservedSeries(start: start, intervalSeconds: 3600, values: series)
      if Set(series).count <= 1 {
        // A constant series cannot be fitted; its future is itself.
        byPool.append(Array(repeating: Array(repeating: series.first ?? 0, count: hours), count: paths))
        continue
      }
      let model = try SeasonalRegression.fit(observed, horizon: min(hours, 24 * 14), configuration: configuration)
      let drawn = try model.samplePaths(innovations: innovations[p])
      byPool.append(drawn.map { $0.map { max(0, $0) } })
    }
    // UsagePaths wants paths[path][pool][hour].
    return try UsagePaths(paths: (0..<paths).map { s in byPool.map { $0[s] } })
  }
}
