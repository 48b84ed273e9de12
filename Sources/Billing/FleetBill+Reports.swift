/// Cost split by how usage was paid for. Commitment fees are counted under
/// `reservedInstanceUSD` / `savingsPlanUSD`; in the effective (amortized) view these include
/// the waste of unused commitment.
public struct CostByPurchaseOption: Codable, Sendable, Equatable {
  /// On-demand usage no commitment covered.
  public var onDemandUSD = 0.0
  public var spotUSD = 0.0
  /// Reserved Instances: recurring fees and upfront payments (billed), or their amortized
  /// cost, used and unused (effective).
  public var reservedInstanceUSD = 0.0
  /// Savings Plans: recurring fees and upfront payments (billed), or the amortized
  /// commitment, used and unused (effective).
  public var savingsPlanUSD = 0.0
  /// EBS storage of stopped or hibernated warm pool instances (no commitment applies).
  public var ebsStorageUSD = 0.0

  public init() {}

  public var totalUSD: Double { onDemandUSD + spotUSD + reservedInstanceUSD + savingsPlanUSD + ebsStorageUSD }
}

/// How one Reserved Instance or Savings Plan did over the bill's hours, with Cost
/// Explorer's definitions (CM-UG, "Reservation reports" / SP-UG, "Using your utilization
/// report"): utilization = used ÷ purchased commitment.
public struct CommitmentReport: Codable, Sendable, Equatable {
  public enum Kind: String, Codable, Sendable, Hashable {
    case reservedInstance = "Reserved Instance"
    case savingsPlan = "Savings Plan"
  }

  public var id: String
  public var kind: Kind
  /// e.g. "regional standard 1y no-upfront, 2 × m5.2xlarge in us-east-1".
  public var summary: String
  /// Hours the commitment was active inside the bill (partial hours count in part).
  public var activeHours: Double
  /// The unit of `purchasedQuantity` / `usedQuantity`: "normalized unit-hours" (regional
  /// Reserved Instance), "instance-hours" (zonal) or "USD" (Savings Plan).
  public var unit: String
  public var purchasedQuantity: Double
  public var usedQuantity: Double
  /// `usedQuantity / purchasedQuantity` (0...1); nil when the commitment was never active.
  public var utilization: Double? {
    purchasedQuantity > 0 ? usedQuantity / purchasedQuantity : nil
  }
  /// Cash: recurring fees in the bill's hours plus the upfront fee if bought within them.
  public var billedCostUSD: Double
  /// Amortized: (upfront ÷ term hours + recurring) × active hours.
  public var effectiveCostUSD: Double
  /// The effective cost of the unused part.
  public var wasteUSD: Double
  /// Instance-hours of usage it covered.
  public var coveredInstanceHours: Double
  /// What the covered usage would have cost on demand.
  public var coveredOnDemandEquivalentUSD: Double

  /// On-demand value covered minus what the commitment cost (negative when waste
  /// outweighs the discount).
  public var netSavingsUSD: Double { coveredOnDemandEquivalentUSD - effectiveCostUSD }
}

/// Coverage of on-demand-option usage by commitments (Spot is never eligible, so it is in
/// no numerator or denominator).
///
/// - Reserved Instances (CM-UG, "Reservation coverage"; `CoverageNormalizedUnits`):
///   normalized unit-hours covered by Reserved Instances ÷ normalized unit-hours running.
/// - Savings Plans (SP-UG, "Using your coverage report"): on-demand equivalent of usage
///   covered by Savings Plans ÷ (that + Savings Plans-eligible usage billed at on-demand
///   rates). Usage a Reserved Instance covered is in neither term.
/// - Commitments: on-demand equivalent covered by either ÷ on-demand equivalent of all
///   on-demand-option usage.
public struct CoverageReport: Codable, Sendable, Equatable {
  public var runningNormalizedUnitHours = 0.0
  public var reservedInstanceNormalizedUnitHours = 0.0
  public var savingsPlanCoveredOnDemandEquivalentUSD = 0.0
  /// Usage billed at on-demand rates (all of it Savings Plans-eligible).
  public var onDemandBilledUSD = 0.0
  /// On-demand equivalent of all on-demand-option usage.
  public var onDemandOptionListUSD = 0.0
  public var commitmentCoveredOnDemandEquivalentUSD = 0.0

