import Foundation
import Testing

@testable import Workload

@Suite struct GapPolicyTests {
  /// Totals per 5 minutes 10, then two missing slots, then 40: rates 2 and 8 per minute.
  static let csv = "2026-01-05T12:00:00Z,10\n2026-01-05T12:05:00Z,10\n2026-01-05T12:20:00Z,40\n2026-01-05T12:25:00Z,40\n"

  @Test("interpolate fills missing slots on a straight line between the neighbours' rates")
  func interpolate() throws {
    let series = try DemandSeries.parseCSV(Self.csv, source: "g.csv", options: DemandLoadOptions(gaps: .interpolate))
    // 2 -> 8 over three steps: 2, 4, 6, 8.
    #expect(series.valuesPerMinute == [2, 2, 4, 6, 8, 8])
    #expect(series.start == instant("2026-01-05T12:00:00Z"))
    #expect(series.end == instant("2026-01-05T12:30:00Z"))
    #expect(series.totalUnits == 150)  // 10 + 10 + 20 + 30 + 40 + 40
  }

  @Test("zero fills missing slots with no demand")
  func zero() throws {
    let series = try DemandSeries.parseCSV(Self.csv, source: "g.csv", options: DemandLoadOptions(gaps: .zero))
    #expect(series.valuesPerMinute == [2, 2, 0, 0, 8, 8])
    #expect(series.totalUnits == 100)
  }

  @Test("error stops at the row after the gap")
  func error() throws {
    let error = try #require(csvError(Self.csv))
    #expect(error.location == .line(3))
    #expect(
      error.problem
        == .gap(expected: "2026-01-05T12:10:00Z", found: "2026-01-05T12:20:00Z", missingCount: 2, intervalSeconds: 300))
  }

  @Test("interpolation uses rates, so it works the same for every value meaning", arguments: DemandLoadOptions.ValueMeaning.allCases)
  func interpolateRates(meaning: DemandLoadOptions.ValueMeaning) throws {
    let csv = "1767614400,1\n1767614460,3\n1767614640,7\n"  // a gap of two 1-minute slots
    let series = try DemandSeries.parseCSV(
      csv, source: "r.csv", options: DemandLoadOptions(valueMeaning: meaning, gaps: .interpolate))
    let scale: Double = meaning == .ratePerSecond ? 60 : 1
    #expect(areClose(series.valuesPerMinute, [1, 3, 13.0 / 3, 17.0 / 3, 7].map { $0 * scale }))
  }
}
