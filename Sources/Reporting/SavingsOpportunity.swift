import Advisor
import Billing
import Foundation
import Results

/// A saving a `capsim run` quantified: USD per month (the window's saving ÷ window days ×
/// 30.44), the evidence, and the command that shows, applies or exports it. The run
/// report's top-5 list and the JSON's `opportunities` are the same `ranked` list, in the
/// same order; an opportunity the run cannot put a figure on is not in it.
public struct SavingsOpportunity: Sendable, Equatable {
  public enum Kind: String, Sendable {
    /// A commitment's idle capacity (waste) on the headline bill.
    case unusedCommitment = "unused-commitment"
    /// A variant cheaper than the first that still meets the service level (`meetsSLO`).
    case cheaperPolicy = "cheaper-policy"
    /// The advisor's exact portfolio on the window's uncovered On-Demand usage.
    case commitmentsToBuy = "commitments-to-buy"
    /// The first variant on another instance type the scenario's capacity lists, cheaper
    /// and still meeting the service level.
    case anotherInstanceType = "another-instance-type"
  }

  public var kind: Kind
  public var title: String
  /// The saving over the simulated window, USD.
  public var windowUSD: Double
  /// The saving per average month (30.44 days), USD.
  public var monthlyUSD: Double
  public var evidence: String
  public var command: String

  /// `monthlyUSD` as both reports show it, to the cent ("1234.56"): the page's
  /// `data-monthly-usd` and, read as a number, the JSON's `monthlyUSD`.
  public var monthlyUSDText: String { String(format: "%.2f", monthlyUSD) }

  /// How many opportunities the reports list.
  public static let listLength = 5

  /// The run's quantified savings, largest first (ties by title), at most `listLength`:
  /// each commitment's unused capacity (waste) on the headline bill, each variant cheaper
  /// than the first that still meets the service level (`meetsSLO`), and the commitments to buy
  /// (`ScenarioResult.purchaseAdvice`) when they would have saved money.
  public static func ranked(_ r: ScenarioResult) -> [SavingsOpportunity] {
    let days = RunReport.windowDays(r)
    guard days > 0 else { return [] }
    let candidates = unusedCommitments(r, days: days) + cheaperPolicies(r, days: days) + commitmentsToBuy(r, days: days)
      + otherInstanceTypes(r, days: days)
    let ordered = candidates.sorted { $0.monthlyUSD != $1.monthlyUSD ? $0.monthlyUSD > $1.monthlyUSD : $0.title < $1.title }
    return Array(ordered.prefix(listLength))
  }

  init(kind: Kind, title: String, windowUSD: Double, days: Double, evidence: String, command: String) {
    self.kind = kind
    self.title = title
    self.windowUSD = windowUSD
    self.monthlyUSD = windowUSD / days * RunReport.daysPerMonth
    self.evidence = evidence
    self.command = command
  }

  static func unusedCommitments(_ r: ScenarioResult, days: Double) -> [SavingsOpportunity] {
    guard let bill = RunReport.headline(r).bill else { return [] }
    return (bill.reservedInstances + bill.savingsPlans).filter { $0.wasteUSD > 0.005 }.map { c in
      SavingsOpportunity(
        kind: .unusedCommitment, title: "Unused capacity of \(c.id) (\(c.kind.rawValue))", windowUSD: c.wasteUSD,
        days: days,
        evidence: "utilization \(RunReport.percent(c.utilization)): \(RunReport.usd(c.wasteUSD)) paid for unused capacity "
          + "in the window (\(c.summary))",
        command: "capsim run \(r.file) --line-items bill.csv   # the unused hours: CommitmentDiscountStatus = Unused")
    }
  }

  /// Whether `v` keeps the service level, judged beside the current (first) variant: demand
  /// delayed at most `r.maxDelayedShare` or no more than the current's; and with a latency
  /// SLO (queueing and requests fidelity), its percentile within the objective or no slower
  /// than the current's.
  static func meetsSLO(_ v: VariantResult, current: VariantResult, _ r: ScenarioResult) -> Bool {
    guard v.statistics.delayedShare <= max(r.maxDelayedShare, current.statistics.delayedShare) else { return false }
    guard let slo = v.statistics.requests?.latencySLO else { return true }
    guard let latency = v.statistics.requests?.latencyAtSLOPercentileSeconds else { return false }
    return latency <= max(slo.latencySeconds, current.statistics.requests?.latencyAtSLOPercentileSeconds ?? 0)
  }

  static func cheaperPolicies(_ r: ScenarioResult, days: Double) -> [SavingsOpportunity] {
    guard let first = r.variants.first else { return [] }
    let f = RunReport.f
    return r.variants.dropFirst()
      .filter { $0.costUSD < first.costUSD && meetsSLO($0, current: first, r) }
      .map { v in
        var evidence = "\(RunReport.usd(v.costUSD)) vs \(RunReport.usd(first.costUSD)) in the window; demand delayed "
        evidence += "\(f(v.statistics.delayedShare * 100, 3))% vs \(f(first.statistics.delayedShare * 100, 3))% "
        evidence += "(the SLO: at most \(RunReport.shortPercent(r.maxDelayedShare)), or no more than now)"
        if let slo = v.statistics.requests?.latencySLO, let latency = v.statistics.requests?.latencyAtSLOPercentileSeconds {
          evidence += "; p\(f(slo.percentile, slo.percentile == slo.percentile.rounded() ? 0 : 1)) latency "
          evidence += "\(f(latency * 1_000, 1)) ms (objective \(f(slo.latencySeconds * 1_000, 0)) ms)"
        }
        if v.statistics.peakInstances != first.statistics.peakInstances {
          evidence += "; peak \(v.statistics.peakInstances) instances vs \(first.statistics.peakInstances)"
        }
        return SavingsOpportunity(
          kind: .cheaperPolicy, title: "Policy \(v.name) instead of \(first.name)", windowUSD: first.costUSD - v.costUSD,
          days: days, evidence: evidence,
          command: "capsim export \(r.file) --variant \(v.name) --format cli-json --output out/")
      }
  }

