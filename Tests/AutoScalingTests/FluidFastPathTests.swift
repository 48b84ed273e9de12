import Foundation
import Simulation
import Testing

@testable import AutoScaling

/// The tick loop specialised for the common case (FleetSimulator+FluidTicks.swift) against
/// the general loop it replaces: the same inputs must give the same result, every field
/// bit for bit (lifetimes, statistics, activities, timeline, forecasts, warm pool). The
/// cases cover what the specialised loop handles itself (the target tracking datapoint, the
/// alarms, the proposal's skip at the floor) and what it hands back to the engine (events,
/// scheduled actions, launches and terminations, predictive floors, warm pools, Spot mixes).
@Suite struct FluidFastPathTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let policies: [ScalingPolicy]
    var launchSeconds: SimTime = 120
    var jitterSeconds: SimTime = 0
    var warmupSeconds: SimTime = 300
    var tickSeconds: SimTime = 60
    var minSize = 2
    var maxSize = 40
    var onDemandPercent = 100
    var warmPool: WarmPoolConfiguration? = nil
    var recordsTimeline = false
    var zones = 1
    var faults: [FleetFault] = []
    var spotInterruptions: SpotInterruptions? = nil
    /// The specialised loop is expected to take the run (else the general one does, and
    /// the case checks only that the switch changes nothing).
    var takesFastPath = true
    var testDescription: String { name }
  }

  static func targetTracking(
    _ metric: ScalingMetric = .averageCPUUtilization, target: Double = 50, disableScaleIn: Bool = false,
    periodSeconds: SimTime = 60, name: String = "tt"
  ) -> ScalingPolicy {
    .targetTracking(
      TargetTrackingPolicy(
        name: name, metric: metric, targetValue: target, disableScaleIn: disableScaleIn,
        metricPeriodSeconds: periodSeconds))
  }

  static let days = 6
  /// Floors raised before a daily peak and lowered after it, plus a desired capacity set
  /// once mid-run.
  static let scheduled: [ScalingPolicy] = [
    .scheduled(
      ScheduledAction(name: "floor-up", firingTimes: (0..<days).map { Double($0) * 86_400 + 16 * 3_600 }, minSize: 12)),
    .scheduled(
      ScheduledAction(name: "floor-down", firingTimes: (0..<days).map { Double($0) * 86_400 + 21 * 3_600 }, minSize: 2)),
    .scheduled(ScheduledAction(name: "once", firingTimes: [2.5 * 86_400], desiredCapacity: 30)),
  ]

  static let cases: [Case] = [
    Case(name: "target tracking on CPU", policies: [targetTracking()]),
    Case(name: "low target (scale-out heavy)", policies: [targetTracking(target: 25)]),
    Case(name: "high target (at the floor often)", policies: [targetTracking(target: 85)], minSize: 1),
    Case(name: "requests per target", policies: [targetTracking(.requestCountPerTarget, target: 90)]),
    Case(name: "scale-in disabled", policies: [targetTracking(disableScaleIn: true)]),
    Case(name: "with scheduled actions", policies: [targetTracking()] + scheduled),
    Case(name: "scheduled actions only", policies: scheduled),
    Case(name: "no policy", policies: []),
    Case(name: "no warm-up", policies: [targetTracking()], warmupSeconds: 0),
    Case(name: "launch jitter (fractional times)", policies: [targetTracking()], jitterSeconds: 45),
    Case(name: "fractional launch time", policies: [targetTracking()], launchSeconds: 97.25),
    Case(name: "Spot above an On-Demand share", policies: [targetTracking()] + scheduled, onDemandPercent: 40),
    Case(
      name: "warm pool reused on scale-in", policies: [targetTracking()],
      warmPool: WarmPoolConfiguration(poolState: .stopped, minSize: 2, reuseOnScaleIn: true, warmLaunchSeconds: 60)),
    Case(name: "timeline recorded", policies: [targetTracking()] + scheduled, recordsTimeline: true),
    Case(
      name: "predictive floor with target tracking",
      policies: [
        targetTracking(),
        .predictive(
          PredictiveScalingPolicy(
            name: "p", metric: .averageCPUUtilization, targetValue: 50, mode: .forecastAndScale,
            schedulingBufferSeconds: 600)),
      ]),
    Case(name: "three zones", policies: [targetTracking()] + scheduled, onDemandPercent: 50, zones: 3),
    Case(
      name: "three zones, an outage and launch failures", policies: [targetTracking()], zones: 3,
      faults: [
        .zoneOutage(ZoneOutage(name: "az-a", zone: 0, startSeconds: 1.5 * 86_400, durationSeconds: 7_200)),
        .launchFailures(LaunchFailures(name: "ice", probability: 0.3, startSeconds: 3 * 86_400, endSeconds: 4 * 86_400)),
      ]),
    // Not the specialised loop's: the general loop runs both ways.
    Case(
      name: "Spot interruptions", policies: [targetTracking()], onDemandPercent: 30,
      spotInterruptions: SpotInterruptions(ratePerInstanceSecond: 2e-6, capacityRebalance: true), takesFastPath: false),
    Case(name: "30 s ticks (a 60 s period is two ticks)", policies: [targetTracking()], tickSeconds: 30, takesFastPath: false),
    Case(name: "2-minute metric period", policies: [targetTracking(periodSeconds: 120)], takesFastPath: false),
    Case(
      name: "two target tracking policies",
      policies: [targetTracking(), targetTracking(.requestCountPerTarget, target: 80, name: "rc")], takesFastPath: false),
    Case(name: "step and simple", policies: FleetInvariantTests.policies[2], takesFastPath: false),
  ]

  /// Daily lunch and dinner peaks with noise and a few spikes, at `tickSeconds`.
  static func demand(tickSeconds: SimTime, seed: UInt64) -> [Double] {
    var random = RandomStream(seed: seed).substream(named: "demand")
    let ticks = Int(Double(days) * 86_400 / tickSeconds)
    return (0..<ticks).map { k in
      let hour = (Double(k) * tickSeconds).truncatingRemainder(dividingBy: 86_400) / 3_600
      let peaks = 900 * exp(-pow(hour - 12, 2) / 2) + 1_400 * exp(-pow(hour - 18.5, 2) / 3)
      let level = (250 + peaks) * (1 + random.nextNormal(mean: 0, standardDeviation: 0.08))
      return max(0, random.nextUnitDouble() < 0.002 ? level * 3 : level)
    }
  }

  static func input(_ test: Case, seed: UInt64) -> FleetSimulationInput {
    var group = GroupConfiguration(
      instanceType: "m5.large", minSize: test.minSize, maxSize: test.maxSize, initialCapacity: 4,
      launchSeconds: test.launchSeconds, launchJitterSeconds: test.jitterSeconds, warmupSeconds: test.warmupSeconds,
      capacityUnitsPerMinute: 120, onDemandPercentageAboveBaseCapacity: test.onDemandPercent, warmPool: test.warmPool)
    group.availabilityZoneCount = test.zones
    group.spotInterruptions = test.spotInterruptions
    var input = FleetSimulationInput(
      group: group, policies: test.policies, demandPerMinute: demand(tickSeconds: test.tickSeconds, seed: seed),
      tickSeconds: test.tickSeconds, random: RandomStream(seed: seed).substream(named: "variant"),
      recordsTimeline: test.recordsTimeline)
    if test.recordsTimeline { input.timelineTicks = 1_000..<2_500 }
    input.faults = test.faults
    return input
  }

  @Test("the specialised loop gives the general loop's result, bit for bit", arguments: cases, [UInt64(1), 2, 3])
  func sameResult(test: Case, seed: UInt64) throws {
    let input = Self.input(test, seed: seed)
    let engine = FleetEngine(input: input)
    #expect((engine.fastPathRule() != nil) == test.takesFastPath, "which loop takes \(test.name)")
    let fast = try FleetSimulator.run(input, usesFastPath: true)
    let general = try FleetSimulator.run(input, usesFastPath: false)
    #expect(fast.statistics == general.statistics)
    #expect(fast.lifetimes == general.lifetimes)
    #expect(fast.activities == general.activities)
    #expect(fast.timeline == general.timeline)
    #expect(fast == general)
    // Bit for bit: `==` on doubles would let -0.0 equal 0.0.
    let pairs = [
      (fast.statistics.demandUnits, general.statistics.demandUnits),
      (fast.statistics.servedUnits, general.statistics.servedUnits),
      (fast.statistics.delayedUnits, general.statistics.delayedUnits),
      (fast.statistics.meanInstances, general.statistics.meanInstances),
      (fast.statistics.meanCPUUtilization, general.statistics.meanCPUUtilization),
      (fast.statistics.minutesAboveCPU80, general.statistics.minutesAboveCPU80),
      (fast.statistics.instanceSeconds, general.statistics.instanceSeconds),
    ]
    for (a, b) in pairs { #expect(a.bitPattern == b.bitPattern) }
    // The run scaled both ways, so the comparison exercised the policy path.
    if test.policies.contains(where: { if case .targetTracking = $0 { true } else { false } }) {
      #expect(fast.statistics.scaleOutActions > 0)
      if !test.name.contains("disabled") { #expect(fast.statistics.scaleInActions > 0) }
    }
  }

  /// Random groups and policies the specialised loop takes (sizes, launch and warm-up
  /// times, jitter, On-Demand shares, alarm datapoints, thresholds, scale-in fractions,
  /// scheduled actions at random times): 150 two-day runs, each equal to
  /// the general loop's, bit for bit.
  @Test("random configurations: the specialised loop equals the general loop")
  func randomConfigurations() throws {
    var random = RandomStream(seed: 2026).substream(named: "configurations")
    func draw(_ n: Int) -> Int { min(n - 1, Int(random.nextUnitDouble() * Double(n))) }
    func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * random.nextUnitDouble() }
    var fastRuns = 0
    var compared = 0
    for index in 0..<150 {
      let tickSeconds: SimTime = 60
      var demandStream = RandomStream(seed: UInt64(index)).substream(named: "demand")
      let ticks = Int(2 * 86_400 / tickSeconds)
      let base = uniform(50, 3_000)
      let demand = (0..<ticks).map { k -> Double in
        let hour = (Double(k) * tickSeconds).truncatingRemainder(dividingBy: 86_400) / 3_600
        let shape = 0.3 + exp(-pow(hour - 12, 2) / 2) + 1.5 * exp(-pow(hour - 19, 2) / 3)
        return max(0, base * shape * (1 + demandStream.nextNormal(mean: 0, standardDeviation: 0.1)))
      }
      let minSize = draw(4)
      let maxSize = minSize + 1 + draw(120)
      let launchSeconds: SimTime = [0, 60, 90, 120, 97.5][draw(5)]
      let group = GroupConfiguration(
        instanceType: "m5.large", minSize: minSize, maxSize: maxSize, initialCapacity: min(maxSize, minSize + draw(6)),
        launchSeconds: launchSeconds, launchJitterSeconds: draw(4) == 0 ? uniform(0, launchSeconds) : 0,
        warmupSeconds: [0, 60, 300, 600][draw(4)], capacityUnitsPerMinute: uniform(40, 200),
        onDemandPercentageAboveBaseCapacity: [100, 100, 50, 0][draw(4)])
      var policies: [ScalingPolicy] = []
      if draw(6) != 0 {
        policies.append(
          .targetTracking(
            TargetTrackingPolicy(
              name: "tt", metric: draw(3) == 0 ? .requestCountPerTarget : .averageCPUUtilization,
              targetValue: uniform(20, 90), disableScaleIn: draw(8) == 0, scaleOutDatapoints: 1 + draw(4),
              scaleInDatapoints: 1 + draw(20), scaleInThresholdRatio: uniform(0.5, 1),
              metricPeriodSeconds: tickSeconds, scaleInMaxFraction: uniform(0.01, 0.5))))
      }
      for action in 0..<draw(4) {
        let low = draw(maxSize + 1)
        policies.append(
          .scheduled(
            ScheduledAction(
              name: "s\(action)", firingTimes: (0..<3).map { _ in Double(draw(2 * 1_440)) * 60 }.sorted(),
              minSize: draw(2) == 0 || action % 2 == 0 ? low : nil, maxSize: draw(3) == 0 ? max(low, draw(maxSize + 1)) : nil,
              desiredCapacity: action % 2 == 1 || draw(3) == 0 ? draw(maxSize + 1) : nil)))
      }
      let input = FleetSimulationInput(
        group: group, policies: policies, demandPerMinute: demand, tickSeconds: tickSeconds,
        random: RandomStream(seed: UInt64(index)).substream(named: "variant"))
      do { try input.validate() } catch { Issue.record("configuration \(index): \(error)"); continue }
      compared += 1
      if FleetEngine(input: input).fastPathRule() != nil { fastRuns += 1 }
      let fast = try FleetSimulator.run(input, usesFastPath: true)
      let general = try FleetSimulator.run(input, usesFastPath: false)
      #expect(fast == general, "configuration \(index)")
      #expect(fast.statistics.meanCPUUtilization.bitPattern == general.statistics.meanCPUUtilization.bitPattern)
      #expect(fast.statistics.delayedUnits.bitPattern == general.statistics.delayedUnits.bitPattern)
    }
    #expect(compared > 100 && fastRuns > compared / 2, "\(compared) valid configurations, \(fastRuns) on the specialised loop")
  }

  /// Random live cohorts at whole-second times (including launches after the scale-in
  /// time, and ties): the integer scan picks the cohort the floating-point scan picks.
  @Test("the whole-second scale-in scan picks what the floating-point scan picks")
  func terminationOrder() {
    var random = RandomStream(seed: 11)
    func draw(_ n: Int) -> Int { min(n - 1, Int(random.nextUnitDouble() * Double(n))) }
    var checked = 0
    for _ in 0..<4_000 {
      let time = Double(draw(40 * 86_400))
      let count = 1 + draw(24)
      var cohorts: [Cohort] = []
      for _ in 0..<count {
        // Mostly on-tick launches (ties in the hour's phase), some at odd seconds, some
        // just after `time` (a launch and a scale-in in the same tick), a few surplus.
        let launchedAt: Double
        switch draw(4) {
        case 0: launchedAt = max(0, time - Double(60 * draw(2_000)))
        case 1: launchedAt = max(0, time - Double(draw(200_000)))
        case 2: launchedAt = time + Double(draw(300))
        default: launchedAt = max(0, time - 3_600 * Double(draw(30)))
        }
        var cohort = Cohort(
          count: 1 + draw(3), launchedAt: launchedAt, readyAt: launchedAt + 120, stage: .warmed,
          isSpot: draw(3) == 0)
        cohort.isSurplus = draw(10) == 0
        cohorts.append(cohort)
      }
      let live = Array((0..<count).filter { _ in draw(5) != 0 })
      for spot in [false, true] {
        let whole = FleetEngine.nextToTerminate(spot: spot, at: time, cohorts: cohorts, liveCohorts: live)
        let seconds = FleetEngine.nextToTerminateInSeconds(spot: spot, at: time, cohorts: cohorts, liveCohorts: live)
        #expect(whole == seconds, "time \(time), spot \(spot)")
        if whole != nil { checked += 1 }
      }
    }
    #expect(checked > 4_000)
  }

  @Test("wholeNumber is Int(exactly:) below 2^40 and nil elsewhere")
  func wholeNumber() {
    let values: [Double] = [
      0, -0.0, 1, -1, 0.5, -0.5, 3_600, 86_400.25, 1e12, -1e12, 1_099_511_627_775, 1_099_511_627_776, 1e15, .nan,
      .infinity, -.infinity, .leastNonzeroMagnitude, 7_200.000_000_000_001,
    ]
    for x in values {
      let expected = abs(x) < 1_099_511_627_776 ? Int(exactly: x) : nil
      #expect(ExactRounding.wholeNumber(x) == expected, "\(x)")
    }
  }
}
