import CivilCalendar
import Foundation
import Simulation
import Yams

/// A range of accepted numbers with open or closed ends, described in words for messages.
struct NumberRange {
  var lower: Double?
  var lowerIsInclusive = true
  var upper: Double?
  var upperIsInclusive = true

  static func closed(_ lower: Double, _ upper: Double) -> NumberRange {
    NumberRange(lower: lower, upper: upper)
  }
  /// (lower, upper]
  static func above(_ lower: Double, atMost upper: Double) -> NumberRange {
    NumberRange(lower: lower, lowerIsInclusive: false, upper: upper)
  }
  /// [lower, upper)
  static func atLeast(_ lower: Double, below upper: Double) -> NumberRange {
    NumberRange(lower: lower, upper: upper, upperIsInclusive: false)
  }
  /// (lower, upper)
  static func between(_ lower: Double, _ upper: Double) -> NumberRange {
    NumberRange(lower: lower, lowerIsInclusive: false, upper: upper, upperIsInclusive: false)
  }
  static let finite = NumberRange()

  func contains(_ x: Double) -> Bool {
    guard x.isFinite else { return false }
    if let lower, lowerIsInclusive ? x < lower : x <= lower { return false }
    if let upper, upperIsInclusive ? x > upper : x >= upper { return false }
    return true
  }

  /// e.g. "in 0...1000", "greater than 0 and at most 1000", "a finite number".
  func describe(_ format: (Double) -> String = NumberRange.format) -> String {
    switch (lower, upper) {
    case let (lower?, upper?) where lowerIsInclusive && upperIsInclusive:
      return "in \(format(lower))...\(format(upper))"
    case let (lower?, upper?):
      return (lowerIsInclusive ? "at least " : "greater than ") + format(lower)
        + (upperIsInclusive ? " and at most " : " and less than ") + format(upper)
    case let (lower?, nil):
      return (lowerIsInclusive ? "at least " : "greater than ") + format(lower)
    case let (nil, upper?):
      return (upperIsInclusive ? "at most " : "less than ") + format(upper)
    case (nil, nil):
      return "a finite number"
    }
  }

  static func format(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return String(x)
  }

  /// Seconds written the way a scenario would: "90s", "5m", "1.5h", "28d".
  static func formatDuration(_ seconds: Double) -> String {
    for (unit, size) in [("d", 86_400.0), ("h", 3_600.0), ("m", 60.0)] where seconds != 0 {
      let count = seconds / size
      if count == count.rounded() { return format(count) + unit }
    }
    return format(seconds) + "s"
  }
}

/// What a scalar is, from the tag Yams resolved (quoted scalars are always strings).
enum ScalarKind: Equatable {
  case string, integer, float, boolean, null, timestamp, other

  init(_ scalar: Node.Scalar) {
    switch Node.scalar(scalar).tag.rawValue {
    case Tag.Name.str.rawValue: self = .string
    case Tag.Name.int.rawValue: self = .integer
    case Tag.Name.float.rawValue: self = .float
    case Tag.Name.bool.rawValue: self = .boolean
    case Tag.Name.null.rawValue: self = .null
    case Tag.Name.timestamp.rawValue: self = .timestamp
    default: self = .other
    }
  }
}

extension YAMLValue {
  static func describe(_ node: Node) -> String {
    switch node {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    case .scalar(let scalar):
      let text = quoted(scalar.string)
      switch ScalarKind(scalar) {
      case .string: return "string \(text)"
      case .integer: return "integer \(scalar.string)"
      case .float: return "number \(scalar.string)"
      case .boolean: return "boolean \(scalar.string)"
      case .null: return scalar.string.isEmpty ? "nothing (an empty value)" : "null"
      case .timestamp: return "timestamp \(scalar.string)"
      case .other: return "\(text)"
      }
    }
  }

  /// "string \"two\"", "integer 5", "a list" ...
  var foundDescription: String { Self.describe(node) }

  /// The scalar as written, quoted; or the kind of container.
  var literalDescription: String {
    if case .scalar(let scalar) = node { return Self.quoted(scalar.string) }
    return foundDescription
  }

  static func quoted(_ text: String) -> String {
    let clipped = text.count > 60 ? String(text.prefix(57)) + "..." : text
    var escaped = ""
    for character in clipped {
      switch character {
      case "\"": escaped += "\\\""
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      case "\t": escaped += "\\t"
      default: escaped.append(character)
      }
    }
    return "\"\(escaped)\""
  }