  /// The first variant on each other type the capacity lists (`instanceTypeAlternatives`)
  /// that costs less with the scenario's commitments and delays no more demand than the SLO
  /// allows (or than now). The command searches type x policy, each type with its own
  /// optimal commitments.
  static func otherInstanceTypes(_ r: ScenarioResult, days: Double) -> [SavingsOpportunity] {
    guard let first = r.variants.first, let capacity = r.headlineCapacityUnitsPerMinute else { return [] }
    let f = RunReport.f
    return r.instanceTypeAlternatives
      .filter { $0.costUSD < first.costUSD && $0.statistics.delayedShare <= max(r.maxDelayedShare, first.statistics.delayedShare) }
      .map { t in
        var evidence = "policy \(first.name) on \(t.instanceType) (\(t.family), \(f(t.capacityUnitsPerMinute, 0)) units/min at "
        evidence += "\(f(t.onDemandUSDPerHour, 4)) USD/h) vs \(first.instanceType) (\(f(capacity, 0)) units/min at "
        evidence += "\(f(first.onDemandUSDPerHour, 4)) USD/h), sizes scaled to the same capacity: \(RunReport.usd(t.costUSD)) vs "
        evidence += "\(RunReport.usd(first.costUSD)) in the window with the scenario's commitments; demand delayed "
        evidence += "\(f(t.statistics.delayedShare * 100, 3))% vs \(f(first.statistics.delayedShare * 100, 3))%; "
        evidence += "peak \(t.statistics.peakInstances) instances vs \(first.statistics.peakInstances)"
        return SavingsOpportunity(
          kind: .anotherInstanceType, title: "Instance type \(t.instanceType) instead of \(first.instanceType)",
          windowUSD: first.costUSD - t.costUSD, days: days, evidence: evidence,
          command: "capsim recommend \(r.file) --types \(first.instanceType),\(t.instanceType)   # type x policy, each with its own optimal commitments")
      }
  }

  static func commitmentsToBuy(_ r: ScenarioResult, days: Double) -> [SavingsOpportunity] {
    guard let advice = r.purchaseAdvice, advice.savingUSD > 0, !advice.purchases.isEmpty else { return [] }
    let f = RunReport.f
    let what = advice.purchases.map(purchaseText).joined(separator: ", ")
    var evidence = "buy \(what). Held over this window (\(f(Double(advice.hours) / 24, 1)) days), it would have "
    evidence += r.commitmentCount > 0 ? "billed the On-Demand usage the scenario's commitments leave uncovered" : "billed its On-Demand usage"
    evidence += " at \(RunReport.usd(advice.withPurchaseUSD)) "
    evidence += "instead of \(RunReport.usd(advice.onDemandUSD)) (coverage \(f(advice.coveragePercent, 1))%, "
    evidence += "utilization \(f(advice.utilizationPercent, 1))%"
    evidence += advice.upfrontUSD > 0 ? ", \(RunReport.usd(advice.upfrontUSD)) upfront)" : ")"
    return [
      SavingsOpportunity(
        kind: .commitmentsToBuy, title: "Commitments to buy (\(RunReport.headline(r).label))", windowUSD: advice.savingUSD,
        days: days, evidence: evidence,
        command: "capsim recommend \(r.file)   # the purchase planned on forecast demand, with its risk")
    ]
  }

  /// One purchase line in a few words: "3 x m5.large RI standard 1y no-upfront
  /// (utilization 98.5%, break-even 62.5%)", "Compute Savings Plan 1.200 USD/h 1y
  /// no-upfront (...)", "EC2 Instance Savings Plan m5 us-east-1 0.300 USD/h ...".
  static func purchaseText(_ p: CommitmentPurchase) -> String {
    let f = RunReport.f
    let offer = "\(p.term.rawValue) \(p.payment.rawValue)"
    let what: String
    if let n = p.numberOfInstances, let type = p.instanceType {
      what = "\(n) x \(type) RI \(p.offeringClass?.rawValue ?? "") \(offer)"
    } else {
      let place = p.family.map { " \($0) \(p.region ?? "")" } ?? ""
      what = "\(p.kind.rawValue)\(place) \(f(p.hourlyCommitment, 3)) USD/h \(offer)"
    }
    return "\(what) (utilization \(f(p.estimatedAverageUtilization, 1))%, break-even \(f(p.breakEvenUtilization, 1))%)"
  }

  /// The JSON's `opportunities`: the ranked list, in order.
  static func json(_ list: [SavingsOpportunity]) -> JSONValue {
    .array(list.map { o in
      .object([
        ("kind", .string(o.kind.rawValue)),
        ("title", .string(o.title)),
        ("monthlyUSD", .number(Double(o.monthlyUSDText)!)),
        ("windowUSD", .rounded(o.windowUSD, places: 6)),
        ("evidence", .string(o.evidence)),
        ("command", .string(o.command)),
      ])
    })
  }
}
