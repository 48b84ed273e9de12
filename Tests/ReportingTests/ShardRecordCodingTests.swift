import Advisor
import AutoScaling
import Foundation
import Results
import Testing

@testable import Reporting

/// Part records must carry doubles bit for bit, or a merge would write other bytes than the
/// unsharded run: checked on the awkward values and on random bit patterns, against the
/// bits themselves (not against a re-encoding, which a lossy reader could pass).
@Suite struct ShardRecordCodingTests {
  struct Numbers: Codable, Equatable {
    var values: [Double]
    var seed: UInt64
    var count: Int
  }

  static func roundTrip(_ values: [Double]) throws -> [Double] {
    let line = try ShardRecordCoding.line(Numbers(values: values, seed: .max, count: .min))
    #expect(line.hasSuffix("\n") && line.dropLast().allSatisfy { $0 != "\n" })
    let back = try ShardRecordCoding.record(Numbers.self, from: Substring(line.dropLast()))
    #expect(back.seed == .max && back.count == .min)
    return back.values
  }

  @Test("awkward doubles come back with the same bits: signed zeros, subnormals, extremes, non-finite")
  func awkwardDoubles() throws {
    let values: [Double] = [
      0, -0.0, 0.1, 1e-5, 1 / 3, .pi, -.pi, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
      .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .ulpOfOne, 1 + .ulpOfOne, 9_007_199_254_740_992, 9_007_199_254_740_994,
      123_456_789.123_456_78, 946.1180999999999, .infinity, -.infinity,
    ]
    let back = try Self.roundTrip(values)
    #expect(back.map(\.bitPattern) == values.map(\.bitPattern))
    let nan = try Self.roundTrip([.nan])
    #expect(nan.count == 1 && nan[0].isNaN)
  }

  @Test("random bit patterns come back with the same bits", arguments: [1, 2, 3])
  func randomDoubles(seed: UInt64) throws {
    var generator = SplitMix64(state: seed)
    let values = (0..<5_000).map { _ -> Double in
      let bits = generator.next()
      let value = Double(bitPattern: bits)
      return value.isNaN ? Double(bitPattern: bits >> 12) : value  // NaN payloads are not data
    }
    let back = try Self.roundTrip(values)
    #expect(back.map(\.bitPattern) == values.map(\.bitPattern))
  }

  @Test("a run item reads back equal: a variant with its statistics, activities and NaN-free figures")
  func runItemReadsBack() throws {
    var statistics = FleetStatistics()
    statistics.delayedUnits = 0.1 + 0.2
    statistics.meanInstances = 7 / 3
    let variant = VariantResult(
      name: "v", description: nil, instanceType: "m5.large", policySummaries: ["cpu: target tracking cpu 50"],
      statistics: statistics, billedInstanceHours: 12.345, onDemandUSDPerHour: 0.118, costUSD: 1.456_789_012_345_678,
      activities: [ScalingActivity(time: 60, cause: "cpu", fromDesired: 2, toDesired: 3)], hourlyDemandUnits: [1e-300, 2])
    let result = ScenarioResult(
      scenarioName: "s", scenarioDescription: nil, file: "s.yaml", timeZone: "Asia/Seoul", region: "ap-northeast-2",
      start: Date(timeIntervalSince1970: 1_772_377_200.5), end: Date(timeIntervalSince1970: 1_772_550_000),
      tickSeconds: 60, seed: 42, demandSource: "synthetic", demandUnits: 1e9 / 7, variants: [variant])
    let item = RunShardItem(item: 0, result: result)
    let back = try ShardRecordCoding.record(RunShardItem.self, from: Substring(try ShardRecordCoding.line(item).dropLast()))
    #expect(back == item)
  }
}

/// Steele, Lea and Flood's SplitMix64: a fixed, seeded stream of 64-bit patterns.
struct SplitMix64 {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
