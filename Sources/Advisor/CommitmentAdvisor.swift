import Billing

public struct CommitmentAdvisorOptions: Sendable {
  public var relativeTolerance: Double = 1e-7
  /// Caps for the curve, as fractions of the optimum's hourly commitment (below 1 the
  /// cost-minimizing portfolio under that cap; above 1 the optimum scaled up).
  public var curveFractions: [Double] = [0, 0.2, 0.4, 0.6, 0.8, 0.9, 1, 1.1, 1.25, 1.5]
  public var whatIfLoadFactors: [Double] = [0.8, 0.9, 1.1]
  /// Split the purchase over this many months (nil: buy at once).
  public var ladderMonths: Int?

  public init() {}
}

/// Turns a commitment problem into a recommendation: the exact optimum, Cost Explorer-style
/// figures per purchase, the savings curve, risk over paths, load what-ifs and a ladder.
public struct CommitmentAdvisor: Sendable {
  public static let hoursPerMonth = 730.0
  public var options: CommitmentAdvisorOptions

  public init(options: CommitmentAdvisorOptions = CommitmentAdvisorOptions()) {
    self.options = options
  }

  /// Solves each candidate problem (they differ only in the Compute plan's term/payment)
  /// and recommends the cheapest.
  public func recommend(_ candidates: [CommitmentProblem], notes: [String] = []) throws(AdvisorError) -> CommitmentRecommendation {
    guard let (problem, solution) = bestSolution(candidates) else {
      throw .invalidProblem("nothing to recommend: no candidate problems")
    }
    return try recommendation(problem, solution: solution, notes: notes)
  }

  /// Each candidate solved; the one with the cheapest purchase (nil without candidates).
  func bestSolution(_ candidates: [CommitmentProblem]) -> (problem: CommitmentProblem, solution: CommitmentSolution)? {
    let optimizer = CommitmentOptimizer(relativeTolerance: options.relativeTolerance)
    var best: (problem: CommitmentProblem, solution: CommitmentSolution)?
    for problem in candidates {
      let solution = optimizer.solve(problem)
      if best == nil || solution.purchaseHourlyCost < best!.solution.purchaseHourlyCost { best = (problem, solution) }
    }
    return best
  }

  func recommendation(_ problem: CommitmentProblem, solution: CommitmentSolution, notes: [String]) throws(AdvisorError) -> CommitmentRecommendation {
    let model = PortfolioCostModel(problem: problem)
    let portfolio = solution.purchase
    let detail = model.breakdown(portfolio, instruments: problem.poolInstruments)
    let purchases = purchaseLines(problem, portfolio: portfolio, detail: detail, model: model)
    let hourlyCommitment = Self.hourlyCommitment(portfolio, problem)
    let used = detail.usedCommitment(problem.poolInstruments)
    let totalOnDemand = detail.poolOnDemandValue.reduce(0, +)
    let upfront = purchases.reduce(0) { $0 + $1.upfrontCost }
    // The curve is of continuous optima (rounding would make it jagged near the optimum).
    let curve = try savingsCurve(problem, optimum: solution.continuous, model: model, onDemand: solution.onDemandHourlyCost)
    let whatIfs = try self.whatIfs(problem, portfolio: portfolio)
    return CommitmentRecommendation(
      purchases: purchases, portfolio: portfolio, problem: problem, hours: problem.usage.hours, paths: problem.usage.pathCount,
      onDemandHourlyCost: solution.onDemandHourlyCost, expectedHourlyCost: solution.purchaseHourlyCost,
      continuousHourlyCost: solution.continuousHourlyCost, lowerBoundHourlyCost: solution.lowerBound,
      hourlyCommitment: hourlyCommitment, upfrontCost: upfront,
      coverage: totalOnDemand > 0 ? 100 * detail.coveredOnDemandValue / totalOnDemand : 0,
      utilization: hourlyCommitment > 0 ? 100 * used / hourlyCommitment : 0,
      curve: curve, risk: Self.risk(detail), whatIfs: whatIfs,
      ladder: ladder(purchases),
      notes: notes, solveIterations: solution.iterations)
  }

  static func hourlyCommitment(_ portfolio: Portfolio, _ problem: CommitmentProblem) -> Double {
    zip(portfolio.poolUnits, problem.poolInstruments).reduce(portfolio.computeCommitment) { $0 + $1.0 * $1.1.ratePerUnitHour }
  }

