import Simulation

/// What the disruptions did in one run (instances, not instance-seconds: the bill and the
/// demand figures say what they cost).
public struct DisruptionStatistics: Codable, Sendable, Equatable {
  /// Rebalance recommendations (first warnings) received by Spot instances in service.
  public var spotWarnings = 0
  /// Spot instances reclaimed by EC2 (an at-risk instance Capacity Rebalancing replaced in
  /// time is terminated by the group instead, and not counted here).
  public var spotInterruptions = 0
  /// Replacements Capacity Rebalancing launched on a warning.
  public var capacityRebalanceLaunches = 0
  /// At-risk instances the group terminated after their replacement was in service.
  public var replacedBeforeInterruption = 0
  /// Instances running in a zone when it was lost.
  public var instancesLostToZoneOutages = 0
  /// Launch attempts (one instance, one zone) that failed with InsufficientInstanceCapacity.
  public var failedLaunchAttempts = 0
  /// Instances launched to rebalance the zones after an outage.
  public var zoneRebalanceLaunches = 0
  /// Per fault, in the order given.
  public var faults: [FaultStatistics] = []
  /// Spot instances reclaimed per instance type (the group's order); empty with one type.
  public var spotInterruptionsByType: [Int] = []

  public init() {}
}

public struct FaultStatistics: Codable, Sendable, Equatable {
  public var name: String
  public var instancesLost = 0
  public var failedLaunchAttempts = 0

  public init(name: String) { self.name = name }
}

/// The engine's disruption state. With no zones, Spot interruptions or faults it stays
/// inert (`isActive` false) and the engine takes its plain paths.
struct DisruptionState {
  var isActive = false
  /// Launches go through zone placement (several zones, or faults to avoid).
  var placesLaunches = false
  var zoneCount = 1
  var spot: SpotInterruptions?
  /// Per instance type: interruptions per live Spot instance-second.
  var spotRates: [Double] = [0]
  /// Some type's Spot instances are interrupted.
  var accruesSpot = false
  /// Instance types (1: the group's one type), their orders and ranks (position of each
  /// type in its order), and lowest-price's pool count.
  var typeCount = 1
  var onDemandOrder: [Int] = [0]
  var spotOrder: [Int] = [0]
  var onDemandRank: [Int] = [0]
  var spotRank: [Int] = [0]
  var spotPools = 1
  var faults: [FleetFault] = []
  /// (fault index, its launch failures), in fault order.
  var launchFailures: [(fault: Int, failures: LaunchFailures)] = []
  /// Live instances per zone, every stage (surplus included: they are in the zone).
  var zoneRunning: [Int] = [0]
  /// Outages in force per zone (outages of one zone may overlap).
  var zoneOutages: [Int] = [0]
  /// Live Spot instances, every stage: all, per type, and per zone and type (index
  /// `zone * typeCount + type`).
  var spotAlive = 0
  var spotAliveByType: [Int] = [0]
  var spotPoolRunning: [Int] = [0]
  var spotExposure = 0.0
  var spotThreshold = 0.0
  var spotRandom = RandomStream(seed: 0)
  var launchRandom = RandomStream(seed: 0)
  var retryScheduled = false
  var statistics = DisruptionStatistics()
  // Per-zone scratch, sized once: placement and scale-in reuse them instead of allocating
  // small arrays per launch and per scale-in (measured: 363 K allocations in a three-zone
  // year, against 150 with one zone).
  var tentative: [Int] = [0]
  /// Placed so far per zone and type (index `zone * typeCount + type`).
  var tentativeByType: [Int] = [0]
  var quotas: [Int] = [0]
  var totals: [Int] = [0]
  var candidates: [Int] = [0]
  var bestPosition: [Int] = [0]
  var bestKey: [(Double, Double, Double)] = [(0, 0, 0)]
  var activeFailures: [Int] = []
  var activeFailuresTime = -SimTime.infinity

  init() {}

