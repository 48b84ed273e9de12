import Foundation
import Testing
@testable import Forecasting

@Suite struct BatchTests {
  static func batch(_ count: Int, length: Int = 24 * 7 * 8) -> [ObservedSeries] {
    (0..<count).map { s in
      var series = Synthetic.seasonal(count: length, level: 50 + 10 * Double(s), slope: Double(s), sigma: 1 + Double(s % 3), seed: UInt64(100 + s))
      for i in series.values.indices { series.values[i] = max(0, series.values[i]) }
      return series
    }
  }

  @Test("a batch fit with a shared design gives each series the coefficients, forecast and intervals of its own fit")
  func batchMatchesIndividualFits() throws {
    var configuration = Synthetic.fixed(daily: 3, weekly: 2, penalty: 1e-3, lags: 2)
    configuration.usesSeasonalLags = true
    let series = Self.batch(4)
    let models = try SeasonalRegression.fitBatch(series, horizon: 48, configuration: configuration)
    try #require(models.count == 4)
    for (s, one) in series.enumerated() {
      let alone = try SeasonalRegression.fit(one, horizon: 48, configuration: configuration)
      var shared = models[s].selection
      shared.validationMAE = alone.selection.validationMAE  // the batch scores the sum of its series
      #expect(shared == alone.selection)
      for (a, b) in zip(models[s].coefficients, alone.coefficients) { #expect(abs(a - b) < 1e-7 * max(1, abs(b))) }
      for (a, b) in zip(models[s].autoregressiveCoefficients, alone.autoregressiveCoefficients) { #expect(abs(a - b) < 1e-7) }
      let batched = try models[s].forecast(steps: 48), single = try alone.forecast(steps: 48)
      for (a, b) in zip(batched.mean + batched.intervals[1].upper, single.mean + single.intervals[1].upper) {
        #expect(abs(a - b) < 1e-6 * max(1, abs(b)))
      }
    }
  }

  @Test("series on different grids are an error; a series with a gap is fitted on its own")
  func gridsAndGaps() throws {
    var series = Self.batch(3, length: 24 * 7 * 3)
    let configuration = Synthetic.fixed(daily: 2, weekly: 1, penalty: 1e-3)
    series[2].values[10] = .nan
    let models = try SeasonalRegression.fitBatch(series, horizon: 24, configuration: configuration)
    #expect(models.count == 3)
    series[1] = series[1].prefix(24 * 7 * 2)
    #expect(throws: ForecastingError.self) { try SeasonalRegression.fitBatch(series, horizon: 24, configuration: configuration) }
  }

  /// The issue's benchmark: 1,000 hourly series x 8,760 points, fit + 14-day forecast.
  /// Opt-in (slow in debug): `CAPSIM_FORECAST_BENCHMARK=1 swift test -c release --filter BatchTests`.
  @Test("benchmark: 1,000 hourly series of a year, batch fit plus 14-day forecast",
        .enabled(if: ProcessInfo.processInfo.environment["CAPSIM_FORECAST_BENCHMARK"] != nil))
  func benchmark() throws {
    let series = Self.batch(1_000, length: 8_760)
    let horizon = 14 * 24
    let started = Date()
    let models = try SeasonalRegression.fitBatch(series, horizon: horizon)
    let forecasts = try parallelMap(models) { model throws(ForecastingError) in try model.forecast(steps: horizon) }
    let seconds = Date().timeIntervalSince(started)
    print("forecast benchmark: \(series.count) series x \(series[0].count) points, fit + \(horizon)-step forecast: \(String(format: "%.2f", seconds)) s; selection \(models[0].selection)")
    #expect(forecasts.count == 1_000)
  }
}
