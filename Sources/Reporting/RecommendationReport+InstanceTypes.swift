import Advisor
import Foundation

/// The type x policy search in `capsim recommend`'s outputs: one row per instance type (its
/// best SLO-meeting policy with its own optimal commitments, expected USD/h on the forecast
/// paths) and what moving family would save against the current type. Nothing is written
/// for a fleet searched on one type, so those outputs are as before.
extension RecommendationReport {
  /// Hours in an average month (30.44 days), as the run report counts months.
  static let hoursPerMonth = RunReport.daysPerMonth * 24

  /// "Moving from m5.large (m5) to m7g.large (m7g) saves 0.412 USD/h (300.98 USD/month,
  /// 12.3%) ..." for the chosen type, or why the current type stays.
  static func familyMoveSentence(_ fleet: FleetRecommendation) -> String? {
    guard let current = fleet.currentTypeTrial else { return nil }
    let f = { (v: Double, d: Int) in ComparisonReport.formatted(v, decimals: d) }
    guard let currentCost = current.withCommitmentsHourlyCost else {
      if let chosen = fleet.chosenTypeTrial, !chosen.isCurrent {
        return "No policy on \(current.instanceType) meets the SLO; on \(chosen.instanceType) (\(chosen.family)) "
          + "\(chosen.variantName ?? "") does, at \(f(chosen.withCommitmentsHourlyCost ?? 0, 3)) USD/h with its optimal commitments."
      }
      return "No policy on any searched type meets the SLO: keeping \(current.instanceType)."
    }
    let others = fleet.instanceTypes.filter { !$0.isCurrent && $0.withCommitmentsHourlyCost != nil }
    guard let best = others.min(by: { $0.withCommitmentsHourlyCost! < $1.withCommitmentsHourlyCost! }),
      let saving = fleet.hourlySaving(movingTo: best)
    else {
      return "No other type meets the SLO: keeping \(current.instanceType)."
    }
    let percent = currentCost > 0 ? " (\(f(saving / currentCost * 100, 1))%)" : ""
    if saving > 0 {
      return "Moving from \(current.instanceType) (\(current.family)) to \(best.instanceType) (\(best.family)) saves "
        + "\(f(saving, 3)) USD/h, \(ComparisonReport.grouped(saving * hoursPerMonth, decimals: 2)) USD/month\(percent), "
        + "each type with its best policy and its own optimal commitments."
    }
    return "Staying on \(current.instanceType): the cheapest other type, \(best.instanceType) (\(best.family)), would cost "
      + "\(f(-saving, 3)) USD/h more (\(ComparisonReport.grouped(-saving * hoursPerMonth, decimals: 2)) USD/month), "
      + "each type with its best policy and its own optimal commitments."
  }

  /// The terminal table's section for one fleet.
  static func instanceTypeTable(_ fleet: FleetRecommendation) -> String {
    guard !fleet.instanceTypes.isEmpty else { return "" }
    let f = { (v: Double?, d: Int) in v.map { ComparisonReport.formatted($0, decimals: d) } ?? "" }
    var out = "\nInstance types (each with its best SLO-meeting policy and its own optimal commitments, "
    out += "expected USD/h on the forecast paths)\n"
    let rows = fleet.instanceTypes.map { t -> [String] in
      let saving = t.isCurrent ? nil : fleet.hourlySaving(movingTo: t)
      let marker = [t.isCurrent ? "current" : nil, t.instanceType == fleet.instanceType ? "<- chosen" : nil]
        .compactMap { $0 }.joined(separator: " ")
      return [
        t.instanceType, t.family, ComparisonReport.formatted(t.capacityUnitsPerMinute, decimals: 0), "\(t.minSize)-\(t.maxSize)",
        t.variantName ?? "none meets the SLO", f(t.onDemandHourlyCost, 3), f(t.withCommitmentsHourlyCost, 3),
        f(saving, 3), saving.map { ComparisonReport.grouped($0 * hoursPerMonth, decimals: 2) } ?? "", marker,
      ]
    }
    out += TextGrid(
      headers: ["type", "family", "units/min", "min-max", "best policy", "On-Demand + Spot", "with commitments",
                "saves USD/h", "saves USD/month", ""],
      rows: rows, leftAligned: [0, 1, 4, 9]).rendered()
    if let sentence = familyMoveSentence(fleet) { out += sentence + "\n" }
    if let moved = movedHistoryText(fleet) {
      out += moved + "\n"
      out += "The search, policies and commitments below are on \(fleet.instanceType); its 'current' row is today's "
      out += "policies moved to \(fleet.instanceType).\n"
    }
    return out
  }

