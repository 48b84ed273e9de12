import AutoScaling
import Billing
import Foundation
import Parallel
import Results

/// Which of the scenario's disruptions a run applies: all of them (the run as written),
/// or all but one, to measure that one's effect.
enum DisruptionScope: Sendable, Equatable {
  case all
  case withoutSpotInterruptions
  case withoutFault(String)

  func includes(_ fault: FaultDefinition) -> Bool { self != .withoutFault(fault.name) }
  var includesSpot: Bool { self != .withoutSpotInterruptions }
}

extension ScenarioRunner {
  /// The monthly share of instances interrupted that capsim reads a Spot Advisor bucket as:
  /// the middle of the bucket's range (<5%: 2.5, 5-10%: 7.5, 10-15%: 12.5, 15-20%: 17.5), and
  /// 25 for >20% (the range has no upper end; an assumption, override it with
  /// `spotInterruptions.monthlyPercent`). docs/disruptions.md.
  public static func spotAdvisorMonthlyPercent(bucket: Int) -> Double {
    [2.5, 7.5, 12.5, 17.5, 25][min(max(bucket, 0), 4)]
  }

  /// The unit's group as the engine runs it: its instance types' allocation orders
  /// resolved (`allocatedGroup`), its Spot interruption rates resolved (from the Spot
  /// Advisor, per type, when the scenario gives no `monthlyPercent`), or without
  /// interruptions when the group runs no Spot or the scope leaves them out.
  static func disruptedGroup(
    _ unit: FleetUnit, catalog: PriceCatalog, scope: DisruptionScope
  ) throws(ScenarioError) -> GroupConfiguration {
    var group = try allocatedGroup(unit, catalog: catalog)
    guard var spot = group.spotInterruptions else { return group }
    guard runsSpot(group), scope.includesSpot else {
      group.spotInterruptions = nil
      return group
    }
    if spot.ratePerInstanceSecond == nil {
      func rate(_ instanceType: String, at location: SourceLocation) throws(ScenarioError) -> Double {
        guard let entry = catalog.spotAdvisor(region: unit.fleet.region, instanceType: instanceType) else {
          throw location.error(
            .invalidValue(
              field: "purchaseOptions.spotInterruptions",
              expected: "a monthlyPercent: the Spot Advisor data has no entry for \(instanceType) in "
                + unit.fleet.region, found: "none", suggestion: nil))
        }
        return SpotInterruptions.rate(monthlyFraction: spotAdvisorMonthlyPercent(bucket: entry.interruptionBucket) / 100)
      }
      spot.ratePerInstanceSecond = try rate(unit.fleet.instanceType, at: unit.fleet.location)
      for index in group.instanceTypes.indices {
        group.instanceTypes[index].spotInterruptionRatePerSecond = try rate(
          group.instanceTypes[index].instanceType, at: unit.instanceTypes.locations[index])
      }
    }
    group.spotInterruptions = spot
    return group
  }

  /// Whether the group's instances distribution ever launches Spot.
  static func runsSpot(_ group: GroupConfiguration) -> Bool {
    group.onDemandPercentageAboveBaseCapacity < 100 && group.maxSize > group.onDemandBaseCapacity
  }

