import Foundation

/// The scenario's `commitments:`: Reserved Instances and Savings Plans, shared by every
/// service (or variant) of the scenario. Empty when the file has none.
///
/// Each hour the billing engine applies them in AWS's order (aws-semantics.md §10): Reserved
/// Instances first (zonal before regional), then EC2 Instance Savings Plans, then Compute
/// Savings Plans, each plan to the eligible usage with the highest savings first.
///
/// `Term`, `Payment` and the other enums are nested to stay clear of Billing's own names
/// (`Billing.CommitmentTerm`, `Billing.PaymentOption`); the runner maps them.
public struct CommitmentsDefinition: Sendable, Equatable {
  /// In file order; ids are unique across Reserved Instances and Savings Plans.
  public var reservedInstances: [ReservedInstanceDefinition]
  /// In file order.
  public var savingsPlans: [SavingsPlanDefinition]

  public init(reservedInstances: [ReservedInstanceDefinition] = [], savingsPlans: [SavingsPlanDefinition] = []) {
    self.reservedInstances = reservedInstances
    self.savingsPlans = savingsPlans
  }

  public var isEmpty: Bool { reservedInstances.isEmpty && savingsPlans.isEmpty }

  /// The length of a Reserved Instance or Savings Plan.
  public enum Term: String, Sendable, Equatable, CaseIterable {
    /// 365 days.
    case oneYear = "1y"
    /// 1095 days (3 × 365).
    case threeYears = "3y"

    /// Days in the term: 365 or 1095 (AWS terms are 31,536,000 and 94,608,000 seconds).
    public var days: Int {
      switch self {
      case .oneYear: 365
      case .threeYears: 1_095
      }
    }

    /// Hours in the term: 8760 or 26280.
    public var hours: Double { Double(days * 24) }

    /// Seconds in the term, used for the default end (`start + durationSeconds`).
    public var durationSeconds: TimeInterval { Double(days) * 86_400 }
  }

  /// How a commitment is paid for.
  public enum Payment: String, Sendable, Equatable, CaseIterable {
    /// Nothing at purchase; a fee every hour of the term.
    case noUpfront
    /// Part at purchase, the rest as a lower hourly fee.
    case partialUpfront
    /// Everything at purchase; no hourly fee.
    case allUpfront
  }
}
