import Foundation
import Simulation

/// Engine time against the scenario's wall clock. Engine time 0 is second 0 of day 0 (the
/// history's start); when the clocks change (daylight saving), local time of day moves
/// against engine time, and this records by how much from when. Daily floors and peaks are
/// placed by local time of day, so an 11:30 floor stays at 11:30 after the change, as a
/// cron in the group's time zone does. No shifts: local time of day is engine time modulo
/// a day.
public struct LocalClock: Sendable, Equatable {
  public struct Shift: Sendable, Equatable {
    /// Engine seconds from which the shift applies.
    public var at: SimTime
    /// Local clock minus engine time of day, in seconds (e.g. -3600 after clocks go back).
    public var seconds: SimTime

    public init(at: SimTime, seconds: SimTime) {
      self.at = at
      self.seconds = seconds
    }
  }

  /// In time order; before the first, the shift is 0.
  public var shifts: [Shift]

  public init(shifts: [Shift] = []) {
    self.shifts = shifts.sorted { $0.at < $1.at }
  }

  /// The zone's clock changes between `start` and `end`, against engine time from `start`.
  public init(from start: Date, to end: Date, in zone: TimeZone) {
    let base = zone.secondsFromGMT(for: start)
    var shifts: [Shift] = []
    var after = start
    while let next = zone.nextDaylightSavingTimeTransition(after: after), next < end {
      shifts.append(Shift(at: next.timeIntervalSince(start), seconds: Double(zone.secondsFromGMT(for: next) - base)))
      after = next
    }
    self.init(shifts: shifts)
  }

  public func shift(at t: SimTime) -> SimTime {
    shifts.last { $0.at <= t }?.seconds ?? 0
  }

  /// Local second of day at engine time `t`, in [0, 86400).
  public func secondOfDay(_ t: SimTime) -> SimTime {
    let local = (t + shift(at: t)).truncatingRemainder(dividingBy: 86_400)
    return local < 0 ? local + 86_400 : local
  }

  /// Engine times in [from, to) whose local second of day is `secondOfDay`, in order. In the
  /// hour the clocks go back a time may come twice; in the hour they go forward, not at all.
  public func times(ofSecondOfDay secondOfDay: SimTime, from: SimTime, to: SimTime) -> [SimTime] {
    guard to > from else { return [] }
    var times: [SimTime] = []
    // Each shift that is ever in force, largest first (so a local time's engine times come out in order).
    let candidates = Array(Set(shifts.map(\.seconds) + [0])).sorted(by: >)
    var day = ((from + candidates.last!) / 86_400).rounded(.down) - 1
    while true {
      let local = day * 86_400 + secondOfDay
      // Engine time of that local time: try each shift, keep the ones in force then.
      for s in candidates {
        let t = local - s
        if t >= from, t < to, shift(at: t) == s { times.append(t) }
      }
      if local - candidates[0] >= to { break }
      day += 1
    }
    return times
  }
}
