import AutoScaling
import Billing
import Foundation
import Testing

@testable import Advisor

/// Type x policy search on a fleet whose size cannot move (min = max), so every cost is
/// a hand count. Type A serves 100 units/min at 0.20 USD/h (a 1-year standard RI: 0.12
/// USD/h); the group is 10 instances. Type B serves 60 units/min (0.6x): the same capacity
/// takes ceil(10 x 100 / 60) = ceil(16.67) = 17 instances. Demand peaks well below both
/// (at most ~600 units/min of 1000 and 1020), so every variant meets the SLO, and usage is
/// the same every hour: 10 instance-hours of A, or 17 of B. With only that RI on offer, a
/// constant usage is best covered in full, so the optimal totals are:
///   A: 10 x 0.12 = 1.20 USD/h          (On-Demand 10 x 0.20 = 2.00)
///   B at half A's prices (0.10, RI 0.06): 17 x 0.06 = 1.02 USD/h -> B wins, saves 0.18
///   B at 0.65 of A's prices (0.13, RI 0.078): 17 x 0.078 = 1.326 USD/h -> A stays, B costs 0.126 more
@Suite struct InstanceTypeSearchTests {
  static let region = "ap-northeast-2"

  static func entry(_ type: String, family: String, onDemand: Double, ri: Double) -> PriceCatalogEntry {
    var e = PriceCatalogEntry(
      region: region, instanceType: type, family: family, size: "large", vcpuCount: 2, memoryGiB: 8,
      normalizationFactor: 4, onDemandUSDPerHour: onDemand)
    e.standardRIOneYearNoUpfrontUSDPerHour = ri
    return e
  }

  static func planner(bPriceShare: Double, workers: Int = 2) -> RecommendationPlanner {
    let catalog = PriceCatalog(entries: [
      entry("a9.large", family: "a9", onDemand: 0.20, ri: 0.12),
      entry("b9.large", family: "b9", onDemand: 0.20 * bPriceShare, ri: 0.12 * bPriceShare),
    ])
    var planner = RecommendationPlanner(
      start: Date(timeIntervalSince1970: 1_735_689_600), timeZone: TimeZone(identifier: "UTC")!, seed: 5,
      catalog: catalog, savingsPlanRates: SavingsPlanRates(), ownedCommitments: Commitments())
    planner.forecastDays = 2
    planner.forecastPaths = 2
    planner.workerCount = workers
    return planner
  }

  static let typeB = InstanceTypeOption(
    instanceType: "b9.large", pool: PoolKey(family: "b9", region: region), normalizationFactor: 4,
    capacityUnitsPerMinute: 60)

  static func fleet(withB: Bool) -> FleetPlanInput {
    let group = GroupConfiguration(
      instanceType: "a9.large", minSize: 10, maxSize: 10, initialCapacity: 10, launchSeconds: 120, warmupSeconds: 300,
      capacityUnitsPerMinute: 100)
    var input = FleetPlanInput(
      name: "api", instanceType: "a9.large", region: region, pool: PoolKey(family: "a9", region: region),
      normalizationFactor: 4, group: group,
      currentPolicies: [PolicySearchFixtures.cpuTracking(50)], currentScheduledActions: [],
      demandPerMinute: PolicySearchFixtures.foodDelivery(days: 4, baseline: 100),
      serving: nil, spotUSDPerHour: nil,
      objective: PolicySearchFixtures.minimumCost(.delayedShare, limit: 0.001),
      space: PolicySearchSpace(targetValues: [50, 70]), widenedSpace: nil)
    if withB { input.otherInstanceTypes = [typeB] }
    return input
  }

  func trial(_ fleet: FleetRecommendation, _ type: String) throws -> InstanceTypeTrial {
    try #require(fleet.instanceTypes.first { $0.instanceType == type })
  }

