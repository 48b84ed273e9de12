import AutoScaling
import Billing
import Foundation
import Parallel

/// Another instance type a fleet could run on: its capacity (demand units per minute at
/// 100% CPU), the commitment pool its usage would count against, and its normalization
/// factor. Its prices come from the planner's catalog (On-Demand, Spot, RIs, Savings Plans).
public struct InstanceTypeOption: Sendable, Equatable {
  public var instanceType: String
  public var pool: PoolKey
  public var normalizationFactor: Double
  public var capacityUnitsPerMinute: Double

  public init(instanceType: String, pool: PoolKey, normalizationFactor: Double, capacityUnitsPerMinute: Double) {
    self.instanceType = instanceType
    self.pool = pool
    self.normalizationFactor = normalizationFactor
    self.capacityUnitsPerMinute = capacityUnitsPerMinute
  }
}

/// One instance type's best policy with its own optimal commitments, as the type x policy
/// search found it. Costs are expected USD per hour on the forecast paths (the chosen
/// variant's `CommitmentAwareTrial`); nil when no variant on the type meets the SLO.
public struct InstanceTypeTrial: Sendable, Equatable {
  public var instanceType: String
  /// The type's family (`m7g`): RIs and EC2 Instance Savings Plans pool within it.
  public var family: String
  public var capacityUnitsPerMinute: Double
  /// The type the fleet runs on now.
  public var isCurrent: Bool
  /// Min, max and initial size on this type: the current group's scaled to the same capacity.
  public var minSize: Int
  public var maxSize: Int
  /// Variants searched on the type.
  public var variantsSearched: Int
  /// The type's best variant (nil: none meets the SLO).
  public var variantName: String?
  public var onDemandHourlyCost: Double?
  public var withCommitmentsHourlyCost: Double?
  public var penaltyHourlyCost: Double?

  public init(
    instanceType: String, family: String, capacityUnitsPerMinute: Double, isCurrent: Bool, minSize: Int, maxSize: Int,
    variantsSearched: Int, best: CommitmentAwareTrial?
  ) {
    self.instanceType = instanceType
    self.family = family
    self.capacityUnitsPerMinute = capacityUnitsPerMinute
    self.isCurrent = isCurrent
    self.minSize = minSize
    self.maxSize = maxSize
    self.variantsSearched = variantsSearched
    self.variantName = best?.name
    self.onDemandHourlyCost = best?.onDemandHourlyCost
    self.withCommitmentsHourlyCost = best?.withCommitmentsHourlyCost
    self.penaltyHourlyCost = best?.penaltyHourlyCost
  }

  /// What the choice minimizes: cost with commitments plus the SLO penalty (weighted
  /// objective); nil when no variant meets the SLO.
  public var objectiveHourlyCost: Double? {
    withCommitmentsHourlyCost.map { $0 + (penaltyHourlyCost ?? 0) }
  }
}

/// The type x policy search of one fleet: per type (the current first) its search and
/// commitment-aware choice, and which type was chosen.
struct InstanceTypeSearch {
  struct Searched {
    /// The fleet as it would run on the type (group sized for its capacity, its pool).
    var fleet: FleetPlanInput
    var search: PolicySearchResult
    var note: String?
    var choice: CommitmentAwareChoice
    var trial: InstanceTypeTrial
  }
  var searched: [Searched]
  /// Index into `searched`.
  var chosen: Int
}

/// A fleet moved to another instance type, as the advisor and the run report both model
/// it: the group sizes (min, max, initial, On-Demand base, and scheduled actions' sizes)
/// scaled by the capacity ratio and rounded up, so the floor and ceiling stay the same
/// capacity; launch time and warm-up stay the group's (they are the application's start,
/// not the type's). Dynamic policies are kept as written: target tracking follows CPU,
/// which the capacity already scales; step and simple adjustments stay in instances.
public enum InstanceTypeMove {
  /// `size` instances of capacity `fromUnits` as instances of capacity `toUnits`, rounded
  /// up (a relative 1e-12 forgives rounding: 4 x 150 / 150 stays 4), at most AWS's group limit.
  public static func scaled(_ size: Int, fromUnits: Double, toUnits: Double) -> Int {
    let exact = Double(size) * (fromUnits / toUnits)
    return Int(min(Double(GroupConfiguration.maximumSize), (exact * (1 - 1e-12)).rounded(.up)))
  }

  public static func group(_ group: GroupConfiguration, on instanceType: String, capacityUnitsPerMinute: Double) -> GroupConfiguration {
    var moved = group
    let from = group.capacityUnitsPerMinute
    func scaled(_ size: Int) -> Int { Self.scaled(size, fromUnits: from, toUnits: capacityUnitsPerMinute) }
    moved.instanceType = instanceType
    moved.capacityUnitsPerMinute = capacityUnitsPerMinute
    moved.minSize = scaled(group.minSize)
    moved.maxSize = scaled(group.maxSize)
    moved.initialCapacity = scaled(group.initialCapacity)
    moved.onDemandBaseCapacity = scaled(group.onDemandBaseCapacity)
    return moved
  }

  public static func scheduledActions(
    _ actions: [ScheduledActionDefinition], fromUnits: Double, toUnits: Double
  ) -> [ScheduledActionDefinition] {
    func scaled(_ size: Int) -> Int { Self.scaled(size, fromUnits: fromUnits, toUnits: toUnits) }
    return actions.map { action in
      var a = action
      a.minSize = action.minSize.map(scaled)
      a.maxSize = action.maxSize.map(scaled)
      a.desiredCapacity = action.desiredCapacity.map(scaled)
      return a
    }
  }
}

