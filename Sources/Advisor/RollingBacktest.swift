import Foundation

/// The same backtest made from several points of the history (origins), each planning on
/// what was known then and billing the days after it as they happened. One split is one
/// draw: purchases come in whole Reserved Instances, and one fortnight can favour a count
/// over the next by luck. Over several origins the comparison is an average, with the wins,
/// ties and losses counted.
public struct RollingBacktest: Sendable {
  public struct Origin: Sendable {
    /// The held-out days end this many days before the demand does (0 = the usual split).
    public var daysBeforeEnd: Int
    public var backtest: CommitmentBacktest

    public init(daysBeforeEnd: Int, backtest: CommitmentBacktest) {
      self.daysBeforeEnd = daysBeforeEnd
      self.backtest = backtest
    }

    /// capsim's realized savings minus the best look-back's, in points (a look-back that
    /// could not be made counts as buying nothing: 0%).
    public var margin: Double {
      backtest.ours.realizedSavingsPercent - (backtest.bestBaseline?.realizedSavingsPercent ?? 0)
    }
  }

  /// One recommender over every origin.
  public struct Total: Sendable, Equatable {
    public var label: String
    /// Savings over all held-out hours together: 1 - sum of realized costs / sum of
    /// On-Demand costs (every origin holds out the same number of hours).
    public var pooledSavingsPercent: Double
    /// The mean of the origins' realized savings percentages.
    public var meanSavingsPercent: Double
  }

  /// Origins in order, the usual split (0 days before the end) first.
  public var origins: [Origin]
  /// Tolerance, in points of realized savings, under which two recommenders tie.
  public static let tiePoints = 0.01

  public init(origins: [Origin]) {
    self.origins = origins
  }

  /// capsim over every origin.
  public var ours: Total { total("capsim") { $0.backtest.ours } }

  /// Each Cost Explorer-style look-back available at every origin, in the first origin's
  /// order (a look-back longer than an early origin's history is left out).
  public var baselines: [Total] {
    guard let first = origins.first else { return [] }
    return first.backtest.baselines.map(\.label).compactMap { label in
      guard origins.allSatisfy({ o in o.backtest.baselines.contains { $0.label == label } }) else { return nil }
      return total(label) { o in o.backtest.baselines.first { $0.label == label }! }
    }
  }

  /// The best Cost Explorer-style look-back of each origin, chosen after the fact: a
  /// baseline no real user could follow, and the hardest one to beat. Origins without any
  /// baseline (history shorter than 7 days) count as buying nothing.
  public var bestPerOrigin: Total {
    total("best Cost Explorer-style look-back of each origin (chosen after the fact)") { o in
      o.backtest.bestBaseline ?? CommitmentBacktest.Line(
        label: "nothing", hourlyCommitment: 0, expectedSavingsPercent: 0, realizedSavingsPercent: 0,
        realizedHourlyCost: o.backtest.onDemandHourlyCost)
    }
  }

  /// The hindsight optimum of every origin (nil when an origin has none).
  public var hindsight: Total? {
    guard origins.allSatisfy({ $0.backtest.hindsight != nil }) else { return nil }
    return total("hindsight: the best purchase for each held-out window as it happened") { $0.backtest.hindsight! }
  }

  /// capsim against the best baseline of each origin: (wins, ties, losses).
  public var record: (wins: Int, ties: Int, losses: Int) {
    var wins = 0, ties = 0, losses = 0
    for o in origins {
      let delta = o.margin
      if abs(delta) < Self.tiePoints { ties += 1 } else if delta > 0 { wins += 1 } else { losses += 1 }
    }
    return (wins, ties, losses)
  }

  private func total(_ label: String, _ line: (Origin) -> CommitmentBacktest.Line) -> Total {
    var cost = 0.0, onDemand = 0.0, percents = 0.0
    for o in origins {
      let l = line(o)
      cost += l.realizedHourlyCost
      onDemand += o.backtest.onDemandHourlyCost
      percents += l.realizedSavingsPercent
    }
    let n = Double(max(1, origins.count))
    return Total(
      label: label, pooledSavingsPercent: onDemand > 0 ? (1 - cost / onDemand) * 100 : 0, meanSavingsPercent: percents / n)
  }
}
