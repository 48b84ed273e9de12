import Advisor
import Billing
import Foundation

/// `capsim commitments` output: a terminal table and JSON whose purchase fields carry Cost
/// Explorer's names (botocore ce 2017-10-25: SavingsPlansPurchaseRecommendationDetail and
/// ReservationPurchaseRecommendationDetail).
public enum CommitmentReport {
  public static func json(_ advice: CommitmentAdvice, source: String) -> String {
    let r = advice.recommendation
    let money = { (v: Double) in JSONValue.rounded(v, places: 4) }
    let pct = { (v: Double) in JSONValue.rounded(v, places: 2) }
    let pools: [JSONValue] = advice.pools.map { p in
      .object([
        ("Family", .string(p.family)), ("Region", .string(p.region)),
        ("RecommendedInstanceType", .string(p.recommendedInstanceType)),
        ("AverageNormalizedUnitsUsedPerHour", money(p.meanUnits)),
        ("MinimumNormalizedUnitsUsedPerHour", money(p.minUnits)),
        ("MaximumNormalizedUnitsUsedPerHour", money(p.maxUnits)),
        ("OnDemandRatePerNormalizedUnitHour", .number(p.onDemandRatePerUnitHour)),
      ])
    }
    let summary: JSONValue = .object([
      ("CurrencyCode", .string("USD")),
      ("PlanningBasis", .string(advice.planningBasis)),
      ("PlanningHours", .integer(advice.planningHours)), ("PlanningPaths", .integer(advice.planningPaths)),
      ("CurrentAverageHourlyOnDemandSpend", money(r.onDemandHourlyCost)),
      ("EstimatedAverageHourlyCost", money(r.expectedHourlyCost)),
      ("HourlyCommitmentToPurchase", money(r.hourlyCommitment)),
      ("UpfrontCost", money(r.upfrontCost)),
      ("EstimatedMonthlySavingsAmount", money(r.monthlySavings)),
      ("EstimatedSavingsPercentage", pct(r.savingsPercent)),
      ("EstimatedAverageUtilization", pct(r.utilization)),
      ("EstimatedCoverage", pct(r.coverage)),
    ])
    let solver: JSONValue = .object([
      ("Method", .string("deep-cut ellipsoid over the exact hourly cost (AWS application order), proven gap")),
      ("ContinuousOptimumHourlyCost", .number(r.continuousHourlyCost)),
      ("ProvenLowerBoundHourlyCost", .number(r.lowerBoundHourlyCost)),
      ("Iterations", .integer(r.solveIterations)),
    ])
    let curve: [JSONValue] = r.curve.map { p in
      .object([
        ("HourlyCommitment", money(p.hourlyCommitment)), ("EstimatedAverageHourlyCost", money(p.expectedHourlyCost)),
        ("EstimatedSavingsPercentage", pct(p.savingsPercent)), ("EstimatedAverageUtilization", pct(p.utilization)),
        ("OptimizedUnderCap", .bool(p.optimizedUnderCap)),
      ])
    }
    let risk: JSONValue = .object([
      ("Paths", .integer(r.risk.paths)),
      ("HourlyCostP10", money(r.risk.costP10)), ("HourlyCostP50", money(r.risk.costP50)), ("HourlyCostP90", money(r.risk.costP90)),
      ("SavingsPercentageP10", pct(r.risk.savingsPercentP10)), ("SavingsPercentageP50", pct(r.risk.savingsPercentP50)),
      ("SavingsPercentageP90", pct(r.risk.savingsPercentP90)),
    ])
    let whatIfs: [JSONValue] = r.whatIfs.map { w in
      .object([
        ("LoadChangePercentage", pct(100 * (w.loadFactor - 1))), ("OnDemandHourlyCost", money(w.onDemandHourlyCost)),
        ("EstimatedAverageHourlyCost", money(w.portfolioHourlyCost)), ("EstimatedSavingsPercentage", pct(w.savingsPercent)),
        ("EstimatedAverageUtilization", pct(w.utilization)), ("BestPossibleSavingsPercentage", pct(w.bestSavingsPercent)),
      ])
    }
    let ladder: [JSONValue] = r.ladder.map { t in
      .object([
        ("Month", .integer(t.month)), ("ExpiresMonth", .integer(t.expiresMonth)), ("Share", pct(t.share)),
        ("HourlyCommitmentToPurchase", money(t.hourlyCommitment)), ("UpfrontCost", money(t.upfrontCost)),
        ("Purchases", .array(t.items.map { item in
          .object([
            ("PurchaseIndex", .integer(item.purchaseIndex)), ("Description", .string(ladderItemText(item, purchases: r.purchases))),
            ("RecommendedNumberOfInstancesToPurchase", item.numberOfInstances.map { .integer($0) } ?? .null),
            ("HourlyCommitmentToPurchase", money(item.hourlyCommitment)), ("UpfrontCost", money(item.upfrontCost)),
          ])
        })),
      ])
    }
    let baselines: [JSONValue] = advice.baselines.map { b in
      .object([
        ("LookbackPeriodInDays", .integer(b.baseline.lookbackDays)), ("Kind", .string(b.baseline.kind.rawValue)),
        ("HourlyCommitmentToPurchase", money(b.baseline.recommendation.hourlyCommitment)),
        ("EstimatedSavingsPercentage", pct(b.baseline.recommendation.savingsPercent)),
        ("EstimatedMonthlySavingsAmount", money(b.baseline.recommendation.monthlySavings)),
        ("EstimatedAverageUtilization", pct(b.baseline.recommendation.utilization)),
        ("PlanningSavingsPercentage", pct(b.planningSavingsPercent)),
        ("Purchases", .array(b.baseline.recommendation.purchases.map(purchaseJSON))),
      ])
    }
    let doc: JSONValue = .object([
      ("Source", .string(source)),
      ("HistoryStart", .string(ISO8601DateFormatter().string(from: advice.historyStart))),
      ("HistoryHours", .integer(advice.historyHours)),
      ("Pools", .array(pools)),
      ("Recommendation", .object([
        ("Summary", summary), ("Purchases", .array(r.purchases.map(purchaseJSON))), ("SavingsCurve", .array(curve)),
        ("Risk", risk), ("LoadWhatIfs", .array(whatIfs)), ("Ladder", .array(ladder)), ("Solver", solver),
      ])),
      ("CostExplorerStyleBaselines", .array(baselines)),
      ("Notes", .array((advice.notes + r.notes).map(JSONValue.string))),
    ])
    return doc.rendered() + "\n"
  }

