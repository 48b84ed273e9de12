import Forecasting
import Foundation

/// Forecast paths of hourly usage per pool, for planning commitments on where usage is
/// going rather than where it was.
public enum UsageForecast {
  /// Fits Forecasting's seasonal regression to each pool's hourly history and draws
  /// `paths` seeded sample paths of the next `hours` hours (negative draws clamped to 0).
  /// Pools are drawn independently (each from its own seed derived from `seed` and the pool
  /// index), so cross-pool correlation is not modelled: the Compute plan's pooling benefit
  /// is, if anything, overstated on paths; the history keeps the real correlation.
  /// - Parameter history: `history[pool][hour]`.
  public static func paths(
    history: [[Double]], start: Date, hours: Int, paths: Int, seed: UInt64,
    configuration: SeasonalRegressionConfiguration = SeasonalRegressionConfiguration()
  ) throws -> UsagePaths {
    guard hours >= 1, paths >= 1 else {
      throw AdvisorError.invalidInput("a usage forecast needs at least 1 hour and 1 path, found \(hours) hours, \(paths) paths")
    }
    var byPool: [[[Double]]] = []
    for (p, series) in history.enumerated() {
      let observed = ObservedSeries(start: start, intervalSeconds: 3600, values: series)
      if Set(series).count <= 1 {
        // A constant series cannot be fitted; its future is itself.
        byPool.append(Array(repeating: Array(repeating: series.first ?? 0, count: hours), count: paths))
        continue
      }
      let model = try SeasonalRegression.fit(observed, horizon: min(hours, 24 * 14), configuration: configuration)
      let drawn = try model.samplePaths(steps: hours, count: paths, seed: seed &+ UInt64(p) &* 0x9E37_79B9_7F4A_7C15)
      byPool.append(drawn.map { $0.map { max(0, $0) } })
    }
    // UsagePaths wants paths[path][pool][hour].
    return try UsagePaths(paths: (0..<paths).map { s in byPool.map { $0[s] } })
  }
}
