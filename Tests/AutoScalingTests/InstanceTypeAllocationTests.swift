import Foundation
import Simulation
import Testing

@testable import AutoScaling

/// A group with several instance types (MixedInstancesPolicy Overrides): where launches go
/// under each allocation order, how scale-in keeps the fleet where the strategy would put
/// it, launch failures of one type, capacity summed per type, and Spot interruptions at
/// each type's own rate. Every expected figure is counted by hand from the rules in
/// `InstanceTypeAllocation`'s documentation.
@Suite struct InstanceTypeAllocationTests {
  static func group(
    capacities: [Double], allocation: InstanceTypeAllocation, initial: Int, maxSize: Int = 20, spot: Bool
  ) -> GroupConfiguration {
    var group = GroupConfiguration(
      instanceType: "t0.large", minSize: 0, maxSize: maxSize, initialCapacity: initial, launchSeconds: 100,
      warmupSeconds: 0, capacityUnitsPerMinute: capacities[0], onDemandPercentageAboveBaseCapacity: spot ? 0 : 100)
    group.instanceTypes = capacities.enumerated().map {
      InstanceTypeOverride(instanceType: "t\($0.offset).large", capacityUnitsPerMinute: $0.element)
    }
    group.allocation = allocation
    return group
  }

  static func run(
    _ group: GroupConfiguration, ticks: Int, demand: Double = 0, actions: [(time: Double, desired: Int)] = [],
    faults: [FleetFault] = []
  ) throws -> FleetSimulationResult {
    let policies = actions.enumerated().map { index, action in
      ScalingPolicy.scheduled(ScheduledAction(name: "a\(index)", firingTimes: [action.time], desiredCapacity: action.desired))
    }
    var input = FleetSimulationInput(
      group: group, policies: policies, demandPerMinute: Array(repeating: demand, count: ticks), tickSeconds: 60,
      random: RandomStream(seed: 11))
    input.faults = faults
    return try FleetSimulator.run(input)
  }

  /// Instances of each type alive at `time` (launched at or before, terminated after).
  static func alive(_ result: FleetSimulationResult, types: Int, at time: Double) -> [Int] {
    var counts = Array(repeating: 0, count: types)
    for life in result.lifetimes where life.launchedAt <= time && life.terminatedAt > time {
      counts[life.typeIndex] += life.count
    }
    return counts
  }

  // One Spot pool (price-capacity-optimized and the capacity strategies): every Spot
  // instance, the initial 4 and the 6 launched at 600 s, goes to the first type of the
  // Spot order, t2.
  @Test("Spot in one pool: every launch goes to the first type of the order")
  func onePool() throws {
    let group = Self.group(
      capacities: [60, 60, 60], allocation: InstanceTypeAllocation(onDemandOrder: [0, 1, 2], spotOrder: [2, 0, 1]),
      initial: 4, spot: true)
    let result = try Self.run(group, ticks: 30, actions: [(600, 10)])
    #expect(Self.alive(result, types: 3, at: 1_799) == [0, 0, 10])
    #expect(result.lifetimes.allSatisfy { $0.isSpot && $0.typeIndex == 2 })
  }

  // lowest-price over 2 pools, order [t1, t0]: the initial 5 go one by one to the emptier
  // of t1 and t0 (ties to t1, earlier in the order): t1 3, t0 2. Scale-in to 2 at 600 s
  // takes one at a time from the fuller pool (ties: the cohort listed first, t0's):
  // t1 3 -> 2, t0 2 -> 1, t1 2 -> 1. Scale-out to 6 at 1,200 s: t1, t0, t1, t0 -> 3 and 3.
  // t2, outside the two pools, never runs.
  @Test("lowest-price spreads Spot over its pools and scale-in keeps them even")
  func lowestPriceSpread() throws {
    let group = Self.group(
      capacities: [60, 60, 60],
      allocation: InstanceTypeAllocation(onDemandOrder: [0, 1, 2], spotOrder: [1, 0, 2], spotPools: 2), initial: 5,
      spot: true)
    let result = try Self.run(group, ticks: 40, actions: [(600, 2), (1_200, 6)])
    #expect(Self.alive(result, types: 3, at: 599) == [2, 3, 0])
    #expect(Self.alive(result, types: 3, at: 601) == [1, 1, 0])
    #expect(Self.alive(result, types: 3, at: 1_201) == [3, 3, 0])
    let endedAt600 = result.lifetimes.filter { $0.terminatedAt == 600 }
    #expect(endedAt600.filter { $0.typeIndex == 1 }.reduce(0) { $0 + $1.count } == 2)
    #expect(endedAt600.filter { $0.typeIndex == 0 }.reduce(0) { $0 + $1.count } == 1)
  }

