import Foundation

/// The scenario's `forecast:` block: how far ahead and at what interval to forecast its
/// demand, with which interval levels and holiday calendar, so that `capsim forecast
/// SCENARIO` (and later commands) read one declaration instead of repeating flags.
///
/// ```yaml
/// forecast: {horizon: 14d, interval: 1h, levels: [80, 95], holidays: korea}
/// ```
///
/// Only the declaration lives here: Scenario does not fit models. The command maps
/// `holidays` to a `Forecasting.HolidayCalendar` and runs the fit.
public struct ForecastDefinition: Sendable, Equatable {
  /// How far past the end of the demand to forecast, seconds (> 0, at most 366 days, and
  /// at least one `intervalSeconds`).
  public var horizonSeconds: Double
  /// Resample the demand to this interval first, seconds (1 s...1 d); nil = the demand's
  /// own interval (the simulation tick).
  public var intervalSeconds: Double?
  /// Central interval coverages in percent, each in (0, 100), ascending and unique
  /// (default 80 and 95).
  public var levelsPercent: [Double]
  /// A shipped holiday calendar to fit as a shared effect; nil = none.
  public var holidays: ForecastHolidayCalendar?
  /// In a multi-service scenario, the service whose demand is forecast; nil = the
  /// scenario's demand (the first service's in a multi-service scenario).
  public var service: String?
  /// Where the `forecast` key is written.
  public var location: SourceLocation

  public init(
    horizonSeconds: Double, intervalSeconds: Double? = nil, levelsPercent: [Double] = [80, 95],
    holidays: ForecastHolidayCalendar? = nil, service: String? = nil, location: SourceLocation
  ) {
    self.horizonSeconds = horizonSeconds
    self.intervalSeconds = intervalSeconds
    self.levelsPercent = levelsPercent
    self.holidays = holidays
    self.service = service
    self.location = location
  }
}

/// Holiday calendars a scenario can name in `forecast.holidays`.
public enum ForecastHolidayCalendar: String, Sendable, Equatable, CaseIterable {
  /// South Korean public holidays, including lunar-calendar and substitute days (Asia/Seoul).
  case korea
}
