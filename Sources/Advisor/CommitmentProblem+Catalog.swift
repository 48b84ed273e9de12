import Billing

/// Which commitments may be bought (Cost Explorer asks the same: term, payment option,
/// offering class). Defaults: 1 year, No Upfront, every kind.
public struct CommitmentOfferings: Sendable, Equatable {
  public var terms: [CommitmentTerm]
  public var payments: [PaymentOption]
  public var reservedInstanceClasses: [OfferingClass]
  public var includeEC2InstanceSavingsPlans: Bool
  public var includeComputeSavingsPlans: Bool

  public init(
    terms: [CommitmentTerm] = [.oneYear], payments: [PaymentOption] = [.noUpfront],
    reservedInstanceClasses: [OfferingClass] = [.standard, .convertible],
    includeEC2InstanceSavingsPlans: Bool = true, includeComputeSavingsPlans: Bool = true
  ) {
    self.terms = terms
    self.payments = payments
    self.reservedInstanceClasses = reservedInstanceClasses
    self.includeEC2InstanceSavingsPlans = includeEC2InstanceSavingsPlans
    self.includeComputeSavingsPlans = includeComputeSavingsPlans
  }

  /// Only Reserved Instances, only EC2 Instance SPs or only Compute SPs: Cost Explorer's
  /// separate recommendation types.
  public func restricted(to kind: CommitmentKind) -> CommitmentOfferings {
    var copy = self
    copy.reservedInstanceClasses = kind == .reservedInstances ? reservedInstanceClasses : []
    copy.includeEC2InstanceSavingsPlans = includeEC2InstanceSavingsPlans && kind == .ec2InstanceSavingsPlans
    copy.includeComputeSavingsPlans = includeComputeSavingsPlans && kind == .computeSavingsPlans
    return copy
  }
}

public enum CommitmentKind: String, Sendable, CaseIterable {
  case reservedInstances = "Reserved Instances"
  case ec2InstanceSavingsPlans = "EC2 Instance Savings Plans"
  case computeSavingsPlans = "Compute Savings Plans"
}

/// A family in a region whose hourly usage is measured in normalized unit-hours.
public struct PoolKey: Sendable, Hashable, Comparable {
  public var family: String
  public var region: String

  public init(family: String, region: String) {
    self.family = family
    self.region = region
  }

  public static func < (a: PoolKey, b: PoolKey) -> Bool { (a.family, a.region) < (b.family, b.region) }
}

