import Foundation
import Testing
@testable import Forecasting

@Suite struct BacktestTests {
  @Test("MASE, sMAPE and RMSE match hand computation; seasonal naive repeats the last period")
  func metricsByHand() throws {
    let a = ForecastAccuracy.score(actual: [1, 2, 3, .nan], predicted: [2, 2, 1, 5], scale: 0.5)
    #expect(abs(a.mase - 2) < 1e-12)  // MAE 1 / 0.5
    #expect(abs(a.rmse - (5.0 / 3).squareRoot()) < 1e-12)
    #expect(abs(a.smape - (2.0 / 3 + 0 + 1) / 3) < 1e-12)
    #expect(ForecastAccuracy.seasonalNaive([1, 2, 3, 4, 5], period: 2, steps: 5) == [4, 5, 4, 5, 4])
    #expect(ForecastAccuracy.seasonalNaiveMAE([1, 2, 4, 4], period: 2) == 2.5)
  }

  @Test("on a noisy seasonal series the model beats both seasonal naive baselines, reported beside it")
  func beatsBaselines() throws {
    let series = Synthetic.seasonal(count: 24 * 7 * 6, sigma: 1.5, seed: 3)
    var configuration = SeasonalRegressionConfiguration()
    configuration.dailyOrderCandidates = [2, 4]
    configuration.weeklyOrderCandidates = [0, 2]
    let backtest = try Backtest.run(series, horizon: 48, originCount: 2, configuration: configuration)
    #expect(backtest.scores.map(\.name) == ["seasonal-regression", "seasonal-naive-daily", "seasonal-naive-weekly"])
    #expect(backtest.origins == [series.count - 48, series.count - 96])
    let model = backtest.scores[0].accuracy.mase
    #expect(model < backtest.scores[1].accuracy.mase && model < backtest.scores[2].accuracy.mase)
    #expect(backtest.scores[0].coverage.keys.sorted() == [0.8, 0.95])
  }

  @Test("a series too short for a week of history before the holdout is an error")
  func tooShortForBacktest() {
    #expect(throws: ForecastingError.self) { try Backtest.run(Synthetic.seasonal(count: 24 * 8), horizon: 48) }
  }
}

@Suite struct HolidayCalendarTests {
  @Test("the shipped Korean calendar knows Seollal 2015 in Seoul time, not the UTC day before")
  func koreanCalendar() {
    let calendar = HolidayCalendar.koreanPublicHolidays
    // 2015-02-19 00:30 in Seoul is 2015-02-18 15:30 UTC; 2015-02-17 23:30 Seoul is not a holiday.
    #expect(calendar.holidayName(on: Date(timeIntervalSince1970: 1_424_273_400)) == "Seollal")
    #expect(!calendar.isHoliday(Date(timeIntervalSince1970: 1_424_183_400)))
    #expect(calendar.namesByDay.count == 34)
  }

  @Test("calendar CSV rows with a bad date are errors naming the line")
  func badDate() {
    #expect(throws: ForecastingError.invalidArgument(name: "holiday calendar line 3", expected: "a YYYY-MM-DD date", found: "'2026-13-01'")) {
      try HolidayCalendar.parseCSV("date,name\n2026-01-01,New Year\n2026-13-01,Oops", timeZone: TimeZone(identifier: "UTC")!)
    }
  }

  @Test("day numbers match the epoch: 1970-01-01 is day 0, 2026-01-05 is day 20458")
  func dayNumbers() {
    #expect(HolidayCalendar.dayNumber(year: 1970, month: 1, day: 1) == 0)
    #expect(HolidayCalendar.dayNumber(year: 2026, month: 1, day: 5) == 20_458)
  }
}
