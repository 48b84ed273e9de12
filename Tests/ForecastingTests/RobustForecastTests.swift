import Foundation
import Testing
@testable import Forecasting

/// Forecast paths that stay sane (issue 11, item 2): the conformal calibration's origins,
/// the plausible ceiling, the robust prefit's spike weights and level shifts, each against
/// series built with faults of known size.
@Suite struct RobustForecastTests {
  /// A food-delivery day (lunch and dinner peaks, weekends x1.3), hourly, with
  /// multiplicative noise: the shape of the shipped synthetic services.
  static func delivery(days: Int, sigma: Double = 0.05, seed: UInt64 = 3) -> ObservedSeries {
    var noise = SeededNormal(state: seed)
    let values = (0..<(days * 24)).map { t -> Double in
      let hour = Double(t % 24), weekday = (t / 24) % 7
      let shape = 0.15 + exp(-pow((hour - 12) / 1.5, 2)) + 1.3 * exp(-pow((hour - 18.5) / 2, 2))
      return 300 * shape * (weekday >= 5 ? 1.3 : 1) * exp(sigma * noise.next())
    }
    return ObservedSeries(start: Synthetic.monday, intervalSeconds: 3_600, values: values)
  }

  @Test("calibration origins keep three points per term and at least five origins (hand-computed plan)")
  func calibrationPlan() {
    // 28 hourly days, a 14-day horizon, 74 columns: floor 3 x 74 = 222 points; CV's
    // shortest fold trains on 672 - 2 x 168 = 336 >= 222. Room 450 points: the full 336
    // steps fit beside four more daily origins (450 - 96 = 354 >= 336), so origins
    // 336, 312, 288, 264, 240 (all >= 222), and 216 < 222 is dropped.
    var configuration = SeasonalRegressionConfiguration()
    configuration.holidays = nil
    let design = SeasonalDesign(dailyOrder: 11, weeklyOrder: 24, configuration: configuration)
    #expect(design.columnCount == 74)
    let plan = CalibrationPlan(count: 672, horizon: 336, pointsPerDay: 24, design: design, configuration: configuration)
    #expect(plan.minimumTraining == 222)
    #expect(plan.steps == 336)
    #expect(plan.origins == [336, 312, 288, 264, 240])
    // A long series keeps the plan it always had: ten daily origins of the full horizon.
    let long = CalibrationPlan(count: 10_320, horizon: 336, pointsPerDay: 48, design: design, configuration: configuration)
    #expect(long.steps == 336)
    #expect(long.origins == (0..<10).map { 10_320 - 336 - 48 * $0 })
  }

  @Test("the plausible ceiling is the surge times the slot median (hand-computed)")
  func ceiling() throws {
    // Two days of 4 points (6-hour interval); slots are positions in the day. Slot medians
    // of (10, 30), (20, 20), (5, 5), (40, 40): 20, 20, 5, 40; floor 40 / 10 = 4 (none
    // below). Surge: the largest value / median = 30 / 20 = 1.5.
    let series = ObservedSeries(
      start: Synthetic.monday, intervalSeconds: 21_600, values: [10, 20, 5, 40, 30, 20, 5, 40])
    let ceiling = try #require(PlausibleCeiling(series))
    #expect(ceiling.surge == 1.5)
    #expect(ceiling.value(step: 0, mean: 0) == 30)   // slot 0: 1.5 x 20
    #expect(ceiling.value(step: 2, mean: 0) == 7.5)  // slot 2: 1.5 x 5
    #expect(ceiling.value(step: 2, mean: 10) == 15)  // a mean above the slot's level lifts it
    #expect(ceiling.value(step: 7, mean: 0) == 60)   // slot 3: 1.5 x 40
    #expect(PlausibleCeiling(ObservedSeries(start: Synthetic.monday, intervalSeconds: 3_600, values: [0, 0, .nan])) == nil)
  }

