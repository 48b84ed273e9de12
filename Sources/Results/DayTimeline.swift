/// One local calendar day of a fleet, in buckets of a few minutes: what the report's
/// busiest-day timeline draws (demand, instances in service, CPU, latency) and the JSON
/// lists. Every value is a mean over the bucket's ticks, except `latencyP99Seconds`, the
/// bucket's worst tick.
public struct DayTimeline: Codable, Sendable, Equatable {
  /// The local day, "yyyy-MM-dd" in the scenario's time zone.
  public var date: String
  /// Engine seconds (since the window's start) at which the first bucket starts.
  public var startSeconds: Double
  public var bucketSeconds: Double
  /// Demand units per minute arriving.
  public var demandPerMinute: [Double]
  /// Instances in service (warming ones included, as the fluid model serves with them).
  public var inService: [Double]
  public var cpuPercent: [Double]
  /// Demand units per minute left waiting at the end of each tick.
  public var delayedPerMinute: [Double]
  /// Queueing and requests fidelity: the bucket's worst per-tick p99, seconds (NaN in a
  /// bucket without completed requests); nil in the fluid model.
  public var latencyP99Seconds: [Double]?

  public init(
    date: String, startSeconds: Double, bucketSeconds: Double, demandPerMinute: [Double], inService: [Double],
    cpuPercent: [Double], delayedPerMinute: [Double], latencyP99Seconds: [Double]? = nil
  ) {
    self.date = date
    self.startSeconds = startSeconds
    self.bucketSeconds = bucketSeconds
    self.demandPerMinute = demandPerMinute
    self.inService = inService
    self.cpuPercent = cpuPercent
    self.delayedPerMinute = delayedPerMinute
    self.latencyP99Seconds = latencyP99Seconds
  }

  /// The bucket length for ticks of `tickSeconds`: five minutes when ticks divide it,
  /// else one tick.
  public static func bucketSeconds(forTick tickSeconds: Double) -> Double {
    tickSeconds < 300 && (300 / tickSeconds).rounded() == 300 / tickSeconds ? 300 : tickSeconds
  }

  /// Per-tick series of one day (`firstTick` is the day's first tick in the window) into
  /// buckets of `bucketSeconds(forTick:)`. All arrays have the same length; a last bucket
  /// with fewer ticks is the mean of those it has.
  public static func bucketed(
    date: String, firstTick: Int, tickSeconds: Double, demandPerMinute: [Double], inService: [Int], cpuPercent: [Double],
    delayedPerMinute: [Double], latencyP99Seconds: [Double]?
  ) -> DayTimeline {
    let bucket = bucketSeconds(forTick: tickSeconds)
    let ticksPerBucket = max(1, Int((bucket / tickSeconds).rounded()))
    let count = demandPerMinute.count
    func means(_ values: [Double]) -> [Double] {
      stride(from: 0, to: count, by: ticksPerBucket).map { first in
        let slice = values[first..<min(count, first + ticksPerBucket)]
        return slice.reduce(0, +) / Double(slice.count)
      }
    }
    let worst = latencyP99Seconds.map { p99 in
      stride(from: 0, to: count, by: ticksPerBucket).map { first in
        p99[first..<min(count, first + ticksPerBucket)].filter { !$0.isNaN }.max() ?? .nan
      }
    }
    return DayTimeline(
      date: date, startSeconds: Double(firstTick) * tickSeconds, bucketSeconds: bucket,
      demandPerMinute: means(demandPerMinute), inService: means(inService.map(Double.init)), cpuPercent: means(cpuPercent),
      delayedPerMinute: means(delayedPerMinute), latencyP99Seconds: worst)
  }
}