  init(input: FleetSimulationInput) {
    zoneCount = input.group.availabilityZoneCount
    spot = input.group.spotInterruptions
    let options = input.group.typeOptions
    typeCount = options.count
    spotRates = options.map { spot == nil ? 0 : ($0.spotInterruptionRatePerSecond ?? spot?.ratePerInstanceSecond ?? 0) }
    accruesSpot = spotRates.contains { $0 > 0 }
    let allocation = input.group.typeAllocation
    onDemandOrder = allocation.onDemandOrder
    spotOrder = allocation.spotOrder
    spotPools = allocation.spotPools
    onDemandRank = Array(repeating: 0, count: typeCount)
    spotRank = onDemandRank
    for (position, type) in onDemandOrder.enumerated() { onDemandRank[type] = position }
    for (position, type) in spotOrder.enumerated() { spotRank[type] = position }
    spotAliveByType = Array(repeating: 0, count: typeCount)
    spotPoolRunning = Array(repeating: 0, count: zoneCount * typeCount)
    tentativeByType = spotPoolRunning
    faults = input.faults
    isActive = zoneCount > 1 || spot != nil || !faults.isEmpty || typeCount > 1
    placesLaunches = zoneCount > 1 || !faults.isEmpty || typeCount > 1
    zoneRunning = Array(repeating: 0, count: zoneCount)
    zoneOutages = Array(repeating: 0, count: zoneCount)
    tentative = zoneRunning
    quotas = zoneRunning
    totals = zoneRunning
    candidates = zoneRunning
    bestPosition = zoneRunning
    bestKey = Array(repeating: (0, 0, 0), count: zoneCount)
    for (index, fault) in faults.enumerated() {
      if case .launchFailures(let f) = fault { launchFailures.append((index, f)) }
    }
    // Streams of their own, so the launch jitter of a run without disruptions is unchanged.
    spotRandom = input.random.substream(named: "spot-interruptions")
    launchRandom = input.random.substream(named: "launch-failures")
    if accruesSpot { spotThreshold = spotRandom.nextExponential(mean: 1) }
    statistics.faults = faults.map { FaultStatistics(name: $0.name) }
    if typeCount > 1 { statistics.spotInterruptionsByType = Array(repeating: 0, count: typeCount) }
  }

  mutating func noteAdded(count: Int, zone: Int, isSpot: Bool, type: Int = 0) {
    zoneRunning[zone] += count
    guard isSpot else { return }
    spotAlive += count
    spotAliveByType[type] += count
    spotPoolRunning[zone * typeCount + type] += count
  }

  mutating func noteRemoved(count: Int, zone: Int, isSpot: Bool, type: Int = 0) {
    zoneRunning[zone] -= count
    guard isSpot else { return }
    spotAlive -= count
    spotAliveByType[type] -= count
    spotPoolRunning[zone * typeCount + type] -= count
  }

  /// Interruptions per second of the whole live Spot fleet.
  func spotHazardPerSecond() -> Double {
    if typeCount == 1 { return spotRates[0] * Double(spotAlive) }
    var hazard = 0.0
    for type in 0..<typeCount { hazard += spotRates[type] * Double(spotAliveByType[type]) }
    return hazard
  }

  func isUp(_ zone: Int) -> Bool { zoneOutages[zone] == 0 }

  /// The launch failures in force at `time` (indices into `launchFailures`), recomputed
  /// only when the time changes: a year's worth of weekly windows is scanned once per
  /// launch time, not once per instance and zone.
  mutating func refreshActiveFailures(at time: SimTime) {
    guard time != activeFailuresTime else { return }
    activeFailuresTime = time
    activeFailures.removeAll(keepingCapacity: true)
    for (position, entry) in launchFailures.enumerated()
    where entry.failures.startSeconds <= time && time < (entry.failures.endSeconds ?? .infinity) {
      activeFailures.append(position)
    }
  }

  /// The zone that is up with the fewest instances, counting those placed so far
  /// (`tentative`), ties to the lowest index, leaving out the zones in `excluded` (a bit
  /// set; at most 32 zones): where the group puts its next instance.
  func emptiestUpZone(excluding excluded: UInt32 = 0) -> Int? {
    var best: Int?
    for zone in 0..<zoneCount where excluded & (1 << UInt32(zone)) == 0 && isUp(zone) {
      if best == nil || zoneRunning[zone] + tentative[zone] < zoneRunning[best!] + tentative[best!] { best = zone }
    }
    return best
  }

