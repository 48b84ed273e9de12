import Billing
import Foundation
import Results

/// Calendar weeks and the unit cost trend of the run report (issue 12): ISO weeks, Monday
/// to Sunday in the scenario's time zone, and per week each service's and team's effective
/// cost ÷ its demand units × 1,000.
///
/// A week's cost is the bill's hours inside it: per service, `ServiceHourlyCost.usageCostUSD`
/// plus `allocatedWasteUSD` (waste charged with the window's shares, so the weeks of a
/// service add up to its showback `effectiveCostUSD`); per team, its services' together;
/// for a variant, its bill's `hourlyEffectiveCostUSD`. A week's demand units are
/// `VariantResult.hourlyDemandUnits` over the same hours. The JSON carries the same figures
/// (`weeklyUnitCost` on each showback row and on each variant), so the page's are the JSON's.
extension RunReport {
  // MARK: Calendar weeks

  /// One ISO week (Monday to Sunday, the scenario's time zone) of the bill's hours; the
  /// first and last may be partial.
  struct CalendarWeek: Equatable {
    /// ISO 8601 week, e.g. "2026-W10".
    var isoWeek: String
    /// The first and last local day of the week that the bill covers ("yyyy-MM-dd").
    var first: String
    var last: String
    /// Local days of the week the bill covers (7 in a full week).
    var days: Int
    /// Indices into `Days.labels`.
    var dayRange: Range<Int>
    /// Indices of the bill's hours.
    var hourRange: Range<Int>
    /// All seven days, every hour of them (168, or 167 / 169 across a clock change).
    var isFull: Bool

    /// "2026-W10" and its days, e.g. "2026-W10, 2026-03-04 to 2026-03-08".
    var label: String { "\(isoWeek), \(first) to \(last)" }
    /// A narrow table cell: the ISO week over its days ("03-04 to 03-08"), and "partial:
    /// 5 days" under a partial week.
    var cell: String {
      var out = "<td>\(isoWeek)<br/><span class=\"muted\">\(first.dropFirst(5)) to \(last.dropFirst(5))</span>"
      if !isFull { out += "<br/><span class=\"muted\">partial: \(days) day\(days == 1 ? "" : "s")</span>" }
      return out + "</td>"
    }
  }

  /// The bill's hours grouped by ISO week in the scenario's time zone, in order.
  static func calendarWeeks(_ r: ScenarioResult, days: Days) -> [CalendarWeek] {
    var calendar = Calendar(identifier: .iso8601)
    calendar.timeZone = TimeZone(identifier: r.timeZone) ?? TimeZone(identifier: "UTC")!
    var weeks: [CalendarWeek] = []
    var weekLengthHours: [Int] = []
    var h = 0
    for d in days.labels.indices {
      let firstHour = h
      while h < days.dayOfHour.count, days.dayOfHour[h] == d { h += 1 }
      let date = r.start.addingTimeInterval(Double(firstHour) * 3_600)
      let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
      let key = String(format: "%04d-W%02d", c.yearForWeekOfYear ?? 0, c.weekOfYear ?? 0)
      if weeks.last?.isoWeek == key {
        weeks[weeks.count - 1].last = days.labels[d]
        weeks[weeks.count - 1].days += 1
        weeks[weeks.count - 1].dayRange = weeks[weeks.count - 1].dayRange.lowerBound..<(d + 1)
        weeks[weeks.count - 1].hourRange = weeks[weeks.count - 1].hourRange.lowerBound..<h
      } else {
        weeks.append(CalendarWeek(
          isoWeek: key, first: days.labels[d], last: days.labels[d], days: 1, dayRange: d..<(d + 1),
          hourRange: firstHour..<h, isFull: false))
        let length = calendar.dateInterval(of: .weekOfYear, for: date)?.duration ?? 7 * 86_400
        weekLengthHours.append(Int((length / 3_600).rounded()))
      }
    }
    for i in weeks.indices { weeks[i].isFull = weeks[i].days == 7 && weeks[i].hourRange.count == weekLengthHours[i] }
    return weeks
  }

  /// `hourly` added up over each week's hours (hours past the array count as 0).
  static func weekly(_ hourly: [Double], _ weeks: [CalendarWeek]) -> [Double] {
    weeks.map { week in
      var sum = 0.0
      for h in week.hourRange where h < hourly.count { sum += hourly[h] }
      return sum
    }
  }