  // On-Demand prioritized [t0, t1], 4 instances of t0. Every t0 launch fails from 0 to
  // 1,000 s: the scale-out to 6 at 600 s tries t0 twice (2 failed attempts) and launches
  // 2 t1. Scale-in to 4 at 1,800 s cuts the type last in the order first: both t1 go
  // ([600, 1800]); the 4 t0 run to the end.
  @Test("A type whose launches fail: the next type in the order, then scale-in cuts it first")
  func failingTypeFallsBack() throws {
    let group = Self.group(
      capacities: [60, 60], allocation: InstanceTypeAllocation(onDemandOrder: [0, 1], spotOrder: [0, 1]), initial: 4,
      spot: false)
    let failures = FleetFault.launchFailures(
      LaunchFailures(name: "ice-t0", probability: 1, instanceType: 0, startSeconds: 0, endSeconds: 1_000))
    let result = try Self.run(group, ticks: 40, actions: [(600, 6), (1_800, 4)], faults: [failures])
    let t1 = result.lifetimes.filter { $0.typeIndex == 1 }
    #expect(t1.count == 1)
    #expect(t1.first.map { ($0.count, $0.launchedAt, $0.terminatedAt, $0.isSpot) } ?? (0, 0, 0, true) == (2, 600, 1_800, false))
    #expect(Self.alive(result, types: 2, at: 2_399) == [4, 0])
    #expect(result.statistics.disruptions?.failedLaunchAttempts == 2)
    #expect(result.statistics.disruptions?.faults.first?.failedLaunchAttempts == 2)
  }

  // A Spot-only failure leaves On-Demand launches of the type alone.
  @Test("Launch failures of one market only")
  func marketFilter() throws {
    let group = Self.group(
      capacities: [60, 60], allocation: InstanceTypeAllocation(onDemandOrder: [0, 1], spotOrder: [0, 1]), initial: 4,
      spot: false)
    let failures = FleetFault.launchFailures(
      LaunchFailures(name: "spot-t0", probability: 1, instanceType: 0, market: .spot))
    let result = try Self.run(group, ticks: 20, actions: [(600, 6)], faults: [failures])
    #expect(Self.alive(result, types: 2, at: 1_199) == [6, 0])
    #expect(result.statistics.disruptions?.failedLaunchAttempts == 0)
  }

  // Capacities 100 and 200 units/min, one instance of each (lowest-price over 2 pools):
  // 300 units/min in service. 10 ticks of 150 run at 50% CPU; 10 ticks of 450 at 100%
  // with 150/min delayed. Mean CPU 75%, delayed 1,500 units, served 1,500 + 3,000.
  @Test("Capacity in service is summed per type")
  func capacityPerType() throws {
    let group = Self.group(
      capacities: [100, 200],
      allocation: InstanceTypeAllocation(onDemandOrder: [0, 1], spotOrder: [0, 1], spotPools: 2), initial: 2,
      maxSize: 2, spot: true)
    var input = FleetSimulationInput(
      group: group, policies: [], demandPerMinute: Array(repeating: 150, count: 10) + Array(repeating: 450, count: 10),
      tickSeconds: 60, random: RandomStream(seed: 1))
    input.recordsTimeline = true
    let result = try FleetSimulator.run(input)
    #expect(Self.alive(result, types: 2, at: 0) == [1, 1])
    #expect(abs(result.statistics.meanCPUUtilization - 75) < 1e-9)
    #expect(abs(result.statistics.delayedUnits - 1_500) < 1e-9)
    #expect(abs(result.statistics.servedUnits - 4_500) < 1e-9)
  }

  // 20 Spot instances, 10 per type (lowest-price over both). Only t0 is interrupted, at
  // r per second; each reclaimed t0 is replaced by a t0 (the emptier pool), so t0's
  // exposure is 10 x 30 days and the count is Poisson with mean 400 (sd 20): within 4 sd.
  // No t1 instance ends before the run does.
  @Test("Spot interruptions at each type's own rate")
  func perTypeRates() throws {
    let days = 30.0
    let duration = days * 86_400
    let rate = 400 / (10 * duration)
    var group = Self.group(
      capacities: [60, 60],
      allocation: InstanceTypeAllocation(onDemandOrder: [0, 1], spotOrder: [0, 1], spotPools: 2), initial: 20,
      spot: true)
    group.minSize = 20
    group.instanceTypes[0].spotInterruptionRatePerSecond = rate
    group.instanceTypes[1].spotInterruptionRatePerSecond = 0
    group.spotInterruptions = SpotInterruptions(ratePerInstanceSecond: 0, capacityRebalance: false)
    let result = try Self.run(group, ticks: Int(days * 1_440))
    let interrupted = result.statistics.disruptions?.spotInterruptions ?? 0
    #expect(abs(Double(interrupted) - 400) <= 80, "\(interrupted) interruptions")
    #expect(result.lifetimes.filter { $0.typeIndex == 1 }.allSatisfy { $0.terminatedAt == duration })
    let endedEarly = result.lifetimes.filter { $0.typeIndex == 0 && $0.terminatedAt < duration }
    #expect(endedEarly.reduce(0) { $0 + $1.count } == interrupted)
    #expect(Self.alive(result, types: 2, at: duration - 1).reduce(0, +) == 20)
  }

