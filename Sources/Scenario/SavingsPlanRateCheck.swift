import AutoScaling
import Billing
import Foundation

/// `capsim validate`'s check that every Savings Plan has a rate for the usage it will
/// cover, before anything is simulated. Billing needs a rate (the scenario's
/// `savingsPlanRates`, else the catalog's No Upfront columns) for every (region, instance
/// type) with On-Demand usage in the bill that a plan active in the billing window can
/// cover (a Compute plan: every family and region; an EC2 Instance plan: its family in its
/// region), and `capsim run` stops at billing time without one.
///
/// What the fleets will launch is known before the run only in part, so the check tells
/// the certain case from the possible one:
/// - **Certain** (an error): the plan is active in the billing window, and a fleet (a
///   variant, each billed on its own, or a service of the account) starts with On-Demand
///   instances: `initialCapacity >= 1` and an instances distribution with On-Demand in it
///   (`onDemandBaseCapacity >= 1` or `onDemandPercentageAboveBaseCapacity >= 1`). The
///   engine creates the initial instances at time 0 in service, launching nothing, so no
///   fault can stop them, and each is billed at least 60 s. Their family is certain when
///   every type the group launches is of one family; with several families, when none of
///   them has a rate (some family gets the usage).
/// - **Possible** (a warning): an active plan and a fleet that may launch On-Demand
///   instances of a family without a rate later (scaling out, scheduled actions, a family
///   among several), but does not start with them.
/// Nothing is reported for a fleet that never runs On-Demand (all Spot above a base of 0)
/// or for a plan outside the billing window. Sweep points are not checked (only the
/// scenario as written).
public struct SavingsPlanRateCheck: Sendable {
  /// A plan, a fleet and a family whose rate is missing.
  public struct Finding: Sendable, Equatable, CustomStringConvertible {
    /// The plan's list item.
    public var location: SourceLocation
    public var planID: String
    /// `variant 'NAME'` or `service 'NAME'`.
    public var fleet: String
    /// The families without a rate (one, unless several are all missing).
    public var families: [String]
    public var region: String
    /// The rate entry that would do, as YAML.
    public var expected: String
    /// What the fleet launches and why it is certain or possible.
    public var reason: String
    public var isCertain: Bool

    public var error: ScenarioError {
      location.error(
        .invalidValue(
          field: "savingsPlanRates", expected: "\(expected) for Savings Plan '\(planID)' (\(reason))",
          found: "none (nor a No Upfront rate in the price catalog)", suggestion: nil))
    }

    public var description: String {
      isCertain
        ? error.description
        : "\(location): warning: Savings Plan '\(planID)' may need \(expected) in savingsPlanRates: \(reason); "
          + "capsim run stops at billing if it does"
    }
  }

  public var findings: [Finding]

  public var errors: [Finding] { findings.filter(\.isCertain) }
  public var warnings: [Finding] { findings.filter { !$0.isCertain } }

  /// Checks every Savings Plan against every fleet of `prepared` (all variants, or all
  /// services). Finds nothing without Savings Plans.
  public init(_ prepared: PreparedScenario) throws(ScenarioError) {
    findings = []
    let plans = prepared.definition.commitments.savingsPlans
    guard !plans.isEmpty else { return }
    let units = try ScenarioRunner.units(prepared, variants: [])
    // The billing engine's window: whole hours, at least one (`ScenarioRunner.billingOptions`).
    let hours = max(1, Int((prepared.end.timeIntervalSince(prepared.start) / 3_600).rounded(.up)))
    let horizonSeconds = Double(hours) * 3_600
    for plan in plans {
      let startSeconds = plan.start.timeIntervalSince(prepared.start)
      let endSeconds = plan.end.timeIntervalSince(prepared.start)
      guard endSeconds > 0, startSeconds < horizonSeconds else { continue }
      for unit in units {
        if let finding = Self.check(plan, unit: unit, prepared: prepared) { findings.append(finding) }
      }
    }
  }

