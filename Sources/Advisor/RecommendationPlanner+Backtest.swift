import Billing

extension RecommendationPlanner {
  /// Bills the recommended purchase and every Cost Explorer-style baseline on the held-out
  /// hours as they happened (the chosen policies' usage, less owned commitments); adds the
  /// same look-backs on the chosen policies' own past usage, which separates the value of
  /// the forecast from the policy change.
  func backtest(
    advice: CommitmentAdvice, selection: PlanningSelection, pools: [PoolKey], actual: UsagePaths,
    recommendedHistory: [[Double]], holdoutHours: Int
  ) throws -> CommitmentBacktest {
    let r = advice.recommendation
    let ours = try CommitmentAdvisor.realized(r.portfolio, problem: r.problem, on: actual)
    let baselines = try advice.baselines.map { b throws(AdvisorError) in try CommitmentBacktest.line(b.baseline, on: actual) }
    // Cost Explorer-style again, but looking back on the usage the recommended policy
    // would have produced: isolates forecast-vs-look-back from the policy change.
    let (sameCandidates, _) = try CommitmentProblem.fromCatalog(
      pools: pools, usage: UsagePaths(single: recommendedHistory), catalog: catalog,
      savingsPlanRates: savingsPlanRates, offerings: offerings)
    var samePolicy: [CommitmentBacktest.Line] = []
    for days in [7, 30, 60] where days * 24 <= recommendedHistory[0].count {
      for kind in CommitmentKind.allCases {
        guard let b = try CostExplorerBaseline.recommend(history: sameCandidates, lookbackDays: days, kind: kind) else { continue }
        samePolicy.append(try CommitmentBacktest.line(
          b, on: actual, label: "Cost Explorer-style \(days) d, \(kind.rawValue), on the recommended policy's past usage"))
      }
    }
    var backtest = CommitmentBacktest(
      trainHours: recommendedHistory.first?.count ?? 0, testHours: holdoutHours, onDemandHourlyCost: ours.onDemandHourlyCost,
      ours: CommitmentBacktest.Line(
        label: "capsim (recommended policy, \(selection.chosen), all kinds)", hourlyCommitment: r.hourlyCommitment,
        expectedSavingsPercent: r.savingsPercent, realizedSavingsPercent: ours.savingsPercent,
        realizedHourlyCost: ours.hourlyCost),
      baselines: baselines, advice: advice)
    backtest.samePolicyBaselines = samePolicy
    backtest.hindsight = try CommitmentBacktest.hindsight(
      pools: pools, actual: actual, catalog: catalog, savingsPlanRates: savingsPlanRates,
      offerings: offerings, caps: caps)
    return backtest
  }
}
