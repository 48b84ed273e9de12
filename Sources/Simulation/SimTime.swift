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
}