  @Test("Same seed, same lifetimes, with several types and every disruption")
  func determinism() throws {
    var group = Self.group(
      capacities: [60, 80, 100],
      allocation: InstanceTypeAllocation(onDemandOrder: [1, 0, 2], spotOrder: [2, 0, 1], spotPools: 2), initial: 6,
      spot: true)
    group.onDemandBaseCapacity = 2
    group.availabilityZoneCount = 3
    group.spotInterruptions = SpotInterruptions(ratePerInstanceSecond: 2e-5, capacityRebalance: true)
    let policies: [ScalingPolicy] = [
      .targetTracking(TargetTrackingPolicy(name: "cpu", metric: .averageCPUUtilization, targetValue: 50))
    ]
    let demand = (0..<2_880).map { 400 + 300 * sin(Double($0) / 1_440 * 2 * .pi) }
    func once() throws -> FleetSimulationResult {
      var input = FleetSimulationInput(
        group: group, policies: policies, demandPerMinute: demand, tickSeconds: 60, random: RandomStream(seed: 5))
      input.faults = [
        .launchFailures(LaunchFailures(name: "ice", probability: 0.5, instanceType: 2, startSeconds: 30_000)),
        .zoneOutage(ZoneOutage(name: "az", zone: 1, startSeconds: 50_000, durationSeconds: 7_200)),
      ]
      return try FleetSimulator.run(input)
    }
    let first = try once()
    #expect(first == (try once()))
    // Conservation: every lifetime is of a listed type, and instance-seconds add up.
    #expect(first.lifetimes.allSatisfy { (0..<3).contains($0.typeIndex) })
    let seconds = first.lifetimes.reduce(0.0) { $0 + Double($1.count) * ($1.terminatedAt - $1.launchedAt) }
    #expect(abs(seconds - first.statistics.instanceSeconds) < 1e-6)
    #expect(Set(first.lifetimes.map(\.typeIndex)).count > 1)
  }

  @Test("Invalid instance types and allocations are errors naming the field")
  func validation() throws {
    let base = Self.group(
      capacities: [60, 60], allocation: InstanceTypeAllocation(onDemandOrder: [0, 1], spotOrder: [0, 1]), initial: 2,
      spot: true)
    func field(_ group: GroupConfiguration, fidelity: Fidelity = .fluid, faults: [FleetFault] = []) -> String? {
      var input = FleetSimulationInput(
        group: group, policies: [], demandPerMinute: [1], tickSeconds: 60, random: RandomStream(seed: 1),
        fidelity: fidelity)
      input.faults = faults
      do {
        try input.validate()
        return nil
      } catch {
        return error.field
      }
    }
    var notListed = base
    notListed.instanceType = "m5.large"
    #expect(field(notListed) == "instanceType")
    var badOrder = base
    badOrder.allocation = InstanceTypeAllocation(onDemandOrder: [0, 0], spotOrder: [0, 1])
    #expect(field(badOrder) == "allocation.onDemandOrder")
    var tooManyPools = base
    tooManyPools.allocation = InstanceTypeAllocation(onDemandOrder: [0, 1], spotOrder: [0, 1], spotPools: 3)
    #expect(field(tooManyPools) == "allocation.spotPools")
    var duplicate = base
    duplicate.instanceTypes[1].instanceType = "t0.large"
    #expect(field(duplicate) == "instanceTypes[1]")
    var unequal = base
    unequal.instanceTypes[1].capacityUnitsPerMinute = 90
    #expect(field(unequal, fidelity: .queueing) == "instanceTypes")
    #expect(field(unequal) == nil)
    #expect(
      field(base, faults: [.launchFailures(LaunchFailures(name: "x", probability: 1, instanceType: 2))])
        == "faults['x'].instanceType")
    var pooled = base
    pooled.onDemandPercentageAboveBaseCapacity = 100
    pooled.warmPool = WarmPoolConfiguration(warmLaunchSeconds: 30)
    #expect(field(pooled) != nil)
  }
}
