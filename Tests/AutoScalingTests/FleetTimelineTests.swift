import Foundation
import Simulation
import Testing

@testable import AutoScaling

/// Hand-computed timelines on a step in demand, one per policy type. Each comment block
/// walks through the ticks; the numbers in the expectations come from that walk, not from
/// running the code.
@Suite struct FleetTimelineTests {
  static func group(initial: Int, min: Int = 1, max: Int = 50) -> GroupConfiguration {
    GroupConfiguration(
      instanceType: "m5.large", minSize: min, maxSize: max, initialCapacity: initial,
      launchSeconds: 120, warmupSeconds: 300, capacityUnitsPerMinute: 100)
  }

  static func simulate(
    _ group: GroupConfiguration, _ policies: [ScalingPolicy], demand: [Double]
  ) throws -> FleetSimulationResult {
    try FleetSimulator.run(
      FleetSimulationInput(
        group: group, policies: policies, demandPerMinute: demand, tickSeconds: 60,
        random: RandomStream(seed: 7), recordsTimeline: true))
  }

  static func activity(_ time: Double, _ cause: String, _ from: Int, _ to: Int) -> ScalingActivity {
    ScalingActivity(time: time, cause: cause, fromDesired: from, toDesired: to)
  }

  // Two instances of 100 units/min; demand 100/min (CPU 50%) for 10 min, then 300/min.
  // Ticks 10, 11, 12 read CPU 100% (capped): the high alarm has 3 datapoints at t=780 and
  // asks ceil(2 × 100 / 50) = 4. The two new instances serve from t=900 (launch 120 s)
  // and warm until 1200. Tick 15 reads 300/400 = 75% (the two warmed instances still
  // report): at t=960 ceil(4 × 75 / 50) = 6. At 1080 six serve: 300/600 = 50%, not above
  // the target, so the alarm clears. Delayed: ticks 10-14 each miss 100 units = 500.
  @Test("target tracking on a CPU step: alarm after 3 datapoints, 2 -> 4 -> 6, new capacity serves after launch")
  func targetTrackingStep() throws {
    let demand = Array(repeating: 100.0, count: 10) + Array(repeating: 300.0, count: 30)
    let policy = ScalingPolicy.targetTracking(
      TargetTrackingPolicy(name: "cpu50", metric: .averageCPUUtilization, targetValue: 50))
    let result = try Self.simulate(Self.group(initial: 2), [policy], demand: demand)

    #expect(result.activities == [Self.activity(780, "cpu50", 2, 4), Self.activity(960, "cpu50", 4, 6)])
    let timeline = try #require(result.timeline)
    #expect(timeline.inService[14] == 2)
    #expect(timeline.inService[15] == 4)
    #expect(timeline.inService[18] == 6)
    #expect(timeline.cpuUtilization[15] == 75)
    let stats = result.statistics
    #expect(stats.delayedUnits == 500)
    #expect(stats.demandUnits == 10_000)
    #expect(stats.servedUnits + stats.delayedUnits == stats.demandUnits)
    #expect(stats.minutesAboveCPU80 == 5)
    #expect(stats.meanCPUUtilization == 2_325.0 / 40)
    #expect(stats.peakInstances == 6)
    #expect(stats.meanInstances == 182.0 / 40)
    #expect(stats.scaleOutActions == 2 && stats.scaleInActions == 0)
    #expect(
      result.lifetimes.sorted { $0.launchedAt < $1.launchedAt } == [
        InstanceLifetime(count: 2, launchedAt: 0, terminatedAt: 2_400),
        InstanceLifetime(count: 2, launchedAt: 780, terminatedAt: 2_400),
        InstanceLifetime(count: 2, launchedAt: 960, terminatedAt: 2_400),
      ])
  }

  // Ten instances at CPU 50%; demand falls to 200/min at tick 5 (CPU 20% < 45%). The low
  // alarm needs 15 datapoints: t = 360 ... 1200. Each scale-in removes at most 10% of 10
  // (one instance) and never goes below ceil(n × cpu / 50) = 4: 10 -> 9 at 1200, then
  // one per minute to 4 at 1500, where CPU is 50% and the alarm clears.
  @Test("target tracking scales in one step per datapoint after 15 low datapoints, down to the target")
  func targetTrackingScaleIn() throws {
    let demand = Array(repeating: 500.0, count: 5) + Array(repeating: 200.0, count: 40)
    let policy = ScalingPolicy.targetTracking(
      TargetTrackingPolicy(name: "cpu50", metric: .averageCPUUtilization, targetValue: 50))
    let result = try Self.simulate(Self.group(initial: 10), [policy], demand: demand)
    #expect(
      result.activities == [
        Self.activity(1_200, "cpu50", 10, 9), Self.activity(1_260, "cpu50", 9, 8),
        Self.activity(1_320, "cpu50", 8, 7), Self.activity(1_380, "cpu50", 7, 6),
        Self.activity(1_440, "cpu50", 6, 5), Self.activity(1_500, "cpu50", 5, 4),
      ])
    #expect(result.statistics.delayedUnits == 0)

    let noScaleIn = ScalingPolicy.targetTracking(
      TargetTrackingPolicy(name: "cpu50", metric: .averageCPUUtilization, targetValue: 50, disableScaleIn: true))
    #expect(try Self.simulate(Self.group(initial: 10), [noScaleIn], demand: demand).activities.isEmpty)
  }

  // CPU target 50% and request count 100 per target: with 100 units/min per instance the
  // request policy is the lenient one. Demand 200 on 4 instances: CPU 50% (no alarm) but
  // 50 requests per target (< 90): only the request policy wants to scale in, so nothing
  // happens. Demand 100 (tick 20 on): CPU 25% too; both low alarms are in ALARM after 15
  // datapoints (t = 2100) and the larger proposal wins: CPU asks max(ceil(4·25/50) = 2,
  // 4 - 1) = 3, requests ask max(ceil(100/100) = 1, 3) = 3.
  @Test("several target tracking policies scale in only when all agree")
  func targetTrackingCombination() throws {
    let demand = Array(repeating: 200.0, count: 20) + Array(repeating: 100.0, count: 15)
    let cpu = ScalingPolicy.targetTracking(
      TargetTrackingPolicy(name: "cpu", metric: .averageCPUUtilization, targetValue: 50))
    let requests = ScalingPolicy.targetTracking(
      TargetTrackingPolicy(name: "requests", metric: .requestCountPerTarget, targetValue: 100))
    let both = try Self.simulate(Self.group(initial: 4), [cpu, requests], demand: demand)
    #expect(both.activities.first?.time == 2_100)
    #expect(both.activities.first?.toDesired == 3)
    let alone = try Self.simulate(Self.group(initial: 4), [requests], demand: demand)
    #expect(alone.activities.first == Self.activity(900, "requests", 4, 3))
  }

  // Alarm CPU >= 60 for 2 of 2 one-minute datapoints; steps +1 for [0, 20) above the
  // threshold and +3 for [20, inf). Four instances; demand 280 (CPU 70%) from tick 5:
  // ALARM at t=420 (ticks 5 and 6), +1 -> 5; the new instance serves at 540 and warms
  // until 840. Demand 400 from tick 9: 400/500 = 80% at t=600, step +3, but one instance
  // is still warming, so the policy starts from 5 - 1 = 4 and asks 7 (adds 2, not 3, the
  // AWS documentation's example). At 660 and 720 it still asks 7 (3 instances still
  // warming). At 720 seven serve: 57%, the alarm clears.
  @Test("step scaling: datapoints to alarm, step by breach size, warming capacity not added twice")
  func stepScaling() throws {
    let demand = Array(repeating: 200.0, count: 5) + Array(repeating: 280.0, count: 4)
      + Array(repeating: 400.0, count: 16)
    let policy = ScalingPolicy.step(
      StepScalingPolicy(
        name: "step",
        alarm: AlarmConfiguration(
          metric: .averageCPUUtilization, comparison: .greaterThanOrEqualToThreshold, threshold: 60,
          periodSeconds: 60, evaluationPeriods: 2, datapointsToAlarm: 2),
        adjustmentType: .changeInCapacity,
        steps: [
          StepAdjustment(lowerBound: 0, upperBound: 20, scalingAdjustment: 1),
          StepAdjustment(lowerBound: 20, upperBound: nil, scalingAdjustment: 3),
        ]))
    let result = try Self.simulate(Self.group(initial: 4), [policy], demand: demand)
    #expect(result.activities == [Self.activity(420, "step", 4, 5), Self.activity(600, "step", 5, 7)])
    #expect(result.timeline?.inService[12] == 7)
  }

  // Alarm CPU > 70, one datapoint; +2 instances; cooldown 300 s. Demand 300 on 2
  // instances: ALARM at t=60 -> 4. The activity ends when they serve (60 + 120 = 180),
  // then the 300 s cooldown: no response until 480 although CPU is 75% from t=180. At
  // 480: -> 6, serving at 600 (CPU 50%).
  @Test("simple scaling waits for the activity and the cooldown before responding again")
  func simpleScalingCooldown() throws {
    let demand = Array(repeating: 300.0, count: 15)
    let policy = ScalingPolicy.simple(
      SimpleScalingPolicy(
        name: "simple",
        alarm: AlarmConfiguration(metric: .averageCPUUtilization, comparison: .greaterThanThreshold, threshold: 70),
        adjustmentType: .changeInCapacity, scalingAdjustment: 2, cooldownSeconds: 300))
    let result = try Self.simulate(Self.group(initial: 2), [policy], demand: demand)
    #expect(result.activities == [Self.activity(60, "simple", 2, 4), Self.activity(480, "simple", 4, 6)])
    #expect(result.timeline?.inService[9] == 4)
    #expect(result.timeline?.inService[10] == 6)
  }

  // Scheduled actions at fixed times: at 300 s min 6 (desired 2 is raised to 6, 4 launch
  // and serve at 420); at 900 s max 3 and desired 3 (3 terminate).
  @Test("scheduled actions set min, max and desired; desired is clamped into the new bounds")
  func scheduledActions() throws {
    let demand = Array(repeating: 100.0, count: 20)
    let raise = ScalingPolicy.scheduled(ScheduledAction(name: "lunch", firingTimes: [300], minSize: 6))
    let lower = ScalingPolicy.scheduled(ScheduledAction(name: "night", firingTimes: [900], minSize: 1, maxSize: 3, desiredCapacity: 3))
    let result = try Self.simulate(Self.group(initial: 2), [raise, lower], demand: demand)
    #expect(result.activities == [Self.activity(300, "lunch", 2, 6), Self.activity(900, "night", 6, 3)])
    #expect(result.timeline?.inService[6] == 2)
    #expect(result.timeline?.inService[7] == 6)
    #expect(result.timeline?.inService[15] == 3)
    // 4 launched at 300, each ~10 min old at 900; the 3 terminated are those closest to
    // their next instance-hour: the newer cohort is 600 s old (3000 s to go), the original
    // 900 s old (2700 s to go), so the original instances go first (2), then one new one.
    var instanceSeconds = 0.0
    for lifetime in result.lifetimes {
      instanceSeconds += Double(lifetime.count) * (lifetime.terminatedAt - lifetime.launchedAt)
    }
    let expected: Double = 2 * 900 + 1 * 600 + 3 * 900
    #expect(instanceSeconds == expected)
  }
}

