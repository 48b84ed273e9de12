import Foundation

/// What a quick robust fit finds before model selection: observation weights that take
/// one-off spikes (and dips) out of the fit, and a recent level shift.
///
/// 1. An iteratively reweighted ridge fit (Huber weights, four passes, over OpenBLAS like
///    every fit here) of the richest candidate design that half the data affords at three
///    points per term (the configured trend and holidays) on the log scale (identity
///    when a value is negative or `transform` is `.none`). A point whose residual is more
///    than `huberThreshold` robust standard deviations (1.4826 × the median absolute
///    residual) from the fit gets weight `threshold / |z|`; every other point keeps 1, so
///    a series without outliers is fitted exactly as before.
/// 2. Level shift: with at least 6 whole days, the days' mean residuals (each residual
///    clipped at the threshold) are split at every day boundary within the last
///    `min(14, days / 2)` days; the split whose mean difference against the days just
///    before it (as many, at least 7 when available) has the largest t statistic (noise from
///    the day-to-day differences' MAD) is a shift when |t| > `shiftThreshold` and it
///    persists (the last two days still sit at least half of it away, on its side: a
///    holiday week that has recovered is not a shift). The design then
///    gains a step column from that point on, and the weights are computed again with it
///    (so the new level is not mistaken for outliers).
///
/// Used by `SeasonalRegression.fit`: every fit of the chosen model (selection, the final
/// fit and the calibration refits) multiplies its weights by these. `fitBatch` shares one
/// design across series and does not use them.
struct RobustPrefit: Sendable, Equatable {
  /// Per point (series index), in (0, 1]; nil when every point has weight 1.
  var weights: [Double]?
  /// Point index where a detected level shift begins.
  var levelShiftIndex: Int?
  /// Points given weight below 1.
  var downweightedCount: Int

  static let huberThreshold = 3.5
  static let shiftThreshold = 6.0

  static let none = RobustPrefit(weights: nil, levelShiftIndex: nil, downweightedCount: 0)

  init(weights: [Double]?, levelShiftIndex: Int?, downweightedCount: Int) {
    self.weights = weights
    self.levelShiftIndex = levelShiftIndex
    self.downweightedCount = downweightedCount
  }

  init(_ series: ObservedSeries, configuration: SeasonalRegressionConfiguration) {
    let n = series.count
    let perDay = series.pointsPerDay
    let transform: ValueTransform =
      configuration.transform == .none || series.values.contains(where: { $0.isFinite && $0 < 0 })
      ? .identity : .log(for: series.values)
    let maxDaily = perDay >= 3 ? max(1, Int((perDay / 2).rounded(.down)) - 1) : 0
    let maxWeekly = max(0, Int((7 * perDay / 2).rounded(.down)) - 1)
    let spanDays = Double(n) / perDay
    // The richest candidate orders that half the data affords at three points per term: a
    // coarser design leaves a systematic misfit at the peaks that would read as outliers.
    let daily = (configuration.dailyOrderCandidates.max() ?? 4).clamped(0, maxDaily)
    var weekly = spanDays >= 9 ? (configuration.weeklyOrderCandidates.max() ?? 0).clamped(0, maxWeekly) : 0
    func design(shift: Int?) -> SeasonalDesign {
      SeasonalDesign(dailyOrder: daily, weeklyOrder: weekly, configuration: configuration, levelShiftIndex: shift)
    }
    while weekly > 0, 3 * design(shift: nil).columnCount > n / 2 { weekly /= 2 }
    guard var pass = Self.reweighted(series, design: design(shift: nil), transform: transform, configuration: configuration)
    else { self = .none; return }
    let shift = Self.levelShift(pass.residuals, scale: pass.scale, pointsPerDay: perDay)
    if let shift, let again = Self.reweighted(
      series, design: design(shift: shift), transform: transform, configuration: configuration) {
      pass = again
    }
    let downweighted = pass.weights.count { $0 < 1 }
    self.init(weights: downweighted > 0 ? pass.weights : nil, levelShiftIndex: shift, downweightedCount: downweighted)
  }