  static func purchaseJSON(_ p: CommitmentPurchase) -> JSONValue {
    let money = { (v: Double) in JSONValue.rounded(v, places: 4) }
    let pct = { (v: Double) in JSONValue.rounded(v, places: 2) }
    var members: [(String, JSONValue)] = [
      ("Kind", .string(p.kind.rawValue)), ("Term", .string(p.term.rawValue)), ("PaymentOption", .string(p.payment.rawValue)),
    ]
    if let c = p.offeringClass { members.append(("OfferingClass", .string(c.rawValue))) }
    if let f = p.family { members.append(("Family", .string(f))) }
    if let r = p.region { members.append(("Region", .string(r))) }
    if let t = p.instanceType { members.append(("InstanceType", .string(t))) }
    if let n = p.numberOfInstances { members.append(("RecommendedNumberOfInstancesToPurchase", .integer(n))) }
    if let u = p.normalizedUnits, p.kind == .reservedInstance {
      members.append(("RecommendedNormalizedUnitsToPurchase", money(u)))
    }
    members += [
      ("HourlyCommitmentToPurchase", money(p.hourlyCommitment)),
      ("UpfrontCost", money(p.upfrontCost)),
      ("RecurringHourlyCost", money(p.recurringHourlyCost)),
      ("EstimatedAverageUtilization", pct(p.estimatedAverageUtilization)),
      ("EstimatedMonthlyOnDemandCostCovered", money(p.estimatedOnDemandCostCovered)),
      ("EstimatedMonthlySavingsAmount", money(p.estimatedMonthlySavingsAmount)),
      ("EstimatedSavingsAmount", money(p.estimatedSavingsAmount)),
      ("EstimatedSavingsPercentage", pct(p.estimatedSavingsPercentage)),
      ("EstimatedROI", pct(p.estimatedROI)),
      ("BreakEvenUtilization", pct(p.breakEvenUtilization)),
      ("EstimatedBreakEvenInMonths", p.estimatedBreakEvenInMonths.isFinite ? pct(p.estimatedBreakEvenInMonths) : .null),
    ]
    return .object(members)
  }