  /// `count` instances given one by one to the emptiest zone that is up, into `tentative`
  /// (no allocation): how the group balances launches across zones. Returns how many were
  /// placed (fewer only when every zone is down; one zone always takes them all).
  mutating func balanceIntoTentative(_ count: Int) -> Int {
    clearTentative()
    if zoneCount == 1 {
      tentative[0] = count
      return count
    }
    var placed = 0
    for _ in 0..<count {
      guard let best = emptiestUpZone() else { break }
      tentative[best] += 1
      placed += 1
    }
    return placed
  }

  mutating func clearTentative() {
    for zone in 0..<zoneCount { tentative[zone] = 0 }
    if typeCount > 1 {
      for pool in 0..<tentativeByType.count { tentativeByType[pool] = 0 }
    }
  }

  /// The type the allocation strategy wants next in `zone` for On-Demand or Spot, leaving
  /// out the types in `excluded`: On-Demand the first of its order; Spot, among the first
  /// `spotPools` of its order, the one with the fewest Spot instances in the zone (placed so
  /// far included; ties to the earlier), then the rest of the order.
  func preferredType(zone: Int, spot: Bool, excluding excluded: UInt64 = 0) -> Int? {
    let order = spot ? spotOrder : onDemandOrder
    let spread = spot ? spotPools : 1
    var best: Int?
    var bestCount = Int.max
    for position in 0..<spread {
      let type = order[position]
      guard excluded & (1 << UInt64(type)) == 0 else { continue }
      let pool = zone * typeCount + type
      let count = spotPoolRunning[pool] + tentativeByType[pool]
      if count < bestCount {
        best = type
        bestCount = count
      }
    }
    if best != nil { return best }
    for position in spread..<typeCount where excluded & (1 << UInt64(order[position])) == 0 { return order[position] }
    return nil
  }

  /// Scale-in's first key for a type (lower goes first): the strategy's last types first;
  /// among the pools lowest-price spreads over, the fullest in the zone.
  func terminationKey(type: Int, zone: Int, spot: Bool) -> Double {
    guard typeCount > 1 else { return 0 }
    let rank = spot ? spotRank[type] : onDemandRank[type]
    if spot && spotPools > 1 && rank < spotPools {
      return -Double(spotPoolRunning[zone * typeCount + type])
    }
    return -Double(GroupConfiguration.maximumSize + 1 + rank)
  }

  /// Lowest-price keeps its pools even: scale-in takes one instance at a time from them.
  func takesOneAtATime(type: Int, spot: Bool) -> Bool {
    spot && spotPools > 1 && spotRank[type] < spotPools
  }
}

extension FleetEngine {
  mutating func scheduleDisruptions() {
    guard disruptions.isActive else { return }
    for (index, fault) in disruptions.faults.enumerated() {
      if case .zoneOutage(let outage) = fault {
        events.schedule(.zoneDown(fault: index), at: outage.startSeconds)
        events.schedule(.zoneUp(fault: index), at: outage.startSeconds + outage.durationSeconds)
      }
    }
  }

  // MARK: Spot interruptions

  /// Adds the Spot exposure of `[start, end)` (instance-seconds × rate; the fleet is
  /// constant inside a tick) and schedules a warning wherever the exposure crosses the next
  /// unit-exponential threshold: a Poisson process per live Spot instance, exact in time.
  mutating func accrueSpotExposure(from start: SimTime, to end: SimTime) {
    let rate = disruptions.spotHazardPerSecond()
    guard rate > 0 else { return }
    var time = start
    while true {
      let needed = disruptions.spotThreshold - disruptions.spotExposure
      let available = rate * (end - time)
      if available < needed {
        disruptions.spotExposure += available
        return
      }
      time += needed / rate
      events.schedule(.spotWarning, at: min(time, end))
      disruptions.spotExposure = 0
      disruptions.spotThreshold = disruptions.spotRandom.nextExponential(mean: 1)
    }
  }

