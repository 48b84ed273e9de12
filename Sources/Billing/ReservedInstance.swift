/// `count` EC2 Reserved Instances of one type (Linux/UNIX, shared tenancy), owned or bought
/// in the scenario.
///
/// ```swift
/// // Bought 90 days before the run; No Upfront: the hourly fee comes from the catalog.
/// let ri = ReservedInstance(id: "ri-m5", instanceType: "m5.2xlarge", region: "us-east-1",
///                           count: 2, term: .oneYear, payment: .noUpfront,
///                           startSeconds: -90 * 86_400)
/// ```
///
/// Scope (EC2-UG, "How Reserved Instances are applied"):
/// - **Regional** (`availabilityZone` nil): any zone of the region, and instance size
///   flexible within its family: it provides `count × normalizationFactor` normalized units
///   each hour, applied to the family's usage from the smallest size up.
/// - **Zonal** (`availabilityZone` set): only its exact type in that zone (usage whose zone
///   is known and equal), no size flexibility.
///
/// Prices are per instance: the effective hourly cost is `upfrontUSDPerInstance / term
/// hours + recurringUSDPerInstanceHour`, owed every hour from `startSeconds` to
/// `endSeconds` whether or not usage matches. Left nil, they come from the catalog where
/// it has them (Standard and Convertible No Upfront hourly fees, Standard and Convertible
/// All Upfront upfronts); Partial Upfront (and any price the catalog lacks) must be given, or billing
/// fails naming the field.
public struct ReservedInstance: Sendable, Equatable {
  /// Unique among all commitments; it is the FOCUS `CommitmentDiscountId`.
  public var id: String
  public var instanceType: String
  public var region: String
  /// nil = regional (size-flexible); set = zonal, e.g. `us-east-1a`.
  public var availabilityZone: String?
  /// Number of Reserved Instances, 1 or more.
  public var count: Int
  public var offeringClass: OfferingClass
  public var term: CommitmentTerm
  public var payment: PaymentOption
  /// When the term began, seconds since scenario start; negative = bought before the run
  /// (its upfront fee is then not part of this bill's cash, only its amortization).
  public var startSeconds: Double
  /// When it stops applying; nil = `startSeconds + term.seconds`. At most that.
  public var endSeconds: Double?
  /// One-time fee per Reserved Instance, USD; nil = from the catalog (0 for No Upfront).
  public var upfrontUSDPerInstance: Double?
  /// Recurring fee per Reserved Instance-hour, USD; nil = from the catalog (No Upfront) or 0
  /// (All Upfront).
  public var recurringUSDPerInstanceHour: Double?

  public init(
    id: String, instanceType: String, region: String, availabilityZone: String? = nil,
    count: Int, offeringClass: OfferingClass = .standard, term: CommitmentTerm,
    payment: PaymentOption = .noUpfront, startSeconds: Double, endSeconds: Double? = nil,
    upfrontUSDPerInstance: Double? = nil, recurringUSDPerInstanceHour: Double? = nil
  ) {
    self.id = id
    self.instanceType = instanceType
    self.region = region
    self.availabilityZone = availabilityZone
    self.count = count
    self.offeringClass = offeringClass
    self.term = term
    self.payment = payment
    self.startSeconds = startSeconds
    self.endSeconds = endSeconds
    self.upfrontUSDPerInstance = upfrontUSDPerInstance
    self.recurringUSDPerInstanceHour = recurringUSDPerInstanceHour
  }

  /// True for a regional (size-flexible) Reserved Instance.
  public var isRegional: Bool { availabilityZone == nil }

  /// `endSeconds`, or the end of the term.
  public var effectiveEndSeconds: Double { endSeconds ?? startSeconds + term.seconds }
}

extension ReservedInstance {
  /// The per-instance fees, from the fields or the catalog.
  /// - Throws: `BillingError.invalidCommitment` naming the missing or invalid field.
  func resolvedFees(entry: PriceCatalogEntry) throws -> (upfrontUSD: Double, recurringUSDPerHour: Double) {
    func fail(_ field: String, _ expected: String, _ found: String) -> BillingError {
      .invalidCommitment(id: id, field: field, expected: expected, found: found)
    }
    let catalogRecurring: Double?
    let catalogUpfront: Double?
    switch (offeringClass, term, payment) {
    case (.standard, .oneYear, .noUpfront):
      (catalogUpfront, catalogRecurring) = (0, entry.standardRIOneYearNoUpfrontUSDPerHour)
    case (.standard, .threeYears, .noUpfront):
      (catalogUpfront, catalogRecurring) = (0, entry.standardRIThreeYearNoUpfrontUSDPerHour)
    case (.convertible, .oneYear, .noUpfront):
      (catalogUpfront, catalogRecurring) = (0, entry.convertibleRIOneYearNoUpfrontUSDPerHour)
    case (.convertible, .threeYears, .noUpfront):
      (catalogUpfront, catalogRecurring) = (0, entry.convertibleRIThreeYearNoUpfrontUSDPerHour)
    case (.standard, .oneYear, .allUpfront):
      (catalogUpfront, catalogRecurring) = (entry.standardRIOneYearAllUpfrontUSD, 0)
    case (.standard, .threeYears, .allUpfront):
      (catalogUpfront, catalogRecurring) = (entry.standardRIThreeYearAllUpfrontUSD, 0)
    case (.convertible, .oneYear, .allUpfront):
      (catalogUpfront, catalogRecurring) = (entry.convertibleRIOneYearAllUpfrontUSD, 0)
    case (.convertible, .threeYears, .allUpfront):
      (catalogUpfront, catalogRecurring) = (entry.convertibleRIThreeYearAllUpfrontUSD, 0)
    case (_, _, .partialUpfront):
      (catalogUpfront, catalogRecurring) = (nil, nil)
    }
    let what = "\(offeringClass) \(term) \(payment) \(instanceType) in \(region)"
    guard let upfront = upfrontUSDPerInstance ?? catalogUpfront else {
      throw fail(
        "upfrontUSDPerInstance", "the upfront fee of a \(what) Reserved Instance (the catalog "
          + "has no such price; give it in the scenario)", "none")
    }
    guard let recurring = recurringUSDPerInstanceHour ?? catalogRecurring else {
      throw fail(
        "recurringUSDPerInstanceHour", "the hourly fee of a \(what) Reserved Instance (the "
          + "catalog has no such price; give it in the scenario)", "none")
    }
    guard upfront.isFinite, upfront >= 0 else {
      throw fail("upfrontUSDPerInstance", "a finite amount >= 0 USD", "\(upfront)")
    }
    guard recurring.isFinite, recurring >= 0 else {
      throw fail("recurringUSDPerInstanceHour", "a finite amount >= 0 USD", "\(recurring)")
    }
    switch payment {
    case .noUpfront where upfront != 0:
      throw fail("upfrontUSDPerInstance", "0 for No Upfront", "\(upfront)")
    case .allUpfront where recurring != 0:
      throw fail("recurringUSDPerInstanceHour", "0 for All Upfront", "\(recurring)")
    case .partialUpfront where upfront == 0 || recurring == 0:
      throw fail(
        upfront == 0 ? "upfrontUSDPerInstance" : "recurringUSDPerInstanceHour",
        "more than 0 for Partial Upfront", "0")
    default:
      return (upfront, recurring)
    }
  }
}
