import Foundation
import Testing

@testable import CivilCalendar

@Suite struct ISO8601TimestampTests {
  typealias Options = ISO8601Timestamp.Options
  typealias Failure = ISO8601Timestamp.Failure

  /// The strictest reading (the defaults).
  static let strict = Options()
  /// Everything the options can add.
  static let lenient = Options(
    acceptsEpochSeconds: true, ignoresSurroundingSpaces: true, acceptsLowercaseDesignators: true,
    acceptsSpacesAfterSeparator: true, acceptsLeapSecond: true, acceptsCommaFraction: true)

  static func parse(_ text: String, _ options: Options = strict) -> Result<ISO8601Timestamp, Failure> {
    ISO8601Timestamp.parse(text, options: options)
  }

  static func failure(_ text: String, _ options: Options = strict) -> Failure? {
    if case .failure(let failure) = parse(text, options) { return failure }
    return nil
  }

  static func utc(_ text: String, _ options: Options = strict) -> Double? {
    guard case .success(let parsed) = parse(text, options) else { return nil }
    return parsed.instant(zoneless: .utc)
  }

  // 2026-03-02T10:00:00Z
  static let tenUTC = 1_772_445_600.0

  // MARK: The grammar

  @Test(
    "hand-written valid timestamps, as instants (no zone: UTC)",
    arguments: [
      ("2026-03-02T10:00:00Z", ISO8601TimestampTests.tenUTC),
      ("2026-03-02T10:00Z", ISO8601TimestampTests.tenUTC),
      ("2026-03-02 10:00:00", ISO8601TimestampTests.tenUTC),
      ("2026-03-02T10:00", ISO8601TimestampTests.tenUTC),
      ("2026-03-02", ISO8601TimestampTests.tenUTC - 10 * 3_600),
      ("2026-03-02T19:00:00+09:00", ISO8601TimestampTests.tenUTC),
      ("2026-03-02T19:00:00+0900", ISO8601TimestampTests.tenUTC),
      ("2026-03-02T19:00:00+09", ISO8601TimestampTests.tenUTC),
      ("2026-03-02T04:30:00-05:30", ISO8601TimestampTests.tenUTC),
      ("2026-03-02T10:00:00-00:00", ISO8601TimestampTests.tenUTC),
      ("2026-03-02T10:00:00.25Z", ISO8601TimestampTests.tenUTC + 0.25),
      ("2026-03-02T19:00:00.5+09:00", ISO8601TimestampTests.tenUTC + 0.5),
      ("1970-01-01T00:00:00Z", 0),
      ("1969-12-31T23:59:59Z", -1),
      ("0000-01-01T00:00:00Z", -62_167_219_200),
      ("9999-12-31T23:59:59Z", 253_402_300_799),
    ])
  func valid(text: String, expected: Double) {
    #expect(Self.utc(text) == expected, "\(text)")
  }

  @Test("the fields of a date-time with an offset")
  func fields() throws {
    let parsed = try Self.parse("2024-02-29T23:59:58.125-05:30").get()
    #expect(parsed.form == .dateTime(separator: UInt8(ascii: "T")))
    #expect([parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute, parsed.second] as [Int] == [2024, 2, 29, 23, 59, 58])
    #expect(parsed.fraction == 0.125)
    #expect(parsed.utcOffsetSeconds == -(5 * 3_600 + 30 * 60))
    #expect(!parsed.isZulu)
    #expect(parsed.dayNumber == CivilTime.daysFromCivil(year: 2024, month: 2, day: 29))
    #expect(parsed.wholeLocalSeconds == parsed.dayNumber * 86_400 + 86_398)
    #expect(parsed.localSeconds == Double(parsed.wholeLocalSeconds) + 0.125)
    #expect(parsed.utcSeconds == parsed.localSeconds + 19_800)

    let zulu = try Self.parse("2026-03-02T10:00:00Z").get()
    #expect(zulu.isZulu && zulu.utcOffsetSeconds == 0)
    let naive = try Self.parse("2026-03-02 10:00").get()
    #expect(naive.form == .dateTime(separator: UInt8(ascii: " ")) && naive.utcOffsetSeconds == nil && naive.utcSeconds == nil)
    let date = try Self.parse("2026-03-02").get()
    #expect(date.form == .date && [date.hour, date.minute, date.second] == [0, 0, 0] && date.utcOffsetSeconds == nil)
  }

