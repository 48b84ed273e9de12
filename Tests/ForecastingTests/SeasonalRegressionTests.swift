import Foundation
import Testing
@testable import Forecasting

@Suite struct SeasonalRegressionTests {
  @Test("a noise-free series gives back its trend and Fourier coefficients")
  func recoversKnownCoefficients() throws {
    let series = Synthetic.seasonal(count: 24 * 21)
    let model = try SeasonalRegression.fit(series, horizon: 24, configuration: Synthetic.fixed(daily: 3, weekly: 2))
    // Columns: intercept, slope, daily (sin1, cos1, sin2, cos2, sin3, cos3), weekly (sin1, cos1, sin2, cos2).
    let expected: [Double] = [100, 20, 10, 0, 0, -5, 0, 0, 3, 0, 0, 0]
    let c = model.coefficients
    try #require(c.count == expected.count)
    for (found, truth) in zip(c, expected) { #expect(abs(found - truth) < 1e-6, "coefficients \(c)") }
    let forecast = try model.forecast(steps: 48, levels: [])
    let future = Synthetic.seasonal(count: 24 * 21 + 48, slope: 20 * Double(24 * 21 + 48) / Double(24 * 21))
    for (i, value) in forecast.mean.enumerated() { #expect(abs(value - future.values[24 * 21 + i]) < 1e-6) }
  }

  @Test("cross-validation picks orders that resolve the seasonality and a log scale for multiplicative peaks")
  func selectionFindsStructure() throws {
    let additive = Synthetic.seasonal(count: 24 * 28, sigma: 0.5)
    var configuration = SeasonalRegressionConfiguration()
    configuration.dailyOrderCandidates = [1, 2, 4]
    configuration.weeklyOrderCandidates = [0, 1, 3]
    let model = try SeasonalRegression.fit(additive, horizon: 48, configuration: configuration)
    #expect(model.selection.dailyOrder >= 2)
    #expect(model.selection.weeklyOrder >= 1)

    var multiplicativeValues = additive.values
    for i in multiplicativeValues.indices {
      let t = Double(i) * 3_600 / 86_400 * 2 * Double.pi
      multiplicativeValues[i] = exp(3 + 1.2 * sin(t) + 0.02 * sin(Double(i) * 0.7))
    }
    let multiplicative = ObservedSeries(start: Synthetic.monday, intervalSeconds: 3_600, values: multiplicativeValues)
    let logModel = try SeasonalRegression.fit(multiplicative, horizon: 48, configuration: configuration)
    #expect(logModel.selection.isLogTransformed)
  }

  @Test("a holiday indicator recovers a known holiday drop")
  func holidayEffect() throws {
    let utc = TimeZone(identifier: "UTC")!
    let calendar = try HolidayCalendar.parseCSV("date,name\n2026-01-14,Test day\n2026-01-22,Other", timeZone: utc)
    var series = Synthetic.seasonal(count: 24 * 21)
    for i in series.values.indices where calendar.isHoliday(series.start.addingTimeInterval(Double(i) * 3_600)) {
      series.values[i] -= 30
    }
    var configuration = Synthetic.fixed(daily: 2, weekly: 1)
    configuration.holidays = calendar
    configuration.fitsEachHoliday = false
    configuration.holidayDailyOrder = 0
    let model = try SeasonalRegression.fit(series, horizon: 24, configuration: configuration)
    // Columns: intercept, slope, holiday, ...
    #expect(abs(model.coefficients[2] + 30) < 1e-6)
  }

  @Test("per-holiday effects and a holiday daily shape recover two holidays of different size and shape")
  func perHolidayEffects() throws {
    let utc = TimeZone(identifier: "UTC")!
    let calendar = try HolidayCalendar.parseCSV("date,name\n2026-01-14,Small\n2026-01-22,Big\n2026-01-29,Big", timeZone: utc)
    var series = Synthetic.seasonal(count: 24 * 35)
    for i in series.values.indices {
      let date = series.start.addingTimeInterval(Double(i) * 3_600)
      guard let name = calendar.holidayName(on: date) else { continue }
      let hourAngle = 2 * Double.pi * Double(i % 24) / 24
      series.values[i] += (name == "Big" ? -40 : -10) + 6 * cos(hourAngle)
    }
    var configuration = Synthetic.fixed(daily: 2, weekly: 1, penalty: 1e-9)
    configuration.holidays = calendar
    let model = try SeasonalRegression.fit(series, horizon: 24, configuration: configuration)
    let fitted = model.core.deterministic(at: Array(0..<series.count))
    for (i, value) in series.values.enumerated() { #expect(abs(fitted[i] - value) < 1e-3, "point \(i)") }
  }

  @Test("the residual model fits seasonal lags first, then short lags on what they leave")
  func twoStageResidualModel() throws {
    // r_t = 0.6 r_{t-24} + e_t, e_t = 0.5 e_{t-1} + noise.
    var noise = SeededNormal(state: 7)
    var r = [Double](repeating: 0, count: 24 * 400), e = r
    for t in 1..<r.count {
      e[t] = 0.5 * e[t - 1] + noise.next()
      r[t] = (t >= 24 ? 0.6 * r[t - 24] : 0) + e[t]
    }
    let model = try RegressionCore.fitResidualModel(r, lags: (short: [1], seasonal: [24]), window: r.count)
    #expect(model.lags == [1, 24] && model.seasonalCount == 1 && model.historyCount == 25)
    #expect(abs(model.coefficients[0] - 0.5) < 0.05, "short \(model.coefficients)")
    #expect(abs(model.coefficients[1] - 0.6) < 0.05, "seasonal \(model.coefficients)")
  }

  @Test("missing values (NaN) are skipped, not fitted")
  func missingValuesSkipped() throws {
    var series = Synthetic.seasonal(count: 24 * 21)
    for i in stride(from: 5, to: series.count, by: 17) { series.values[i] = .nan }
    let model = try SeasonalRegression.fit(series, horizon: 24, configuration: Synthetic.fixed(daily: 3, weekly: 2))
    #expect(abs(model.coefficients[0] - 100) < 1e-6)
  }

  @Test("fits and forecasts at 1-min, 5-min, 30-min and hourly intervals",
        arguments: [60.0, 300, 1_800, 3_600])
  func worksAtCommonIntervals(intervalSeconds: Double) throws {
    let perDay = Int(86_400 / intervalSeconds)
    let series = Synthetic.seasonal(count: perDay * (intervalSeconds < 300 ? 3 : 15), intervalSeconds: intervalSeconds, sigma: 0.3)
    var configuration = SeasonalRegressionConfiguration()
    configuration.dailyOrderCandidates = [2, 4]
    configuration.weeklyOrderCandidates = [0, 2]
    configuration.ridgePenaltyCandidates = [1e-4, 1e-2]
    let model = try SeasonalRegression.fit(series, horizon: perDay / 4, configuration: configuration)
    let forecast = try model.forecast(steps: perDay / 4)
    #expect(forecast.mean.count == perDay / 4)
    #expect(forecast.start == series.start.addingTimeInterval(Double(series.count) * intervalSeconds))
    let truth = Synthetic.seasonal(count: series.count + perDay / 4, intervalSeconds: intervalSeconds)
    let error = zip(forecast.mean, truth.values.suffix(perDay / 4)).map { abs($0 - $1) }.max()!
    #expect(error < 3, "largest error \(error)")
  }

  @Test("degenerate input is an error with a sentence: constant, too short, all NaN, bad horizon or level")
  func degenerateInput() throws {
    let monday = Synthetic.monday
    #expect(throws: ForecastingError.constantSeries(value: 7)) {
      try SeasonalRegression.fit(ObservedSeries(start: monday, intervalSeconds: 3_600, values: [Double](repeating: 7, count: 24 * 10)), horizon: 24)
    }
    #expect(throws: ForecastingError.tooShort(what: "A seasonal regression (two days of points)", expected: 48, found: 30)) {
      try SeasonalRegression.fit(Synthetic.seasonal(count: 30), horizon: 24)
    }
    #expect(throws: ForecastingError.noObservations(count: 100)) {
      try SeasonalRegression.fit(ObservedSeries(start: monday, intervalSeconds: 3_600, values: [Double](repeating: .nan, count: 100)), horizon: 24)
    }
    #expect(throws: ForecastingError.self) { try SeasonalRegression.fit(Synthetic.seasonal(count: 24 * 10), horizon: 0) }
    #expect(throws: ForecastingError.self) {
      try SeasonalRegression.fit(ObservedSeries(start: monday, intervalSeconds: 0, values: [1, 2]), horizon: 1)
    }
    let model = try SeasonalRegression.fit(Synthetic.seasonal(count: 24 * 10, sigma: 1), horizon: 24, configuration: Synthetic.fixed(daily: 2, weekly: 0))
    #expect(throws: ForecastingError.self) { try model.forecast(steps: 24, levels: [80]) }
    #expect(ForecastingError.constantSeries(value: 7).description.contains("constant"))
    #expect(ForecastingError.noObservations(count: 100).description == "None of the 100 values is a finite number (all NaN or infinite).")
  }
}
