/// `floor` and `ceil` of a Double in Int range without a libm call: the x86-64 baseline
/// Swift targets on Linux has no rounding instruction (SSE4.1), so `rounded(.down)` and
/// `rounded(.up)` are calls, made per tick and per live cohort in the engine. Exact: a
/// conversion to Int truncates toward zero, and the comparison moves it to the floor or
/// ceiling (checked against `rounded` in `ExactRoundingTests`).
enum ExactRounding {
  /// `x.rounded(.down)`, for `abs(x) < 2^62`.
  @inline(__always)
  static func floor(_ x: Double) -> Double {
    let truncated = Double(Int(x))
    return truncated > x ? truncated - 1 : truncated
  }

  /// `Int(x.rounded(.up))`, for `abs(x) < 2^62`.
  @inline(__always)
  static func ceilingInt(_ x: Double) -> Int {
    let truncated = Int(x)
    return Double(truncated) < x ? truncated + 1 : truncated
  }

  /// `x` as an Int when it is a whole number with `abs(x) < 2^40`, else nil:
  /// `Int(exactly:)` without its libm `trunc` call (a call per live cohort per scale-in).
  @inline(__always)
  static func wholeNumber(_ x: Double) -> Int? {
    guard abs(x) < 1_099_511_627_776 else { return nil }  // 2^40; NaN fails too
    let truncated = Int(x)
    return Double(truncated) == x ? truncated : nil
  }
}
