import Foundation

/// Everything `capsim commitments` and `capsim recommend` report about commitments: what
/// was planned on, the recommendation, and Cost Explorer-style baselines billed on the same
/// planning usage.
public struct CommitmentAdvice: Sendable {
  public struct PoolSummary: Sendable, Equatable {
    public var family: String
    public var region: String
    public var recommendedInstanceType: String
    public var meanUnits: Double
    public var minUnits: Double
    public var maxUnits: Double
    public var onDemandRatePerUnitHour: Double
  }

  public struct Baseline: Sendable {
    public var baseline: CostExplorerBaseline
    /// The baseline's purchase billed on the planning usage (history or forecast paths).
    public var planningHourlyCost: Double
    public var planningSavingsPercent: Double
  }

  /// "history" or "forecast".
  public var planningBasis: String
  public var historyStart: Date
  public var historyHours: Int
  public var planningHours: Int
  public var planningPaths: Int
  public var pools: [PoolSummary]
  public var recommendation: CommitmentRecommendation
  public var baselines: [Baseline]
  public var notes: [String]

  public init(
    planningBasis: String, historyStart: Date, historyHours: Int, history: UsagePaths,
    problem: CommitmentProblem, recommendation: CommitmentRecommendation, baselines: [CostExplorerBaseline],
    notes: [String]
  ) throws(AdvisorError) {
    self.planningBasis = planningBasis
    self.historyStart = historyStart
    self.historyHours = historyHours
    self.planningHours = recommendation.hours
    self.planningPaths = recommendation.paths
    var pools: [PoolSummary] = []
    for (p, pool) in problem.pools.enumerated() {
      var low = Double.infinity, high = 0.0, sum = 0.0
      for t in 0..<history.hours {
        let u = history.value(path: 0, hour: t, pool: p)
        low = min(low, u)
        high = max(high, u)
        sum += u
      }
      pools.append(PoolSummary(
        family: pool.family, region: pool.region, recommendedInstanceType: pool.recommendedInstanceType,
        meanUnits: sum / Double(history.hours), minUnits: low, maxUnits: high, onDemandRatePerUnitHour: pool.onDemandRate))
    }
    self.pools = pools
    self.recommendation = recommendation
    self.baselines = try baselines.map { b throws(AdvisorError) in
      let realized = try b.realized(on: problem.usage)
      return Baseline(baseline: b, planningHourlyCost: realized.hourlyCost, planningSavingsPercent: realized.savingsPercent)
    }
    self.notes = notes
  }
}
