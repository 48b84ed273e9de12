import Foundation

/// One hourly cost row in FOCUS 1.x terms (FinOps Open Cost and Usage Specification; column
/// names as in ``FOCUSCSVWriter/columns``).
///
/// A ``FleetBill`` emits, per clock-hour:
/// - per (service, region, type, zone, option) with usage: one `Usage` row for on-demand
///   usage left uncovered (`PricingCategory` Standard), one per commitment that covered part
///   of it (Committed, `CommitmentDiscountStatus` Used, `BilledCost` 0, `EffectiveCost` its
///   amortized share), or one Spot row (Dynamic);
/// - per active commitment: an `Unused` row for the part no usage consumed (`BilledCost` 0,
///   `EffectiveCost` the amortized waste), a `Purchase` / Recurring row for its hourly fee
///   (`BilledCost` the fee, `EffectiveCost` 0) and, in the purchase hour, a `Purchase` /
///   One-Time row for its upfront fee.
///
/// So Σ `billedCost` is the cash bill, Σ `effectiveCost` the amortized bill, and Σ
/// `listCost` the same usage at on-demand prices (Spot usage included at on-demand).
public struct CostLineItem: Sendable, Equatable {
  public enum ChargeCategory: String, Sendable, Hashable {
    case usage = "Usage"
    case purchase = "Purchase"
  }
  public enum ChargeFrequency: String, Sendable, Hashable {
    case usageBased = "Usage-Based"
    case recurring = "Recurring"
    case oneTime = "One-Time"
  }
  public enum PricingCategory: String, Sendable, Hashable {
    /// On-demand list rate.
    case standard = "Standard"
    /// Spot.
    case dynamic = "Dynamic"
    /// Covered by a commitment.
    case committed = "Committed"
  }
  public enum CommitmentDiscountType: String, Sendable, Hashable {
    case reservedInstance = "Reserved Instance"
    case savingsPlan = "Savings Plan"

    /// FOCUS `CommitmentDiscountCategory`: Reserved Instances commit to usage, Savings
    /// Plans to spend.
    public var category: String { self == .reservedInstance ? "Usage" : "Spend" }
  }
  public enum CommitmentDiscountStatus: String, Sendable, Hashable {
    case used = "Used"
    case unused = "Unused"
  }

  /// The clock-hour, 0-based from the scenario start.
  public var hour: Int
  public var billingPeriodStart: Date
  public var billingPeriodEnd: Date
  public var chargePeriodStart: Date
  public var chargePeriodEnd: Date
  public var chargeCategory: ChargeCategory
  public var chargeFrequency: ChargeFrequency
  public var chargeDescription: String
  /// nil for purchase rows.
  public var pricingCategory: PricingCategory?
  public var billedCost: Double
  public var effectiveCost: Double
  public var listCost: Double
  /// On-demand price of the usage's SKU, USD per hour; nil for commitment rows.
  public var listUnitPrice: Double?
  public var pricingQuantity: Double?
  public var pricingUnit: String?
  /// Instance-hours used; nil for rows that consume nothing (unused, purchase).
  public var consumedQuantity: Double?
  public var consumedUnit: String?
  public var commitmentDiscountId: String?
  public var commitmentDiscountType: CommitmentDiscountType?
  public var commitmentDiscountStatus: CommitmentDiscountStatus?
  /// Commitment consumed (Used) or left (Unused): Reserved Instance hours of the reserved
  /// type (normalized usage ÷ its normalization factor), or Savings Plans USD.
  public var commitmentDiscountQuantity: Double?
  public var commitmentDiscountUnit: String?
  /// The service for usage rows, the commitment id for commitment rows.
  public var resourceId: String
  public var resourceName: String
  /// "Instance", "Reserved Instance" or "Savings Plan".
  public var resourceType: String
  public var regionId: String?
  public var availabilityZone: String?
  /// e.g. `BoxUsage:m5.large`, `SpotUsage:m5.large`, `ReservedInstance`, `SavingsPlan`.
  public var skuId: String
  /// The price applied, e.g. `us-east-1/m5.large/OnDemand` or `us-east-1/m5.large/ri-1`.
  public var skuPriceId: String
  /// FOCUS `Tags`: the service's tags as a JSON object with sorted keys; `{}` when none.
  public var tagsJSON: String

  /// The service and instance type of usage rows (nil for commitment rows), for in-memory
  /// consumers that do not want to parse `tagsJSON`.
  public var service: String?
  public var instanceType: String?
}
