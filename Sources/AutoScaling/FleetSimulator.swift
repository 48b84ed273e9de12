import Simulation

/// Replays a demand curve against one Auto Scaling group and its policies at fluid
/// fidelity: demand is applied per tick in aggregate, spread evenly over the instances in
/// service; instances move pending -> in service (warming) -> in service (warmed) -> gone.
///
/// Order of work at every tick boundary `t` (deterministic):
/// 1. lifecycle events and scheduled actions due at or before `t`, in (time, insertion) order;
/// 2. the tick `[t, t + tick)` is served: CPU = demand / in-service capacity (capped at
///    100%), demand beyond capacity is *delayed* (served + delayed = demand);
/// 3. at `t + tick`, policies whose metric period ends there see the period's datapoint
///    (mean over its ticks; missing while no warmed instance is in service) and may change
///    desired capacity; launches and terminations happen at `t + tick`.
///
/// - Complexity: O(ticks × policies + launches × log(events) + terminations × live cohorts).
public enum FleetSimulator {
  public static func run(_ input: FleetSimulationInput) throws(AutoScalingError) -> FleetSimulationResult {
    try run(input, usesFastPath: true)
  }

  /// - Parameter usesFastPath: false keeps every run on the general tick loop (the
  ///   reference `FluidFastPathTests` compares the specialised loop with).
  static func run(_ input: FleetSimulationInput, usesFastPath: Bool) throws(AutoScalingError) -> FleetSimulationResult {
    try input.validate()
    var forecast = input.predictiveForecast
    if forecast == nil && input.policies.contains(where: \.isPredictive) {
      forecast = PredictiveLoadForecast(
        demandPerMinute: input.demandPerMinute, tickSeconds: input.tickSeconds,
        forecaster: SeasonalRegressionLoadForecaster())
    }
    var engine = FleetEngine(input: input, predictiveForecast: forecast)
    engine.usesFastPath = usesFastPath
    switch input.fidelity {
    case .fluid:
      let options = input.group.typeOptions
      var server = FluidServer(
        demandPerMinute: input.demandPerMinute, capacityPerInstance: input.group.capacityUnitsPerMinute,
        capacityByType: options.count > 1 ? options.map(\.capacityUnitsPerMinute) : nil)
      return engine.run(server: &server)
    case .queueing:
      var server = QueueingServer(input: input)
      return engine.run(server: &server)
    case .requests:
      var server = RequestServer(input: input)
      return engine.run(server: &server)
    }
  }
}

/// Instances launched together at one time that share their lifecycle.
struct Cohort {
  /// `impaired`: running (billed) but serving nothing: its zone is lost and the group's
  /// health checks have not found it yet.
  enum Stage { case pending, warming, warmed, impaired }
  var count: Int
  let launchedAt: SimTime
  var readyAt: SimTime
  var stage: Stage
  /// Spot or On-Demand, per the group's instances distribution.
  let isSpot: Bool
  /// Index of the group's Availability Zone (0 with one zone).
  var zone = 0
  /// Index into the group's instance types (0 with one type).
  var type = 0
  /// Launched beside the fleet (a Capacity Rebalancing replacement, a zone rebalance):
  /// left out of the capacity the group scales until it is in service.
  var isSurplus = false
  /// A Capacity Rebalancing replacement: the at-risk cohort it replaces.
  var replaces: Int?
  /// An at-risk Spot instance: the replacement launched for it, while pending.
  var replacedBy: Int?
  /// An at-risk Spot instance (its interruption is scheduled).
  var isAtRisk = false
  /// Launched to rebalance the zones after an outage.
  var isZoneRebalance = false
}

enum FleetEvent: Sendable {
  case ready(cohort: Int)
  case warmed(cohort: Int)
  case scheduled(action: Int)
  case predictive(step: Int)
  // Disruptions (FleetSimulator+Disruptions.swift).
  case spotWarning
  case spotInterruption(cohort: Int)
  case zoneDown(fault: Int)
  case zoneDetected(fault: Int)
  case zoneUp(fault: Int)
  case launchRetry
  case poolReady(batch: Int)
}

