/// A Savings Plan: a commitment of `commitmentUSDPerHour` of spend at Savings Plans rates,
/// every hour from `startSeconds` to `endSeconds`.
///
/// ```swift
/// let plan = SavingsPlan(id: "sp-1", kind: .compute, commitmentUSDPerHour: 2.5,
///                        term: .threeYears, payment: .allUpfront, startSeconds: 0)
/// // upfrontUSD defaults to 2.5 × 26,280 = 65,700; recurring fee 0.
/// ```
///
/// SP-UG ("What are Savings Plans?", "How Savings Plans apply to your AWS usage"):
/// - **Compute**: any region, family and size.
/// - **EC2 Instance**: one family in one region, any size.
///
/// The commitment is the amortized hourly amount whatever the payment option: the
/// recurring fee is `commitmentUSDPerHour - upfrontUSD / term hours`. Unused commitment in
/// an hour is lost (still paid). The discount each plan gives depends on plan type, family,
/// term and payment: see ``SavingsPlanRates``.
public struct SavingsPlan: Sendable, Equatable {
  /// Where a plan applies.
  public enum Kind: Sendable, Hashable, CustomStringConvertible {
    /// Any EC2 usage (Fargate and Lambda are outside capsim).
    case compute
    /// One instance family (e.g. `m5`) in one region.
    case ec2Instance(family: String, region: String)

    public var planType: SavingsPlanType {
      switch self {
      case .compute: .compute
      case .ec2Instance: .ec2Instance
      }
    }

    public var description: String {
      switch self {
      case .compute: "Compute"
      case .ec2Instance(let family, let region): "EC2 Instance (\(family), \(region))"
      }
    }
  }

  /// Unique among all commitments; it is the FOCUS `CommitmentDiscountId`.
  public var id: String
  public var kind: Kind
  /// Hourly commitment in USD (> 0), spent at Savings Plans rates.
  public var commitmentUSDPerHour: Double
  public var term: CommitmentTerm
  public var payment: PaymentOption
  /// When the term began, seconds since scenario start; negative = bought before the run.
  public var startSeconds: Double
  /// When it stops applying; nil = `startSeconds + term.seconds`. At most that.
  public var endSeconds: Double?
  /// Total paid at purchase, USD. nil = 0 (No Upfront) or `commitmentUSDPerHour × term
  /// hours` (All Upfront); required for Partial Upfront.
  public var upfrontUSD: Double?

  public init(
    id: String, kind: Kind, commitmentUSDPerHour: Double, term: CommitmentTerm,
    payment: PaymentOption = .noUpfront, startSeconds: Double, endSeconds: Double? = nil,
    upfrontUSD: Double? = nil
  ) {
    self.id = id
    self.kind = kind
    self.commitmentUSDPerHour = commitmentUSDPerHour
    self.term = term
    self.payment = payment
    self.startSeconds = startSeconds
    self.endSeconds = endSeconds
    self.upfrontUSD = upfrontUSD
  }

  /// `endSeconds`, or the end of the term.
  public var effectiveEndSeconds: Double { endSeconds ?? startSeconds + term.seconds }
}

/// The two EC2 Savings Plans types, as keys of ``SavingsPlanRates``.
public enum SavingsPlanType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  case compute
  case ec2Instance = "ec2-instance"

  public var description: String { rawValue }
}

extension SavingsPlan {
  /// The upfront payment and the recurring hourly fee.
  /// - Throws: `BillingError.invalidCommitment` naming the field.
  func resolvedFees() throws -> (upfrontUSD: Double, recurringUSDPerHour: Double) {
    func fail(_ field: String, _ expected: String, _ found: String) -> BillingError {
      .invalidCommitment(id: id, field: field, expected: expected, found: found)
    }
    let total = commitmentUSDPerHour * term.hours
    let upfront: Double
    switch (payment, upfrontUSD) {
    case (.noUpfront, let given): upfront = given ?? 0
    case (.allUpfront, let given): upfront = given ?? total
    case (.partialUpfront, let given?): upfront = given
    case (.partialUpfront, nil):
      throw fail("upfrontUSD", "the amount paid at purchase of a Partial Upfront plan", "none")
    }
    guard upfront.isFinite, upfront >= 0 else {
      throw fail("upfrontUSD", "a finite amount >= 0 USD", "\(upfront)")
    }
    let tolerance = 1e-9 * max(1, total)
    switch payment {
    case .noUpfront where upfront != 0:
      throw fail("upfrontUSD", "0 for No Upfront", "\(upfront)")
    case .allUpfront where abs(upfront - total) > tolerance:
      throw fail(
        "upfrontUSD", "commitmentUSDPerHour × term hours = \(total) for All Upfront", "\(upfront)")
    case .partialUpfront where upfront <= 0 || upfront >= total:
      throw fail("upfrontUSD", "between 0 and \(total) (exclusive) for Partial Upfront", "\(upfront)")
    default:
      break
    }
    let recurring = payment == .allUpfront ? 0 : commitmentUSDPerHour - upfront / term.hours
    return (upfront, max(0, recurring))
  }
}
