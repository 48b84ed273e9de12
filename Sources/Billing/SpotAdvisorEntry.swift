/// One row of `spot-interruption.csv`: what the AWS Spot Instance Advisor reports for an
/// instance type in one region (Linux).
public struct SpotAdvisorEntry: Sendable, Equatable {
  public var region: String
  public var instanceType: String
  /// AWS's interruption-frequency bucket, 0...4 (<5%, 5-10%, 10-15%, 15-20%, >20%).
  public var interruptionBucket: Int
  /// The bucket's label as AWS shows it, e.g. "15-20%".
  public var interruptionFrequencyLabel: String
  /// Upper bound of the bucket in percent (5, 11, 16, 22, 100); nil when absent.
  public var interruptionMaxPercent: Double?
  /// Typical Spot saving versus on-demand, in percent (0...100). A price estimated from it
  /// is an estimate, not a published Spot price.
  public var savingsVersusOnDemandPercent: Double

  public var key: RegionalInstanceType {
    RegionalInstanceType(region: region, instanceType: instanceType)
  }

  public init(
    region: String, instanceType: String, interruptionBucket: Int,
    interruptionFrequencyLabel: String, interruptionMaxPercent: Double? = nil,
    savingsVersusOnDemandPercent: Double
  ) {
    self.region = region
    self.instanceType = instanceType
    self.interruptionBucket = interruptionBucket
    self.interruptionFrequencyLabel = interruptionFrequencyLabel
    self.interruptionMaxPercent = interruptionMaxPercent
    self.savingsVersusOnDemandPercent = savingsVersusOnDemandPercent
  }
}