extension FleetPlanInput {
  /// The fleet on another instance type (`InstanceTypeMove`): the type's capacity, pool and
  /// normalization factor, and the catalog's Spot price (the fleet's own Spot price is for
  /// its own type).
  public func on(_ option: InstanceTypeOption) -> FleetPlanInput {
    var copy = self
    copy.instanceType = option.instanceType
    copy.pool = option.pool
    copy.normalizationFactor = option.normalizationFactor
    copy.group = InstanceTypeMove.group(group, on: option.instanceType, capacityUnitsPerMinute: option.capacityUnitsPerMinute)
    copy.currentScheduledActions = InstanceTypeMove.scheduledActions(
      currentScheduledActions, fromUnits: group.capacityUnitsPerMinute, toUnits: option.capacityUnitsPerMinute)
    copy.spotUSDPerHour = nil
    copy.otherInstanceTypes = []
    return copy
  }
}

extension RecommendationPlanner {
  /// Searches the fleet's policies on its own type and on each of `otherInstanceTypes`,
  /// each type priced with its own prices and its own optimal commitments
  /// (`chooseWithCommitments`), and chooses the type whose best variant costs least with its
  /// commitments (plus the SLO penalty under a weighted objective); ties keep the earlier
  /// type, the current one first. A type none of whose variants meets the SLO is not
  /// chosen; when no type has one, the current type's search stands (as with one type).
  /// Types are searched in parallel (`Parallel.map`), each search also parallel inside;
  /// results are in type order, so the choice does not depend on the cores.
  func searchInstanceTypes(
    _ fleet: FleetPlanInput, train: [Double], paths: [PolicySearchDemand], clock: LocalClock, scheduleEnd: Date
  ) throws -> InstanceTypeSearch {
    let typedFleets = typedFleets(fleet)
    let several = typedFleets.count > 1
    let searched = try Parallel.map(count: typedFleets.count, workers: several ? workerCount : 1) { k throws in
      let typed = typedFleets[k]
      let pricing = try searchPricing(typed)
      let progressName = several ? "\(fleet.name) \(typed.instanceType)" : fleet.name
      let (search, note) = try searchPolicies(
        typed, train: train, paths: paths, pricing: pricing, clock: clock, scheduleEnd: scheduleEnd,
        progressName: progressName)
      let simulator = FleetUsageSimulator(
        tickSeconds: tickSeconds, seed: seed, clock: clock, normalizationFactor: typed.normalizationFactor)
      let choice = try chooseWithCommitments(
        typed, search: search, paths: paths, historyHours: Double(train.count) * tickSeconds / 3_600,
        simulator: simulator)
      let trial = InstanceTypeTrial(
        instanceType: typed.instanceType, family: typed.pool.family, capacityUnitsPerMinute: typed.group.capacityUnitsPerMinute,
        isCurrent: k == 0, minSize: typed.group.minSize, maxSize: typed.group.maxSize,
        variantsSearched: search.variants.count, best: choice.best)
      return InstanceTypeSearch.Searched(
        fleet: typed, search: search, note: note.map { several ? "\($0) (on \(typed.instanceType))" : $0 },
        choice: choice, trial: trial)
    }
    var chosen = 0
    for k in searched.indices.dropFirst() {
      guard let cost = searched[k].trial.objectiveHourlyCost else { continue }
      guard let best = searched[chosen].trial.objectiveHourlyCost else {
        chosen = k
        continue
      }
      if cost < best { chosen = k }
    }
    return InstanceTypeSearch(searched: searched, chosen: chosen)
  }
}

extension RecommendationPlanner {
  /// The fleet on each type it is searched on: its own first, then `otherInstanceTypes`.
  func typedFleets(_ fleet: FleetPlanInput) -> [FleetPlanInput] {
    [fleet] + fleet.otherInstanceTypes.map { fleet.on($0) }
  }

  /// The prices a search of the fleet (on one type) ranks by: the catalog's, the fleet's
  /// own Spot price for its own type; with several types in the group (the fleet's own
  /// group only: other types are searched alone), each priced as billing prices it.
  func searchPricing(_ typed: FleetPlanInput) throws -> PolicySearchPricing {
    var pricing = try PolicySearchPricing(
      catalog: catalog, region: typed.region, instanceType: typed.instanceType,
      spotUSDPerHour: typed.spotUSDPerHour ?? catalog.spotUSDPerHour(region: typed.region, instanceType: typed.instanceType))
    for type in typed.group.instanceTypes.map(\.instanceType) {
      let own = type == typed.instanceType
      let onDemand = try PolicySearchPricing(
        catalog: catalog, region: typed.region, instanceType: type,
        spotUSDPerHour: catalog.spotUSDPerHour(region: typed.region, instanceType: type))
      pricing.typePrices.append(
        .init(
          onDemandUSDPerHour: onDemand.onDemandUSDPerHour,
          spotUSDPerHour: own ? pricing.spotUSDPerHour : onDemand.spotUSDPerHour))
    }
    return pricing
  }
}

extension FleetRecommendation {
  /// The current type's trial, when types were searched.
  public var currentTypeTrial: InstanceTypeTrial? { instanceTypes.first { $0.isCurrent } }

  /// The chosen type's trial, when types were searched.
  public var chosenTypeTrial: InstanceTypeTrial? { instanceTypes.first { $0.instanceType == instanceType } }

  /// What moving from the current type to `trial`'s saves per hour, both with their best
  /// policy and their own optimal commitments (negative: it costs more); nil when either
  /// has no SLO-meeting variant.
  public func hourlySaving(movingTo trial: InstanceTypeTrial) -> Double? {
    guard let current = currentTypeTrial?.withCommitmentsHourlyCost, let other = trial.withCommitmentsHourlyCost else {
      return nil
    }
    return current - other
  }
}
