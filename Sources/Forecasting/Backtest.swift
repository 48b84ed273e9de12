import Foundation

/// Rolling-origin evaluation: for each origin, fit on everything before it, forecast the
/// next `horizon` points and score them; the daily and weekly seasonal naive baselines are
/// scored on the same windows. MASE is scaled, per origin, by the in-sample MAE of the
/// weekly seasonal naive forecast (as statsforecast's peers script does).
public struct Backtest: Sendable {
  /// Scores of one method averaged over origins.
  public struct MethodScore: Sendable, Equatable {
    public var name: String
    public var accuracy: ForecastAccuracy
    /// Level -> share of holdout points inside the interval; empty for baselines.
    public var coverage: [Double: Double]
  }

  public var horizon: Int
  /// Start index of each holdout window, latest first.
  public var origins: [Int]
  /// The model first, then `seasonal-naive-daily`, `seasonal-naive-weekly`.
  public var scores: [MethodScore]
  /// The model selection at the latest origin.
  public var selection: ModelSelection?
  /// Seconds spent fitting and forecasting, summed over origins.
  public var fitSeconds: Double

  /// Runs `originCount` origins spaced `horizon` apart, the latest at `count - horizon`.
  public static func run(
    _ series: ObservedSeries, horizon: Int, originCount: Int = 1, levels: [Double] = [0.8, 0.95],
    configuration: SeasonalRegressionConfiguration = .init()
  ) throws(ForecastingError) -> Backtest {
    guard horizon >= 1 else { throw .invalidArgument(name: "horizon", expected: "at least 1 interval", found: "\(horizon)") }
    guard originCount >= 1 else { throw .invalidArgument(name: "origins", expected: "at least 1", found: "\(originCount)") }
    // Origins are one horizon apart inside the series: more than fit is a mistake, and an
    // absurd count must not allocate before that is noticed.
    let fitting = max(1, series.count / max(1, horizon))
    guard originCount <= fitting else {
      throw .invalidArgument(
        name: "origins", expected: "at most \(fitting) (the series holds that many horizons of \(horizon) intervals)",
        found: "\(originCount)")
    }
    let day = max(1, Int(series.pointsPerDay.rounded()))
    let week = 7 * day
    let origins = (1...originCount).map { series.count - $0 * horizon }.filter { $0 > week }
    guard !origins.isEmpty else {
      throw .tooShort(what: "A backtest (a week before the holdout, for the MASE scale)", expected: week + 1 + horizon, found: series.count)
    }
    var model = (0.0, 0.0, 0.0), daily = (0.0, 0.0, 0.0), weekly = (0.0, 0.0, 0.0)
    var coverage = [Double: Double]()
    var selection: ModelSelection?
    var seconds = 0.0
    for origin in origins {
      let train = series.prefix(origin)
      let actual = Array(series.values[origin..<(origin + horizon)])
      guard let scale = ForecastAccuracy.seasonalNaiveMAE(train.values, period: week), scale > 0 else {
        throw .invalidArgument(
          name: "series", expected: "a training window where the weekly seasonal naive forecast errs somewhere (the MASE scale)",
          found: "no such error before index \(origin)")
      }
      let started = Date()
      let fitted = try SeasonalRegression.fit(train, horizon: horizon, configuration: configuration)
      let forecast = try fitted.forecast(steps: horizon, levels: levels)
      seconds += Date().timeIntervalSince(started)
      if selection == nil { selection = fitted.selection }
      func add(_ total: inout (Double, Double, Double), _ a: ForecastAccuracy) {
        total = (total.0 + a.mase, total.1 + a.smape, total.2 + a.rmse)
      }
      add(&model, .score(actual: actual, predicted: forecast.mean, scale: scale))
      add(&daily, .score(actual: actual, predicted: ForecastAccuracy.seasonalNaive(train.values, period: day, steps: horizon), scale: scale))
      add(&weekly, .score(actual: actual, predicted: ForecastAccuracy.seasonalNaive(train.values, period: week, steps: horizon), scale: scale))
      for interval in forecast.intervals { coverage[interval.level, default: 0] += interval.coverage(of: actual) ?? 0 }
    }
    let k = Double(origins.count)
    func mean(_ t: (Double, Double, Double)) -> ForecastAccuracy { ForecastAccuracy(mase: t.0 / k, smape: t.1 / k, rmse: t.2 / k) }
    return Backtest(
      horizon: horizon, origins: origins,
      scores: [
        MethodScore(name: "seasonal-regression", accuracy: mean(model), coverage: coverage.mapValues { $0 / k }),
        MethodScore(name: "seasonal-naive-daily", accuracy: mean(daily), coverage: [:]),
        MethodScore(name: "seasonal-naive-weekly", accuracy: mean(weekly), coverage: [:]),
      ],
      selection: selection, fitSeconds: seconds)
  }
}