/// Alarm and accumulation state of one dynamic policy. Plain values only, so the per-tick
/// loop copies it in and out without reference counting.
struct PolicyRuntime {
  /// Where the policy's configuration lives: typed arrays keep the per-tick loop free of
  /// enum payload copies (measured: a third of the run time of a one-year simulation).
  enum Kind { case targetTracking(Int), step(Int), simple(Int), scheduled, predictive }
  let kind: Kind
  let metric: ScalingMetric
  let periodTicks: Int
  var periodSum = 0.0
  var periodSamples = 0
  // Target tracking: consecutive breaching datapoints of its high and low alarms.
  var highCount = 0
  var lowCount = 0
  var isLowAlarm = false
  var lowProposal = 0
  // Step and simple: the last evaluationPeriods datapoints as breach flags, kept in
  // FleetEngine.alarmHistory[historyStart ..< historyStart + evaluationPeriods] as a ring.
  let historyStart: Int
  let evaluationPeriods: Int
  var ringNext = 0
  var breachingInRing = 0
  var lockedUntil: SimTime = -.infinity

  init(kind: Kind, metric: ScalingMetric, periodTicks: Int, historyStart: Int, evaluationPeriods: Int) {
    self.kind = kind
    self.metric = metric
    self.periodTicks = periodTicks
    self.historyStart = historyStart
    self.evaluationPeriods = evaluationPeriods
  }
}

/// What a target tracking policy's evaluation reads, as plain numbers.
struct TargetTrackingRule {
  let targetValue: Double
  let disableScaleIn: Bool
  let scaleOutDatapoints: Int
  let scaleInDatapoints: Int
  let scaleInThresholdRatio: Double
  let scaleInMaxFraction: Double

  init(_ policy: TargetTrackingPolicy) {
    targetValue = policy.targetValue
    disableScaleIn = policy.disableScaleIn
    scaleOutDatapoints = policy.scaleOutDatapoints
    scaleInDatapoints = policy.scaleInDatapoints
    scaleInThresholdRatio = policy.scaleInThresholdRatio
    scaleInMaxFraction = policy.scaleInMaxFraction
  }
}

struct FleetEngine {
  let input: FleetSimulationInput
  let group: GroupConfiguration
  let tick: SimTime
  var random: RandomStream

  var minSize: Int
  var maxSize: Int
  var desired: Int
  var pending = 0
  var spotRunning = 0
  var warming = 0
  var warmed = 0
  var impaired = 0
  var running: Int { pending + warming + warmed + impaired }
  var inService: Int { warming + warmed }
  /// Surplus instances (pending replacements and zone rebalances) the group does not count
  /// yet; 0 without disruptions.
  var surplusPending = 0
  /// The instances the group counts against desired capacity.
  var scalingRunning: Int { running - surplusPending }
  // Disruptions (FleetSimulator+Disruptions.swift); inert without them.
  var disruptions = DisruptionState()

  var cohorts: [Cohort] = []
  var liveCohorts: [Int] = []
  var events = EventQueue<FleetEvent>()
  var runtimes: [PolicyRuntime] = []
  /// Indices into `runtimes` of the policies that read a metric every tick (target
  /// tracking, step, simple), in policy order.
  var metricPolicies: [Int] = []
  var alarmHistory: [Bool] = []
  /// The target tracking policies' numbers, without their names: passing the policy (and
  /// its name, a String) to the per-tick evaluation cost a retain and release every tick.
  var targetTrackingRules: [TargetTrackingRule] = []
  var stepPolicies: [StepScalingPolicy] = []
  var simplePolicies: [SimpleScalingPolicy] = []
  var participatingTargetTracking: [Int] = []
  // Predictive scaling (FleetSimulator+Predictive.swift).
  var predictivePolicies: [PredictiveScalingPolicy] = []
  var predictiveForecast: PredictiveLoadForecast?
  var predictiveSteps: [PredictiveFloorStep] = []
  var predictiveFloors: [Int] = []
  /// The highest floor of the ForecastAndScale policies now (0: none).
  var predictiveFloor = 0
  var hourlyInServiceSeconds: [Double] = []
  var hourlyCoveredSeconds: [Double] = []

