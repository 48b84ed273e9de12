import Foundation
import Testing

@testable import Workload

/// `CapacityEstimate`: units per instance per minute at 100% CPU from CPU% against
/// requests per instance per minute, through the origin, Huber-robust.
@Suite struct CapacityEstimateTests {
  /// x = 100, 200, ..., 1000 requests per instance per minute, CPU = x / 10 + s, with
  /// s = +1 for odd points and -1 for even ones. Every residual stays within Huber's bound
  /// (|e| <= 1.12 against k = 1.345 x 0.9935 / 0.6745 = 1.98), so the fit is plain least
  /// squares through the origin:
  ///   Σxy = 1000 Σi² + 100 Σ i s_i = 385000 - 500 = 384500,  Σxx = 10⁴ x 385 = 3 850 000
  ///   slope = 384500 / 3850000,  unitsPerMinute = 100 / slope = 3.85e8 / 384500 = 1001.3004
  ///   residuals e_i = s_i + i / 77 (10 - 100 x slope = 1/77), SSE = 10 - 10/77 + 385/5929 = 765/77
  ///   lag-1: Σ e_i e_(i-1) = -9 + 1/77 + 330/5929 = -9 + 407/5929 < 0: no inflation
  ///   var(slope) = SSE / 9 / Σxx, so SE = sqrt(765/77 / 9 / 3850000) = 5.35469e-4
  ///   SST about the mean 55: 100 x 82.5 + 20 x (-5) + 10 = 8160, R² = 1 - (765/77) / 8160
  ///   with an intercept: slope 82000 / 825000, intercept 55 - 550 x 82000/825000 = 1/3
  @Test("a small case by hand: slope 384500/3850000, 1001.30 units per minute, R² 1 - (765/77)/8160")
  func handComputed() throws {
    let x = (1...10).map { Double($0 * 100) }
    let cpu = (1...10).map { Double($0 * 10) + ($0 % 2 == 1 ? 1 : -1) }
    let estimate = try CapacityEstimate.fit(cpuPercent: cpu, requestsPerInstancePerMinute: x)
    let slope = 384_500.0 / 3_850_000
    #expect(abs(estimate.slope - slope) < 1e-15)
    #expect(abs(estimate.unitsPerMinute - 3.85e8 / 384_500) < 1e-9)
    #expect(abs(estimate.unitsPerMinute - 1001.3004) < 1e-4)
    let standardError = (765.0 / 77 / 9 / 3_850_000).squareRoot()
    #expect(abs(estimate.slopeStandardError - standardError) < 1e-12)
    #expect(abs(estimate.lowerUnitsPerMinute - 100 / (slope + 1.959963984540054 * standardError)) < 1e-9)
    #expect(abs(estimate.upperUnitsPerMinute - 100 / (slope - 1.959963984540054 * standardError)) < 1e-9)
    #expect(abs(estimate.rSquared - (1 - 765.0 / 77 / 8160)) < 1e-12)
    #expect(abs(estimate.residualAutocorrelation - (-9 + 407.0 / 5929) / (765.0 / 77)) < 1e-12)
    #expect(estimate.pointsUsed == 10 && estimate.pointsGiven == 10 && estimate.pointsDownWeighted == 0)
    #expect(abs(estimate.idleCPUPercent - 1.0 / 3) < 1e-9)
    let interceptSlope = 82_000.0 / 825_000
    #expect(abs(try #require(estimate.unitsPerMinuteWithIntercept) - (100 - 1.0 / 3) / interceptSlope) < 1e-6)
  }

  @Test("an exact line: the capacity itself, a zero-width interval, R² 1")
  func exactLine() throws {
    let x = (1...12).map { Double($0) * 50 }
    let estimate = try CapacityEstimate.fit(cpuPercent: x.map { 100 * $0 / 1200 }, requestsPerInstancePerMinute: x)
    #expect(abs(estimate.unitsPerMinute - 1200) < 1e-9)
    #expect(abs(estimate.lowerUnitsPerMinute - 1200) < 1e-9 && abs(estimate.upperUnitsPerMinute - 1200) < 1e-9)
    #expect(abs(estimate.rSquared - 1) < 1e-12)
  }

