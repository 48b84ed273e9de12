import DequeModule
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
///
/// The pool is two queues of batches (instances that entered the pool together), each in
/// entry order (`sequence`):
/// - `entering`: batches still running their launch. Every launch into the pool takes
///   exactly `launchSeconds`, so they finish in entry order: the front is always the next
///   to be ready.
/// - `ready`: batches waiting in the pool. Scale-out takes from the front (oldest entry
///   first); an over-size pool ends batches from the back (newest first). A batch returned
///   by ReuseOnScaleIn is ready at once and joins at the back; an entering batch that
///   finishes joins at its entry position, behind only the returned batches that entered
///   after it (those from the last `launchSeconds`), so the queue stays in entry order.
///
/// - Complexity: a take, a return and an entering batch's end are O(1) amortised (plus
///   the batches a take empties, and the returns an entering batch passes); ending an
///   over-size pool's instances is O(batches it ends). Before (one array of every batch,
///   scanned and removed from at the front) each was O(batches in the pool).
struct WarmPoolState {
  /// Instances that entered the pool together (or are entering it).
  struct Batch {
    /// Entry order: the order in which batches were created (a launch into the pool, or
    /// a return); also the `poolReady` event's key.
    let sequence: Int
    var count: Int
    /// When the instance last started running (its billing start).
    var launchedAt: SimTime
    /// When it became ready in the pool (stored interval start); for an entering batch,
    /// when it will.
    var readyAt: SimTime
  }
  /// Batches still entering the pool, in entry order (= the order they become ready).
  var entering = Deque<Batch>()
  /// Batches ready in the pool, in entry order.
  var ready = Deque<Batch>()
  /// The next batch's `sequence`.
  var nextSequence = 0
  var enteringCount = 0
  var readyCount = 0
  var total: Int { enteringCount + readyCount }
  var storedIntervals: [WarmPoolStoredInterval] = []
  var statistics = WarmPoolStatistics()
  /// Per zone, what one take of a stored pool moves (scratch, sized to the zones).
  var takeShares: [Int] = []
  /// ∫ total dt up to `integratedTo`.
  var sizeIntegral = 0.0
  var integratedTo: SimTime = 0

  /// A new batch, the next in entry order.
  mutating func makeBatch(count: Int, launchedAt: SimTime, readyAt: SimTime) -> Batch {
    defer { nextSequence += 1 }
    return Batch(sequence: nextSequence, count: count, launchedAt: launchedAt, readyAt: readyAt)
  }

  /// Puts a batch that just became ready at its entry position in `ready`.
  mutating func insertReady(_ batch: Batch) {
    var position = ready.count
    while position > 0 && ready[position - 1].sequence > batch.sequence { position -= 1 }
    ready.insert(batch, at: position)
  }
}

extension FleetEngine {
  mutating func clearTakeShares() {
    if pool.takeShares.count != disruptions.zoneCount {
      pool.takeShares = Array(repeating: 0, count: disruptions.zoneCount)
    }
    for zone in 0..<disruptions.zoneCount { pool.takeShares[zone] = 0 }
  }

  /// Fills the pool, ready, at time 0.
  mutating func startWarmPool() {
    guard let config = group.warmPool else { return }
    let size = config.targetSize(desired: desired, maxSize: maxSize)
    guard size > 0 else { return }
    pool.ready.append(pool.makeBatch(count: size, launchedAt: 0, readyAt: 0))
    pool.readyCount = size
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
    // A stored pool's instances all start running now: whatever one take moves goes into
    // one cohort per zone, not one per batch (measured: per-batch cohorts made the live
    // list 20x longer and a warm pool year 3.9x the plain year's instructions).
    let merges = config.isStored
    if merges { clearTakeShares() }
    while taken < count, let batch = pool.ready.first {
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
      for zone in 0..<disruptions.zoneCount where disruptions.tentative[zone] > 0 && merges {
        pool.takeShares[zone] += disruptions.tentative[zone]
      }
      for zone in 0..<disruptions.zoneCount where disruptions.tentative[zone] > 0 && !merges {
        addCohort(
          count: disruptions.tentative[zone], at: time, latency: config.warmLaunchSeconds, isSpot: false, zone: zone,
          launchedAt: launchedAt)
      }
      if share == batch.count {
        pool.ready.removeFirst()
      } else {
        pool.ready[pool.ready.startIndex].count -= share
      }
      pool.readyCount -= share
      taken += share
    }
    if merges {
      for zone in 0..<disruptions.zoneCount where pool.takeShares[zone] > 0 {
        addCohort(count: pool.takeShares[zone], at: time, latency: config.warmLaunchSeconds, isSpot: false, zone: zone)
      }
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
    // Pieces of one scale-in return together: one batch, when nothing entered the pool
    // between them (entry order unchanged) and, for a Running pool, they started together.
    if let last = pool.ready.last, last.sequence == pool.nextSequence - 1, last.readyAt == time,
      config.isStored || last.launchedAt == launchedAt
    {
      pool.ready[pool.ready.index(before: pool.ready.endIndex)].count += count
    } else {
      pool.ready.append(pool.makeBatch(count: count, launchedAt: launchedAt, readyAt: time))
    }
    pool.readyCount += count
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
      let batch = pool.makeBatch(count: count, launchedAt: time, readyAt: time + group.launchSeconds)
      pool.entering.append(batch)
      pool.enteringCount += count
      pool.statistics.poolRefills += count
      events.schedule(.poolReady(batch: batch.sequence), at: batch.readyAt)
    } else if pool.total > target {
      var excess = pool.total - target
      pool.statistics.poolTerminations += excess
      // Newest first, entering before ready.
      while excess > 0, let batch = pool.entering.last {
        let share = min(excess, batch.count)
        endPoolInstances(share, of: batch, isReady: false, at: time)
        if share == batch.count {
          pool.entering.removeLast()
        } else {
          pool.entering[pool.entering.index(before: pool.entering.endIndex)].count -= share
        }
        excess -= share
      }
      while excess > 0, let batch = pool.ready.last {
        let share = min(excess, batch.count)
        endPoolInstances(share, of: batch, isReady: true, at: time)
        if share == batch.count {
          pool.ready.removeLast()
        } else {
          pool.ready[pool.ready.index(before: pool.ready.endIndex)].count -= share
        }
        excess -= share
      }
    }
  }

