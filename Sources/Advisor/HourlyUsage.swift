import AutoScaling

/// Commitment-eligible usage of a simulated fleet: On-Demand instance-seconds in each
/// clock hour of the run, as normalized unit-hours. Spot lifetimes are left out (no
/// commitment applies to Spot).
public enum HourlyUsage {
  /// - Parameters:
  ///   - hours: hours from the run's start (scenario runs start on the hour); lifetimes
  ///     past the end are cut.
  ///   - typeIndex: only the lifetimes of this instance type (a group with several types
  ///     has a pool, and a normalization factor, per type); nil: all.
  public static func onDemandUnits(
    _ lifetimes: [InstanceLifetime], hours: Int, normalizationFactor: Double, typeIndex: Int? = nil
  ) -> [Double] {
    var seconds = [Double](repeating: 0, count: max(0, hours))
    guard hours > 0 else { return seconds }
    let end = Double(hours) * 3_600
    for life in lifetimes where !life.isSpot && (typeIndex == nil || life.typeIndex == typeIndex) {
      var t = max(0, life.launchedAt)
      let stop = min(end, life.terminatedAt)
      while t < stop {
        let hour = Int(t / 3_600)
        let boundary = min(stop, Double(hour + 1) * 3_600)
        seconds[hour] += (boundary - t) * Double(life.count)
        t = boundary
      }
    }
    return seconds.map { $0 / 3_600 * normalizationFactor }
  }
}