  public static func table(_ advice: CommitmentAdvice, source: String) -> String {
    let r = advice.recommendation
    let f = ComparisonReport.formatted
    var out = "Commitments for \(source): \(advice.historyHours) hours of history, planned on \(advice.planningBasis)"
    out += advice.planningBasis == "forecast" ? " (\(advice.planningPaths) paths x \(advice.planningHours) h)\n\n" : "\n\n"
    out += TextGrid(
      headers: ["family", "region", "avg units/h", "min", "max", "OD USD/unit-h"],
      rows: advice.pools.map { [$0.family, $0.region, f($0.meanUnits, 1), f($0.minUnits, 1), f($0.maxUnits, 1), f($0.onDemandRatePerUnitHour, 4)] },
      leftAligned: [0, 1]).rendered()
    out += "\nRecommended purchase (exact optimum; proven gap \(String(format: "%.2e", max(0, (r.continuousHourlyCost - r.lowerBoundHourlyCost) / max(r.continuousHourlyCost, 1e-300)))))\n"
    out += TextGrid(
      headers: ["commitment", "term", "payment", "what", "USD/h", "upfront", "util %", "savings/mo", "savings %", "ROI %", "break-even"],
      rows: r.purchases.map { p in
        let what: String
        if let n = p.numberOfInstances, let t = p.instanceType {
          what = "\(n) x \(t)"
        } else if let fam = p.family {
          what = "\(fam) \(p.region ?? "")"
        } else {
          what = "any family/region"
        }
        let name = p.kind == .reservedInstance ? "RI \(p.offeringClass?.rawValue ?? "")" : p.kind.rawValue
        return [name, p.term.rawValue, p.payment.rawValue, what, f(p.hourlyCommitment, 3), f(p.upfrontCost, 0),
                f(p.estimatedAverageUtilization, 1), ComparisonReport.grouped(p.estimatedMonthlySavingsAmount, decimals: 2),
                f(p.estimatedSavingsPercentage, 1), f(p.estimatedROI, 1),
                p.estimatedBreakEvenInMonths.isFinite ? (p.upfrontCost > 0 ? f(p.estimatedBreakEvenInMonths, 1) + " mo" : "util \(f(p.breakEvenUtilization, 0))%") : "never"]
      },
      leftAligned: [0, 1, 2, 3]).rendered()
    out += "\nOn-Demand \(f(r.onDemandHourlyCost, 2)) USD/h -> \(f(r.expectedHourlyCost, 2)) USD/h expected: "
    out += "saves \(ComparisonReport.grouped(r.monthlySavings, decimals: 2)) USD/month (\(f(r.savingsPercent, 1))%), "
    out += "coverage \(f(r.coverage, 1))%, utilization \(f(r.utilization, 1))%\n"
    if r.risk.paths > 1 {
      out += "Risk over \(r.risk.paths) paths: savings P10 \(f(r.risk.savingsPercentP10, 1))%, P50 \(f(r.risk.savingsPercentP50, 1))%, P90 \(f(r.risk.savingsPercentP90, 1))%\n"
    }
    if r.purchases.isEmpty {
      out += "No commitment saves money on this usage: the optimum is to stay On-Demand.\n"
    }
    if !r.curve.isEmpty && !r.purchases.isEmpty {
      out += "\nSavings vs commitment\n"
      out += TextGrid(
        headers: ["USD/h committed", "savings %", "util %", ""],
        rows: r.curve.map { [f($0.hourlyCommitment, 3), f($0.savingsPercent, 2), f($0.utilization, 1), $0.optimizedUnderCap ? "" : "(optimum scaled)"] },
        leftAligned: [3]).rendered()
    }
    if !r.whatIfs.isEmpty && !r.purchases.isEmpty {
      out += "\nIf load changes (this purchase vs the best for that load)\n"
      out += TextGrid(
        headers: ["load", "savings %", "util %", "best savings %"],
        rows: r.whatIfs.map { [ComparisonReport.signed(100 * ($0.loadFactor - 1), decimals: 1) + "%", f($0.savingsPercent, 2), f($0.utilization, 1), f($0.bestSavingsPercent, 2)] },
        leftAligned: []).rendered()
    }
    if !r.ladder.isEmpty {
      out += "\nLaddered purchase\n"
      out += TextGrid(
        headers: ["month", "expires", "USD/h", "upfront", "buy"],
        rows: r.ladder.map { t in
          ["\(t.month)", "\(t.expiresMonth)", f(t.hourlyCommitment, 3), f(t.upfrontCost, 0),
           t.items.map { ladderItemText($0, purchases: r.purchases) }.joined(separator: "; ")]
        },
        leftAligned: [4]).rendered()
    }
    if !advice.baselines.isEmpty {
      out += "\nCost Explorer-style (look-back, no forecast, one kind at a time), billed on the same planning usage\n"
      out += TextGrid(
        headers: ["look-back", "kind", "USD/h", "savings % (look-back)", "savings % (planning)"],
        rows: advice.baselines.map { b in
          ["\(b.baseline.lookbackDays) d", b.baseline.kind.rawValue, f(b.baseline.recommendation.hourlyCommitment, 3),
           f(b.baseline.recommendation.savingsPercent, 2), f(b.planningSavingsPercent, 2)]
        } + [["ours", "portfolio", f(r.hourlyCommitment, 3), "", f(r.savingsPercent, 2)]],
        leftAligned: [0, 1]).rendered()
    }
    let notes = advice.notes + r.notes
    if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined() }
    return out
  }
}

