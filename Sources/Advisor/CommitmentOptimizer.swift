import Billing

/// The optimizer's answer for one problem.
public struct CommitmentSolution: Sendable {
  /// The optimum with continuous quantities (what the LP peer computes).
  public var continuous: Portfolio
  public var continuousHourlyCost: Double
  /// A proven lower bound on the continuous optimum's hourly cost.
  public var lowerBound: Double
  /// What to buy: Reserved Instances rounded to whole instances of the recommended size,
  /// Savings Plans commitments rounded down to 0.001 USD/h (AWS's increment), re-optimized.
  public var purchase: Portfolio
  public var purchaseHourlyCost: Double
  /// Mean hourly cost with no commitments.
  public var onDemandHourlyCost: Double
  public var iterations: Int

  /// Proven relative gap between the continuous answer and the true optimum.
  public var relativeGap: Double {
    continuousHourlyCost > 0 ? (continuousHourlyCost - lowerBound) / continuousHourlyCost : 0
  }
}

/// Chooses the portfolio of Reserved Instances, EC2 Instance Savings Plans and a Compute
/// Savings Plan that minimizes the expected cost over the usage paths (all equally likely),
/// under the caps. Exact up to a proven gap of `relativeTolerance` (EllipsoidMinimizer).
public struct CommitmentOptimizer: Sendable {
  /// Stop when the proven gap is below this share of the all-On-Demand cost.
  public var relativeTolerance: Double

  public init(relativeTolerance: Double = 1e-7) {
    self.relativeTolerance = relativeTolerance
  }

  /// - Parameter rounds: false skips rounding to whole RIs (the purchase is then the
  ///   continuous optimum): for curves and what-ifs.
  public func solve(_ problem: CommitmentProblem, rounds: Bool = true) -> CommitmentSolution {
    let model = PortfolioCostModel(problem: problem)
    let instrumentCount = problem.poolInstruments.count
    let none = Portfolio.none(instrumentCount: instrumentCount)
    let onDemand = model.evaluate(none).cost
    var bounds = upperBounds(problem, model: model)
    // An instrument another one of its pool beats on rate (and, under an upfront cap, on
    // upfront) never helps: fix it at zero so the search space stays small.
    for (i, a) in problem.poolInstruments.enumerated() {
      let dominated = problem.poolInstruments.enumerated().contains { k, b in
        guard k != i, b.pool == a.pool else { return false }
        let rateBetter = b.ratePerUnitHour < a.ratePerUnitHour || (b.ratePerUnitHour == a.ratePerUnitHour && k < i)
        let upfrontOK = problem.caps.maxUpfront == nil || b.upfrontPerUnit <= a.upfrontPerUnit
        return rateBetter && upfrontOK
      }
      if dominated { bounds[i] = 0 }
    }
    let constraints = capConstraints(problem, model: model, onDemandHourly: onDemand)
    let tolerance = max(onDemand, 1e-12) * relativeTolerance
    let minimizer = EllipsoidMinimizer(upperBounds: bounds, constraints: constraints, absoluteTolerance: tolerance)
    let result = minimizer.minimize { x in
      let (cost, gradient) = model.evaluate(Self.portfolio(x, instrumentCount: instrumentCount))
      return (cost, gradient)
    }
    let continuous = Self.portfolio(result.x, instrumentCount: instrumentCount)
    let (purchase, purchaseCost) = rounds
      ? roundPurchase(
        problem, model: model, continuous: continuous, bounds: bounds, constraints: constraints, tolerance: tolerance)
      : (continuous, result.value)
    return CommitmentSolution(
      continuous: continuous, continuousHourlyCost: result.value, lowerBound: result.lowerBound,
      purchase: purchase, purchaseHourlyCost: purchaseCost, onDemandHourlyCost: onDemand,
      iterations: result.iterations)
  }

  /// Mean hourly cost of any portfolio on the problem's usage (AWS application order).
  public func hourlyCost(of portfolio: Portfolio, in problem: CommitmentProblem) -> Double {
    PortfolioCostModel(problem: problem).evaluate(portfolio).cost
  }

  static func portfolio(_ x: [Double], instrumentCount: Int) -> Portfolio {
    Portfolio(poolUnits: Array(x[0..<instrumentCount]), computeCommitment: x[instrumentCount])
  }

  /// No point covering more than the peak: units up to the pool's largest hour, Compute
  /// commitment up to the largest hour's eligible usage at plan rates.
  private func upperBounds(_ problem: CommitmentProblem, model: PortfolioCostModel) -> [Double] {
    let maxima = problem.usage.maxUsage()
    var bounds = problem.poolInstruments.map { maxima[$0.pool] }
    var computeMax = 0.0
    if problem.computePlan != nil {
      let usage = problem.usage
      for row in 0..<(usage.pathCount * usage.hours) {
        var spend = 0.0
        for p in model.computeOrder { spend += usage.storage[row * usage.poolCount + p] * model.computeRate[p] }
        computeMax = max(computeMax, spend)
      }
    }
    bounds.append(computeMax)
    return bounds
  }

