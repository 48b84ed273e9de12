import CivilCalendar
import Foundation

/// Named dates on which demand behaves differently (public holidays, promotions), read in
/// one time zone. Calendars are data: build one from CSV text (`date,name` rows, dates
/// `YYYY-MM-DD`) or from dates, and merge several with `merging(_:)`.
///
///     let calendar = try HolidayCalendar.parseCSV("date,name\n2015-02-19,Seollal", timeZone: seoul)
///     calendar.isHoliday(someDate)
public struct HolidayCalendar: Sendable, Equatable {
  /// Local calendar day -> the holiday's name; days are counted from 1970-01-01 in `timeZone`.
  public private(set) var namesByDay: [Int: String]
  /// The zone whose midnight starts each holiday.
  public let timeZone: TimeZone

  public init(timeZone: TimeZone, namesByDay: [Int: String] = [:]) {
    self.timeZone = timeZone
    self.namesByDay = namesByDay
  }

  /// Reads `date,name` rows (a header row is optional; blank lines are skipped).
  public static func parseCSV(_ text: String, timeZone: TimeZone) throws(ForecastingError) -> HolidayCalendar {
    var calendar = HolidayCalendar(timeZone: timeZone)
    for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      if line.isEmpty || (offset == 0 && line.lowercased().hasPrefix("date")) { continue }
      let fields = line.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      let parts = fields[0].split(separator: "-").compactMap { Int($0) }
      guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else {
        throw .invalidArgument(name: "holiday calendar line \(offset + 1)", expected: "a YYYY-MM-DD date", found: "'\(fields[0])'")
      }
      calendar.namesByDay[Self.dayNumber(year: parts[0], month: parts[1], day: parts[2])] = fields.count > 1 ? fields[1] : "holiday"
    }
    return calendar
  }

  /// Holidays of both calendars (this one's zone is kept; `other`'s days are taken as is).
  public func merging(_ other: HolidayCalendar) -> HolidayCalendar {
    HolidayCalendar(timeZone: timeZone, namesByDay: namesByDay.merging(other.namesByDay) { a, _ in a })
  }

  /// The holiday's name on the local day containing `date`, or nil.
  public func holidayName(on date: Date) -> String? {
    namesByDay[localDayNumber(of: date)]
  }

  public func isHoliday(_ date: Date) -> Bool { holidayName(on: date) != nil }

  func localDayNumber(of date: Date) -> Int {
    let seconds = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
    return Int((seconds / 86_400).rounded(.down))
  }

  /// Days from 1970-01-01 to the given proleptic Gregorian date.
  static func dayNumber(year: Int, month: Int, day: Int) -> Int {
    CivilTime.daysFromCivil(year: year, month: month, day: day)
  }

  /// South Korean public holidays (including lunar-calendar and substitute days) for
  /// 2014 and 2015, the years of the traces in scenarios/data; an example of calendar data
  /// in Asia/Seoul. Extend with `parseCSV` and `merging`.
  public static let koreanPublicHolidays: HolidayCalendar = {
    // The CSV is fixed and well-formed; a failure here is our bug.
    do { return try parseCSV(koreanHolidayCSV, timeZone: TimeZone(identifier: "Asia/Seoul")!) } catch {
      preconditionFailure("built-in Korean holiday CSV is malformed: \(error)")
    }
  }()

  static let koreanHolidayCSV = """
    date,name
    2014-01-01,New Year's Day
    2014-01-30,Seollal
    2014-01-31,Seollal
    2014-02-01,Seollal
    2014-03-01,Independence Movement Day
    2014-05-05,Children's Day
    2014-05-06,Buddha's Birthday
    2014-06-04,Local elections
    2014-06-06,Memorial Day
    2014-08-15,Liberation Day
    2014-09-07,Chuseok
    2014-09-08,Chuseok
    2014-09-09,Chuseok
    2014-09-10,Chuseok (substitute)
    2014-10-03,National Foundation Day
    2014-10-09,Hangul Day
    2014-12-25,Christmas
    2015-01-01,New Year's Day
    2015-02-18,Seollal
    2015-02-19,Seollal
    2015-02-20,Seollal
    2015-03-01,Independence Movement Day
    2015-05-05,Children's Day
    2015-05-25,Buddha's Birthday
    2015-06-06,Memorial Day
    2015-08-14,Temporary holiday
    2015-08-15,Liberation Day
    2015-09-26,Chuseok
    2015-09-27,Chuseok
    2015-09-28,Chuseok
    2015-09-29,Chuseok (substitute)
    2015-10-03,National Foundation Day
    2015-10-09,Hangul Day
    2015-12-25,Christmas
    """
}
