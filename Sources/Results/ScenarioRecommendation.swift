import Advisor
import Foundation

/// What one `capsim recommend` produced: per fleet the chosen policy, then the commitment
/// advice for all fleets together and its backtest. Plain values; Reporting renders them.
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

  public init(
    scenarioName: String, file: String, timeZone: TimeZone, start: Date, fleets: [FleetRecommendation],
    commitments: CommitmentAdvice, planningSelection: PlanningSelection, backtest: CommitmentBacktest?, notes: [String],
    rollingBacktest: RollingBacktest? = nil
  ) {
    self.scenarioName = scenarioName
    self.file = file
    self.timeZone = timeZone
    self.start = start
    self.fleets = fleets
    self.commitments = commitments
    self.planningSelection = planningSelection
    self.backtest = backtest
    self.notes = notes
    self.rollingBacktest = rollingBacktest
  }
}
