import Foundation
import Results

/// Where fleets that launch several instance types ran, per type: On-Demand and Spot
/// instance-hours and Spot interruptions (`VariantResult.instanceTypeShares`). JSON members,
/// a terminal table and a run-report section; nothing for one-type fleets.
enum InstanceTypeMixReport {
  static func fleets(_ r: ScenarioResult) -> [VariantResult] {
    (r.accountBill != nil ? r.services : r.variants).filter { !$0.instanceTypeShares.isEmpty }
  }

  static func json(_ shares: [InstanceTypeShare]) -> JSONValue {
    .array(
      shares.map {
        .object([
          ("instanceType", .string($0.instanceType)),
          ("onDemandInstanceHours", .rounded($0.onDemandInstanceHours, places: 3)),
          ("spotInstanceHours", .rounded($0.spotInstanceHours, places: 3)),
          ("spotInterruptions", .integer($0.spotInterruptions)),
        ])
      })
  }

  static func rows(_ r: ScenarioResult) -> [[String]] {
    fleets(r).flatMap { fleet in
      fleet.instanceTypeShares.map { share in
        let total = share.onDemandInstanceHours + share.spotInstanceHours
        let all = fleet.instanceTypeShares.reduce(0) { $0 + $1.onDemandInstanceHours + $1.spotInstanceHours }
        return [
          fleet.name, share.instanceType, ComparisonReport.grouped(share.onDemandInstanceHours, decimals: 1),
          ComparisonReport.grouped(share.spotInstanceHours, decimals: 1),
          all > 0 ? ComparisonReport.formatted(total / all * 100, decimals: 1) : "—", String(share.spotInterruptions),
        ]
      }
    }
  }

  static let headers = ["fleet", "instance type", "on-demand h", "Spot h", "share %", "Spot interrupted"]

  static func table(_ r: ScenarioResult) -> String {
    let rows = rows(r)
    guard !rows.isEmpty else { return "" }
    return "\nInstance types (where each allocation strategy put the fleet):\n"
      + TextGrid(headers: headers, rows: rows, leftAligned: [0, 1]).rendered()
  }

  static func section(_ r: ScenarioResult) -> String {
    let rows = rows(r)
    guard !rows.isEmpty else { return "" }
    let e = SVGChart.escape
    var out = "<section id=\"instance-types\">\n<h2>Where the fleet ran, by instance type</h2>\n"
    out += "<p>Each fleet that may launch several types, as its allocation strategies placed it: "
    out += "instance-hours On-Demand and Spot, and the Spot instances EC2 reclaimed.</p>\n"
    out += "<table id=\"instance-type-table\">\n<tr>"
    for (index, header) in headers.enumerated() { out += index < 2 ? "<th>\(e(header))</th>" : "<th class=\"n\">\(e(header))</th>" }
    out += "</tr>\n"
    for row in rows {
      out += "<tr>" + row.enumerated().map { $0 < 2 ? "<td>\(e($1))</td>" : "<td class=\"n\">\(e($1))</td>" }.joined() + "</tr>\n"
    }
    return out + "</table>\n</section>\n"
  }
}