  private func purchaseLines(
    _ problem: CommitmentProblem, portfolio: Portfolio, detail: PortfolioBreakdown, model: PortfolioCostModel
  ) -> [CommitmentPurchase] {
    var lines: [CommitmentPurchase] = []
    let month = Self.hoursPerMonth
    for (i, instrument) in problem.poolInstruments.enumerated() where portfolio.poolUnits[i] > 1e-9 {
      let pool = problem.pools[instrument.pool]
      let units = portfolio.poolUnits[i]
      let hourly = units * instrument.ratePerUnitHour
      let usedValue = detail.instrumentUsedUnits[i] * pool.onDemandRate
      let savingsHourly = usedValue - hourly
      let upfront = units * instrument.upfrontPerUnit
      let term = instrument.kind.term
      var line = CommitmentPurchase(
        kind: .reservedInstance, offeringClass: nil, term: term, payment: instrument.kind.payment,
        family: pool.family, region: pool.region, instanceType: nil, numberOfInstances: nil,
        normalizedUnits: units, hourlyCommitment: hourly, upfrontCost: upfront,
        recurringHourlyCost: hourly - upfront / term.hours,
        estimatedAverageUtilization: 100 * detail.instrumentUsedUnits[i] / units,
        estimatedOnDemandCostCovered: usedValue * month, estimatedMonthlySavingsAmount: savingsHourly * month,
        estimatedSavingsAmount: savingsHourly * term.hours,
        estimatedSavingsPercentage: usedValue > 0 ? 100 * savingsHourly / usedValue : 0,
        estimatedROI: hourly > 0 ? 100 * savingsHourly / hourly : 0,
        breakEvenUtilization: 100 * instrument.ratePerUnitHour / pool.onDemandRate,
        estimatedBreakEvenInMonths: Self.breakEvenMonths(upfront: upfront, usedValueHourly: usedValue, recurringHourly: hourly - upfront / term.hours))
      switch instrument.kind {
      case .reservedInstance(let offering, _, _):
        line.offeringClass = offering
        line.instanceType = pool.recommendedInstanceType
        line.numberOfInstances = Int((units / pool.unitsPerInstance).rounded())
      case .ec2InstanceSavingsPlan:
        line.kind = .ec2InstanceSavingsPlan
      }
      lines.append(line)
    }
    if let plan = problem.computePlan, portfolio.computeCommitment > 1e-9 {
      let k = portfolio.computeCommitment
      let value = detail.computeCoveredOnDemandValue
      let savingsHourly = value - k
      let upfront = k * plan.term.hours * plan.upfrontFraction
      // Break-even: the plan's discount weighted by where it is used.
      let usedShare = detail.computeUsed > 0 && value > 0 ? detail.computeUsed / value : 1
      lines.append(CommitmentPurchase(
        kind: .computeSavingsPlan, offeringClass: nil, term: plan.term, payment: plan.payment, family: nil, region: nil,
        instanceType: nil, numberOfInstances: nil, normalizedUnits: nil, hourlyCommitment: k, upfrontCost: upfront,
        recurringHourlyCost: k * (1 - plan.upfrontFraction),
        estimatedAverageUtilization: 100 * detail.computeUsed / k,
        estimatedOnDemandCostCovered: value * month, estimatedMonthlySavingsAmount: savingsHourly * month,
        estimatedSavingsAmount: savingsHourly * plan.term.hours,
        estimatedSavingsPercentage: value > 0 ? 100 * savingsHourly / value : 0,
        estimatedROI: 100 * savingsHourly / k, breakEvenUtilization: 100 * usedShare,
        estimatedBreakEvenInMonths: Self.breakEvenMonths(upfront: upfront, usedValueHourly: value, recurringHourly: k * (1 - plan.upfrontFraction))))
    }
    return lines
  }

  /// Months until the On-Demand spend avoided, net of the recurring fee, repays the upfront.
  static func breakEvenMonths(upfront: Double, usedValueHourly: Double, recurringHourly: Double) -> Double {
    guard upfront > 0 else { return 0 }
    let net = (usedValueHourly - recurringHourly) * hoursPerMonth
    return net > 0 ? upfront / net : .infinity
  }

  /// P10/P50/P90 of `portfolio`'s hourly cost and savings over each path of `usage` (e.g.
  /// forecast paths, when the purchase was planned on a look-back).
  public static func risk(
    of portfolio: Portfolio, problem: CommitmentProblem, over usage: UsagePaths
  ) throws(AdvisorError) -> CommitmentRisk {
    let changed = try problem.replacingUsage(usage)
    return risk(PortfolioCostModel(problem: changed).breakdown(portfolio, instruments: changed.poolInstruments))
  }

  static func risk(_ detail: PortfolioBreakdown) -> CommitmentRisk {
    let costs = detail.pathHourlyCost.sorted()
    let savings = zip(detail.pathHourlyCost, detail.pathOnDemandHourlyCost).map { 100 * (1 - $0 / max($1, 1e-300)) }.sorted()
    return CommitmentRisk(
      paths: costs.count, costP10: quantile(costs, 0.1), costP50: quantile(costs, 0.5), costP90: quantile(costs, 0.9),
      savingsPercentP10: quantile(savings, 0.1), savingsPercentP50: quantile(savings, 0.5),
      savingsPercentP90: quantile(savings, 0.9))
  }

