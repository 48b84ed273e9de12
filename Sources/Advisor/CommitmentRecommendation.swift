import Billing

/// One commitment to buy, with the figures Cost Explorer users know. Amounts are expected
/// values over the usage paths; "term" amounts assume the paths' hourly pattern holds for
/// the whole commitment term; months are 730 hours.
public struct CommitmentPurchase: Codable, Sendable, Equatable {
  public enum Kind: String, Codable, Sendable {
    case reservedInstance = "Reserved Instance"
    case ec2InstanceSavingsPlan = "EC2 Instance Savings Plan"
    case computeSavingsPlan = "Compute Savings Plan"
  }

  public var kind: Kind
  /// "standard" / "convertible" for RIs, nil for Savings Plans.
  public var offeringClass: OfferingClass?
  public var term: CommitmentTerm
  public var payment: PaymentOption
  /// Family and region (nil for the Compute plan).
  public var family: String?
  public var region: String?
  /// RIs: the size recommended and how many (RecommendedNumberOfInstancesToPurchase).
  public var instanceType: String?
  public var numberOfInstances: Int?
  /// RIs: RecommendedNormalizedUnitsToPurchase; EC2 Instance SPs: units covered per hour.
  public var normalizedUnits: Double?
  /// Savings Plans: HourlyCommitmentToPurchase (USD/h). RIs: effective USD/h.
  public var hourlyCommitment: Double
  public var upfrontCost: Double
  /// Recurring fee per hour (no-upfront and partial-upfront).
  public var recurringHourlyCost: Double
  /// EstimatedAverageUtilization, percent.
  public var estimatedAverageUtilization: Double
  /// On-Demand value of the usage this commitment covers, per month.
  public var estimatedOnDemandCostCovered: Double
  /// EstimatedMonthlySavingsAmount: covered On-Demand value minus the commitment's cost.
  public var estimatedMonthlySavingsAmount: Double
  /// EstimatedSavingsAmount over the term.
  public var estimatedSavingsAmount: Double
  /// Savings as a percent of the On-Demand value covered.
  public var estimatedSavingsPercentage: Double
  /// EstimatedROI, percent: savings / commitment cost x 100.
  public var estimatedROI: Double
  /// Share of hours the commitment must be fully used to break even: effective rate /
  /// On-Demand rate (for the Compute plan, 1 - the usage-weighted discount), percent.
  public var breakEvenUtilization: Double
  /// EstimatedBreakEvenInMonths: months of savings that pay back the upfront (0 without).
  public var estimatedBreakEvenInMonths: Double
}

/// A point of the savings-versus-commitment curve.
public struct CommitmentCurvePoint: Sendable, Equatable {
  /// Total effective USD/h of commitments bought.
  public var hourlyCommitment: Double
  public var expectedHourlyCost: Double
  public var savingsPercent: Double
  /// Commitment used / commitment bought, percent.
  public var utilization: Double
  /// Whether this point is the cost-minimizing portfolio under the cap (true below the
  /// optimum) or the optimum scaled up (above it).
  public var optimizedUnderCap: Bool
}

/// The recommended portfolio's cost when load ends up different.
public struct CommitmentWhatIf: Sendable, Equatable {
  public var loadFactor: Double
  public var onDemandHourlyCost: Double
  public var portfolioHourlyCost: Double
  public var savingsPercent: Double
  public var utilization: Double
  /// Savings if the portfolio had been chosen knowing the changed load.
  public var bestSavingsPercent: Double
}

public struct CommitmentRisk: Sendable, Equatable {
  public var paths: Int
  /// Hourly cost quantiles over paths (P10, P50, P90) with the portfolio and without.
  public var costP10: Double
  public var costP50: Double
  public var costP90: Double
  public var savingsPercentP10: Double
  public var savingsPercentP50: Double
  public var savingsPercentP90: Double
}

/// A tranche of a laddered purchase: what to buy in month `month` (its `items`); it ends at
/// month `expiresMonth`.
public struct LadderTranche: Sendable, Equatable {
  /// One purchase line's part of a tranche.
  public struct Item: Sendable, Equatable {
    /// Index into `CommitmentRecommendation.purchases`.
    public var purchaseIndex: Int
    /// RIs: whole instances of the line's size.
    public var numberOfInstances: Int?
    public var hourlyCommitment: Double
    public var upfrontCost: Double
  }

  public var month: Int
  public var expiresMonth: Int
  /// This tranche's part of its term's hourly commitment.
  public var share: Double
  public var hourlyCommitment: Double
  public var upfrontCost: Double
  public var items: [Item]
}

public struct CommitmentRecommendation: Sendable {
  public var purchases: [CommitmentPurchase]
  /// The purchase in the optimizer's terms and the problem it was made for (to bill it on
  /// other usage: `CommitmentAdvisor.realized`).
  public var portfolio: Portfolio
  public var problem: CommitmentProblem
  public var hours: Int
  public var paths: Int
  public var onDemandHourlyCost: Double
  public var expectedHourlyCost: Double
  /// Continuous optimum and its proven lower bound (before rounding to whole RIs).
  public var continuousHourlyCost: Double
  public var lowerBoundHourlyCost: Double
  public var hourlyCommitment: Double
  public var upfrontCost: Double
  /// Covered On-Demand value / all On-Demand value, percent.
  public var coverage: Double
  public var utilization: Double
  public var curve: [CommitmentCurvePoint]
  public var risk: CommitmentRisk
  public var whatIfs: [CommitmentWhatIf]
  public var ladder: [LadderTranche]
  public var notes: [String]
  public var solveIterations: Int

  public var savingsPercent: Double {
    onDemandHourlyCost > 0 ? 100 * (1 - expectedHourlyCost / onDemandHourlyCost) : 0
  }
  public var monthlySavings: Double { (onDemandHourlyCost - expectedHourlyCost) * CommitmentAdvisor.hoursPerMonth }
}
