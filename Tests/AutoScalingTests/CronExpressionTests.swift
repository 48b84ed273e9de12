import Foundation
import Testing

@testable import AutoScaling

@Suite struct CronExpressionTests {
  static let utc = TimeZone(identifier: "UTC")!
  static let newYork = TimeZone(identifier: "America/New_York")!
  static let seoul = TimeZone(identifier: "Asia/Seoul")!

  static func firings(_ cron: String, _ from: String, _ to: String, in zone: TimeZone = utc) throws -> [Date] {
    try CronExpression(cron).firingDates(from: .utc(from), to: .utc(to), in: zone)
  }

  // 2026-01-01 is a Thursday; January's Fridays are the 2nd, 9th, 16th, 23rd and 30th.
  @Test("each field syntax selects the documented values", arguments: [
    ("*/15 * * * *", "2026-01-05T00:00:00Z", "2026-01-05T01:00:00Z",
     ["2026-01-05T00:00:00Z", "2026-01-05T00:15:00Z", "2026-01-05T00:30:00Z", "2026-01-05T00:45:00Z"]),
    ("5,10-12 0 * * *", "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z",
     ["2026-01-05T00:05:00Z", "2026-01-05T00:10:00Z", "2026-01-05T00:11:00Z", "2026-01-05T00:12:00Z"]),
    ("0 9-17/4 * * *", "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z",
     ["2026-01-05T09:00:00Z", "2026-01-05T13:00:00Z", "2026-01-05T17:00:00Z"]),
    ("0 0 20/5 1 *", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
     ["2026-01-20T00:00:00Z", "2026-01-25T00:00:00Z", "2026-01-30T00:00:00Z"]),
    ("0 0 1-5/2 * *", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
     ["2026-01-01T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-05T00:00:00Z"]),
    ("0 0 * * MON-FRI", "2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z",
     ["2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", "2026-01-08T00:00:00Z",
      "2026-01-09T00:00:00Z"]),
    ("0 0 1 jan,Jul *", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z",
     ["2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z"]),
    ("0 0 31 * *", "2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z",
     ["2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z"]),
  ])
  func fieldSyntax(cron: String, from: String, to: String, expected: [String]) throws {
    #expect(try Self.firings(cron, from, to) == expected.map(Date.utc))
  }

  @Test("day-of-week 0, 7 and SUN (any case) all mean Sunday", arguments: ["0 0 * * 0", "0 0 * * 7", "0 0 * * sun", "0 0 * * Sun"])
  func sundaySpellings(cron: String) throws {
    #expect(try Self.firings(cron, "2026-01-01T00:00:00Z", "2026-01-19T00:00:00Z")
      == ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-18T00:00:00Z"].map(Date.utc))
  }

