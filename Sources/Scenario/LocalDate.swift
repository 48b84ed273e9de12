import CivilCalendar
import Foundation

/// A calendar day with no time and no zone, e.g. a holiday `2026-03-01`.
public struct LocalDate: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// The instant this day starts in `timeZone` (the first existing local time of the day if
  /// midnight is skipped by a daylight-saving jump).
  public func startOfDay(in timeZone: TimeZone) -> Date {
    let local = Double(CivilTime.daysFromCivil(year: year, month: month, day: day) * LocalTime.secondsPerDay)
    for minutes in stride(from: 0, through: 180, by: 1) {
      if let instant = LocalTime.instant(localSeconds: local + Double(minutes * 60), in: timeZone) {
        return Date(timeIntervalSince1970: instant)
      }
    }
    return Date(timeIntervalSince1970: local - LocalTime.offset(timeZone, at: local))
  }

  public static func < (a: LocalDate, b: LocalDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  public var description: String {
    func pad(_ n: Int, _ width: Int) -> String {
      let digits = String(n)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }
}
