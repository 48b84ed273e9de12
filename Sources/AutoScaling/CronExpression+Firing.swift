import CivilCalendar
import Foundation

extension CronExpression {
  /// The instants the schedule fires in [start, end), in order, reading the fields as local
  /// wall-clock time in `timeZone` (AWS scheduled actions with a TimeZone follow daylight
  /// saving the same way).
  ///
  /// Daylight saving: a local time skipped when clocks move forward does not fire that day
  /// (a 02:30 job on the US spring-forward day); a local time that occurs twice when clocks
  /// move back fires once, at its first occurrence.
  ///
  /// Walks local calendar days and, on matching days only, the matching (hour, minute)
  /// pairs; days without a nearby offset change convert with one offset.
  /// - Complexity: O(days + firings), a handful of time-zone look-ups per day.
  public func firingDates(from start: Date, to end: Date, in timeZone: TimeZone) -> [Date] {
    guard start < end else { return [] }
    let startInstant = start.timeIntervalSince1970, endInstant = end.timeIntervalSince1970
    let secondsPerDay = Double(LocalTime.secondsPerDay)
    // One local day of margin on each side covers any UTC offset.
    let firstDay = Int((LocalTime.localSeconds(of: start, in: timeZone) / secondsPerDay).rounded(.down)) - 1
    let lastDay = Int((LocalTime.localSeconds(of: end, in: timeZone) / secondsPerDay).rounded(.down)) + 1
    let hours = matchingHours, minutes = matchingMinutes
    var firings: [Date] = []
    for day in firstDay...lastDay {
      let (_, month, dayOfMonth) = CivilTime.civilFromDays(day)
      guard matchesDay(month: month, day: dayOfMonth, weekday: CivilTime.weekday(ofDay: day)) else { continue }
      let dayStart = Double(day) * secondsPerDay
      let uniformOffset = LocalTime.uniformOffset(ofDay: day, in: timeZone)
      for hour in hours {
        for minute in minutes {
          let local = dayStart + Double(hour * 3_600 + minute * 60)
          let instant = uniformOffset.map { local - $0 } ?? LocalTime.instant(localSeconds: local, in: timeZone)
          guard let instant else { continue }  // skipped by a daylight-saving jump
          if instant >= startInstant && instant < endInstant {
            firings.append(Date(timeIntervalSince1970: instant))
          }
        }
      }
    }
    return firings
  }
}