  /// Linear interpolation between order statistics (type 7, as numpy's default).
  static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let position = q * Double(sorted.count - 1)
    let low = Int(position.rounded(.down))
    let high = min(low + 1, sorted.count - 1)
    return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
  }

  private func savingsCurve(
    _ problem: CommitmentProblem, optimum: Portfolio, model: PortfolioCostModel, onDemand: Double
  ) throws(AdvisorError) -> [CommitmentCurvePoint] {
    let optimalCommitment = Self.hourlyCommitment(optimum, problem)
    let optimizer = CommitmentOptimizer(relativeTolerance: options.relativeTolerance)
    var points: [CommitmentCurvePoint] = []
    for fraction in options.curveFractions.sorted() {
      var portfolio: Portfolio
      var underCap = true
      if fraction >= 1 {
        portfolio = optimum
        portfolio.poolUnits = portfolio.poolUnits.map { $0 * fraction }
        portfolio.computeCommitment *= fraction
        underCap = fraction == 1
      } else {
        var capped = problem
        let cap = optimalCommitment * fraction
        capped.caps.maxHourlyCommitment = min(cap, problem.caps.maxHourlyCommitment ?? cap)
        portfolio = optimizer.solve(capped, rounds: false).continuous
      }
      let detail = model.breakdown(portfolio, instruments: problem.poolInstruments)
      let commitment = Self.hourlyCommitment(portfolio, problem)
      let used = detail.usedCommitment(problem.poolInstruments)
      let cost = model.evaluate(portfolio).cost
      points.append(CommitmentCurvePoint(
        hourlyCommitment: commitment, expectedHourlyCost: cost,
        savingsPercent: onDemand > 0 ? 100 * (1 - cost / onDemand) : 0,
        utilization: commitment > 0 ? 100 * used / commitment : 0, optimizedUnderCap: underCap))
    }
    return points
  }

  private func whatIfs(_ problem: CommitmentProblem, portfolio: Portfolio) throws(AdvisorError) -> [CommitmentWhatIf] {
    let optimizer = CommitmentOptimizer(relativeTolerance: options.relativeTolerance)
    return try options.whatIfLoadFactors.map { factor throws(AdvisorError) in
      let changed = try problem.replacingUsage(problem.usage.scaled(by: factor))
      let model = PortfolioCostModel(problem: changed)
      let detail = model.breakdown(portfolio, instruments: changed.poolInstruments)
      let onDemand = detail.pathOnDemandHourlyCost.reduce(0, +) / Double(detail.pathOnDemandHourlyCost.count)
      let cost = model.evaluate(portfolio).cost
      let commitment = Self.hourlyCommitment(portfolio, changed)
      let used = detail.usedCommitment(changed.poolInstruments)
      let best = optimizer.solve(changed, rounds: false).continuousHourlyCost
      return CommitmentWhatIf(
        loadFactor: factor, onDemandHourlyCost: onDemand, portfolioHourlyCost: cost,
        savingsPercent: onDemand > 0 ? 100 * (1 - cost / onDemand) : 0,
        utilization: commitment > 0 ? 100 * used / commitment : 0,
        bestSavingsPercent: onDemand > 0 ? 100 * (1 - best / onDemand) : 0)
    }
  }

  /// Every purchase split over `ladderMonths` monthly tranches in whole units (RIs in whole
  /// instances, Savings Plans in 0.001 USD/h), as evenly as they allow: the remainder goes
  /// one unit each to the first months. Lines of different terms get their own
  /// tranches, so each tranche's expiry is right (12 or 36 months on); a month left with
  /// nothing to buy (fewer instances than months) has no tranche.
  private func ladder(_ purchases: [CommitmentPurchase]) -> [LadderTranche] {
    guard let months = options.ladderMonths, months > 1, !purchases.isEmpty else { return [] }
    var tranches: [LadderTranche] = []
    for term in CommitmentTerm.allCases {
      let lines = purchases.indices.filter { purchases[$0].term == term }
      guard !lines.isEmpty else { continue }
      let termHourly = lines.reduce(0) { $0 + purchases[$1].hourlyCommitment }
      var items = [[LadderTranche.Item]](repeating: [], count: months)
      for index in lines {
        // Whole units: instances for an RI, thousandths of a USD per hour for a plan.
        let line = purchases[index]
        let isReserved = (line.numberOfInstances ?? 0) > 0
        let units = line.numberOfInstances ?? Int((line.hourlyCommitment * 1_000).rounded())
        guard units > 0 else { continue }
        for m in 0..<months {
          let part = units / months + (m < units % months ? 1 : 0)
          guard part > 0 else { continue }
          let fraction = Double(part) / Double(units)
          items[m].append(.init(
            purchaseIndex: index, numberOfInstances: isReserved ? part : nil,
            hourlyCommitment: isReserved ? line.hourlyCommitment * fraction : Double(part) / 1_000,
            upfrontCost: line.upfrontCost * fraction))
        }
      }
      let termMonths = term == .oneYear ? 12 : 36
      for (m, monthItems) in items.enumerated() where !monthItems.isEmpty {
        let hourly = monthItems.reduce(0) { $0 + $1.hourlyCommitment }
        tranches.append(LadderTranche(
          month: m, expiresMonth: m + termMonths, share: termHourly > 0 ? hourly / termHourly : 0, hourlyCommitment: hourly,
          upfrontCost: monthItems.reduce(0) { $0 + $1.upfrontCost }, items: monthItems))
      }
    }
    return tranches.sorted { ($0.month, $0.expiresMonth) < ($1.month, $1.expiresMonth) }
  }
}
