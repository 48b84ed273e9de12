import Foundation

/// A forecast on a regular grid: `mean[i]` and interval bounds cover
/// `[start + i * intervalSeconds, start + (i + 1) * intervalSeconds)`, in the series' units.
public struct Forecast: Sendable, Equatable {
  public var start: Date
  public var intervalSeconds: Double
  public var mean: [Double]
  /// One per requested level, in request order.
  public var intervals: [PredictionInterval]
}

/// Central prediction interval: the truth should lie in `[lower[i], upper[i]]` with
/// probability `level` (0...1).
public struct PredictionInterval: Sendable, Equatable {
  public var level: Double
  public var lower: [Double]
  public var upper: [Double]

  /// Share of finite `actual` values inside the interval (0...1), comparing the first
  /// `min(actual.count, lower.count)` points; nil when none is finite.
  public func coverage(of actual: [Double]) -> Double? {
    var inside = 0, total = 0
    for i in 0..<min(actual.count, lower.count) where actual[i].isFinite {
      total += 1
      if actual[i] >= lower[i] && actual[i] <= upper[i] { inside += 1 }
    }
    return total == 0 ? nil : Double(inside) / Double(total)
  }
}