  var lifetimes: [InstanceLifetime] = []
  var activities: [ScalingActivity] = []
  var statistics = FleetStatistics()
  var timeline: FleetTimeline?
  /// The warm pool (FleetSimulator+WarmPool.swift); empty without one.
  var pool = WarmPoolState()
  /// Whether a run that fits the specialised fluid loop takes it
  /// (FleetSimulator+FluidTicks.swift); tests turn it off to compare with the general loop.
  var usesFastPath = true

  init(input: FleetSimulationInput, predictiveForecast: PredictiveLoadForecast? = nil) {
    self.input = input
    self.group = input.group
    self.tick = input.tickSeconds
    self.random = input.random
    self.minSize = group.minSize
    self.maxSize = group.maxSize
    self.desired = group.initialCapacity
    for (index, policy) in input.policies.enumerated() {
      let period = policy.metricPeriodSeconds ?? tick
      let periodTicks = Int((period / tick).rounded())
      let runtime: PolicyRuntime
      switch policy {
      case .targetTracking(let p):
        runtime = PolicyRuntime(
          kind: .targetTracking(targetTrackingRules.count), metric: p.metric, periodTicks: periodTicks,
          historyStart: 0, evaluationPeriods: 0)
        targetTrackingRules.append(TargetTrackingRule(p))
        if !p.disableScaleIn { participatingTargetTracking.append(index) }
      case .step(let p):
        runtime = PolicyRuntime(
          kind: .step(stepPolicies.count), metric: p.alarm.metric, periodTicks: periodTicks,
          historyStart: alarmHistory.count, evaluationPeriods: p.alarm.evaluationPeriods)
        alarmHistory += Array(repeating: false, count: p.alarm.evaluationPeriods)
        stepPolicies.append(p)
      case .simple(let p):
        runtime = PolicyRuntime(
          kind: .simple(simplePolicies.count), metric: p.alarm.metric, periodTicks: periodTicks,
          historyStart: alarmHistory.count, evaluationPeriods: p.alarm.evaluationPeriods)
        alarmHistory += Array(repeating: false, count: p.alarm.evaluationPeriods)
        simplePolicies.append(p)
      case .scheduled(let action):
        runtime = PolicyRuntime(
          kind: .scheduled, metric: .averageCPUUtilization, periodTicks: 1, historyStart: 0, evaluationPeriods: 0)
        for time in action.firingTimes where time < input.durationSeconds {
          events.schedule(.scheduled(action: index), at: time)
        }
      case .predictive:
        runtime = PolicyRuntime(
          kind: .predictive, metric: .averageCPUUtilization, periodTicks: 1, historyStart: 0, evaluationPeriods: 0)
      }
      if policy.metricPeriodSeconds != nil { metricPolicies.append(index) }
      runtimes.append(runtime)
    }
    // A real (unique) buffer even when no policy has an alarm ring: the shared empty-array
    // singleton is never uniquely referenced, and the optimizer's hoisted uniqueness check
    // then re-created it on every tick (measured: 15% of a one-year run).
    alarmHistory.reserveCapacity(max(1, alarmHistory.count))
    if input.recordsTimeline {
      timeline = FleetTimeline()
      timeline!.firstTick = max(0, input.timelineTicks?.lowerBound ?? 0)
    }
    preparePredictive(forecast: predictiveForecast)
    disruptions = DisruptionState(input: input)
  }

