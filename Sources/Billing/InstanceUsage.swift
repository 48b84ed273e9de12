/// `count` identical instances that ran from `startSeconds` to `endSeconds`.
///
/// Times are seconds since the scenario start (hour 0 begins at 0). Each instance is one
/// instance start for billing: it pays the 60-second minimum on its own.
///
/// `service`, `tags` and `availabilityZone` are for ``FleetBill``: showback per service and
/// team (`tags["team"]`), FOCUS `Tags`, and zonal Reserved Instances. Their defaults keep
/// single-service callers unchanged.
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
  /// The service (workload) the instances ran for; nil reads as ``FleetBill/unnamedService``.
  /// All records of one service must carry the same `tags`.
  public var service: String?
  /// Cost-allocation tags, e.g. `["team": "payments"]`; `team` drives showback per team.
  public var tags: [String: String]
  /// The zone the instances ran in, e.g. `us-east-1a`; nil when unknown. A zonal Reserved
  /// Instance covers only usage whose zone is known and equal to its own.
  public var availabilityZone: String?

  public init(
    instanceType: String, region: String, purchaseOption: PurchaseOption = .onDemand,
    count: Int, startSeconds: Double, endSeconds: Double,
    service: String? = nil, tags: [String: String] = [:], availabilityZone: String? = nil
  ) {
    self.instanceType = instanceType
    self.region = region
    self.purchaseOption = purchaseOption
    self.count = count
    self.startSeconds = startSeconds
    self.endSeconds = endSeconds
    self.service = service
    self.tags = tags
    self.availabilityZone = availabilityZone
  }

  public var key: RegionalInstanceType {
    RegionalInstanceType(region: region, instanceType: instanceType)
  }
}
