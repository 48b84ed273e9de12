import Advisor
import AutoScaling
import Billing
import Parallel
import Results

extension ScenarioRunner {
  /// The run report's "another instance type": the headline fleet (`unit`, the first
  /// variant) on each other type its capacity map lists, with the same policies (sizes
  /// scaled to the same capacity, `InstanceTypeMove`), simulated on the same demand and
  /// random streams and billed as the run bills (On-Demand plus the scenario's
  /// commitments). In parallel, results in the capacity map's order. Empty for a fleet
  /// whose capacity follows from `serving:` (its model is one type's). A listed type the
  /// catalog does not price for the region is an error at its capacity entry.
  static func instanceTypeAlternatives(
    _ unit: FleetUnit, prepared: PreparedScenario, predictiveForecast: PredictiveLoadForecast?
  ) throws(ScenarioError) -> [InstanceTypeAlternative] {
    let fleet = unit.fleet
    guard fleet.serving == nil else { return [] }
    let (options, _) = try ScenarioRecommender.otherInstanceTypes(unit, catalog: prepared.catalog, narrowedTo: nil)
    let fromUnits = unit.group.capacityUnitsPerMinute
    return try Parallel.map(count: options.count) { k throws(ScenarioError) in
      let option = options[k]
      var moved = unit
      moved.fleet.instanceType = option.instanceType
      moved.fleet.group = InstanceTypeMove.group(fleet.group, on: option.instanceType, capacityUnitsPerMinute: option.capacityUnitsPerMinute)
      moved.group = InstanceTypeMove.group(unit.group, on: option.instanceType, capacityUnitsPerMinute: option.capacityUnitsPerMinute)
      moved.scheduledActions = InstanceTypeMove.scheduledActions(
        unit.scheduledActions, fromUnits: fromUnits, toUnits: option.capacityUnitsPerMinute)
      moved.spotPriceUSDPerHour = nil
      let simulated = try simulate(moved, prepared: prepared, predictiveForecast: predictiveForecast)
      var none: FOCUSCSVWriter? = nil
      let bill = try bill(simulated.usage, prepared: prepared, spotPrices: [:], at: unit.location, lineItems: &none)
      return InstanceTypeAlternative(
        instanceType: option.instanceType, family: option.pool.family, capacityUnitsPerMinute: option.capacityUnitsPerMinute,
        onDemandUSDPerHour: simulated.onDemandUSDPerHour, costUSD: bill.effectiveCostUSD,
        statistics: simulated.result.statistics)
    }
  }
}
