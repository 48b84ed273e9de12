/// The highest value a history makes plausible at each point after it: forecast paths,
/// interval upper bounds and cross-validated candidates are held under it.
///
/// A point's slot is its position in the week (in the day when the history has less than
/// two weeks, so that every slot has two observations; one slot when the interval does not
/// divide a day). From the history: each slot's median, and the surge, the largest ratio
/// of an observation to its slot's median, both medians floored at a tenth of the busiest
/// slot's median (a quiet night's noise is not a surge). The ceiling at a future point is
///
///     surge × max(slot median, busiest median / 10, forecast mean there)
///
/// with the surge at least 1.25: demand may go as far above its usual level at that time
/// of the week as it ever went (a promotion that doubled an hour allows a path to double
/// it), or as far above the forecast mean when the trend has moved past the history, and
/// no further. Without a finite positive observation there is no ceiling.
public struct PlausibleCeiling: Sendable, Equatable {
  /// Median per slot, floored (see above).
  let slotLevels: [Double]
  /// Slot of the first point after the history.
  let firstSlot: Int
  /// The largest observed ratio to the slot level, at least `minimumSurge`.
  public let surge: Double

  public static let minimumSurge = 1.25

  public init?(_ series: ObservedSeries) {
    let perDay = series.pointsPerDay
    let day = Int(perDay.rounded())
    let period: Int
    if day >= 1, abs(perDay - Double(day)) < 1e-9 {
      period = series.count >= 14 * day ? 7 * day : day
    } else {
      period = 1
    }
    var slots = [[Double]](repeating: [], count: period)
    for (index, value) in series.values.enumerated() where value.isFinite && value >= 0 {
      slots[index % period].append(value)
    }
    let medians = slots.map(RobustPrefit.median)
    guard let busiest = medians.max(), busiest > 0 else { return nil }
    let floor = busiest / 10
    let levels = medians.map { max($0, floor) }
    var surge = Self.minimumSurge
    for (slot, values) in slots.enumerated() {
      for value in values { surge = max(surge, value / levels[slot]) }
    }
    slotLevels = levels
    firstSlot = series.count % period
    self.surge = surge
  }

  /// The ceiling at 0-based `step` after the history, given the forecast mean there
  /// (pass 0 to leave the mean out).
  public func value(step: Int, mean: Double) -> Double {
    let level = slotLevels[(firstSlot + step) % slotLevels.count]
    return surge * max(level, mean.isFinite ? mean : 0)
  }
}
