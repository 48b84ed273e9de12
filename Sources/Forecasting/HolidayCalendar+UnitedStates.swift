import CivilCalendar
import Foundation

extension HolidayCalendar {
  /// United States federal public holidays for `years`, by the rules of 5 U.S.C. 6103:
  /// New Year's Day (Jan 1), Martin Luther King Jr. Day (third Monday of January, from
  /// 1986), Washington's Birthday (third Monday of February), Memorial Day (last Monday of
  /// May), Juneteenth (June 19, from 2021), Independence Day (July 4), Labor Day (first
  /// Monday of September), Columbus Day (second Monday of October), Veterans Day (Nov 11),
  /// Thanksgiving (fourth Thursday of November) and Christmas (Dec 25). A fixed-date
  /// holiday on a Saturday is also observed the Friday before, on a Sunday the Monday
  /// after; those days are named "<holiday> (observed)". With `includesCommonObservances`
  /// the calendar also holds the days most businesses treat as holidays too: the day after
  /// Thanksgiving, Christmas Eve and New Year's Eve.
  public static func unitedStatesFederalHolidays(
    years: ClosedRange<Int>, timeZone: TimeZone, includesCommonObservances: Bool = true
  ) -> HolidayCalendar {
    var namesByDay: [Int: String] = [:]
    for year in years {
      func add(_ day: Int, _ name: String) { namesByDay[day] = namesByDay[day] ?? name }
      func fixed(_ month: Int, _ dayOfMonth: Int, _ name: String) {
        let day = dayNumber(year: year, month: month, day: dayOfMonth)
        add(day, name)
        switch weekday(of: day) {
        case 6: add(day - 1, "\(name) (observed)")
        case 0: add(day + 1, "\(name) (observed)")
        default: break
        }
      }
      fixed(1, 1, "New Year's Day")
      if year >= 1986 { add(nthWeekday(1, n: 3, month: 1, year: year), "Martin Luther King Jr. Day") }
      add(nthWeekday(1, n: 3, month: 2, year: year), "Washington's Birthday")
      add(lastWeekday(1, month: 5, year: year), "Memorial Day")
      if year >= 2021 { fixed(6, 19, "Juneteenth") }
      fixed(7, 4, "Independence Day")
      add(nthWeekday(1, n: 1, month: 9, year: year), "Labor Day")
      add(nthWeekday(1, n: 2, month: 10, year: year), "Columbus Day")
      fixed(11, 11, "Veterans Day")
      let thanksgiving = nthWeekday(4, n: 4, month: 11, year: year)
      add(thanksgiving, "Thanksgiving Day")
      fixed(12, 25, "Christmas Day")
      if includesCommonObservances {
        add(thanksgiving + 1, "Day after Thanksgiving")
        add(dayNumber(year: year, month: 12, day: 24), "Christmas Eve")
        add(dayNumber(year: year, month: 12, day: 31), "New Year's Eve")
      }
    }
    return HolidayCalendar(timeZone: timeZone, namesByDay: namesByDay)
  }

  /// 0 = Sunday ... 6 = Saturday, for a day counted from 1970-01-01 (a Thursday).
  static func weekday(of day: Int) -> Int { CivilTime.weekday(ofDay: day) }

  /// The `n`-th (1-based) given weekday (0 = Sunday) of a month.
  static func nthWeekday(_ weekday: Int, n: Int, month: Int, year: Int) -> Int {
    let first = dayNumber(year: year, month: month, day: 1)
    return first + (weekday - Self.weekday(of: first) + 7) % 7 + 7 * (n - 1)
  }

  /// The last given weekday (0 = Sunday) of a month.
  static func lastWeekday(_ weekday: Int, month: Int, year: Int) -> Int {
    let nextFirst = month == 12 ? dayNumber(year: year + 1, month: 1, day: 1) : dayNumber(year: year, month: month + 1, day: 1)
    let last = nextFirst - 1
    return last - (Self.weekday(of: last) - weekday + 7) % 7
  }
}