  @Test("type B at half the price with 0.6x the capacity wins: 17 x 0.06 = 1.02 USD/h with its RIs vs 10 x 0.12 = 1.20")
  func cheaperTypeWins() throws {
    let plan = try Self.planner(bPriceShare: 0.5).plan([Self.fleet(withB: true)])
    let fleet = plan.fleets[0]
    #expect(fleet.instanceType == "b9.large" && fleet.currentInstanceType == "a9.large")
    let a = try trial(fleet, "a9.large")
    let b = try trial(fleet, "b9.large")
    #expect(a.isCurrent && !b.isCurrent)
    #expect(b.minSize == 17 && b.maxSize == 17 && a.minSize == 10)
    #expect(try #require(a.onDemandHourlyCost).isApproximatelyEqual(to: 2.00, relativeTolerance: 1e-6))
    #expect(try #require(b.onDemandHourlyCost).isApproximatelyEqual(to: 1.70, relativeTolerance: 1e-6))
    #expect(try #require(a.withCommitmentsHourlyCost).isApproximatelyEqual(to: 1.20, relativeTolerance: 1e-4))
    #expect(try #require(b.withCommitmentsHourlyCost).isApproximatelyEqual(to: 1.02, relativeTolerance: 1e-4))
    #expect(try #require(fleet.hourlySaving(movingTo: b)).isApproximatelyEqual(to: 0.18, relativeTolerance: 1e-3))
    // The chosen policy runs on B: its search, and the purchase planned in B's family.
    #expect(fleet.search.current.variant.group.instanceType == "b9.large")
    #expect(fleet.chosen.variant.group.capacityUnitsPerMinute == 60)
    let purchases = plan.commitments.recommendation.purchases
    #expect(!purchases.isEmpty && purchases.allSatisfy { $0.family == "b9" || $0.instanceType?.hasPrefix("b9.") == true })
    #expect(plan.notes.contains { $0.contains("moves from a9.large to b9.large") })
  }

  @Test("type B at 0.65 of the price with 0.6x the capacity loses: 17 x 0.078 = 1.326 USD/h vs 1.20; the fleet stays on A")
  func dearerTypeLoses() throws {
    let plan = try Self.planner(bPriceShare: 0.65).plan([Self.fleet(withB: true)])
    let fleet = plan.fleets[0]
    #expect(fleet.instanceType == "a9.large")
    let b = try trial(fleet, "b9.large")
    #expect(try #require(b.withCommitmentsHourlyCost).isApproximatelyEqual(to: 1.326, relativeTolerance: 1e-4))
    #expect(try #require(fleet.hourlySaving(movingTo: b)).isApproximatelyEqual(to: -0.126, relativeTolerance: 1e-3))
    #expect(!plan.notes.contains { $0.contains("moves from") })
  }

  @Test("the family-move saving is the difference of the two types' optimal totals, each as a single-type plan finds it")
  func savingIsTheDifferenceOfSingleTypePlans() throws {
    let planner = Self.planner(bPriceShare: 0.5)
    let both = try planner.plan([Self.fleet(withB: true)]).fleets[0]
    let onA = try planner.plan([Self.fleet(withB: false)]).fleets[0]
    let onB = try planner.plan([Self.fleet(withB: false).on(Self.typeB)]).fleets[0]
    #expect(onA.instanceTypes.isEmpty && onA.currentInstanceType == nil)
    func best(_ f: FleetRecommendation) throws -> Double {
      try #require(f.commitmentAware.map(\.withCommitmentsHourlyCost).min())
    }
    let saving = try #require(both.hourlySaving(movingTo: try trial(both, "b9.large")))
    #expect(saving.isApproximatelyEqual(to: try best(onA) - best(onB), relativeTolerance: 1e-9))
    #expect(try trial(both, "a9.large").withCommitmentsHourlyCost == best(onA))
    #expect(try trial(both, "b9.large").withCommitmentsHourlyCost == best(onB))
  }

  @Test("the type search gives the same trials and choice on 1 or 4 worker threads")
  func deterministic() throws {
    let one = try Self.planner(bPriceShare: 0.5, workers: 1).plan([Self.fleet(withB: true)])
    let four = try Self.planner(bPriceShare: 0.5, workers: 4).plan([Self.fleet(withB: true)])
    #expect(one.fleets[0].instanceTypes == four.fleets[0].instanceTypes)
    #expect(one.fleets[0].chosen.variant.name == four.fleets[0].chosen.variant.name)
    #expect(one.commitments.recommendation.portfolio == four.commitments.recommendation.portfolio)
  }

  @Test("moving a group scales its sizes to the same capacity, rounded up; the same capacity keeps them")
  func movedSizes() {
    #expect(InstanceTypeMove.scaled(10, fromUnits: 100, toUnits: 60) == 17)  // 16.67
    #expect(InstanceTypeMove.scaled(4, fromUnits: 120, toUnits: 150) == 4)  // 3.2
    #expect(InstanceTypeMove.scaled(120, fromUnits: 120, toUnits: 150) == 96)  // exactly 96
    #expect(InstanceTypeMove.scaled(7, fromUnits: 100, toUnits: 100) == 7)
    #expect(InstanceTypeMove.scaled(1_000_000, fromUnits: 1e9, toUnits: 1e-3) == GroupConfiguration.maximumSize)
  }
}

extension Double {
  /// |self - other| <= relativeTolerance x max(|self|, |other|) (swift-numerics' rule; this
  /// target does not link Numerics).
  fileprivate func isApproximatelyEqual(to other: Double, relativeTolerance: Double) -> Bool {
    abs(self - other) <= relativeTolerance * Swift.max(abs(self), abs(other))
  }
}
