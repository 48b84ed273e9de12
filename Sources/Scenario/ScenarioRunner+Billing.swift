import Billing
import Foundation

// Scenario commitment and rate definitions (dates, locations) in Billing's terms
// (seconds since the simulation start).

extension CommitmentsDefinition.Term {
  var billing: CommitmentTerm {
    switch self {
    case .oneYear: .oneYear
    case .threeYears: .threeYears
    }
  }
}

extension CommitmentsDefinition.Payment {
  var billing: PaymentOption {
    switch self {
    case .noUpfront: .noUpfront
    case .partialUpfront: .partialUpfront
    case .allUpfront: .allUpfront
    }
  }
}

extension SavingsPlanDefinition.PlanType {
  var billing: SavingsPlanType {
    switch self {
    case .compute: .compute
    case .ec2Instance: .ec2Instance
    }
  }
}

extension ScenarioRunner {
  /// The scenario's commitments with times relative to `start`.
  static func commitments(_ definition: ScenarioDefinition, start: Date) -> Commitments {
    let reservedInstances = definition.commitments.reservedInstances.map { ri in
      ReservedInstance(
        id: ri.id, instanceType: ri.instanceType, region: ri.region, availabilityZone: ri.availabilityZone,
        count: ri.count, offeringClass: ri.offeringClass == .standard ? .standard : .convertible,
        term: ri.term.billing, payment: ri.payment.billing, startSeconds: ri.start.timeIntervalSince(start),
        endSeconds: ri.end.timeIntervalSince(start), upfrontUSDPerInstance: ri.upfrontUSD,
        recurringUSDPerInstanceHour: ri.hourlyUSD)
    }
    let savingsPlans = definition.commitments.savingsPlans.map { plan in
      let kind: SavingsPlan.Kind =
        switch plan.kind {
        case .compute: .compute
        case .ec2Instance(let family, let region): .ec2Instance(family: family, region: region)
        }
      return SavingsPlan(
        id: plan.id, kind: kind, commitmentUSDPerHour: plan.commitmentUSDPerHour, term: plan.term.billing,
        payment: plan.payment.billing, startSeconds: plan.start.timeIntervalSince(start),
        endSeconds: plan.end.timeIntervalSince(start), upfrontUSD: plan.upfrontUSD)
    }
    return Commitments(reservedInstances: reservedInstances, savingsPlans: savingsPlans)
  }

  /// The shipped catalog, or the `prices:` block's. An imported catalog keeps the shipped
  /// Spot Advisor rows (the AWS Price List has no Spot data).
  static func priceCatalog(_ definition: ScenarioDefinition) throws(ScenarioError) -> PriceCatalog {
    let bundled: PriceCatalog
    do {
      bundled = try PriceCatalog.bundled()
    } catch {
      throw SourceLocation(file: definition.file, line: 0, column: 0).error(
        .fileUnreadable(path: "the bundled EC2 price catalog", reason: "\(error)"))
    }
    guard let prices = definition.prices else { return bundled }
    do {
      let loaded = try PriceCatalog.load(path: prices.catalog.path)
      return PriceCatalog(entries: loaded.entries, spotAdvisorEntries: bundled.spotAdvisorEntries)
    } catch {
      throw prices.location.error(.fileUnreadable(path: prices.catalog.path, reason: "\(error)"))
    }
  }

  /// The `prices:` block's Savings Plans rates file (if any) overlaid with the scenario's
  /// `savingsPlanRates`.
  static func savingsPlanRates(_ definition: ScenarioDefinition) throws(ScenarioError) -> SavingsPlanRates {
    var rates = SavingsPlanRates()
    if let prices = definition.prices, let path = prices.savingsPlanRates?.path {
      do {
        rates = try SavingsPlanRates.load(path: path)
      } catch {
        throw prices.location.error(.fileUnreadable(path: path, reason: "\(error)"))
      }
    }
    for rate in definition.savingsPlanRates {
      do {
        try rates.setDiscountPercent(
          rate.discountPercent, planType: rate.planType.billing, family: rate.family, region: rate.region,
          term: rate.term.billing, payment: rate.payment.billing)
      } catch {
        throw rate.location.error(.policy("\(error)"))
      }
    }
    return rates
  }

  /// The bill of one simulated fleet (a variant, or all services together).
  static func bill<Sink: LineItemSink>(
    _ usage: [InstanceUsage], storage: [StorageUsage] = [], prepared: PreparedScenario, spotPrices: [RegionalInstanceType: Double],
    at location: SourceLocation, lineItems: inout Sink?
  ) throws(ScenarioError) -> FleetBill {
    let options = billingOptions(prepared, spotPrices: spotPrices)
    do {
      if var sink = lineItems {
        let bill = try FleetBill(
          usage: usage, commitments: prepared.commitments, catalog: prepared.catalog,
          savingsPlanRates: prepared.savingsPlanRates, options: options, storage: storage, start: prepared.start,
          lineItems: &sink)
        try sink.finish()
        lineItems = sink
        return bill
      }
      return try FleetBill(
        usage: usage, commitments: prepared.commitments, catalog: prepared.catalog,
        savingsPlanRates: prepared.savingsPlanRates, options: options, storage: storage, start: prepared.start)
    } catch let error as ScenarioError {
      throw error
    } catch {
      throw location.error(.policy("billing: \(error)"))
    }
  }

  /// The bill of one fleet's `FleetUsage`, without line items: the bill `bill` gives its
  /// records written out (a sweep point's bill).
  static func bill(
    _ usage: FleetUsage, storage: [StorageUsage], prepared: PreparedScenario, spotPrices: [RegionalInstanceType: Double],
    at location: SourceLocation
  ) throws(ScenarioError) -> FleetBill {
    do {
      return try FleetBill(
        usage: usage, commitments: prepared.commitments, catalog: prepared.catalog,
        savingsPlanRates: prepared.savingsPlanRates, options: billingOptions(prepared, spotPrices: spotPrices),
        storage: storage, start: prepared.start)
    } catch {
      throw location.error(.policy("billing: \(error)"))
    }
  }

  /// The billing horizon (the window's hours, at least one) and the Spot prices.
  static func billingOptions(_ prepared: PreparedScenario, spotPrices: [RegionalInstanceType: Double]) -> BillingOptions {
    let hours = Int((prepared.end.timeIntervalSince(prepared.start) / 3_600).rounded(.up))
    return BillingOptions(horizonHours: max(1, hours), spotUSDPerHour: spotPrices)
  }
}