extension CommitmentProblem {
  /// Builds the problem from list prices: On-Demand and Reserved Instance rates from the
  /// catalog (per normalized unit, from the family's recommended size), Savings Plans
  /// discounts from `savingsPlanRates` (AWS publishes no file of them; reference §10). An
  /// offering without a price is left out and named in `notes`.
  /// - Returns: the problem (one per Compute Savings Plan term and payment allowed; the
  ///   caller solves each and keeps the cheapest) and notes on what was left out.
  public static func fromCatalog(
    pools keys: [PoolKey], usage: UsagePaths, catalog: PriceCatalog, savingsPlanRates: SavingsPlanRates,
    offerings: CommitmentOfferings = CommitmentOfferings(), caps: CommitmentCaps = CommitmentCaps()
  ) throws(AdvisorError) -> (problems: [CommitmentProblem], notes: [String]) {
    var notes: [String] = []
    var pools: [UsagePool] = []
    var entries: [PriceCatalogEntry] = []
    for key in keys {
      guard let entry = catalog.recommendedEntry(family: key.family, region: key.region) else {
        throw .invalidInput("no prices for family \(key.family) in \(key.region) in the price catalog")
      }
      entries.append(entry)
      pools.append(UsagePool(
        family: key.family, region: key.region,
        onDemandRate: entry.onDemandUSDPerHour / entry.normalizationFactor,
        recommendedInstanceType: entry.instanceType, unitsPerInstance: entry.normalizationFactor))
    }
    var instruments: [PoolInstrument] = []
    for (p, entry) in entries.enumerated() {
      let nf = entry.normalizationFactor
      for offering in offerings.reservedInstanceClasses {
        for term in offerings.terms {
          for payment in offerings.payments {
            let price = reservedInstancePrice(entry, offering: offering, term: term, payment: payment)
            guard let price else {
              notes.append("no \(offering) \(term) \(payment) RI price for \(entry.instanceType) in \(entry.region) in the catalog")
              continue
            }
            instruments.append(PoolInstrument(
              pool: p, kind: .reservedInstance(offering, term, payment),
              ratePerUnitHour: (price.upfront / term.hours + price.hourly) / nf, upfrontPerUnit: price.upfront / nf))
          }
        }
      }
      if offerings.includeEC2InstanceSavingsPlans {
        for term in offerings.terms {
          for payment in offerings.payments {
            guard let percent = savingsPlanRates.discountPercent(
              planType: .ec2Instance, family: entry.family, region: entry.region, term: term, payment: payment)
            else {
              notes.append("no EC2 Instance Savings Plans rate for \(entry.family) in \(entry.region) (\(term), \(payment))")
              continue
            }
            let rate = pools[p].onDemandRate * (1 - percent / 100)
            instruments.append(PoolInstrument(
              pool: p, kind: .ec2InstanceSavingsPlan(term, payment), ratePerUnitHour: rate,
              upfrontPerUnit: rate * term.hours * upfrontFraction(payment)))
          }
        }
      }
    }
    var computePlans: [ComputeSavingsPlanOffering?] = [nil]
    if offerings.includeComputeSavingsPlans {
      computePlans = []
      for term in offerings.terms {
        for payment in offerings.payments {
          let rates: [Double?] = entries.enumerated().map { p, entry in
            savingsPlanRates.discountPercent(
              planType: .compute, family: entry.family, region: entry.region, term: term, payment: payment
            ).map { pools[p].onDemandRate * (1 - $0 / 100) }
          }
          for (p, rate) in rates.enumerated() where rate == nil {
            notes.append("no Compute Savings Plans rate for \(pools[p].name) (\(term), \(payment)): not eligible")
          }
          if rates.contains(where: { $0 != nil }) {
            computePlans.append(ComputeSavingsPlanOffering(
              term: term, payment: payment, coveredRate: rates, upfrontFraction: upfrontFraction(payment)))
          }
        }
      }
      if computePlans.isEmpty { computePlans = [nil] }
    }
    let problems = try computePlans.map { plan throws(AdvisorError) in
      try CommitmentProblem(pools: pools, usage: usage, poolInstruments: instruments, computePlan: plan, caps: caps)
    }
    return (problems, notes)
  }

  private static func upfrontFraction(_ payment: PaymentOption) -> Double {
    switch payment {
    case .noUpfront: 0
    case .partialUpfront: 0.5
    case .allUpfront: 1
    }
  }

  /// Upfront USD and recurring USD/h of one RI from the catalog; nil when not listed.
  private static func reservedInstancePrice(
    _ entry: PriceCatalogEntry, offering: OfferingClass, term: CommitmentTerm, payment: PaymentOption
  ) -> (upfront: Double, hourly: Double)? {
    switch (offering, term, payment) {
    case (.standard, .oneYear, .noUpfront): entry.standardRIOneYearNoUpfrontUSDPerHour.map { (0, $0) }
    case (.standard, .threeYears, .noUpfront): entry.standardRIThreeYearNoUpfrontUSDPerHour.map { (0, $0) }
    case (.standard, .oneYear, .allUpfront): entry.standardRIOneYearAllUpfrontUSD.map { ($0, 0) }
    case (.standard, .threeYears, .allUpfront): entry.standardRIThreeYearAllUpfrontUSD.map { ($0, 0) }
    case (.convertible, .oneYear, .noUpfront): entry.convertibleRIOneYearNoUpfrontUSDPerHour.map { (0, $0) }
    case (.convertible, .threeYears, .noUpfront): entry.convertibleRIThreeYearNoUpfrontUSDPerHour.map { (0, $0) }
    case (.convertible, .oneYear, .allUpfront): entry.convertibleRIOneYearAllUpfrontUSD.map { ($0, 0) }
    case (.convertible, .threeYears, .allUpfront): entry.convertibleRIThreeYearAllUpfrontUSD.map { ($0, 0) }
    default: nil
    }
  }
}
