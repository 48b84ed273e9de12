import Foundation

/// Local wall-clock time in a time zone, as seconds since 1970-01-01T00:00 *local* (no zone),
/// and its conversion to instants. Day arithmetic is `CivilTime`'s: exact and far cheaper
/// than `Calendar` when expanding a year of cron firings.
///
/// Daylight saving: a local time skipped by a forward jump has no instant (`instant` returns
/// nil); a local time repeated by a backward jump maps to its first (earlier) instant.
public enum LocalTime {
  @inlinable public static var secondsPerDay: Int { 86_400 }

  /// Local seconds (since 1970-01-01T00:00 local) of an instant.
  public static func localSeconds(of instant: Date, in timeZone: TimeZone) -> Double {
    instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
  }

  /// The instant a local time names, or nil when a daylight-saving jump skips it; a local
  /// time that occurs twice gives the earlier instant. Offsets within the two days around
  /// the local time are the candidates (UTC offsets lie within -12 h...+14 h).
  public static func instant(localSeconds: Double, in timeZone: TimeZone) -> Double? {
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
  public static func uniformOffset(ofDay day: Int, in timeZone: TimeZone) -> Double? {
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

  public static func offset(_ timeZone: TimeZone, at instant: Double) -> Double {
    Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: instant)))
  }
}

