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

/// A hand-written timestamp reader over UTF-8 bytes: exact (integer arithmetic for the
/// calendar, no locale) and allocation-free, so half a million rows parse in milliseconds.
/// Accepts ISO 8601 date-times with `T`, `t` or a space, optional seconds and fraction
/// (`.` or `,`), optional `Z`/`±HH:MM`/`±HHMM`/`±HH`; a bare date (`2026-01-05`, midnight);
/// and epoch seconds (`1767614400`, `1767614400.25`). Surrounding spaces are ignored.
enum TimestampParser {
  /// Epoch seconds at or above this (year 5138) are rejected as probably milliseconds.
  static let epochLimit = 100_000_000_000.0

  static func parse(_ text: String) -> ParsedTimestamp {
    var copy = text
    return copy.withUTF8 { parse($0, 0, $0.count) }
  }

  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> ParsedTimestamp {
    var start = start, end = end
    while start < end && isSpace(bytes[start]) { start += 1 }
    while end > start && isSpace(bytes[end - 1]) { end -= 1 }
    guard start < end else { return .failure(reason: "it is empty") }

    // Epoch seconds: digits with an optional fraction and nothing else.
    var onlyDigitsAndDot = true, dots = 0
    for i in start..<end {
      let c = bytes[i]
      if c == UInt8(ascii: ".") { dots += 1 } else if !isDigit(c) { onlyDigitsAndDot = false; break }
    }
    if onlyDigitsAndDot {
      guard dots <= 1, bytes[start] != UInt8(ascii: "."), bytes[end - 1] != UInt8(ascii: ".") else {
        return .failure(reason: "it is not a valid number of epoch seconds")
      }
      var whole = 0.0, i = start
      while i < end && bytes[i] != UInt8(ascii: ".") {
        whole = whole * 10 + Double(bytes[i] &- 48)
        i += 1
        if whole >= epochLimit {
          return .failure(
            reason: "it is too large for epoch seconds; epoch milliseconds are not accepted, divide by 1000")
        }
      }
      let fraction = i < end ? readFraction(bytes, i + 1, end).value : 0
      return .instant(whole + fraction, .epoch)
    }

    // YYYY-MM-DD
    var i = start
    guard end - i >= 10, let year = readDigits(bytes, i, 4), bytes[i + 4] == UInt8(ascii: "-"),
      let month = readDigits(bytes, i + 5, 2), bytes[i + 7] == UInt8(ascii: "-"),
      let day = readDigits(bytes, i + 8, 2)
    else { return .failure(reason: "it is in none of the accepted forms") }
    guard (1...12).contains(month) else { return .failure(reason: "month \(month) is outside 1-12") }
    guard day >= 1 && day <= CivilTime.daysInMonth(year: year, month: month) else {
      return .failure(reason: "day \(day) does not exist in \(CivilTime.pad(year, 4))-\(CivilTime.pad(month, 2))")
    }
    let dayNumber = CivilTime.daysFromCivil(year: year, month: month, day: day)
    i += 10
    if i == end { return .naive(Double(dayNumber) * CivilTime.secondsPerDay, .naive(separator: " ")) }

    // Separator, then HH:MM[:SS[.fff]]
    let separator = bytes[i]
    guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
      return .failure(reason: "expected 'T' or a space after the date")
    }
    i += 1
    while i < end && bytes[i] == UInt8(ascii: " ") { i += 1 }
    guard end - i >= 5, let hour = readDigits(bytes, i, 2), bytes[i + 2] == UInt8(ascii: ":"),
      let minute = readDigits(bytes, i + 3, 2)
    else { return .failure(reason: "expected HH:MM after the date") }
    guard hour <= 23 else { return .failure(reason: "hour \(hour) is outside 0-23") }
    guard minute <= 59 else { return .failure(reason: "minute \(minute) is outside 0-59") }
    i += 5
    var second = 0
    var fraction = 0.0
    if i < end && bytes[i] == UInt8(ascii: ":") {
      guard end - i >= 3, let value = readDigits(bytes, i + 1, 2) else {
        return .failure(reason: "expected two digits of seconds after HH:MM:")
      }
      guard value <= 59 else { return .failure(reason: "second \(value) is outside 0-59") }
      second = value
      i += 3
      if i < end && (bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",")) {
        let read = readFraction(bytes, i + 1, end)
        guard read.end > i + 1 else { return .failure(reason: "expected digits after the decimal point") }
        fraction = read.value
        i = read.end
      }
    }
    let local = Double(dayNumber) * CivilTime.secondsPerDay + Double(hour * 3600 + minute * 60 + second) + fraction
    let naiveStyle = TimestampStyle.naive(separator: separator == UInt8(ascii: " ") ? " " : "T")
    if i == end { return .naive(local, naiveStyle) }

    // Z or ±HH[:MM] / ±HHMM
    let sign = bytes[i]
    if (sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z")) && i + 1 == end {
      return .instant(local, .zoned(offsetSeconds: 0, isZulu: true))
    }
    guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), end - i >= 3,
      let offsetHours = readDigits(bytes, i + 1, 2)
    else { return .failure(reason: "unexpected text after the time") }
    i += 3
    var offsetMinutes = 0
    if i < end {
      if bytes[i] == UInt8(ascii: ":") { i += 1 }
      guard end - i == 2, let value = readDigits(bytes, i, 2) else {
        return .failure(reason: "expected the offset as +HH:MM")
      }
      offsetMinutes = value
    }
    guard offsetHours <= 18, offsetMinutes <= 59 else {
      return .failure(reason: "offset \(offsetHours):\(CivilTime.pad(offsetMinutes, 2)) is outside +-18:00")
    }
    let offset = (offsetHours * 3600 + offsetMinutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
    return .instant(local - Double(offset), .zoned(offsetSeconds: offset, isZulu: false))
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

  @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
  @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 }

  private static func readDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int? {
    var value = 0
    for i in at..<(at + count) {
      let c = bytes[i]
      guard isDigit(c) else { return nil }
      value = value * 10 + Int(c &- 48)
    }
    return value
  }

  /// Digits after a decimal point, as a fraction in [0, 1); digits past the ninth are read
  /// but do not change the value beyond nanoseconds.
  private static func readFraction(
    _ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ end: Int
  ) -> (value: Double, end: Int) {
    var numerator = 0, digits = 0, i = at
    while i < end && isDigit(bytes[i]) {
      if digits < 9 {
        numerator = numerator * 10 + Int(bytes[i] &- 48)
        digits += 1
      }
      i += 1
    }
    var denominator = 1
    for _ in 0..<digits { denominator *= 10 }
    return (Double(numerator) / Double(denominator), i)
  }
}