  // MARK: Unit cost per week

  /// One row's cost and demand units per calendar week.
  struct WeeklyUnitCost: Equatable {
    var name: String
    /// The owning team (services only).
    var team: String?
    /// Effective cost per week, USD.
    var costUSD: [Double]
    /// Demand units per week.
    var units: [Double]

    /// USD per 1,000 demand units per week; nil in a week without demand.
    var unitCosts: [Double?] { zip(costUSD, units).map { RunReport.unitCost($0, units: $1) } }
  }

  /// The unit cost trend of a multi-service run: its weeks, and the weekly figures per
  /// service and per team in the showback's order (most expensive first).
  struct UnitCostTrends: Equatable {
    var weeks: [CalendarWeek]
    var services: [WeeklyUnitCost]
    var teams: [WeeklyUnitCost]
  }

  /// Weekly cost and demand per service and per team of the account bill; nil without one.
  static func unitCostTrends(_ r: ScenarioResult) -> UnitCostTrends? {
    guard let account = r.accountBill else { return nil }
    let weeks = calendarWeeks(r, days: Days(r, hourCount: account.hourCount))
    let costs = Dictionary(
      account.hourlyServiceCosts.map { ($0.name, weekly($0.effectiveCostUSD, weeks)) }, uniquingKeysWith: { a, _ in a })
    let units = Dictionary(r.services.map { ($0.name, weekly($0.hourlyDemandUnits, weeks)) }, uniquingKeysWith: { a, _ in a })
    let zero = [Double](repeating: 0, count: weeks.count)
    let services = account.showback.services.map { row in
      WeeklyUnitCost(name: row.name, team: row.team, costUSD: costs[row.name] ?? zero, units: units[row.name] ?? zero)
    }
    let teams = account.showback.teams.map { team in
      var row = WeeklyUnitCost(name: team.name, team: nil, costUSD: zero, units: zero)
      for service in services where service.team == team.name {
        for w in weeks.indices {
          row.costUSD[w] += service.costUSD[w]
          row.units[w] += service.units[w]
        }
      }
      return row
    }
    return UnitCostTrends(weeks: weeks, services: services, teams: teams)
  }

  /// Weekly cost (its bill's hourly effective cost) and demand of one variant; nil without
  /// a bill.
  static func variantUnitCost(_ r: ScenarioResult, _ v: VariantResult) -> (weeks: [CalendarWeek], row: WeeklyUnitCost)? {
    guard let bill = v.bill, bill.hourCount > 0 else { return nil }
    let weeks = calendarWeeks(r, days: Days(r, hourCount: bill.hourCount))
    return (weeks, WeeklyUnitCost(
      name: v.name, team: v.team, costUSD: weekly(bill.hourlyEffectiveCostUSD, weeks),
      units: weekly(v.hourlyDemandUnits, weeks)))
  }

  /// The change of unit cost from the first to the last full week that has demand, percent,
  /// and those weeks' indices; nil with fewer than two such weeks.
  static func unitCostTrend(_ row: WeeklyUnitCost, weeks: [CalendarWeek]) -> (percent: Double, from: Int, to: Int)? {
    let unit = row.unitCosts
    let full = weeks.indices.filter { weeks[$0].isFull && unit[$0] != nil }
    guard let from = full.first, let to = full.last, from != to, let a = unit[from], let b = unit[to], a > 0 else { return nil }
    return ((b / a - 1) * 100, from, to)
  }

  /// A table cell, e.g. "+3.2% over 4 weeks" (the first full week through the last, both
  /// counted), the weeks in its tooltip; "—" without two full weeks.
  static func unitCostTrendCell(_ row: WeeklyUnitCost, weeks: [CalendarWeek]) -> String {
    guard let t = unitCostTrend(row, weeks: weeks) else { return "<td class=\"n\">—</td>" }
    return "<td class=\"n\" title=\"\(weeks[t.from].isoWeek) to \(weeks[t.to].isoWeek)\">"
      + "\(ComparisonReport.signed(t.percent, decimals: 1))% over \(t.to - t.from + 1) weeks</td>"
  }

