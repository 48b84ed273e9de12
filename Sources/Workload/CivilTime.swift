import Foundation

/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), after
/// Howard Hinnant's `days_from_civil` / `civil_from_days`
/// (howardhinnant.github.io/date_algorithms.html). Exact, allocation-free and far faster
/// than `Calendar`, which matters for 500k-row files.
public enum CivilTime {
  static let secondsPerDay = 86_400.0

  /// Day number of a valid date.
  public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let monthIndex = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  static func isLeapYear(_ year: Int) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday).
  static func weekday(ofDay days: Int) -> Int {
    let w = (days + 4) % 7
    return w < 0 ? w + 7 : w
  }

  /// `YYYY-MM-DD<separator>HH:MM:SS`, with up to 3 fraction digits when not whole.
  static func format(localSeconds: Double, separator: String) -> String {
    let dayNumber = Int((localSeconds / secondsPerDay).rounded(.down))
    let secondOfDay = localSeconds - Double(dayNumber) * secondsPerDay
    let (year, month, day) = civilFromDays(dayNumber)
    let whole = Int(secondOfDay.rounded(.down))
    let fraction = secondOfDay - Double(whole)
    var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + separator
    text += pad(whole / 3600, 2) + ":" + pad(whole / 60 % 60, 2) + ":" + pad(whole % 60, 2)
    let millis = Int((fraction * 1000).rounded())
    if millis > 0 && millis < 1000 {
      var digits = pad(millis, 3)
      while digits.hasSuffix("0") { digits.removeLast() }
      text += "." + digits
    }
    return text
  }

  static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }
}

/// UTC offsets of one time zone, cached between transitions so a walk forward in time asks
/// Foundation only once per daylight-saving period.
struct UTCOffsetCache {
  let timeZone: TimeZone
  private var validFrom = Double.infinity
  private var validUntil = -Double.infinity
  private var offset = 0

  init(timeZone: TimeZone) { self.timeZone = timeZone }

  /// Seconds to add to a UTC instant (seconds since 1970) to get local wall-clock seconds.
  mutating func offsetSeconds(atUTC utc: Double) -> Int {
    if utc >= validFrom && utc < validUntil { return offset }
    let date = Date(timeIntervalSince1970: utc)
    offset = timeZone.secondsFromGMT(for: date)
    validFrom = utc
    validUntil = timeZone.nextDaylightSavingTimeTransition(after: date)?.timeIntervalSince1970 ?? .infinity
    return offset
  }
}

/// Turns naive local wall-clock seconds into UTC instants for one zone, DST-correct.
///
/// For each local day it asks Foundation for the offsets one day before and two days after
/// (covering every instant that can show that local day); when they differ it finds the
/// transition instant to the second by bisection. Rows on ordinary days then cost one
/// subtraction. Assumes at most one offset change within any three days, true of the tz
/// database.
struct NaiveTimeConverter {
  enum Conversion: Equatable {
    case unique(Double)
    /// A fall-back local time: both readings, earlier first.
    case ambiguous(Double, Double)
    /// A spring-forward local time that never shows on the clock.
    case nonexistent
  }

  private enum DayRule {
    case fixed(offset: Double)
    case transition(atUTC: Double, offsetBefore: Double, offsetAfter: Double)
  }

  let timeZone: TimeZone
  private var cachedDay = Int.min
  private var cachedRule = DayRule.fixed(offset: 0)

  init(timeZone: TimeZone) { self.timeZone = timeZone }

  mutating func convert(localSeconds local: Double) -> Conversion {
    let day = Int((local / CivilTime.secondsPerDay).rounded(.down))
    if day != cachedDay {
      cachedRule = rule(forLocalDay: day)
      cachedDay = day
    }
    switch cachedRule {
    case .fixed(let offset):
      return .unique(local - offset)
    case .transition(let transition, let before, let after):
      let early = local - before, late = local - after
      let earlyValid = early < transition, lateValid = late >= transition
      switch (earlyValid, lateValid) {
      case (true, true): return early == late ? .unique(early) : .ambiguous(min(early, late), max(early, late))
      case (true, false): return .unique(early)
      case (false, true): return .unique(late)
      case (false, false): return .nonexistent
      }
    }
  }

  private func offset(at utc: Int) -> Int {
    timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc)))
  }

  private func rule(forLocalDay day: Int) -> DayRule {
    var low = (day - 1) * 86_400, high = (day + 2) * 86_400
    let before = offset(at: low), after = offset(at: high)
    if before == after { return .fixed(offset: Double(before)) }
    // offset(low) == before, offset(high) != before: bisect to the first second that differs.
    while high - low > 1 {
      let middle = low + (high - low) / 2
      if offset(at: middle) == before { low = middle } else { high = middle }
    }
    return .transition(atUTC: Double(high), offsetBefore: Double(before), offsetAfter: Double(after))
  }
}