  /// The finding for one plan and one fleet, if its On-Demand usage may lack a rate.
  static func check(_ plan: SavingsPlanDefinition, unit: ScenarioRunner.FleetUnit, prepared: PreparedScenario) -> Finding? {
    let group = unit.group
    let region = unit.fleet.region
    let runsOnDemand = group.onDemandBaseCapacity >= 1 || group.onDemandPercentageAboveBaseCapacity >= 1
    guard runsOnDemand else { return nil }
    // The families the group launches, in its types' order, that the plan covers.
    var families: [String] = []
    var typesByFamily: [String: [String]] = [:]
    let launched = ScenarioRunner.typeNames(group)
    for type in launched {
      guard let entry = prepared.catalog.entry(region: region, instanceType: type) else { continue }
      if case .ec2Instance(let family, let planRegion) = plan.kind, family != entry.family || planRegion != region { continue }
      if typesByFamily[entry.family] == nil { families.append(entry.family) }
      typesByFamily[entry.family, default: []].append(type)
    }
    guard !families.isEmpty else { return nil }
    let missing = families.filter { family in
      !hasRate(plan, family: family, region: region, types: typesByFamily[family]!, prepared: prepared)
    }
    guard !missing.isEmpty else { return nil }
    let startsOnDemand = group.initialCapacity >= 1
    // Certain only when whatever type the initial On-Demand instances get, the plan covers
    // it and has no rate for it.
    let coversEveryType = typesByFamily.values.reduce(0) { $0 + $1.count } == launched.count
    let isCertain = startsOnDemand && coversEveryType && missing.count == families.count
    let fleet = (prepared.definition.hasServices ? "service" : "variant") + " '\(unit.name)'"
    let types = missing.flatMap { typesByFamily[$0]! }.joined(separator: ", ")
    let reason: String
    if isCertain {
      reason =
        "\(fleet) starts with \(group.initialCapacity) instance\(group.initialCapacity == 1 ? "" : "s"), \(types), "
        + "with On-Demand in its instances distribution: its bill has On-Demand \(missing.joined(separator: "/")) usage "
        + "the plan covers"
    } else if startsOnDemand {
      reason = "\(fleet) launches \(launched.joined(separator: ", ")) and may run On-Demand \(types)"
    } else {
      reason = "\(fleet) starts with no instances but may launch On-Demand \(types)"
    }
    let regionText = plan.kind == .compute ? "region: \(region) or none" : "region: \(region)"
    let expected = missing.map { family in
      "{type: \(plan.kind.type.rawValue), family: \(family), \(regionText), term: \(plan.term.rawValue), "
        + "payment: \(plan.payment.rawValue), discountPercent: ...}"
    }.joined(separator: " and ")
    return Finding(
      location: plan.location, planID: plan.id, fleet: fleet, families: missing, region: region,
      expected: "an entry " + expected, reason: reason, isCertain: isCertain)
  }

  /// Whether billing finds a rate for the plan on this family's types: the scenario's rates
  /// (the region's entry, else the any-region one), else, for a No Upfront plan, every type's
  /// catalog column (`BillingEngine.savingsPlanUSDPerHour`'s order).
  static func hasRate(
    _ plan: SavingsPlanDefinition, family: String, region: String, types: [String], prepared: PreparedScenario
  ) -> Bool {
    let planType = plan.kind.type.billing
    if prepared.savingsPlanRates.discountPercent(
      planType: planType, family: family, region: region, term: plan.term.billing, payment: plan.payment.billing) != nil
    {
      return true
    }
    guard plan.payment == .noUpfront else { return false }
    return types.allSatisfy { type in
      guard let entry = prepared.catalog.entry(region: region, instanceType: type) else { return false }
      return entry.savingsPlanNoUpfrontUSDPerHour(planType: planType, term: plan.term.billing) != nil
    }
  }
}