  @Test("on 28 days (menu-search's history) 14-day paths and intervals stay near the history's peak")
  func shortHistoryPathsStaySane() throws {
    let series = Self.delivery(days: 28, sigma: 0.1)
    let peak = try #require(series.values.max())
    let model = try SeasonalRegression.fit(series, horizon: 336)
    let paths = try model.samplePaths(steps: 336, count: 40, seed: 7)
    let highest = try #require(paths.compactMap { $0.max() }.max())
    // Before the calibration plan, the same fit sent paths to 20x the peak (menu-search).
    #expect(highest < 1.6 * peak, "path maximum \(highest / peak) x the peak")
    let forecast = try model.forecast(steps: 336, levels: [0.95])
    let upper = try #require(forecast.intervals[0].upper.max())
    #expect(upper < 1.6 * peak, "95% upper bound \(upper / peak) x the peak")
    let ceiling = try #require(model.ceiling)
    for path in paths {
      for (step, value) in path.enumerated() { #expect(value <= ceiling.value(step: step, mean: forecast.mean[step]) + 1e-9) }
    }
  }

  @Test("one-off x4 spikes are down-weighted, exactly those points, and the forecast improves")
  func spikes() throws {
    var series = Self.delivery(days: 56)
    let spikes = [200, 201, 500, 501, 777, 778, 1_000, 1_001]
    for t in spikes { series.values[t] *= 4 }
    let prefit = RobustPrefit(series, configuration: .init())
    let weights = try #require(prefit.weights)
    #expect(spikes.allSatisfy { weights[$0] < 0.5 }, "\(spikes.map { weights[$0] })")
    #expect(prefit.downweightedCount < 3 * spikes.count, "\(prefit.downweightedCount) points down-weighted")
    #expect(prefit.levelShiftIndex == nil)
    var plain = SeasonalRegressionConfiguration()
    plain.fitsRobustly = false
    let robust = try Backtest.run(series, horizon: 168)
    let baseline = try Backtest.run(series, horizon: 168, configuration: plain)
    #expect(robust.scores[0].accuracy.mase < 0.8 * baseline.scores[0].accuracy.mase)
    let coverage = try #require(robust.scores[0].coverage[0.8])
    #expect((0.7...0.95).contains(coverage), "80% interval covered \(coverage)")
  }

  @Test("a x1.4 level shift 10 days before the end is found at its day and carried into the forecast",
        arguments: [1.4, 0.7])
  func levelShift(factor: Double) throws {
    var series = Self.delivery(days: 56)
    let shift = 46 * 24
    for t in shift..<series.count { series.values[t] *= factor }
    let prefit = RobustPrefit(series, configuration: .init())
    #expect(prefit.levelShiftIndex == shift)
    // Next week against the same week without noise: the level carries.
    let model = try SeasonalRegression.fit(series, horizon: 168)
    let forecast = try model.forecast(steps: 168, levels: [0.8])
    let truth = Self.delivery(days: 63, sigma: 0).values.suffix(168).map { $0 * factor }
    let ratio = forecast.mean.reduce(0, +) / truth.reduce(0, +)
    #expect(abs(ratio - 1) < 0.05, "forecast / truth over the next week: \(ratio)")
    #expect(model.selection.levelShiftIndex == shift)
  }

  @Test("a clean series gets no weights and no shift: fitted exactly as without the prefit")
  func cleanSeriesUnchanged() throws {
    let series = Self.delivery(days: 35)
    let prefit = RobustPrefit(series, configuration: .init())
    #expect(prefit.levelShiftIndex == nil)
    var plain = SeasonalRegressionConfiguration()
    plain.fitsRobustly = false
    if prefit.weights == nil {
      let a = try SeasonalRegression.fit(series, horizon: 168).forecast(steps: 168)
      let b = try SeasonalRegression.fit(series, horizon: 168, configuration: plain).forecast(steps: 168)
      #expect(a == b)
    } else {
      #expect(prefit.downweightedCount < series.count / 200, "\(prefit.downweightedCount) of \(series.count) down-weighted")
    }
  }
}