  mutating func run<Server: TickServer>(server: inout Server) -> FleetSimulationResult {
    let initialOnDemand = onDemandTarget(forRunning: desired)
    for (count, isSpot) in [(initialOnDemand, false), (desired - initialOnDemand, true)] where count > 0 {
      // Spread over the zones as the group balances them, and over the types as the
      // allocation strategy would have launched them (one cohort per zone, type and option).
      _ = disruptions.balanceIntoTentative(count)
      for zone in 0..<disruptions.zoneCount where disruptions.tentative[zone] > 0 {
        for (type, share) in initialTypeShares(disruptions.tentative[zone], zone: zone, spot: isSpot) where share > 0 {
          liveCohorts.append(cohorts.count)
          cohorts.append(
            Cohort(
              count: share, launchedAt: 0, readyAt: -.infinity, stage: .warmed, isSpot: isSpot, zone: zone, type: type))
          if disruptions.isActive { disruptions.noteAdded(count: share, zone: zone, isSpot: isSpot, type: type) }
        }
      }
      if isSpot { spotRunning += count }
    }
    warmed = desired
    scheduleDisruptions()
    startWarmPool()
    // The common case (fluid, one instance type, no Spot exposure, at most one target
    // tracking policy reading every tick) runs a loop specialised for it; the general loop
    // below is its reference (FluidFastPathTests holds every figure equal).
    let (runningTicksSum, cpuSum) =
      if let uniform = server.uniformFluid, let rule = fastPathRule() {
        runFluidTicks(demandPerMinute: uniform.demandPerMinute, capacityPerInstance: uniform.capacityPerInstance, rule: rule)
      } else {
        serveTicks(server: &server)
      }
    let tickCount = input.demandPerMinute.count
    let end = input.durationSeconds
    if disruptions.accruesSpot && tickCount > 0 { accrueSpotExposure(from: end - tick, to: end) }
    applyEvents(through: end)
    finishWarmPool(at: end)
    for index in liveCohorts where cohorts[index].count > 0 {
      lifetimes.append(
        InstanceLifetime(
          count: cohorts[index].count, launchedAt: cohorts[index].launchedAt, terminatedAt: end,
          isSpot: cohorts[index].isSpot, zone: cohorts[index].zone, typeIndex: cohorts[index].type))
    }
    let ticks = Double(tickCount)
    statistics.durationSeconds = end
    statistics.meanInstances = ticks > 0 ? runningTicksSum / ticks : 0
    statistics.meanCPUUtilization = ticks > 0 ? cpuSum / ticks : 0
    statistics.instanceSeconds = lifetimes.reduce(0) { $0 + Double($1.count) * ($1.terminatedAt - $1.launchedAt) }
    if disruptions.isActive { statistics.disruptions = disruptions.statistics }
    server.finish(statistics: &statistics, timeline: &timeline)
    return FleetSimulationResult(
      lifetimes: lifetimes, statistics: statistics, activities: activities, timeline: timeline,
      predictiveForecasts: predictiveRecords(), warmPoolStoredIntervals: pool.storedIntervals)
  }

  /// Every tick in order, for any server and policies: lifecycle events, the tick served,
  /// statistics, policies evaluated at its end. Returns the sums of running instances and of
  /// CPU over the ticks.
  mutating func serveTicks<Server: TickServer>(server: inout Server) -> (runningTicks: Double, cpu: Double) {
    var runningTicksSum = 0.0
    var cpuSum = 0.0
    let tickMinutes = tick / 60
    let tickCount = input.demandPerMinute.count
    let recordsHourly = !hourlyInServiceSeconds.isEmpty
    let recordedTicks = input.timelineTicks ?? 0..<tickCount
    // A Bool, not `timeline != nil` in the loop: FleetTimeline is Equatable, so that
    // comparison is Optional's `!=`, which copies the timeline's arrays on every tick
    // (measured: a quarter of a year-long run with a one-day timeline).
    let recordsTimeline = timeline != nil
    // Only a policy on requests per target reads that metric (a division per tick saved).
    let readsRequestsPerTarget = metricPolicies.contains { runtimes[$0].metric != .averageCPUUtilization }
    for k in 0..<tickCount {
      let now = Double(k) * tick
      if disruptions.accruesSpot && k > 0 { accrueSpotExposure(from: now - tick, to: now) }
      // Most ticks have no event due: checked here, so that they skip the call.
      if let next = events.peekNextTime(), next <= now { applyEvents(through: now) }

      let serving = inService
      let outcome = server.serve(tick: k, start: now, inService: serving, cohorts: cohorts, liveCohorts: liveCohorts)
      let demandPerMinute = outcome.demandPerMinute
      let delayed = outcome.delayedPerMinute
      let cpu = outcome.cpu
      statistics.demandUnits += demandPerMinute * tickMinutes
      statistics.servedUnits += outcome.servedPerMinute * tickMinutes
      statistics.delayedUnits += delayed * tickMinutes
      statistics.peakInstances = max(statistics.peakInstances, running)
      runningTicksSum += Double(running)
      cpuSum += cpu
      if cpu > 80 { statistics.minutesAboveCPU80 += tickMinutes }
      if recordsHourly {
        HourlyBuckets.add(
          Double(serving), tickIndex: k, tickSeconds: tick, to: &hourlyInServiceSeconds, weights: &hourlyCoveredSeconds)
      }
      if recordsTimeline, recordedTicks.contains(k) {
        timeline!.desired.append(desired)
        timeline!.running.append(running)
        timeline!.inService.append(serving)
        timeline!.cpuUtilization.append(cpu)
        timeline!.delayedPerMinute.append(delayed)
      }
      // Warming instances serve but stay out of the aggregate (ASG-UG default instance
      // warmup); with none warmed the datapoint is missing.
      let cpuMetric: Double? = warmed > 0 ? cpu : nil
      let requestsPerTarget: Double? = warmed > 0 && readsRequestsPerTarget ? demandPerMinute / Double(serving) : nil
      evaluatePolicies(tickIndex: k, at: now + tick, cpu: cpuMetric, requestsPerTarget: requestsPerTarget)
    }
    return (runningTicksSum, cpuSum)
  }

