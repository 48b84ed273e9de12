import Foundation
import Results
import Testing
import Workload

@testable import Scenario

/// The day the run report's busiest-day timeline shows: local days, whole days first,
/// daylight-saving days of 23 hours, and the bucketed series.
@Suite struct BusiestDayTests {
  static func hourly(_ start: String, _ values: [Double]) throws -> DemandSeries {
    let date = try #require(ISO8601DateFormatter().date(from: start))
    return try DemandSeries(start: date, intervalSeconds: 3_600, valuesPerMinute: values)
  }

  // Hourly ticks from 2026-03-02 00:00 in Seoul (UTC+9, no daylight saving): day 1 has
  // 24 × 10, day 2 24 × 10 except one hour at 100 (+90), day 3 24 × 10. Day 2 wins and
  // holds ticks 24..<48.
  @Test func `the local day with the most demand, ticks of that day in the scenario's zone`() throws {
    let values = (0..<72).map { $0 == 30 ? 100.0 : 10.0 }
    let day = try #require(
      ScenarioRunner.busiestDay([try Self.hourly("2026-03-01T15:00:00Z", values)], timeZone: TimeZone(identifier: "Asia/Seoul")!))
    #expect(day == ScenarioRunner.BusiestDay(date: "2026-03-03", ticks: 24..<48))
  }

  // The window starts at 12:00 local: the first, partial day (12 hours at 1,000) has the
  // most demand, but a whole day (24 × 10 = 240 vs 24 × 11 = 264) is chosen when one exists.
  // Several series (services) are added up: the second series makes day 3 the busiest.
  @Test func `a whole day is preferred to a busier partial one, and services add up`() throws {
    let zone = TimeZone(identifier: "UTC")!
    let first = try Self.hourly("2026-03-02T12:00:00Z", Array(repeating: 1_000, count: 12) + Array(repeating: 10, count: 48))
    #expect(ScenarioRunner.busiestDay([first], timeZone: zone) == ScenarioRunner.BusiestDay(date: "2026-03-03", ticks: 12..<36))
    let second = try Self.hourly("2026-03-02T12:00:00Z", Array(repeating: 0, count: 36) + Array(repeating: 1, count: 24))
    #expect(
      ScenarioRunner.busiestDay([first, second], timeZone: zone) == ScenarioRunner.BusiestDay(date: "2026-03-04", ticks: 36..<60))
    // A window shorter than a day: the partial day it has.
    let short = try Self.hourly("2026-03-02T12:00:00Z", [1, 2, 3])
    #expect(ScenarioRunner.busiestDay([short], timeZone: zone) == ScenarioRunner.BusiestDay(date: "2026-03-02", ticks: 0..<3))
  }

  // New York springs forward on Sunday 2026-03-08 (02:00 EST -> 03:00 EDT): that local day
  // has 23 hourly ticks, from 05:00Z on the 8th to 04:00Z on the 9th.
  @Test func `a daylight-saving day has 23 hours`() throws {
    let values = (0..<96).map { $0 >= 24 && $0 < 47 ? 50.0 : 10.0 }
    let day = try #require(
      ScenarioRunner.busiestDay(
        [try Self.hourly("2026-03-07T05:00:00Z", values)], timeZone: TimeZone(identifier: "America/New_York")!))
    #expect(day == ScenarioRunner.BusiestDay(date: "2026-03-08", ticks: 24..<47))
  }

  // Ten 1-minute ticks into two 5-minute buckets: means, and the worst p99 ignoring
  // ticks without requests (NaN); a bucket with none stays NaN.
  @Test func `one-minute ticks become 5-minute means, p99 the bucket's worst`() {
    let day = DayTimeline.bucketed(
      date: "2026-03-02", firstTick: 1_440, tickSeconds: 60, demandPerMinute: [1, 2, 3, 4, 5, 10, 10, 10, 10, 10],
      inService: [1, 1, 1, 1, 2, 3, 3, 3, 3, 3], cpuPercent: [10, 20, 30, 40, 50, 0, 0, 0, 0, 100],
      delayedPerMinute: [0, 0, 0, 0, 5, 0, 0, 0, 0, 0],
      latencyP99Seconds: [0.1, .nan, 0.4, 0.2, .nan, .nan, .nan, .nan, .nan, .nan])
    #expect(day.bucketSeconds == 300 && day.startSeconds == 86_400)
    #expect(day.demandPerMinute == [3, 10])
    #expect(day.inService == [1.2, 3])
    #expect(day.cpuPercent == [30, 20])
    #expect(day.delayedPerMinute == [1, 0])
    #expect(day.latencyP99Seconds?[0] == 0.4)
    #expect(day.latencyP99Seconds?[1].isNaN == true)
    // Hourly ticks stay as they are.
    #expect(DayTimeline.bucketSeconds(forTick: 3_600) == 3_600)
    #expect(DayTimeline.bucketSeconds(forTick: 7) == 7)
    #expect(DayTimeline.bucketSeconds(forTick: 15) == 300)
  }
}
