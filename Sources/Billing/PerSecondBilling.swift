/// EC2 per-second billing (Linux On-Demand and Spot): time in the running state is billed in
/// one-second increments, with a 60-second minimum per instance start.
///
/// ```swift
/// PerSecondBilling.billedSeconds(runningSeconds: 30)    // 60
/// PerSecondBilling.billedSeconds(runningSeconds: 61.2)  // 62
/// ```
///
/// Rounding: a running time is rounded up to a whole second, because AWS bills in
/// one-second increments and a started second is a billed second. Before rounding up,
/// `roundingToleranceSeconds` (1 µs) is subtracted, so that floating-point noise from
/// `end - start` (e.g. `65.4 - 4.4 = 61.00000000000001`) does not bill an extra second.
/// That tolerance is far above the noise for any time up to
/// `OnDemandBill.maximumSeconds` (Double's spacing there is under 1e-7 s), and far below
/// any time step the simulator uses.
public enum PerSecondBilling {
  /// Every instance start is billed at least this long, in seconds.
  public static let minimumSeconds: Double = 60
  /// Running times within this many seconds above a whole second round down to it.
  public static let roundingToleranceSeconds: Double = 1e-6

  /// `runningSeconds` rounded up to a whole number of seconds (see the rounding note).
  /// - Precondition: `runningSeconds` is finite and >= 0.
  public static func wholeSeconds(runningSeconds: Double) -> Double {
    precondition(
      runningSeconds.isFinite && runningSeconds >= 0,
      "running time must be finite and >= 0 s, got \(runningSeconds)")
    let rounded = (runningSeconds - roundingToleranceSeconds).rounded(.up)
    return rounded > 0 ? rounded : 0
  }

  /// The seconds billed for one instance start that ran `runningSeconds`:
  /// `max(60, ceil(runningSeconds))`.
  /// - Precondition: `runningSeconds` is finite and >= 0.
  public static func billedSeconds(runningSeconds: Double) -> Double {
    max(minimumSeconds, wholeSeconds(runningSeconds: runningSeconds))
  }
}