  // MARK: Lifecycle

  mutating func applyEvents(through time: SimTime) {
    while let next = events.peekNextTime(), next <= time, let (at, event) = events.popNext() {
      switch event {
      case .ready(let index):
        guard cohorts[index].stage == .pending else { continue }
        let count = cohorts[index].count
        pending -= count
        if group.warmupSeconds > 0 {
          cohorts[index].stage = .warming
          warming += count
          events.schedule(.warmed(cohort: index), at: at + group.warmupSeconds)
        } else {
          cohorts[index].stage = .warmed
          warmed += count
        }
        if cohorts[index].isSurplus { surplusInService(index, at: at) }
      case .warmed(let index):
        guard cohorts[index].stage == .warming else { continue }
        cohorts[index].stage = .warmed
        warming -= cohorts[index].count
        warmed += cohorts[index].count
      case .scheduled(let actionIndex):
        guard case .scheduled(let action) = input.policies[actionIndex] else { continue }
        applyScheduledAction(action, at: at)
      case .predictive(let step):
        applyPredictiveStep(step, at: at)
      case .spotWarning:
        spotWarning(at: at)
      case .spotInterruption(let index):
        spotInterruption(index, at: at)
      case .zoneDown(let fault):
        zoneDown(fault, at: at)
      case .zoneDetected(let fault):
        zoneDetected(fault, at: at)
      case .zoneUp(let fault):
        zoneUp(fault, at: at)
      case .launchRetry:
        disruptions.retryScheduled = false
        fillToDesired(at: at)
      case .poolReady(let batch):
        warmPoolBatchReady(batch, at: at)
      }
    }
  }

  /// Sets min/max/desired as the action says. An action that would leave min above max is
  /// skipped, as AWS rejects it (documented in docs/scenario-format.md).
  mutating func applyScheduledAction(_ action: ScheduledAction, at time: SimTime) {
    let newMin = action.minSize ?? minSize
    let newMax = action.maxSize ?? maxSize
    guard newMin <= newMax else { return }
    minSize = newMin
    maxSize = newMax
    setDesired(action.desiredCapacity ?? desired, at: time, cause: action.name)
    reconcileWarmPool(at: time)
  }

  /// Clamps to the lower bound (min, or the predictive floor)...max, records the
  /// activity, and launches or terminates to match.
  mutating func setDesired(_ requested: Int, at time: SimTime, cause: String) {
    let value = min(max(requested, lowerBound), maxSize)
    guard value != desired else { return }
    if input.recordsActivities {
      activities.append(ScalingActivity(time: time, cause: cause, fromDesired: desired, toDesired: value))
    }
    if value > desired { statistics.scaleOutActions += 1 } else { statistics.scaleInActions += 1 }
    desired = value
    if scalingRunning < desired {
      launch(desired - scalingRunning, at: time)
    } else if scalingRunning > desired {
      terminate(scalingRunning - desired, at: time)
    }
    reconcileWarmPool(at: time)
  }

