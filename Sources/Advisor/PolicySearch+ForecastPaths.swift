import Forecasting
import Simulation

/// A fitted demand model that draws seeded sample paths of the intervals right after the
/// data it was fitted on (Forecasting's `SeasonalRegression` is one).
public protocol DemandForecastSampler: Sendable {
  /// Seconds per forecast interval (3600 for an hourly model).
  var forecastIntervalSeconds: Double { get }
  /// `count` paths of `steps` interval values, demand units per minute; same seed, same paths.
  func sampleForecastPaths(steps: Int, count: Int, seed: UInt64) throws -> [[Double]]
}

extension SeasonalRegression: DemandForecastSampler {
  public var forecastIntervalSeconds: Double {
    (try? forecast(steps: 1, levels: []))?.intervalSeconds ?? 0
  }

  public func sampleForecastPaths(steps: Int, count: Int, seed: UInt64) throws -> [[Double]] {
    try samplePaths(steps: steps, count: count, seed: seed)
  }
}

/// Turns interval forecast paths into per-tick demand paths a policy search can simulate.
public enum PolicySearchForecastPaths {
  /// `count` demand paths of the `days` after the history, one value per tick.
  ///
  /// `model` must have been fitted on `history` aggregated to its interval (mean units per
  /// minute of each interval), so that its paths start where the history ends. Each
  /// interval value of a path is spread over the interval's ticks with the history's
  /// average shape inside that interval: tick value = max(0, interval value) ×
  /// A(tick) / mean of A over the interval, where A is the history's mean demand at that
  /// tick of the day. So every interval's mean is exactly the sampled value (clamped at 0),
  /// and an hourly path keeps the lunch peak's minute-level shape instead of a staircase
  /// (with less than one day of history, or an interval where A is 0, the value is spread
  /// evenly). Paths carry `dayOffsetSeconds` = the history's length modulo a day, and
  /// `startSeconds` = the history's length.
  /// - Complexity: O(history + count × days × ticks per day).
  public static func demandPaths(
    history: [Double], tickSeconds: SimTime = 60, model: some DemandForecastSampler, days: Double, count: Int,
    seed: UInt64
  ) throws(AdvisorError) -> [PolicySearchDemand] {
    func fail(_ field: String, _ expected: String, _ found: String) -> AdvisorError {
      .invalidInput("forecast paths: '\(field)' should be \(expected), found \(found)")
    }
    let interval = model.forecastIntervalSeconds
    let ratio = interval / tickSeconds
    guard tickSeconds > 0, 86_400.truncatingRemainder(dividingBy: tickSeconds) == 0 else {
      throw fail("tickSeconds", "seconds that divide a day", "\(tickSeconds)")
    }
    guard interval > 0, ratio >= 1, ratio == ratio.rounded(), 86_400.truncatingRemainder(dividingBy: interval) == 0 else {
      throw fail(
        "model.forecastIntervalSeconds", "a whole number of ticks (\(tickSeconds) s) that divides a day", "\(interval)")
    }
    let ticksPerInterval = Int(ratio)
    guard history.count % ticksPerInterval == 0 else {
      throw fail(
        "history", "whole forecast intervals (\(ticksPerInterval) ticks each) so that the paths start where it ends",
        "\(history.count) ticks")
    }
    guard days > 0, days.isFinite else { throw fail("days", "a number of days > 0", "\(days)") }
    guard count >= 1 else { throw fail("count", "at least 1 path", "\(count)") }
    let tickCount = Int((days * 86_400 / tickSeconds).rounded(.up))
    let steps = (tickCount + ticksPerInterval - 1) / ticksPerInterval
    let intervalPaths: [[Double]]
    do { intervalPaths = try model.sampleForecastPaths(steps: steps, count: count, seed: seed) } catch {
      throw .invalidInput("forecast paths: the model could not sample \(count) paths of \(steps) intervals: \(error)")
    }
    guard intervalPaths.count == count, intervalPaths.allSatisfy({ $0.count == steps }) else {
      throw .invalidInput("forecast paths: the model returned paths of the wrong shape (expected \(count) × \(steps))")
    }
    let shape = intervalShape(history: history, tickSeconds: tickSeconds, ticksPerInterval: ticksPerInterval)
    let dayOffset = (Double(history.count) * tickSeconds).truncatingRemainder(dividingBy: 86_400)
    return intervalPaths.map { path in
      let demand = (0..<tickCount).map { m in
        let value = path[m / ticksPerInterval]
        return value.isFinite && value > 0 ? value * shape[m % shape.count] : 0
      }
      return PolicySearchDemand(
        demandPerMinute: demand, dayOffsetSeconds: dayOffset, startSeconds: Double(history.count) * tickSeconds)
    }
  }

  /// The factor of each tick of one day after the history (tick 0 = the first path tick):
  /// the history's average day at that tick over its interval's mean. Interval-aligned and
  /// a whole day long, so it repeats.
  static func intervalShape(history: [Double], tickSeconds: SimTime, ticksPerInterval: Int) -> [Double] {
    let ticksPerDay = Int(86_400 / tickSeconds)
    guard history.count >= ticksPerDay else { return [1] }
    var sums = [Double](repeating: 0, count: ticksPerDay)
    var counts = [Double](repeating: 0, count: ticksPerDay)
    for (k, value) in history.enumerated() where value.isFinite {
      sums[k % ticksPerDay] += value
      counts[k % ticksPerDay] += 1
    }
    let start = history.count % ticksPerDay
    let average = (0..<ticksPerDay).map { m in
      let slot = (start + m) % ticksPerDay
      return counts[slot] > 0 ? sums[slot] / counts[slot] : 0
    }
    var shape = [Double](repeating: 1, count: ticksPerDay)
    for first in stride(from: 0, to: ticksPerDay, by: ticksPerInterval) {
      let slice = average[first..<(first + ticksPerInterval)]
      let mean = slice.reduce(0, +) / Double(ticksPerInterval)
      guard mean > 0 else { continue }
      for m in slice.indices { shape[m] = average[m] / mean }
    }
    return shape
  }
}
