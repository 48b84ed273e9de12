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
    /// Per hour: effective cost by purchase option, waste apart, and coverage's parts.
    var hourlyBreakdown: [HourlyCostBreakdown]
    /// Per (hour, service), index `h * services.count + s`: effective cost of the service's
    /// usage (on-demand, Spot, covered), waste excluded.
    var hourlyServiceUSD: [Double]
    /// Per (hour, commitment), index `h * commitments.count + c`: the amortized cost of the
    /// commitment's unused capacity in that hour (its waste).
    var hourlyCommitmentWasteUSD: [Double]

    /// Adds EBS storage to the totals, the hours and their breakdown (billed = effective =
    /// list: no commitment applies to storage).
    mutating func addStorage(_ charges: StorageCharges) {
      for (h, cost) in charges.hourlyUSD.enumerated() where cost > 0 {
        billed.ebsStorageUSD += cost
        effective.ebsStorageUSD += cost
        listUSD += cost
        hourlyBilledUSD[h] += cost
        hourlyEffectiveUSD[h] += cost
        hourlyBreakdown[h].ebsStorageUSD += cost
      }
    }
  }

  /// A sink that receives nothing; the loop skips building rows for it.
  struct NoLineItems: LineItemSink {
    mutating func consume(hourRows rows: [CostLineItem]) throws {}
  }

  /// The engine's tables flattened into arrays of numbers, so that the hour loop touches no
  /// strings or nested arrays. The members of pool p are
  /// `poolMembers[poolMemberStart[p]..<poolMemberStart[p + 1]]`; zones and commitment
  /// targets are laid out the same way.
  struct FlatTables {
    // Per bucket.
    let onDemandPerSecond: [Double]
    let spotPerSecond: [Double]
    /// The bucket's service (index into `services`).
    let bucketService: [Int]
    /// Read only for on-demand buckets, which all have a pool (0 fills the others).
    let bucketPool: [Int]
    /// On-demand and Spot buckets with billed seconds, in bucket order.
    let activeBuckets: [Int]
    // Pools, zones and targets.
    let poolMemberStart: [Int]
    let poolMembers: [Int]
    let zoneMemberStart: [Int]
    let zoneMembers: [Int]
    let zonePool: [Int]
    let targetStart: [Int]
    let targetPool: [Int]
    let targetUnitsPerSecond: [Double]
    // Per commitment.
    let isReservedInstance: [Bool]
    let isZonal: [Bool]
    let commitmentZone: [Int?]
    let zoneUnitsPerSecond: [Double]
    let commitmentStart: [Double]
    let commitmentEnd: [Double]
    let unitsPerHour: [Double]
    let effectiveUSDPerUnit: [Double]
    let recurringUSDPerHour: [Double]
    let upfrontUSD: [Double]
    let purchaseHour: [Int?]

    init(_ engine: BillingEngine) {
      let secondsPerHour = HourlyAttribution.secondsPerHour
      let buckets = engine.buckets, commitments = engine.commitments
      onDemandPerSecond = buckets.map { $0.onDemandUSDPerHour / secondsPerHour }
      spotPerSecond = buckets.map { $0.spotUSDPerHour / secondsPerHour }
      bucketService = buckets.map(\.service)
      bucketPool = buckets.map { $0.pool ?? 0 }
      activeBuckets = (engine.onDemandBuckets + engine.spotBuckets).sorted()
      (poolMemberStart, poolMembers) = Self.flattened(engine.pools.map(\.members))
      (zoneMemberStart, zoneMembers) = Self.flattened(engine.zones.map(\.members))
      zonePool = engine.zones.map(\.pool)
      (targetStart, targetPool) = Self.flattened(commitments.map { $0.targets.map(\.pool) })
      targetUnitsPerSecond = commitments.flatMap { $0.targets.map(\.unitsPerSecond) }
      isReservedInstance = commitments.map(\.isReservedInstance)
      isZonal = commitments.map { $0.scope == .zonalReservedInstance }
      commitmentZone = commitments.map(\.zone)
      zoneUnitsPerSecond = commitments.map(\.zoneUnitsPerSecond)
      commitmentStart = commitments.map(\.startSeconds)
      commitmentEnd = commitments.map(\.endSeconds)
      unitsPerHour = commitments.map(\.unitsPerHour)
      effectiveUSDPerUnit = commitments.map(\.effectiveUSDPerUnit)
      recurringUSDPerHour = commitments.map(\.recurringUSDPerHour)
      upfrontUSD = commitments.map(\.upfrontUSD)
      purchaseHour = commitments.map(\.purchaseHour)
    }

    /// Lists laid end to end, and where each starts (one more entry: the end).
    static func flattened(_ lists: [[Int]]) -> (start: [Int], elements: [Int]) {
      var start = [0]
      var elements: [Int] = []
      for list in lists {
        elements += list
        start.append(elements.count)
      }
      return (start, elements)
    }
  }

  /// The mutable per-hour state in raw buffers: the loop runs 8,760 times a year and Swift
  /// arrays captured by the closure would pay a uniqueness check on every write.
  struct HourState {
    /// Per bucket: seconds of the hour not yet covered.
    let remaining: UnsafeMutableBufferPointer<Double>
    /// Per pool: the sum of its members' `remaining`.
    let poolRemaining: UnsafeMutableBufferPointer<Double>
    /// Per commitment: the share of the hour it is active, its units and the units used.
    let hourFraction: UnsafeMutableBufferPointer<Double>
    let hourCapacity: UnsafeMutableBufferPointer<Double>
    let hourUsed: UnsafeMutableBufferPointer<Double>
    /// Running totals per (bucket, commitment) and per bucket.
    let coveredSeconds: UnsafeMutableBufferPointer<Double>
    let coveredUnits: UnsafeMutableBufferPointer<Double>
    let onDemandSeconds: UnsafeMutableBufferPointer<Double>
    /// Per (hour, service), index `h * serviceCount + s`: see `Accumulated.hourlyServiceUSD`.
    let hourlyServiceUSD: UnsafeMutableBufferPointer<Double>
    /// The hour's coverage events: at most one per (commitment, bucket).
    let events: UnsafeMutableBufferPointer<Event>

    init(bucketCount: Int, poolCount: Int, commitmentCount: Int, hourCount: Int, serviceCount: Int) {
      func buffer<T>(_ count: Int, _ value: T) -> UnsafeMutableBufferPointer<T> {
        let pointer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, count))
        pointer.initialize(repeating: value)
        return pointer
      }
      remaining = buffer(bucketCount, 0.0)
      poolRemaining = buffer(poolCount, 0.0)
      hourFraction = buffer(commitmentCount, 0.0)
      hourCapacity = buffer(commitmentCount, 0.0)
      hourUsed = buffer(commitmentCount, 0.0)
      coveredSeconds = buffer(bucketCount * commitmentCount, 0.0)
      coveredUnits = buffer(bucketCount * commitmentCount, 0.0)
      onDemandSeconds = buffer(bucketCount, 0.0)
      hourlyServiceUSD = buffer(hourCount * serviceCount, 0.0)
      events = buffer(bucketCount * commitmentCount, Event(bucket: 0, commitment: 0, seconds: 0, units: 0))
    }

    func deallocate() {
      for pointer in [
        remaining, poolRemaining, hourFraction, hourCapacity, hourUsed, coveredSeconds, coveredUnits, onDemandSeconds,
        hourlyServiceUSD,
      ] {
        pointer.deallocate()
      }
      events.deallocate()
    }
  }

  /// Walks the hours: per hour, zonal Reserved Instances, regional Reserved Instances, EC2
  /// Instance Savings Plans, Compute Savings Plans, each in `commitments` order, each over
  /// its targets in order; what is left is on-demand. With `emitsRows`, hands each hour's
  /// FOCUS rows to `sink`, timestamps counted from `start`.
  ///
  /// Each hour: `startHour` (the usage to cover), `applyCommitments` (coverage events),
  /// `addCosts` (the hour's money into the totals), then the rows.
  /// - Complexity: O(hours × (buckets + Σ targets of active commitments)) plus the rows.
  func run<Sink: LineItemSink>(start: Date, emitsRows: Bool, sink: inout Sink) throws -> Accumulated {
    let bucketCount = buckets.count
    let commitmentCount = commitments.count
    var totals = Accumulated(
      coveredSeconds: [], coveredUnits: [], onDemandSeconds: [],
      purchasedUnits: .init(repeating: 0, count: commitmentCount),
      usedUnits: .init(repeating: 0, count: commitmentCount),
      unusedUnits: .init(repeating: 0, count: commitmentCount),
      activeHours: .init(repeating: 0, count: commitmentCount),
      billedUSD: .init(repeating: 0, count: commitmentCount),
      hourlyBilledUSD: .init(repeating: 0, count: hourCount),
      hourlyEffectiveUSD: .init(repeating: 0, count: hourCount),
      hourlyBreakdown: .init(repeating: HourlyCostBreakdown(), count: hourCount),
      hourlyServiceUSD: [],
      hourlyCommitmentWasteUSD: .init(repeating: 0, count: hourCount * commitmentCount))
    let flat = FlatTables(self)
    let state = HourState(
      bucketCount: bucketCount, poolCount: pools.count, commitmentCount: commitmentCount, hourCount: hourCount,
      serviceCount: services.count)
    defer { state.deallocate() }
    var rows: [CostLineItem] = []
    var templates = emitsRows ? RowTemplates(engine: self) : nil

    try schedule.forEachHour { h, hourSeconds in
      let hasOnDemandUsage = startHour(hourSeconds, state: state, flat: flat)
      let eventCount = applyCommitments(hour: h, hasOnDemandUsage: hasOnDemandUsage, state: state, flat: flat)
      addCosts(hour: h, hourSeconds, eventCount: eventCount, state: state, flat: flat, to: &totals)
      if emitsRows {
        rows.removeAll(keepingCapacity: true)
        templates!.appendRows(
          hour: h, start: start, engine: self, activeBuckets: flat.activeBuckets, hourSeconds: hourSeconds,
          events: UnsafeBufferPointer(rebasing: state.events[0..<eventCount]),
          remaining: UnsafeBufferPointer(state.remaining), hourFraction: UnsafeBufferPointer(state.hourFraction),
          hourCapacity: UnsafeBufferPointer(state.hourCapacity), hourUsed: UnsafeBufferPointer(state.hourUsed),
          to: &rows)
        if !rows.isEmpty { try sink.consume(hourRows: rows) }
      }
    }
    if emitsRows { try sink.finish() }
    totals.coveredSeconds = Array(state.coveredSeconds)
    totals.coveredUnits = Array(state.coveredUnits)
    totals.onDemandSeconds = Array(state.onDemandSeconds)
    totals.hourlyServiceUSD = Array(state.hourlyServiceUSD.prefix(hourCount * services.count))
    return totals
  }

  /// Sets each on-demand bucket's remaining seconds to its billed seconds of the hour and
  /// each pool's to their sum; whether any on-demand usage is there to cover.
  @inline(__always)
  func startHour(_ hourSeconds: [Double], state: HourState, flat: FlatTables) -> Bool {
    let remaining = state.remaining, poolRemaining = state.poolRemaining
    for p in poolRemaining.indices { poolRemaining[p] = 0 }
    var hasOnDemandUsage = false
    for b in onDemandBuckets {
      let s = hourSeconds[b]
      remaining[b] = s
      if s > 0 {
        poolRemaining[flat.bucketPool[b]] += s
        hasOnDemandUsage = true
      }
    }
    return hasOnDemandUsage
  }

  /// Each commitment in order covers what it may of the usage still remaining; records the
  /// events, and per commitment its share of the hour, its units and the units used.
  /// Returns the number of events.
  @inline(__always)
  func applyCommitments(hour h: Int, hasOnDemandUsage: Bool, state: HourState, flat: FlatTables) -> Int {
    let secondsPerHour = HourlyAttribution.secondsPerHour
    let remaining = state.remaining, poolRemaining = state.poolRemaining, events = state.events
    let hourFraction = state.hourFraction, hourCapacity = state.hourCapacity, hourUsed = state.hourUsed
    let poolMemberStart = flat.poolMemberStart, poolMembers = flat.poolMembers
    let zoneMemberStart = flat.zoneMemberStart, zoneMembers = flat.zoneMembers
    var eventCount = 0
    let hourStart = Double(h) * secondsPerHour
    for c in 0..<commitments.count {
      // Share of the hour the commitment is active.
      let low = max(flat.commitmentStart[c], hourStart)
      let high = min(flat.commitmentEnd[c], hourStart + secondsPerHour)
      let fraction = high > low ? (high - low) / secondsPerHour : 0
      hourFraction[c] = fraction
      hourUsed[c] = 0
      guard fraction > 0 else {
        hourCapacity[c] = 0
        continue
      }
      let capacity = flat.unitsPerHour[c] * fraction
      hourCapacity[c] = capacity
      guard hasOnDemandUsage else { continue }
      var left = capacity
      var used = 0.0
      if flat.isZonal[c] {
        if let z = flat.commitmentZone[c] {
          var available = 0.0
          for m in zoneMemberStart[z]..<zoneMemberStart[z + 1] { available += remaining[zoneMembers[m]] }
          if available > 0 {
            used += Self.cover(
              members: zoneMembers, zoneMemberStart[z]..<zoneMemberStart[z + 1], available: available,
              unitsPerSecond: flat.zoneUnitsPerSecond[c], left: &left, commitment: c, remaining: remaining,
              events: events, eventCount: &eventCount
            ).units
            let pool = flat.zonePool[z]
            var poolLeft = 0.0
            for m in poolMemberStart[pool]..<poolMemberStart[pool + 1] { poolLeft += remaining[poolMembers[m]] }
            poolRemaining[pool] = poolLeft
          }
        }
      } else {
        for t in flat.targetStart[c]..<flat.targetStart[c + 1] {
          if left <= 0 { break }
          let pool = flat.targetPool[t]
          let available = poolRemaining[pool]
          guard available > 0 else { continue }
          let covered = Self.cover(
            members: poolMembers, poolMemberStart[pool]..<poolMemberStart[pool + 1], available: available,
            unitsPerSecond: flat.targetUnitsPerSecond[t], left: &left, commitment: c, remaining: remaining,
            events: events, eventCount: &eventCount)
          used += covered.units
          // All of the pool, or part of it with the commitment spent.
          poolRemaining[pool] = covered.coveredAll ? 0 : max(0, available - covered.seconds)
        }
      }
      hourUsed[c] = used
    }
    return eventCount
  }

  /// The hour's money: uncovered on-demand and Spot usage at their rates, commitments'
  /// effective (used and unused) and billed amounts; added to `totals` and the running
  /// per-bucket figures.
  @inline(__always)
  func addCosts(
    hour h: Int, _ hourSeconds: [Double], eventCount: Int, state: HourState, flat: FlatTables,
    to totals: inout Accumulated
  ) {
    let commitmentCount = commitments.count
    let remaining = state.remaining, onDemandSeconds = state.onDemandSeconds, events = state.events
    let coveredSeconds = state.coveredSeconds, coveredUnits = state.coveredUnits
    let hourFraction = state.hourFraction, hourCapacity = state.hourCapacity, hourUsed = state.hourUsed
    let bucketService = flat.bucketService
    // This hour's row of the per-(hour, service) costs.
    let serviceUSD = UnsafeMutableBufferPointer(rebasing: state.hourlyServiceUSD[(h * services.count)...])
    var onDemandUSD = 0.0, spotUSD = 0.0, listUSD = 0.0
    for b in onDemandBuckets {
      let s = hourSeconds[b]
      guard s > 0 else { continue }
      listUSD += s * flat.onDemandPerSecond[b]
      let r = remaining[b]
      onDemandSeconds[b] += r
      onDemandUSD += r * flat.onDemandPerSecond[b]
      serviceUSD[bucketService[b]] += r * flat.onDemandPerSecond[b]
    }
    let eligibleListUSD = listUSD
    for b in spotBuckets {
      let s = hourSeconds[b]
      listUSD += s * flat.onDemandPerSecond[b]
      spotUSD += s * flat.spotPerSecond[b]
      serviceUSD[bucketService[b]] += s * flat.spotPerSecond[b]
    }
    var coveredListUSD = 0.0
    for e in 0..<eventCount {
      let event = events[e]
      let b = Int(event.bucket), c = Int(event.commitment)
      let index = b * commitmentCount + c
      coveredSeconds[index] += event.seconds
      coveredUnits[index] += event.units
      coveredListUSD += event.seconds * flat.onDemandPerSecond[b]
      serviceUSD[bucketService[b]] += event.units * flat.effectiveUSDPerUnit[c]
    }
    var riEffective = 0.0, spEffective = 0.0, riBilled = 0.0, spBilled = 0.0, riWaste = 0.0, spWaste = 0.0
    for c in 0..<commitmentCount where hourFraction[c] > 0 {
      var unused = hourCapacity[c] - hourUsed[c]
      if unused <= 1e-12 * hourCapacity[c] { unused = 0 }
      let effective = (hourUsed[c] + unused) * flat.effectiveUSDPerUnit[c]
      var billed = flat.recurringUSDPerHour[c] * hourFraction[c]
      if flat.purchaseHour[c] == h { billed += flat.upfrontUSD[c] }
      totals.purchasedUnits[c] += hourCapacity[c]
      totals.usedUnits[c] += hourUsed[c]
      totals.unusedUnits[c] += unused
      totals.hourlyCommitmentWasteUSD[h * commitmentCount + c] = unused * flat.effectiveUSDPerUnit[c]
      totals.activeHours[c] += hourFraction[c]
      totals.billedUSD[c] += billed
      if flat.isReservedInstance[c] {
        riEffective += effective
        riBilled += billed
        riWaste += unused * flat.effectiveUSDPerUnit[c]
      } else {
        spEffective += effective
        spBilled += billed
        spWaste += unused * flat.effectiveUSDPerUnit[c]
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
    totals.hourlyBreakdown[h] = HourlyCostBreakdown(
      onDemandUSD: onDemandUSD, spotUSD: spotUSD, reservedInstanceUsedUSD: riEffective - riWaste,
      savingsPlanUsedUSD: spEffective - spWaste, wasteUSD: riWaste + spWaste, coveredOnDemandEquivalentUSD: coveredListUSD, eligibleOnDemandEquivalentUSD: eligibleListUSD)
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
