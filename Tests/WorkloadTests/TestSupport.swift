import Foundation
import Testing

@testable import Workload

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator for determinism tests.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// An instant from an ISO 8601 string with an offset, read by Foundation (independent of
/// the module's own parser).
func instant(_ text: String) -> Date {
  let formatter = ISO8601DateFormatter()
  formatter.formatOptions = [.withInternetDateTime]
  guard let date = formatter.date(from: text) else { fatalError("bad test date \(text)") }
  return date
}

let utc = TimeZone(identifier: "UTC")!
let newYork = TimeZone(identifier: "America/New_York")!

/// The package root, found from this file so tests run on a fresh clone.
let packageRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent()  // WorkloadTests
  .deletingLastPathComponent()  // Tests
  .deletingLastPathComponent()

func tracePath(_ name: String) -> String {
  packageRoot.appendingPathComponent("scenarios/data/\(name)").path
}

/// Parses `csv` and returns the error it throws, or nil.
func csvError(_ csv: String, options: DemandLoadOptions = DemandLoadOptions()) -> WorkloadError? {
  do {
    _ = try DemandSeries.parseCSV(csv, source: "demand.csv", options: options)
    return nil
  } catch {
    return error
  }
}

func jsonError(
  _ json: String, options: DemandLoadOptions = DemandLoadOptions(), metricId: String? = nil,
  statistic: CloudWatchStatistic? = nil
) -> WorkloadError? {
  do {
    _ = try DemandSeries.parseCloudWatchJSON(
      Data(json.utf8), source: "metrics.json", options: options, metricId: metricId, statistic: statistic)
    return nil
  } catch {
    return error
  }
}

func isClose(_ a: Double, _ b: Double, relative: Double = 1e-12) -> Bool {
  abs(a - b) <= relative * max(abs(a), abs(b), 1e-300)
}

func areClose(_ a: [Double], _ b: [Double], relative: Double = 1e-12) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { isClose($0, $1, relative: relative) }
}
