import Billing
import Parallel

/// How much of each instrument to buy: normalized units for each pool instrument (an EC2
/// Instance Savings Plan's units times its rate is its USD/h commitment) and the Compute
/// Savings Plan's USD/h commitment.
public struct Portfolio: Sendable, Equatable {
  public var poolUnits: [Double]
  public var computeCommitment: Double

  public init(poolUnits: [Double], computeCommitment: Double) {
    self.poolUnits = poolUnits
    self.computeCommitment = computeCommitment
  }

  public static func none(instrumentCount: Int) -> Portfolio {
    Portfolio(poolUnits: Array(repeating: 0, count: instrumentCount), computeCommitment: 0)
  }
}

/// Expected hourly cost of a portfolio over the usage paths, applying commitments each hour
/// in AWS's order (SP-UG "How Savings Plans apply"; reference §10): family-bound
/// commitments (RIs, then EC2 Instance SPs) cover their pool up to their units; the
/// Compute Savings Plan then covers the remaining usage with the highest savings
/// percentage first (ties: the lowest Savings Plans rate); the rest pays On-Demand.
///
/// This order is also the cost-minimizing allocation inside an hour (the commitments are
/// already paid for; family-bound ones cannot go elsewhere, and the Compute plan's dollar
/// saves od/rate = 1/(1 - discount) where the discount is highest), so the cost here equals
/// the inner minimum of the LP in ../shared/peers/commit_lp.py. The function is convex and
/// piecewise linear in the portfolio; `evaluate` returns a subgradient with it.
struct PortfolioCostModel: Sendable {
  let usage: UsagePaths
  let onDemandRate: [Double]
  /// Per instrument: its pool and its effective rate per unit-hour.
  let instrumentPool: [Int]
  let instrumentRate: [Double]
  /// Compute plan: pools in application order and their covered rates (commitment USD per
  /// unit-hour); `savingsRatio[k] = onDemand / coveredRate`.
  let computeOrder: [Int]
  let computeRate: [Double]
  let hasCompute: Bool

  init(problem: CommitmentProblem) {
    usage = problem.usage
    onDemandRate = problem.pools.map(\.onDemandRate)
    instrumentPool = problem.poolInstruments.map(\.pool)
    instrumentRate = problem.poolInstruments.map(\.ratePerUnitHour)
    var rates = [Double](repeating: .infinity, count: problem.pools.count)
    var order: [Int] = []
    if let plan = problem.computePlan {
      for (p, rate) in plan.coveredRate.enumerated() {
        if let rate {
          rates[p] = rate
          order.append(p)
        }
      }
      let od = onDemandRate
      // Highest savings percentage first, then the lowest Savings Plans rate, then pool order.
      order.sort { a, b in
        let sa = 1 - rates[a] / od[a]
        let sb = 1 - rates[b] / od[b]
        if sa != sb { return sa > sb }
        if rates[a] != rates[b] { return rates[a] < rates[b] }
        return a < b
      }
    }
    computeOrder = order
    computeRate = rates
    hasCompute = problem.computePlan != nil
  }

  var variableCount: Int { instrumentRate.count + 1 }

  /// Units bought for each pool (all of its instruments together).
  private func poolCoverage(_ portfolio: Portfolio) -> [Double] {
    var level = [Double](repeating: 0, count: onDemandRate.count)
    for (i, units) in portfolio.poolUnits.enumerated() { level[instrumentPool[i]] += units }
    return level
  }