  public init() {}

  /// 0...1; nil without on-demand-option usage.
  public var reservedInstanceCoverage: Double? {
    runningNormalizedUnitHours > 0
      ? reservedInstanceNormalizedUnitHours / runningNormalizedUnitHours : nil
  }
  /// 0...1; nil without Savings Plans-eligible usage.
  public var savingsPlanCoverage: Double? {
    let eligible = savingsPlanCoveredOnDemandEquivalentUSD + onDemandBilledUSD
    return eligible > 0 ? savingsPlanCoveredOnDemandEquivalentUSD / eligible : nil
  }
  /// 0...1; nil without on-demand-option usage.
  public var commitmentCoverage: Double? {
    onDemandOptionListUSD > 0 ? commitmentCoveredOnDemandEquivalentUSD / onDemandOptionListUSD : nil
  }
}

/// One service's (or team's) share of the bill: its usage at list price, less the benefit
/// of the commitments that covered it.
///
/// Covered usage is charged at the covering commitment's effective rate (a Reserved
/// Instance's amortized cost per normalized unit, a Savings Plan's rate), so the benefit
/// of each commitment is shared in proportion to the usage it covered, as FOCUS
/// `EffectiveCost` does.
public struct ShowbackRow: Codable, Sendable, Equatable {
  /// The service, or the team for team rows.
  public var name: String
  /// The team (`tags["team"]`, or ``FleetBill/untaggedTeam``).
  public var team: String
  public var billedInstanceHours = 0.0
  /// All its usage at on-demand prices.
  public var listCostUSD = 0.0
  public var onDemandCostUSD = 0.0
  public var spotCostUSD = 0.0
  /// Effective cost of its commitment-covered usage.
  public var coveredCostUSD = 0.0
  /// On-demand value of its covered usage minus `coveredCostUSD`.
  public var commitmentBenefitUSD = 0.0
  /// Its share of unused commitment (only with ``WasteAttribution/coveredUsageShare``).
  public var allocatedWasteUSD = 0.0
  /// EBS storage of its stopped warm pool instances.
  public var ebsStorageCostUSD = 0.0

  public init(name: String, team: String) {
    self.name = name
    self.team = team
  }

  /// What it pays: on-demand + Spot + covered + allocated waste + EBS storage.
  public var effectiveCostUSD: Double {
    onDemandCostUSD + spotCostUSD + coveredCostUSD + allocatedWasteUSD + ebsStorageCostUSD
  }

  mutating func add(_ other: ShowbackRow) {
    billedInstanceHours += other.billedInstanceHours
    listCostUSD += other.listCostUSD
    onDemandCostUSD += other.onDemandCostUSD
    spotCostUSD += other.spotCostUSD
    coveredCostUSD += other.coveredCostUSD
    commitmentBenefitUSD += other.commitmentBenefitUSD
    allocatedWasteUSD += other.allocatedWasteUSD
    ebsStorageCostUSD += other.ebsStorageCostUSD
  }
}

/// Showback per service and per team, most expensive (effective cost) first, ties by name.
/// Σ services' `effectiveCostUSD` + `unallocatedCommitmentUSD` = the bill's effective cost.
public struct Showback: Codable, Sendable, Equatable {
  public var services: [ShowbackRow]
  public var teams: [ShowbackRow]
  /// Unused commitment charged to no service.
  public var unallocatedCommitmentUSD: Double
  public var wasteAttribution: WasteAttribution
}

