import Foundation
import Simulation
import Testing

@testable import AutoScaling

/// Hand-computed timelines of Spot interruptions (with and without Capacity Rebalancing),
/// a zone outage and launch failures; then the invariants with disruptions. Events happen
/// at their own times, and the fleet that serves a tick is the one at the tick's start.
@Suite struct DisruptionTests {
  static let seed: UInt64 = 7

  static func spotGroup(launchSeconds: Double = 100, capacityRebalance: Bool, rate: Double, lead: Double = 120)
    -> GroupConfiguration
  {
    var group = GroupConfiguration(
      instanceType: "m5.large", minSize: 2, maxSize: 4, initialCapacity: 2, launchSeconds: launchSeconds,
      warmupSeconds: 0, capacityUnitsPerMinute: 60, onDemandPercentageAboveBaseCapacity: 0)
    group.spotInterruptions = SpotInterruptions(
      ratePerInstanceSecond: rate, warningLeadSeconds: lead, capacityRebalance: capacityRebalance)
    return group
  }

  static func run(
    _ group: GroupConfiguration, demand: [Double], policies: [ScalingPolicy] = [], faults: [FleetFault] = [],
    seed: UInt64 = seed
  ) throws -> FleetSimulationResult {
    var input = FleetSimulationInput(
      group: group, policies: policies, demandPerMinute: demand, tickSeconds: 60,
      random: RandomStream(seed: seed), recordsTimeline: true)
    input.faults = faults
    return try FleetSimulator.run(input)
  }

  /// The per-instance rate that puts the first warning of two Spot instances at `time`:
  /// the process's first threshold is the first unit exponential of its stream, and two
  /// instances accrue exposure at twice the rate.
  static func rate(firstWarningAt time: Double) -> Double {
    var stream = RandomStream(seed: seed).substream(named: "spot-interruptions")
    return stream.nextExponential(mean: 1) / (2 * time)
  }

  static func sorted(_ lifetimes: [InstanceLifetime]) -> [InstanceLifetime] {
    lifetimes.sorted { ($0.launchedAt, $0.terminatedAt) < ($1.launchedAt, $1.terminatedAt) }
  }

