import Foundation

/// A timestamp as written in a file: the one ISO 8601 reader of capsim. Demand files
/// (Workload), scenario files (Scenario) and usage exports (Billing) all read their
/// timestamps with it; what each accepts beyond the common grammar is an `Options` value.
///
/// The grammar (`[...]` optional, `|` a choice, the options in parentheses):
///
///     timestamp = epoch | date [ separator time [ zone ] ]
///     epoch     = digits [ "." digits ]                     (acceptsEpochSeconds; below 1e11)
///     date      = YYYY "-" MM "-" DD                        (a date that exists: leap years, month lengths)
///     separator = "T" | " " | "t"                           ("t": acceptsLowercaseDesignators;
///                 then any spaces:                           acceptsSpacesAfterSeparator)
///     time      = HH ":" MM [ ":" SS [ ( "." | "," ) digits ] ]
///                                                           (":SS" required: requiresSeconds;
///                                                            SS 60: acceptsLeapSecond; ",": acceptsCommaFraction)
///     zone      = "Z" | "z" | ( "+" | "-" ) HH [ [ ":" ] MM ]
///                                                           ("z": acceptsLowercaseDesignators;
///                                                            at most maximumOffsetSeconds either way)
///
/// with HH 00-23, MM 00-59, SS 00-59, and spaces and tabs around the whole ignored when
/// `ignoresSurroundingSpaces`. Fractions are read to the nanosecond (digits past the ninth
/// are read and ignored). A date alone is midnight. Without a zone the time is a local
/// wall-clock time; `instant(zoneless:)` places it, or a caller with its own rules (a
/// demand file's repeated fall-back hour) uses `localSeconds`.
///
/// Works on UTF-8 bytes, exact (integer calendar arithmetic, `CivilTime`) and
/// allocation-free unless it fails, so half a million rows parse in milliseconds.
///
///     let options = ISO8601Timestamp.Options(requiresSeconds: true, maximumOffsetSeconds: 14 * 3_600)
///     let parsed = try ISO8601Timestamp.parse("2026-03-02T09:00:00+09:00", options: options).get()
///     parsed.utcSeconds  // 1_772_409_600
public struct ISO8601Timestamp: Equatable, Sendable {
  public enum Form: Equatable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z (`1767614400`, `1767614400.25`).
    case epochSeconds
    /// `YYYY-MM-DD` alone: midnight.
    case date
    /// A date and a time; `separator` is the byte written between them (`T`, `t` or a space).
    case dateTime(separator: UInt8)
  }

  /// What the local time of a timestamp without a zone is read in.
  public enum ZonelessReading: Sendable {
    /// UTC (usage exports).
    case utc
    /// A zone's wall clock: a time skipped by a daylight-saving jump has no instant, a
    /// repeated one is its first (earlier) instant (`LocalTime.instant`).
    case local(TimeZone)
  }

  /// What a caller accepts beyond the common grammar. The defaults are the strictest
  /// reading: no epoch seconds, nothing around the text, upper-case `T` and `Z` only,
  /// optional seconds without a leap second, `.` fractions, offsets within ±18:00.
  public struct Options: Equatable, Sendable {
    /// Digits with an optional `.` fraction and nothing else are seconds since 1970 UTC;
    /// at or above `ISO8601Timestamp.epochSecondsLimit` they are refused (milliseconds).
    public var acceptsEpochSeconds: Bool
    /// Spaces and tabs before and after the timestamp are ignored.
    public var ignoresSurroundingSpaces: Bool
    /// `t` for `T` and `z` for `Z`.
    public var acceptsLowercaseDesignators: Bool
    /// Spaces may follow the date-time separator (`2026-01-05T  12:00`).
    public var acceptsSpacesAfterSeparator: Bool
    /// `HH:MM` alone (no `:SS`) is refused.
    public var requiresSeconds: Bool
    /// Second 60 is accepted (and counts as the next minute's second 0).
    public var acceptsLeapSecond: Bool
    /// `,` may start the fraction as well as `.`.
    public var acceptsCommaFraction: Bool
    /// The largest UTC offset either way, in seconds (`±HH:MM` beyond it is refused).
    public var maximumOffsetSeconds: Int

    public init(
      acceptsEpochSeconds: Bool = false, ignoresSurroundingSpaces: Bool = false,
      acceptsLowercaseDesignators: Bool = false, acceptsSpacesAfterSeparator: Bool = false,
      requiresSeconds: Bool = false, acceptsLeapSecond: Bool = false, acceptsCommaFraction: Bool = false,
      maximumOffsetSeconds: Int = 18 * 3_600
    ) {
      self.acceptsEpochSeconds = acceptsEpochSeconds
      self.ignoresSurroundingSpaces = ignoresSurroundingSpaces
      self.acceptsLowercaseDesignators = acceptsLowercaseDesignators
      self.acceptsSpacesAfterSeparator = acceptsSpacesAfterSeparator
      self.requiresSeconds = requiresSeconds
      self.acceptsLeapSecond = acceptsLeapSecond
      self.acceptsCommaFraction = acceptsCommaFraction
      self.maximumOffsetSeconds = maximumOffsetSeconds
    }
  }

  /// Why a text is not a timestamp; `description` is the reason as a message ends with it
  /// ("...: month 13 is outside 1-12").
  public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case invalidEpochSeconds
    case epochSecondsTooLarge
    case noAcceptedForm
    case monthOutOfRange(Int)
    case dayOutOfRange(year: Int, month: Int, day: Int)
    case expectedSeparator
    case expectedHourMinute
    case hourOutOfRange(Int)
    case minuteOutOfRange(Int)
    case expectedSeconds
    case secondsRequired
    case secondOutOfRange(Int, maximum: Int)
    case expectedFractionDigits
    case unexpectedTextAfterTime
    case expectedOffset
    case offsetOutOfRange(hours: Int, minutes: Int, maximumSeconds: Int)

    public var description: String {
      switch self {
      case .empty: return "it is empty"
      case .invalidEpochSeconds: return "it is not a valid number of epoch seconds"
      case .epochSecondsTooLarge:
        return "it is too large for epoch seconds; epoch milliseconds are not accepted, divide by 1000"
      case .noAcceptedForm: return "it is in none of the accepted forms"
      case .monthOutOfRange(let month): return "month \(month) is outside 1-12"
      case .dayOutOfRange(let year, let month, let day):
        return "day \(day) does not exist in \(CivilTime.pad(year, 4))-\(CivilTime.pad(month, 2))"
      case .expectedSeparator: return "expected 'T' or a space after the date"
      case .expectedHourMinute: return "expected HH:MM after the date"
      case .hourOutOfRange(let hour): return "hour \(hour) is outside 0-23"
      case .minuteOutOfRange(let minute): return "minute \(minute) is outside 0-59"
      case .expectedSeconds: return "expected two digits of seconds after HH:MM:"
      case .secondsRequired: return "expected seconds, HH:MM:SS"
      case .secondOutOfRange(let second, let maximum): return "second \(second) is outside 0-\(maximum)"
      case .expectedFractionDigits: return "expected digits after the decimal point"
      case .unexpectedTextAfterTime: return "unexpected text after the time"
      case .expectedOffset: return "expected the offset as +HH:MM"
      case .offsetOutOfRange(let hours, let minutes, let maximum):
        return "offset \(hours):\(CivilTime.pad(minutes, 2)) is outside +-"
          + "\(CivilTime.pad(maximum / 3_600, 2)):\(CivilTime.pad(maximum / 60 % 60, 2))"
      }
    }
  }

  /// Epoch seconds at or above this (year 5138) are refused as probably milliseconds.
  public static let epochSecondsLimit = 100_000_000_000.0

  public var form: Form
  /// The written date (for epoch seconds, the UTC date), as days since 1970-01-01.
  public var dayNumber: Int
  public var year: Int
  public var month: Int
  public var day: Int
  public var hour: Int
  public var minute: Int
  /// 0-59, or 60 with `acceptsLeapSecond`.
  public var second: Int
  /// The fraction of a second, in [0, 1), to the nanosecond.
  public var fraction: Double
  /// The offset written (`Z` and epoch seconds: 0); nil when no zone is written.
  public var utcOffsetSeconds: Int?
  /// Written with `Z` (or `z`) rather than an offset.
  public var isZulu: Bool

  public init(
    form: Form, year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
    fraction: Double = 0, utcOffsetSeconds: Int? = nil, isZulu: Bool = false
  ) {
    self.form = form
    self.dayNumber = CivilTime.daysFromCivil(year: year, month: month, day: day)
    self.year = year
    self.month = month
    self.day = day
    self.hour = hour
    self.minute = minute
    self.second = second
    self.fraction = fraction
    self.utcOffsetSeconds = utcOffsetSeconds
    self.isZulu = isZulu
  }

  /// The written time in whole seconds since 1970-01-01T00:00 of its own clock (local when
  /// no zone is written, at the offset when one is, UTC for epoch seconds).
  @inlinable public var wholeLocalSeconds: Int {
    dayNumber * LocalTime.secondsPerDay + hour * 3_600 + minute * 60 + second
  }

  /// `wholeLocalSeconds` plus the fraction.
  @inlinable public var localSeconds: Double { Double(wholeLocalSeconds) + fraction }

  /// Seconds since 1970 UTC when a zone is written (or for epoch seconds); nil otherwise.
  @inlinable public var utcSeconds: Double? {
    guard let offset = utcOffsetSeconds else { return nil }
    return localSeconds - Double(offset)
  }

  /// Seconds since 1970 UTC, a time without a zone read as `zoneless` says; nil for a
  /// local time that a daylight-saving jump skips.
  public func instant(zoneless: ZonelessReading) -> Double? {
    if let utc = utcSeconds { return utc }
    switch zoneless {
    case .utc: return localSeconds
    case .local(let zone): return LocalTime.instant(localSeconds: localSeconds, in: zone)
    }
  }

  // MARK: Parsing

  public static func parse(_ text: String, options: Options) -> Result<ISO8601Timestamp, Failure> {
    var copy = text
    return copy.withUTF8 { parse($0, 0, $0.count, options: options) }
  }

  /// Reads `bytes[start..<end]`.
  @inlinable
  public static func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, options: Options
  ) -> Result<ISO8601Timestamp, Failure> {
    var start = start, end = end
    if options.ignoresSurroundingSpaces {
      while start < end && isSpace(bytes[start]) { start += 1 }
      while end > start && isSpace(bytes[end - 1]) { end -= 1 }
    }
    guard start < end else { return .failure(.empty) }
    if options.acceptsEpochSeconds, let epoch = parseEpoch(bytes, start, end) { return epoch }

    // YYYY-MM-DD
    var i = start
    guard end - i >= 10, let year = readDigits(bytes, i, 4), bytes[i + 4] == UInt8(ascii: "-"),
      let month = readDigits(bytes, i + 5, 2), bytes[i + 7] == UInt8(ascii: "-"),
      let day = readDigits(bytes, i + 8, 2)
    else { return .failure(.noAcceptedForm) }
    guard (1...12).contains(month) else { return .failure(.monthOutOfRange(month)) }
    guard day >= 1 && day <= CivilTime.daysInMonth(year: year, month: month) else {
      return .failure(.dayOutOfRange(year: year, month: month, day: day))
    }
    i += 10
    if i == end { return .success(ISO8601Timestamp(form: .date, year: year, month: month, day: day)) }

    // Separator, then HH:MM[:SS[.fff]]
    let separator = bytes[i]
    guard
      separator == UInt8(ascii: "T") || separator == UInt8(ascii: " ")
        || (separator == UInt8(ascii: "t") && options.acceptsLowercaseDesignators)
    else { return .failure(.expectedSeparator) }
    i += 1
    if options.acceptsSpacesAfterSeparator {
      while i < end && bytes[i] == UInt8(ascii: " ") { i += 1 }
    }
    guard end - i >= 5, let hour = readDigits(bytes, i, 2), bytes[i + 2] == UInt8(ascii: ":"),
      let minute = readDigits(bytes, i + 3, 2)
    else { return .failure(.expectedHourMinute) }
    guard hour <= 23 else { return .failure(.hourOutOfRange(hour)) }
    guard minute <= 59 else { return .failure(.minuteOutOfRange(minute)) }
    i += 5
    var second = 0
    var fraction = 0.0
    if i < end && bytes[i] == UInt8(ascii: ":") {
      guard end - i >= 3, let value = readDigits(bytes, i + 1, 2) else { return .failure(.expectedSeconds) }
      let maximum = options.acceptsLeapSecond ? 60 : 59
      guard value <= maximum else { return .failure(.secondOutOfRange(value, maximum: maximum)) }
      second = value
      i += 3
      if i < end && (bytes[i] == UInt8(ascii: ".") || (bytes[i] == UInt8(ascii: ",") && options.acceptsCommaFraction)) {
        let read = readFraction(bytes, i + 1, end)
        guard read.end > i + 1 else { return .failure(.expectedFractionDigits) }
        fraction = read.value
        i = read.end
      }
    } else if options.requiresSeconds {
      return .failure(.secondsRequired)
    }
    var parsed = ISO8601Timestamp(
      form: .dateTime(separator: separator), year: year, month: month, day: day, hour: hour, minute: minute,
      second: second, fraction: fraction)
    if i == end { return .success(parsed) }

    // Z or ±HH[:MM] / ±HHMM
    let sign = bytes[i]
    if (sign == UInt8(ascii: "Z") || (sign == UInt8(ascii: "z") && options.acceptsLowercaseDesignators)) && i + 1 == end {
      parsed.utcOffsetSeconds = 0
      parsed.isZulu = true
      return .success(parsed)
    }
    guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), end - i >= 3,
      let offsetHours = readDigits(bytes, i + 1, 2)
    else { return .failure(.unexpectedTextAfterTime) }
    i += 3
    var offsetMinutes = 0
    if i < end {
      if bytes[i] == UInt8(ascii: ":") { i += 1 }
      guard end - i == 2, let value = readDigits(bytes, i, 2) else { return .failure(.expectedOffset) }
      offsetMinutes = value
    }
    let magnitude = offsetHours * 3_600 + offsetMinutes * 60
    guard offsetMinutes <= 59, magnitude <= options.maximumOffsetSeconds else {
      return .failure(
        .offsetOutOfRange(hours: offsetHours, minutes: offsetMinutes, maximumSeconds: options.maximumOffsetSeconds))
    }
    parsed.utcOffsetSeconds = sign == UInt8(ascii: "-") ? -magnitude : magnitude
    return .success(parsed)
  }

  /// Epoch seconds when the text is only digits and dots; nil when it is something else.
  @inlinable
  static func parseEpoch(
    _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
  ) -> Result<ISO8601Timestamp, Failure>? {
    var dots = 0
    for i in start..<end {
      let c = bytes[i]
      if c == UInt8(ascii: ".") { dots += 1 } else if !isDigit(c) { return nil }
    }
    guard dots <= 1, bytes[start] != UInt8(ascii: "."), bytes[end - 1] != UInt8(ascii: ".") else {
      return .failure(.invalidEpochSeconds)
    }
    var whole = 0, i = start
    while i < end && bytes[i] != UInt8(ascii: ".") {
      whole = whole * 10 + Int(bytes[i] &- 48)
      i += 1
      if Double(whole) >= epochSecondsLimit { return .failure(.epochSecondsTooLarge) }
    }
    let fraction = i < end ? readFraction(bytes, i + 1, end).value : 0
    let dayNumber = whole / LocalTime.secondsPerDay, secondOfDay = whole % LocalTime.secondsPerDay
    let (year, month, day) = CivilTime.civilFromDays(dayNumber)
    return .success(
      ISO8601Timestamp(
        form: .epochSeconds, year: year, month: month, day: day, hour: secondOfDay / 3_600,
        minute: secondOfDay / 60 % 60, second: secondOfDay % 60, fraction: fraction, utcOffsetSeconds: 0))
  }

  @inlinable @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
  @inlinable @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 }

  @inlinable
  static func readDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int? {
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
  @inlinable
  static func readFraction(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ end: Int) -> (value: Double, end: Int) {
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
