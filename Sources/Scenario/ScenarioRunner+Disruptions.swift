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

  /// The unit's group with its Spot interruption rate resolved (from the Spot Advisor when
  /// the scenario gives no `monthlyPercent`), or without interruptions when the group runs no
  /// Spot or the scope leaves them out.
  static func disruptedGroup(
    _ unit: FleetUnit, prepared: PreparedScenario, scope: DisruptionScope
  ) throws(ScenarioError) -> GroupConfiguration {
    var group = unit.group
    guard var spot = group.spotInterruptions else { return group }
    let runsSpot = group.onDemandPercentageAboveBaseCapacity < 100 && group.maxSize > group.onDemandBaseCapacity
    guard runsSpot, scope.includesSpot else {
      group.spotInterruptions = nil
      return group
    }
    if spot.ratePerInstanceSecond == nil {
      guard let entry = prepared.catalog.spotAdvisor(region: unit.fleet.region, instanceType: unit.fleet.instanceType)
      else {
        throw unit.fleet.location.error(
          .invalidValue(
            field: "purchaseOptions.spotInterruptions",
            expected: "a monthlyPercent: the Spot Advisor data has no entry for \(unit.fleet.instanceType) in "
              + unit.fleet.region, found: "none", suggestion: nil))
      }
      spot.ratePerInstanceSecond = SpotInterruptions.rate(
        monthlyFraction: spotAdvisorMonthlyPercent(bucket: entry.interruptionBucket) / 100)
    }
    group.spotInterruptions = spot
    return group
  }

  /// Whether a fault touches this fleet: a zone outage or zonal launch failures in one of
  /// its zones, or launch failures in every zone.
  static func applies(_ fault: FaultDefinition, to fleet: FleetDefinition) -> Bool {
    switch fault.kind {
    case .zoneOutage(let zone, _, _): fleet.availabilityZones.contains(zone)
    case .launchFailures(_, let zone, _): zone.map { fleet.availabilityZones.contains($0) } ?? true
    }
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
    for fault in prepared.definition.faults where scope.includes(fault) && applies(fault, to: unit.fleet) {
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
              startSeconds: start, endSeconds: end, retrySeconds: retry)))
      }
    }
    return faults
  }

  /// Every fault names a zone at least one fleet of the run uses.
  static func checkFaults(_ definition: ScenarioDefinition) throws(ScenarioError) {
    let fleets = definition.hasServices ? definition.services.map(\.fleet) : [definition.fleet]
    for fault in definition.faults where !fleets.contains(where: { applies(fault, to: $0) }) {
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
    let units = try units(prepared, variants: names)
    var spotFleets: [Bool] = []
    for unit in units {
      spotFleets.append(try disruptedGroup(unit, prepared: prepared, scope: .all).spotInterruptions != nil)
    }
    var scopes: [(name: String, kind: DisruptionEffect.Kind, scope: DisruptionScope)] = []
    if spotFleets.contains(true) { scopes.append(("spot interruptions", .spotInterruptions, .withoutSpotInterruptions)) }
    for fault in prepared.definition.faults {
      let kind: DisruptionEffect.Kind =
        switch fault.kind {
        case .zoneOutage: .zoneOutage
        case .launchFailures: .launchFailures
        }
      scopes.append((fault.name, kind, .withoutFault(fault.name)))
    }
    guard !scopes.isEmpty else { return }
    let runScopes = scopes.map(\.scope)
    let without = try Parallel.map(count: runScopes.count) { index throws(ScenarioError) in
      var none: FOCUSCSVWriter? = nil
      return try run(prepared, variants: names, lineItems: &none, advisesPurchase: false, disruptions: runScopes[index])
    }
    let withServices = prepared.definition.hasServices
    for fleet in units.indices {
      var effects: [DisruptionEffect] = []
      let full = withServices ? result.services[fleet] : result.variants[fleet]
      let stats = full.statistics.disruptions ?? DisruptionStatistics()
      for (position, entry) in scopes.enumerated() {
        let other = withServices ? without[position].services[fleet] : without[position].variants[fleet]
        let dropped: Double? = full.statistics.requests.flatMap { requests in
          other.statistics.requests.map { base in
            (requests.timedOutRequests + requests.rejectedRequests) - (base.timedOutRequests + base.rejectedRequests)
          }
        }
        switch entry.kind {
        case .spotInterruptions:
          guard spotFleets[fleet] else { continue }
          effects.append(
            DisruptionEffect(
              name: entry.name, kind: entry.kind, costUSD: full.costUSD - other.costUSD,
              delayedUnits: full.statistics.delayedUnits - other.statistics.delayedUnits, droppedRequests: dropped,
              instancesLost: stats.spotInterruptions, failedLaunchAttempts: 0,
              capacityRebalanceLaunches: stats.capacityRebalanceLaunches,
              replacedBeforeInterruption: stats.replacedBeforeInterruption))
        case .zoneOutage, .launchFailures:
          guard let fault = prepared.definition.faults.first(where: { $0.name == entry.name }),
            applies(fault, to: units[fleet].fleet)
          else { continue }
          let faultStats = stats.faults.first { $0.name == entry.name } ?? FaultStatistics(name: entry.name)
          effects.append(
            DisruptionEffect(
              name: entry.name, kind: entry.kind, costUSD: full.costUSD - other.costUSD,
              delayedUnits: full.statistics.delayedUnits - other.statistics.delayedUnits, droppedRequests: dropped,
              instancesLost: faultStats.instancesLost, failedLaunchAttempts: faultStats.failedLaunchAttempts))
        }
      }
      if withServices { result.services[fleet].disruptionEffects = effects } else { result.variants[fleet].disruptionEffects = effects }
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