@Suite struct AdjustmentArithmeticTests {
  @Test("percent adjustments round as the AWS guide says", arguments: [
    (127, 10, nil, 139),  // +12.7 -> +12
    (667, -1, nil, 661),  // -6.67 -> -6
    (2, 10, nil, 3),  // +0.2 -> +1
    (3, -10, nil, 2),  // -0.3 -> -1
    (10, 10, 2, 12),  // +1 floored to MinAdjustmentMagnitude 2
    (10, -10, 3, 7),  // -1 floored to -3
  ] as [(Int, Int, Int?, Int)])
  func percentRounding(base: Int, percent: Int, minimumMagnitude: Int?, expected: Int) {
    #expect(
      FleetEngine.adjustedCapacity(
        from: base, adjustment: percent, type: .percentChangeInCapacity, minAdjustmentMagnitude: minimumMagnitude)
        == expected)
  }

  @Test("exact capacity and change in capacity")
  func otherAdjustments() {
    #expect(FleetEngine.adjustedCapacity(from: 10, adjustment: 4, type: .exactCapacity, minAdjustmentMagnitude: nil) == 4)
    #expect(FleetEngine.adjustedCapacity(from: 10, adjustment: -3, type: .changeInCapacity, minAdjustmentMagnitude: nil) == 7)
  }
}