  /// On-Demand instances the instances distribution asks for when `running` instances run:
  /// the base, then `onDemandPercentageAboveBaseCapacity` percent of the rest, rounded up
  /// (capsim's assumption: the rounding AWS uses is not documented; up favours On-Demand).
  func onDemandTarget(forRunning running: Int) -> Int {
    let base = min(running, group.onDemandBaseCapacity)
    let above = running - base
    let percent = group.onDemandPercentageAboveBaseCapacity
    return base + (above * percent + 99) / 100
  }

  /// Launches `count` instances, On-Demand or Spot so that the fleet moves to the
  /// instances distribution's mix.
  mutating func launch(_ requested: Int, at time: SimTime) {
    let count = requested - takeFromWarmPool(requested, at: time)
    let onDemandNow = scalingRunning - spotRunning
    let onDemand = min(count, max(0, onDemandTarget(forRunning: scalingRunning + count) - onDemandNow))
    if disruptions.placesLaunches {
      launchPlaced(onDemand: onDemand, spot: count - onDemand, at: time)
      return
    }
    for (share, isSpot) in [(onDemand, false), (count - onDemand, true)] where share > 0 {
      if group.launchJitterSeconds > 0 {
        for _ in 0..<share {
          let jitter = (random.nextUnitDouble() * 2 - 1) * group.launchJitterSeconds
          addCohort(count: 1, at: time, latency: group.launchSeconds + jitter, isSpot: isSpot)
        }
      } else {
        addCohort(count: share, at: time, latency: group.launchSeconds, isSpot: isSpot)
      }
      if isSpot { spotRunning += share }
    }
    pending += count
  }

  /// A pending cohort launched at `time` (its billing start `launchedAt`, when earlier: a
  /// Running warm pool's instances keep theirs), in service `latency` later.
  @discardableResult
  mutating func addCohort(
    count: Int, at time: SimTime, latency: SimTime, isSpot: Bool, zone: Int = 0, type: Int = 0,
    launchedAt: SimTime? = nil
  ) -> Int {
    let index = cohorts.count
    cohorts.append(
      Cohort(
        count: count, launchedAt: launchedAt ?? time, readyAt: time + latency, stage: .pending, isSpot: isSpot,
        zone: zone, type: type))
    liveCohorts.append(index)
    events.schedule(.ready(cohort: index), at: time + latency)
    if disruptions.isActive { disruptions.noteAdded(count: count, zone: zone, isSpot: isSpot, type: type) }
    return index
  }

  /// How the initial instances of one zone and option split over the types: as launches
  /// would place them, without failures (the fleet exists when the run starts).
  mutating func initialTypeShares(_ count: Int, zone: Int, spot: Bool) -> [(type: Int, count: Int)] {
    let types = disruptions.typeCount
    guard types > 1 else { return [(0, count)] }
    for pool in 0..<disruptions.tentativeByType.count { disruptions.tentativeByType[pool] = 0 }
    for _ in 0..<count {
      guard let type = disruptions.preferredType(zone: zone, spot: spot) else { break }
      disruptions.tentativeByType[zone * types + type] += 1
    }
    return (0..<types).map { ($0, disruptions.tentativeByType[zone * types + $0]) }
  }

  /// Terminates `count` instances: first the purchase option the instances distribution has
  /// too many of, then, within it, AWS's default termination policy for one AZ and launch
  /// template: the instances closest to their next instance-hour go first; ties go to the
  /// oldest launch.
  mutating func terminate(_ count: Int, at time: SimTime) {
    let remainingRunning = scalingRunning - count
    let spotTarget = remainingRunning - onDemandTarget(forRunning: remainingRunning)
    let spotToTerminate = min(count, max(0, spotRunning - spotTarget))
    terminate(spotToTerminate, spot: true, at: time)
    terminate(count - spotToTerminate, spot: false, at: time)
  }

