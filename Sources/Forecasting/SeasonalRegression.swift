import Foundation

/// Seasonal regression for demand forecasting: a piecewise-linear trend with
/// ridge-regularized changepoints, daily and weekly Fourier terms, optional holiday
/// effects (shared, per holiday, and a holiday daily shape), and a two-stage AR model of
/// the residuals (day and week lags first, then short lags); fitted by ridge least
/// squares over OpenBLAS (`Matrix`), on the raw or log scale.
///
///     let model = try SeasonalRegression.fit(series, horizon: 14 * 24)
///     let forecast = try model.forecast(steps: 14 * 24, levels: [0.8, 0.95])
///
/// `fit` chooses the Fourier orders, the ridge penalty and (with `.automatic`) the
/// transform by time-series cross-validation on the last `horizon` points, then refits on
/// everything and calibrates conformal prediction intervals by horizon from rolling-origin
/// errors (`ConformalCalibration`). Works at any interval up to a day (1-min, 5-min,
/// 30-min, hourly); daily terms need at least 3 points per day.
public struct SeasonalRegression: Sendable {
  public let configuration: SeasonalRegressionConfiguration
  public let selection: ModelSelection
  public let calibration: ConformalCalibration
  /// Regression coefficients on the transformed scale, in `SeasonalDesign` column order.
  public var coefficients: [Double] { core.coefficients }
  /// Residual AR coefficients: short lags 1...p, then the seasonal lags (a day, a week),
  /// as far as each could be fitted.
  public var autoregressiveCoefficients: [Double] { core.autoregressive }
  /// What the history makes plausible: intervals and sample paths stay under it.
  public let ceiling: PlausibleCeiling?
  let core: RegressionCore
  let series: ObservedSeries

  init(
    configuration: SeasonalRegressionConfiguration, selection: ModelSelection, calibration: ConformalCalibration,
    core: RegressionCore, series: ObservedSeries
  ) {
    self.configuration = configuration
    self.selection = selection
    self.calibration = calibration
    self.core = core
    self.series = series
    ceiling = PlausibleCeiling(series.prefix(core.trainCount))
  }

  /// Fewest finite observations `fit` accepts at this interval: two days, and 24 points.
  public static func minimumObservations(intervalSeconds: Double) -> Int {
    max(24, Int((2 * 86_400 / intervalSeconds).rounded(.up)))
  }

  /// Chooses, fits and calibrates a model for forecasts up to `horizon` points ahead.
  /// Errors: a bad interval or horizon, no finite value, too few values, a constant series.
  public static func fit(
    _ series: ObservedSeries, horizon: Int, configuration: SeasonalRegressionConfiguration = .init()
  ) throws(ForecastingError) -> SeasonalRegression {
    try validate(series, horizon: horizon)
    let robust = configuration.fitsRobustly ? RobustPrefit(series, configuration: configuration) : .none
    let (selection, design) = try select(series, horizon: horizon, configuration: configuration, robust: robust)
    let transform = selection.isLogTransformed ? ValueTransform.log(for: series.values) : .identity
    let weights = selection.downweightedPoints > 0 ? robust.weights : nil
    let core = try fitCore(series, trainCount: series.count, design: design, transform: transform,
                           selection: selection, configuration: configuration, pointWeights: weights)
    let calibration = calibrate(series, horizon: horizon, design: design, transform: transform,
                                selection: selection, configuration: configuration, pointWeights: weights)
    return SeasonalRegression(
      configuration: configuration, selection: selection, calibration: calibration, core: core, series: series)
  }

