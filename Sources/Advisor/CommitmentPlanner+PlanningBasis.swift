import Billing
import Foundation

/// What commitments are planned on: forecast paths of the recommended policy's usage, or a
/// look-back at its simulated past usage. Chosen per run by a backtest inside the history.
public enum PlanningBasis: Sendable, Equatable, CustomStringConvertible {
  case forecast
  case lookback(days: Int)

  public var description: String {
    switch self {
    case .forecast: "forecast"
    case .lookback(let days): "look-back \(days) d"
    }
  }
}

public struct PlanningSelection: Sendable {
  public struct Trial: Sendable {
    public var basis: PlanningBasis
    public var realizedSavingsPercent: Double
  }

  public var chosen: PlanningBasis
  public var trials: [Trial]

  public init(chosen: PlanningBasis, trials: [Trial]) {
    self.chosen = chosen
    self.trials = trials
  }
}

extension CommitmentPlanner {
  /// Plans on each basis as of `validationHours` before the end of the history, bills each
  /// purchase on those last hours as they were, and keeps the basis that saved most (ties:
  /// the forecast). The forecast needs no defending when it is right, and a look-back wins
  /// where the forecast is biased.
  /// - Parameters:
  ///   - history: `history[pool][hour]`, the usage to validate on (for `capsim recommend`,
  ///     the recommended policy's simulated usage).
  ///   - validation: the forecast made `validationHours` before the end of `history`, pools
  ///     in `pools` order; nil (or no paths) = no validation (the forecast is kept).
  public func choosePlanningBasis(
    pools: [PoolKey], history recommendedHistory: [[Double]], validation: UsagePaths?,
    validationHours: Int, catalog: PriceCatalog, rates: SavingsPlanRates, start: Date
  ) throws -> PlanningSelection {
    let planner = self
    let total = recommendedHistory.first?.count ?? 0
    guard validationHours >= 24, total - validationHours >= 48, let validation, validation.poolCount > 0,
      validation.pathCount > 0
    else {
      return PlanningSelection(chosen: .forecast, trials: [])
    }
    let before = recommendedHistory.map { Array($0[0..<(total - validationHours)]) }
    let after = try UsagePaths(single: recommendedHistory.map { Array($0[(total - validationHours)...]) })
    var lean = planner
    lean.lookbackDays = []
    lean.options.curveFractions = []
    lean.options.whatIfLoadFactors = []
    lean.options.ladderMonths = nil
    var candidates: [(PlanningBasis, UsagePaths)] = [(.forecast, validation)]
    for days in [7, 30] where days * 24 <= before[0].count {
      candidates.append((.lookback(days: days), try UsagePaths(single: before).suffix(hours: days * 24)))
    }
    var trials: [PlanningSelection.Trial] = []
    for (basis, usage) in candidates {
      let advice = try lean.advise(
        pools: pools, history: before, start: start, catalog: catalog, savingsPlanRates: rates, planningUsage: usage)
      let r = advice.recommendation
      let realized = try CommitmentAdvisor.realized(r.portfolio, problem: r.problem, on: after)
      trials.append(PlanningSelection.Trial(basis: basis, realizedSavingsPercent: realized.savingsPercent))
    }
    let best = trials.max { a, b in
      a.realizedSavingsPercent < b.realizedSavingsPercent - 1e-9
    }!
    // max(by:) returns the last of equal maxima; prefer the earliest (the forecast).
    let chosen = trials.first { abs($0.realizedSavingsPercent - best.realizedSavingsPercent) <= 1e-9 }!.basis
    return PlanningSelection(chosen: chosen, trials: trials)
  }
}