  /// A warning reaches one live Spot instance, drawn uniformly (with several types: its
  /// type drawn by each type's share of the hazard, then the instance uniformly within it).
  /// One in service and not yet at risk becomes an at-risk cohort of its own, to be
  /// reclaimed `warningLeadSeconds` later; with Capacity Rebalancing a replacement launches now.
  mutating func spotWarning(at time: SimTime) {
    guard let spot = disruptions.spot, disruptions.spotAlive > 0 else { return }
    var type: Int?
    var alive = disruptions.spotAlive
    if disruptions.typeCount > 1 {
      var hazard = disruptions.spotRandom.nextUnitDouble() * disruptions.spotHazardPerSecond()
      for t in 0..<disruptions.typeCount where disruptions.spotAliveByType[t] > 0 && disruptions.spotRates[t] > 0 {
        type = t
        let share = disruptions.spotRates[t] * Double(disruptions.spotAliveByType[t])
        if hazard < share { break }
        hazard -= share
      }
      guard let type else { return }
      alive = disruptions.spotAliveByType[type]
    }
    var draw = min(alive - 1, Int(disruptions.spotRandom.nextUnitDouble() * Double(alive)))
    var chosen: Int?
    for index in liveCohorts where cohorts[index].isSpot && (type == nil || cohorts[index].type == type) {
      if draw < cohorts[index].count {
        chosen = index
        break
      }
      draw -= cohorts[index].count
    }
    guard let index = chosen else { return }
    let cohort = cohorts[index]
    // Pending instances, surplus replacements, instances already at risk and lost ones are
    // not drawn again (the warning is absorbed; the rate per instance is unchanged).
    guard cohort.stage == .warming || cohort.stage == .warmed, !cohort.isSurplus, !cohort.isAtRisk else { return }
    disruptions.statistics.spotWarnings += 1
    let atRisk: Int
    if cohort.count > 1 {
      cohorts[index].count -= 1
      var single = cohort
      single.count = 1
      single.isAtRisk = true
      atRisk = cohorts.count
      cohorts.append(single)
      liveCohorts.append(atRisk)
    } else {
      cohorts[index].isAtRisk = true
      atRisk = index
    }
    events.schedule(.spotInterruption(cohort: atRisk), at: time + spot.warningLeadSeconds)
    guard spot.capacityRebalance, running + 1 <= maxSize + group.rebalancingMargin else { return }
    disruptions.clearTentative()
    guard let (zone, type) = placeOne(at: time, spot: true) else {
      scheduleRetryIfFailing(at: time)
      return
    }
    let replacement = addCohort(count: 1, at: time, latency: launchLatency(), isSpot: true, zone: zone, type: type)
    cohorts[replacement].isSurplus = true
    cohorts[replacement].replaces = atRisk
    cohorts[atRisk].replacedBy = replacement
    pending += 1
    surplusPending += 1
    disruptions.statistics.capacityRebalanceLaunches += 1
  }

  /// EC2 reclaims the at-risk instance (if the group has not terminated it already). A
  /// pending Capacity Rebalancing replacement now counts as its successor; without one the
  /// group launches a replacement.
  mutating func spotInterruption(_ index: Int, at time: SimTime) {
    guard cohorts[index].count > 0, let position = liveCohorts.firstIndex(of: index) else { return }
    disruptions.statistics.spotInterruptions += cohorts[index].count
    if disruptions.typeCount > 1 { disruptions.statistics.spotInterruptionsByType[cohorts[index].type] += cohorts[index].count }
    remove(cohorts[index].count, fromLivePosition: position, at: time)
    if let replacement = cohorts[index].replacedBy, cohorts[replacement].isSurplus, cohorts[replacement].count > 0 {
      cohorts[replacement].isSurplus = false
      cohorts[replacement].replaces = nil
      surplusPending -= cohorts[replacement].count
      spotRunning += cohorts[replacement].count
    } else {
      fillToDesired(at: time)
    }
  }

  /// A surplus cohort is in service (it passed its health check): the group counts it, and
  /// terminates the instance it replaced, or, for a zone rebalance, as many instances as it
  /// is now above desired capacity (from the zone with the most, by the termination policy).
  mutating func surplusInService(_ index: Int, at time: SimTime) {
    let count = cohorts[index].count
    cohorts[index].isSurplus = false
    surplusPending -= count
    if cohorts[index].isSpot { spotRunning += count }
    if let replaced = cohorts[index].replaces {
      cohorts[index].replaces = nil
      if cohorts[replaced].count > 0, let position = liveCohorts.firstIndex(of: replaced) {
        disruptions.statistics.replacedBeforeInterruption += cohorts[replaced].count
        remove(cohorts[replaced].count, fromLivePosition: position, at: time)
      }
    }
    if scalingRunning > desired { terminate(scalingRunning - desired, at: time) }
    if cohorts[index].isZoneRebalance && surplusPending == 0 { rebalanceZones(at: time) }
  }

