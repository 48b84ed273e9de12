import Advisor
import AutoScaling
import Billing
import Forecasting

/// What `capsim recommend` asks of the advisor, beyond the scenario itself.
public struct RecommendationOptions: Sendable {
  /// The variant whose policies are "current" (default: the first). Ignored with services.
  public var currentVariant: String?
  public var objective = PolicySearchObjective.minimumCost(ServiceLevelObjective(metric: .delayedShare, limit: 0.001))
  /// A fleet whose scenario gives `serving:` and a latency `slo:` is searched against that
  /// latency SLO (keeping a weighted objective's weight) unless the caller chose an SLO.
  public var usesScenarioLatencySLO = true
  /// Latency objective: variants re-run request by request after the queueing ranking.
  public var requestLevelCandidates = 5
  /// nil = `RecommendationOptions.defaultSpace(for:)`.
  public var space: PolicySearchSpace?
  /// Demand forecast used for policy search paths and commitment planning.
  public var forecastDays = 14
  public var forecastPaths = 8
  public var holidays: HolidayCalendar?
  /// Commitments: which may be bought, caps, curve and ladder.
  public var offerings = CommitmentOfferings()
  public var caps = CommitmentCaps()
  public var ladderMonths: Int?
  /// Hold out the last N days: recommend from the rest, bill these days as they happened.
  public var backtestDays: Int?
  /// Backtest from this many origins: the usual split, then the history cut
  /// `backtestStepDays` earlier each time (see `RollingBacktest`).
  public var backtestOrigins = 1
  public var backtestStepDays = 7
  public var workerCount: Int?
  /// Told `(fleet, done, total)` simulations while each policy search runs (a progress
  /// line); nil for none. Never changes a result.
  public var progress: (@Sendable (_ fleet: String, _ done: Int, _ total: Int) -> Void)?
  /// How many of the cheapest SLO-meeting variants are compared with their own optimal
  /// commitments to choose the policy (1 = choose on On-Demand cost alone).
  public var commitmentAwareCandidates = 5
  /// `--types`: the instance types to search (each fleet's own type always is, as the
  /// baseline); nil = every type the fleet's capacity map lists.
  public var instanceTypes: [String]?
  /// Policy-search runs made by the shards of `capsim recommend --shard` (nil: simulate
  /// every run here). Never changes a result: a recorded run is the run.
  public var recordedRuns: PolicyRunLedger?
  /// Names one backtest origin's searches in `recordedRuns` ("" for the first).
  var searchNamePrefix = ""

  public init() {}

  /// Targets 40-75% step 5 on the current target tracking policies, warm-up as is or
  /// 60/180 s, scheduled floors off or at 75% of each daily peak 30 minutes early,
  /// predictive off or on with a 300 or 600 s buffer: 8 x 3 x 2 x 3 = 144 variants.
  public static func defaultSpace(for policies: [ScalingPolicy]) -> PolicySearchSpace {
    var space = PolicySearchSpace()
    if policies.contains(where: { if case .targetTracking = $0 { true } else { false } }) {
      space.targetValues = PolicySearchSpace.range(40, through: 75, by: 5)
      space.predictive = [.off, .on(schedulingBufferSeconds: 300), .on(schedulingBufferSeconds: 600)]
    }
    if policies.contains(where: { if case .step = $0 { true } else { false } }) {
      space.stepThresholdScales = [0.8, 0.9, 1, 1.1, 1.2]
    }
    space.warmupSeconds = [60, 180, 300]
    space.scheduledFloors = [.none, .beforePeaks(leadMinutes: 30, peakShare: 0.75)]
    return space
  }

  /// The default space reaching further towards capacity, searched when no variant of the
  /// default space meets the SLO (a spiky trace under a tight SLO): targets down to 15,
  /// step thresholds down to half. nil when that adds nothing for these policies.
  public static func widenedSpace(for policies: [ScalingPolicy]) -> PolicySearchSpace? {
    var space = defaultSpace(for: policies)
    var widened = false
    if space.targetValues != nil {
      space.targetValues = PolicySearchSpace.range(15, through: 75, by: 5)
      widened = true
    }
    if space.stepThresholdScales != nil {
      space.stepThresholdScales = [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2]
      widened = true
    }
    return widened ? space : nil
  }
}
