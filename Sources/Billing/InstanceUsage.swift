/// `count` identical instances that ran from `startSeconds` to `endSeconds`.
///
/// Times are seconds since the scenario start (hour 0 begins at 0). Each instance is one
/// instance start for billing: it pays the 60-second minimum on its own.
public struct InstanceUsage: Sendable, Equatable {
  public var instanceType: String
  public var region: String
  public var purchaseOption: PurchaseOption
  /// Number of identical instances, 0 or more.
  public var count: Int
  /// When the instances entered the running state, seconds since scenario start (>= 0).
  public var startSeconds: Double
  /// When they stopped running (terminated), seconds since scenario start (>= startSeconds).
  public var endSeconds: Double

  public init(
    instanceType: String, region: String, purchaseOption: PurchaseOption = .onDemand,
    count: Int, startSeconds: Double, endSeconds: Double
  ) {
    self.instanceType = instanceType
    self.region = region
    self.purchaseOption = purchaseOption
    self.count = count
    self.startSeconds = startSeconds
    self.endSeconds = endSeconds
  }

  public var key: RegionalInstanceType {
    RegionalInstanceType(region: region, instanceType: instanceType)
  }
}
