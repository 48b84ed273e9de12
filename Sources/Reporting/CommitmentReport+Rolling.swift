import Advisor
import Foundation

extension CommitmentReport {
  /// The backtest from several origins: one row per origin, then each recommender over all.
  public static func rollingTable(_ r: RollingBacktest, source: String) -> String {
    let f = ComparisonReport.formatted
    guard let first = r.origins.first else { return "" }
    let testDays = first.backtest.testHours / 24
    let step = r.origins.count > 1 ? r.origins[1].daysBeforeEnd : 0
    var out = "Backtest of \(source) from \(r.origins.count) origins: \(testDays) days held out each, origins \(step) days apart"
    out += step < testDays ? " (held-out windows overlap)\n\n" : "\n\n"
    let rows = r.origins.map { o -> [String] in
      let b = o.backtest
      let best = b.bestBaseline
      return [
        "\(o.daysBeforeEnd)", "\(b.trainHours)", f(b.ours.hourlyCommitment, 3), f(b.ours.realizedSavingsPercent, 2),
        best?.label ?? "none (history under 7 days)", f(best?.hourlyCommitment ?? 0, 3), f(best?.realizedSavingsPercent ?? 0, 2),
        ComparisonReport.signed(o.margin, decimals: 1),
      ]
    }
    out += TextGrid(
      headers: ["held-out days end this many days before the data", "train hours", "capsim USD/h", "capsim realized %", "best Cost Explorer-style",
                "its USD/h", "its realized %", "capsim - best (points)"],
      rows: rows, leftAligned: [4]).rendered()
    out += "\nOver all origins (pooled = 1 - sum of realized costs / sum of On-Demand costs)\n"
    let totals = [r.ours] + r.baselines + [r.bestPerOrigin] + (r.hindsight.map { [$0] } ?? [])
    out += TextGrid(
      headers: ["recommender", "pooled savings %", "mean savings %"],
      rows: totals.map { [$0.label, f($0.pooledSavingsPercent, 2), f($0.meanSavingsPercent, 2)] }, leftAligned: [0]).rendered()
    let record = r.record
    out += "\ncapsim against the best look-back of each origin: \(record.wins) wins, \(record.ties) ties, \(record.losses) losses"
    out += "; pooled \(ComparisonReport.signed(r.ours.pooledSavingsPercent - r.bestPerOrigin.pooledSavingsPercent, decimals: 1)) points"
    if let rule = r.baselines.max(by: { $0.pooledSavingsPercent < $1.pooledSavingsPercent }) {
      out += ", \(ComparisonReport.signed(r.ours.pooledSavingsPercent - rule.pooledSavingsPercent, decimals: 1)) against the best single look-back rule (\(rule.label))"
    }
    return out + "\n"
  }

  public static func rollingJSON(_ r: RollingBacktest, source: String) -> String {
    func total(_ t: RollingBacktest.Total) -> JSONValue {
      .object([
        ("Recommender", .string(t.label)), ("PooledSavingsPercentage", .rounded(t.pooledSavingsPercent, places: 3)),
        ("MeanSavingsPercentage", .rounded(t.meanSavingsPercent, places: 3)),
      ])
    }
    let record = r.record
    let origins: [JSONValue] = r.origins.map { o in
      .object([
        ("DaysBeforeEnd", .integer(o.daysBeforeEnd)),
        ("Backtest", backtestValue(o.backtest, source: source)),
      ])
    }
    let doc: JSONValue = .object([
      ("Source", .string(source)), ("Origins", .array(origins)), ("Ours", total(r.ours)),
      ("Baselines", .array(r.baselines.map(total))), ("BestPerOrigin", total(r.bestPerOrigin)),
      ("Hindsight", r.hindsight.map(total) ?? .null),
      ("Wins", .integer(record.wins)), ("Ties", .integer(record.ties)), ("Losses", .integer(record.losses)),
    ])
    return doc.rendered() + "\n"
  }
}