  @Test(
    "hand-written invalid timestamps, with the reason",
    arguments: [
      ("", Failure.empty),
      ("2026/03/02 10:00:00", .noAcceptedForm),
      ("26-03-02", .noAcceptedForm),
      ("2026-3-2", .noAcceptedForm),
      ("+2026-03-02", .noAcceptedForm),
      ("1772445600", .noAcceptedForm),  // epoch seconds: not by default
      ("2026-00-02", .monthOutOfRange(0)),
      ("2026-13-02T10:00:00Z", .monthOutOfRange(13)),
      ("2026-03-00", .dayOutOfRange(year: 2026, month: 3, day: 0)),
      ("2026-03-32", .dayOutOfRange(year: 2026, month: 3, day: 32)),
      ("2026-04-31", .dayOutOfRange(year: 2026, month: 4, day: 31)),
      ("2026-02-30T10:00:00Z", .dayOutOfRange(year: 2026, month: 2, day: 30)),
      ("2026-03-02X10:00", .expectedSeparator),
      ("2026-03-02t10:00", .expectedSeparator),  // lower case: an option
      ("2026-03-02T", .expectedHourMinute),
      ("2026-03-02T1:00", .expectedHourMinute),
      ("2026-03-02T10-00", .expectedHourMinute),
      ("2026-03-02  10:00", .expectedHourMinute),  // spaces after the separator: an option
      ("2026-03-02T24:00", .hourOutOfRange(24)),
      ("2026-03-02T24:01:00", .hourOutOfRange(24)),
      ("2026-03-02T10:60", .minuteOutOfRange(60)),
      ("2026-03-02T10:00:", .expectedSeconds),
      ("2026-03-02T10:00:5", .expectedSeconds),
      ("2026-03-02T10:00:60", .secondOutOfRange(60, maximum: 59)),
      ("2026-03-02T10:00:00.", .expectedFractionDigits),
      ("2026-03-02T10:00:00.Z", .expectedFractionDigits),
      ("2026-03-02T10:00:00,5", .unexpectedTextAfterTime),  // comma: an option
      ("2026-03-02T10:00.5", .unexpectedTextAfterTime),  // a fraction needs seconds
      ("2026-03-02T10:00:00 Z", .unexpectedTextAfterTime),
      ("2026-03-02T10:00:00Zjunk", .unexpectedTextAfterTime),
      ("2026-03-02T10:00:00z", .unexpectedTextAfterTime),
      ("2026-03-02T10:00:00 UTC", .unexpectedTextAfterTime),
      ("2026-03-02T10:00:00+9", .unexpectedTextAfterTime),
      ("2026-03-02T10:00:00+09:", .expectedOffset),
      ("2026-03-02T10:00:00+09:0", .expectedOffset),
      ("2026-03-02T10:00:00+09:000", .expectedOffset),
      ("2026-03-02T10:00:00+09:00Z", .expectedOffset),
      ("2026-03-02T10:00:00+09:60", .offsetOutOfRange(hours: 9, minutes: 60, maximumSeconds: 18 * 3_600)),
      ("2026-03-02T10:00:00+18:01", .offsetOutOfRange(hours: 18, minutes: 1, maximumSeconds: 18 * 3_600)),
      ("2026-03-02T10:00:00-19", .offsetOutOfRange(hours: 19, minutes: 0, maximumSeconds: 18 * 3_600)),
      (" 2026-03-02", .noAcceptedForm),  // surrounding spaces: an option
      ("2026-03-02 ", .expectedHourMinute),
    ])
  func invalid(text: String, expected: Failure) {
    #expect(Self.failure(text) == expected, "\(text.debugDescription)")
  }

