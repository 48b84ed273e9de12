import AutoScaling
import CivilCalendar
import Foundation
import Results
import Workload

extension ScenarioRunner {
  /// The local calendar day a report's busiest-day timeline shows.
  struct BusiestDay: Equatable {
    /// "yyyy-MM-dd" in the scenario's time zone.
    var date: String
    /// The ticks (of the shared grid) whose start falls in that day.
    var ticks: Range<Int>
  }

  /// The local day (the scenario's time zone) with the most demand units over all
  /// `demands` (one grid: same start, tick and length), counting only days the window holds
  /// whole when there is one; the earliest on a tie. Nil for an empty window.
  static func busiestDay(_ demands: [DemandSeries], timeZone: TimeZone) -> BusiestDay? {
    guard let grid = demands.first, grid.count > 0, grid.intervalSeconds > 0 else { return nil }
    let start = grid.start.timeIntervalSince1970
    let tick = grid.intervalSeconds
    let tickCount = grid.count
    // Tick k belongs to the local day its start falls in; a day's ticks run from the first
    // tick starting at or after its midnight to the first starting at or after the next.
    func firstTick(atOrAfter instant: Double) -> Int {
      min(tickCount, max(0, Int(((instant - start) / tick).rounded(.up))))
    }
    func midnight(_ day: Int) -> Double {
      let local = Double(day * LocalTime.secondsPerDay)
      // A daylight-saving jump over midnight: the day starts at the first instant after it.
      return LocalTime.instant(localSeconds: local, in: timeZone)
        ?? local - LocalTime.offset(timeZone, at: local - 15 * 3_600)
    }
    let firstDay = Int((LocalTime.localSeconds(of: grid.start, in: timeZone) / Double(LocalTime.secondsPerDay)).rounded(.down))
    let end = start + Double(tickCount) * tick
    var days: [(day: Int, ticks: Range<Int>, whole: Bool)] = []
    var day = firstDay
    var dayStart = start
    while dayStart < end {
      let next = midnight(day + 1)
      let ticks = firstTick(atOrAfter: dayStart)..<firstTick(atOrAfter: next)
      if !ticks.isEmpty { days.append((day, ticks, midnight(day) >= start && next <= end)) }
      day += 1
      dayStart = next
    }
    let candidates = days.contains(where: \.whole) ? days.filter(\.whole) : days
    var best: (day: Int, ticks: Range<Int>, units: Double)?
    for candidate in candidates {
      var units = 0.0
      for demand in demands {
        for k in candidate.ticks where k < demand.count { units += demand.valuesPerMinute[k] }
      }
      if best == nil || units > best!.units { best = (candidate.day, candidate.ticks, units) }
    }
    guard let best else { return nil }
    let civil = CivilTime.civilFromDays(best.day)
    return BusiestDay(
      date: "\(CivilTime.pad(civil.year, 4))-\(CivilTime.pad(civil.month, 2))-\(CivilTime.pad(civil.day, 2))",
      ticks: best.ticks)
  }

  /// The simulated fleet's timeline through `day`, bucketed for the report.
  static func dayTimeline(_ fleet: SimulatedFleet, day: BusiestDay) -> DayTimeline? {
    guard let timeline = fleet.result.timeline else { return nil }
    let offset = day.ticks.lowerBound - timeline.firstTick
    guard offset >= 0, offset + day.ticks.count <= timeline.inService.count,
      day.ticks.upperBound <= fleet.unit.demand.count
    else { return nil }
    let local = offset..<(offset + day.ticks.count)
    let p99 = timeline.latencyP99Seconds
    return DayTimeline.bucketed(
      date: day.date, firstTick: day.ticks.lowerBound, tickSeconds: fleet.unit.demand.intervalSeconds,
      demandPerMinute: Array(fleet.unit.demand.valuesPerMinute[day.ticks]), inService: Array(timeline.inService[local]),
      cpuPercent: Array(timeline.cpuUtilization[local]), delayedPerMinute: Array(timeline.delayedPerMinute[local]),
      latencyP99Seconds: p99.count >= day.ticks.upperBound ? Array(p99[day.ticks]) : nil)
  }
}