  /// Mean forecast and conformal intervals for the `steps` intervals after the series.
  /// `levels` are central coverage probabilities in (0, 1), e.g. 0.8 and 0.95.
  public func forecast(steps: Int, levels: [Double] = [0.8, 0.95]) throws(ForecastingError) -> Forecast {
    guard steps >= 1 else { throw .invalidArgument(name: "steps", expected: "at least 1", found: "\(steps)") }
    for level in levels where !(level > 0 && level < 1) {
      throw .invalidArgument(name: "level", expected: "a coverage between 0 and 1 exclusive (0.8 for 80%)", found: "\(level)")
    }
    let z = core.predictTransformed(steps: steps)
    let mean = z.map(core.transform.inverse)
    let intervals = levels.map { level in
      var lower = mean, upper = mean
      for step in 0..<steps {
        if let (lo, hi) = calibration.offsets(step: step, level: level) {
          // Signed residuals can all share one sign at a step (the model was biased there
          // in every calibration window), which would put the interval beside the point
          // forecast; it is widened to include it (coverage can only rise).
          // The upper bound stays under the history's plausible ceiling (at least the
          // surge times the mean, so never below the mean; see `PlausibleCeiling`).
          let cap = ceiling?.value(step: step, mean: mean[step]) ?? .infinity
          lower[step] = min(mean[step], core.transform.inverse(z[step] + lo))
          upper[step] = min(max(mean[step], core.transform.inverse(z[step] + hi)), cap)
        }
      }
      return PredictionInterval(level: level, lower: lower, upper: upper)
    }
    return Forecast(
      start: series.start.addingTimeInterval(Double(series.count) * series.intervalSeconds),
      intervalSeconds: series.intervalSeconds, mean: mean, intervals: intervals)
  }

  /// The longest horizon a fit accepts, in intervals (a year of 1-minute points, or 60
  /// years of hourly ones).
  public static let maximumHorizon = 525_600

  static func validate(_ series: ObservedSeries, horizon: Int) throws(ForecastingError) {
    guard series.intervalSeconds.isFinite, series.intervalSeconds > 0, series.intervalSeconds <= 86_400 else {
      throw .invalidArgument(name: "intervalSeconds", expected: "a number of seconds in (0, 86400]", found: "\(series.intervalSeconds)")
    }
    guard horizon >= 1 else { throw .invalidArgument(name: "horizon", expected: "at least 1 interval", found: "\(horizon)") }
    // Fitting, calibrating and forecasting take time and memory in proportion to the
    // horizon: bounded, so that no request runs for hours.
    guard horizon <= maximumHorizon else {
      throw .invalidArgument(name: "horizon", expected: "at most \(maximumHorizon) intervals", found: "\(horizon)")
    }
    let finite = series.values.filter(\.isFinite)
    guard !finite.isEmpty else { throw .noObservations(count: series.count) }
    let minimum = minimumObservations(intervalSeconds: series.intervalSeconds)
    guard finite.count >= minimum else {
      throw .tooShort(what: "A seasonal regression (two days of points)", expected: minimum, found: finite.count)
    }
    if let first = finite.first, finite.allSatisfy({ $0 == first }) { throw .constantSeries(value: first) }
  }

  static func fitCore(
    _ series: ObservedSeries, trainCount: Int, design: SeasonalDesign, transform: ValueTransform,
    selection: ModelSelection, configuration: SeasonalRegressionConfiguration, pointWeights: [Double]? = nil
  ) throws(ForecastingError) -> RegressionCore {
    try RegressionCore.fit(
      series: series, trainCount: trainCount, design: design, transform: transform, penalty: selection.ridgePenalty,
      changepointWeight: configuration.changepointPenaltyWeight,
      autoregressiveLags: autoregressiveLags(series, configuration), holidays: configuration.holidays,
      recencyHalfLifePoints: selection.recencyHalfLifeDays.map { $0 * series.pointsPerDay }, pointWeights: pointWeights)
  }

  /// Short lags 1...p, and seasonal lags of one day and one week when `usesSeasonalLags`.
  static func autoregressiveLags(
    _ series: ObservedSeries, _ configuration: SeasonalRegressionConfiguration
  ) -> (short: [Int], seasonal: [Int]) {
    let short = Array(stride(from: 1, through: configuration.autoregressiveLags, by: 1))
    var seasonal: [Int] = []
    if configuration.usesSeasonalLags {
      let day = Int(series.pointsPerDay.rounded())
      for lag in [day, 7 * day] where lag > configuration.autoregressiveLags { seasonal.append(lag) }
    }
    return (short, seasonal)
  }
}
