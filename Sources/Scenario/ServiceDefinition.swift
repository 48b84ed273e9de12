import AutoScaling

/// One service of a multi-service scenario (`services:`): its own demand, Auto Scaling
/// group and policies, and the team and tags its cost is shown back to.
///
/// Services run side by side over the same window; they share only the scenario's
/// commitments (Reserved Instances and Savings Plans apply across all of them, as across the
/// accounts of one AWS Organization with sharing on).
public struct ServiceDefinition: Sendable, Equatable {
  /// Unique among the scenario's services.
  public var name: String
  /// The team the service's cost is shown back to.
  public var team: String
  /// Free-form cost-allocation tags (`{cost-center: "4711"}`); empty when none are given.
  public var tags: [String: String]
  public var demand: DemandDefinition
  /// Validated, with `group.capacityUnitsPerMinute` from the service's `capacity`, else the
  /// scenario's.
  public var fleet: FleetDefinition
  /// Target tracking, step, simple and predictive policies in file order, validated;
  /// scheduled actions are in `scheduledActions`. Both empty = a fixed fleet.
  public var policies: [ScalingPolicy]
  public var scheduledActions: [ScheduledActionDefinition]
  /// Where the service's list item starts.
  public var location: SourceLocation
  /// Where each policy (by name, unique in the service) is written: its type key.
  public var policyLocations: [String: SourceLocation]

  public init(
    name: String, team: String, tags: [String: String] = [:], demand: DemandDefinition, fleet: FleetDefinition,
    policies: [ScalingPolicy], scheduledActions: [ScheduledActionDefinition], location: SourceLocation,
    policyLocations: [String: SourceLocation]
  ) {
    self.name = name
    self.team = team
    self.tags = tags
    self.demand = demand
    self.fleet = fleet
    self.policies = policies
    self.scheduledActions = scheduledActions
    self.location = location
    self.policyLocations = policyLocations
  }
}
