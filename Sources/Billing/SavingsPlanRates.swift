/// Savings Plans discounts versus on-demand, per (plan type, instance family, term, payment),
/// optionally per region: the data that turns a usage's on-demand rate into its Savings
/// Plans rate, `rate = onDemand × (1 - discountPercent / 100)`.
///
/// ```swift
/// var rates = SavingsPlanRates()
/// try rates.setDiscountPercent(28, planType: .compute, family: "m5", term: .oneYear,
///                              payment: .noUpfront)
/// rates.discountPercent(planType: .compute, family: "m5", region: "us-east-1",
///                       term: .oneYear, payment: .noUpfront)  // 28 (any-region entry)
/// ```
///
/// **No rates are shipped.** AWS publishes Savings Plans rates only through its pricing
/// pages and Price List API; no public, citable copy for the catalog's regions and families
/// was found (searched: AWS docs, re:Post, public repositories with price data — see
/// `Resources/PRICING-SOURCES.md`, "Known gaps"). The Savings Plans User Guide's example
/// rates are labelled "illustrative only", and the published "up to 66%" (Compute) and "up to
/// 72%" (EC2 Instance) are maxima, not rates. So scenarios supply their own discounts (from
/// their AWS console, Cost Explorer or the Price List API), by code or with
/// ``init(csv:fileName:)``; a usage a plan could cover without a known rate is an error
/// (``BillingError/missingSavingsPlanRate(plan:planType:family:region:term:payment:)``),
/// never a silent zero. A catalog with the `*_sp_*_noupfront_hourly` columns filled is used
/// as a fallback for No Upfront plans.
///
/// Lookup order: the entry for the usage's region, then the any-region entry.
public struct SavingsPlanRates: Sendable, Equatable {
  /// One rate's key; `region` nil = any region.
  public struct Key: Hashable, Sendable {
    public var planType: SavingsPlanType
    public var family: String
    public var region: String?
    public var term: CommitmentTerm
    public var payment: PaymentOption

    public init(
      planType: SavingsPlanType, family: String, region: String? = nil, term: CommitmentTerm,
      payment: PaymentOption
    ) {
      self.planType = planType
      self.family = family
      self.region = region
      self.term = term
      self.payment = payment
    }
  }

  /// Discount in percent (0..<100) by key.
  public private(set) var discountPercentByKey: [Key: Double] = [:]

  /// No rates: every plan needs rates from the scenario or the catalog.
  public init() {}

  public var isEmpty: Bool { discountPercentByKey.isEmpty }

  /// Sets one discount, replacing any earlier one for the same key.
  /// - Throws: `BillingError.invalidInput` when `percent` is not in 0..<100 or `family` is
  ///   empty.
  public mutating func setDiscountPercent(
    _ percent: Double, planType: SavingsPlanType, family: String, region: String? = nil,
    term: CommitmentTerm, payment: PaymentOption
  ) throws {
    let key = Key(planType: planType, family: family, region: region, term: term, payment: payment)
    let field = "Savings Plans rate (\(planType), \(family), \(region ?? "any region"), \(term), \(payment))"
    guard !family.isEmpty else {
      throw BillingError.invalidInput(
        field: "\(field).family", expected: "an instance family like m5", found: "an empty string")
    }
    guard percent.isFinite, percent >= 0, percent < 100 else {
      throw BillingError.invalidInput(
        field: "\(field).discountPercent", expected: "a percentage from 0 to below 100",
        found: "\(percent)")
    }
    discountPercentByKey[key] = percent
  }

  /// The discount for usage of `family` in `region`: the region's entry, else the
  /// any-region entry, else nil.
  /// - Complexity: O(1).
  public func discountPercent(
    planType: SavingsPlanType, family: String, region: String, term: CommitmentTerm,
    payment: PaymentOption
  ) -> Double? {
    var key = Key(planType: planType, family: family, region: region, term: term, payment: payment)
    if let percent = discountPercentByKey[key] { return percent }
    key.region = nil
    return discountPercentByKey[key]
  }
}
