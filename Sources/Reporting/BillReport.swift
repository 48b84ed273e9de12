import Billing
import Foundation
import Results

/// The billing parts of a report: cost by purchase option, commitments, coverage and the
/// showback of a multi-service scenario, as JSON values and table text.
enum BillReport {
  static func percent(_ share: Double?) -> JSONValue {
    share.map { .rounded($0 * 100, places: 4) } ?? .null
  }

  /// `ebsStorageUSD` only when there is some (a warm pool), so other outputs are unchanged.
  static func costs(_ c: CostByPurchaseOption) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("onDemandUSD", .rounded(c.onDemandUSD, places: 6)),
      ("spotUSD", .rounded(c.spotUSD, places: 6)),
      ("reservedInstanceUSD", .rounded(c.reservedInstanceUSD, places: 6)),
      ("savingsPlanUSD", .rounded(c.savingsPlanUSD, places: 6)),
    ]
    if c.ebsStorageUSD > 0 { members.append(("ebsStorageUSD", .rounded(c.ebsStorageUSD, places: 6))) }
    members.append(("totalUSD", .rounded(c.totalUSD, places: 6)))
    return .object(members)
  }

  static func json(_ bill: FleetBill) -> JSONValue {
    let commitments: [JSONValue] = (bill.reservedInstances + bill.savingsPlans).map { c in
      .object([
        ("id", .string(c.id)),
        ("type", .string(c.kind.rawValue)),
        ("summary", .string(c.summary)),
        ("activeHours", .rounded(c.activeHours, places: 4)),
        ("unit", .string(c.unit)),
        ("purchased", .rounded(c.purchasedQuantity, places: 6)),
        ("used", .rounded(c.usedQuantity, places: 6)),
        ("utilizationPercent", percent(c.utilization)),
        ("billedCostUSD", .rounded(c.billedCostUSD, places: 6)),
        ("effectiveCostUSD", .rounded(c.effectiveCostUSD, places: 6)),
        ("wasteUSD", .rounded(c.wasteUSD, places: 6)),
        ("coveredInstanceHours", .rounded(c.coveredInstanceHours, places: 6)),
        ("netSavingsUSD", .rounded(c.netSavingsUSD, places: 6)),
      ])
    }
    return .object([
      ("listCostUSD", .rounded(bill.listCostUSD, places: 6)),
      ("billedCostUSD", .rounded(bill.billedCostUSD, places: 6)),
      ("effectiveCostUSD", .rounded(bill.effectiveCostUSD, places: 6)),
      ("effectiveSavingsRatePercent", percent(bill.effectiveSavingsRate)),
      ("wasteUSD", .rounded(bill.wasteUSD, places: 6)),
      ("billedByPurchaseOption", costs(bill.billed)),
      ("effectiveByPurchaseOption", costs(bill.effective)),
      (
        "coverage",
        .object([
          ("reservedInstancePercent", percent(bill.coverage.reservedInstanceCoverage)),
          ("savingsPlanPercent", percent(bill.coverage.savingsPlanCoverage)),
          ("commitmentPercent", percent(bill.coverage.commitmentCoverage)),
        ])
      ),
      ("commitments", .array(commitments)),
    ])
  }

  static func showbackRow(_ row: ShowbackRow, total: Double) -> JSONValue {
    .object([
      ("name", .string(row.name)),
      ("team", .string(row.team)),
      ("instanceHours", .rounded(row.billedInstanceHours, places: 6)),
      ("listCostUSD", .rounded(row.listCostUSD, places: 6)),
      ("onDemandCostUSD", .rounded(row.onDemandCostUSD, places: 6)),
      ("spotCostUSD", .rounded(row.spotCostUSD, places: 6)),
      ("coveredCostUSD", .rounded(row.coveredCostUSD, places: 6)),
      ("commitmentBenefitUSD", .rounded(row.commitmentBenefitUSD, places: 6)),
      ("allocatedWasteUSD", .rounded(row.allocatedWasteUSD, places: 6)),
      ("effectiveCostUSD", .rounded(row.effectiveCostUSD, places: 6)),
      ("sharePercent", percent(total > 0 ? row.effectiveCostUSD / total : nil)),
    ])
  }

  static func showbackJSON(_ showback: Showback, total: Double) -> JSONValue {
    .object([
      ("services", .array(showback.services.map { showbackRow($0, total: total) })),
      ("teams", .array(showback.teams.map { showbackRow($0, total: total) })),
      ("unallocatedCommitmentUSD", .rounded(showback.unallocatedCommitmentUSD, places: 6)),
      ("wasteAttribution", .string(showback.wasteAttribution.rawValue)),
    ])
  }

  // MARK: Text

  static func money(_ value: Double) -> String { ComparisonReport.grouped(value, decimals: 2) }
  static func share(_ value: Double?) -> String { value.map { ComparisonReport.formatted($0 * 100, decimals: 1) } ?? "—" }

  /// Cost by purchase option, coverage and each commitment's utilization.
  static func summaryText(_ bill: FleetBill) -> String {
    let e = bill.effective
    var out = "Effective cost \(money(bill.effectiveCostUSD)) USD vs \(money(bill.listCostUSD)) USD all on demand "
    out += "(savings \(share(bill.effectiveSavingsRate))%); billed (cash) \(money(bill.billedCostUSD)) USD.\n"
    out += "By purchase option (effective): on-demand \(money(e.onDemandUSD)), Spot \(money(e.spotUSD)), "
    out += "Reserved Instances \(money(e.reservedInstanceUSD)), Savings Plans \(money(e.savingsPlanUSD)) USD; "
    out += "waste \(money(bill.wasteUSD)) USD"
    if e.ebsStorageUSD > 0 { out += "; EBS storage of stopped warm pool instances \(money(e.ebsStorageUSD)) USD" }
    out += ".\n"
    out += "Coverage: Reserved Instances \(share(bill.coverage.reservedInstanceCoverage))% (normalized units), "
    out += "Savings Plans \(share(bill.coverage.savingsPlanCoverage))% (spend), "
    out += "all commitments \(share(bill.coverage.commitmentCoverage))% (on-demand equivalent).\n"
    let reports = bill.reservedInstances + bill.savingsPlans
    if !reports.isEmpty {
      let rows = reports.map { c in
        [
          c.id, c.kind.rawValue, share(c.utilization), money(c.effectiveCostUSD), money(c.wasteUSD),
          money(c.netSavingsUSD), c.summary,
        ]
      }
      out += "\n" + TextGrid(
        headers: ["commitment", "type", "util %", "cost USD", "waste USD", "net saving", "what"],
        rows: rows, leftAligned: [0, 1, 6]
      ).rendered()
    }
    return out
  }

  static func showbackText(_ showback: Showback, total: Double) -> String {
    func rows(_ list: [ShowbackRow], withTeam: Bool) -> [[String]] {
      list.map { row in
        (withTeam ? [row.name, row.team] : [row.name]) + [
          ComparisonReport.grouped(row.billedInstanceHours, decimals: 1), money(row.listCostUSD),
          money(row.onDemandCostUSD), money(row.spotCostUSD), money(row.coveredCostUSD),
          money(row.commitmentBenefitUSD), money(row.effectiveCostUSD),
          share(total > 0 ? row.effectiveCostUSD / total : nil),
        ]
      }
    }
    let columns = ["instance-h", "list USD", "on-demand", "Spot", "covered", "benefit", "cost USD", "share %"]
    var out = "Showback by service (most expensive first):\n"
    out += TextGrid(headers: ["service", "team"] + columns, rows: rows(showback.services, withTeam: true), leftAligned: [0, 1])
      .rendered()
    out += "\nBy team:\n"
    out += TextGrid(headers: ["team"] + columns, rows: rows(showback.teams, withTeam: false), leftAligned: [0]).rendered()
    if showback.unallocatedCommitmentUSD > 0 {
      out += "Unused commitments charged to no service: \(Self.money(showback.unallocatedCommitmentUSD)) USD.\n"
    }
    return out
  }
}