  static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-6 }

  // Two Spot instances of 60 units/min, demand 90/min, launch 100 s, no warm-up. The first
  // warning comes at 1,830 s; the instance is reclaimed at 1,950 (120 s notice). Without
  // Capacity Rebalancing the group launches the replacement at 1,950; it serves from 2,050.
  // Ticks starting at 1,980 and 2,040 see one instance (60 of 90 served, 30 delayed each);
  // the tick at 2,100 sees two again. Delayed: 60 units. Lifetimes: the reclaimed instance
  // [0, 1950], the other [0, 3600], the replacement [1950, 3600].
  @Test("Spot interruption without Capacity Rebalancing: replaced after it is reclaimed")
  func interruptionWithoutRebalancing() throws {
    let rate = Self.rate(firstWarningAt: 1_830)
    let result = try Self.run(
      Self.spotGroup(capacityRebalance: false, rate: rate), demand: Array(repeating: 90, count: 60))
    let lifetimes = Self.sorted(result.lifetimes)
    // Later warnings (the rate is about 1 per 3,660 instance-seconds) may follow; the
    // first one is the hand-computed one.
    let first = try #require(lifetimes.first { $0.terminatedAt < 3_600 })
    #expect(Self.close(first.terminatedAt, 1_950) && first.launchedAt == 0 && first.isSpot)
    let replacement = try #require(lifetimes.first { $0.launchedAt > 0 })
    #expect(Self.close(replacement.launchedAt, 1_950))
    let timeline = try #require(result.timeline)
    #expect(timeline.inService[32] == 2)  // [1920, 1980): warned, still serving
    #expect(timeline.inService[33] == 1 && timeline.inService[34] == 1)
    #expect(timeline.inService[35] == 2)
    #expect(timeline.delayedPerMinute[33] == 30 && timeline.delayedPerMinute[34] == 30)
    let stats = try #require(result.statistics.disruptions)
    #expect(stats.spotInterruptions >= 1 && stats.capacityRebalanceLaunches == 0)
    #expect(stats.spotWarnings == stats.spotInterruptions || stats.spotWarnings == stats.spotInterruptions + 1)
  }

  // The same warning with Capacity Rebalancing: the replacement launches at 1,830 and is in
  // service at 1,930, before the interruption at 1,950, so the group terminates the at-risk
  // instance at 1,930. No tick sees fewer than two instances up to then; nothing is delayed
  // by it. Lifetimes: at-risk [0, 1930], replacement [1830, ...].
  @Test("Spot interruption with Capacity Rebalancing: replacement in service first, at-risk terminated")
  func interruptionWithRebalancing() throws {
    let rate = Self.rate(firstWarningAt: 1_830)
    let result = try Self.run(
      Self.spotGroup(capacityRebalance: true, rate: rate), demand: Array(repeating: 90, count: 60))
    let lifetimes = Self.sorted(result.lifetimes)
    let atRisk = try #require(lifetimes.first { $0.launchedAt == 0 && $0.terminatedAt < 3_600 })
    #expect(Self.close(atRisk.terminatedAt, 1_930))
    let replacement = try #require(lifetimes.first { $0.launchedAt > 0 })
    #expect(Self.close(replacement.launchedAt, 1_830))
    let timeline = try #require(result.timeline)
    #expect(timeline.inService[31...34].allSatisfy { $0 == 2 })
    #expect(timeline.running[31] == 3)  // [1860, 1920): the replacement is pending beside the two
    #expect(timeline.delayedPerMinute[30...34].allSatisfy { $0 == 0 })
    #expect(timeline.desired.allSatisfy { $0 == 2 })
    let stats = try #require(result.statistics.disruptions)
    #expect(stats.capacityRebalanceLaunches >= 1 && stats.replacedBeforeInterruption >= 1)
  }

  // Capacity Rebalancing with a slow launch (200 s): the interruption at 1,950 comes before
  // the replacement (launched at 1,830) is in service at 2,030. The replacement becomes the
  // successor (no second launch); ticks at 1,980 sees one instance; 2,040 sees two.
  @Test("Capacity Rebalancing when the replacement is slower than the notice")
  func rebalancingTooSlow() throws {
    let rate = Self.rate(firstWarningAt: 1_830)
    let result = try Self.run(
      Self.spotGroup(launchSeconds: 200, capacityRebalance: true, rate: rate), demand: Array(repeating: 90, count: 60))
    let timeline = try #require(result.timeline)
    #expect(timeline.inService[33] == 1)
    #expect(timeline.inService[34] == 2)
    #expect(timeline.delayedPerMinute[33] == 30)
    let lifetimes = Self.sorted(result.lifetimes)
    let reclaimed = try #require(lifetimes.first { $0.launchedAt == 0 && $0.terminatedAt < 3_600 })
    #expect(Self.close(reclaimed.terminatedAt, 1_950))
    #expect(lifetimes.filter { $0.launchedAt > 0 && $0.launchedAt < 1_900 }.count == 1)
    #expect(lifetimes.filter { $0.launchedAt > 1_900 && $0.launchedAt < 2_100 }.isEmpty)
  }

  // 200 Spot instances for 10 days at 2e-6 per instance-second: the expected count is
  // 200 × 864,000 × 2e-6 = 345.6 (Poisson, sd 18.6); with instant replacement the fleet
  // stays at 200, so the count is Poisson with that mean. Within 4 sd.
  @Test("interruption counts follow the rate (Poisson, 4 standard deviations)")
  func rateMatches() throws {
    var group = GroupConfiguration(
      instanceType: "m5.large", minSize: 200, maxSize: 200, initialCapacity: 200, launchSeconds: 0,
      warmupSeconds: 0, capacityUnitsPerMinute: 60, onDemandPercentageAboveBaseCapacity: 0)
    group.spotInterruptions = SpotInterruptions(ratePerInstanceSecond: 2e-6, capacityRebalance: false)
    let result = try Self.run(group, demand: Array(repeating: 100, count: 14_400))
    let count = Double(try #require(result.statistics.disruptions).spotInterruptions)
    #expect(abs(count - 345.6) < 4 * 345.6.squareRoot(), "\(count) interruptions")
  }

  @Test("a Spot Advisor share becomes a per-instance rate: -ln(1 - p) over 730 hours")
  func monthlyShareToRate() {
    let rate = SpotInterruptions.rate(monthlyFraction: 0.175)
    // An instance running the whole month survives with probability exp(-rate × month).
    #expect(abs(exp(-rate * 730 * 3_600) - 0.825) < 1e-12)
    #expect(SpotInterruptions.rate(monthlyFraction: 0) == 0)
  }

  // Three zones, six On-Demand instances (two per zone), capacity 60 each, demand 300/min,
  // launch 100 s, max 10 (rebalancing margin 1). Zone 0 is lost at 3,600 for 1,800 s:
  // its two instances stop serving at once (ticks 60, 61, 62 see four: 240 of 300 served, 60
  // delayed each = 180 units). Found at 3,660: terminated, two launched in zones 1 and 2
  // (fewest first, ties to the lowest), in service at 3,760 (tick 63 sees six). The zone is
  // back at 5,400: zones hold 0/3/3, so two launch in zone 0 (room: 10 + 1 - 6 = 5), in
  // service at 5,500; then the group is two above desired and terminates one instance from
  // zone 1 and one from zone 2 (the zone with the most, ties to the lowest), in each the one
  // closest to its next instance-hour: the original (age 5,500: 1,700 s to go) before the
  // replacement (age 1,840: 1,760 s to go).
  @Test("zone outage: lost, found, replaced in the other zones, rebalanced when it is back")
  func zoneOutage() throws {
    var group = GroupConfiguration(
      instanceType: "m5.large", minSize: 6, maxSize: 10, initialCapacity: 6, launchSeconds: 100,
      warmupSeconds: 0, capacityUnitsPerMinute: 60)
    group.availabilityZoneCount = 3
    let outage = FleetFault.zoneOutage(
      ZoneOutage(name: "az-a", zone: 0, startSeconds: 3_600, durationSeconds: 1_800, detectionSeconds: 60))
    let result = try Self.run(group, demand: Array(repeating: 300, count: 120), faults: [outage])
    let timeline = try #require(result.timeline)
    #expect(timeline.inService[59] == 6)
    #expect(Array(timeline.inService[60...62]) == [4, 4, 4])
    #expect(timeline.inService[63] == 6)
    #expect(result.statistics.delayedUnits == 180)
    #expect(timeline.running[60] == 6 && timeline.running[61] == 6 && timeline.running[62] == 6)
    #expect(timeline.running[90] == 8 && timeline.running[92] == 6)
    let expected = [
      InstanceLifetime(count: 2, launchedAt: 0, terminatedAt: 3_660, isSpot: false, zone: 0),
      InstanceLifetime(count: 1, launchedAt: 0, terminatedAt: 5_500, isSpot: false, zone: 1),
      InstanceLifetime(count: 1, launchedAt: 0, terminatedAt: 5_500, isSpot: false, zone: 2),
      InstanceLifetime(count: 1, launchedAt: 0, terminatedAt: 7_200, isSpot: false, zone: 1),
      InstanceLifetime(count: 1, launchedAt: 0, terminatedAt: 7_200, isSpot: false, zone: 2),
      InstanceLifetime(count: 1, launchedAt: 3_660, terminatedAt: 7_200, isSpot: false, zone: 1),
      InstanceLifetime(count: 1, launchedAt: 3_660, terminatedAt: 7_200, isSpot: false, zone: 2),
      InstanceLifetime(count: 2, launchedAt: 5_400, terminatedAt: 7_200, isSpot: false, zone: 0),
    ]
    #expect(
      Self.sorted(result.lifetimes).sorted { ($0.launchedAt, $0.terminatedAt, $0.zone) < ($1.launchedAt, $1.terminatedAt, $1.zone) }
        == expected)
    let stats = try #require(result.statistics.disruptions)
    #expect(stats.instancesLostToZoneOutages == 2 && stats.zoneRebalanceLaunches == 2)
    #expect(stats.faults.map(\.name) == ["az-a"] && stats.faults[0].instancesLost == 2)
    #expect(result.statistics.desiredNeverChanged)
  }

  // One zone; desired 2 -> 4 by a scheduled action at 600. Every launch fails in
  // [0, 1,200) and is retried 300 s later: attempts at 600 and 900 fail (2 each), the one
  // at 1,200 succeeds; in service at 1,300.
  @Test("launch failures in a window are retried until capacity returns")
  func insufficientCapacityWindow() throws {
    let group = GroupConfiguration(
      instanceType: "m5.large", minSize: 1, maxSize: 10, initialCapacity: 2, launchSeconds: 100,
      warmupSeconds: 0, capacityUnitsPerMinute: 60)
    let action = ScalingPolicy.scheduled(ScheduledAction(name: "lunch", firingTimes: [600], desiredCapacity: 4))
    let failures = FleetFault.launchFailures(
      LaunchFailures(name: "ice", probability: 1, startSeconds: 0, endSeconds: 1_200, retrySeconds: 300))
    let result = try Self.run(group, demand: Array(repeating: 200, count: 40), policies: [action], faults: [failures])
    let launched = result.lifetimes.filter { $0.launchedAt > 0 }
    #expect(launched == [InstanceLifetime(count: 2, launchedAt: 1_200, terminatedAt: 2_400)])
    let stats = try #require(result.statistics.disruptions)
    #expect(stats.failedLaunchAttempts == 4)
    #expect(stats.faults[0].failedLaunchAttempts == 4)
    let timeline = try #require(result.timeline)
    #expect(timeline.inService[21] == 2 && timeline.inService[22] == 4)
    // Ticks 0...21 (to 1,320) serve 120 of 200: 80 delayed each.
    #expect(result.statistics.delayedUnits == 22 * 80)
  }

  @Test("a failed zone's launches go to the other zones")
  func failuresInOneZoneMoveLaunches() throws {
    var group = GroupConfiguration(
      instanceType: "m5.large", minSize: 1, maxSize: 10, initialCapacity: 2, launchSeconds: 100,
      warmupSeconds: 0, capacityUnitsPerMinute: 60)
    group.availabilityZoneCount = 2
    let action = ScalingPolicy.scheduled(ScheduledAction(name: "lunch", firingTimes: [600], desiredCapacity: 6))
    let failures = FleetFault.launchFailures(LaunchFailures(name: "ice-a", probability: 1, zone: 0))
    let result = try Self.run(group, demand: Array(repeating: 200, count: 40), policies: [action], faults: [failures])
    let launched = result.lifetimes.filter { $0.launchedAt > 0 }
    #expect(launched == [InstanceLifetime(count: 4, launchedAt: 600, terminatedAt: 2_400, zone: 1)])
    #expect(result.statistics.disruptions?.failedLaunchAttempts == 4)
  }

  @Test("with Spot interruptions, outages and failures: demand and instance-seconds conserved, runs repeat exactly")
  func invariantsWithDisruptions() throws {
    var group = GroupConfiguration(
      instanceType: "m5.large", minSize: 2, maxSize: 40, initialCapacity: 6, launchSeconds: 150,
      launchJitterSeconds: 30, warmupSeconds: 120, capacityUnitsPerMinute: 100, onDemandBaseCapacity: 2,
      onDemandPercentageAboveBaseCapacity: 25)
    group.availabilityZoneCount = 3
    group.spotInterruptions = SpotInterruptions(
      ratePerInstanceSecond: 2e-5, warningLeadSeconds: 600, capacityRebalance: true)
    let demand: [Double] = (0..<4_320).map { (k: Int) -> Double in
      let phase: Double = Double(k) / 1_440 * 2 * Double.pi
      return 600 + 500 * sin(phase) + Double(k % 7) * 20
    }
    let policy = ScalingPolicy.targetTracking(
      TargetTrackingPolicy(name: "cpu50", metric: .averageCPUUtilization, targetValue: 50))
    let faults: [FleetFault] = [
      .zoneOutage(ZoneOutage(name: "az-b", zone: 1, startSeconds: 50_000, durationSeconds: 7_200)),
      .launchFailures(LaunchFailures(name: "ice", probability: 0.3, startSeconds: 100_000, endSeconds: 150_000)),
    ]
    let a = try Self.run(group, demand: demand, policies: [policy], faults: faults)
    let b = try Self.run(group, demand: demand, policies: [policy], faults: faults)
    #expect(a == b)
    let stats = a.statistics
    #expect(abs(stats.servedUnits + stats.delayedUnits - stats.demandUnits) < 1e-6 * stats.demandUnits)
    let lifetimeSeconds = a.lifetimes.reduce(0.0) { $0 + Double($1.count) * ($1.terminatedAt - $1.launchedAt) }
    #expect(abs(lifetimeSeconds - stats.instanceSeconds) < 1e-6)
    let bad = a.lifetimes.filter { !($0.count > 0 && $0.terminatedAt >= $0.launchedAt && (0..<3).contains($0.zone)) }
    #expect(bad.isEmpty, "\(bad)")
    let disruptions = try #require(stats.disruptions)
    #expect(disruptions.spotWarnings > 0 && disruptions.instancesLostToZoneOutages > 0)
    #expect(disruptions.failedLaunchAttempts > 0)
    // Every tick ends with the group at desired capacity or launching towards it.
    let timeline = try #require(a.timeline)
    #expect(timeline.desired.allSatisfy { $0 >= 2 && $0 <= 40 })
    #expect(timeline.running.allSatisfy { $0 <= 40 + group.rebalancingMargin })
    // A different seed draws different interruptions.
    let c = try Self.run(group, demand: demand, policies: [policy], faults: faults, seed: 8)
    #expect(c.lifetimes != a.lifetimes)
  }

  @Test("without disruptions the engine's results are unchanged (no disruption record)")
  func inertWithout() throws {
    let group = GroupConfiguration(
      instanceType: "m5.large", minSize: 1, maxSize: 10, initialCapacity: 2, launchSeconds: 100,
      warmupSeconds: 0, capacityUnitsPerMinute: 60)
    let result = try Self.run(group, demand: Array(repeating: 90, count: 60))
    #expect(result.statistics.disruptions == nil)
    #expect(result.lifetimes.allSatisfy { $0.zone == 0 })
  }

  @Test("fault and Spot settings are checked before the run")
  func validation() {
    var group = GroupConfiguration(
      instanceType: "m5.large", minSize: 1, maxSize: 10, initialCapacity: 2, launchSeconds: 100,
      warmupSeconds: 0, capacityUnitsPerMinute: 60)
    #expect(throws: AutoScalingError.self) {
      try Self.run(
        group, demand: [1],
        faults: [.zoneOutage(ZoneOutage(name: "x", zone: 1, startSeconds: 0, durationSeconds: 60))])
    }
    #expect(throws: AutoScalingError.self) {
      try Self.run(group, demand: [1], faults: [.launchFailures(LaunchFailures(name: "x", probability: 1.5))])
    }
    group.spotInterruptions = SpotInterruptions(ratePerInstanceSecond: 1e-6, warningLeadSeconds: 60, capacityRebalance: true)
    #expect(throws: AutoScalingError.self) { try Self.run(group, demand: [1]) }
  }
}

extension FleetStatistics {
  fileprivate var desiredNeverChanged: Bool { scaleOutActions == 0 && scaleInActions == 0 }
}