  mutating func terminate(_ count: Int, spot: Bool, at time: SimTime) {
    guard disruptions.zoneCount > 1 else {
      terminate(count, spot: spot, inZone: nil, at: time)
      return
    }
    terminateAcrossZones(count, spot: spot, at: time)
  }

  /// Within one zone (nil: all), AWS's default order: closest to the next instance-hour,
  /// then the oldest launch.
  mutating func terminate(_ count: Int, spot: Bool, inZone zone: Int?, at time: SimTime) {
    var remaining = count
    while remaining > 0 {
      let found = zone == nil && disruptions.typeCount == 1
        ? Self.nextToTerminate(spot: spot, at: time, cohorts: cohorts, liveCohorts: liveCohorts)
        : nextToTerminate(spot: spot, inZone: zone, at: time)
      guard let best = found else {
        preconditionFailure("terminate(\(count), spot: \(spot)) with \(running) running, \(spotRunning) Spot")
      }
      // The two fields, not the whole Cohort (an 88-byte copy was a memcpy call per scale-in).
      let chosen = liveCohorts[best]
      let taken =
        disruptions.takesOneAtATime(type: cohorts[chosen].type, spot: spot) ? 1 : min(remaining, cohorts[chosen].count)
      remove(taken, fromLivePosition: best, at: time, reusable: true)
      remaining -= taken
    }
  }

  /// The live position of the cohort AWS's default order ends next: the smallest
  /// (type and pool key, time to the next instance-hour, launch time), the earliest
  /// position on ties. `mutating` only so that `self` is passed by reference: a
  /// non-mutating method called from a mutating one gets a copy of the whole engine (a
  /// memcpy of kilobytes per call, measured).
  mutating func nextToTerminate(spot: Bool, inZone zone: Int?, at time: SimTime) -> Int? {
    var best: Int?
    var bestKey = (Double.infinity, Double.infinity, Double.infinity)
    for (position, index) in liveCohorts.enumerated()
    where cohorts[index].isSpot == spot && !cohorts[index].isSurplus && (zone == nil || cohorts[index].zone == zone) {
      let age = time - cohorts[index].launchedAt
      let toNextHour = 3_600 - (age - ExactRounding.floor(age / 3_600) * 3_600)
      let key = (
        disruptions.terminationKey(type: cohorts[index].type, zone: cohorts[index].zone, spot: spot), toNextHour,
        cohorts[index].launchedAt
      )
      if key < bestKey { bestKey = key; best = position }
    }
    return best
  }

  /// `nextToTerminate(spot:inZone:at:)` with one instance type, over every zone: the type
  /// and pool key is 0 for every cohort, so the scan compares (time to the next
  /// instance-hour, launch time) alone, without bounds checks. A scale-in scans every live
  /// cohort, and a year-long sweep point scales in tens of thousands of times (measured:
  /// 15% of a point before this loop, most of it the division per cohort).
  ///
  /// When the time and every launch time are whole seconds (as they are unless a launch
  /// time or tick has a fraction, or launches jitter), the seconds past the last
  /// instance-hour are an integer remainder, `(time - launchedAt) mod 3600`, and the scan
  /// needs no division: for whole seconds below 2^40 the floating-point formula is exact
  /// and gives the same number (`3_600 - toNextHour`; checked against it in
  /// `FluidFastPathTests`). Otherwise the floating-point scan.
  static func nextToTerminate(spot: Bool, at time: SimTime, cohorts: [Cohort], liveCohorts: [Int]) -> Int? {
    guard let now = ExactRounding.wholeNumber(time) else {
      return nextToTerminateInSeconds(spot: spot, at: time, cohorts: cohorts, liveCohorts: liveCohorts)
    }
    var best = -1
    var bestPastHour = -1
    var bestLaunch = Int.max
    let whole = cohorts.withUnsafeBufferPointer { cohorts in
      liveCohorts.withUnsafeBufferPointer { live in
        for position in 0..<live.count {
          let cohort = cohorts[live[position]]
          guard cohort.isSpot == spot && !cohort.isSurplus else { continue }
          guard let launchedAt = ExactRounding.wholeNumber(cohort.launchedAt) else { return false }
          var pastHour = (now - launchedAt) % 3_600
          if pastHour < 0 { pastHour += 3_600 }
          // Longest past the hour = closest to the next; ties to the earliest launch.
          if pastHour > bestPastHour || (pastHour == bestPastHour && launchedAt < bestLaunch) {
            bestPastHour = pastHour
            bestLaunch = launchedAt
            best = position
          }
        }
        return true
      }
    }
    guard whole else { return nextToTerminateInSeconds(spot: spot, at: time, cohorts: cohorts, liveCohorts: liveCohorts) }
    return best >= 0 ? best : nil
  }