extension CommitmentReport {
  /// One line's part of a ladder tranche: "2 x m5.large standard RI", "EC2 Instance
  /// Savings Plan m5 us-east-1 0.050 USD/h", "Compute Savings Plan 0.934 USD/h".
  static func ladderItemText(_ item: LadderTranche.Item, purchases: [CommitmentPurchase]) -> String {
    guard purchases.indices.contains(item.purchaseIndex) else { return "" }
    let p = purchases[item.purchaseIndex]
    if let n = item.numberOfInstances {
      return "\(n) x \(p.instanceType ?? p.family ?? "") \(p.offeringClass?.rawValue ?? "") RI"
    }
    let place = p.family.map { " \($0) \(p.region ?? "")" } ?? ""
    return "\(p.kind.rawValue)\(place) \(ComparisonReport.formatted(item.hourlyCommitment, decimals: 3)) USD/h"
  }

  public static func backtestTable(_ b: CommitmentBacktest, source: String) -> String {
    let f = ComparisonReport.formatted
    var out = "Backtest of \(source): recommend from the first \(b.trainHours) hours, bill the last \(b.testHours) as they happened\n"
    out += "On-Demand over the held-out hours: \(f(b.onDemandHourlyCost, 3)) USD/h\n\n"
    let rows = ([b.ours] + b.baselines + b.samePolicyBaselines + (b.hindsight.map { [$0] } ?? [])).map { line in
      [line.label, f(line.hourlyCommitment, 3), f(line.expectedSavingsPercent, 2), f(line.realizedSavingsPercent, 2),
       f(line.realizedHourlyCost, 3)]
    }
    out += TextGrid(
      headers: ["recommender", "USD/h committed", "expected savings %", "realized savings %", "realized USD/h"],
      rows: rows, leftAligned: [0]).rendered()
    if let best = b.bestBaseline {
      let delta = b.ours.realizedSavingsPercent - best.realizedSavingsPercent
      out += "\ncapsim vs the best baseline (\(best.label)): \(ComparisonReport.signed(delta, decimals: 1)) points of realized savings\n"
    }
    if let best = b.samePolicyBaselines.max(by: { $0.realizedSavingsPercent < $1.realizedSavingsPercent }) {
      let delta = b.ours.realizedSavingsPercent - best.realizedSavingsPercent
      out += "capsim vs the best look-back on the recommended policy's past usage (\(best.label)): \(ComparisonReport.signed(delta, decimals: 1)) points\n"
    }
    return out
  }

  public static func backtestJSON(_ b: CommitmentBacktest, source: String) -> String {
    backtestValue(b, source: source).rendered() + "\n"
  }

  static func backtestValue(_ b: CommitmentBacktest, source: String) -> JSONValue {
    func line(_ l: CommitmentBacktest.Line) -> JSONValue {
      .object([
        ("Recommender", .string(l.label)), ("HourlyCommitment", .rounded(l.hourlyCommitment, places: 4)),
        ("ExpectedSavingsPercentage", .rounded(l.expectedSavingsPercent, places: 3)),
        ("RealizedSavingsPercentage", .rounded(l.realizedSavingsPercent, places: 3)),
        ("RealizedHourlyCost", .rounded(l.realizedHourlyCost, places: 4)),
      ])
    }
    return .object([
      ("Source", .string(source)), ("TrainHours", .integer(b.trainHours)), ("TestHours", .integer(b.testHours)),
      ("OnDemandHourlyCost", .rounded(b.onDemandHourlyCost, places: 4)),
      ("Ours", line(b.ours)), ("Baselines", .array(b.baselines.map(line))),
      ("SamePolicyBaselines", .array(b.samePolicyBaselines.map(line))),
      ("BestBaseline", b.bestBaseline.map(line) ?? .null),
      ("Hindsight", b.hindsight.map(line) ?? .null),
    ])
  }
}
