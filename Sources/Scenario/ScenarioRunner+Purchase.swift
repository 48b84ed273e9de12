import Advisor
import Billing
import Foundation
import Results

extension ScenarioRunner {
  /// Commitments to buy, in hindsight, for the run's headline fleets (every service, or the
  /// first variant): their On-Demand usage per clock hour of the window, added up per pool
  /// (`HourlyUsage`, `PooledUsage`), less what the scenario's commitments cover
  /// (`ExistingCommitments.owned` and `residual`, as `capsim recommend` subtracts them),
  /// planned on exactly that history by `CommitmentPlanner` with the offerings and caps
  /// `capsim recommend` uses by default and the scenario's Savings Plans rates. No forecast,
  /// no Cost Explorer look-backs, no savings curve or what-ifs: only the portfolio and its
  /// cost over the window are read, so the run stays fast.
  ///
  /// Owned commitments count over the whole window when they overlap it at all (the
  /// recommender's approximation); ones that end before the window or start after it are
  /// left out.
  /// - Returns: nil when no usage is left eligible (all Spot, or all covered).
  static func windowPurchaseAdvice(
    _ fleets: [SimulatedFleet], prepared: PreparedScenario
  ) throws(ScenarioError) -> WindowPurchaseAdvice? {
    let location = SourceLocation(file: prepared.definition.file, line: 0, column: 0)
    let windowSeconds = prepared.end.timeIntervalSince(prepared.start)
    let hours = Int((windowSeconds / 3_600).rounded(.up))
    guard hours > 0 else { return nil }
    var usage = PooledUsage()
    for fleet in fleets {
      let region = fleet.unit.fleet.region
      let types = typeNames(fleet.unit.group)
      for (index, type) in types.enumerated() {
        // `prepare` checked every fleet's type; a failure here is reported, never skipped.
        guard let entry = prepared.catalog.entry(region: region, instanceType: type) else {
          throw fleet.unit.fleet.location.error(.invalidValue(
            field: "fleet.instanceType", expected: "a type the price catalog lists", found: type, suggestion: nil))
        }
        usage.add(
          HourlyUsage.onDemandUnits(
            fleet.result.lifetimes, hours: hours, normalizationFactor: entry.normalizationFactor,
            typeIndex: types.count > 1 ? index : nil),
          to: PoolKey(family: entry.family, region: region))
      }
    }
    let commitments = prepared.commitments
    let active = Commitments(
      reservedInstances: commitments.reservedInstances.filter { $0.startSeconds < windowSeconds && $0.effectiveEndSeconds > 0 },
      savingsPlans: commitments.savingsPlans.filter { $0.startSeconds < windowSeconds && $0.effectiveEndSeconds > 0 })
    let (owned, ownedNotes) = ExistingCommitments.owned(
      active, pools: usage.pools, catalog: prepared.catalog, savingsPlanRates: prepared.savingsPlanRates)
    let uncovered = owned.residual(usage.hourlyByPool)
    guard uncovered.contains(where: { $0.contains { $0 > 0 } }) else { return nil }
    let defaults = RecommendationOptions()
    var planner = CommitmentPlanner()
    planner.offerings = defaults.offerings
    planner.caps = defaults.caps
    planner.lookbackDays = []
    planner.options.curveFractions = []
    planner.options.whatIfLoadFactors = []
    let advice: CommitmentAdvice
    do {
      advice = try planner.advise(
        pools: usage.pools, history: uncovered, start: prepared.start, catalog: prepared.catalog,
        savingsPlanRates: prepared.savingsPlanRates, notes: ownedNotes)
    } catch {
      throw location.error(.policy("commitments to buy on the window's usage: \(error)"))
    }
    let r = advice.recommendation
    return WindowPurchaseAdvice(
      hours: r.hours, onDemandUSD: r.onDemandHourlyCost * Double(r.hours),
      withPurchaseUSD: r.expectedHourlyCost * Double(r.hours), purchases: r.purchases,
      hourlyCommitmentUSD: r.hourlyCommitment, upfrontUSD: r.upfrontCost, coveragePercent: r.coverage,
      utilizationPercent: r.utilization, notes: advice.notes + r.notes)
  }
}
