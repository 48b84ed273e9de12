import Foundation

/// Calendar arithmetic in UTC without Foundation's Calendar (which is slow per row and
/// depends on the process's settings): civil dates from day numbers (H. Hinnant,
/// "chrono-Compatible Low-Level Date Algorithms"), month bounds and ISO 8601 text.
enum UTCTime {
  static let secondsPerDay = 86_400

  /// Days since 1970-01-01 of the civil date.
  static func days(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let monthIndex = (month + 9) % 12
    let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The civil date of a day number (days since 1970-01-01).
  static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
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
