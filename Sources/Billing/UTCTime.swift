import CivilCalendar
import Foundation

/// Calendar arithmetic in UTC without Foundation's Calendar (which is slow per row and
/// depends on the process's settings): month bounds and ISO 8601 text over `CivilTime`'s
/// day numbers.
enum UTCTime {
  static let secondsPerDay = 86_400

  /// Days since 1970-01-01 of the civil date.
  static func days(year: Int, month: Int, day: Int) -> Int {
    CivilTime.daysFromCivil(year: year, month: month, day: day)
  }

  /// The civil date of a day number (days since 1970-01-01).
  static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
    CivilTime.civilFromDays(days)
  }

  /// Whole seconds since 1970 (rounded down).
  static func epochSeconds(_ date: Date) -> Int {
    Int(date.timeIntervalSince1970.rounded(.down))
  }

  /// The UTC calendar month containing `date`: [first instant, first instant of the next).
  static func monthBounds(containing date: Date) -> (start: Date, end: Date) {
    let seconds = epochSeconds(date)
    let dayNumber = seconds >= 0 ? seconds / secondsPerDay : (seconds - secondsPerDay + 1) / secondsPerDay
    let (year, month, _) = civil(days: dayNumber)
    let start = days(year: year, month: month, day: 1)
    let end = month == 12 ? days(year: year + 1, month: 1, day: 1) : days(year: year, month: month + 1, day: 1)
    return (
      Date(timeIntervalSince1970: Double(start * secondsPerDay)),
      Date(timeIntervalSince1970: Double(end * secondsPerDay))
    )
  }

  /// `YYYY-MM-DDTHH:MM:SSZ` (whole seconds, rounded down).
  static func iso8601(_ date: Date) -> String {
    let seconds = epochSeconds(date)
    let dayNumber = seconds >= 0 ? seconds / secondsPerDay : (seconds - secondsPerDay + 1) / secondsPerDay
    let secondOfDay = seconds - dayNumber * secondsPerDay
    let (year, month, day) = civil(days: dayNumber)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let digits = "\(max(year, 0))"
    let yearText = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    return "\(yearText)-\(two(month))-\(two(day))T\(two(secondOfDay / 3_600)):"
      + "\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
  }
}