  /// Two days of 5-minute periods: a daily curve from 250 to 1050 requests per instance
  /// per minute, CPU = 100 x r / 1200 + normal noise (sd 2 points), and 12 periods of a
  /// deploy with 35 points of CPU and no more requests. The truth, 1200, must lie inside
  /// the stated interval, which is narrow; least squares without the Huber weights is
  /// pulled by the deploys outside it.
  @Test("a synthetic fleet of known capacity 1200 plus noise and deploy spikes: recovered within the stated interval")
  func syntheticRecovery() throws {
    var random = SplitMix64(seed: 13)
    var rates: [Double] = []
    var cpu: [Double] = []
    for t in 0..<576 {
      let phase = 2 * Double.pi * Double(t % 288) / 288
      let rate = 650 - 400 * cos(phase)
      var value = 100 * rate / 1200 + 2 * random.normal()
      if t % 48 == 7 { value += 35 }
      rates.append(rate)
      cpu.append(min(100, max(0, value)))
    }
    let estimate = try CapacityEstimate.fit(cpuPercent: cpu, requestsPerInstancePerMinute: rates)
    #expect(estimate.lowerUnitsPerMinute < 1200 && 1200 < estimate.upperUnitsPerMinute, "\(estimate)")
    #expect(estimate.upperUnitsPerMinute - estimate.lowerUnitsPerMinute < 0.03 * 1200, "\(estimate)")
    #expect(estimate.pointsDownWeighted >= 12)
    #expect(estimate.rSquared > 0.8)
    var xy = 0.0, xx = 0.0
    for (rate, value) in zip(rates, cpu) {
      xy += rate * value
      xx += rate * rate
    }
    let leastSquares = 100 / (xy / xx)
    #expect(leastSquares < estimate.lowerUnitsPerMinute, "least squares \(leastSquares), \(estimate)")
  }

  /// The same curve with AR(1) noise (rho 0.8, sd 3 points) and the deploy spikes: the
  /// periods are not independent, so the interval must widen. The spikes are clipped out
  /// of the autocorrelation, which stays near 0.8, and the truth lies inside.
  @Test("autocorrelated noise with spikes: the autocorrelation is found through the spikes and the interval holds 1200")
  func autocorrelatedNoise() throws {
    var random = SplitMix64(seed: 13)
    var rates: [Double] = []
    var cpu: [Double] = []
    var noise = 0.0
    for t in 0..<576 {
      let rate = 650 - 400 * cos(2 * Double.pi * Double(t % 288) / 288)
      noise = 0.8 * noise + (1 - 0.64).squareRoot() * 3 * random.normal()
      var value = 100 * rate / 1200 + noise
      if t % 48 == 7 { value += 35 }
      rates.append(rate)
      cpu.append(min(100, max(0, value)))
    }
    let estimate = try CapacityEstimate.fit(cpuPercent: cpu, requestsPerInstancePerMinute: rates)
    #expect(estimate.residualAutocorrelation > 0.6, "\(estimate)")
    #expect(estimate.lowerUnitsPerMinute < 1200 && 1200 < estimate.upperUnitsPerMinute, "\(estimate)")
  }

  @Test("missing points are skipped; too few, no load, CPU past 100 or not rising with load are errors")
  func errors() throws {
    let x = (1...12).map { Double($0) * 50 }
    var withGaps: [Double?] = x.map { 100 * $0 / 600 }
    withGaps[0] = nil
    let skipped = try CapacityEstimate.fit(cpuPercent: withGaps, requestsPerInstancePerMinute: x)
    #expect(skipped.pointsUsed == 11 && skipped.pointsGiven == 12)
    #expect(abs(skipped.unitsPerMinute - 600) < 1e-9)

    #expect(throws: WorkloadError.self) {
      try CapacityEstimate.fit(cpuPercent: Array(repeating: 50, count: 9), requestsPerInstancePerMinute: Array(repeating: 1, count: 9))
    }
    #expect(throws: WorkloadError.self) {
      try CapacityEstimate.fit(cpuPercent: Array(repeating: 50, count: 12), requestsPerInstancePerMinute: Array(repeating: 0, count: 12))
    }
    do {
      _ = try CapacityEstimate.fit(cpuPercent: x.map { $0 == 100 ? 130 : 10 }, requestsPerInstancePerMinute: x)
      Issue.record("expected an error")
    } catch {
      #expect(error.description == "CapacityEstimate.fit: cpuPercent[1] should be a CPU utilization from 0 to 100 percent, found 130.0")
    }
    #expect(throws: WorkloadError.self) {
      try CapacityEstimate.fit(cpuPercent: Array(repeating: 0, count: 12), requestsPerInstancePerMinute: x)
    }
  }
}

extension SplitMix64 {
  /// Uniform in [0, 1), 53 bits.
  mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
  /// A standard normal by Box-Muller.
  mutating func normal() -> Double {
    let u1 = max(uniform(), 1e-300), u2 = uniform()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}
