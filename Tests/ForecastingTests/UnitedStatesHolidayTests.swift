import Foundation
import Testing
@testable import Forecasting

@Suite struct UnitedStatesHolidayTests {
  static let utc = TimeZone(identifier: "UTC")!

  static func name(_ calendar: HolidayCalendar, _ year: Int, _ month: Int, _ day: Int) -> String? {
    calendar.namesByDay[HolidayCalendar.dayNumber(year: year, month: month, day: day)]
  }

  /// Dates checked by hand against the U.S. Office of Personnel Management's holiday tables.
  @Test("the US federal calendar puts each holiday on its rule's date", arguments: [
    (2014, 1, 20, "Martin Luther King Jr. Day"), (2014, 2, 17, "Washington's Birthday"), (2014, 5, 26, "Memorial Day"),
    (2014, 7, 4, "Independence Day"), (2014, 9, 1, "Labor Day"), (2014, 10, 13, "Columbus Day"),
    (2014, 11, 11, "Veterans Day"), (2014, 11, 27, "Thanksgiving Day"), (2014, 11, 28, "Day after Thanksgiving"),
    (2014, 12, 24, "Christmas Eve"), (2014, 12, 25, "Christmas Day"), (2014, 12, 31, "New Year's Eve"),
    (2015, 1, 1, "New Year's Day"), (2015, 1, 19, "Martin Luther King Jr. Day"), (2015, 2, 16, "Washington's Birthday"),
    (2015, 5, 25, "Memorial Day"), (2015, 7, 3, "Independence Day (observed)"), (2015, 7, 4, "Independence Day"),
    (2015, 11, 26, "Thanksgiving Day"), (2021, 6, 18, "Juneteenth (observed)"), (2022, 12, 26, "Christmas Day (observed)"),
  ])
  func unitedStatesDates(year: Int, month: Int, day: Int, expected: String) {
    let calendar = HolidayCalendar.unitedStatesFederalHolidays(years: 2013...2023, timeZone: Self.utc)
    #expect(Self.name(calendar, year, month, day) == expected)
  }

  @Test("ordinary days, Juneteenth before 2021 and the common observances when excluded are not holidays")
  func unitedStatesNonHolidays() {
    let calendar = HolidayCalendar.unitedStatesFederalHolidays(years: 2014...2021, timeZone: Self.utc, includesCommonObservances: false)
    #expect(Self.name(calendar, 2015, 1, 26) == nil)
    #expect(Self.name(calendar, 2020, 6, 19) == nil)
    #expect(Self.name(calendar, 2014, 12, 24) == nil)
    #expect(Self.name(calendar, 2014, 11, 28) == nil)
    // 11 federal holidays a year in 2014-2020 (none moved across years), plus Juneteenth and its observed day in 2021.
    #expect(calendar.namesByDay.count >= 11 * 8)
  }

  @Test("weekday arithmetic: 1970-01-01 was a Thursday, 2015-01-25 a Sunday")
  func weekdays() {
    #expect(HolidayCalendar.weekday(of: 0) == 4)
    #expect(HolidayCalendar.weekday(of: HolidayCalendar.dayNumber(year: 2015, month: 1, day: 25)) == 0)
    #expect(HolidayCalendar.weekday(of: -1) == 3)
  }
}
