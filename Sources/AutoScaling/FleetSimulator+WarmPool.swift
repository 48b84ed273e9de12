import Simulation

// The warm pool (ASG-UG, "Warm pools for Amazon EC2 Auto Scaling"): instances launched into
// the pool run their launch (Warmed:Pending, the group's `launchSeconds`), then wait stopped,
// hibernated or running; scale-out takes ready pool instances first (oldest first), which
// serve after `warmLaunchSeconds`, and launches cold only for the rest; the pool is refilled
// to its size after every change of desired capacity or of the group's sizes. Decisions
// AWS leaves open (docs/scenario-format.md, "Warm pools"):
// - the pool starts full and ready at time 0, as the group starts warmed up;
// - only instances that finished entering the pool are taken; those still entering are not;
// - an instance returned by ReuseOnScaleIn is ready in the pool at once;
// - when the pool is over its size (after reuse, or when max size falls), the newest pool
//   instances are terminated first, entering before ready;
// - launches into the pool take exactly `launchSeconds` (no jitter, no random draw, so a
//   pool never shifts the jitter of the group's own launches).
//
// Billing: an instance runs (and is billed per second, 60 s minimum per start) while it
// enters the pool, while it waits in a Running pool and from leaving a stopped pool until
// it is terminated or stopped again; a stopped or hibernated wait is a stored interval
// (EBS only). A Running pool instance keeps one lifetime from its launch to its end, as
// it never stops.

/// The pool's instances and what it did; part of `FleetEngine`.
struct WarmPoolState {
  /// Instances that entered the pool together (or are entering it).
  struct Batch {
    var count: Int
    /// When the instance last started running (its billing start).
    var launchedAt: SimTime
    /// When it became ready in the pool (stored interval start); for an entering batch,
    /// when it will.
    var readyAt: SimTime
    var isReady: Bool
  }
  var batches: [Batch] = []
  /// Indices into `batches` with instances, in entry order.
  var live: [Int] = []
  var entering = 0
  var ready = 0
  var total: Int { entering + ready }
  var storedIntervals: [WarmPoolStoredInterval] = []
  var statistics = WarmPoolStatistics()
  /// ∫ total dt up to `integratedTo`.
  var sizeIntegral = 0.0
  var integratedTo: SimTime = 0
}

extension FleetEngine {
  /// Fills the pool, ready, at time 0.
  mutating func startWarmPool() {
    guard let config = group.warmPool else { return }
    let size = config.targetSize(desired: desired, maxSize: maxSize)
    guard size > 0 else { return }
    pool.live.append(pool.batches.count)
    pool.batches.append(WarmPoolState.Batch(count: size, launchedAt: 0, readyAt: 0, isReady: true))
    pool.ready = size
  }

  /// Adds the pool's size over `[integratedTo, time)` to its integral.
  mutating func integratePoolSize(to time: SimTime) {
    pool.sizeIntegral += Double(pool.total) * (time - pool.integratedTo)
    pool.integratedTo = time
  }

  /// Takes up to `count` ready pool instances into the group (oldest first); each serves
  /// after `warmLaunchSeconds`. Returns how many it took.
  mutating func takeFromWarmPool(_ count: Int, at time: SimTime) -> Int {
    guard let config = group.warmPool else { return 0 }
    integratePoolSize(to: time)
    var taken = 0
    var position = 0
    while taken < count && position < pool.live.count {
      let index = pool.live[position]
      guard pool.batches[index].isReady else { position += 1; continue }
      let batch = pool.batches[index]
      // With every zone lost, nothing leaves the pool (the pool's zones are the group's).
      let share = disruptions.balanceIntoTentative(min(count - taken, batch.count))
      guard share > 0 else { break }
      let launchedAt: SimTime
      if config.isStored {
        pool.storedIntervals.append(WarmPoolStoredInterval(count: share, startSeconds: batch.readyAt, endSeconds: time))
        pool.statistics.storedPoolInstanceSeconds += Double(share) * (time - batch.readyAt)
        launchedAt = time
      } else {
        pool.statistics.runningPoolInstanceSeconds += Double(share) * (time - batch.readyAt)
        launchedAt = batch.launchedAt
      }
      // Across zones as the group balances its launches (the pool's instances are spread
      // like the group's); one zone without zones or faults.
      for zone in 0..<disruptions.zoneCount where disruptions.tentative[zone] > 0 {
        let zoneShare = disruptions.tentative[zone]
        let cohort = cohorts.count
        cohorts.append(
          Cohort(
            count: zoneShare, launchedAt: launchedAt, readyAt: time + config.warmLaunchSeconds, stage: .pending,
            isSpot: false, zone: zone))
        liveCohorts.append(cohort)
        events.schedule(.ready(cohort: cohort), at: time + config.warmLaunchSeconds)
        if disruptions.isActive { disruptions.noteAdded(count: zoneShare, zone: zone, isSpot: false) }
      }
      pool.batches[index].count -= share
      pool.ready -= share
      if pool.batches[index].count == 0 { pool.live.remove(at: position) } else { position += 1 }
      taken += share
    }
    pending += taken
    pool.statistics.launchesFromPool += taken
    pool.statistics.coldLaunches += count - taken
    return taken
  }