  private func capConstraints(
    _ problem: CommitmentProblem, model: PortfolioCostModel, onDemandHourly: Double
  ) -> [EllipsoidMinimizer.LinearConstraint] {
    var constraints: [EllipsoidMinimizer.LinearConstraint] = []
    let instruments = problem.poolInstruments
    if let cap = problem.caps.maxHourlyCommitment {
      constraints.append(.init(a: instruments.map(\.ratePerUnitHour) + [1], b: cap))
    }
    if let cap = problem.caps.maxUpfront {
      let computeUpfront = (problem.computePlan?.upfrontFraction ?? 0) * (problem.computePlan?.term.hours ?? 0)
      constraints.append(.init(a: instruments.map(\.upfrontPerUnit) + [computeUpfront], b: cap))
    }
    if let cap = problem.caps.maxCoverage {
      // On-Demand-equivalent capacity: units x On-Demand rate; a Compute USD buys
      // od/rate of On-Demand value, taken at the pools' spend-weighted mean ratio.
      let mean = problem.usage.meanUsage()
      var spend = 0.0
      var eligibleSpend = 0.0
      var eligibleCommitment = 0.0
      for (p, pool) in problem.pools.enumerated() {
        spend += pool.onDemandRate * mean[p]
        if model.computeRate[p].isFinite {
          eligibleSpend += pool.onDemandRate * mean[p]
          eligibleCommitment += model.computeRate[p] * mean[p]
        }
      }
      let ratio = eligibleCommitment > 0 ? eligibleSpend / eligibleCommitment : 1
      constraints.append(.init(
        a: instruments.map { problem.pools[$0.pool].onDemandRate } + [ratio], b: cap * spend))
    }
    return constraints
  }

  /// Reserved Instances come in whole instances of the pool's recommended size; Savings
  /// Plans in 0.001 USD/h. Tries rounding each RI quantity down and up (all combinations
  /// for up to 6 RI quantities, otherwise down), re-optimizes the Savings Plans with the
  /// RIs fixed, and keeps the cheapest feasible purchase.
  private func roundPurchase(
    _ problem: CommitmentProblem, model: PortfolioCostModel, continuous: Portfolio, bounds: [Double],
    constraints: [EllipsoidMinimizer.LinearConstraint], tolerance: Double
  ) -> (Portfolio, Double) {
    let instrumentCount = problem.poolInstruments.count
    let riIndices = problem.poolInstruments.indices.filter {
      if case .reservedInstance = problem.poolInstruments[$0].kind { return continuous.poolUnits[$0] > 0 }
      return false
    }
    var choices: [[Double]] = riIndices.map { i in
      let size = problem.pools[problem.poolInstruments[i].pool].unitsPerInstance
      let count = continuous.poolUnits[i] / size
      let down = count.rounded(.down) * size
      let up = count.rounded(.up) * size
      return down == up ? [down] : [down, up]
    }
    if riIndices.count > 6 { choices = choices.map { [$0[0]] } }
    var best: (Portfolio, Double)?
    var combination = [Int](repeating: 0, count: riIndices.count)
    while true {
      var fixed = [Double?](repeating: nil, count: instrumentCount + 1)
      for (k, i) in riIndices.enumerated() { fixed[i] = choices[k][combination[k]] }
      for i in 0..<instrumentCount where fixed[i] == nil {
        if case .reservedInstance = problem.poolInstruments[i].kind { fixed[i] = 0 }
      }
      if let candidate = solveSavingsPlans(
        problem, model: model, fixed: fixed, start: continuous, bounds: bounds, constraints: constraints,
        tolerance: tolerance)
      {
        if best == nil || candidate.1 < best!.1 { best = candidate }
      }
      // Next combination (odometer).
      var k = 0
      while k < combination.count {
        combination[k] += 1
        if combination[k] < choices[k].count { break }
        combination[k] = 0
        k += 1
      }
      if k == combination.count { break }
    }
    return best ?? (Portfolio.none(instrumentCount: instrumentCount), model.evaluate(.none(instrumentCount: instrumentCount)).cost)
  }

  /// With some variables fixed, minimizes over the rest (the Savings Plans), then rounds
  /// Savings Plans commitments down to 0.001 USD/h. Nil if the fixed part breaks a cap.
  private func solveSavingsPlans(
    _ problem: CommitmentProblem, model: PortfolioCostModel, fixed: [Double?], start: Portfolio, bounds: [Double],
    constraints: [EllipsoidMinimizer.LinearConstraint], tolerance: Double
  ) -> (Portfolio, Double)? {
    let instrumentCount = problem.poolInstruments.count
    let freeIndices = fixed.indices.filter { fixed[$0] == nil }
    func full(_ y: [Double]) -> [Double] {
      var x = fixed.map { $0 ?? 0 }
      for (k, i) in freeIndices.enumerated() { x[i] = y[k] }
      return x
    }
    let base = full([Double](repeating: 0, count: freeIndices.count))
    var reduced: [EllipsoidMinimizer.LinearConstraint] = []
    for c in constraints {
      let rest = c.b - dot(c.a, base)
      if rest < -1e-9 { return nil }
      reduced.append(.init(a: freeIndices.map { c.a[$0] }, b: max(0, rest)))
    }
    let minimizer = EllipsoidMinimizer(
      upperBounds: freeIndices.map { bounds[$0] }, constraints: reduced, absoluteTolerance: tolerance)
    let startPoint = freeIndices.map { i in
      i == instrumentCount ? start.computeCommitment : start.poolUnits[i]
    }
    let result = minimizer.minimize(startingAt: startPoint) { y in
      let (cost, gradient) = model.evaluate(Self.portfolio(full(y), instrumentCount: instrumentCount))
      return (cost, freeIndices.map { gradient[$0] })
    }
    var x = full(result.x)
    // Savings Plans are bought in USD/h with three decimals: round the commitment down.
    for i in freeIndices {
      if i == instrumentCount {
        x[i] = (x[i] * 1000).rounded(.down) / 1000
      } else {
        let rate = problem.poolInstruments[i].ratePerUnitHour
        x[i] = ((x[i] * rate * 1000).rounded(.down) / 1000) / rate
      }
    }
    let portfolio = Self.portfolio(x, instrumentCount: instrumentCount)
    return (portfolio, model.evaluate(portfolio).cost)
  }
}
