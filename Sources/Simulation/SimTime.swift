/// Seconds since the scenario start.
///
/// The engine keeps time as a plain `Double` number of seconds; calendar dates and
/// minutes belong to the edges (Scenario parsing, Reporting). Convert with the named
/// helpers below instead of multiplying by bare constants:
///
/// ```swift
/// queue.schedule(.evaluate, after: .minutes(5))   // 300 s
/// let horizon: SimTime = .days(7)
/// ```
public typealias SimTime = Double

extension SimTime {
  /// `m` minutes as seconds (`m * 60`).
  @inlinable
  public static func minutes(_ m: Double) -> SimTime { m * 60 }

  /// `h` hours as seconds (`h * 3_600`).
  @inlinable
  public static func hours(_ h: Double) -> SimTime { h * 3_600 }

  /// `d` days of 24 hours as seconds (`d * 86_400`). Calendar days with
  /// daylight-saving shifts are Scenario's business, not the engine's.
  @inlinable
  public static func days(_ d: Double) -> SimTime { d * 86_400 }

  /// `w` weeks of 7 days as seconds.
  @inlinable
  public static func weeks(_ w: Double) -> SimTime { w * 604_800 }

  /// The one duration grammar of capsim, shared by scenario files and the command line:
  /// `<number><unit>` with unit `s`, `m`, `h`, `d` or `w` (`90s`, `5m`, `1.5h`, `28d`,
  /// `2w`); an optional sign, digits with at most one decimal point. Nil when malformed or
  /// when the number is beyond 1e12 (checked before it is multiplied by the unit).
  public static func parse(_ text: String) -> SimTime? {
    guard let unit = text.last, "smhdw".contains(unit) else { return nil }
    let number = text.dropLast()
    let body = number.first == "-" || number.first == "+" ? number.dropFirst() : number
    let parts = body.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), !parts[0].isEmpty,
      parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), parts.count == 1 || !parts[1].isEmpty,
      let value = Double(number), value.isFinite, abs(value) < 1e12
    else { return nil }
    switch unit {
    case "m": return .minutes(value)
    case "h": return .hours(value)
    case "d": return .days(value)
    case "w": return .weeks(value)
    default: return value
    }
  }
}