  /// e.g. "+3.2% from 2026-W10 to 2026-W13"; "no two full weeks to compare" without them.
  static func unitCostTrendText(_ row: WeeklyUnitCost, weeks: [CalendarWeek]) -> String {
    guard let t = unitCostTrend(row, weeks: weeks) else { return "no two full weeks to compare" }
    return "\(ComparisonReport.signed(t.percent, decimals: 1))% from \(weeks[t.from].isoWeek) to \(weeks[t.to].isoWeek)"
  }

  // MARK: JSON

  /// `weeklyUnitCost`: per week its ISO week, first and last day, days, whether it is full,
  /// effective cost, demand units and USD per 1,000 units (null without demand).
  static func weeklyUnitCostJSON(_ row: WeeklyUnitCost, weeks: [CalendarWeek]) -> JSONValue {
    let unit = row.unitCosts
    return .array(weeks.indices.map { w in
      .object([
        ("isoWeek", .string(weeks[w].isoWeek)),
        ("start", .string(weeks[w].first)),
        ("end", .string(weeks[w].last)),
        ("days", .integer(weeks[w].days)),
        ("full", .bool(weeks[w].isFull)),
        ("effectiveCostUSD", .rounded(row.costUSD[w], places: 6)),
        ("demandUnits", .rounded(row.units[w], places: 3)),
        ("usdPer1000Units", unit[w].map { .rounded($0, places: 6) } ?? .null),
      ])
    })
  }

  /// The members a row gains: `weeklyUnitCost` and `unitCostTrendPercent` (first to last
  /// full week with demand; null without two).
  static func trendMembers(_ row: WeeklyUnitCost, weeks: [CalendarWeek]) -> [(String, JSONValue)] {
    [
      ("weeklyUnitCost", weeklyUnitCostJSON(row, weeks: weeks)),
      ("unitCostTrendPercent", unitCostTrend(row, weeks: weeks).map { .rounded($0.percent, places: 4) } ?? .null),
    ]
  }

  /// The account's showback JSON (`BillReport.showbackJSON`) with each service's and team's
  /// `weeklyUnitCost` and `unitCostTrendPercent`.
  static func showbackJSON(_ r: ScenarioResult, account: FleetBill) -> JSONValue {
    let plain = BillReport.showbackJSON(account.showback, total: account.effectiveCostUSD)
    guard let trends = unitCostTrends(r), case .object(var members) = plain else { return plain }
    func extend(_ value: JSONValue, _ rows: [WeeklyUnitCost]) -> JSONValue {
      guard case .array(let items) = value else { return value }
      return .array(zip(items, rows).map { item, row in
        guard case .object(let m) = item else { return item }
        return .object(m + trendMembers(row, weeks: trends.weeks))
      })
    }
    for i in members.indices {
      if members[i].0 == "services" { members[i].1 = extend(members[i].1, trends.services) }
      if members[i].0 == "teams" { members[i].1 = extend(members[i].1, trends.teams) }
    }
    return .object(members)
  }

  /// A variant's `weeklyUnitCost` and `unitCostTrendPercent`; none without a bill.
  static func variantTrendMembers(_ r: ScenarioResult, _ v: VariantResult) -> [(String, JSONValue)] {
    guard let (weeks, row) = variantUnitCost(r, v) else { return [] }
    return trendMembers(row, weeks: weeks)
  }

  // MARK: HTML

  /// Line strokes: Okabe-Ito colours (the stacked charts' order, black for the sixth, as
  /// yellow is too light for a line) with a dash pattern each, so lines differ in grey-scale.
  static let trendStrokes: [(colour: String, dash: String, css: String)] = [
    ("#0072B2", "", "solid"), ("#E69F00", "7 4", "dashed"), ("#009E73", "2 3", "dotted"),
    ("#CC79A7", "9 3 2 3", "dashed"), ("#56B4E9", "14 4", "dashed"), ("#000000", "4 2 1 2", "dotted"),
  ]

