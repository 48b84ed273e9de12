import Foundation
import Testing

@testable import Workload

@Suite struct TransformTests {
  static let start = instant("2026-01-05T00:00:00Z")

  @Test("resampling 30 min to 7 min matches the hand-computed overlap averages and conserves the total")
  func thirtyToSeven() throws {
    let series = try DemandSeries(start: Self.start, intervalSeconds: 1800, valuesPerMinute: [6, 12])
    let resampled = try series.resampled(toIntervalSeconds: 420)
    // Bins of 7 min over 60 min: four inside the first half hour (0-28), one straddling
    // (28-35: 2 min of 6, 5 of 12), three inside the second (35-56), and one (56-63) with
    // 4 of its 7 minutes inside the data: 4*42 + 72 + 3*84 + 48 = 540 units.
    let expected: [Double] = [6, 6, 6, 6, (6 * 2 + 12 * 5) / 7.0, 12, 12, 12, 12 * 4 / 7.0]
    #expect(areClose(resampled.valuesPerMinute, expected))
    #expect(resampled.start == Self.start)
    #expect(resampled.intervalSeconds == 420)
    #expect(isClose(resampled.totalUnits, 540))
    #expect(series.totalUnits == 540)
  }

  @Test("resampling 5 min to 1 min repeats each rate; 1 min back to 5 min averages", arguments: [60.0, 300])
  func upAndDown(target: Double) throws {
    let fiveMinute = try DemandSeries(start: Self.start, intervalSeconds: 300, valuesPerMinute: [1, 2, 3])
    let oneMinute = try fiveMinute.resampled(toIntervalSeconds: 60)
    #expect(oneMinute.valuesPerMinute == [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3])
    let back = try oneMinute.resampled(toIntervalSeconds: target)
    #expect(isClose(back.totalUnits, 30))
    if target == 300 { #expect(areClose(back.valuesPerMinute, [1, 2, 3])) }
  }

  @Test("resampling conserves totals on irregular data for many ratios", arguments: [7.0, 60, 300, 420, 1800, 3600 * 5.5])
  func conservation(target: Double) throws {
    var rng = SplitMix64(seed: 42)
    let values = (0..<997).map { _ in Double(rng.next() % 10_000) / 7 }
    for interval in [60.0, 300, 1800] {
      let series = try DemandSeries(start: Self.start, intervalSeconds: interval, valuesPerMinute: values)
      let resampled = try series.resampled(toIntervalSeconds: target)
      #expect(isClose(resampled.totalUnits, series.totalUnits, relative: 1e-11))
      #expect(resampled.end >= series.end)
      #expect(resampled.end.timeIntervalSince(series.end) < target)
    }
  }

  @Test("scaled, shifted and sliced")
  func simpleTransforms() throws {
    let series = try DemandSeries(start: Self.start, intervalSeconds: 3600, valuesPerMinute: [1, 2, 3, 4])
    #expect(try series.scaled(by: 2.5).valuesPerMinute == [2.5, 5, 7.5, 10])
    let shifted = try series.shifted(bySeconds: 86_400)
    #expect(shifted.start == instant("2026-01-06T00:00:00Z"))
    #expect(shifted.valuesPerMinute == series.valuesPerMinute)
    let slice = try series.sliced(from: instant("2026-01-05T01:00:00Z"), to: instant("2026-01-05T03:00:00Z"))
    #expect(slice.start == instant("2026-01-05T01:00:00Z"))
    #expect(slice.valuesPerMinute == [2, 3])
    // Off-grid bounds keep the intervals that begin inside [from, to).
    let loose = try series.sliced(from: instant("2026-01-05T00:30:00Z"), to: instant("2026-01-05T09:00:00Z"))
    #expect(loose.valuesPerMinute == [2, 3, 4])
  }

  @Test("growth compounds with elapsed time")
  func growth() throws {
    let year = DemandSeries.secondsPerYear
    let series = try DemandSeries(start: Self.start, intervalSeconds: year / 2, valuesPerMinute: [100, 100, 100])
    let grown = try series.withGrowth(percentPerYear: 21)
    // After half a year x sqrt(1.21) = 1.1; after a year x 1.21.
    #expect(areClose(grown.valuesPerMinute, [100, 110, 121]))
    let shrunk = try series.withGrowth(percentPerYear: -19)
    #expect(areClose(shrunk.valuesPerMinute, [100, 90, 81]))
  }

  @Test("nonsense transform arguments are errors, not traps")
  func badArguments() throws {
    let series = try DemandSeries(start: Self.start, intervalSeconds: 60, valuesPerMinute: [1, 2])
    #expect(throws: WorkloadError.self) { try series.resampled(toIntervalSeconds: 0) }
    #expect(throws: WorkloadError.self) { try series.resampled(toIntervalSeconds: .nan) }
    #expect(throws: WorkloadError.self) { try series.resampled(toIntervalSeconds: 1e-9) }
    #expect(throws: WorkloadError.self) { try series.scaled(by: -1) }
    #expect(throws: WorkloadError.self) { try series.scaled(by: .infinity) }
    #expect(throws: WorkloadError.self) { try series.shifted(bySeconds: .nan) }
    #expect(throws: WorkloadError.self) { try series.withGrowth(percentPerYear: -100) }
    #expect(throws: WorkloadError.self) {
      try series.sliced(from: instant("2026-01-05T00:01:00Z"), to: instant("2026-01-05T00:00:00Z"))
    }
    do {
      _ = try series.sliced(from: instant("2026-02-01T00:00:00Z"), to: instant("2026-02-02T00:00:00Z"))
      Issue.record("expected an error")
    } catch {
      #expect(
        error.description
          == "DemandSeries.sliced(from:to:): from should be a range in which an interval of the series begins "
          + "(2026-01-05T00:00:00Z to 2026-01-05T00:02:00Z), found 2026-02-01T00:00:00Z to 2026-02-02T00:00:00Z")
    }
    do {
      _ = try series.scaled(by: -1)
    } catch {
      #expect(error.description == "DemandSeries.scaled(by:): factor should be a finite number >= 0, found -1.0")
    }
  }

  @Test("the series invariants are checked at construction")
  func invariants() throws {
    #expect(throws: WorkloadError.self) { try DemandSeries(start: Self.start, intervalSeconds: 0, valuesPerMinute: [1]) }
    #expect(throws: WorkloadError.self) { try DemandSeries(start: Self.start, intervalSeconds: 60, valuesPerMinute: []) }
    do {
      _ = try DemandSeries(start: Self.start, intervalSeconds: 60, valuesPerMinute: [1, -2])
    } catch {
      #expect(error.description == "DemandSeries: valuesPerMinute[1] should be a finite rate >= 0 units per minute, found -2.0")
    }
  }

  @Test("value(atOffsetSeconds:) reads the interval containing the offset")
  func valueAtOffset() throws {
    let series = try DemandSeries(start: Self.start, intervalSeconds: 300, valuesPerMinute: [10, 20])
    #expect(series.value(atOffsetSeconds: 0) == 10)
    #expect(series.value(atOffsetSeconds: 299.9) == 10)
    #expect(series.value(atOffsetSeconds: 300) == 20)
    #expect(series.value(atOffsetSeconds: 600) == nil)
    #expect(series.value(atOffsetSeconds: -1) == nil)
    #expect(series.value(atOffsetSeconds: .nan) == nil)
    #expect(series.count == 2)
    #expect(series.totalUnits == 150)
    #expect(series.end == instant("2026-01-05T00:10:00Z"))
  }
}
