import AutoScaling

/// The scenario's fleet: where it runs and the Auto Scaling group every variant starts from.
public struct FleetDefinition: Sendable, Equatable {
  /// AWS region code, e.g. "ap-northeast-2".
  public var region: String
  public var instanceType: String
  /// Validated; `capacityUnitsPerMinute` is the capacity map's entry for `instanceType`.
  public var group: GroupConfiguration
  /// Where `fleet:` is written.
  public var location: SourceLocation

  public init(region: String, instanceType: String, group: GroupConfiguration, location: SourceLocation) {
    self.region = region
    self.instanceType = instanceType
    self.group = group
    self.location = location
  }
}
