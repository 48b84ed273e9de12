// The synthetic hourly series of the forecasting benchmark, shared by the `ForecastFitting`
// suite and the `forecast-batch` executable that peers/compare-statsforecast.sh times
// beside statsforecast. The same shape and seeds as Tests/ForecastingTests/BatchTests.
import Forecasting
import Foundation

public enum SyntheticHourlySeries {
  /// Monday 2026-01-05 00:00 UTC: whole days since 1970, so Fourier phases start at 0.
  public static let start = Date(timeIntervalSince1970: 1_767_571_200)
  public static let intervalSeconds = 3_600.0

  /// Series `index` (0-based) of `count` hourly points: level `50 + 10 index`, a linear
  /// trend rising by `index` over the series, `10 sin(day) - 5 cos(2 day) + 3 sin(week)`,
  /// Gaussian noise of standard deviation `1 + index % 3` (SplitMix64 + Box-Muller, seed
  /// `100 + index`), clipped at 0.
  public static func series(_ index: Int, count: Int) -> ObservedSeries {
    var noise = SeededNormal(state: UInt64(100 + index))
    let level = 50 + 10 * Double(index), slope = Double(index), sigma = 1 + Double(index % 3)
    let values = (0..<count).map { i -> Double in
      let t = Double(i) * intervalSeconds + start.timeIntervalSince1970
      let day = 2 * Double.pi * t.truncatingRemainder(dividingBy: 86_400) / 86_400
      let week = 2 * Double.pi * t.truncatingRemainder(dividingBy: 604_800) / 604_800
      let value = level + slope * Double(i) / Double(count) + 10 * sin(day) - 5 * cos(2 * day) + 3 * sin(week)
        + sigma * noise.next()
      return max(0, value)
    }
    return ObservedSeries(start: start, intervalSeconds: intervalSeconds, values: values)
  }

  /// Series 0..<`count`, each of `length` points.
  public static func batch(_ count: Int, length: Int) -> [ObservedSeries] {
    (0..<count).map { series($0, count: length) }
  }

  /// Fits the batch with `SeasonalRegression.fitBatch` and forecasts `horizon` steps with
  /// 80% and 95% intervals for every series, in parallel across cores: the measured work.
  public static func fitAndForecast(_ batch: [ObservedSeries], horizon: Int) throws -> [Forecast] {
    let models = try SeasonalRegression.fitBatch(batch, horizon: horizon)
    let slots = ForecastSlots(count: models.count)
    DispatchQueue.concurrentPerform(iterations: models.count) { i in
      slots.set(i, Result { try models[i].forecast(steps: horizon, levels: [0.8, 0.95]) })
    }
    return try slots.values()
  }
}

/// SplitMix64 uniforms and Box-Muller normals: same seed, same series, on every platform.
public struct SeededNormal {
  public var state: UInt64

  public init(state: UInt64) { self.state = state }

  public mutating func nextUniform() -> Double {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return (Double(z >> 11) + 0.5) / 9_007_199_254_740_992
  }

  public mutating func next() -> Double {
    (-2 * log(nextUniform())).squareRoot() * cos(2 * Double.pi * nextUniform())
  }
}

/// One slot per series, each written once from `concurrentPerform`.
final class ForecastSlots: @unchecked Sendable {
  private var slots: [Result<Forecast, any Error>?]
  private let lock = NSLock()

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: Result<Forecast, any Error>) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }

  func values() throws -> [Forecast] { try slots.map { try $0!.get() } }
}