@Suite struct MixedInstancesTests {
  // Base 2 On-Demand, 50% On-Demand above it. 2 -> 7 at 300 s: On-Demand target for 7 is
  // 2 + ceil(5 × 0.5) = 5, so 3 On-Demand and 2 Spot launch. 7 -> 3 at 900 s: the target
  // for 3 is 2 + ceil(0.5) = 3 On-Demand and 0 Spot: four go, both Spot instances first,
  // then two On-Demand (the new On-Demand cohort is 600 s old, the originals 900 s: the
  // originals are closer to their next instance-hour, so both of them go).
  @Test("the instances distribution decides which launches are Spot and which terminations come first")
  func mixedInstances() throws {
    var group = FleetTimelineTests.group(initial: 2)
    group.onDemandBaseCapacity = 2
    group.onDemandPercentageAboveBaseCapacity = 50
    let up = ScalingPolicy.scheduled(ScheduledAction(name: "up", firingTimes: [300], desiredCapacity: 7))
    let down = ScalingPolicy.scheduled(ScheduledAction(name: "down", firingTimes: [900], desiredCapacity: 3))
    let result = try FleetTimelineTests.simulate(group, [up, down], demand: Array(repeating: 100, count: 20))
    func seconds(spot: Bool) -> Double {
      result.lifetimes.filter { $0.isSpot == spot }.reduce(0) { $0 + Double($1.count) * ($1.terminatedAt - $1.launchedAt) }
    }
    // Spot: 2 × (900 - 300). On-Demand: the original 2 to 900, the 3 new from 300 to 1200.
    #expect(seconds(spot: true) == 2 * 600)
    let onDemand: Double = 2 * 900 + 3 * 900
    #expect(seconds(spot: false) == onDemand)
    #expect(result.timeline?.running[19] == 3)
  }
}