  /// Huber IRLS: weights, residuals (NaN where missing) and the robust scale.
  static func reweighted(
    _ series: ObservedSeries, design: SeasonalDesign, transform: ValueTransform,
    configuration: SeasonalRegressionConfiguration
  ) -> (weights: [Double], residuals: [Double], scale: Double)? {
    let n = series.count
    var weights = [Double](repeating: 1, count: n)
    var residuals = [Double](repeating: .nan, count: n)
    var scale = 0.0
    for _ in 0..<4 {
      guard let core = try? RegressionCore.fit(
        series: series, trainCount: n, design: design, transform: transform, penalty: 1e-3,
        changepointWeight: configuration.changepointPenaltyWeight, autoregressiveLags: ([], []),
        holidays: configuration.holidays, pointWeights: weights)
      else { return nil }
      let fitted = core.deterministic(at: Array(0..<n))
      for t in 0..<n { residuals[t] = transform.forward(series.values[t]) - fitted[t] }
      let absolute = residuals.filter(\.isFinite).map(abs)
      guard !absolute.isEmpty else { return nil }
      scale = 1.4826 * median(absolute)
      guard scale > 0 else { return (weights, residuals, scale) }
      let cut = huberThreshold * scale
      var next = weights
      for t in 0..<n {
        let r = abs(residuals[t])
        next[t] = r.isFinite && r > cut ? cut / r : 1
      }
      if next == weights { break }
      weights = next
    }
    return (weights, residuals, scale)
  }

  /// The point index of a recent level shift in `residuals`, or nil (see the type's doc).
  static func levelShift(_ residuals: [Double], scale: Double, pointsPerDay: Double) -> Int? {
    let day = Int(pointsPerDay.rounded())
    guard day >= 1, scale > 0 else { return nil }
    let n = residuals.count
    let days = n / day
    guard days >= 6 else { return nil }
    let first = n - days * day
    let cut = huberThreshold * scale
    let means: [Double] = (0..<days).map { d in
      var sum = 0.0, count = 0
      for t in (first + d * day)..<(first + (d + 1) * day) where residuals[t].isFinite {
        sum += min(cut, max(-cut, residuals[t]))
        count += 1
      }
      return count > 0 ? sum / Double(count) : 0
    }
    let differences = (1..<days).map { abs(means[$0] - means[$0 - 1]) }
    let noise = 1.4826 * median(differences) / 2.0.squareRoot()
    guard noise > 0 else { return nil }
    var best: (t: Double, split: Int)?
    for split in max(1, days - min(14, days / 2))..<days {
      let after = days - split
      let before = min(split, max(after, 7))
      let meanAfter = means[split...].reduce(0, +) / Double(after)
      let meanBefore = means[(split - before)..<split].reduce(0, +) / Double(before)
      let t = abs(meanAfter - meanBefore) / (noise * (1 / Double(after) + 1 / Double(before)).squareRoot())
      // A shift persists: the last two days (or the one) still sit at least half of it
      // away, on its side. A dip that has already recovered (a holiday week) is not one.
      let recent = min(after, 2)
      let meanRecent = means[(days - recent)...].reduce(0, +) / Double(recent)
      let persists = (meanRecent - meanBefore) * (meanAfter - meanBefore) >= 0
        && abs(meanRecent - meanBefore) >= abs(meanAfter - meanBefore) / 2
      if persists, t > (best?.t ?? 0) { best = (t, split) }
    }
    guard let best, best.t > shiftThreshold else { return nil }
    return first + best.split * day
  }

  static func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}

extension Int {
  fileprivate func clamped(_ low: Int, _ high: Int) -> Int { Swift.min(Swift.max(self, low), high) }
}
