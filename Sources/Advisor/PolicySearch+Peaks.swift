import Simulation

/// A daily demand peak of the history's average day (see `PeakDetection`). Times of day
/// are relative to the history's start (engine time 0 is second 0 of day 0).
public struct DailyPeak: Sendable, Equatable {
  /// Where the peak's window opens, [0, 86400).
  public var startSecondOfDay: SimTime
  /// The window's length; it may run past midnight.
  public var durationSeconds: SimTime
  /// The start of the busiest bucket in the window, [0, 86400).
  public var peakSecondOfDay: SimTime
  /// The busiest bucket's mean demand over the history's days, units per minute.
  public var peakDemandPerMinute: Double

  public init(startSecondOfDay: SimTime, durationSeconds: SimTime, peakSecondOfDay: SimTime, peakDemandPerMinute: Double) {
    self.startSecondOfDay = startSecondOfDay
    self.durationSeconds = durationSeconds
    self.peakSecondOfDay = peakSecondOfDay
    self.peakDemandPerMinute = peakDemandPerMinute
  }
}

extension PolicySearch {
  /// The daily peaks of `demandPerMinute`'s average day, in time-of-day order. Needs at
  /// least one whole day of history and a tick that divides a bucket.
  /// - Complexity: O(ticks + buckets × peakCount).
  /// With `clock`, ticks are averaged by local time of day (see `LocalClock`).
  public static func dailyPeaks(
    demandPerMinute: [Double], tickSeconds: SimTime, detection: PeakDetection = PeakDetection(),
    clock: LocalClock = LocalClock()
  ) throws(AdvisorError) -> [DailyPeak] {
    let bucketSeconds = SimTime.minutes(Double(detection.bucketMinutes))
    let ticksPerBucket = bucketSeconds / tickSeconds
    guard tickSeconds > 0, ticksPerBucket >= 1, ticksPerBucket == ticksPerBucket.rounded() else {
      throw .invalidInput(
        "policy search: peak detection needs a tick that divides \(detection.bucketMinutes) minutes, found \(tickSeconds) s")
    }
    guard Double(demandPerMinute.count) * tickSeconds >= 86_400 else {
      throw .invalidInput(
        "policy search: 'scheduledFloors' needs at least one day of history to find the daily peaks, found \(Double(demandPerMinute.count) * tickSeconds / 3_600) hours")
    }
    let bucketCount = 1_440 / detection.bucketMinutes
    var sums = [Double](repeating: 0, count: bucketCount)
    var counts = [Double](repeating: 0, count: bucketCount)
    for (k, value) in demandPerMinute.enumerated() {
      let bucket = min(bucketCount - 1, Int(clock.secondOfDay(Double(k) * tickSeconds) / bucketSeconds))
      sums[bucket] += value
      counts[bucket] += 1
    }
    let profile = (0..<bucketCount).map { counts[$0] > 0 ? sums[$0] / counts[$0] : 0 }
    func at(_ b: Int) -> Int { ((b % bucketCount) + bucketCount) % bucketCount }
    let smooth = (0..<bucketCount).map { b in (profile[at(b - 1)] + profile[b] + profile[at(b + 1)]) / 3 }
    let mean = smooth.reduce(0, +) / Double(bucketCount)
    // Local maxima above the mean (>= left, > right, so a plateau counts once).
    let candidates = (0..<bucketCount)
      .filter { b in smooth[b] > mean && smooth[b] >= smooth[at(b - 1)] && smooth[b] > smooth[at(b + 1)] }
      .sorted { (smooth[$0], -$0) > (smooth[$1], -$1) }
    var taken: [(left: Int, length: Int, top: Int)] = []
    var claimed = [Bool](repeating: false, count: bucketCount)
    for top in candidates where taken.count < detection.peakCount {
      let level = detection.windowShareOfPeak * smooth[top]
      var left = top
      var length = 1
      while length < bucketCount && smooth[at(left - 1)] >= level {
        left -= 1
        length += 1
      }
      while length < bucketCount && smooth[at(left + length)] >= level {
        length += 1
      }
      let buckets = (0..<length).map { at(left + $0) }
      if buckets.contains(where: { claimed[$0] }) { continue }
      for b in buckets { claimed[b] = true }
      taken.append((at(left), length, top))
    }
    return taken.map { window in
      let buckets = (0..<window.length).map { at(window.left + $0) }
      let busiest = buckets.max { (profile[$0], -$0) < (profile[$1], -$1) } ?? window.top
      return DailyPeak(
        startSecondOfDay: Double(window.left) * bucketSeconds, durationSeconds: Double(window.length) * bucketSeconds,
        peakSecondOfDay: Double(busiest) * bucketSeconds, peakDemandPerMinute: profile[busiest])
    }.sorted { $0.startSecondOfDay < $1.startSecondOfDay }
  }
}
