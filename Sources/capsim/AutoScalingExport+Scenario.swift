import AutoScaling
import Foundation
import Reporting
import Scenario

// Reporting knows no scenario schema: picking a scenario's variant or service to export
// is the command line's wiring.
extension AutoScalingExport {
  /// The policies of one variant (or, in a multi-service scenario, one service). `variant`
  /// may be nil when there is only one. The group is named after the scenario (or the
  /// service), made AWS-safe by `groupName(from:)`, unless `groupName` is given. The
  /// group's warm pool, zones and (for a group with Spot) Capacity Rebalancing go with them.
  init(
    scenario: ScenarioDefinition, variant: String?, groupName: String? = nil,
    loadBalancerTarget: LoadBalancerTarget? = nil
  ) throws(ReportingError) {
    let names = scenario.hasServices ? scenario.services.map(\.name) : scenario.variants.map(\.name)
    let kind = scenario.hasServices ? "service" : "variant"
    let chosen: String
    if let variant {
      guard names.contains(variant) else {
        throw ReportingError(
          subject: "--variant", expected: "one of the scenario's \(kind)s (\(names.joined(separator: ", ")))",
          found: "'\(variant)'")
      }
      chosen = variant
    } else {
      guard names.count == 1, let only = names.first else {
        throw ReportingError(
          subject: "--variant", expected: "given: the scenario has \(names.count) \(kind)s (\(names.joined(separator: ", ")))",
          found: "none")
      }
      chosen = only
    }
    let source = "variant '\(chosen)' of scenario '\(scenario.name)'"
    if let service = scenario.services.first(where: { $0.name == chosen }) {
      try self.init(
        groupName: groupName ?? Self.groupName(from: service.name), region: service.fleet.region,
        timeZone: scenario.timeZone, policies: service.policies, scheduledActions: service.scheduledActions,
        loadBalancerTarget: loadBalancerTarget, source: "service '\(chosen)' of scenario '\(scenario.name)'")
      setGroup(service.fleet.group, zones: service.fleet.availabilityZones)
    } else {
      let definition = scenario.variants.first { $0.name == chosen }!
      try self.init(
        groupName: groupName ?? Self.groupName(from: scenario.name), region: scenario.fleet.region,
        timeZone: scenario.timeZone, policies: definition.policies, scheduledActions: definition.scheduledActions,
        loadBalancerTarget: loadBalancerTarget, source: source)
      setGroup(definition.group, zones: scenario.fleet.availabilityZones)
    }
  }

  /// The group settings an export carries: the warm pool; the zones; Capacity Rebalancing
  /// only when the scenario sets `spotInterruptions` on a group that runs Spot (elsewhere
  /// it changes nothing, and capsim does not read it).
  mutating func setGroup(_ group: GroupConfiguration, zones: [String]) {
    warmPool = group.warmPool
    availabilityZones = zones
    let runsSpot = group.onDemandPercentageAboveBaseCapacity < 100 && group.maxSize > group.onDemandBaseCapacity
    capacityRebalance = runsSpot ? group.spotInterruptions?.capacityRebalance : nil
  }
}