  /// Ends `count` group instances launched at `launchedAt`: back to the pool with
  /// ReuseOnScaleIn, else terminated (a lifetime).
  mutating func retire(_ count: Int, launchedAt: SimTime, isSpot: Bool, at time: SimTime) {
    guard let config = group.warmPool, config.reuseOnScaleIn else {
      lifetimes.append(InstanceLifetime(count: count, launchedAt: launchedAt, terminatedAt: time, isSpot: isSpot))
      return
    }
    integratePoolSize(to: time)
    if config.isStored {
      lifetimes.append(InstanceLifetime(count: count, launchedAt: launchedAt, terminatedAt: time))
    }
    pool.live.append(pool.batches.count)
    pool.batches.append(WarmPoolState.Batch(count: count, launchedAt: launchedAt, readyAt: time, isReady: true))
    pool.ready += count
    pool.statistics.returnedToPool += count
  }

  /// Launches into the pool or terminates pool instances so that it has its size for the
  /// current desired capacity and max size.
  mutating func reconcileWarmPool(at time: SimTime) {
    guard let config = group.warmPool else { return }
    integratePoolSize(to: time)
    let target = config.targetSize(desired: desired, maxSize: maxSize)
    if pool.total < target {
      let count = target - pool.total
      let index = pool.batches.count
      pool.live.append(index)
      pool.batches.append(
        WarmPoolState.Batch(count: count, launchedAt: time, readyAt: time + group.launchSeconds, isReady: false))
      pool.entering += count
      pool.statistics.poolRefills += count
      events.schedule(.poolReady(batch: index), at: time + group.launchSeconds)
    } else if pool.total > target {
      var excess = pool.total - target
      pool.statistics.poolTerminations += excess
      // Newest first, entering before ready.
      // Entering first, then ready (a loop, not an array literal: no allocation per call).
      for pass in 0..<2 {
        let wantsReady = pass == 1
        var position = pool.live.count - 1
        while excess > 0 && position >= 0 {
          let index = pool.live[position]
          if pool.batches[index].isReady == wantsReady {
            let share = min(excess, pool.batches[index].count)
            endPoolInstances(share, batch: index, at: time)
            pool.batches[index].count -= share
            if pool.batches[index].count == 0 { pool.live.remove(at: position) }
            excess -= share
          }
          position -= 1
        }
      }
    }
  }

  /// Records how `count` instances of pool batch `index` ran until `time` (their end),
  /// and takes them out of the pool's counts.
  mutating func endPoolInstances(_ count: Int, batch index: Int, at time: SimTime) {
    let batch = pool.batches[index]
    let isStored = group.warmPool?.isStored ?? true
    if batch.isReady {
      pool.ready -= count
      if isStored {
        pool.storedIntervals.append(WarmPoolStoredInterval(count: count, startSeconds: batch.readyAt, endSeconds: time))
        pool.statistics.storedPoolInstanceSeconds += Double(count) * (time - batch.readyAt)
      } else {
        lifetimes.append(InstanceLifetime(count: count, launchedAt: batch.launchedAt, terminatedAt: time))
        pool.statistics.runningPoolInstanceSeconds += Double(count) * (time - batch.readyAt)
      }
    } else {
      pool.entering -= count
      lifetimes.append(InstanceLifetime(count: count, launchedAt: batch.launchedAt, terminatedAt: time))
      pool.statistics.runningPoolInstanceSeconds += Double(count) * (time - batch.launchedAt)
    }
  }

  /// An entering batch finished its launch: it waits in the pool from now (stopped or
  /// hibernated instances stop running, which ends their lifetime).
  mutating func warmPoolBatchReady(_ index: Int, at time: SimTime) {
    guard !pool.batches[index].isReady, pool.batches[index].count > 0 else { return }
    let batch = pool.batches[index]
    pool.statistics.runningPoolInstanceSeconds += Double(batch.count) * (time - batch.launchedAt)
    if group.warmPool?.isStored ?? true {
      lifetimes.append(InstanceLifetime(count: batch.count, launchedAt: batch.launchedAt, terminatedAt: time))
    }
    pool.batches[index].isReady = true
    pool.batches[index].readyAt = time
    pool.entering -= batch.count
    pool.ready += batch.count
  }

  /// At the end of the run: every pool instance's open interval ends, and the pool's
  /// statistics go into `statistics`.
  mutating func finishWarmPool(at end: SimTime) {
    guard group.warmPool != nil else { return }
    integratePoolSize(to: end)
    for index in pool.live where pool.batches[index].count > 0 {
      endPoolInstances(pool.batches[index].count, batch: index, at: end)
    }
    pool.live.removeAll()
    pool.statistics.meanPoolSize = end > 0 ? pool.sizeIntegral / end : 0
    statistics.warmPool = pool.statistics
  }
}
