import CivilCalendar
import Foundation

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