  /// `nextToTerminate(spot:at:cohorts:liveCohorts:)` in floating point, for any times.
  static func nextToTerminateInSeconds(spot: Bool, at time: SimTime, cohorts: [Cohort], liveCohorts: [Int]) -> Int? {
    var best: Int?
    var bestToNextHour = Double.infinity
    var bestLaunch = Double.infinity
    cohorts.withUnsafeBufferPointer { cohorts in
      liveCohorts.withUnsafeBufferPointer { live in
        for position in 0..<live.count {
          let cohort = cohorts[live[position]]
          guard cohort.isSpot == spot && !cohort.isSurplus else { continue }
          let launchedAt = cohort.launchedAt
          let age = time - launchedAt
          let toNextHour = 3_600 - (age - ExactRounding.floor(age / 3_600) * 3_600)
          if toNextHour < bestToNextHour || (toNextHour == bestToNextHour && launchedAt < bestLaunch) {
            bestToNextHour = toNextHour
            bestLaunch = launchedAt
            best = position
          }
        }
      }
    }
    return best
  }

  /// Ends `taken` instances of the live cohort at `position` at `time`: their lifetime is
  /// recorded for billing and every count they were in drops.
  /// `reusable`: a scale-in, which a warm pool with ReuseOnScaleIn takes back; instances
  /// lost or reclaimed are never reused.
  mutating func remove(_ taken: Int, fromLivePosition position: Int, at time: SimTime, reusable: Bool = false) {
    let index = liveCohorts[position]
    let spot = cohorts[index].isSpot
    if reusable && group.warmPool?.reuseOnScaleIn == true {
      retire(taken, launchedAt: cohorts[index].launchedAt, isSpot: spot, at: time)
    } else {
      // An event inside a tick is applied at the tick's end, after the launches policies
      // made there; an instance launched then and terminated by it ends at its own launch.
      lifetimes.append(
        InstanceLifetime(
          count: taken, launchedAt: cohorts[index].launchedAt, terminatedAt: max(time, cohorts[index].launchedAt),
          isSpot: spot, zone: cohorts[index].zone, typeIndex: cohorts[index].type))
    }
    cohorts[index].count -= taken
    switch cohorts[index].stage {
    case .pending: pending -= taken
    case .warming: warming -= taken
    case .warmed: warmed -= taken
    case .impaired: impaired -= taken
    }
    if cohorts[index].isSurplus {
      surplusPending -= taken
    } else if spot {
      spotRunning -= taken
    }
    if disruptions.isActive {
      disruptions.noteRemoved(count: taken, zone: cohorts[index].zone, isSpot: spot, type: cohorts[index].type)
    }
    if cohorts[index].count == 0 { liveCohorts.remove(at: position) }
  }

  /// Instances launched by scaling that have not finished `warmupSeconds` of warm-up.
  /// Static over the arrays it reads (see `stepDesired`: no copy of the engine per call).
  static func instancesStillWarming(
    warmupSeconds: SimTime, at time: SimTime, cohorts: [Cohort], liveCohorts: [Int]
  ) -> Int {
    var total = 0
    for index in liveCohorts {
      if cohorts[index].isSurplus { continue }
      if cohorts[index].stage == .pending || cohorts[index].readyAt + warmupSeconds > time {
        total += cohorts[index].count
      }
    }
    return total
  }
}
