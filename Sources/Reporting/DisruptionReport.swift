import Foundation
import Results

/// What Spot interruptions and faults cost each fleet: JSON members, a terminal table and
/// a run-report section, all from `VariantResult.disruptionEffects` (each effect is the run
/// against the same run without that disruption).
enum DisruptionReport {
  static func fleets(_ r: ScenarioResult) -> [VariantResult] {
    (r.accountBill != nil ? r.services : r.variants).filter { !$0.disruptionEffects.isEmpty }
  }

  static func json(_ effects: [DisruptionEffect]) -> JSONValue {
    .array(
      effects.map { effect in
        var members: [(String, JSONValue)] = [
          ("name", .string(effect.name)), ("kind", .string(effect.kind.rawValue)),
          ("costUSD", .rounded(effect.costUSD, places: 6)), ("delayedUnits", .rounded(effect.delayedUnits, places: 3)),
        ]
        if let dropped = effect.droppedRequests { members.append(("droppedRequests", .rounded(dropped, places: 3))) }
        switch effect.kind {
        case .spotInterruptions:
          members += [
            ("instancesInterrupted", .integer(effect.instancesLost)),
            ("capacityRebalanceLaunches", .integer(effect.capacityRebalanceLaunches)),
            ("replacedBeforeInterruption", .integer(effect.replacedBeforeInterruption)),
          ]
        case .zoneOutage:
          members.append(("instancesLost", .integer(effect.instancesLost)))
        case .launchFailures:
          members.append(("failedLaunchAttempts", .integer(effect.failedLaunchAttempts)))
        }
        return .object(members)
      })
  }

  static func what(_ effect: DisruptionEffect) -> String {
    switch effect.kind {
    case .spotInterruptions:
      var text = "\(effect.instancesLost) interrupted"
      if effect.capacityRebalanceLaunches > 0 {
        text += ", \(effect.capacityRebalanceLaunches) rebalance launches, \(effect.replacedBeforeInterruption) replaced in time"
      }
      return text
    case .zoneOutage: return "\(effect.instancesLost) instances lost"
    case .launchFailures: return "\(effect.failedLaunchAttempts) launches failed"
    }
  }

  static func table(_ r: ScenarioResult) -> String {
    let fleets = fleets(r)
    guard !fleets.isEmpty else { return "" }
    let dropped = fleets.contains { $0.disruptionEffects.contains { $0.droppedRequests != nil } }
    var headers = ["fleet", "disruption", "what happened", "cost USD", "delayed units"]
    if dropped { headers.append("dropped requests") }
    var rows: [[String]] = []
    for fleet in fleets {
      for effect in fleet.disruptionEffects {
        var row = [
          fleet.name, effect.name, what(effect), ComparisonReport.signed(effect.costUSD, decimals: 2),
          ComparisonReport.signed(effect.delayedUnits, decimals: 0),
        ]
        if dropped { row.append(effect.droppedRequests.map { ComparisonReport.signed($0, decimals: 0) } ?? "—") }
        rows.append(row)
      }
    }
    var out = "\nDisruptions (each against the same run without it):\n"
    out += TextGrid(headers: headers, rows: rows, leftAligned: [0, 1, 2]).rendered()
    return out
  }

  static func section(_ r: ScenarioResult) -> String {
    let fleets = fleets(r)
    guard !fleets.isEmpty else { return "" }
    let e = SVGChart.escape
    var out = "<section id=\"disruptions\">\n<h2>What disruptions cost</h2>\n"
    out += "<p>Each row compares the run with the same run (same seed) without that one disruption: "
    out += "the cost and the demand delayed it added, given the others.</p>\n"
    out += "<table id=\"disruption-table\">\n<tr><th>fleet</th><th>disruption</th><th>what happened</th>"
    out += "<th class=\"n\">cost USD</th><th class=\"n\">demand delayed</th></tr>\n"
    for fleet in fleets {
      for effect in fleet.disruptionEffects {
        out += "<tr data-kind=\"\(effect.kind.rawValue)\"><td>\(e(fleet.name))</td><td>\(e(effect.name))</td>"
        out += "<td>\(e(what(effect)))</td><td class=\"n\">\(ComparisonReport.signed(effect.costUSD, decimals: 2))</td>"
        out += "<td class=\"n\">\(ComparisonReport.signed(effect.delayedUnits, decimals: 0))</td></tr>\n"
      }
    }
    return out + "</table>\n</section>\n"
  }
}
