/// Point-forecast accuracy over one holdout window, NaN actuals skipped.
public struct ForecastAccuracy: Sendable, Equatable {
  /// Mean absolute error divided by `scale` (the in-sample weekly seasonal naive MAE).
  public var mase: Double
  /// Symmetric MAPE as a fraction: mean of `2|y - ŷ| / (|y| + |ŷ|)` (0...2).
  public var smape: Double
  /// Root mean squared error, series units.
  public var rmse: Double

  /// Scores `predicted` against `actual` (same length); MASE uses `scale` (> 0).
  public static func score(actual: [Double], predicted: [Double], scale: Double) -> ForecastAccuracy {
    precondition(actual.count == predicted.count, "actual has \(actual.count) points, predicted \(predicted.count)")
    var absolute = 0.0, squared = 0.0, symmetric = 0.0, count = 0
    for (y, f) in zip(actual, predicted) where y.isFinite && f.isFinite {
      absolute += abs(y - f)
      squared += (y - f) * (y - f)
      symmetric += 2 * abs(y - f) / max(abs(y) + abs(f), 1e-9)
      count += 1
    }
    let n = Double(max(1, count))
    return ForecastAccuracy(mase: absolute / n / scale, smape: symmetric / n, rmse: (squared / n).squareRoot())
  }

  /// Mean absolute error of the seasonal naive forecast `y[t] ≈ y[t - period]` in sample;
  /// nil when no pair of finite values `period` apart exists.
  public static func seasonalNaiveMAE(_ values: [Double], period: Int) -> Double? {
    guard period >= 1, values.count > period else { return nil }
    var total = 0.0, count = 0
    for t in period..<values.count where values[t].isFinite && values[t - period].isFinite {
      total += abs(values[t] - values[t - period])
      count += 1
    }
    return count == 0 ? nil : total / Double(count)
  }

  /// The seasonal naive forecast: the last `period` values repeated (NaN carried as is).
  public static func seasonalNaive(_ values: [Double], period: Int, steps: Int) -> [Double] {
    precondition(period >= 1 && values.count >= period, "seasonal naive needs \(period) values, got \(values.count)")
    let base = values.count - period
    return (0..<steps).map { values[base + $0 % period] }
  }
}
