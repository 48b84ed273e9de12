import Foundation
import Simulation
import Testing

@testable import AutoScaling

/// Hand-computed warm pool timelines. The group: min 2, max 5, 2 in service at t=0,
/// cold launch 300 s, no warm-up, one-minute ticks, 20 minutes, no demand; a scheduled
/// action sets the desired capacity. The numbers in the expectations come from the walks
/// in the comments, not from running the code.
@Suite struct WarmPoolTests {
  static func group(initial: Int = 2, pool: WarmPoolConfiguration?) -> GroupConfiguration {
    GroupConfiguration(
      instanceType: "m5.large", minSize: 2, maxSize: 5, initialCapacity: initial,
      launchSeconds: 300, warmupSeconds: 0, capacityUnitsPerMinute: 100, warmPool: pool)
  }

  static func simulate(_ group: GroupConfiguration, _ actions: [(time: Double, desired: Int)]) throws -> FleetSimulationResult {
    let policies = actions.enumerated().map { index, action in
      ScalingPolicy.scheduled(ScheduledAction(name: "a\(index)", firingTimes: [action.time], desiredCapacity: action.desired))
    }
    return try FleetSimulator.run(
      FleetSimulationInput(
        group: group, policies: policies, demandPerMinute: Array(repeating: 0, count: 20), tickSeconds: 60,
        random: RandomStream(seed: 7), recordsTimeline: true))
  }

  static func instanceSeconds(_ lifetimes: [InstanceLifetime]) -> Double {
    lifetimes.reduce(0) { $0 + Double($1.count) * ($1.terminatedAt - $1.launchedAt) }
  }

  static let stopped = WarmPoolConfiguration(
    poolState: .stopped, minSize: 2, maxGroupPreparedCapacity: 4, warmLaunchSeconds: 60)

