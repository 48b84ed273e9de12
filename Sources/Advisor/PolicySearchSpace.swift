import AutoScaling
import Simulation

/// The policy parameters a search varies. Every axis is optional: nil keeps the current
/// configuration's value; a given axis must list at least one value. The variants are the
/// cartesian product of the given axes, in the order
/// `targetValues × warmupSeconds × stepThresholdScales × scheduledFloors × predictive`
/// (the last axis varies fastest), so variant `i` is the same on every run.
///
///     var space = PolicySearchSpace()
///     space.targetValues = PolicySearchSpace.range(40, through: 75, by: 5)  // 8 values
///     space.warmupSeconds = [120, 300]
///     space.predictive = [.off, .on(schedulingBufferSeconds: 300)]        // 32 variants
public struct PolicySearchSpace: Sendable, Equatable {
  /// The target value of every target tracking policy (percent for CPU, in 1...100 and
  /// below 100; requests per target for request count, > 0).
  public var targetValues: [Double]?
  /// The group's default instance warm-up (0...86400 s). A step policy's explicit
  /// `estimatedInstanceWarmupSeconds` is set to the same value.
  public var warmupSeconds: [SimTime]?
  /// Factors (> 0) applied to every step and simple policy's alarm threshold and to its
  /// step bounds (which are offsets from the threshold), so the steps keep their shape:
  /// 0.9 scales out at 54% instead of 60%.
  public var stepThresholdScales: [Double]?
  /// Scheduled minimum-size floors before the daily peaks found in the history.
  public var scheduledFloors: [ScheduledFloorSetting]?
  /// Predictive scaling off, or on (ForecastAndScale) with a scheduling buffer.
  public var predictive: [PredictiveSetting]?
  /// How daily peaks are found for `scheduledFloors`.
  public var peakDetection = PeakDetection()

  /// The most variants a search may have.
  public static let maximumVariantCount = 10_000

  public init(
    targetValues: [Double]? = nil, warmupSeconds: [SimTime]? = nil, stepThresholdScales: [Double]? = nil,
    scheduledFloors: [ScheduledFloorSetting]? = nil, predictive: [PredictiveSetting]? = nil
  ) {
    self.targetValues = targetValues
    self.warmupSeconds = warmupSeconds
    self.stepThresholdScales = stepThresholdScales
    self.scheduledFloors = scheduledFloors
    self.predictive = predictive
  }

  /// `start, start + step, ...` up to `end` inclusive (within 1e-9 × step), computed as
  /// `start + k × step` so that no rounding accumulates: `range(40, through: 75, by: 5)`.
  public static func range(_ start: Double, through end: Double, by step: Double) -> [Double] {
    guard step > 0, start.isFinite, end.isFinite, end >= start else { return [] }
    let count = Int(((end - start) / step + 1e-9).rounded(.down)) + 1
    return (0..<count).map { start + Double($0) * step }
  }

  /// The number of variants the given axes make (1 per axis left nil).
  public var variantCount: Int {
    [targetValues?.count, warmupSeconds?.count, stepThresholdScales?.count, scheduledFloors?.count, predictive?.count]
      .reduce(1) { product, count in product.multipliedReportingOverflow(by: count ?? 1).partialValue }
  }
}

/// A scheduled floor option: none, or min size raised `leadMinutes` before each daily peak
/// window and set back to the group's min size when the window closes.
public enum ScheduledFloorSetting: Sendable, Equatable, Hashable, CustomStringConvertible {
  case none
  /// The floor is `ceil(peakShare × peak demand / capacityUnitsPerMinute)` instances: the
  /// instances that serve `peakShare` of the peak's mean demand at 100% CPU (0.75 sizes
  /// for three quarters of the peak). `leadMinutes` in 0...720, `peakShare` in (0, 2].
  case beforePeaks(leadMinutes: Int, peakShare: Double)

  public var description: String {
    switch self {
    case .none: "no floor"
    case .beforePeaks(let lead, let share): "floor \(PolicySearchFormat.number(share * 100))% of peak \(lead) min early"
    }
  }
}

/// A predictive scaling option.
public enum PredictiveSetting: Sendable, Equatable, Hashable, CustomStringConvertible {
  /// Every predictive policy removed.
  case off
  /// Every predictive policy set to ForecastAndScale with this buffer (0...3600 s); with
  /// none in the current policies, one is added on the first target tracking policy's
  /// metric and (varied) target value.
  case on(schedulingBufferSeconds: SimTime)

  public var description: String {
    switch self {
    case .off: "predictive off"
    case .on(let buffer): "predictive buffer \(PolicySearchFormat.number(buffer)) s"
    }
  }
}

/// How the daily peaks of the history are found (for scheduled floors): the history's
/// average day (mean demand per tick of the day over all days, in `bucketMinutes` buckets,
/// smoothed by a circular 3-bucket moving average) is searched for its `peakCount` highest
/// local maxima; each peak's window is the run of buckets around it at or above
/// `windowShareOfPeak` × its value. A peak must lie above the average day's mean, so a flat
/// day has none.
public struct PeakDetection: Sendable, Equatable {
  /// 1...6.
  public var peakCount = 2
  /// Minutes per bucket of the average day, dividing 1440 (default 15).
  public var bucketMinutes = 15
  /// In (0, 1): 0.5 takes the half-maximum width.
  public var windowShareOfPeak = 0.5

  public init(peakCount: Int = 2, bucketMinutes: Int = 15, windowShareOfPeak: Double = 0.5) {
    self.peakCount = peakCount
    self.bucketMinutes = bucketMinutes
    self.windowShareOfPeak = windowShareOfPeak
  }
}
