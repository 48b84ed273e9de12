import AutoScaling

/// One fleet's policy recommendation.
public struct FleetRecommendation: Sendable {
  public var name: String
  public var instanceType: String
  public var region: String
  public var search: PolicySearchResult
  /// The chosen variant (the current policies when no variant meets the SLO).
  public var chosen: PolicyVariantResult
  /// The SLO-meeting variants compared with their own optimal commitments (empty when
  /// none meets the SLO); the chosen one is the cheapest here.
  public var commitmentAware: [CommitmentAwareTrial]
  /// The current policies' scheduled actions as written (searched as part of the current
  /// configuration; variants with floors before the peaks replace them).
  public var currentScheduledActions: [ScheduledActionDefinition] = []
  /// The type x policy search, when the fleet had other instance types to search (empty:
  /// one type, `instanceType`): per type, the current first, its best policy with its own
  /// optimal commitments. `instanceType` is then the chosen type, `search` its search.
  public var instanceTypes: [InstanceTypeTrial] = []
  /// The type the fleet runs on now (`instanceType` unless the search moved it).
  public var currentInstanceType: String?
  /// The search on the current type, when types were searched (its `current` is the fleet
  /// as it runs today).
  public var currentTypeSearch: PolicySearchResult?

  public init(
    name: String, instanceType: String, region: String, search: PolicySearchResult, chosen: PolicyVariantResult,
    commitmentAware: [CommitmentAwareTrial], currentScheduledActions: [ScheduledActionDefinition] = []
  ) {
    self.name = name
    self.instanceType = instanceType
    self.region = region
    self.search = search
    self.chosen = chosen
    self.commitmentAware = commitmentAware
    self.currentScheduledActions = currentScheduledActions
  }

  /// Whether the chosen variant keeps the current scheduled actions.
  public var keepsCurrentSchedule: Bool {
    chosen.variant.policies.contains(where: \.isScheduled)
  }
}

/// A variant's expected hourly cost on the forecast paths, On-Demand (and Spot) only and
/// with the commitment portfolio that is optimal for its usage.
public struct CommitmentAwareTrial: Sendable, Equatable {
  public var variantIndex: Int
  public var name: String
  public var onDemandHourlyCost: Double
  public var withCommitmentsHourlyCost: Double
  /// With a weighted objective: the SLO penalty per hour of history (score minus cost over
  /// the history's hours); 0 otherwise. The choice minimizes cost with commitments plus this.
  public var penaltyHourlyCost: Double = 0

  public init(
    variantIndex: Int, name: String, onDemandHourlyCost: Double, withCommitmentsHourlyCost: Double,
    penaltyHourlyCost: Double = 0
  ) {
    self.variantIndex = variantIndex
    self.name = name
    self.onDemandHourlyCost = onDemandHourlyCost
    self.withCommitmentsHourlyCost = withCommitmentsHourlyCost
    self.penaltyHourlyCost = penaltyHourlyCost
  }
}