  // MARK: Zones

  mutating func zoneDown(_ fault: Int, at time: SimTime) {
    guard case .zoneOutage(let outage) = disruptions.faults[fault] else { return }
    disruptions.zoneOutages[outage.zone] += 1
    var lost = 0
    for index in liveCohorts where cohorts[index].zone == outage.zone && cohorts[index].stage != .impaired {
      let count = cohorts[index].count
      switch cohorts[index].stage {
      case .pending: pending -= count
      case .warming: warming -= count
      case .warmed: warmed -= count
      case .impaired: break
      }
      cohorts[index].stage = .impaired
      impaired += count
      lost += count
    }
    disruptions.statistics.instancesLostToZoneOutages += lost
    disruptions.statistics.faults[fault].instancesLost += lost
    events.schedule(.zoneDetected(fault: fault), at: time + outage.detectionSeconds)
  }

  /// The health checks find the lost instances: the group terminates them and launches
  /// their replacements in the zones that are up.
  mutating func zoneDetected(_ fault: Int, at time: SimTime) {
    guard case .zoneOutage(let outage) = disruptions.faults[fault] else { return }
    var position = liveCohorts.count - 1
    while position >= 0 {
      let index = liveCohorts[position]
      if cohorts[index].zone == outage.zone && cohorts[index].stage == .impaired {
        remove(cohorts[index].count, fromLivePosition: position, at: time)
      }
      position -= 1
    }
    fillToDesired(at: time)
  }

  mutating func zoneUp(_ fault: Int, at time: SimTime) {
    guard case .zoneOutage(let outage) = disruptions.faults[fault] else { return }
    disruptions.zoneOutages[outage.zone] -= 1
    fillToDesired(at: time)
    rebalanceZones(at: time)
  }

  /// Availability Zone rebalancing: when the zones that are up differ by more than one
  /// instance, launch in the emptiest first (up to the rebalancing margin above the
  /// maximum) and terminate in the fullest once the new instances are in service.
  mutating func rebalanceZones(at time: SimTime) {
    guard disruptions.zoneCount > 1, surplusPending == 0 else { return }
    let up = (0..<disruptions.zoneCount).filter { disruptions.isUp($0) }
    guard up.count > 1 else { return }
    let counts = up.map { disruptions.zoneRunning[$0] }
    guard let low = counts.min(), let high = counts.max(), high - low > 1 else { return }
    let floor = counts.reduce(0, +) / up.count
    let deficit = counts.reduce(0) { $0 + max(0, floor - $1) }
    let room = maxSize + group.rebalancingMargin - running
    let count = min(deficit, room)
    guard count > 0 else { return }
    // The new instances keep the fleet's mix; those terminated later follow the
    // instances distribution (the option with too many goes first).
    let onDemandShare = scalingRunning > 0 ? Double(scalingRunning - spotRunning) / Double(scalingRunning) : 1
    let onDemand = min(count, Int((Double(count) * onDemandShare).rounded()))
    let launched = launchPlaced(
      onDemand: onDemand, spot: count - onDemand, at: time, surplus: true, zoneRebalance: true)
    disruptions.statistics.zoneRebalanceLaunches += launched
  }

  /// How many of `count` instances of one purchase option each zone gives up, by the
  /// default termination policy's first rule for a mixed instances group, one instance at a
  /// time: among the zones that still have an instance of the option, the one with the most
  /// instances (ties to the lowest index), so that the zones end up most balanced. Counted
  /// on totals (`disruptions.candidates`, filled by `scanZones`), then each zone's share is
  /// taken by the in-zone order (measured: choosing cohort by cohort across zones made a
  /// three-zone year 2.5x slower than one zone). Leaves the shares in `disruptions.quotas`.
  mutating func zoneQuotas(_ count: Int) {
    let zones = disruptions.zoneCount
    for zone in 0..<zones {
      disruptions.quotas[zone] = 0
      disruptions.totals[zone] = disruptions.zoneRunning[zone]
    }
    for _ in 0..<count {
      var best: Int?
      for zone in 0..<zones where disruptions.candidates[zone] > disruptions.quotas[zone] {
        if best == nil || disruptions.totals[zone] > disruptions.totals[best!] { best = zone }
      }
      guard let best else { break }
      disruptions.quotas[best] += 1
      disruptions.totals[best] -= 1
    }
  }

