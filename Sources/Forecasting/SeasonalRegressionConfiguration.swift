/// Settings of `SeasonalRegression`. Candidate lists are searched by time-series
/// cross-validation; orders beyond what the interval can resolve are dropped.
public struct SeasonalRegressionConfiguration: Sendable, Equatable {
  /// Whether to fit on `log(y + offset)` (multiplicative seasonality).
  public enum Transform: String, Sendable, Equatable, CaseIterable {
    case none, log
    /// Both are tried; validation picks.
    case automatic
  }

  /// Daily Fourier orders to try (pairs of sin/cos at 1...order cycles per day).
  public var dailyOrderCandidates: [Int] = [4, 8, 12, 20]
  /// Weekly Fourier orders to try; harmonics that are multiples of 7 are left to the daily
  /// terms, so high weekly orders let weekdays and weekends differ in daily shape.
  public var weeklyOrderCandidates: [Int] = [0, 3, 10, 24, 48]
  /// Ridge penalties to try, per observation (the penalty added is `λ * n * weight`).
  public var ridgePenaltyCandidates: [Double] = [1e-6, 1e-4, 1e-3, 1e-2, 1e-1]
  /// Trend hinges spread evenly over the first 90% of the training window.
  public var changepointCount: Int = 8
  /// Ridge weight of the hinges relative to the Fourier terms (higher: stiffer trend).
  public var changepointPenaltyWeight: Double = 10
  /// Lags 1...p of an AR model on the regression's residuals; matters for short horizons.
  public var autoregressiveLags: Int = 3
  /// Also regress residuals on themselves one day and one week back (in points), so that
  /// a recent departure from the seasonal pattern carries into the forecast, shrinking
  /// with the horizon.
  public var usesSeasonalLags: Bool = true
  /// Recency half-lives to try, days: observations `d` days before the end of training
  /// get weight `0.5^(d / halfLife)`, so the fit follows the latest level and shape; nil
  /// weighs all observations equally.
  public var recencyHalfLifeDaysCandidates: [Double?] = [nil, 14, 28]
  public var transform: Transform = .automatic
  /// Holidays to fit; nil for none. Each calendar day gets a shared holiday effect, plus
  /// (see below) its holiday's own effect and a holiday daily shape, so that holidays in
  /// the training data do not bend the trend and the weekly pattern.
  public var holidays: HolidayCalendar? = nil
  /// With `holidays`: also one effect per holiday name (a deviation from the shared one,
  /// ridge-shrunk toward it; names repeat across years, "Christmas Day"), so each holiday
  /// seen in training keeps its own size and one not seen gets the shared effect.
  public var fitsEachHoliday: Bool = true
  /// With `holidays`: daily harmonics 1...k of the shared holiday indicator, a holiday's
  /// own daily shape (late, flat mornings, like a Sunday's); 0 for a whole-day shift only.
  public var holidayDailyOrder: Int = 3
  /// Down-weight one-off spikes and dips, and fit a recent level shift as a step, found by
  /// a robust prefit (`RobustPrefit`); `fit` only (`fitBatch` shares one design).
  public var fitsRobustly: Bool = true
  /// Rolling origins used to collect out-of-sample errors for the intervals.
  public var calibrationOrigins: Int = 10
  /// Fewest errors per horizon bucket of the conformal intervals.
  public var minimumCalibrationSamples: Int = 100
  /// Validation folds (each as long as the horizon, at most a quarter of the data).
  public var validationFolds: Int = 2

  public init() {}
}
