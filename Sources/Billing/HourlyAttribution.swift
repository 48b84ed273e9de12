/// Spreads per-second billed instance usage over clock-hours: the one place that decides
/// which hour a billed second falls in (``OnDemandBill`` and ``FleetBill`` both use it).
///
/// Hour `h` covers `[3600·h, 3600·(h+1))` seconds since scenario start. An instance group is
/// billed as running over `[start, start + ceil(end - start))` (``PerSecondBilling``'s
/// round-up extends its last second); those seconds fall into the hours they overlap. The
/// top-up of the 60-second minimum (`60 - ceil(end - start)` when positive) is charged in
/// the hour the instances started. So one instance never has more than 3600 billed seconds
/// in an hour, and the hours add up to `count × max(60, ceil(end - start))`.
enum HourlyAttribution {
  static let secondsPerHour: Double = 3_600

  /// One usage record's billing interval, attributed to `line` (a caller-chosen bucket).
  struct Interval {
    var line: Int
    var count: Double
    var start: Double, billedEnd: Double, topUpSeconds: Double
    var firstHour: Int, lastHour: Int
    /// `count × (end - start)`: lifetime before rounding and the minimum.
    var runningInstanceSeconds: Double
    /// `count × max(60, ceil(end - start))`.
    var billedInstanceSeconds: Double
  }

  /// The interval of `count` instances that ran from `start` to `end` (validated: finite,
  /// 0 <= start <= end).
  static func interval(line: Int, count: Int, start: Double, end: Double) -> Interval {
    let runningSeconds = end - start
    let wholeSeconds = PerSecondBilling.wholeSeconds(runningSeconds: runningSeconds)
    let billedSeconds = max(PerSecondBilling.minimumSeconds, wholeSeconds)
    let billedEnd = start + wholeSeconds
    let firstHour = Int((start / secondsPerHour).rounded(.down))
    let lastHour = max(firstHour, Int((billedEnd / secondsPerHour).rounded(.up)) - 1)
    let n = Double(count)
    return Interval(
      line: line, count: n, start: start, billedEnd: billedEnd,
      topUpSeconds: billedSeconds - wholeSeconds, firstHour: firstHour, lastHour: lastHour,
      runningInstanceSeconds: n * runningSeconds, billedInstanceSeconds: n * billedSeconds)
  }

  /// The changes each clock-hour brings, hour by hour (compressed by hour): seconds of
  /// partial hours and changes in the number of instances running full hours, per line, in
  /// record order. Replaying it gives every hour's seconds per line without holding a
  /// (hours × lines) table: memory O(intervals + lines).
  struct Schedule {
    struct Change {
      var line: Int32
      /// Adds `value` to the running full-hour instance count (true) or to this hour's
      /// partial seconds (false).
      var isCountChange: Bool
      var value: Double
    }
    let hourCount: Int
    let lineCount: Int
    /// Changes of hour `h`: `changes[hourStart[h]..<hourStart[h + 1]]`.
    private(set) var hourStart: [Int]
    private(set) var changes: [Change]

    /// `hourCount` must exceed every interval's `lastHour`.
    /// - Complexity: O(intervals + hourCount), a stable counting sort by hour: one pass
    ///   counts each hour's changes, a second writes them in place, in interval order within
    ///   an hour (the order `forEachHour` adds them in). No staging array: a sweep point
    ///   bills tens of thousands of intervals (measured: the staging was half of this).
    init(_ intervals: [Interval], lineCount: Int, hourCount: Int) {
      self.hourCount = hourCount
      self.lineCount = lineCount
      var hourStart = [Int](repeating: 0, count: hourCount + 1)
      for interval in intervals {
        let (first, last) = (interval.firstHour, interval.lastHour)
        precondition(last < hourCount, "interval ends in hour \(last), beyond hourCount \(hourCount)")
        if first == last {
          hourStart[first + 1] += 2
        } else {
          hourStart[first + 1] += 2
          hourStart[first + 2] += 1
          hourStart[last + 1] += 2
        }
      }
      for h in 0..<hourCount { hourStart[h + 1] += hourStart[h] }
      var next = hourStart
      var changes = [Change](repeating: Change(line: 0, isCountChange: false, value: 0), count: hourStart[hourCount])
      func place(_ hour: Int, _ change: Change) {
        changes[next[hour]] = change
        next[hour] += 1
      }
      for interval in intervals {
        let (first, last, count) = (interval.firstHour, interval.lastHour, interval.count)
        let line = Int32(interval.line)
        place(first, Change(line: line, isCountChange: false, value: count * interval.topUpSeconds))
        if first == last {
          place(first, Change(line: line, isCountChange: false, value: count * (interval.billedEnd - interval.start)))
        } else {
          place(first, Change(line: line, isCountChange: false, value: count * (Double(first + 1) * secondsPerHour - interval.start)))
          place(last, Change(line: line, isCountChange: false, value: count * (interval.billedEnd - Double(last) * secondsPerHour)))
          place(first + 1, Change(line: line, isCountChange: true, value: count))
          place(last, Change(line: line, isCountChange: true, value: -count))
        }
      }
      self.hourStart = hourStart
      self.changes = changes
    }