  @Test("reasons read as the end of a message")
  func reasons() {
    #expect(Failure.monthOutOfRange(13).description == "month 13 is outside 1-12")
    #expect(Failure.dayOutOfRange(year: 2026, month: 2, day: 30).description == "day 30 does not exist in 2026-02")
    #expect(Failure.secondOutOfRange(61, maximum: 60).description == "second 61 is outside 0-60")
    #expect(
      Failure.offsetOutOfRange(hours: 19, minutes: 0, maximumSeconds: 18 * 3_600).description
        == "offset 19:00 is outside +-18:00")
    #expect(
      Failure.offsetOutOfRange(hours: 14, minutes: 30, maximumSeconds: 14 * 3_600).description
        == "offset 14:30 is outside +-14:00")
    #expect(
      Failure.epochSecondsTooLarge.description
        == "it is too large for epoch seconds; epoch milliseconds are not accepted, divide by 1000")
  }

  // MARK: Calendar

  @Test(
    "February 29 exists in leap years only (divisible by 4, centuries by 400)",
    arguments: [(2024, true), (2026, false), (2000, true), (1900, false), (2100, false), (2400, true), (0, true)])
  func leapDays(year: Int, isLeap: Bool) {
    let text = CivilTime.pad(year, 4) + "-02-29T12:00:00Z"
    if isLeap {
      let march1 = CivilTime.pad(year, 4) + "-03-01T12:00:00Z"
      #expect(Self.utc(march1)! - Self.utc(text)! == 86_400)
    } else {
      #expect(Self.failure(text) == .dayOutOfRange(year: year, month: 2, day: 29))
    }
  }

  @Test("every day 1900...2200 reads back as Foundation's calendar gives it, and month ends are exact")
  func everyDay() throws {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
    for days in stride(from: -25_567, through: 84_000, by: 1) {
      let (year, month, day) = CivilTime.civilFromDays(days)
      let text = CivilTime.pad(year, 4) + "-" + CivilTime.pad(month, 2) + "-" + CivilTime.pad(day, 2)
      let parsed = try Self.parse(text).get()
      #expect(parsed.dayNumber == days)
      if day == CivilTime.daysInMonth(year: year, month: month) {
        let next = CivilTime.pad(year, 4) + "-" + CivilTime.pad(month, 2) + "-" + CivilTime.pad(day + 1, 2)
        #expect(Self.failure(next) == .dayOutOfRange(year: year, month: month, day: day + 1))
      }
      if days % 997 == 0 {
        let components = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
        #expect([components.year, components.month, components.day] == [year, month, day])
      }
    }
  }

  @Test("times written by CivilTime.format read back to the same second")
  func roundTrip() throws {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let seconds = Double(Int.random(in: -2_208_988_800...7_258_118_399, using: &generator))
      for separator in ["T", " "] {
        let text = CivilTime.format(localSeconds: seconds, separator: separator)
        #expect(try Self.parse(text).get().localSeconds == seconds, "\(text)")
        #expect(Self.utc(text + "Z") == seconds)
        #expect(Self.utc(text + "+01:00") == seconds - 3_600)
      }
    }
  }

  // MARK: Offsets and fractions

  @Test("offsets: three forms, either sign, up to the maximum inclusive")
  func offsets() {
    for text in ["+05:30", "+0530"] {
      #expect(Self.utc("2026-03-02T15:30:00" + text) == Self.tenUTC)
    }
    #expect(Self.utc("2026-03-02T05:00:00-05") == Self.tenUTC)
    #expect(Self.utc("2026-03-03T04:00:00+18:00") == Self.tenUTC)
    #expect(Self.utc("2026-03-01T16:00:00-18:00") == Self.tenUTC)
    #expect(Self.failure("2026-03-01T16:00:00-18:00:00") == .expectedOffset)
    let fourteen = Options(maximumOffsetSeconds: 14 * 3_600)
    #expect(Self.utc("2026-03-03T00:00:00+14:00", fourteen) == Self.tenUTC)
    #expect(Self.utc("2026-03-01T20:00:00-1400", fourteen) == Self.tenUTC)
    #expect(
      Self.failure("2026-03-03T00:01:00+14:01", fourteen)
        == .offsetOutOfRange(hours: 14, minutes: 1, maximumSeconds: 14 * 3_600))
    #expect(Self.failure("2026-03-03T00:00:00-15", fourteen) == .offsetOutOfRange(hours: 15, minutes: 0, maximumSeconds: 14 * 3_600))
  }

  @Test(
    "fractions are read to the nanosecond; further digits are read and ignored",
    arguments: [
      (".5", 0.5), (".25", 0.25), (".000", 0), (".123456789", 0.123456789), (".1234567891", 0.123456789),
      (".99999999999999", 0.999999999), (".000000001", 1e-9), (".0000000009", 0),
    ])
  func fractions(written: String, value: Double) throws {
    let parsed = try Self.parse("2026-03-02T10:00:00" + written + "Z").get()
    #expect(parsed.fraction == value)
    #expect(parsed.utcSeconds == Self.tenUTC + value)
    #expect(parsed.wholeLocalSeconds == Int(Self.tenUTC))
  }

  // MARK: Options

  @Test("acceptsEpochSeconds: digits with one optional fraction, below 1e11")
  func epochSeconds() throws {
    let epoch = Options(acceptsEpochSeconds: true)
    let parsed = try Self.parse("1772445600.25", epoch).get()
    #expect(parsed.form == .epochSeconds)
    #expect(parsed.utcSeconds == Self.tenUTC + 0.25)
    #expect(parsed.utcOffsetSeconds == 0 && !parsed.isZulu)
    #expect([parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute, parsed.second] as [Int] == [2026, 3, 2, 10, 0, 0])
    #expect(Self.utc("0", epoch) == 0)
    #expect(Self.utc("2026", epoch) == 2_026)  // digits alone are seconds, not a year
    #expect(Self.utc("99999999999", epoch) == 99_999_999_999)
    #expect(Self.failure("100000000000", epoch) == .epochSecondsTooLarge)
    #expect(Self.failure("1772445600000", epoch) == .epochSecondsTooLarge)  // milliseconds
    for text in ["1.2.3", ".5", "5.", "."] { #expect(Self.failure(text, epoch) == .invalidEpochSeconds, "\(text)") }
    #expect(Self.failure("-1", epoch) == .noAcceptedForm)
    #expect(Self.failure("1e9", epoch) == .noAcceptedForm)
    #expect(Self.utc("2026-03-02T10:00:00Z", epoch) == Self.tenUTC)  // dates still read
    #expect(Self.failure("1772445600") == .noAcceptedForm)
  }

  @Test("ignoresSurroundingSpaces: spaces and tabs around the text, not inside it")
  func surroundingSpaces() {
    let trims = Options(acceptsEpochSeconds: true, ignoresSurroundingSpaces: true)
    #expect(Self.utc(" \t2026-03-02T10:00:00Z \t", trims) == Self.tenUTC)
    #expect(Self.utc("  1772445600 ", trims) == Self.tenUTC)
    #expect(Self.failure(" \t ", trims) == .empty)
    #expect(Self.failure("2026-03-02T10:00:00 Z", trims) == .unexpectedTextAfterTime)
    #expect(Self.failure("\n2026-03-02", trims) == .noAcceptedForm)
    #expect(Self.failure(" 2026-03-02T10:00:00Z") == .noAcceptedForm)
  }

  @Test("acceptsLowercaseDesignators: t and z")
  func lowercase() throws {
    let lower = Options(acceptsLowercaseDesignators: true)
    #expect(Self.utc("2026-03-02t10:00:00z", lower) == Self.tenUTC)
    #expect(try Self.parse("2026-03-02t10:00", lower).get().form == .dateTime(separator: UInt8(ascii: "t")))
    #expect(Self.failure("2026-03-02t10:00:00Z") == .expectedSeparator)
    #expect(Self.failure("2026-03-02T10:00:00z") == .unexpectedTextAfterTime)
  }

  @Test("acceptsSpacesAfterSeparator: any spaces after T or a space")
  func spacesAfterSeparator() {
    let spaces = Options(acceptsSpacesAfterSeparator: true)
    #expect(Self.utc("2026-03-02   10:00", spaces) == Self.tenUTC)
    #expect(Self.utc("2026-03-02T  10:00", spaces) == Self.tenUTC)
    #expect(Self.failure("2026-03-02 \t10:00", spaces) == .expectedHourMinute)
    #expect(Self.failure("2026-03-02T   ", spaces) == .expectedHourMinute)
    #expect(Self.failure("2026-03-02T 10:00") == .expectedHourMinute)
  }

  @Test("requiresSeconds: HH:MM alone is refused, a date alone is not")
  func requiresSeconds() {
    let seconds = Options(requiresSeconds: true)
    #expect(Self.failure("2026-03-02T10:00", seconds) == .secondsRequired)
    #expect(Self.failure("2026-03-02T10:00Z", seconds) == .secondsRequired)
    #expect(Self.failure("2026-03-02T10:00:", seconds) == .expectedSeconds)
    #expect(Self.utc("2026-03-02T10:00:00", seconds) == Self.tenUTC)
    #expect(Self.utc("2026-03-02", seconds) == Self.tenUTC - 36_000)
  }

  @Test("acceptsLeapSecond: second 60 is the next minute's second 0")
  func leapSecond() {
    let leap = Options(acceptsLeapSecond: true)
    #expect(Self.utc("2026-03-02T09:59:60Z", leap) == Self.tenUTC)
    #expect(Self.utc("2016-12-31T23:59:60.5Z", leap) == Self.utc("2017-01-01T00:00:00.5Z"))
    #expect(Self.failure("2026-03-02T09:59:61Z", leap) == .secondOutOfRange(61, maximum: 60))
    #expect(Self.failure("2026-03-02T09:59:60Z") == .secondOutOfRange(60, maximum: 59))
  }

  @Test("acceptsCommaFraction: a comma starts the fraction too")
  func commaFraction() {
    let comma = Options(acceptsCommaFraction: true)
    #expect(Self.utc("2026-03-02T10:00:00,5Z", comma) == Self.tenUTC + 0.5)
    #expect(Self.utc("2026-03-02T10:00:00.5Z", comma) == Self.tenUTC + 0.5)
    #expect(Self.failure("2026-03-02T10:00:00,Z", comma) == .expectedFractionDigits)
    #expect(Self.failure("2026-03-02T10:00:00,5Z") == .unexpectedTextAfterTime)
  }

  @Test("the lenient reading accepts the union; nothing in it accepts garbage around a valid timestamp")
  func lenient() {
    #expect(Self.utc(" 2026-03-02t  19:00:60,5+0900 ", Self.lenient) == Self.tenUTC + 60.5)
    for text in ["2026-03-02T10:00:00Zjunk", "x2026-03-02", "2026-03-02T10:00:00+09:00:00", "2026-03-02T10:00:00.5.5Z"] {
      #expect(Self.failure(text, Self.lenient) != nil, "\(text)")
    }
  }

  // MARK: Placing a time without a zone

  @Test("instant(zoneless:): UTC, or a zone's wall clock (skipped: nil, repeated: the earlier)")
  func zoneless() throws {
    let newYork = try #require(TimeZone(identifier: "America/New_York"))
    let seoul = try #require(TimeZone(identifier: "Asia/Seoul"))
    let local = try Self.parse("2026-03-02T19:00:00").get()
    #expect(local.instant(zoneless: .utc) == Self.tenUTC + 9 * 3_600)
    #expect(local.instant(zoneless: .local(seoul)) == Self.tenUTC)
    let skipped = try Self.parse("2026-03-08T02:30:00").get()
    #expect(skipped.instant(zoneless: .local(newYork)) == nil)
    let repeated = try Self.parse("2026-11-01T01:30:00").get()
    #expect(repeated.instant(zoneless: .local(newYork)) == repeated.localSeconds + 4 * 3_600)  // EDT
    let zoned = try Self.parse("2026-03-08T02:30:00Z").get()
    #expect(zoned.instant(zoneless: .local(newYork)) == zoned.localSeconds)  // a written zone wins
  }

  @Test("a range of a byte buffer reads as the same text on its own")
  func byteRange() throws {
    let line = "2026-03-02T10:00:00Z,17\n"
    var copy = line
    let parsed = copy.withUTF8 { ISO8601Timestamp.parse($0, 0, 20, options: Self.strict) }
    #expect(try parsed.get() == Self.parse("2026-03-02T10:00:00Z").get())
    let tooMuch = copy.withUTF8 { ISO8601Timestamp.parse($0, 0, 21, options: Self.strict) }
    #expect(throws: Failure.unexpectedTextAfterTime) { try tooMuch.get() }
  }
}