  /// Mean hourly cost (USD/h) and a subgradient with respect to (poolUnits..., compute).
  func evaluate(_ portfolio: Portfolio) -> (cost: Double, gradient: [Double]) {
    let poolCount = onDemandRate.count
    let level = poolCoverage(portfolio)
    let chunk = PortfolioCostModel.chunkHours
    let rows = usage.pathCount * usage.hours
    let chunkCount = (rows + chunk - 1) / chunk
    // Partial sums per fixed-size chunk of (path, hour) rows, added in chunk order: the same
    // result on any number of threads.
    var partials = [Double](repeating: 0, count: chunkCount * (poolCount + 2))
    let compute = portfolio.computeCommitment
    let work: @Sendable (Int, UnsafeMutablePointer<Double>) -> Void = { c, out in
      self.accumulate(rows: (c * chunk)..<min(rows, (c + 1) * chunk), level: level, compute: compute, into: out)
    }
    partials.withUnsafeMutableBufferPointer { buffer in
      let base = buffer.baseAddress!
      if rows * poolCount >= PortfolioCostModel.parallelThreshold && chunkCount > 1 {
        nonisolated(unsafe) let shared = base
        Parallel.forEach(count: chunkCount) { c in work(c, shared + c * (poolCount + 2)) }
      } else {
        for c in 0..<chunkCount { work(c, base + c * (poolCount + 2)) }
      }
    }
    var uncovered = 0.0
    var sumBeta = 0.0
    var marginal = [Double](repeating: 0, count: poolCount)
    for c in 0..<chunkCount {
      let o = c * (poolCount + 2)
      uncovered += partials[o]
      sumBeta += partials[o + 1]
      for p in 0..<poolCount { marginal[p] += partials[o + 2 + p] }
    }
    let n = Double(rows)
    var cost = uncovered / n + portfolio.computeCommitment
    var gradient = [Double](repeating: 0, count: variableCount)
    for i in 0..<instrumentRate.count {
      cost += instrumentRate[i] * portfolio.poolUnits[i]
      gradient[i] = instrumentRate[i] - marginal[instrumentPool[i]] / n
    }
    gradient[instrumentRate.count] = hasCompute ? 1 - sumBeta / n : 1
    return (cost, gradient)
  }

  static let chunkHours = 4_096
  static let parallelThreshold = 400_000

  /// out[0] += uncovered On-Demand USD, out[1] += sum of the hour's Compute plan price
  /// (USD saved per extra USD of commitment), out[2+p] += USD saved per extra unit in pool p.
  private func accumulate(rows: Range<Int>, level: [Double], compute: Double, into out: UnsafeMutablePointer<Double>) {
    let poolCount = onDemandRate.count
    var residual = [Double](repeating: 0, count: poolCount)
    var covered = [Double](repeating: 0, count: poolCount)
    usage.storage.withUnsafeBufferPointer { storage in
      for row in rows {
        let base = row * poolCount
        var uncovered = 0.0
        for p in 0..<poolCount {
          let u = storage[base + p]
          let r = u > level[p] ? u - level[p] : 0
          residual[p] = r
          covered[p] = 0
          uncovered += onDemandRate[p] * r
        }
        var remaining = compute
        var beta = 0.0
        if hasCompute {
          for p in computeOrder where residual[p] > 0 {
            let need = residual[p] * computeRate[p]
            if need < remaining {
              remaining -= need
              covered[p] = residual[p]
              uncovered -= onDemandRate[p] * residual[p]
            } else {
              let z = remaining / computeRate[p]
              covered[p] = z
              uncovered -= onDemandRate[p] * z
              beta = onDemandRate[p] / computeRate[p]
              remaining = 0
              break
            }
          }
        }
        out[0] += uncovered
        out[1] += beta
        for p in 0..<poolCount where storage[base + p] > level[p] {
          let rate = computeRate[p]
          out[2 + p] += rate.isFinite ? min(onDemandRate[p], rate * beta) : onDemandRate[p]
        }
      }
    }
  }
}

/// Where every hour's usage went under a portfolio, for reports: per instrument the units it
/// covered, per pool the On-Demand value, and each path's total cost.
struct PortfolioBreakdown: Sendable {
  /// Mean over path-hours of the units each pool instrument covered.
  var instrumentUsedUnits: [Double]
  /// Mean over path-hours of the Compute plan commitment used (USD/h).
  var computeUsed: Double
  /// Mean over path-hours of the On-Demand value of the usage the Compute plan covered.
  var computeCoveredOnDemandValue: Double
  /// Mean hourly On-Demand value of each pool's usage.
  var poolOnDemandValue: [Double]
  /// Mean hourly cost under the portfolio, per path.
  var pathHourlyCost: [Double]
  /// Mean hourly cost with no commitments, per path.
  var pathOnDemandHourlyCost: [Double]
  /// Mean hourly On-Demand value the commitments covered (coverage numerator).
  var coveredOnDemandValue: Double

