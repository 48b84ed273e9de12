import Foundation
import Testing

@testable import Workload

/// The Numenta Anomaly Benchmark traces shipped in scenarios/data (see its README.md).
/// Expected counts and sums were computed independently with Python's csv module.
@Suite struct RealTraceTests {
  static let elb = tracePath("elb_request_count_8c0756.csv")

  @Test("the ELB trace with gaps .error reports its first gap at line 140")
  func elbFirstGap() throws {
    do {
      _ = try DemandSeries.loadCSV(path: Self.elb)
      Issue.record("expected a gap error")
    } catch {
      #expect(error.location == .line(140))
      #expect(
        error.problem
          == .gap(expected: "2014-04-10 11:34:00", found: "2014-04-10 11:39:00", missingCount: 1, intervalSeconds: 300))
      #expect(error.description.hasPrefix("\(Self.elb):140: gap before this row: expected 2014-04-10 11:34:00"))
    }
  }

  @Test("the ELB trace with gaps .interpolate fills its 8 missing slots")
  func elbInterpolated() throws {
    let series = try DemandSeries.loadCSV(path: Self.elb, options: DemandLoadOptions(gaps: .interpolate))
    #expect(series.count == 4032 + 8)
    #expect(series.intervalSeconds == 300)
    #expect(series.start == instant("2014-04-10T00:04:00Z"))
    #expect(series.end == instant("2014-04-24T00:44:00Z"))
    // Lines 139/140: 6 at 11:29 and 79 at 11:39 (totals per 5 min); 11:34 is their mean.
    let index = Int(instant("2014-04-10T11:34:00Z").timeIntervalSince(series.start) / 300)
    #expect(series.valuesPerMinute[index - 1] == 6 / 5.0)
    #expect(isClose(series.valuesPerMinute[index], (6 + 79) / 2 / 5.0))
    #expect(series.valuesPerMinute[index + 1] == 79 / 5.0)
    let withZeros = try DemandSeries.loadCSV(path: Self.elb, options: DemandLoadOptions(gaps: .zero))
    #expect(isClose(withZeros.totalUnits, 249_327))
  }

  @Test("the 30-minute NYC taxi trace loads with 10320 points and its exact total")
  func nycTaxi() throws {
    let series = try DemandSeries.loadCSV(path: tracePath("nyc_taxi.csv"))
    #expect(series.count == 10320)
    #expect(series.intervalSeconds == 1800)
    #expect(series.start == instant("2014-07-01T00:00:00Z"))
    #expect(isClose(series.totalUnits, 156_219_716))
  }

  @Test("NYC taxi read as New York time has a 2-slot gap where the fall-back hour was merged")
  func nycTaxiInNewYork() throws {
    // NAB lists 01:00 and 01:30 once on 2014-11-02, though the clock showed them twice.
    do {
      _ = try DemandSeries.loadCSV(path: tracePath("nyc_taxi.csv"), options: DemandLoadOptions(naiveTimeZone: newYork))
      Issue.record("expected a gap error")
    } catch {
      #expect(error.location == .line(5958))
      #expect(
        error.problem
          == .gap(expected: "2014-11-02 01:00:00", found: "2014-11-02 02:00:00", missingCount: 2, intervalSeconds: 1800))
    }
  }

  @Test("the Twitter traces load on their :42:53 grid", arguments: [
    ("Twitter_volume_AMZN.csv", 15831, 843_768.0), ("Twitter_volume_GOOG.csv", 15842, 328_506),
  ])
  func twitter(file: String, count: Int, total: Double) throws {
    let series = try DemandSeries.loadCSV(path: tracePath(file))
    #expect(series.count == count)
    #expect(series.start == instant("2015-02-26T21:42:53Z"))
    #expect(isClose(series.totalUnits, total))
  }
}
