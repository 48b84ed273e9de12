import Foundation

extension BillingEngine {
  /// Everything the hour loop adds up; ``FleetBill`` turns it into reports.
  struct Accumulated {
    /// Per (bucket, commitment), index `b * commitments.count + c`.
    var coveredSeconds: [Double]
    var coveredUnits: [Double]
    /// Per on-demand bucket: seconds no commitment covered.
    var onDemandSeconds: [Double]
    /// Per commitment.
    var purchasedUnits: [Double]
    var usedUnits: [Double]
    var unusedUnits: [Double]
    var activeHours: [Double]
    var billedUSD: [Double]
    var billed = CostByPurchaseOption()
    var effective = CostByPurchaseOption()
    var listUSD = 0.0
    var hourlyBilledUSD: [Double]
    var hourlyEffectiveUSD: [Double]
  }

  /// A sink that receives nothing; the loop skips building rows for it.
  struct NoLineItems: LineItemSink {
    mutating func consume(hourRows rows: [CostLineItem]) throws {}
  }

  /// Walks the hours: per hour, zonal Reserved Instances, regional Reserved Instances, EC2
  /// Instance Savings Plans, Compute Savings Plans, each in `commitments` order, each over
  /// its targets in order; what is left is on-demand. With `emitsRows`, hands each hour's
  /// FOCUS rows to `sink`, timestamps counted from `start`.
  /// - Complexity: O(hours × (buckets + Σ targets of active commitments)) plus the rows.
  func run<Sink: LineItemSink>(start: Date, emitsRows: Bool, sink: inout Sink) throws -> Accumulated {
    let bucketCount = buckets.count
    let commitmentCount = commitments.count
    let secondsPerHour = HourlyAttribution.secondsPerHour
    var totals = Accumulated(
      coveredSeconds: .init(repeating: 0, count: bucketCount * commitmentCount),
      coveredUnits: .init(repeating: 0, count: bucketCount * commitmentCount),
      onDemandSeconds: .init(repeating: 0, count: bucketCount),
      purchasedUnits: .init(repeating: 0, count: commitmentCount),
      usedUnits: .init(repeating: 0, count: commitmentCount),
      unusedUnits: .init(repeating: 0, count: commitmentCount),
      activeHours: .init(repeating: 0, count: commitmentCount),
      billedUSD: .init(repeating: 0, count: commitmentCount),
      hourlyBilledUSD: .init(repeating: 0, count: hourCount),
      hourlyEffectiveUSD: .init(repeating: 0, count: hourCount))

    // Flat copies of what the loop reads, so that it touches no strings or nested arrays.
    let onDemandPerSecond = buckets.map { $0.onDemandUSDPerHour / secondsPerHour }
    let spotPerSecond = buckets.map { $0.spotUSDPerHour / secondsPerHour }
    // Pool per bucket, read only for on-demand buckets (which all have one; 0 fills the others).
    let bucketPool = buckets.map { $0.pool ?? 0 }
    let activeBuckets = (onDemandBuckets + spotBuckets).sorted()
    var poolMemberStart = [0]
    var poolMembers: [Int] = []
    for pool in pools {
      poolMembers += pool.members
      poolMemberStart.append(poolMembers.count)
    }
    var zoneMemberStart = [0]
    var zoneMembers: [Int] = []
    for zone in zones {
      zoneMembers += zone.members
      zoneMemberStart.append(zoneMembers.count)
    }
    let zonePool = zones.map(\.pool)
    var targetStart = [0]
    var targetPool: [Int] = []
    var targetUnitsPerSecond: [Double] = []
    for commitment in commitments {
      targetPool += commitment.targets.map(\.pool)
      targetUnitsPerSecond += commitment.targets.map(\.unitsPerSecond)
      targetStart.append(targetPool.count)
    }
    let isReservedInstance = commitments.map(\.isReservedInstance)
    let isZonal = commitments.map { $0.scope == .zonalReservedInstance }
    let commitmentZone = commitments.map(\.zone)
    let zoneUnitsPerSecond = commitments.map(\.zoneUnitsPerSecond)
    let commitmentStart = commitments.map(\.startSeconds)
    let commitmentEnd = commitments.map(\.endSeconds)
    let unitsPerHour = commitments.map(\.unitsPerHour)
    let effectiveUSDPerUnit = commitments.map(\.effectiveUSDPerUnit)
    let recurringUSDPerHour = commitments.map(\.recurringUSDPerHour)
    let upfrontUSD = commitments.map(\.upfrontUSD)
    let purchaseHour = commitments.map(\.purchaseHour)

    // Mutable per-hour state in raw buffers: the loop runs 8,760 times a year and Swift
    // arrays captured by the closure would pay a uniqueness check on every write.
    func buffer<T>(_ count: Int, _ value: T) -> UnsafeMutableBufferPointer<T> {
      let pointer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, count))
      pointer.initialize(repeating: value)
      return pointer
    }
    let remaining = buffer(bucketCount, 0.0)
    let poolRemaining = buffer(pools.count, 0.0)
    let hourFraction = buffer(commitmentCount, 0.0)
    let hourCapacity = buffer(commitmentCount, 0.0)
    let hourUsed = buffer(commitmentCount, 0.0)
    let coveredSeconds = buffer(bucketCount * commitmentCount, 0.0)
    let coveredUnits = buffer(bucketCount * commitmentCount, 0.0)
    let onDemandSeconds = buffer(bucketCount, 0.0)
    // At most one event per (commitment, bucket) and hour.
    let events = buffer(bucketCount * commitmentCount, Event(bucket: 0, commitment: 0, seconds: 0, units: 0))
    defer {
      for pointer in [
        remaining, poolRemaining, hourFraction, hourCapacity, hourUsed, coveredSeconds, coveredUnits,
        onDemandSeconds,
      ] {
        pointer.deallocate()
      }
      events.deallocate()
    }
    var rows: [CostLineItem] = []
    var templates = emitsRows ? RowTemplates(engine: self) : nil

    try schedule.forEachHour { h, hourSeconds in
      for p in poolRemaining.indices { poolRemaining[p] = 0 }
      var hasOnDemandUsage = false
      for b in onDemandBuckets {
        let s = hourSeconds[b]
        remaining[b] = s
        if s > 0 {
          poolRemaining[bucketPool[b]] += s
          hasOnDemandUsage = true
        }
      }
      var eventCount = 0

      let hourStart = Double(h) * secondsPerHour
      for c in 0..<commitmentCount {
        // Share of the hour the commitment is active.
        let low = max(commitmentStart[c], hourStart)
        let high = min(commitmentEnd[c], hourStart + secondsPerHour)
        let fraction = high > low ? (high - low) / secondsPerHour : 0
        hourFraction[c] = fraction
        hourUsed[c] = 0
        guard fraction > 0 else {
          hourCapacity[c] = 0
          continue
        }
        let capacity = unitsPerHour[c] * fraction
        hourCapacity[c] = capacity
        guard hasOnDemandUsage else { continue }
        var left = capacity
        var used = 0.0
        if isZonal[c] {
          if let z = commitmentZone[c] {
            var available = 0.0
            for m in zoneMemberStart[z]..<zoneMemberStart[z + 1] { available += remaining[zoneMembers[m]] }
            if available > 0 {
              used += Self.cover(
                members: zoneMembers, zoneMemberStart[z]..<zoneMemberStart[z + 1], available: available,
                unitsPerSecond: zoneUnitsPerSecond[c], left: &left, commitment: c, remaining: remaining,
                events: events, eventCount: &eventCount
              ).units
              let pool = zonePool[z]
              var poolLeft = 0.0
              for m in poolMemberStart[pool]..<poolMemberStart[pool + 1] { poolLeft += remaining[poolMembers[m]] }
              poolRemaining[pool] = poolLeft
            }
          }
        } else {
          for t in targetStart[c]..<targetStart[c + 1] {
            if left <= 0 { break }
            let pool = targetPool[t]
            let available = poolRemaining[pool]
            guard available > 0 else { continue }
            let covered = Self.cover(
              members: poolMembers, poolMemberStart[pool]..<poolMemberStart[pool + 1], available: available,
              unitsPerSecond: targetUnitsPerSecond[t], left: &left, commitment: c, remaining: remaining,
              events: events, eventCount: &eventCount)
            used += covered.units
            // All of the pool, or part of it with the commitment spent.
            poolRemaining[pool] = covered.coveredAll ? 0 : max(0, available - covered.seconds)
          }
        }
        hourUsed[c] = used
      }

      // Money of the hour.
      var onDemandUSD = 0.0, spotUSD = 0.0, listUSD = 0.0
      for b in onDemandBuckets {
        let s = hourSeconds[b]
        guard s > 0 else { continue }
        listUSD += s * onDemandPerSecond[b]
        let r = remaining[b]
        onDemandSeconds[b] += r
        onDemandUSD += r * onDemandPerSecond[b]
      }
      for b in spotBuckets {
        let s = hourSeconds[b]
        listUSD += s * onDemandPerSecond[b]
        spotUSD += s * spotPerSecond[b]
      }
      for e in 0..<eventCount {
        let event = events[e]
        let index = Int(event.bucket) * commitmentCount + Int(event.commitment)
        coveredSeconds[index] += event.seconds
        coveredUnits[index] += event.units
      }
      var riEffective = 0.0, spEffective = 0.0, riBilled = 0.0, spBilled = 0.0
      for c in 0..<commitmentCount where hourFraction[c] > 0 {
        var unused = hourCapacity[c] - hourUsed[c]
        if unused <= 1e-12 * hourCapacity[c] { unused = 0 }
        let effective = (hourUsed[c] + unused) * effectiveUSDPerUnit[c]
        var billed = recurringUSDPerHour[c] * hourFraction[c]
        if purchaseHour[c] == h { billed += upfrontUSD[c] }
        totals.purchasedUnits[c] += hourCapacity[c]
        totals.usedUnits[c] += hourUsed[c]
        totals.unusedUnits[c] += unused
        totals.activeHours[c] += hourFraction[c]
        totals.billedUSD[c] += billed
        if isReservedInstance[c] {
          riEffective += effective
          riBilled += billed
        } else {
          spEffective += effective
          spBilled += billed
        }
      }
      totals.billed.onDemandUSD += onDemandUSD
      totals.billed.spotUSD += spotUSD
      totals.billed.reservedInstanceUSD += riBilled
      totals.billed.savingsPlanUSD += spBilled
      totals.effective.onDemandUSD += onDemandUSD
      totals.effective.spotUSD += spotUSD
      totals.effective.reservedInstanceUSD += riEffective
      totals.effective.savingsPlanUSD += spEffective
      totals.listUSD += listUSD
      totals.hourlyBilledUSD[h] = onDemandUSD + spotUSD + riBilled + spBilled
      totals.hourlyEffectiveUSD[h] = onDemandUSD + spotUSD + riEffective + spEffective

      if emitsRows {
        rows.removeAll(keepingCapacity: true)
        templates!.appendRows(
          hour: h, start: start, engine: self, activeBuckets: activeBuckets, hourSeconds: hourSeconds,
          events: UnsafeBufferPointer(rebasing: events[0..<eventCount]), remaining: UnsafeBufferPointer(remaining),
          hourFraction: UnsafeBufferPointer(hourFraction), hourCapacity: UnsafeBufferPointer(hourCapacity),
          hourUsed: UnsafeBufferPointer(hourUsed), to: &rows)
        if !rows.isEmpty { try sink.consume(hourRows: rows) }
      }
    }
    if emitsRows { try sink.finish() }
    totals.coveredSeconds = Array(coveredSeconds)
    totals.coveredUnits = Array(coveredUnits)
    totals.onDemandSeconds = Array(onDemandSeconds)
    return totals
  }

  /// Covers up to `left` commitment units of `members[range]`' remaining usage (`available`
  /// seconds in all), the same fraction from each; records events. Returns the units used,
  /// the seconds covered and whether that was all of `available`.
  @inline(__always)
  static func cover(
    members: [Int], _ range: Range<Int>, available: Double, unitsPerSecond: Double, left: inout Double,
    commitment: Int, remaining: UnsafeMutableBufferPointer<Double>, events: UnsafeMutableBufferPointer<Event>,
    eventCount: inout Int
  ) -> (units: Double, seconds: Double, coveredAll: Bool) {
    let needed = available * unitsPerSecond
    let coversAll = needed <= left
    let fraction = coversAll ? 1 : left / needed
    var used = 0.0
    var covered = 0.0
    for m in range {
      let b = members[m]
      let r = remaining[b]
      guard r > 0 else { continue }
      let taken = coversAll ? r : r * fraction
      remaining[b] = coversAll ? 0 : r - taken
      let units = taken * unitsPerSecond
      used += units
      covered += taken
      events[eventCount] = Event(bucket: Int32(b), commitment: Int32(commitment), seconds: taken, units: units)
      eventCount += 1
    }
    left = coversAll ? left - needed : 0
    return (used, covered, coversAll)
  }
}
