import Foundation

/// A Unix cron schedule as EC2 Auto Scaling scheduled actions take it (`Recurrence`):
/// five fields, `minute hour day-of-month month day-of-week`.
///
/// ```swift
/// let weekdayLunch = try CronExpression("30 10 * * MON-FRI")
/// let firings = weekdayLunch.firingDates(from: start, to: end, in: TimeZone(identifier: "Asia/Seoul")!)
/// ```
///
/// Each field takes `*`, a value, a range `a-b`, a step `*/n`, `a-b/n` or `a/n` (from a to
/// the field's maximum), or a comma-separated list of these. Months accept JAN-DEC and days
/// SUN-SAT (any case); day-of-week 0 and 7 are both Sunday. As in Vixie cron, when both
/// day-of-month and day-of-week are restricted (neither starts with `*`), a day matches if
/// EITHER matches; otherwise both must (so `*/2` counts as unrestricted).
///
/// Not supported (errors, not silently ignored): the Quartz extensions `?`, `L`, `W`, `#`,
/// seconds or year fields, and `@daily`-style macros.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
  /// Why a cron expression was rejected: the field, what was found and what was expected.
  public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var found: String
    public var expected: String

    public var description: String {
      field == "expression"
        ? "cron expression: expected \(expected), found \(found)"
        : "cron \(field) field: expected \(expected), found '\(found)'"
    }
  }

  /// The expression as written.
  public let text: String
  /// Bit n set = minute n (0...59) matches.
  let minutes: UInt64
  /// Bit n = hour n (0...23).
  let hours: UInt32
  /// Bit n = day of month n (1...31).
  let daysOfMonth: UInt32
  /// Bit n = month n (1...12).
  let months: UInt16
  /// Bit n = weekday n (0 = Sunday ... 6 = Saturday).
  let daysOfWeek: UInt8
  let isDayOfMonthRestricted: Bool
  let isDayOfWeekRestricted: Bool

  public var description: String { text }

  public init(_ text: String) throws(ParseError) {
    let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard fields.count == 5 else {
      throw ParseError(
        field: "expression", found: "\(fields.count) field\(fields.count == 1 ? "" : "s")",
        expected: "5 fields separated by spaces (minute hour day-of-month month day-of-week)")
    }
    self.text = text
    minutes = try Self.parse(fields[0], Self.minuteField)
    hours = UInt32(try Self.parse(fields[1], Self.hourField))
    daysOfMonth = UInt32(try Self.parse(fields[2], Self.dayOfMonthField))
    months = UInt16(try Self.parse(fields[3], Self.monthField))
    let weekdays = try Self.parse(fields[4], Self.dayOfWeekField)
    daysOfWeek = UInt8((weekdays & 0x7F) | (weekdays >> 7 & 1))  // 7 is Sunday
    isDayOfMonthRestricted = !fields[2].hasPrefix("*")
    isDayOfWeekRestricted = !fields[4].hasPrefix("*")
  }

  /// Whether the schedule fires on a local calendar day (`weekday` 0 = Sunday).
  func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
    guard months >> month & 1 == 1 else { return false }
    let dayOfMonthMatches = daysOfMonth >> day & 1 == 1
    let dayOfWeekMatches = daysOfWeek >> weekday & 1 == 1
    if isDayOfMonthRestricted && isDayOfWeekRestricted { return dayOfMonthMatches || dayOfWeekMatches }
    return dayOfMonthMatches && dayOfWeekMatches
  }

  var matchingHours: [Int] { (0..<24).filter { hours >> $0 & 1 == 1 } }
  var matchingMinutes: [Int] { (0..<60).filter { minutes >> $0 & 1 == 1 } }

  // MARK: Parsing

  struct Field {
    let name: String
    let range: ClosedRange<Int>
    let names: [String]  // names[i] is value range.lowerBound + i... or empty
    let nameOffset: Int
  }

  static let minuteField = Field(name: "minute", range: 0...59, names: [], nameOffset: 0)
  static let hourField = Field(name: "hour", range: 0...23, names: [], nameOffset: 0)
  static let dayOfMonthField = Field(name: "day-of-month", range: 1...31, names: [], nameOffset: 0)
  static let monthField = Field(
    name: "month", range: 1...12,
    names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], nameOffset: 1)
  static let dayOfWeekField = Field(
    name: "day-of-week", range: 0...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], nameOffset: 0)

  /// The field's matching values as a bit set.
  static func parse(_ text: String, _ field: Field) throws(ParseError) -> UInt64 {
    var expected: String {
      let valueWords = field.names.isEmpty
        ? "\(field.range.lowerBound)-\(field.range.upperBound)"
        : "\(field.range.lowerBound)-\(field.range.upperBound) or \(field.names.first!)-\(field.names.last!)"
      return "*, a value \(valueWords), a range a-b, a step */n or a-b/n, or a comma-separated list of these"
    }
    func fail(_ found: String, _ what: String? = nil) -> ParseError {
      ParseError(field: field.name, found: found, expected: what ?? expected)
    }
    func value(_ token: Substring) throws(ParseError) -> Int {
      if let index = field.names.firstIndex(of: token.uppercased()) { return index + field.nameOffset }
      guard !token.isEmpty, token.allSatisfy({ $0.isASCII && $0.isNumber }), token.count <= 4, let number = Int(token) else {
        throw fail(String(token))
      }
      guard field.range.contains(number) else {
        throw fail(String(token), "a value in \(field.range.lowerBound)...\(field.range.upperBound)")
      }
      return number
    }

    var bits: UInt64 = 0
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
      guard (1...2).contains(pieces.count) else { throw fail(String(part)) }
      let base = pieces[0]
      var step = 1
      if pieces.count == 2 {
        guard pieces[1].allSatisfy({ $0.isASCII && $0.isNumber }), pieces[1].count <= 4, let n = Int(pieces[1]), n >= 1 else {
          throw fail(String(part), "a step of at least 1 after '/'")
        }
        step = n
      }
      var lower: Int, upper: Int
      if base == "*" {
        (lower, upper) = (field.range.lowerBound, field.range.upperBound)
        if field.name == "day-of-week" { upper = 6 }  // 7 would repeat Sunday
      } else if let dash = base.firstIndex(of: "-") {
        lower = try value(base[..<dash])
        upper = try value(base[base.index(after: dash)...])
        guard lower <= upper else { throw fail(String(part), "a range a-b with a <= b") }
      } else {
        lower = try value(base)
        upper = pieces.count == 2 ? field.range.upperBound : lower
      }
      for v in stride(from: lower, through: upper, by: step) { bits |= 1 << UInt64(v) }
    }
    return bits
  }
}
