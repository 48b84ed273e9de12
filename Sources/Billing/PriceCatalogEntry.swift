/// One row of `ec2-prices.csv`: an instance type in one region, its size and its list
/// prices. All prices are USD per instance-hour for Linux/UNIX, shared tenancy, unless the
/// name says `USD` alone (a one-time upfront payment).
///
/// Optional prices are nil when the cell is empty (not published in the source), never zero.
public struct PriceCatalogEntry: Sendable, Equatable {
  public var region: String
  public var instanceType: String
  /// `m5` for `m5.large`.
  public var family: String
  /// `large` for `m5.large`.
  public var size: String
  /// AWS's instance family label, e.g. "General purpose"; nil when absent.
  public var category: String?
  public var vcpuCount: Int
  public var memoryGiB: Double
  /// Reserved Instance normalized units per instance-hour (large = 4, xlarge = 8, ...).
  public var normalizationFactor: Double
  public var onDemandUSDPerHour: Double

  /// Average Spot price; empty in the shipped catalog.
  public var spotAverageUSDPerHour: Double?
  /// Standard Reserved Instance, No Upfront: hourly fee owed every hour of the term.
  public var standardRIOneYearNoUpfrontUSDPerHour: Double?
  public var standardRIThreeYearNoUpfrontUSDPerHour: Double?
  /// Standard Reserved Instance, All Upfront: the one-time payment; empty in the shipped catalog.
  public var standardRIOneYearAllUpfrontUSD: Double?
  public var standardRIThreeYearAllUpfrontUSD: Double?
  /// Convertible Reserved Instance, No Upfront: hourly fee owed every hour of the term.
  public var convertibleRIOneYearNoUpfrontUSDPerHour: Double?
  public var convertibleRIThreeYearNoUpfrontUSDPerHour: Double?
  /// Convertible Reserved Instance, All Upfront: the one-time payment; empty in the shipped
  /// catalog (filled by `capsim prices import`).
  public var convertibleRIOneYearAllUpfrontUSD: Double?
  public var convertibleRIThreeYearAllUpfrontUSD: Double?
  /// Savings Plans rates for this usage, No Upfront; empty in the shipped catalog.
  public var computeSavingsPlanOneYearNoUpfrontUSDPerHour: Double?
  public var computeSavingsPlanThreeYearNoUpfrontUSDPerHour: Double?
  public var ec2InstanceSavingsPlanOneYearNoUpfrontUSDPerHour: Double?
  public var ec2InstanceSavingsPlanThreeYearNoUpfrontUSDPerHour: Double?

  /// The Savings Plans No Upfront column for a plan type and term (nil: not in the catalog).
  public func savingsPlanNoUpfrontUSDPerHour(planType: SavingsPlanType, term: CommitmentTerm) -> Double? {
    switch (planType, term) {
    case (.compute, .oneYear): computeSavingsPlanOneYearNoUpfrontUSDPerHour
    case (.compute, .threeYears): computeSavingsPlanThreeYearNoUpfrontUSDPerHour
    case (.ec2Instance, .oneYear): ec2InstanceSavingsPlanOneYearNoUpfrontUSDPerHour
    case (.ec2Instance, .threeYears): ec2InstanceSavingsPlanThreeYearNoUpfrontUSDPerHour
    }
  }

  public var key: RegionalInstanceType {
    RegionalInstanceType(region: region, instanceType: instanceType)
  }

  public init(
    region: String, instanceType: String, family: String, size: String,
    category: String? = nil, vcpuCount: Int, memoryGiB: Double, normalizationFactor: Double,
    onDemandUSDPerHour: Double
  ) {
    self.region = region
    self.instanceType = instanceType
    self.family = family
    self.size = size
    self.category = category
    self.vcpuCount = vcpuCount
    self.memoryGiB = memoryGiB
    self.normalizationFactor = normalizationFactor
    self.onDemandUSDPerHour = onDemandUSDPerHour
  }
}
