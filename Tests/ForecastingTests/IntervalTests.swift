import Foundation
import Testing
@testable import Forecasting

@Suite struct IntervalTests {
  @Test("conformal ranks follow the finite-sample rule on known errors")
  func conformalRanks() throws {
    // 99 errors -1...-99 and 1...99 shuffled into one step: m = 198.
    let errors = (1...99).flatMap { [Double($0), -Double($0)] }
    let calibration = ConformalCalibration(errorsByStep: [errors], minimumSamples: 10)
    let (lower, upper) = try #require(calibration.offsets(step: 5, level: 0.8))
    // ranks floor(0.1 * 199) = 19 and ceil(0.9 * 199) = 180 of the sorted errors
    #expect(lower == -81 && upper == 81)
    #expect(calibration.sampleCounts == [198])
  }

  @Test("buckets hold at least the minimum number of errors, in horizon order")
  func bucketsGrow() {
    let calibration = ConformalCalibration(errorsByStep: (0..<10).map { _ in [1, 2, 3] }, minimumSamples: 7)
    #expect(calibration.bucketEnds == [3, 6, 10])
    #expect(calibration.sampleCounts == [9, 9, 12])
  }

  @Test("80% and 95% intervals cover about 80% and 95% of Gaussian noise around a known seasonal mean",
        arguments: [UInt64(11), 12])
  func coverageOnGaussianNoise(seed: UInt64) throws {
    let total = 24 * 7 * 10
    let holdout = 24 * 7
    let series = Synthetic.seasonal(count: total, sigma: 2, seed: seed)
    var configuration = Synthetic.fixed(daily: 2, weekly: 1, penalty: 1e-6)
    configuration.calibrationOrigins = 12
    let model = try SeasonalRegression.fit(series.prefix(total - holdout), horizon: holdout, configuration: configuration)
    let forecast = try model.forecast(steps: holdout, levels: [0.8, 0.95])
    let actual = Array(series.values.suffix(holdout))
    let coverage80 = try #require(forecast.intervals[0].coverage(of: actual))
    let coverage95 = try #require(forecast.intervals[1].coverage(of: actual))
    #expect((0.72...0.88).contains(coverage80), "80% interval covered \(coverage80)")
    #expect((0.90...0.99).contains(coverage95), "95% interval covered \(coverage95)")
    // Width close to the true central 80% range of N(0, 2): 2 * 1.2816 * 2 = 5.13.
    let width = zip(forecast.intervals[0].lower, forecast.intervals[0].upper).map { $1 - $0 }.reduce(0, +) / Double(holdout)
    #expect(abs(width - 5.13) < 1.0, "mean 80% width \(width)")
  }
}

@Suite struct SamplePathTests {
  static func model() throws -> SeasonalRegression {
    var configuration = Synthetic.fixed(daily: 2, weekly: 1, penalty: 1e-6, lags: 2)
    configuration.calibrationOrigins = 12
    return try SeasonalRegression.fit(Synthetic.seasonal(count: 24 * 7 * 8, sigma: 2, seed: 5), horizon: 48, configuration: configuration)
  }

  @Test("the same seed gives the same paths; another seed gives others")
  func deterministic() throws {
    let model = try Self.model()
    let a = try model.samplePaths(steps: 48, count: 3, seed: 42)
    #expect(a == (try model.samplePaths(steps: 48, count: 3, seed: 42)))
    #expect(a != (try model.samplePaths(steps: 48, count: 3, seed: 43)))
    #expect(a.count == 3 && a.allSatisfy { $0.count == 48 })
  }

  @Test("about 80% of paths lie inside the 80% interval at each horizon, and steps are correlated like the errors")
  func pathsMatchIntervals() throws {
    let model = try Self.model()
    let paths = try model.samplePaths(steps: 48, count: 1_000, seed: 7)
    let forecast = try model.forecast(steps: 48, levels: [0.8])
    for step in [0, 12, 47] {
      let lower = forecast.intervals[0].lower[step], upper = forecast.intervals[0].upper[step]
      let inside = Double(paths.filter { $0[step] >= lower && $0[step] <= upper }.count) / 1_000
      #expect((0.74...0.86).contains(inside), "step \(step): \(inside) of paths inside")
    }
    let rho = model.calibration.lagOneCorrelation
    #expect((0...1).contains(rho))
    let deviations = paths.map { path in zip(path, forecast.mean).map { $0 - $1 } }
    var products = 0.0, squares = 0.0
    for d in deviations { for t in 1..<d.count { products += d[t] * d[t - 1]; squares += d[t] * d[t] } }
    #expect(abs(products / squares - rho) < 0.1, "path lag-1 correlation \(products / squares), errors \(rho)")
  }
}

@Suite struct JointInnovationTests {
  static func sampleCorrelation(_ a: [Double], _ b: [Double]) -> Double {
    let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
    var ab = 0.0, aa = 0.0, bb = 0.0
    for (x, y) in zip(a, b) { ab += (x - ma) * (y - mb); aa += (x - ma) * (x - ma); bb += (y - mb) * (y - mb) }
    return ab / (aa * bb).squareRoot()
  }

  @Test("one series: exactly the draws samplePaths(steps:count:seed:) makes")
  func oneSeriesIsTheSeededDraw() throws {
    let model = try SamplePathTests.model()
    let innovations = JointInnovations.draw(correlation: [[1]], steps: 48, count: 3, seed: 42)
    #expect(try model.samplePaths(innovations: innovations[0]) == model.samplePaths(steps: 48, count: 3, seed: 42))
  }

  @Test("draws have unit variance and the asked correlation (0.6 +- 0.03 over 20,000 pairs)")
  func drawnCorrelation() {
    let draws = JointInnovations.draw(correlation: [[1, 0.6], [0.6, 1]], steps: 100, count: 200, seed: 9)
    let a = draws[0].flatMap { $0 }, b = draws[1].flatMap { $0 }
    #expect(abs(Self.sampleCorrelation(a, b) - 0.6) < 0.03)
    let variance = a.reduce(0) { $0 + $1 * $1 } / Double(a.count)
    #expect(abs(variance - 1) < 0.05)
    // Same seed, same draws.
    #expect(draws == JointInnovations.draw(correlation: [[1, 0.6], [0.6, 1]], steps: 100, count: 200, seed: 9))
  }

  @Test("estimated correlation: a series with itself near 1 (kept factorable), with independent noise near 0")
  func estimatedCorrelation() throws {
    let a = Synthetic.seasonal(count: 24 * 7 * 6, sigma: 2, seed: 1).values
    let b = Synthetic.seasonal(count: 24 * 7 * 6, sigma: 2, seed: 2).values
    let same = JointInnovations.correlation(of: [a, a], period: 168)
    #expect(same[0][1] >= 0.9 && same[0][1] < 1)
    #expect(JointInnovations.cholesky(same) != nil)
    // The seasonal parts cancel week over week; what is left is each series' own noise.
    let independent = JointInnovations.correlation(of: [a, b], period: 168)
    #expect(abs(independent[0][1]) < 0.1, "\(independent[0][1])")
    // Too short for a week-over-week deviation: the identity.
    #expect(JointInnovations.correlation(of: [Array(a.prefix(100)), Array(b.prefix(100))], period: 168) == [[1, 0], [0, 1]])
  }
}
