import Foundation

/// A Savings Plan purchase (`commitments.savingsPlans[]`): a commitment of USD per hour of
/// usage at Savings Plans rates, owed every hour of the term whether used or not.
public struct SavingsPlanDefinition: Sendable, Equatable {
  /// The two EC2 Savings Plan types (Fargate and Lambda usage is outside capsim).
  public enum PlanType: String, Sendable, Equatable, CaseIterable {
    /// Any family, size, region: smaller discount.
    case compute
    /// One instance family in one region: larger discount.
    case ec2Instance
  }

  public enum Kind: Sendable, Hashable {
    /// A Compute Savings Plan: any family, size and region.
    case compute
    /// An EC2 Instance Savings Plan: one family (e.g. "m5") in one region.
    case ec2Instance(family: String, region: String)

    public var type: PlanType {
      switch self {
      case .compute: .compute
      case .ec2Instance: .ec2Instance
      }
    }
  }

  /// Unique across all commitments of the scenario.
  public var id: String
  public var kind: Kind
  /// Spend at Savings Plans rates committed per hour, USD, greater than 0 and at most 10⁶.
  public var commitmentUSDPerHour: Double
  public var term: CommitmentsDefinition.Term
  public var payment: CommitmentsDefinition.Payment
  /// When the plan starts; may be before the simulated window.
  public var start: Date
  /// As written, else `start + term.durationSeconds`. After `start`, at most one term after it.
  public var end: Date
  /// Paid at purchase for the whole plan, USD; nil = not written. `noUpfront`: 0 or nil;
  /// `partialUpfront`: set, strictly between 0 and `commitmentUSDPerHour × term.hours`;
  /// `allUpfront`: that whole amount, or nil (meaning it).
  public var upfrontUSD: Double?
  /// Where the plan's list item starts.
  public var location: SourceLocation

  public init(
    id: String, kind: Kind, commitmentUSDPerHour: Double, term: CommitmentsDefinition.Term,
    payment: CommitmentsDefinition.Payment, start: Date, end: Date, upfrontUSD: Double? = nil, location: SourceLocation
  ) {
    self.id = id
    self.kind = kind
    self.commitmentUSDPerHour = commitmentUSDPerHour
    self.term = term
    self.payment = payment
    self.start = start
    self.end = end
    self.upfrontUSD = upfrontUSD
    self.location = location
  }
}
