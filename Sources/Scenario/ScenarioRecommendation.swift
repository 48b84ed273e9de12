import Advisor
import Foundation

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
}

public struct ScenarioRecommendation: Sendable {
  public var scenarioName: String
  public var file: String
  public var timeZone: TimeZone
  public var start: Date
  public var fleets: [FleetRecommendation]
  public var commitments: CommitmentAdvice
  /// How the commitment planning basis was chosen (validation on the history's tail).
  public var planningSelection: PlanningSelection
  public var backtest: CommitmentBacktest?
  public var notes: [String]
  /// With `backtestOrigins` > 1: the backtest from every origin (`backtest` is the first).
  public var rollingBacktest: RollingBacktest? = nil
}
