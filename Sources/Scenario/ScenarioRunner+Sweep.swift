import AutoScaling
import Billing
import Results

extension ScenarioRunner {
  /// A sweep point's row: the prepared scenario's one variant simulated and billed exactly
  /// as `run` simulates and bills it (same unit, random stream, group, policies, usage and
  /// bill), keeping only the figures the row reports. Left out because they change no row
  /// figure: the busiest day's timeline (a chart), the list of scaling activities (the row
  /// has their counts), the report's per-hour demand and policy summaries, the
  /// `ScenarioResult` around the variant, and the disruption counterfactuals.
  /// - Parameter predictiveForecast: the load forecast of `prepared.demand`, built once and
  ///   shared by every point on that demand (`sharedPredictiveForecast`); nil when the
  ///   variant has no predictive policy.
  static func sweepMetrics(
    _ prepared: PreparedScenario, predictiveForecast: PredictiveLoadForecast?
  ) throws(ScenarioError) -> SweepMetrics {
    let units = try units(prepared, variants: [])
    precondition(units.count == 1, "a sweep point runs exactly its base variant, got \(units.count) variants")
    let unit = units[0]
    let forecast = unit.policies.contains(where: \.isPredictive) ? predictiveForecast : nil
    let fleet = try simulate(unit, prepared: prepared, predictiveForecast: forecast, recording: nil, disruptions: .all, recordsActivities: false)
    let bill = try bill(
      fleet.fleetUsage, storage: fleet.storage, prepared: prepared,
      spotPrices: fleet.spotPrice.map { [$0.0: $0.1] } ?? [:], at: unit.location)
    checkConservation(fleet, bill: bill)
    return SweepRunner.metrics(
      costUSD: bill.effectiveCostUSD, billedInstanceHours: bill.billedInstanceSeconds / 3_600,
      statistics: fleet.result.statistics)
  }

  /// The load forecast every point on `prepared`'s demand shares, when one of `definitions`
  /// (points prepared as `prepared`) has a predictive policy: the forecast `run` builds for
  /// its variants (`predictiveForecasts`), built once instead of once per point.
  static func sharedPredictiveForecast(
    _ prepared: PreparedScenario, definitions: [ScenarioDefinition]
  ) -> PredictiveLoadForecast? {
    let needed = definitions.contains { $0.variants.contains { $0.policies.contains(where: \.isPredictive) } }
    return needed ? loadForecast(prepared.demand, prepared: prepared) : nil
  }

  /// Billing saw exactly the instance lifetimes the simulation produced.
  static func checkConservation(_ fleet: SimulatedFleet, bill: FleetBill) {
    precondition(
      abs(bill.runningInstanceSeconds - fleet.result.statistics.instanceSeconds)
        <= 1e-6 * max(1, fleet.result.statistics.instanceSeconds),
      "billed lifetimes \(bill.runningInstanceSeconds) s != simulated \(fleet.result.statistics.instanceSeconds) s")
  }
}