  /// One pass over the live cohorts of the option: each zone's next cohort to terminate
  /// (`bestPosition`, `bestKey`), in the zones `onlyWithQuota` leaves in (all, or those with
  /// a quota left); with `countingCandidates`, each zone's instances of the option too.
  mutating func scanZones(spot: Bool, at time: SimTime, countingCandidates: Bool, onlyWithQuota: Bool) {
    let zones = disruptions.zoneCount
    for zone in 0..<zones {
      disruptions.bestPosition[zone] = -1
      disruptions.bestKey[zone] = (.infinity, .infinity, .infinity)
      if countingCandidates { disruptions.candidates[zone] = 0 }
    }
    for (position, index) in liveCohorts.enumerated() where cohorts[index].isSpot == spot && !cohorts[index].isSurplus {
      let zone = cohorts[index].zone
      if countingCandidates { disruptions.candidates[zone] += cohorts[index].count }
      if onlyWithQuota && disruptions.quotas[zone] == 0 { continue }
      let age = time - cohorts[index].launchedAt
      let toNextHour = 3_600 - (age - ExactRounding.floor(age / 3_600) * 3_600)
      let key = (
        disruptions.terminationKey(type: cohorts[index].type, zone: zone, spot: spot), toNextHour,
        cohorts[index].launchedAt
      )
      if key < disruptions.bestKey[zone] {
        disruptions.bestKey[zone] = key
        disruptions.bestPosition[zone] = position
      }
    }
  }

  /// Takes each zone's quota in the zone's own order (closest to the next instance-hour,
  /// then oldest): one pass over the live cohorts counts the zones' instances and finds every
  /// zone's next cohort, and they are removed from the highest position down so the
  /// positions stay valid; another pass only when a zone's quota outlasts its cohort.
  mutating func terminateAcrossZones(_ count: Int, spot: Bool, at time: SimTime) {
    let zones = disruptions.zoneCount
    scanZones(spot: spot, at: time, countingCandidates: true, onlyWithQuota: false)
    zoneQuotas(count)
    var remaining = 0
    for zone in 0..<zones {
      remaining += disruptions.quotas[zone]
      if disruptions.quotas[zone] == 0 { disruptions.bestPosition[zone] = -1 }
    }
    var firstPass = true
    while remaining > 0 {
      if !firstPass { scanZones(spot: spot, at: time, countingCandidates: false, onlyWithQuota: true) }
      firstPass = false
      var progressed = false
      while true {
        var next: Int?
        for zone in 0..<zones where disruptions.bestPosition[zone] >= 0 {
          if next == nil || disruptions.bestPosition[zone] > disruptions.bestPosition[next!] { next = zone }
        }
        guard let zone = next else { break }
        let position = disruptions.bestPosition[zone]
        disruptions.bestPosition[zone] = -1
        let cohort = cohorts[liveCohorts[position]]
        let taken =
          disruptions.takesOneAtATime(type: cohort.type, spot: spot) ? 1 : min(disruptions.quotas[zone], cohort.count)
        remove(taken, fromLivePosition: position, at: time, reusable: true)
        disruptions.quotas[zone] -= taken
        remaining -= taken
        progressed = true
      }
      precondition(progressed, "terminate(\(count), spot: \(spot)) found no instance for its zone quotas")
    }
  }

  // MARK: Launch placement

  mutating func fillToDesired(at time: SimTime) {
    if scalingRunning < desired { launch(desired - scalingRunning, at: time) }
  }

  func launchLatency() -> SimTime { group.launchSeconds }