  /// The unit's group with the orders its allocation strategies give over its instance
  /// types (docs/disruptions.md, "Several instance types"), from the catalog:
  /// - On-Demand: `prioritized` keeps the list order; `lowest-price` sorts by On-Demand price.
  /// - Spot (only when the group runs Spot): `lowest-price` sorts by Spot price and spreads
  ///   over `spotInstancePools`; `capacity-optimized` and `capacity-optimized-prioritized`
  ///   sort by Spot Advisor bucket (the catalog's only capacity signal; ties keep the list's
  ///   priority, so the two coincide at this grain); `price-capacity-optimized` sorts by
  ///   bucket, then Spot price. Ties always fall to the list order.
  /// A type's Spot price is the scenario's `spotPriceUSDPerHour` for the fleet's own type,
  /// else the catalog's (the prices billing uses).
  static func allocatedGroup(_ unit: FleetUnit, catalog: PriceCatalog) throws(ScenarioError) -> GroupConfiguration {
    var group = unit.group
    let definition = unit.instanceTypes
    guard !group.instanceTypes.isEmpty else { return group }
    let names = group.instanceTypes.map(\.instanceType)
    let region = unit.fleet.region
    func ordered<Key: Comparable>(_ key: (Int) throws(ScenarioError) -> Key) throws(ScenarioError) -> [Int] {
      var keyed: [(Key, Int)] = []
      for index in names.indices { keyed.append((try key(index), index)) }
      return keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.1)
    }
    func fail(_ index: Int, _ expected: String) -> ScenarioError {
      definition.locations[index].error(
        .invalidValue(field: "instanceTypes", expected: expected, found: names[index], suggestion: nil))
    }
    func onDemandPrice(_ index: Int) throws(ScenarioError) -> Double {
      do {
        return try catalog.onDemandUSDPerHour(region: region, instanceType: names[index])
      } catch {
        throw fail(index, "a type with an On-Demand price in \(region) in the price catalog")
      }
    }
    func spotPrice(_ index: Int) throws(ScenarioError) -> Double {
      if names[index] == unit.fleet.instanceType, let price = unit.spotPriceUSDPerHour { return price }
      guard let price = catalog.spotUSDPerHour(region: region, instanceType: names[index]) else {
        throw fail(
          index,
          "a type with a Spot price in \(region) in the price catalog (\(definition.spotAllocationStrategy.rawValue) "
            + "ranks by it)")
      }
      return price
    }
    func bucket(_ index: Int) throws(ScenarioError) -> Int {
      guard let entry = catalog.spotAdvisor(region: region, instanceType: names[index]) else {
        throw fail(
          index,
          "a type in the Spot Advisor data for \(region) (\(definition.spotAllocationStrategy.rawValue) ranks by its "
            + "interruption frequency)")
      }
      return entry.interruptionBucket
    }
    // Every type must be billable On-Demand, whatever the strategy.
    var onDemandPrices: [Double] = []
    for index in names.indices { onDemandPrices.append(try onDemandPrice(index)) }
    let onDemandOrder: [Int] =
      switch definition.onDemandAllocationStrategy {
      case .prioritized: Array(names.indices)
      case .lowestPrice: try ordered { (i: Int) throws(ScenarioError) in onDemandPrices[i] }
      }
    var spotOrder = Array(names.indices)
    var spotPools = 1
    if runsSpot(group) {
      switch definition.spotAllocationStrategy {
      case .lowestPrice:
        spotOrder = try ordered { (i: Int) throws(ScenarioError) in try spotPrice(i) }
        spotPools = min(definition.spotInstancePools, names.count)
      case .capacityOptimized, .capacityOptimizedPrioritized:
        spotOrder = try ordered { (i: Int) throws(ScenarioError) in try bucket(i) }
      case .priceCapacityOptimized:
        var keys: [(Int, Double)] = []
        for index in names.indices { keys.append((try bucket(index), try spotPrice(index))) }
        spotOrder = names.indices.sorted { (keys[$0].0, keys[$0].1, $0) < (keys[$1].0, keys[$1].1, $1) }
      }
      for index in names.indices { _ = try spotPrice(index) }  // billable as Spot
    }
    group.allocation = InstanceTypeAllocation(onDemandOrder: onDemandOrder, spotOrder: spotOrder, spotPools: spotPools)
    return group
  }

  /// Whether a fault touches this fleet: a zone outage or zonal launch failures in one of
  /// its zones, or launch failures in every zone; launch failures of one instance type only
  /// where the group (`group`, the fleet's own when nil) launches that type.
  static func applies(_ fault: FaultDefinition, to fleet: FleetDefinition, group: GroupConfiguration? = nil) -> Bool {
    if let type = fault.instanceType, !typeNames(group ?? fleet.group).contains(type) { return false }
    return inZones(fault, of: fleet)
  }

  static func inZones(_ fault: FaultDefinition, of fleet: FleetDefinition) -> Bool {
    switch fault.kind {
    case .zoneOutage(let zone, _, _): fleet.availabilityZones.contains(zone)
    case .launchFailures(_, let zone, _): zone.map { fleet.availabilityZones.contains($0) } ?? true
    }
  }

  /// The types a group launches, in the engine's order.
  static func typeNames(_ group: GroupConfiguration) -> [String] {
    group.instanceTypes.isEmpty ? [group.instanceType] : group.instanceTypes.map(\.instanceType)
  }

  /// The scenario's faults in the scope, for one fleet, in engine seconds and zone indices.
  /// A fault in a zone the fleet does not use leaves it alone; one that no fleet of the run
  /// uses is an error (`checkFaults`).
  static func fleetFaults(
    _ unit: FleetUnit, prepared: PreparedScenario, scope: DisruptionScope
  ) throws(ScenarioError) -> [FleetFault] {
    let zones = unit.fleet.availabilityZones
    let duration = prepared.end.timeIntervalSince(prepared.start)
    var faults: [FleetFault] = []
    let types = typeNames(unit.group)
    for fault in prepared.definition.faults
    where scope.includes(fault) && applies(fault, to: unit.fleet, group: unit.group) {
      let start = fault.start.map { $0.timeIntervalSince(prepared.start) } ?? 0
      let end = fault.end.map { $0.timeIntervalSince(prepared.start) }
      if !(start >= 0 && start < duration) {
        throw fault.location.error(
          .invalidValue(
            field: "start", expected: "a time inside the simulated window (\(Int(duration)) s long)",
            found: "\(Int(start.rounded())) s from its start", suggestion: nil))
      }
      switch fault.kind {
      case .zoneOutage(let zone, let durationSeconds, let detection):
        faults.append(
          .zoneOutage(
            ZoneOutage(
              name: fault.name, zone: zones.firstIndex(of: zone)!, startSeconds: start, durationSeconds: durationSeconds,
              detectionSeconds: detection)))
      case .launchFailures(let probability, let zone, let retry):
        faults.append(
          .launchFailures(
            LaunchFailures(
              name: fault.name, probability: probability, zone: zone.flatMap { zones.firstIndex(of: $0) },
              instanceType: fault.instanceType.flatMap { types.firstIndex(of: $0) }, market: fault.market,
              startSeconds: start, endSeconds: end, retrySeconds: retry)))
      }
    }
    return faults
  }

  /// Every fault names a zone at least one fleet of the run uses, and an instance type (if
  /// it names one) that some group of the run launches.
  static func checkFaults(_ definition: ScenarioDefinition) throws(ScenarioError) {
    let fleets = definition.hasServices ? definition.services.map(\.fleet) : [definition.fleet]
    let groups = definition.hasServices ? fleets.map(\.group) : definition.variants.map(\.group)
    for fault in definition.faults {
      guard let type = fault.instanceType, !groups.contains(where: { typeNames($0).contains(type) }) else { continue }
      let used = Array(Set(groups.flatMap { typeNames($0) })).sorted()
      throw (fault.instanceTypeLocation ?? fault.location).error(
        .invalidValue(
          field: "instanceType", expected: "a type a group of the run launches (\(used.joined(separator: ", ")))",
          found: type, suggestion: Suggestion.closest(to: type, among: used)))
    }
    for fault in definition.faults where !fleets.contains(where: { inZones(fault, of: $0) }) {
      let used = Array(Set(fleets.flatMap { $0.availabilityZones })).sorted()
      throw (fault.zoneLocation ?? fault.location).error(
        .invalidValue(
          field: "zone",
          expected: used.isEmpty
            ? "a zone the fleet runs in (give the fleet 'availabilityZones')"
            : "a zone a fleet of the run uses (\(used.joined(separator: ", ")))",
          found: "\(fault.zoneName ?? "")", suggestion: nil))
    }
  }

  /// Runs the scenario once more without each disruption (Spot interruptions, then each
  /// fault; in parallel, each a full run on the same seed) and records, per fleet, what
  /// each one added: cost, delayed demand, dropped requests.
  static func addDisruptionEffects(
    to result: inout ScenarioResult, prepared: PreparedScenario, variants names: [String]
  ) throws(ScenarioError) {
    let scopes = try disruptionScopes(prepared, variants: names)
    guard !scopes.isEmpty else { return }
    let without = try Parallel.map(count: scopes.count) { index throws(ScenarioError) in
      var none: FOCUSCSVWriter? = nil
      return try run(prepared, variants: names, lineItems: &none, advisesPurchase: false, disruptions: scopes[index].scope)
    }
    let withServices = prepared.definition.hasServices
    let leftOut = scopes.map(\.leftOut)
    for fleet in (withServices ? result.services : result.variants).indices {
      let full = withServices ? result.services[fleet] : result.variants[fleet]
      let others = without.map { withServices ? $0.services[fleet] : $0.variants[fleet] }
      let effects = DisruptionEffect.effects(full: full, without: others, leftOut: leftOut, fleet: fleet)
      if withServices { result.services[fleet].disruptionEffects = effects } else { result.variants[fleet].disruptionEffects = effects }
    }
  }

  /// The counterfactual runs `addDisruptionEffects` makes: Spot interruptions (when a
  /// fleet of the run has them), then each fault, each with the fleets it touches.
  static func disruptionScopes(
    _ prepared: PreparedScenario, variants names: [String]
  ) throws(ScenarioError) -> [(scope: DisruptionScope, leftOut: DisruptionEffect.LeftOut)] {
    let units = try units(prepared, variants: names)
    var spotFleets: [Bool] = []
    for unit in units {
      spotFleets.append(try disruptedGroup(unit, catalog: prepared.catalog, scope: .all).spotInterruptions != nil)
    }
    var scopes: [(scope: DisruptionScope, leftOut: DisruptionEffect.LeftOut)] = []
    if spotFleets.contains(true) {
      scopes.append(
        (.withoutSpotInterruptions, DisruptionEffect.LeftOut(name: "spot interruptions", kind: .spotInterruptions, touches: spotFleets)))
    }
    for fault in prepared.definition.faults {
      let kind: DisruptionEffect.Kind =
        switch fault.kind {
        case .zoneOutage: .zoneOutage
        case .launchFailures: .launchFailures
        }
      let touches = units.map { applies(fault, to: $0.fleet, group: $0.group) }
      scopes.append((.withoutFault(fault.name), DisruptionEffect.LeftOut(name: fault.name, kind: kind, touches: touches)))
    }
    return scopes
  }

  /// The items of a sharded `capsim run` (`RunShardItem`): the selected variants, or for
  /// a scenario with services the run as written and one run per disruption.
  public static func shardItemCount(_ prepared: PreparedScenario, variants names: [String]) throws(ScenarioError) -> Int {
    prepared.definition.hasServices
      ? 1 + (try disruptionScopes(prepared, variants: names)).count : (try units(prepared, variants: names)).count
  }

  /// Runs the items `items` (ascending) of a sharded `capsim run`: each exactly as the
  /// unsharded run computes it (`RunShardItem.merged` reassembles them). With
  /// `advisesPurchase`, item 0 carries the purchase advice and, for variants, the
  /// instance-type alternatives, as the headline fleet does in the unsharded run.
  public static func runShard(
    _ prepared: PreparedScenario, variants names: [String], items: [Int], advisesPurchase: Bool
  ) throws(ScenarioError) -> [RunShardItem] {
    guard !items.isEmpty else { return [] }
    var none: FOCUSCSVWriter? = nil
    guard prepared.definition.hasServices else {
      let selected = try units(prepared, variants: names).map(\.name)
      let slice = items.map { selected[$0] }
      let result = try run(prepared, variants: slice, lineItems: &none, advisesPurchase: advisesPurchase && items[0] == 0)
      return zip(items, result.variants).map { item, variant in
        var one = result
        one.variants = [variant]
        if item != items[0] {
          one.purchaseAdvice = nil
          one.instanceTypeAlternatives = []
          one.headlineCapacityUnitsPerMinute = nil
        }
        return RunShardItem(item: item, result: one)
      }
    }
    let scopes = try disruptionScopes(prepared, variants: names)
    return try Parallel.map(count: items.count) { position throws(ScenarioError) in
      let item = items[position]
      var none: FOCUSCSVWriter? = nil
      let scope = item == 0 ? DisruptionScope.all : scopes[item - 1].scope
      let result = try run(
        prepared, variants: names, lineItems: &none, advisesPurchase: advisesPurchase && item == 0, disruptions: scope)
      return RunShardItem(item: item, result: result, leftOut: item == 0 ? nil : scopes[item - 1].leftOut)
    }
  }
}

extension FaultDefinition {
  var zoneName: String? {
    switch kind {
    case .zoneOutage(let zone, _, _): zone
    case .launchFailures(_, let zone, _): zone
    }
  }
}
