import CivilCalendar
import Foundation

/// How a timestamp was written, so messages can show computed times (the expected row
/// after a gap) in the same form as the file.
enum TimestampStyle: Equatable, Sendable {
  /// No offset: `2026-01-05T12:00:00` (separator "T") or `2026-01-05 12:00:00` (" ").
  case naive(separator: String)
  /// With `Z` or an offset such as `+09:00`.
  case zoned(offsetSeconds: Int, isZulu: Bool)
  /// Seconds since 1970-01-01T00:00:00Z.
  case epoch
}

enum ParsedTimestamp {
  /// An absolute instant (offset given, or epoch seconds), seconds since 1970 UTC.
  case instant(Double, TimestampStyle)
  /// Wall-clock seconds since 1970-01-01 00:00 local, still to be placed in a zone.
  case naive(Double, TimestampStyle)
  case failure(reason: String)
}

/// Timestamps of demand files (CSV, CloudWatch JSON, arrival logs), read by `CivilCalendar`'s
/// `ISO8601Timestamp` with the options below: ISO 8601 date-times with `T`, `t` or a space
/// (spaces may follow it), optional seconds and fraction (`.` or `,`), optional
/// `Z`/`z`/`±HH:MM`/`±HHMM`/`±HH` within ±18:00; a bare date (`2026-01-05`, midnight);
/// and epoch seconds (`1767614400`, `1767614400.25`). Surrounding spaces are ignored.
enum DemandTimestamp {
  static let options = ISO8601Timestamp.Options(
    acceptsEpochSeconds: true, ignoresSurroundingSpaces: true, acceptsLowercaseDesignators: true,
    acceptsSpacesAfterSeparator: true, requiresSeconds: false, acceptsLeapSecond: false, acceptsCommaFraction: true,
    maximumOffsetSeconds: 18 * 3_600)

  /// Epoch seconds at or above this (year 5138) are rejected as probably milliseconds.
  static var epochLimit: Double { ISO8601Timestamp.epochSecondsLimit }

  static func parse(_ text: String) -> ParsedTimestamp {
    classify(ISO8601Timestamp.parse(text, options: options))
  }

  @inline(__always)
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> ParsedTimestamp {
    classify(ISO8601Timestamp.parse(bytes, start, end, options: options))
  }

  @inline(__always)
  private static func classify(_ result: Result<ISO8601Timestamp, ISO8601Timestamp.Failure>) -> ParsedTimestamp {
    switch result {
    case .failure(let failure):
      return .failure(reason: failure.description)
    case .success(let parsed):
      switch parsed.form {
      case .epochSeconds:
        return .instant(parsed.localSeconds, .epoch)
      case .date:
        return .naive(parsed.localSeconds, .naive(separator: " "))
      case .dateTime(let separator):
        if let utc = parsed.utcSeconds {
          return .instant(utc, .zoned(offsetSeconds: parsed.utcOffsetSeconds ?? 0, isZulu: parsed.isZulu))
        }
        return .naive(parsed.localSeconds, .naive(separator: separator == UInt8(ascii: " ") ? " " : "T"))
      }
    }
  }

  /// Formats a UTC instant the way `style` writes it (naive styles in `timeZone`).
  static func format(utc: Double, style: TimestampStyle, timeZone: TimeZone) -> String {
    switch style {
    case .epoch:
      let zulu = CivilTime.format(localSeconds: utc, separator: "T") + "Z"
      return "\(WorkloadError.seconds(utc)) (\(zulu))"
    case .zoned(let offset, let isZulu):
      let local = CivilTime.format(localSeconds: utc + Double(offset), separator: "T")
      if isZulu { return local + "Z" }
      let magnitude = abs(offset)
      let sign = offset < 0 ? "-" : "+"
      return local + sign + CivilTime.pad(magnitude / 3600, 2) + ":" + CivilTime.pad(magnitude / 60 % 60, 2)
    case .naive(let separator):
      let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: utc))
      return CivilTime.format(localSeconds: utc + Double(offset), separator: separator)
    }
  }
}
