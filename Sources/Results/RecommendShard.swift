import Advisor

/// One ranking run of a sharded `capsim recommend` (`--shard i/n`), as a part file carries
/// it: its index among all the recommendation's ranking runs (searches in the planner's
/// order, each search's runs variant by variant, series by series), its key in the merge's
/// `PolicyRunLedger`, and the run's figures.
public struct RecommendShardRun: Codable, Sendable, Equatable {
  public var run: Int
  public var key: PolicyRunLedger.Key
  public var evaluation: PolicyRunEvaluation

  public init(run: Int, key: PolicyRunLedger.Key, evaluation: PolicyRunEvaluation) {
    self.run = run
    self.key = key
    self.evaluation = evaluation
  }
}
