import Foundation

/// A scheduled action as written: a cron recurrence or a single time, in the scenario's
/// time zone, and the sizes it sets (at least one). The engine runs its expansion
/// (`scheduledAction(from:to:in:)`); exports write it as it is.
public struct ScheduledActionDefinition: Sendable, Equatable {
  public enum Schedule: Sendable, Equatable {
    case recurrence(CronExpression)
    case at(Date)
  }

  public var name: String
  public var schedule: Schedule
  public var minSize: Int?
  public var maxSize: Int?
  public var desiredCapacity: Int?

  public init(
    name: String, schedule: Schedule, minSize: Int? = nil, maxSize: Int? = nil, desiredCapacity: Int? = nil
  ) {
    self.name = name
    self.schedule = schedule
    self.minSize = minSize
    self.maxSize = maxSize
    self.desiredCapacity = desiredCapacity
  }

  /// The instants the action fires in [start, end), in order.
  public func firingDates(from start: Date, to end: Date, in timeZone: TimeZone) -> [Date] {
    switch schedule {
    case .recurrence(let cron): cron.firingDates(from: start, to: end, in: timeZone)
    case .at(let date): date >= start && date < end ? [date] : []
    }
  }

  /// The engine's form: firing times as seconds since `start` (the simulation start), for
  /// firings in [start, end).
  public func scheduledAction(from start: Date, to end: Date, in timeZone: TimeZone) -> ScheduledAction {
    ScheduledAction(
      name: name,
      firingTimes: firingDates(from: start, to: end, in: timeZone).map { $0.timeIntervalSince(start) },
      minSize: minSize, maxSize: maxSize, desiredCapacity: desiredCapacity)
  }
}

extension ScheduledActionDefinition {
  /// "lunch-floor: scheduled cron 30 11 * * *: min 22" (when, and the sizes it sets).
  public var summary: String {
    var parts: [String] = []
    if let minSize { parts.append("min \(minSize)") }
    if let maxSize { parts.append("max \(maxSize)") }
    if let desiredCapacity { parts.append("desired \(desiredCapacity)") }
    let when: String
    switch schedule {
    case .recurrence(let cron): when = "cron \(cron)"
    case .at(let date): when = "at \(date)"
    }
    return "\(name): scheduled \(when): \(parts.joined(separator: ", "))"
  }
}