  /// Mean USD/h of commitment actually used (utilization numerator).
  func usedCommitment(_ instruments: [PoolInstrument]) -> Double {
    zip(instrumentUsedUnits, instruments).reduce(computeUsed) { $0 + $1.0 * $1.1.ratePerUnitHour }
  }
}

extension PortfolioCostModel {
  /// Family-bound instruments of a pool apply in AWS's order: Reserved Instances, then EC2
  /// Instance Savings Plans; within a kind, the lowest rate first.
  static func applicationOrder(_ instruments: [PoolInstrument]) -> [Int] {
    instruments.indices.sorted { a, b in
      func rank(_ i: Int) -> Int {
        if case .reservedInstance = instruments[i].kind { return 0 }
        return 1
      }
      if rank(a) != rank(b) { return rank(a) < rank(b) }
      if instruments[a].ratePerUnitHour != instruments[b].ratePerUnitHour {
        return instruments[a].ratePerUnitHour < instruments[b].ratePerUnitHour
      }
      return a < b
    }
  }

  func breakdown(_ portfolio: Portfolio, instruments: [PoolInstrument]) -> PortfolioBreakdown {
    let poolCount = onDemandRate.count
    let order = Self.applicationOrder(instruments)
    var used = [Double](repeating: 0, count: instruments.count)
    var computeUsed = 0.0
    var computeValue = 0.0
    var poolValue = [Double](repeating: 0, count: poolCount)
    var pathCost = [Double](repeating: 0, count: usage.pathCount)
    var pathOnDemand = [Double](repeating: 0, count: usage.pathCount)
    var covered = 0.0
    let fixedHourly = zip(portfolio.poolUnits, instrumentRate).reduce(portfolio.computeCommitment) { $0 + $1.0 * $1.1 }
    var residual = [Double](repeating: 0, count: poolCount)
    for path in 0..<usage.pathCount {
      var uncoveredSum = 0.0
      var onDemandSum = 0.0
      for hour in 0..<usage.hours {
        for p in 0..<poolCount {
          let u = usage.value(path: path, hour: hour, pool: p)
          residual[p] = u
          poolValue[p] += u * onDemandRate[p]
          onDemandSum += u * onDemandRate[p]
        }
        for i in order {
          let p = instrumentPool[i]
          let take = min(residual[p], portfolio.poolUnits[i])
          used[i] += take
          residual[p] -= take
          covered += take * onDemandRate[p]
        }
        var remaining = portfolio.computeCommitment
        for p in computeOrder where residual[p] > 0 && remaining > 0 {
          let z = min(residual[p], remaining / computeRate[p])
          remaining -= z * computeRate[p]
          computeUsed += z * computeRate[p]
          computeValue += z * onDemandRate[p]
          covered += z * onDemandRate[p]
          residual[p] -= z
        }
        for p in 0..<poolCount { uncoveredSum += residual[p] * onDemandRate[p] }
      }
      pathCost[path] = fixedHourly + uncoveredSum / Double(usage.hours)
      pathOnDemand[path] = onDemandSum / Double(usage.hours)
    }
    let n = Double(usage.pathCount * usage.hours)
    return PortfolioBreakdown(
      instrumentUsedUnits: used.map { $0 / n }, computeUsed: computeUsed / n,
      computeCoveredOnDemandValue: computeValue / n, poolOnDemandValue: poolValue.map { $0 / n },
      pathHourlyCost: pathCost, pathOnDemandHourlyCost: pathOnDemand, coveredOnDemandValue: covered / n)
  }
}
