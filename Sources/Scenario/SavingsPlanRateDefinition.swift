/// A Savings Plans discount given by the scenario (`savingsPlanRates[]`), for usage the
/// shipped price table has no Savings Plans rate for. The plan rate of an instance-hour is
/// its On-Demand price × (1 − discountPercent / 100).
///
/// Unique per (planType, family, region, term, payment); a rate for one region is meant to
/// win over a rate for all regions (`region == nil`).
public struct SavingsPlanRateDefinition: Sendable, Equatable {
  public var planType: SavingsPlanDefinition.PlanType
  /// Instance family the rate applies to, e.g. "m5".
  public var family: String
  /// nil = every region.
  public var region: String?
  public var term: CommitmentsDefinition.Term
  public var payment: CommitmentsDefinition.Payment
  /// Greater than 0 and less than 100.
  public var discountPercent: Double
  /// Where the rate's list item starts.
  public var location: SourceLocation

  public init(
    planType: SavingsPlanDefinition.PlanType, family: String, region: String? = nil, term: CommitmentsDefinition.Term,
    payment: CommitmentsDefinition.Payment, discountPercent: Double, location: SourceLocation
  ) {
    self.planType = planType
    self.family = family
    self.region = region
    self.term = term
    self.payment = payment
    self.discountPercent = discountPercent
    self.location = location
  }
}