  /// After a move: the chosen policy on the new type against the fleet as it runs today,
  /// on the history (On-Demand and Spot, as the search's costs); nil without a move.
  static func movedHistoryText(_ fleet: FleetRecommendation) -> String? {
    guard let from = fleet.currentInstanceType, from != fleet.instanceType, let today = fleet.currentTypeSearch?.current else {
      return nil
    }
    let delta = fleet.chosen.costUSD - today.costUSD
    let percent = today.costUSD > 0 ? " (\(ComparisonReport.signed(delta / today.costUSD * 100, decimals: 1))%)" : ""
    return "On the history: \(ComparisonReport.grouped(fleet.chosen.costUSD, decimals: 2)) USD on \(fleet.instanceType) with "
      + "the chosen policy vs \(ComparisonReport.grouped(today.costUSD, decimals: 2)) USD today (current policies on \(from)), "
      + "\(delta >= 0 ? "+" : "")\(ComparisonReport.grouped(delta, decimals: 2)) USD\(percent), before commitments."
  }

  /// The JSON's `instanceTypeChoice` member (only for fleets searched on several types).
  static func instanceTypeJSON(_ fleet: FleetRecommendation) -> JSONValue {
    let current = fleet.currentTypeTrial
    func cost(_ v: Double?) -> JSONValue { v.map { .rounded($0, places: 4) } ?? .null }
    let best = fleet.instanceTypes.filter { !$0.isCurrent && $0.withCommitmentsHourlyCost != nil }
      .min { $0.withCommitmentsHourlyCost! < $1.withCommitmentsHourlyCost! }
    let bestSaving = best.flatMap { fleet.hourlySaving(movingTo: $0) }
    return .object([
      ("currentInstanceType", .string(current?.instanceType ?? fleet.instanceType)),
      ("chosenInstanceType", .string(fleet.instanceType)),
      ("bestOtherInstanceType", best.map { .string($0.instanceType) } ?? .null),
      ("familyMoveHourlySavingUSD", cost(bestSaving)),
      ("familyMoveMonthlySavingUSD", bestSaving.map { .rounded($0 * hoursPerMonth, places: 2) } ?? .null),
      ("types", .array(fleet.instanceTypes.map { t in
        let saving = t.isCurrent ? nil : fleet.hourlySaving(movingTo: t)
        return .object([
          ("instanceType", .string(t.instanceType)), ("family", .string(t.family)),
          ("capacityUnitsPerMinute", .number(t.capacityUnitsPerMinute)),
          ("minSize", .integer(t.minSize)), ("maxSize", .integer(t.maxSize)),
          ("variantsSearched", .integer(t.variantsSearched)),
          ("bestVariant", t.variantName.map(JSONValue.string) ?? .null),
          ("onDemandAndSpotHourlyCost", cost(t.onDemandHourlyCost)),
          ("withOptimalCommitmentsHourlyCost", cost(t.withCommitmentsHourlyCost)),
          ("hourlySavingVsCurrentUSD", cost(saving)),
          ("current", .bool(t.isCurrent)), ("chosen", .bool(t.instanceType == fleet.instanceType)),
        ])
      })),
    ])
  }
}

extension Dashboard {
  /// The dashboard's short section on instance types (empty for one type).
  static func instanceTypeSection(_ fleet: FleetRecommendation) -> String {
    guard !fleet.instanceTypes.isEmpty else { return "" }
    var out = "<h3>Instance types</h3>\n"
    if let sentence = RecommendationReport.familyMoveSentence(fleet) { out += "<p>\(e(sentence))</p>\n" }
    if let moved = RecommendationReport.movedHistoryText(fleet) { out += "<p>\(e(moved))</p>\n" }
    out += "<p class=\"muted\">Each type with its best SLO-meeting policy and its own optimal commitments, expected USD/h "
    out += "on the forecast paths; sizes scaled to the same capacity.</p>\n"
    out += "<table class=\"instance-types\">\n<tr><th>type</th><th>family</th><th class=\"n\">units/min</th><th>best policy</th>"
    out += "<th class=\"n\">On-Demand + Spot</th><th class=\"n\">with commitments</th><th class=\"n\">saves USD/month</th><th></th></tr>\n"
    for t in fleet.instanceTypes {
      let chosen = t.instanceType == fleet.instanceType
      let saving = t.isCurrent ? nil : fleet.hourlySaving(movingTo: t)
      out += "<tr\(chosen ? " class=\"chosen\"" : "")><td>\(e(t.instanceType))</td><td>\(e(t.family))</td>"
      out += "<td class=\"n\">\(f(t.capacityUnitsPerMinute, 0))</td><td>\(e(t.variantName ?? "none meets the SLO"))</td>"
      out += "<td class=\"n\">\(t.onDemandHourlyCost.map { f($0, 3) } ?? "")</td>"
      out += "<td class=\"n\">\(t.withCommitmentsHourlyCost.map { f($0, 3) } ?? "")</td>"
      out += "<td class=\"n\">\(saving.map { ComparisonReport.grouped($0 * RecommendationReport.hoursPerMonth, decimals: 2) } ?? "")</td>"
      out += "<td>\([t.isCurrent ? "current" : nil, chosen ? "chosen" : nil].compactMap { $0 }.joined(separator: ", "))</td></tr>\n"
    }
    return out + "</table>\n"
  }
}