  // Pool size at desired 2: max(minSize 2, 4 - 2) = 2, stopped and ready at t=0.
  // t=600: desired 2 -> 5. Two instances leave the pool (stopped 0..600), start at 600 and
  // serve at 660 (warm launch 60 s); the third launches cold at 600 and serves at 900.
  // The pool's size is now max(2, 4 - 5) = 2, and it is empty: two instances launch into
  // it at 600, run their launch until 900 (billed), then wait stopped until the end (1200).
  // In service: 2 until tick 10, 4 from tick 11 (t=660), 5 from tick 15 (t=900).
  // Lifetimes: 2 x 1200 (initial) + 2 x 600 (from the pool) + 1 x 600 (cold)
  //   + 2 x 300 (entering the pool) = 4800 s. Stopped: 2 x 600 + 2 x 300 = 1800 s.
  @Test("desired 2 -> 5 with a stopped pool of 2: two serve after the warm launch, one cold, the pool refills")
  func scaleOutFromStoppedPool() throws {
    let result = try Self.simulate(Self.group(pool: Self.stopped), [(600, 5)])
    let timeline = try #require(result.timeline)
    #expect(timeline.inService[10] == 2)
    #expect(timeline.inService[11] == 4)
    #expect(timeline.inService[14] == 4)
    #expect(timeline.inService[15] == 5)
    #expect(
      result.lifetimes.sorted { ($0.launchedAt, $0.terminatedAt, $0.count) < ($1.launchedAt, $1.terminatedAt, $1.count) } == [
        InstanceLifetime(count: 2, launchedAt: 0, terminatedAt: 1_200),
        InstanceLifetime(count: 2, launchedAt: 600, terminatedAt: 900),
        InstanceLifetime(count: 1, launchedAt: 600, terminatedAt: 1_200),
        InstanceLifetime(count: 2, launchedAt: 600, terminatedAt: 1_200),
      ])
    #expect(result.warmPoolStoredIntervals == [
      WarmPoolStoredInterval(count: 2, startSeconds: 0, endSeconds: 600),
      WarmPoolStoredInterval(count: 2, startSeconds: 900, endSeconds: 1_200),
    ])
    #expect(result.statistics.instanceSeconds == 4_800)
    #expect(Self.instanceSeconds(result.lifetimes) == result.statistics.instanceSeconds)
    let pool = try #require(result.statistics.warmPool)
    #expect(pool.launchesFromPool == 2)
    #expect(pool.coldLaunches == 1)
    #expect(pool.poolRefills == 2)
    #expect(pool.storedPoolInstanceSeconds == 1_800)
    #expect(pool.runningPoolInstanceSeconds == 600)
    #expect(pool.meanPoolSize == 2)  // 2 waiting 0..600, 2 entering or waiting 600..1200
  }

  // The same with a Running pool: nothing stops, so each pool instance has one lifetime
  // from its launch. The two initial pool instances run 0..1200 (pool, then group from
  // 600); the refill runs 600..1200. Lifetimes: 2 x 1200 (group) + 2 x 1200 (initial pool)
  // + 1 x 600 (cold) + 2 x 600 (refill) = 6600 s, 1800 s more than stopped, and no EBS.
  // Running outside the group: 2 x 600 (initial pool until taken) + 2 x 600 (refill) = 2400 s.
  @Test("a Running pool bills its instances' compute and no storage; a Stopped pool bills storage only")
  func runningVersusStopped() throws {
    var running = Self.stopped
    running.poolState = .running
    let result = try Self.simulate(Self.group(pool: running), [(600, 5)])
    #expect(result.statistics.instanceSeconds == 6_600)
    #expect(result.warmPoolStoredIntervals.isEmpty)
    let pool = try #require(result.statistics.warmPool)
    #expect(pool.runningPoolInstanceSeconds == 2_400)
    #expect(pool.storedPoolInstanceSeconds == 0)
    let timeline = try #require(result.timeline)
    #expect(timeline.inService[11] == 4)
    #expect(timeline.inService[15] == 5)
    let stopped = try Self.simulate(Self.group(pool: Self.stopped), [(600, 5)])
    #expect(result.statistics.instanceSeconds - stopped.statistics.instanceSeconds == 1_800)
  }

  // Reuse on scale-in: 4 in service, pool size 5 - 4 = 1 (max prepared = max size).
  // t=600: desired 4 -> 2. Two instances stop (lifetimes 0..600) and wait in the pool from
  // 600; the pool has 3 = its size 5 - 2, so nothing launches or terminates.
  // t=900: desired 2 -> 4. The two oldest pool instances leave: the initial one (stopped
  // 0..900) and one returned (600..900); they serve at 960. The pool's size is 1 and 1 is
  // left (returned, stopped 600..1200).
  @Test("reuse on scale-in: instances stop into the pool and scale-out takes the oldest back")
  func reuseOnScaleIn() throws {
    let config = WarmPoolConfiguration(poolState: .stopped, reuseOnScaleIn: true, warmLaunchSeconds: 60)
    let result = try Self.simulate(Self.group(initial: 4, pool: config), [(600, 2), (900, 4)])
    let pool = try #require(result.statistics.warmPool)
    #expect(pool.returnedToPool == 2)
    #expect(pool.launchesFromPool == 2)
    #expect(pool.coldLaunches == 0)
    #expect(pool.poolRefills == 0)
    #expect(pool.poolTerminations == 0)
    #expect(result.warmPoolStoredIntervals.sorted { ($0.startSeconds, $0.endSeconds) < ($1.startSeconds, $1.endSeconds) } == [
      WarmPoolStoredInterval(count: 1, startSeconds: 0, endSeconds: 900),
      WarmPoolStoredInterval(count: 1, startSeconds: 600, endSeconds: 900),
      WarmPoolStoredInterval(count: 1, startSeconds: 600, endSeconds: 1_200),
    ])
    // 2 x 1200 kept + 2 x 600 until the scale-in + 2 x 300 from 900.
    #expect(result.statistics.instanceSeconds == 4_200)
    let timeline = try #require(result.timeline)
    #expect(timeline.inService[10] == 2)
    #expect(timeline.inService[15] == 2)
    #expect(timeline.inService[16] == 4)
    // Without reuse the two scaled-in instances terminate and two new ones launch into the
    // pool at 600 (entering until 900); at 900 the scheduled action (queued first) takes
    // the one ready instance and launches one cold; the pool's size is then 5 - 4 = 1 with
    // 2 entering, so the newest entering one is terminated.
    var noReuse = config
    noReuse.reuseOnScaleIn = false
    let plain = try Self.simulate(Self.group(initial: 4, pool: noReuse), [(600, 2), (900, 4)])
    let plainPool = try #require(plain.statistics.warmPool)
    #expect(plainPool.returnedToPool == 0)
    #expect(plainPool.poolRefills == 2)
    #expect(plainPool.poolTerminations == 1)
    #expect(plainPool.launchesFromPool == 1)
    #expect(plainPool.coldLaunches == 1)
  }

  // Min size 1, reuse on: 3 in service, max prepared 3 -> pool max(1, 0) = 1.
  // t=600: desired 3 -> 2: one instance returns (pool 2), size max(1, 3 - 2) = 1: the
  // newest pool instance (the returned one) is terminated at once.
  @Test("a pool over its size after reuse terminates its newest instances")
  func overSizeAfterReuse() throws {
    let config = WarmPoolConfiguration(minSize: 1, maxGroupPreparedCapacity: 3, reuseOnScaleIn: true, warmLaunchSeconds: 60)
    let result = try Self.simulate(Self.group(initial: 3, pool: config), [(600, 2)])
    let pool = try #require(result.statistics.warmPool)
    #expect(pool.returnedToPool == 1)
    #expect(pool.poolTerminations == 1)
    #expect(result.warmPoolStoredIntervals.sorted { $0.startSeconds < $1.startSeconds } == [
      WarmPoolStoredInterval(count: 1, startSeconds: 0, endSeconds: 1_200),
      WarmPoolStoredInterval(count: 1, startSeconds: 600, endSeconds: 600),
    ])
  }

  @Test("no warm pool: no pool statistics and no stored intervals")
  func withoutPool() throws {
    let result = try Self.simulate(Self.group(pool: nil), [(600, 5)])
    #expect(result.statistics.warmPool == nil)
    #expect(result.warmPoolStoredIntervals.isEmpty)
    #expect(result.statistics.instanceSeconds == 4_200)  // 2 x 1200 + 3 x 600
  }

  @Test("same input, same result (determinism) with a pool and launch jitter")
  func determinism() throws {
    var group = Self.group(pool: Self.stopped)
    group.launchJitterSeconds = 100
    let first = try Self.simulate(group, [(600, 5), (900, 2)])
    let second = try Self.simulate(group, [(600, 5), (900, 2)])
    #expect(first == second)
  }

  @Test("a warm pool on a group with Spot is rejected, as AWS rejects it")
  func spotRejected() throws {
    var group = Self.group(pool: Self.stopped)
    group.onDemandPercentageAboveBaseCapacity = 50
    let error = try #require(throws: AutoScalingError.self) { try group.validate() }
    #expect(error.field == "warmPool.onDemandPercentageAboveBaseCapacity")
    #expect(error.description.contains("AWS allows no warm pool on a group with Spot"))
  }

  @Test(arguments: [
    (WarmPoolConfiguration(minSize: -1, warmLaunchSeconds: 60), "warmPool.minSize"),
    (WarmPoolConfiguration(warmLaunchSeconds: -5), "warmPool.warmLaunchSeconds"),
    (WarmPoolConfiguration(warmLaunchSeconds: 60, volumeGiBPerInstance: 0), "warmPool.volumeGiBPerInstance"),
    (WarmPoolConfiguration(warmLaunchSeconds: 60, usdPerGBMonth: .nan), "warmPool.usdPerGBMonth"),
    (WarmPoolConfiguration(maxGroupPreparedCapacity: -2, warmLaunchSeconds: 60), "warmPool.maxGroupPreparedCapacity"),
  ])
  func invalidValuesAreErrors(config: WarmPoolConfiguration, field: String) throws {
    let error = try #require(throws: AutoScalingError.self) { try Self.group(pool: config).validate() }
    #expect(error.field == field)
  }
}