  /// Weekly unit cost lines (at most six), one point per week (hollow in partial weeks),
  /// each labelled at its end, with a legend.
  static func unitCostChart(_ rows: [WeeklyUnitCost], weeks: [CalendarWeek], timeZone: String, label: String) -> String {
    let rows = Array(rows.prefix(trendStrokes.count))
    var out = "<ul class=\"legend\">"
    for (i, row) in rows.enumerated() {
      let s = trendStrokes[i]
      out += "<li><span style=\"display:inline-block;width:26px;margin-right:5px;vertical-align:3px;"
      out += "border-top:3px \(s.css) \(s.colour)\"></span>\(e(row.name))</li>"
    }
    out += "<li>hollow points: partial weeks</li></ul>\n"
    let frame = SVGChart.Frame(width: 720, height: 300, left: 74, right: 150, top: 16, bottom: 46)
    let values = rows.flatMap { $0.unitCosts.compactMap { $0 } }
    let axis = SVGChart.Axis(values, padding: 0.1)
    out += frame.open(label: label)
    out += yAxis(axis, frame: frame, title: "USD per 1,000 units")
    let slot = (frame.plotRight - frame.plotLeft) / Double(max(1, weeks.count))
    func x(_ w: Int) -> Double { frame.plotLeft + slot * (Double(w) + 0.5) }
    func y(_ v: Double) -> Double { axis.position(v, from: frame.plotBottom, to: frame.plotTop) }
    let every = max(1, weeks.count / 8)
    for w in stride(from: 0, to: weeks.count, by: every) {
      out += "<text class=\"tick\" x=\"\(n(x(w)))\" y=\"\(n(frame.plotBottom + 16))\" text-anchor=\"middle\">"
      out += "\(weeks[w].isoWeek.suffix(3))</text>\n"
    }
    var ends: [(y: Double, row: Int)] = []
    for (i, row) in rows.enumerated() {
      let s = trendStrokes[i]
      let unit = row.unitCosts
      var d = "", drawing = false
      for (w, value) in unit.enumerated() {
        guard let value else {
          drawing = false
          continue
        }
        d += "\(drawing ? "L" : "M")\(n(x(w))) \(n(y(value)))"
        drawing = true
      }
      out += "<path fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"2\"\(s.dash.isEmpty ? "" : " stroke-dasharray=\"\(s.dash)\"") d=\"\(d)\"/>\n"
      for (w, value) in unit.enumerated() {
        guard let value else { continue }
        out += "<circle cx=\"\(n(x(w)))\" cy=\"\(n(y(value)))\" r=\"3.5\" stroke=\"\(s.colour)\" stroke-width=\"1.5\" "
        out += "fill=\"\(weeks[w].isFull ? s.colour : "#fff")\"><title>\(e(row.name)), \(e(weeks[w].label))"
        out += "\(weeks[w].isFull ? "" : " (partial)"): \(f(value, 4)) USD per 1,000 units</title></circle>"
      }
      out += "\n"
      if let last = unit.lastIndex(where: { $0 != nil }), let value = unit[last] { ends.append((y(value), i)) }
    }
    // End-of-line labels, top to bottom, moved apart to at least 17 units.
    ends.sort { $0.y != $1.y ? $0.y < $1.y : $0.row < $1.row }
    var placed: [Double] = []
    for end in ends {
      var labelY = max(end.y, (placed.last ?? -.infinity) + 17)
      labelY = min(labelY, frame.height - 4)
      placed.append(labelY)
      let name = rows[end.row].name
      let short = name.count > 16 ? String(name.prefix(15)) + "…" : name
      out += "<text class=\"label\" x=\"\(n(frame.plotRight + 8))\" y=\"\(n(labelY))\" dy=\"0.32em\">\(e(short))</text>\n"
    }
    out += "<text class=\"axis-title\" x=\"\(n((frame.plotLeft + frame.plotRight) / 2))\" y=\"\(n(frame.height - 8))\" "
    out += "text-anchor=\"middle\">ISO weeks \(weeks.first?.isoWeek ?? "") to \(weeks.last?.isoWeek ?? ""), "
    out += "Monday to Sunday \(e(timeZone))</text>\n</svg>\n"
    if axis.lower > 0 {
      out += "<p class=\"muted\">The value axis starts at \(ComparisonReport.grouped(axis.lower, decimals: axis.decimals)) USD, "
      out += "not zero, so that week-to-week changes show; the table has the figures.</p>\n"
    }
    return out
  }

  /// Weeks as rows (narrow week cells, so a few services fit a phone), one column of USD
  /// per 1,000 units per row of `rows`, and the change from the first to the last full week.
  static func unitCostTable(_ rows: [WeeklyUnitCost], weeks: [CalendarWeek], id: String, what: String) -> String {
    var out = weeks.count > 8 ? "<details><summary>All \(weeks.count) weeks, per \(what)</summary>\n" : ""
    out += "<table id=\"\(id)\">\n<tr><th>week</th>"
    for row in rows { out += "<th class=\"n\">\(e(row.name))</th>" }
    out += "</tr>\n"
    let units = rows.map(\.unitCosts)
    for (w, week) in weeks.enumerated() {
      out += "<tr>\(week.cell)"
      for u in units { out += "<td class=\"n\">\(u[w].map { f($0, 4) } ?? "—")</td>" }
      out += "</tr>\n"
    }
    out += "<tr><td><strong>change</strong><br/><span class=\"muted\">first to last<br/>full week</span></td>"
    for row in rows { out += "<td class=\"n\">\(unitCostTrend(row, weeks: weeks).map { ComparisonReport.signed($0.percent, decimals: 1) + "%" } ?? "—")</td>" }
    out += "</tr>\n</table>\n"
    return out + (weeks.count > 8 ? "</details>\n" : "")
  }

  /// The showback's unit cost per week: a line per service, and tables per service and per
  /// team.
  static func unitCostTrendSection(_ r: ScenarioResult, _ trends: UnitCostTrends) -> String {
    var out = "<h3 id=\"unit-cost-trend\">Unit cost per week, by service: USD per 1,000 demand units</h3>\n"
    out += "<p class=\"muted\">Each ISO week (Monday to Sunday, \(e(r.timeZone))): the service&#39;s effective cost in the week "
    out += "÷ its demand units in the week × 1,000. "
    out += trends.services.count > trendStrokes.count
      ? "The chart shows the \(trendStrokes.count) most expensive services; the table has all. " : ""
    out += "Partial weeks (the window&#39;s first and last) are hollow and left out of the trend, which compares the first "
    out += "full week with the last.</p>\n"
    out += unitCostChart(
      trends.services, weeks: trends.weeks, timeZone: r.timeZone,
      label: "Unit cost per week by service, USD per 1,000 demand units")
    out += "<p class=\"muted\">Per service, USD per 1,000 of its demand units:</p>\n"
    out += unitCostTable(trends.services, weeks: trends.weeks, id: "unit-cost-weeks-services", what: "service")
    out += "<h3>Unit cost per week, by team: USD per 1,000 demand units</h3>\n"
    out += "<p class=\"muted\">Per team: its services&#39; cost ÷ their demand units together × 1,000.</p>\n"
    out += unitCostTable(trends.teams, weeks: trends.weeks, id: "unit-cost-weeks-teams", what: "team")
    return out
  }

  /// A variants scenario's headline variant: its unit cost per week as a line and a table
  /// with the week's cost and demand.
  static func variantUnitCostSection(_ r: ScenarioResult) -> String {
    guard r.accountBill == nil, let first = r.variants.first, let (weeks, row) = variantUnitCost(r, first),
      row.units.contains(where: { $0 > 0 })
    else { return "" }
    let label = r.variants.count > 1 ? "variant " + first.name : first.name
    var out = "<h3 id=\"unit-cost-trend\">Unit cost per week (\(e(label))): USD per 1,000 demand units</h3>\n"
    out += "<p class=\"muted\">Each ISO week&#39;s effective cost ÷ its demand units × 1,000; first to last full week: "
    out += "\(unitCostTrendText(row, weeks: weeks)).</p>\n"
    out += unitCostChart([row], weeks: weeks, timeZone: r.timeZone, label: "Unit cost per week, USD per 1,000 demand units")
    out += weeks.count > 8 ? "<details><summary>All \(weeks.count) weeks</summary>\n" : ""
    out += "<table id=\"unit-cost-weeks\">\n<tr><th>week</th><th class=\"n\">effective<br/>cost USD</th>"
    out += "<th class=\"n\">demand<br/>units</th><th class=\"n\">USD per<br/>1,000 units</th></tr>\n"
    let unit = row.unitCosts
    for (w, week) in weeks.enumerated() {
      out += "<tr>\(week.cell)"
      out += "<td class=\"n\">\(ComparisonReport.grouped(row.costUSD[w], decimals: 2))</td>"
      out += "<td class=\"n\">\(ComparisonReport.grouped(row.units[w]))</td><td class=\"n\">\(unit[w].map { f($0, 4) } ?? "—")</td></tr>\n"
    }
    out += "</table>\n"
    return out + (weeks.count > 8 ? "</details>\n" : "")
  }
}