  @Test("with both day fields restricted a day matches if EITHER does; a '*'-led day field makes it AND")
  func dayOfMonthOrDayOfWeek() throws {
    // The 13th (a Tuesday) and every Friday.
    #expect(try Self.firings("0 0 13 * FRI", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")
      == ["2026-01-02", "2026-01-09", "2026-01-13", "2026-01-16", "2026-01-23", "2026-01-30"].map { .utc($0 + "T00:00:00Z") })
    // '*/2' counts as unrestricted (Vixie cron): odd days that are Fridays.
    #expect(try Self.firings("0 0 */2 * FRI", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")
      == ["2026-01-09T00:00:00Z", "2026-01-23T00:00:00Z"].map(Date.utc))
    // Day-of-week '*': every day of month 13 only.
    #expect(try Self.firings("0 0 13 * *", "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z")
      == ["2026-01-13T00:00:00Z", "2026-02-13T00:00:00Z"].map(Date.utc))
  }

  @Test("the start is inclusive and the end exclusive")
  func halfOpenWindow() throws {
    #expect(try Self.firings("0 * * * *", "2026-01-05T01:00:00Z", "2026-01-05T03:00:00Z")
      == ["2026-01-05T01:00:00Z", "2026-01-05T02:00:00Z"].map(Date.utc))
    #expect(try Self.firings("0 * * * *", "2026-01-05T03:00:00Z", "2026-01-05T03:00:00Z").isEmpty)
  }

  @Test("New York spring-forward day: a 02:30 job does not fire; the days around it fire at 02:30 local")
  func springForwardSkips() throws {
    // 2026-03-08 02:00 EST jumps to 03:00 EDT. 02:30 EST = 07:30Z; 02:30 EDT = 06:30Z.
    #expect(try Self.firings("30 2 * * *", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z", in: Self.newYork)
      == ["2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z"].map(Date.utc))
    // 03:30 exists every day: 08:30Z before the change, 07:30Z from the change on.
    #expect(try Self.firings("30 3 * * *", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z", in: Self.newYork)
      == ["2026-03-07T08:30:00Z", "2026-03-08T07:30:00Z", "2026-03-09T07:30:00Z"].map(Date.utc))
  }

  @Test("New York fall-back day: a 01:30 job fires once, at the first 01:30 (EDT)")
  func fallBackFiresOnce() throws {
    // 2026-11-01 02:00 EDT falls back to 01:00 EST; 01:30 happens at 05:30Z and 06:30Z.
    #expect(try Self.firings("30 1 * * *", "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z", in: Self.newYork)
      == ["2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"].map(Date.utc))
  }

  @Test("every minute over the New York DST days: 23 h of firings in spring, 24 h (not 25) in autumn")
  func everyMinuteAcrossDaylightSaving() throws {
    let spring = try Self.firings("* * * * *", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", in: Self.newYork)
    #expect(spring.count == 23 * 60)
    #expect(spring.first == .utc("2026-03-08T05:00:00Z") && spring.last == .utc("2026-03-09T03:59:00Z"))
    let autumn = try Self.firings("* * * * *", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", in: Self.newYork)
    #expect(autumn.count == 24 * 60)
    #expect(!autumn.contains(.utc("2026-11-01T06:00:00Z")))  // the second 01:00 (EST) is skipped
    #expect(autumn.contains(.utc("2026-11-01T07:00:00Z")))  // 02:00 EST
    #expect(autumn == autumn.sorted())
  }

  @Test("Asia/Seoul is UTC+9 all year: weekday 09:00 KST is 00:00Z, 23:30 KST is 14:30Z the same day")
  func seoul() throws {
    #expect(try Self.firings("0 9 * * MON-FRI", "2026-03-01T15:00:00Z", "2026-03-08T15:00:00Z", in: Self.seoul)
      == ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"].map { .utc($0 + "T00:00:00Z") })
    #expect(try Self.firings("30 23 * * *", "2026-07-01T00:00:00Z", "2026-07-03T00:00:00Z", in: Self.seoul)
      == ["2026-07-01T14:30:00Z", "2026-07-02T14:30:00Z"].map(Date.utc))
    // 00:30 KST on July 2 is 15:30Z on July 1: local days, not UTC days, are matched.
    #expect(try Self.firings("30 0 2 7 *", "2026-07-01T00:00:00Z", "2026-07-03T00:00:00Z", in: Self.seoul)
      == [.utc("2026-07-01T15:30:00Z")])
  }

  @Test("a year of every-minute firings in New York is exact and fast")
  func yearOfMinutes() throws {
    let clock = ContinuousClock()
    var firings: [Date] = []
    let elapsed = try clock.measure {
      firings = try Self.firings("* * * * *", "2026-01-01T05:00:00Z", "2027-01-01T05:00:00Z", in: Self.newYork)
    }
    #expect(firings.count == 365 * 1_440 - 60)
    #expect(elapsed < .seconds(3))
  }

  @Test("parse errors name the field, what was expected and what was found", arguments: [
    ("60 * * * *", "cron minute field: expected a value in 0...59, found '60'"),
    ("0 24 * * *", "cron hour field: expected a value in 0...23, found '24'"),
    ("0 0 0 * *", "cron day-of-month field: expected a value in 1...31, found '0'"),
    ("0 0 * 13 *", "cron month field: expected a value in 1...12, found '13'"),
    ("* * * * FUNDAY",
     "cron day-of-week field: expected *, a value 0-7 or SUN-SAT, a range a-b, a step */n or a-b/n, or a "
       + "comma-separated list of these, found 'FUNDAY'"),
    ("*/0 * * * *", "cron minute field: expected a step of at least 1 after '/', found '*/0'"),
    ("5-1 * * * *", "cron minute field: expected a range a-b with a <= b, found '5-1'"),
    ("1,,2 * * * *",
     "cron minute field: expected *, a value 0-59, a range a-b, a step */n or a-b/n, or a comma-separated list of "
       + "these, found ''"),
    ("0 0 ? * MON",
     "cron day-of-month field: expected *, a value 1-31, a range a-b, a step */n or a-b/n, or a comma-separated list "
       + "of these, found '?'"),
    ("0 0 L * *",
     "cron day-of-month field: expected *, a value 1-31, a range a-b, a step */n or a-b/n, or a comma-separated list "
       + "of these, found 'L'"),
    ("@daily", "cron expression: expected 5 fields separated by spaces (minute hour day-of-month month day-of-week), found 1 field"),
    ("0 0 * * * 2026",
     "cron expression: expected 5 fields separated by spaces (minute hour day-of-month month day-of-week), found 6 fields"),
  ])
  func parseErrors(text: String, message: String) {
    #expect {
      _ = try CronExpression(text)
    } throws: { error in
      (error as? CronExpression.ParseError)?.description == message
    }
  }
}

extension Date {
  /// A UTC instant written as "YYYY-MM-DDTHH:MM:SSZ" (test oracle, parsed independently).
  fileprivate static func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)!
  }
}
