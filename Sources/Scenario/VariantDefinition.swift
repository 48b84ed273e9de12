import AutoScaling

/// One policy variant: the fleet with this variant's overrides and the policies it runs.
public struct VariantDefinition: Sendable, Equatable {
  public var name: String
  public var description: String?
  /// The scenario fleet with this variant's `fleet:` overrides applied (purchase options
  /// included); validated.
  public var group: GroupConfiguration
  /// The variant's `purchaseOptions.spotPriceUSDPerHour`, else the fleet's; nil when neither
  /// gives one.
  public var spotPriceUSDPerHour: Double?
  /// The fleet's instance types and strategies with the variant's `purchaseOptions` applied.
  public var instanceTypes = InstanceTypesDefinition()
  /// Target tracking, step, simple and predictive policies in file order, validated.
  /// Scheduled actions are in `scheduledActions` (they need calendar expansion first).
  public var policies: [ScalingPolicy]
  public var scheduledActions: [ScheduledActionDefinition]
  /// Where the variant's list item starts.
  public var location: SourceLocation
  /// Where each policy (by name, unique in the variant) is written: its type key.
  public var policyLocations: [String: SourceLocation]

  public init(
    name: String, description: String?, group: GroupConfiguration, spotPriceUSDPerHour: Double? = nil,
    policies: [ScalingPolicy], scheduledActions: [ScheduledActionDefinition], location: SourceLocation,
    policyLocations: [String: SourceLocation]
  ) {
    self.name = name
    self.description = description
    self.group = group
    self.spotPriceUSDPerHour = spotPriceUSDPerHour
    self.policies = policies
    self.scheduledActions = scheduledActions
    self.location = location
    self.policyLocations = policyLocations
  }
}