  /// Launches instance by instance into the zone with the fewest instances that is up and
  /// whose attempt does not fail; returns how many launched. Surplus launches are left out
  /// of the capacity the group scales until they are in service.
  @discardableResult
  mutating func launchPlaced(
    onDemand: Int, spot: Int, at time: SimTime, surplus: Bool = false, zoneRebalance: Bool = false
  ) -> Int {
    var launched = 0
    for (share, isSpot) in [(onDemand, false), (spot, true)] where share > 0 {
      disruptions.clearTentative()
      var placed = 0
      for _ in 0..<share {
        guard placeOne(at: time, spot: isSpot) != nil else { continue }
        placed += 1
      }
      let types = disruptions.typeCount
      for zone in 0..<disruptions.zoneCount where disruptions.tentative[zone] > 0 {
        for type in 0..<types {
          let poolCount = types == 1 ? disruptions.tentative[zone] : disruptions.tentativeByType[zone * types + type]
          guard poolCount > 0 else { continue }
          if group.launchJitterSeconds > 0 {
            for _ in 0..<poolCount {
              let jitter = (random.nextUnitDouble() * 2 - 1) * group.launchJitterSeconds
              let index = addCohort(
                count: 1, at: time, latency: group.launchSeconds + jitter, isSpot: isSpot, zone: zone, type: type)
              cohorts[index].isSurplus = surplus
              cohorts[index].isZoneRebalance = zoneRebalance
            }
          } else {
            let index = addCohort(
              count: poolCount, at: time, latency: group.launchSeconds, isSpot: isSpot, zone: zone, type: type)
            cohorts[index].isSurplus = surplus
            cohorts[index].isZoneRebalance = zoneRebalance
          }
        }
      }
      pending += placed
      if surplus {
        surplusPending += placed
      } else if isSpot {
        spotRunning += placed
      }
      launched += placed
      if placed < share { scheduleRetryIfFailing(at: time) }
    }
    return launched
  }

  /// One instance's zone and type: the zones that are up, fewest instances first (ties to
  /// the lowest index), and in the zone the types in the allocation strategy's order
  /// (`DisruptionState.preferredType`); an attempt with launch failures in force fails with
  /// their probability and the next type, then the next zone, is tried. nil: nothing took it.
  mutating func placeOne(at time: SimTime, spot: Bool) -> (zone: Int, type: Int)? {
    // Zones in order of (instances, index) without sorting or allocating: at most 32
    // zones, tried ones marked in a bit set (measured: the sort's array per instance was
    // most of a disrupted year's allocations); types likewise (at most 40).
    var triedZones: UInt32 = 0
    while true {
      guard let zone = disruptions.emptiestUpZone(excluding: triedZones) else { return nil }
      triedZones |= 1 << UInt32(zone)
      var triedTypes: UInt64 = 0
      while let type = disruptions.preferredType(zone: zone, spot: spot, excluding: triedTypes) {
        triedTypes |= 1 << UInt64(type)
        if !launchFails(zone: zone, type: type, spot: spot, at: time) {
          disruptions.tentative[zone] += 1
          if disruptions.typeCount > 1 { disruptions.tentativeByType[zone * disruptions.typeCount + type] += 1 }
          return (zone, type)
        }
      }
    }
  }

  /// Whether one launch attempt fails: each launch failure in force for the zone, type and
  /// market draws in turn.
  mutating func launchFails(zone: Int, type: Int, spot: Bool, at time: SimTime) -> Bool {
    disruptions.refreshActiveFailures(at: time)
    for position in disruptions.activeFailures {
      let (fault, failures) = disruptions.launchFailures[position]
      guard failures.applies(zone: zone, type: type, isSpot: spot, at: time) else { continue }
      if failures.probability >= 1 || disruptions.launchRandom.nextUnitDouble() < failures.probability {
        disruptions.statistics.failedLaunchAttempts += 1
        disruptions.statistics.faults[fault].failedLaunchAttempts += 1
        return true
      }
    }
    return false
  }

  /// While launch failures are in force, what could not launch is tried again after the
  /// shortest retry interval among them.
  mutating func scheduleRetryIfFailing(at time: SimTime) {
    guard !disruptions.retryScheduled else { return }
    disruptions.refreshActiveFailures(at: time)
    var retry: SimTime?
    for position in disruptions.activeFailures {
      retry = min(retry ?? .infinity, disruptions.launchFailures[position].failures.retrySeconds)
    }
    guard let retry else { return }
    disruptions.retryScheduled = true
    events.schedule(.launchRetry, at: time + retry)
  }
}
