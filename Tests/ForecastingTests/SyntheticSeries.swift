import Foundation
@testable import Forecasting

/// Seeded generators for test series (SplitMix64 + Box-Muller): same seed, same series.
struct SeededNormal {
  var state: UInt64

  mutating func nextUniform() -> Double {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return (Double(z >> 11) + 0.5) / 9_007_199_254_740_992
  }

  mutating func next() -> Double {
    (-2 * log(nextUniform())).squareRoot() * cos(2 * Double.pi * nextUniform())
  }
}

enum Synthetic {
  /// Monday 2026-01-05 00:00 UTC: whole days since 1970, so Fourier phases start at 0.
  static let monday = Date(timeIntervalSince1970: 1_767_571_200)

  /// `level + slope * i / count + 10 sin(day) - 5 cos(2 day) + 3 sin(week)`, plus Gaussian
  /// noise of standard deviation `sigma`.
  static func seasonal(
    count: Int, intervalSeconds: Double = 3_600, level: Double = 100, slope: Double = 20, sigma: Double = 0,
    seed: UInt64 = 1
  ) -> ObservedSeries {
    var noise = SeededNormal(state: seed)
    let values = (0..<count).map { i -> Double in
      let t = Double(i) * intervalSeconds + monday.timeIntervalSince1970
      let day = 2 * Double.pi * t.truncatingRemainder(dividingBy: 86_400) / 86_400
      let week = 2 * Double.pi * t.truncatingRemainder(dividingBy: 604_800) / 604_800
      return level + slope * Double(i) / Double(count) + 10 * sin(day) - 5 * cos(2 * day) + 3 * sin(week)
        + sigma * noise.next()
    }
    return ObservedSeries(start: monday, intervalSeconds: intervalSeconds, values: values)
  }

  /// A configuration with nothing left to choose.
  static func fixed(daily: Int, weekly: Int, penalty: Double = 1e-12, lags: Int = 0) -> SeasonalRegressionConfiguration {
    var c = SeasonalRegressionConfiguration()
    c.dailyOrderCandidates = [daily]
    c.weeklyOrderCandidates = [weekly]
    c.ridgePenaltyCandidates = [penalty]
    c.changepointCount = 0
    c.autoregressiveLags = lags
    c.usesSeasonalLags = false
    c.recencyHalfLifeDaysCandidates = [nil]
    c.transform = .none
    c.fitsRobustly = false  // no prefit weights or level shift: the fit is the closed form
    return c
  }
}