/// `timelineTicks`: a window of the timeline, equal to the same ticks of a full recording.
@Suite struct FleetTimelineWindowTests {
  @Test func `a recorded window equals the same ticks of the whole timeline`() throws {
    let demand = (0..<120).map { 100 + 80 * sin(Double($0) / 10) }
    let policy = ScalingPolicy.targetTracking(
      TargetTrackingPolicy(name: "cpu50", metric: .averageCPUUtilization, targetValue: 50))
    var input = FleetSimulationInput(
      group: FleetTimelineTests.group(initial: 2), policies: [policy], demandPerMinute: demand, tickSeconds: 60,
      random: RandomStream(seed: 7), recordsTimeline: true)
    let whole = try #require(try FleetSimulator.run(input).timeline)
    input.timelineTicks = 40..<70
    let full = try FleetSimulator.run(input)
    let window = try #require(full.timeline)
    #expect(window.firstTick == 40)
    #expect(window.inService == Array(whole.inService[40..<70]))
    #expect(window.cpuUtilization == Array(whole.cpuUtilization[40..<70]))
    #expect(window.delayedPerMinute == Array(whole.delayedPerMinute[40..<70]))
    #expect(window.desired == Array(whole.desired[40..<70]))
    // The window changes what is kept, never the outcome.
    input.recordsTimeline = false
    #expect(try FleetSimulator.run(input).statistics == full.statistics)
  }
}