/// One clock-hour of a ``FleetBill``: effective cost by purchase option with unused
/// commitments apart, and the parts of commitment coverage. The options and waste add up to
/// the hour's `hourlyEffectiveCostUSD`.
public struct HourlyCostBreakdown: Codable, Sendable, Equatable {
  /// On-demand usage no commitment covered.
  public var onDemandUSD = 0.0
  public var spotUSD = 0.0
  /// Amortized Reserved Instance cost of the usage they covered.
  public var reservedInstanceUsedUSD = 0.0
  /// Amortized Savings Plan commitment spent on covered usage.
  public var savingsPlanUsedUSD = 0.0
  /// Amortized cost of the commitments' unused capacity.
  public var wasteUSD = 0.0
  /// EBS storage of stopped or hibernated warm pool instances.
  public var ebsStorageUSD = 0.0
  /// On-demand value of the usage commitments covered.
  public var coveredOnDemandEquivalentUSD = 0.0
  /// On-demand value of all On-Demand-option usage (what commitments could cover).
  public var eligibleOnDemandEquivalentUSD = 0.0

  public init(
    onDemandUSD: Double = 0, spotUSD: Double = 0, reservedInstanceUsedUSD: Double = 0, savingsPlanUsedUSD: Double = 0,
    wasteUSD: Double = 0,
    coveredOnDemandEquivalentUSD: Double = 0, eligibleOnDemandEquivalentUSD: Double = 0
  ) {
    self.onDemandUSD = onDemandUSD
    self.spotUSD = spotUSD
    self.reservedInstanceUsedUSD = reservedInstanceUsedUSD
    self.savingsPlanUsedUSD = savingsPlanUsedUSD
    self.wasteUSD = wasteUSD
    self.coveredOnDemandEquivalentUSD = coveredOnDemandEquivalentUSD
    self.eligibleOnDemandEquivalentUSD = eligibleOnDemandEquivalentUSD
  }

  public var commitmentsUsedUSD: Double { reservedInstanceUsedUSD + savingsPlanUsedUSD }
  public var totalUSD: Double { onDemandUSD + spotUSD + commitmentsUsedUSD + wasteUSD + ebsStorageUSD }
  /// Covered ÷ eligible on-demand value; nil in an hour without On-Demand-option usage.
  public var commitmentCoverage: Double? {
    eligibleOnDemandEquivalentUSD > 0 ? coveredOnDemandEquivalentUSD / eligibleOnDemandEquivalentUSD : nil
  }
  /// Used ÷ (used + unused) commitment cost; nil in an hour without an active commitment.
  public var commitmentUtilization: Double? {
    commitmentsUsedUSD + wasteUSD > 0 ? commitmentsUsedUSD / (commitmentsUsedUSD + wasteUSD) : nil
  }
}

/// One service's effective cost per clock-hour in a ``FleetBill``: its on-demand, Spot and
/// covered usage, waste excluded (unused commitments are in ``HourlyCostBreakdown``), and
/// the waste charged to it under ``WasteAttribution/coveredUsageShare``.
public struct ServiceHourlyCost: Codable, Sendable, Equatable {
  public var name: String
  public var team: String
  /// `hourCount` entries.
  public var usageCostUSD: [Double]
  /// `hourCount` entries: each hour's waste of each commitment times the service's share of
  /// that commitment's waste over the whole bill (its ``ShowbackRow/allocatedWasteUSD`` ÷
  /// the commitment's waste), so the hours add up to `allocatedWasteUSD`. All zero with
  /// ``WasteAttribution/unallocated``.
  public var allocatedWasteUSD: [Double]

  /// `usageCostUSD + allocatedWasteUSD`, hour by hour: what the showback's
  /// `effectiveCostUSD` adds up.
  public var effectiveCostUSD: [Double] { zip(usageCostUSD, allocatedWasteUSD).map { $0 + $1 } }
}