  private var scalar: (text: String, kind: ScalarKind)? {
    guard case .scalar(let scalar) = node else { return nil }
    return (scalar.string, ScalarKind(scalar))
  }

  // MARK: Strings

  /// A string (quoted or plain) of `length` characters with no control characters.
  func string(length: ClosedRange<Int> = 0...10_000) throws(ScenarioError) -> String {
    guard let (text, kind) = scalar, kind == .string else {
      let isPlainScalar = scalar.map { [.integer, .float, .boolean, .timestamp].contains($0.kind) } ?? false
      throw wrongType(isPlainScalar ? "a string (put it in quotes)" : "a string")
    }
    if !length.contains(text.count) {
      throw error(.outOfRange(
        field: name, range: "\(length.lowerBound)...\(length.upperBound) characters long", found: "\(text.count) characters"))
    }
    if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
      throw invalid("text without control characters")
    }
    return text
  }

  /// A name: 1-100 characters, no line breaks, no leading or trailing spaces.
  func identifier() throws(ScenarioError) -> String {
    let text = try string(length: 1...100)
    if text.contains(where: \.isNewline) || text.first!.isWhitespace || text.last!.isWhitespace {
      throw invalid("a name without line breaks or surrounding spaces")
    }
    return text
  }

  /// One of `options` (exact spelling); anything else suggests the closest option.
  func choice<T>(_ options: [(String, T)], expected: String? = nil) throws(ScenarioError) -> T {
    let names = options.map(\.0)
    let expectation = expected ?? "one of " + names.joined(separator: ", ")
    guard let (text, kind) = scalar, kind != .null, kind != .other else { throw wrongType(expectation) }
    if let match = options.first(where: { $0.0 == text }) { return match.1 }
    throw invalid(expectation, suggestion: Suggestion.closest(to: text, among: names))
  }

  // MARK: Numbers

  /// An integer (decimal digits, `_` separators allowed) in `range`. Integers too large for
  /// `Int` are out-of-range errors, never traps.
  func int(in range: ClosedRange<Int>) throws(ScenarioError) -> Int {
    guard let (text, kind) = scalar, kind == .integer || kind == .float else { throw wrongType("an integer") }
    let digits = text.replacingOccurrences(of: "_", with: "")
    guard Self.isDecimalInteger(digits) else {
      throw kind == .float ? wrongType("an integer") : invalid("a decimal integer")
    }
    guard let value = Int(digits), range.contains(value) else {
      throw error(.outOfRange(field: name, range: "in \(range.lowerBound)...\(range.upperBound)", found: text))
    }
    return value
  }

  /// A non-negative integer up to UInt64.max (random seeds).
  func uint64() throws(ScenarioError) -> UInt64 {
    guard let (text, kind) = scalar, kind == .integer || kind == .float else { throw wrongType("an integer") }
    let digits = text.replacingOccurrences(of: "_", with: "")
    guard Self.isDecimalInteger(digits) else {
      throw kind == .float ? wrongType("an integer") : invalid("a decimal integer")
    }
    guard let value = UInt64(digits.hasPrefix("+") ? String(digits.dropFirst()) : digits) else {
      throw error(.outOfRange(field: name, range: "in 0...\(UInt64.max)", found: text))
    }
    return value
  }

  static func isDecimalInteger(_ text: String) -> Bool {
    let body = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
    return !body.isEmpty && body.allSatisfy { $0.isASCII && $0.isNumber }
  }

  /// A number (integer or decimal) in `range`; .inf, .nan and overflowing literals such as
  /// 1e400 are out of range.
  func double(in range: NumberRange) throws(ScenarioError) -> Double {
    let value = try numericValue()
    guard range.contains(value) else {
      throw error(.outOfRange(field: name, range: range.describe(), found: literalText))
    }
    return value
  }

  /// The scalar as a Double, not yet range-checked: .nan for .inf/.nan, ±inf for literals
  /// beyond Double. Sexagesimal (1:30), hex and binary forms are refused.
  private func numericValue(expected: String = "a decimal number") throws(ScenarioError) -> Double {
    guard let (text, kind) = scalar, kind == .integer || kind == .float else { throw wrongType("a number") }
    let cleaned = text.replacingOccurrences(of: "_", with: "")
    let lowered = cleaned.lowercased()
    if lowered.hasSuffix("inf") || lowered.hasSuffix("nan") { return .nan }
    guard cleaned.allSatisfy({ "0123456789.eE+-".contains($0) }), cleaned.contains(where: \.isNumber) else {
      throw invalid(expected)
    }
    return Double(cleaned) ?? .nan
  }

  private var literalText: String { scalar?.text ?? foundDescription }

  func bool() throws(ScenarioError) -> Bool {
    guard let (text, kind) = scalar, kind == .boolean else { throw wrongType("true or false") }
    switch text.lowercased() {
    case "true": return true
    case "false": return false
    default: throw invalid("true or false")  // YAML 1.1 yes/no/on/off: ambiguous, refused
    }
  }

  // MARK: Durations

  /// A duration in seconds: a number of seconds, or `<number><unit>` with unit s, m, h or d
  /// (`90s`, `5m`, `1.5h`, `28d`, `-2h`). Checked against `range` (in seconds).
  func duration(in range: NumberRange) throws(ScenarioError) -> Double {
    let expected = "a duration such as 90s, 5m, 1.5h, 28d, 2w or a number of seconds"
    guard let (text, kind) = scalar else { throw wrongType(expected) }
    let seconds: Double
    switch kind {
    case .integer, .float:
      seconds = try numericValue(expected: expected)
    case .string:
      guard let parsed = Self.parseDuration(text) else { throw invalid(expected) }
      seconds = parsed
    default:
      throw wrongType(expected)
    }
    guard range.contains(seconds) else {
      throw error(.outOfRange(field: name, range: range.describe(NumberRange.formatDuration), found: text))
    }
    return seconds
  }

  /// `<number><unit>`, the grammar every duration in capsim uses (`SimTime.parse`).
  static func parseDuration(_ text: String) -> Double? { SimTime.parse(text) }

  // MARK: Calendar

  /// Scenario timestamps, read by `CivilCalendar`'s `ISO8601Timestamp`: seconds required,
  /// `T`, `t` or one space between date and time, `.` fractions, `Z`/`z` or an offset
  /// (`±HH:MM`, `±HHMM`, `±HH`) within ±14:00 (the widest offset any zone uses), or a bare
  /// date. No epoch seconds, nothing around the text.
  static let timestampOptions = ISO8601Timestamp.Options(
    acceptsEpochSeconds: false, ignoresSurroundingSpaces: false, acceptsLowercaseDesignators: true,
    acceptsSpacesAfterSeparator: false, requiresSeconds: true, acceptsLeapSecond: false, acceptsCommaFraction: false,
    maximumOffsetSeconds: 14 * 3_600)

  /// `YYYY-MM-DDTHH:MM:SS` (optionally `.fff`; a space may replace the `T`), local to
  /// `timeZone`, or with `Z` / `±HH:MM`;
  /// a bare `YYYY-MM-DD` means local midnight. A local time skipped by a daylight-saving jump
  /// is an error; a repeated one means its first occurrence.
  func timestamp(in timeZone: TimeZone) throws(ScenarioError) -> Date {
    let expected = "a timestamp YYYY-MM-DDTHH:MM:SS (local to the scenario timeZone, or ending in Z or ±HH:MM)"
    guard let (text, kind) = scalar, kind == .string || kind == .timestamp else { throw wrongType(expected) }
    guard case .success(let parsed) = ISO8601Timestamp.parse(text, options: Self.timestampOptions) else {
      throw invalid(expected)
    }
    guard (1900...2200).contains(parsed.year) else {
      throw error(.outOfRange(field: name, range: "a year in 1900...2200", found: text))
    }
    guard let instant = parsed.instant(zoneless: .local(timeZone)) else {
      throw invalid("a local time that exists in \(timeZone.identifier) (this one is skipped when clocks move forward)")
    }
    return Date(timeIntervalSince1970: instant)
  }

  /// `YYYY-MM-DD`.
  func localDate() throws(ScenarioError) -> LocalDate {
    let expected = "a date YYYY-MM-DD"
    guard let (text, kind) = scalar, kind == .string || kind == .timestamp else { throw wrongType(expected) }
    guard case .success(let parsed) = ISO8601Timestamp.parse(text, options: Self.timestampOptions),
      parsed.form == .date
    else { throw invalid(expected) }
    guard (1900...2200).contains(parsed.year) else {
      throw error(.outOfRange(field: name, range: "a year in 1900...2200", found: text))
    }
    return LocalDate(year: parsed.year, month: parsed.month, day: parsed.day)
  }
}
