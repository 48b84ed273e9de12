import Foundation
import Workload

/// Local wall-clock time in a time zone, as seconds since 1970-01-01T00:00 *local* (no zone),
/// and its conversion to instants. Day arithmetic is Howard Hinnant's proleptic Gregorian
/// `days_from_civil` / `civil_from_days` (howardhinnant.github.io/date_algorithms.html):
/// exact and far cheaper than `Calendar` when expanding a year of cron firings.
///
/// Daylight saving: a local time skipped by a forward jump has no instant (`instant` returns
/// nil); a local time repeated by a backward jump maps to its first (earlier) instant.
enum LocalTime {
  static let secondsPerDay = 86_400

  // Day arithmetic is shared with Workload's timestamp parser.
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    CivilTime.daysFromCivil(year: year, month: month, day: day)
  }

  static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
    CivilTime.civilFromDays(days)
  }

  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday).
  static func weekday(ofDay days: Int) -> Int {
    let w = (days + 4) % 7
    return w < 0 ? w + 7 : w
  }

  /// Local seconds (since 1970-01-01T00:00 local) of an instant.
  static func localSeconds(of instant: Date, in timeZone: TimeZone) -> Double {
    instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
  }

  /// The instant a local time names, or nil when a daylight-saving jump skips it; a local
  /// time that occurs twice gives the earlier instant. Offsets within the two days around
  /// the local time are the candidates (UTC offsets lie within -12 h...+14 h).
  static func instant(localSeconds: Double, in timeZone: TimeZone) -> Double? {
    let before = offset(timeZone, at: localSeconds - 15 * 3_600)
    let after = offset(timeZone, at: localSeconds + 15 * 3_600)
    var best: Double?
    for candidate in before == after ? [before] : [before, after] {
      let instant = localSeconds - candidate
      if offset(timeZone, at: instant) == candidate, instant < (best ?? .infinity) { best = instant }
    }
    return best
  }

  /// When every local time of local day `day` maps with one offset (no transition near the
  /// day), that offset; nil when a transition makes per-time resolution necessary.
  static func uniformOffset(ofDay day: Int, in timeZone: TimeZone) -> Double? {
    let dayStart = Double(day * secondsPerDay)
    let windowStart = dayStart - 15 * 3_600, windowEnd = dayStart + Double(secondsPerDay) + 15 * 3_600
    let first = offset(timeZone, at: windowStart)
    guard first == offset(timeZone, at: windowEnd) else { return nil }
    if let next = timeZone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: windowStart)),
      next.timeIntervalSince1970 <= windowEnd
    {
      return nil
    }
    return first
  }

  static func offset(_ timeZone: TimeZone, at instant: Double) -> Double {
    Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: instant)))
  }
}

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
    let local = Double(LocalTime.daysFromCivil(year: year, month: month, day: day) * LocalTime.secondsPerDay)
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