  /// Records how `count` instances of pool batch `batch` ran until `time` (their end),
  /// and takes them out of the pool's counts (the caller takes them out of the batch).
  mutating func endPoolInstances(_ count: Int, of batch: WarmPoolState.Batch, isReady: Bool, at time: SimTime) {
    let isStored = group.warmPool?.isStored ?? true
    if isReady {
      pool.readyCount -= count
      if isStored {
        pool.storedIntervals.append(WarmPoolStoredInterval(count: count, startSeconds: batch.readyAt, endSeconds: time))
        pool.statistics.storedPoolInstanceSeconds += Double(count) * (time - batch.readyAt)
      } else {
        lifetimes.append(InstanceLifetime(count: count, launchedAt: batch.launchedAt, terminatedAt: time))
        pool.statistics.runningPoolInstanceSeconds += Double(count) * (time - batch.readyAt)
      }
    } else {
      pool.enteringCount -= count
      lifetimes.append(InstanceLifetime(count: count, launchedAt: batch.launchedAt, terminatedAt: time))
      pool.statistics.runningPoolInstanceSeconds += Double(count) * (time - batch.launchedAt)
    }
  }

  /// An entering batch finished its launch: it waits in the pool from now (stopped or
  /// hibernated instances stop running, which ends their lifetime). Entering batches
  /// finish in entry order, so it is the front one unless the pool already ended it.
  mutating func warmPoolBatchReady(_ sequence: Int, at time: SimTime) {
    guard var batch = pool.entering.first, batch.sequence == sequence else { return }
    pool.entering.removeFirst()
    pool.statistics.runningPoolInstanceSeconds += Double(batch.count) * (time - batch.launchedAt)
    if group.warmPool?.isStored ?? true {
      lifetimes.append(InstanceLifetime(count: batch.count, launchedAt: batch.launchedAt, terminatedAt: time))
    }
    batch.readyAt = time
    pool.enteringCount -= batch.count
    pool.readyCount += batch.count
    pool.insertReady(batch)
  }

  /// At the end of the run: every pool instance's open interval ends, and the pool's
  /// statistics go into `statistics`.
  mutating func finishWarmPool(at end: SimTime) {
    guard group.warmPool != nil else { return }
    integratePoolSize(to: end)
    // Every batch's end, in entry order (the two queues merged).
    var nextEntering = pool.entering.startIndex
    var nextReady = pool.ready.startIndex
    while nextEntering < pool.entering.endIndex || nextReady < pool.ready.endIndex {
      let takesEntering =
        nextReady == pool.ready.endIndex
        || (nextEntering < pool.entering.endIndex
          && pool.entering[nextEntering].sequence < pool.ready[nextReady].sequence)
      if takesEntering {
        endPoolInstances(pool.entering[nextEntering].count, of: pool.entering[nextEntering], isReady: false, at: end)
        nextEntering += 1
      } else {
        endPoolInstances(pool.ready[nextReady].count, of: pool.ready[nextReady], isReady: true, at: end)
        nextReady += 1
      }
    }
    pool.entering.removeAll()
    pool.ready.removeAll()
    pool.statistics.meanPoolSize = end > 0 ? pool.sizeIntegral / end : 0
    statistics.warmPool = pool.statistics
  }
}
