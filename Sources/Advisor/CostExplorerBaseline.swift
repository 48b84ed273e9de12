import Billing

extension CommitmentProblem {
  /// The same problem offering only one kind of commitment (Cost Explorer recommends each
  /// kind on its own).
  public func restricted(to kind: CommitmentKind) throws(AdvisorError) -> CommitmentProblem {
    let instruments = poolInstruments.filter {
      switch ($0.kind, kind) {
      case (.reservedInstance, .reservedInstances), (.ec2InstanceSavingsPlan, .ec2InstanceSavingsPlans): true
      default: false
      }
    }
    return try CommitmentProblem(
      pools: pools, usage: usage, poolInstruments: instruments,
      computePlan: kind == .computeSavingsPlans ? computePlan : nil, caps: caps)
  }
}

/// What AWS Cost Explorer would recommend from the same history: the last `lookbackDays`
/// of hourly usage, assumed to repeat ("does not forecast your usage", CM-UG), one kind of
/// commitment at a time, the purchase that maximizes estimated savings over the look-back
/// (reference §11). We compute that purchase exactly with the same optimizer, so the only
/// differences from our recommendation are the look-back and the single kind.
public struct CostExplorerBaseline: Sendable {
  public var lookbackDays: Int
  public var kind: CommitmentKind
  /// Its figures on the look-back, as Cost Explorer shows them.
  public var recommendation: CommitmentRecommendation
  /// The purchase, for billing it on other usage.
  public var portfolio: Portfolio
  public var problem: CommitmentProblem

  /// - Parameter candidates: the full problems over the history (one path), as built by
  ///   `CommitmentProblem.fromCatalog`.
  public static func recommend(
    history candidates: [CommitmentProblem], lookbackDays: Int, kind: CommitmentKind,
    options: CommitmentAdvisorOptions = CommitmentAdvisorOptions()
  ) throws(AdvisorError) -> CostExplorerBaseline? {
    guard lookbackDays >= 1 else { throw .invalidInput("look-back must be at least 1 day, found \(lookbackDays)") }
    var restricted: [CommitmentProblem] = []
    for candidate in candidates {
      let problem = try candidate.restricted(to: kind)
      guard !problem.poolInstruments.isEmpty || problem.computePlan != nil else { continue }
      restricted.append(try problem.replacingUsage(problem.usage.suffix(hours: lookbackDays * 24)))
    }
    guard !restricted.isEmpty else { return nil }
    var lean = options
    lean.curveFractions = []
    lean.whatIfLoadFactors = []
    let optimizer = CommitmentOptimizer(relativeTolerance: options.relativeTolerance)
    var best: (CommitmentProblem, CommitmentSolution)?
    for problem in restricted {
      let solution = optimizer.solve(problem)
      if best == nil || solution.purchaseHourlyCost < best!.1.purchaseHourlyCost { best = (problem, solution) }
    }
    let (problem, solution) = best!
    let recommendation = try CommitmentAdvisor(options: lean).recommendation(problem, solution: solution, notes: [])
    return CostExplorerBaseline(
      lookbackDays: lookbackDays, kind: kind, recommendation: recommendation, portfolio: solution.purchase,
      problem: problem)
  }

  /// Mean hourly cost and savings percent of this purchase on other usage (the planning
  /// paths, or what actually happened).
  public func realized(on usage: UsagePaths) throws(AdvisorError) -> (hourlyCost: Double, onDemandHourlyCost: Double, savingsPercent: Double) {
    try CommitmentAdvisor.realized(portfolio, problem: problem, on: usage)
  }
}

extension CommitmentAdvisor {
  /// Bills `portfolio` (bought for `problem`) on other usage of the same pools.
  public static func realized(
    _ portfolio: Portfolio, problem: CommitmentProblem, on usage: UsagePaths
  ) throws(AdvisorError) -> (hourlyCost: Double, onDemandHourlyCost: Double, savingsPercent: Double) {
    let changed = try problem.replacingUsage(usage)
    let model = PortfolioCostModel(problem: changed)
    let cost = model.evaluate(portfolio).cost
    let onDemand = model.evaluate(.none(instrumentCount: changed.poolInstruments.count)).cost
    return (cost, onDemand, onDemand > 0 ? 100 * (1 - cost / onDemand) : 0)
  }
}