    /// Replays the schedule: calls `body(h, seconds)` for each hour in order, `seconds[line]`
    /// being the billed instance-seconds of that line in hour `h` (the buffer is reused).
    func forEachHour(_ body: (Int, [Double]) throws -> Void) rethrows {
      var fullHourInstances = [Double](repeating: 0, count: lineCount)
      var seconds = [Double](repeating: 0, count: lineCount)
      for h in 0..<hourCount {
        for line in 0..<lineCount { seconds[line] = 0 }
        for index in hourStart[h]..<hourStart[h + 1] {
          let change = changes[index]
          let line = Int(change.line)
          if change.isCountChange {
            fullHourInstances[line] += change.value
          } else {
            seconds[line] += change.value
          }
        }
        // Counts are whole numbers, so the running sum is exact.
        for line in 0..<lineCount { seconds[line] += fullHourInstances[line] * secondsPerHour }
        try body(h, seconds)
      }
    }
  }

  /// Billed instance-seconds per (hour, line), hour-major: entry `h * lineCount + line`.
  /// `hourCount` must exceed every interval's `lastHour`.
  /// - Complexity: O(intervals + hourCount × lineCount).
  static func hourlySeconds(_ intervals: [Interval], lineCount: Int, hourCount: Int) -> [Double] {
    var result = [Double](repeating: 0, count: hourCount * lineCount)
    Schedule(intervals, lineCount: lineCount, hourCount: hourCount).forEachHour { h, seconds in
      for line in 0..<lineCount { result[h * lineCount + line] = seconds[line] }
    }
    return result
  }

  /// Checks one usage record's times and count; `allowsSpot` false rejects Spot records.
  /// - Throws: `BillingError.invalidUsage` naming the record, field, expectation and value.
  static func validate(_ record: InstanceUsage, index: Int, allowsSpot: Bool) throws {
    try validateTimesAndCount(
      startSeconds: record.startSeconds, endSeconds: record.endSeconds, count: record.count, index: index)
    try validatePurchase(
      record.purchaseOption, region: record.region, availabilityZone: record.availabilityZone, index: index,
      allowsSpot: allowsSpot)
  }

  /// `validate`'s checks of times and count.
  @inline(__always)
  static func validateTimesAndCount(startSeconds start: Double, endSeconds end: Double, count: Int, index: Int) throws {
    let maximumSeconds = OnDemandBill.maximumSeconds
    guard start.isFinite, start >= 0, start <= maximumSeconds else {
      throw BillingError.invalidUsage(
        record: index, field: "startSeconds",
        expected: "a finite number of seconds from 0 to \(Int(maximumSeconds))", found: "\(start)")
    }
    guard end.isFinite, end >= start, end <= maximumSeconds else {
      throw BillingError.invalidUsage(
        record: index, field: "endSeconds",
        expected: "a finite number of seconds from startSeconds (\(start)) to "
          + "\(Int(maximumSeconds))",
        found: "\(end)")
    }
    guard (0...OnDemandBill.maximumCountPerRecord).contains(count) else {
      throw BillingError.invalidUsage(
        record: index, field: "count",
        expected: "an integer from 0 to \(OnDemandBill.maximumCountPerRecord)",
        found: "\(count)")
    }
  }

  /// `validate`'s checks of the purchase option and the zone.
  static func validatePurchase(
    _ purchaseOption: PurchaseOption, region: String, availabilityZone: String?, index: Int, allowsSpot: Bool
  ) throws {
    guard allowsSpot || purchaseOption == .onDemand else {
      throw BillingError.invalidUsage(
        record: index, field: "purchaseOption",
        expected: "onDemand (OnDemandBill prices on-demand usage only; use FleetBill for Spot)",
        found: "\(purchaseOption)")
    }
    if let zone = availabilityZone {
      guard zone.count > region.count, zone.hasPrefix(region) else {
        throw BillingError.invalidUsage(
          record: index, field: "availabilityZone",
          expected: "nil (unknown) or a zone of region \(region), like \(region)a",
          found: "'\(zone)'")
      }
    }
  }
}
