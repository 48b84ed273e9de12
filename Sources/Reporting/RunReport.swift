import AutoScaling
import Billing
import Foundation
import Results

/// `capsim run --format html`: the cost report of one run as a self-contained page (inline
/// CSS and SVG, no JavaScript, no external assets, no timestamps: the same bytes for the
/// same input). Every figure is one `--format json` reports or a sum or ratio of those:
///
/// - top savings opportunities the run quantified (unused commitments, cheaper variants
///   that still meet the service level, commitments to buy on the window's uncovered usage),
///   largest first in USD per month (`SavingsOpportunity.ranked`, as the JSON lists them);
/// - headline KPIs: effective cost for the window and per month (30.44 days), savings rate
///   against all On-Demand, commitment coverage and utilization, waste, and unit cost (USD
///   per 1,000 demand units);
/// - cost history: the bill's hourly effective cost added up per local day, per ISO week
///   (Monday to Sunday, local; the change from the week before between full weeks) and,
///   past 35 days, per calendar month; a variants scenario's unit cost per week;
/// - commitments: each one's utilization, cost, waste and net saving;
/// - effective cost by purchase option, with unused commitments (waste) apart;
/// - showback per service and per team, ranked, with unit cost (multi-service scenarios);
/// - cost vs demand delayed per variant (scenarios with several variants);
/// - the busiest day per variant or service: demand, instances in service, CPU and latency
///   (`RunReport+BusiestDay.swift`).
///
/// - daily cost stacked by service (services) and by purchase option, from the bill's
///   hourly figures (`FleetBill.hourlyServiceCosts`, `hourlyBreakdown`), which add up to the
///   JSON's showback and cost by purchase option;
/// - commitment coverage and utilization hour by hour.
///
/// Colours are Okabe-Ito, every mark is also labelled in text, every chart has a title,
/// an aria-label and a table with its figures. The markup is XHTML-compatible.
public enum RunReport {
  /// Days in an average month (365.25 / 12), for "per month" figures.
  public static let daysPerMonth = 30.44

  public static func html(_ result: ScenarioResult) -> String {
    let e = SVGChart.escape
    var out = HTMLPage.open(title: "capsim cost report: \(result.scenarioName)", extraCSS: css + busiestDayCSS)
    out += header(result)
    out += kpiSection(result)
    out += opportunitiesSection(result)
    out += historySection(result)
    out += optionSection(result)
    if result.accountBill != nil { out += showbackSection(result) }
    if result.variants.count > 1 || !result.services.isEmpty { out += comparisonSection(result) }
    out += busiestDaySection(result)
    out += DisruptionReport.section(result)
    out += InstanceTypeMixReport.section(result)
    out += coverageSection(result)
    out += commitmentsSection(result)
    out += "<footer>capsim run \(e(result.file)). Costs are effective (amortized): usage at its purchase option&#39;s rate "
    out += "plus commitment fees, waste included; the figures equal those of <code>capsim run --format json</code>. "
    out += "Hover a bar or point for its figures.</footer>\n"
    return HTMLPage.scrollingTables(out) + "</body>\n</html>\n"
  }

  /// Okabe-Ito colours, kept apart by text labels too (never colour alone).
  static let css = """
    .kpi .big{font-size:22px}.kpi{flex:1 1 200px}
    .chart .bar.o0{fill:#0072B2}.chart .bar.o1{fill:#E69F00}.chart .bar.o2{fill:#009E73}.chart .bar.o3{fill:#CC79A7}.chart .bar.o4{fill:#D55E00}
    .chart .bar.day{fill:#0072B2}.chart .bar.weekend{fill:#56B4E9}.chart .bar.month{fill:#009E73}
    .chart .dot{fill:#0072B2;stroke:#fff}.chart .dot.first{fill:#E69F00}
    .chart .bar.waste{fill:#D55E00;stroke:#1d2530;stroke-width:.5}
    .chart .stack{stroke:#fff;stroke-width:.6}.chart .stack.o0{fill:#0072B2}.chart .stack.o1{fill:#E69F00}.chart .stack.o2{fill:#009E73}.chart .stack.o3{fill:#CC79A7}.chart .stack.o4{fill:#56B4E9}.chart .stack.o5{fill:#F0E442}
    .chart .series{fill:none;stroke-width:1.5}.chart .coverage{stroke:#0072B2}.chart .utilization{stroke:#E69F00;stroke-dasharray:4 3}
    ul.legend{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px}
    .sw{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-1px;border:1px solid #1d2530}
    .sw.o0{background:#0072B2}.sw.o1{background:#E69F00}.sw.o2{background:#009E73}.sw.o3{background:#CC79A7}.sw.o4{background:#56B4E9}.sw.o5{background:#F0E442}
    .sw.waste{background:repeating-linear-gradient(45deg,#D55E00 0 3px,#fff 3px 5px)}
    @media print{.sw,.chart rect{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
    code{font-size:12px}td.policies{font-size:12px;min-width:220px}ol.opportunities li{margin:0 0 10px}th,td{overflow-wrap:normal}th.n,td.n,td:first-child{white-space:nowrap}
    @media (max-width:600px){.card.kpi{flex-basis:40%;padding:8px 10px}.kpi .big{font-size:18px}.chart text{font-size:16px}.chart .axis-title{font-size:16px}}

    """

  // MARK: Figures shared by the sections

  static func e(_ text: String) -> String { SVGChart.escape(text) }
  static func f(_ value: Double, _ decimals: Int) -> String { ComparisonReport.formatted(value, decimals: decimals) }
  static func n(_ value: Double) -> String { SVGChart.n(value) }
  static func usd(_ value: Double) -> String { ComparisonReport.grouped(value, decimals: 2) + " USD" }
  /// A share as the shortest percentage that reads back exactly: 0.001 -> "0.1%", 0 -> "0%".
  static func shortPercent(_ share: Double) -> String {
    let value = (share * 100 * 1e9).rounded() / 1e9
    return (value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)) + "%"
  }
  static func percent(_ share: Double?) -> String { share.map { f($0 * 100, 1) + "%" } ?? "—" }

  static func windowDays(_ r: ScenarioResult) -> Double { max(0, r.end.timeIntervalSince(r.start) / 86_400) }

  /// The bill the headline reads: the account's (services) or the first variant's.
  static func headline(_ r: ScenarioResult) -> (label: String, costUSD: Double, bill: FleetBill?, units: Double) {
    if let account = r.accountBill {
      return ("all services", account.effectiveCostUSD, account, r.services.reduce(0) { $0 + $1.statistics.demandUnits })
    }
    guard let first = r.variants.first else { return ("no variant", 0, nil, 0) }
    return (r.variants.count > 1 ? "variant " + first.name : first.name, first.costUSD, first.bill, first.statistics.demandUnits)
  }

  /// USD per 1,000 demand units; nil without demand.
  static func unitCost(_ costUSD: Double, units: Double) -> Double? { units > 0 ? costUSD / units * 1_000 : nil }
  static func unitText(_ value: Double?) -> String { value.map { f($0, 4) + " USD" } ?? "—" }

  /// Utilization of all commitments together, by money: 1 − waste ÷ their effective cost.
  static func utilization(_ bill: FleetBill) -> Double? {
    let committed = (bill.reservedInstances + bill.savingsPlans).reduce(0) { $0 + $1.effectiveCostUSD }
    return committed > 0 ? 1 - bill.wasteUSD / committed : nil
  }

  // MARK: Header and KPIs

  static func header(_ r: ScenarioResult) -> String {
    let zone = TimeZone(identifier: r.timeZone) ?? TimeZone(identifier: "UTC")!
    var out = "<header>\n<h1>Cost report: \(e(r.scenarioName))</h1>\n"
    if let description = r.scenarioDescription, !description.isEmpty { out += "<p>\(e(description))</p>\n" }
    out += "<p class=\"muted\">\(e(r.file)): \(e(r.demandSource)), \(e(ComparisonReport.dayString(r.start, zone: zone))) to "
    out += "\(e(ComparisonReport.dayString(r.end, zone: zone))) \(e(r.timeZone)) (\(f(windowDays(r), 1)) days), "
    out += "\(ComparisonReport.grouped(r.demandUnits)) demand units, \(e(r.region)), seed \(r.seed).</p>\n</header>\n"
    return out
  }

  static func card(_ id: String, _ title: String, _ big: String, _ detail: String) -> String {
    "<div class=\"card kpi\" id=\"\(id)\">\n<div class=\"muted\">\(title)</div>\n<div class=\"big\">\(big)</div>\n"
      + "<div class=\"muted\">\(detail)</div>\n</div>\n"
  }

  static func kpiSection(_ r: ScenarioResult) -> String {
    let h = headline(r)
    let days = windowDays(r)
    var out = "<section id=\"kpis\">\n<h2>Headline figures (\(e(h.label)))</h2>\n<div class=\"cards\">\n"
    out += card("kpi-cost", "Effective cost for the window", usd(h.costUSD), "\(f(days, 1)) days")
    let monthly = days > 0 ? h.costUSD / days * daysPerMonth : 0
    out += card("kpi-month", "Effective cost per month", usd(monthly), "window cost ÷ \(f(days, 1)) days × 30.44")
    if let bill = h.bill {
      out += card(
        "kpi-savings", "Savings rate against all On-Demand", percent(bill.effectiveSavingsRate),
        "all On-Demand would cost \(usd(bill.listCostUSD))")
      let none = bill.reservedInstances.isEmpty && bill.savingsPlans.isEmpty
      out += card(
        "kpi-coverage", "Commitment coverage", percent(bill.coverage.commitmentCoverage),
        none ? "no Reserved Instance or Savings Plan in this scenario" : "of On-Demand-eligible usage (on-demand equivalent)")
      out += card(
        "kpi-utilization", "Commitment utilization", percent(utilization(bill)),
        none ? "no commitments" : "1 − waste ÷ commitments&#39; effective cost")
      out += card("kpi-waste", "Waste (unused commitments)", usd(bill.wasteUSD), "paid, not used")
    }
    out += card(
      "kpi-unit", "Unit cost per 1,000 demand units", unitText(unitCost(h.costUSD, units: h.units)),
      "\(ComparisonReport.grouped(h.units)) units served or delayed")
    out += "</div>\n"
    if r.variants.count > 1 {
      out += "<p class=\"muted\">The headline reads the first variant; the policy comparison below has every variant.</p>\n"
    }
    return out + "</section>\n"
  }

  // MARK: Savings opportunities

  /// The ranked list (`SavingsOpportunity.ranked`, the JSON's `opportunities`): each item
  /// carries its figure as shown in `data-monthly-usd`, for tools and the browser check.
  static func opportunitiesSection(_ r: ScenarioResult) -> String {
    let list = SavingsOpportunity.ranked(r)
    var out = "<section id=\"opportunities\">\n<h2>Top savings opportunities, USD per month</h2>\n"
    out += "<p class=\"muted\">Only savings this run quantified: unused commitments (what their idle capacity costs; "
    out += "whether it can be recovered depends on the commitment), variants cheaper than the first that still meet the "
    out += "service level (at most \(shortPercent(r.maxDelayedShare)) of demand delayed, or no more than the first; and the "
    out += "latency objective where there is one), and commitments to buy: the advisor&#39;s exact portfolio on the window&#39;s On-Demand usage that "
    out += "the scenario&#39;s commitments leave uncovered (in hindsight, no forecast). Spot share and scaling settings "
    out += "come from <code>capsim recommend</code>. Each saving is against the run as it is, so they do not add up: "
    out += "a cheaper policy changes the usage commitments would cover (<code>capsim recommend</code> plans both together).</p>\n"
    if let advice = r.purchaseAdvice, advice.savingUSD <= 0 || advice.purchases.isEmpty {
      out += "<p class=\"muted\" id=\"no-purchase\">Commitments to buy: none would have saved money on the "
      out += "\(usd(advice.onDemandUSD)) of On-Demand usage the scenario&#39;s commitments leave uncovered in the window.</p>\n"
    }
    guard !list.isEmpty else {
      return out + "<p>None: no unused commitment, no cheaper variant that delays less and no commitment that would have "
        + "saved money.</p>\n</section>\n"
    }
    out += "<ol id=\"opportunity-list\" class=\"opportunities\">\n"
    for o in list {
      out += "<li data-kind=\"\(o.kind.rawValue)\" data-monthly-usd=\"\(o.monthlyUSDText)\"><strong class=\"title\">\(e(o.title))</strong>: "
      out += "<strong>\(ComparisonReport.grouped(o.monthlyUSD, decimals: 2)) USD per month</strong>"
      out += "<div class=\"muted\">\(e(o.evidence))</div><div><code>\(e(o.command))</code></div></li>\n"
    }
    return out + "</ol>\n</section>\n"
  }

  // MARK: Cost history

  /// The local calendar days (the scenario's time zone) the bill's hours fall in.
  struct Days {
    /// "yyyy-MM-dd" per day, in order.
    var labels: [String] = []
    var isWeekend: [Bool] = []
    /// For each hour of the bill, the index of its day.
    var dayOfHour: [Int] = []

    init(_ r: ScenarioResult, hourCount: Int) {
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: r.timeZone) ?? TimeZone(identifier: "UTC")!
      for h in 0..<hourCount {
        let c = calendar.dateComponents([.year, .month, .day, .weekday], from: r.start.addingTimeInterval(Double(h) * 3_600))
        let label = String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        if labels.last != label {
          labels.append(label)
          isWeekend.append(c.weekday == 1 || c.weekday == 7)
        }
        dayOfHour.append(labels.count - 1)
      }
    }

    /// `hourly` (one value per hour of the bill) added up per day.
    func sum(_ hourly: [Double]) -> [Double] {
      var out = [Double](repeating: 0, count: labels.count)
      for (h, value) in hourly.enumerated() where h < dayOfHour.count { out[dayOfHour[h]] += value }
      return out
    }
  }

  /// Hourly effective cost added up per local calendar day (the scenario's time zone): the
  /// day's "yyyy-MM-dd", whether it is a Saturday or Sunday, and its cost.
  static func dailyCosts(_ r: ScenarioResult, bill: FleetBill) -> [(day: String, isWeekend: Bool, costUSD: Double)] {
    let days = Days(r, hourCount: bill.hourlyEffectiveCostUSD.count)
    let costs = days.sum(bill.hourlyEffectiveCostUSD)
    return days.labels.indices.map { (days.labels[$0], days.isWeekend[$0], costs[$0]) }
  }

  /// The daily series of the stacked charts: per service (multi-service scenarios, the five
  /// most expensive and the rest together) with unused commitments on top, and per purchase
  /// option. Each adds up, day by day, to the daily effective cost.
  static func serviceSeries(_ account: FleetBill, days: Days) -> [(name: String, values: [Double])] {
    let hourly = Dictionary(account.hourlyServiceCosts.map { ($0.name, $0.usageCostUSD) }, uniquingKeysWith: { a, _ in a })
    let ranked = account.showback.services.map(\.name)
    var series: [(name: String, values: [Double])] = []
    let shown = ranked.count > 6 ? Array(ranked.prefix(5)) : ranked
    for name in shown { series.append((name, days.sum(hourly[name] ?? []))) }
    if shown.count < ranked.count {
      var rest = [Double](repeating: 0, count: days.labels.count)
      for name in ranked.dropFirst(shown.count) {
        for (i, v) in days.sum(hourly[name] ?? []).enumerated() { rest[i] += v }
      }
      series.append(("\(ranked.count - shown.count) other services", rest))
    }
    series.append(("Unused commitments (waste)", days.sum(account.hourlyBreakdown.map(\.wasteUSD))))
    return series
  }

  static func optionSeries(_ bill: FleetBill, days: Days) -> [(name: String, values: [Double])] {
    let b = bill.hourlyBreakdown
    var series = [
      ("On-Demand", days.sum(b.map(\.onDemandUSD))), ("Spot", days.sum(b.map(\.spotUSD))),
      ("Reserved Instances, used", days.sum(b.map(\.reservedInstanceUsedUSD))),
      ("Savings Plans, used", days.sum(b.map(\.savingsPlanUsedUSD))),
      ("Unused commitments (waste)", days.sum(b.map(\.wasteUSD))),
    ]
    // Only with a warm pool's stored instances, so other reports are unchanged.
    if bill.effective.ebsStorageUSD > 0 { series.append(("EBS storage (warm pool)", days.sum(b.map(\.ebsStorageUSD)))) }
    return series
  }

  static func historySection(_ r: ScenarioResult) -> String {
    let h = headline(r)
    guard let bill = h.bill, !bill.hourlyEffectiveCostUSD.isEmpty else {
      return "<section id=\"history\">\n<h2>Cost history</h2>\n<p>No hourly bill in this result.</p>\n</section>\n"
    }
    let days = dailyCosts(r, bill: bill)
    var out = "<section id=\"history\">\n<h2>Daily effective cost (\(e(h.label)))</h2>\n"
    out += "<p class=\"muted\">Each bar is one day in \(e(r.timeZone)), weekends lighter; the days add up to the effective cost "
    out += "\(usd(bill.effectiveCostUSD)).</p>\n"
    out += bars(
      days.map { ($0.day, $0.costUSD, $0.isWeekend ? "bar weekend" : "bar day") },
      label: "Daily effective cost, USD per day", yTitle: "USD per day", every: max(1, days.count / 8))
    let calendarDays = Days(r, hourCount: bill.hourlyEffectiveCostUSD.count)
    if let account = r.accountBill {
      out += "<h3>Daily effective cost by service</h3>\n"
      out += "<p class=\"muted\">Each service&#39;s usage at its purchase option&#39;s rate (covered usage at the commitment&#39;s "
      out += "amortized rate); unused commitments, charged to no service, on top.</p>\n"
      out += stackedSection(
        serviceSeries(account, days: calendarDays), days: calendarDays, id: "daily-services",
        label: "Daily effective cost stacked by service, USD per day")
    }
    out += "<h3>Daily effective cost by purchase option</h3>\n"
    let options = optionSeries(bill, days: calendarDays).filter { $0.values.contains { $0 > 0 } }
    if options.count == 1 {
      // One option would only redraw the chart above.
      out += "<p id=\"daily-options\">All of it is \(e(options[0].name)): the daily chart above is this breakdown.</p>\n"
    } else {
      out += stackedSection(
        options, days: calendarDays, id: "daily-options", label: "Daily effective cost stacked by purchase option, USD per day")
    }
    // ISO weeks, Monday to Sunday in the scenario's time zone; the first and last may be partial.
    let weeks = calendarWeeks(r, days: calendarDays)
    let weekCosts = weekly(bill.hourlyEffectiveCostUSD, weeks)
    out += "<h3>Week over week: ISO weeks, Monday to Sunday</h3>\n"
    let full = weeks.indices.filter { weeks[$0].isFull }
    if full.count >= 2, weekCosts[full[full.count - 2]] > 0 {
      let (before, last) = (full[full.count - 2], full[full.count - 1])
      out += "<p>Last full week (\(weeks[last].label)): \(usd(weekCosts[last])), "
      out += "\(ComparisonReport.signed((weekCosts[last] / weekCosts[before] - 1) * 100, decimals: 1))% against "
      out += "\(last == before + 1 ? "the week before" : "the full week " + weeks[before].isoWeek) (\(usd(weekCosts[before]))).</p>\n"
    }
    if weeks.contains(where: { !$0.isFull }) {
      out += "<p class=\"muted\">Partial weeks (the window does not cover all seven days) show their day count and no change.</p>\n"
    }
    if weeks.count > 8 { out += "<details><summary>All \(weeks.count) weeks</summary>\n" }
    out += "<table id=\"weeks\">\n<tr><th>week</th><th class=\"n\">days</th><th class=\"n\">effective<br/>cost USD</th>"
    out += "<th class=\"n\">change vs<br/>the week before</th></tr>\n"
    for (i, week) in weeks.enumerated() {
      var change = "—"
      if i > 0, week.isFull, weeks[i - 1].isFull, weekCosts[i - 1] > 0 {
        change = ComparisonReport.signed((weekCosts[i] / weekCosts[i - 1] - 1) * 100, decimals: 1) + "%"
      }
      out += "<tr>\(week.cell)<td class=\"n\">\(week.days)</td>"
      out += "<td class=\"n\">\(ComparisonReport.grouped(weekCosts[i], decimals: 2))</td><td class=\"n\">\(change)</td></tr>\n"
    }
    out += "</table>\n"
    if weeks.count > 8 { out += "</details>\n" }
    out += variantUnitCostSection(r)
    if windowDays(r) > 35 {
      var months: [(month: String, days: Int, costUSD: Double)] = []
      for day in days {
        let month = String(day.day.prefix(7))
        if months.last?.month == month {
          months[months.count - 1].days += 1
          months[months.count - 1].costUSD += day.costUSD
        } else {
          months.append((month, 1, day.costUSD))
        }
      }
      out += "<h3>Effective cost per calendar month</h3>\n"
      out += bars(months.map { ($0.month, $0.costUSD, "bar month") }, label: "Effective cost per calendar month, USD", yTitle: "USD per month", every: 1)
      out += "<table id=\"months\">\n<tr><th>month</th><th class=\"n\">days billed</th><th class=\"n\">effective cost USD</th></tr>\n"
      for m in months {
        out += "<tr><td>\(m.month)</td><td class=\"n\">\(m.days)</td><td class=\"n\">\(ComparisonReport.grouped(m.costUSD, decimals: 2))</td></tr>\n"
      }
      out += "</table>\n"
    }
    out += "<details><summary>Daily figures</summary>\n<table id=\"days\">\n<tr><th>day</th><th class=\"n\">effective cost USD</th></tr>\n"
    for day in days {
      out += "<tr><td>\(day.day)\(day.isWeekend ? " (weekend)" : "")</td><td class=\"n\">\(ComparisonReport.grouped(day.costUSD, decimals: 2))</td></tr>\n"
    }
    return out + "</table>\n</details>\n</section>\n"
  }

  /// Vertical bars, one per category, labelled every `every` categories on the x axis.
  static func bars(_ items: [(label: String, value: Double, cls: String)], label: String, yTitle: String, every: Int) -> String {
    let frame = SVGChart.Frame(width: 720, height: 300, left: 74, right: 16, top: 16, bottom: 46)
    let axis = SVGChart.Axis(items.map(\.value), including: [0])
    var out = frame.open(label: label)
    out += "<g class=\"axes\">\n"
    for t in axis.ticks {
      let py = n(axis.position(t, from: frame.plotBottom, to: frame.plotTop))
      out += "<line class=\"grid\" x1=\"\(n(frame.plotLeft))\" y1=\"\(py)\" x2=\"\(n(frame.plotRight))\" y2=\"\(py)\"/>"
      out += "<text class=\"tick\" x=\"\(n(frame.plotLeft - 6))\" y=\"\(py)\" dy=\"0.32em\" text-anchor=\"end\">"
      out += "\(ComparisonReport.grouped(t, decimals: axis.decimals))</text>\n"
    }
    let cy = (frame.plotTop + frame.plotBottom) / 2
    out += "<text class=\"axis-title\" x=\"14\" y=\"\(n(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(n(cy)))\">\(e(yTitle))</text>\n"
    out += "</g>\n"
    let slot = (frame.plotRight - frame.plotLeft) / Double(max(1, items.count))
    let zero = axis.position(0, from: frame.plotBottom, to: frame.plotTop)
    for (i, item) in items.enumerated() {
      let x = frame.plotLeft + slot * Double(i)
      let top = axis.position(item.value, from: frame.plotBottom, to: frame.plotTop)
      out += "<rect class=\"\(item.cls)\" x=\"\(n(x + slot * 0.12))\" y=\"\(n(min(top, zero)))\" width=\"\(n(slot * 0.76))\" "
      out += "height=\"\(n(abs(zero - top)))\"><title>\(e(item.label)): \(usd(item.value))</title></rect>\n"
      if i % every == 0 {
        out += "<text class=\"tick\" x=\"\(n(x + slot / 2))\" y=\"\(n(frame.plotBottom + 16))\" text-anchor=\"middle\">"
        out += "\(e(item.label.count == 10 ? String(item.label.dropFirst(5)) : item.label))</text>\n"
      }
    }
    out += "<line class=\"zero\" x1=\"\(n(frame.plotLeft))\" y1=\"\(n(zero))\" x2=\"\(n(frame.plotRight))\" y2=\"\(n(zero))\"/>\n"
    out += "<text class=\"axis-title\" x=\"\(n((frame.plotLeft + frame.plotRight) / 2))\" y=\"\(n(frame.height - 8))\" "
    out += "text-anchor=\"middle\">\(items.first.map { e($0.label) } ?? "") to \(items.last.map { e($0.label) } ?? "")</text>\n"
    return out + "</svg>\n"
  }

  /// Horizontal bars from zero, each row's name and value written beside it.
  static func horizontalBars(_ rows: [(name: String, value: Double, text: String, cls: String)], label: String, xTitle: String) -> String {
    let rowHeight = 34.0
    var frame = SVGChart.Frame(width: 720, height: 0, left: 20, right: 150, top: 8, bottom: 44)
    frame.height = frame.top + frame.bottom + rowHeight * Double(max(1, rows.count))
    let axis = SVGChart.Axis(rows.map(\.value), including: [0])
    func x(_ v: Double) -> Double { axis.position(v, from: frame.plotLeft, to: frame.plotRight) }
    var out = frame.open(label: label)
    out += frame.axes(x: axis, xTitle: xTitle, y: nil, yTitle: "")
    let zero = x(0)
    for (i, row) in rows.enumerated() {
      let top = frame.plotTop + rowHeight * Double(i)
      let end = x(row.value)
      out += "<text class=\"label\" x=\"\(n(frame.plotLeft + 4))\" y=\"\(n(top + 13))\">\(e(row.name))</text>"
      out += "<rect class=\"\(row.cls)\" x=\"\(n(min(zero, end)))\" y=\"\(n(top + 17))\" width=\"\(n(abs(end - zero)))\" height=\"13\">"
      out += "<title>\(e(row.name)): \(e(row.text))</title></rect>"
      out += "<text x=\"\(n(max(zero, end) + 4))\" y=\"\(n(top + 23.5))\" dy=\"0.32em\">\(e(row.text))</text>\n"
    }
    out += "<line class=\"zero\" x1=\"\(n(zero))\" y1=\"\(n(frame.plotTop))\" x2=\"\(n(zero))\" y2=\"\(n(frame.plotBottom))\"/>\n"
    return out + "</svg>\n"
  }

  /// A legend, stacked daily bars (series bottom to top, in legend order) and the daily
  /// figures in a folded table.
  static func stackedSection(_ series: [(name: String, values: [Double])], days: Days, id: String, label: String) -> String {
    func cls(_ i: Int, _ name: String) -> String { name.hasPrefix("Unused commitments") ? "waste" : "o\(i % 6)" }
    var out = "<ul class=\"legend\">"
    for (i, s) in series.enumerated() { out += "<li><span class=\"sw \(cls(i, s.name))\"></span>\(e(s.name))</li>" }
    out += "</ul>\n"
    let count = days.labels.count
    var totals = [Double](repeating: 0, count: count)
    for s in series { for d in 0..<count { totals[d] += max(0, s.values[d]) } }
    let frame = SVGChart.Frame(width: 720, height: 300, left: 74, right: 16, top: 16, bottom: 46)
    let axis = SVGChart.Axis(totals, including: [0])
    out += frame.open(label: label)
    out += "<defs><pattern id=\"hatch-\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
    out += "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#D55E00\"/>"
    out += "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#fff\" stroke-width=\"3\"/></pattern></defs>\n"
    out += yAxis(axis, frame: frame, title: "USD per day")
    let slot = (frame.plotRight - frame.plotLeft) / Double(max(1, count))
    let every = max(1, count / 8)
    for d in 0..<count {
      let x = frame.plotLeft + slot * Double(d)
      var base = 0.0
      for (i, s) in series.enumerated() where s.values[d] > 0 {
        let y0 = axis.position(base, from: frame.plotBottom, to: frame.plotTop)
        base += s.values[d]
        let y1 = axis.position(base, from: frame.plotBottom, to: frame.plotTop)
        let c = cls(i, s.name)
        out += "<rect class=\"stack \(c)\"\(c == "waste" ? " fill=\"url(#hatch-\(id))\"" : "") x=\"\(n(x + slot * 0.12))\" "
        out += "y=\"\(n(y1))\" width=\"\(n(slot * 0.76))\" height=\"\(n(y0 - y1))\">"
        out += "<title>\(days.labels[d]) \(e(s.name)): \(usd(s.values[d]))</title></rect>"
      }
      out += "\n"
      if d % every == 0 {
        out += "<text class=\"tick\" x=\"\(n(x + slot / 2))\" y=\"\(n(frame.plotBottom + 16))\" text-anchor=\"middle\">"
        out += "\(days.labels[d].dropFirst(5))</text>\n"
      }
    }
    out += "<text class=\"axis-title\" x=\"\(n((frame.plotLeft + frame.plotRight) / 2))\" y=\"\(n(frame.height - 8))\" "
    out += "text-anchor=\"middle\">\(days.labels.first ?? "") to \(days.labels.last ?? "")</text>\n</svg>\n"
    out += "<details><summary>Daily figures</summary>\n<table id=\"\(id)\">\n<tr><th>day</th>"
    for s in series { out += "<th class=\"n\">\(e(s.name)) USD</th>" }
    out += "<th class=\"n\">total USD</th></tr>\n"
    for d in 0..<count {
      out += "<tr><td>\(days.labels[d])</td>"
      for s in series { out += "<td class=\"n\">\(ComparisonReport.grouped(s.values[d], decimals: 2))</td>" }
      out += "<td class=\"n\">\(ComparisonReport.grouped(totals[d], decimals: 2))</td></tr>\n"
    }
    return out + "</table>\n</details>\n"
  }

  /// Grid lines, tick labels (thousands separated) and the title of a value axis.
  static func yAxis(_ axis: SVGChart.Axis, frame: SVGChart.Frame, title: String, suffix: String = "") -> String {
    var out = "<g class=\"axes\">\n"
    for t in axis.ticks {
      let py = n(axis.position(t, from: frame.plotBottom, to: frame.plotTop))
      out += "<line class=\"grid\" x1=\"\(n(frame.plotLeft))\" y1=\"\(py)\" x2=\"\(n(frame.plotRight))\" y2=\"\(py)\"/>"
      out += "<text class=\"tick\" x=\"\(n(frame.plotLeft - 6))\" y=\"\(py)\" dy=\"0.32em\" text-anchor=\"end\">"
      out += "\(ComparisonReport.grouped(t, decimals: axis.decimals))\(suffix)</text>\n"
    }
    let cy = (frame.plotTop + frame.plotBottom) / 2
    out += "<text class=\"axis-title\" x=\"14\" y=\"\(n(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(n(cy)))\">\(e(title))</text>\n"
    return out + "</g>\n"
  }

  // MARK: Coverage over time

  /// Hourly commitment coverage and utilization as two lines (gaps where an hour has no
  /// eligible usage or no active commitment), and the daily figures behind them.
  static func coverageSection(_ r: ScenarioResult) -> String {
    let h = headline(r)
    guard let bill = h.bill, !(bill.reservedInstances.isEmpty && bill.savingsPlans.isEmpty) else { return "" }
    let hours = bill.hourlyBreakdown
    var out = "<section id=\"coverage\">\n<h2>Commitment coverage and utilization, hour by hour (\(e(h.label)))</h2>\n"
    out += "<p class=\"muted\">Coverage: the On-Demand value of the usage commitments covered ÷ that of all On-Demand-option usage. "
    out += "Utilization: commitment cost used ÷ commitment cost paid. Over the window: coverage \(percent(bill.coverage.commitmentCoverage)), "
    out += "utilization \(percent(utilization(bill))).</p>\n"
    out += "<ul class=\"legend\"><li><span class=\"sw o0\"></span>coverage (solid)</li><li><span class=\"sw o1\"></span>utilization (dashed)</li></ul>\n"
    let frame = SVGChart.Frame(width: 720, height: 240, left: 74, right: 16, top: 16, bottom: 46)
    let axis = SVGChart.Axis([0, 100], padding: 0, targetTicks: 4)
    out += frame.open(label: "Hourly commitment coverage and utilization, percent")
    out += yAxis(axis, frame: frame, title: "percent", suffix: "%")
    func line(_ values: [Double?], cls: String) -> String {
      var d = ""
      var drawing = false
      for (i, value) in values.enumerated() {
        guard let value else {
          drawing = false
          continue
        }
        let x = frame.plotLeft + (frame.plotRight - frame.plotLeft) * (Double(i) + 0.5) / Double(max(1, values.count))
        d += "\(drawing ? "L" : "M")\(n(x)) \(n(axis.position(value * 100, from: frame.plotBottom, to: frame.plotTop)))"
        drawing = true
      }
      return "<path class=\"\(cls)\" d=\"\(d)\"/>\n"
    }
    out += line(hours.map(\.commitmentCoverage), cls: "series coverage")
    out += line(hours.map(\.commitmentUtilization), cls: "series utilization")
    let days = Days(r, hourCount: hours.count)
    let every = max(1, days.labels.count / 8)
    for d in stride(from: 0, to: days.labels.count, by: every) {
      guard let first = days.dayOfHour.firstIndex(of: d) else { continue }
      let x = frame.plotLeft + (frame.plotRight - frame.plotLeft) * Double(first) / Double(max(1, hours.count))
      out += "<text class=\"tick\" x=\"\(n(x))\" y=\"\(n(frame.plotBottom + 16))\" text-anchor=\"start\">\(days.labels[d].dropFirst(5))</text>\n"
    }
    out += "<text class=\"axis-title\" x=\"\(n((frame.plotLeft + frame.plotRight) / 2))\" y=\"\(n(frame.height - 8))\" "
    out += "text-anchor=\"middle\">hours from \(days.labels.first ?? "") to \(days.labels.last ?? "")</text>\n</svg>\n"
    let covered = days.sum(hours.map(\.coveredOnDemandEquivalentUSD)), eligible = days.sum(hours.map(\.eligibleOnDemandEquivalentUSD))
    let used = days.sum(hours.map(\.commitmentsUsedUSD)), waste = days.sum(hours.map(\.wasteUSD))
    out += "<details><summary>Daily figures</summary>\n<table id=\"coverage-days\">\n<tr><th>day</th><th class=\"n\">coverage</th>"
    out += "<th class=\"n\">utilization</th><th class=\"n\">waste USD</th></tr>\n"
    for d in days.labels.indices {
      out += "<tr><td>\(days.labels[d])</td><td class=\"n\">\(percent(eligible[d] > 0 ? covered[d] / eligible[d] : nil))</td>"
      out += "<td class=\"n\">\(percent(used[d] + waste[d] > 0 ? used[d] / (used[d] + waste[d]) : nil))</td>"
      out += "<td class=\"n\">\(ComparisonReport.grouped(waste[d], decimals: 2))</td></tr>\n"
    }
    return out + "</table>\n</details>\n</section>\n"
  }

  // MARK: Purchase options

  static func optionSection(_ r: ScenarioResult) -> String {
    let h = headline(r)
    guard let bill = h.bill else { return "" }
    let riWaste = bill.reservedInstances.reduce(0) { $0 + $1.wasteUSD }
    let spWaste = bill.savingsPlans.reduce(0) { $0 + $1.wasteUSD }
    let c = bill.effective
    var rows: [(String, Double, String)] = [
      ("On-Demand", c.onDemandUSD, "bar o0"), ("Spot", c.spotUSD, "bar o1"),
      ("Reserved Instances, used", c.reservedInstanceUSD - riWaste, "bar o2"),
      ("Savings Plans, used", c.savingsPlanUSD - spWaste, "bar o3"), ("Waste (unused commitments)", bill.wasteUSD, "bar waste"),
    ]
    if c.ebsStorageUSD > 0 { rows.append(("EBS storage (warm pool)", c.ebsStorageUSD, "bar o4")) }
    let total = bill.effectiveCostUSD
    func share(_ v: Double) -> String { total > 0 ? f(v / total * 100, 1) + "%" : "—" }
    var out = "<section id=\"options\">\n<h2>Effective cost by purchase option (\(e(h.label)))</h2>\n"
    out += horizontalBars(
      rows.filter { $0.1 != 0 }.map { ($0.0, $0.1, "\(ComparisonReport.grouped($0.1, decimals: 2)) USD, \(share($0.1))", $0.2) },
      label: "Effective cost by purchase option for the window, USD", xTitle: "effective cost for the window (USD)")
    out += "<table id=\"option-table\">\n<tr><th>purchase option</th><th class=\"n\">effective cost USD</th><th class=\"n\">share</th></tr>\n"
    for row in rows {
      out += "<tr><td>\(row.0)</td><td class=\"n\">\(ComparisonReport.grouped(row.1, decimals: 2))</td><td class=\"n\">\(share(row.1))</td></tr>\n"
    }
    out += "<tr><td><strong>total</strong></td><td class=\"n\"><strong>\(ComparisonReport.grouped(total, decimals: 2))</strong></td><td class=\"n\">100.0%</td></tr>\n"
    return out + "</table>\n</section>\n"
  }

  // MARK: Showback

  static func showbackSection(_ r: ScenarioResult) -> String {
    guard let account = r.accountBill else { return "" }
    let total = account.effectiveCostUSD
    let unitsByService = Dictionary(r.services.map { ($0.name, $0.statistics.demandUnits) }, uniquingKeysWith: +)
    var unitsByTeam: [String: Double] = [:]
    for row in account.showback.services { unitsByTeam[row.team, default: 0] += unitsByService[row.name] ?? 0 }
    var out = "<section id=\"showback\">\n<h2>Showback: effective cost per service and per team</h2>\n"
    out += "<p class=\"muted\">Most expensive first. Shared commitments are charged to the usage they covered, "
    out += account.showback.wasteAttribution == .coveredUsageShare
      ? "and unused commitments in proportion to that usage; "
      : "unused commitments (waste) to no service (below); "
    out += "unit cost is the row&#39;s cost per 1,000 of its services&#39; demand units.</p>\n"
    let trends = unitCostTrends(r)
    var trendByName: [String: String] = [:]
    for (title, rows) in [("service", trends?.services ?? []), ("team", trends?.teams ?? [])] {
      for row in rows { trendByName[title + "/" + row.name] = unitCostTrendCell(row, weeks: trends?.weeks ?? []) }
    }
    for (title, id, rows, units) in [
      ("service", "showback-services", account.showback.services, unitsByService),
      ("team", "showback-teams", account.showback.teams, unitsByTeam),
    ] {
      out += "<h3>By \(title)</h3>\n"
      out += horizontalBars(
        rows.enumerated().map { i, row in
          (row.name, row.effectiveCostUSD,
           "\(ComparisonReport.grouped(row.effectiveCostUSD, decimals: 2)) USD, \(percent(total > 0 ? row.effectiveCostUSD / total : nil))",
           "bar o\(i % 4)")
        },
        label: "Effective cost per \(title) for the window, USD", xTitle: "effective cost for the window (USD)")
      out += "<table id=\"\(id)\">\n<tr><th>\(title)</th>\(title == "service" ? "<th>team</th>" : "")<th class=\"n\">effective<br/>cost USD</th>"
      out += "<th class=\"n\">share</th><th class=\"n\">per month<br/>USD</th><th class=\"n\">all On-Demand<br/>USD</th>"
      out += "<th class=\"n\">commitment<br/>benefit USD</th><th class=\"n\">waste<br/>charged USD</th><th class=\"n\">demand<br/>units</th>"
      out += "<th class=\"n\">USD per<br/>1,000 units</th><th class=\"n\">unit cost<br/>trend</th></tr>\n"
      let days = windowDays(r)
      for row in rows {
        let u = units[row.name] ?? 0
        out += "<tr><td>\(e(row.name))</td>\(title == "service" ? "<td>\(e(row.team))</td>" : "")"
        out += "<td class=\"n\">\(ComparisonReport.grouped(row.effectiveCostUSD, decimals: 2))</td>"
        out += "<td class=\"n\">\(percent(total > 0 ? row.effectiveCostUSD / total : nil))</td>"
        out += "<td class=\"n\">\(ComparisonReport.grouped(days > 0 ? row.effectiveCostUSD / days * daysPerMonth : 0, decimals: 2))</td>"
        out += "<td class=\"n\">\(ComparisonReport.grouped(row.listCostUSD, decimals: 2))</td>"
        out += "<td class=\"n\">\(ComparisonReport.grouped(row.commitmentBenefitUSD, decimals: 2))</td>"
        out += "<td class=\"n\">\(ComparisonReport.grouped(row.allocatedWasteUSD, decimals: 2))</td>"
        out += "<td class=\"n\">\(ComparisonReport.grouped(u))</td><td class=\"n\">\(unitCost(row.effectiveCostUSD, units: u).map { f($0, 4) } ?? "—")</td>"
        out += "\(trendByName[title + "/" + row.name] ?? "<td class=\"n\">—</td>")</tr>\n"
      }
      out += "</table>\n"
    }
    if let trends, let from = trends.weeks.firstIndex(where: \.isFull), let to = trends.weeks.lastIndex(where: \.isFull), from < to {
      out += "<p class=\"muted\">Unit cost trend: the change of USD per 1,000 units from the first full ISO week "
      out += "(\(trends.weeks[from].isoWeek)) to the last (\(trends.weeks[to].isoWeek)), counting both; week by week below.</p>\n"
    }
    if account.showback.unallocatedCommitmentUSD > 0 {
      out += "<p>Unused commitments charged to no service: \(usd(account.showback.unallocatedCommitmentUSD)).</p>\n"
    }
    if let trends { out += unitCostTrendSection(r, trends) }
    return out + "</section>\n"
  }

  // MARK: Policy comparison

  /// Variants: each policy against the others on the same demand. Services: each
  /// service's policy with its cost and what it delayed (different demands, so a map of
  /// where cost and delay are, not a ranking).
  static func comparisonSection(_ r: ScenarioResult) -> String {
    let isServices = r.variants.isEmpty
    let variants = isServices ? r.services : r.variants
    let noun = isServices ? "service" : "variant"
    var out = "<section id=\"comparison\">\n"
    if isServices {
      out += "<h2>Policies per service: effective cost vs demand delayed</h2>\n"
      out += "<p class=\"muted\">Each point is one service under its scaling policy (its showback cost); services serve different "
      out += "demand, so compare each with its own objective. <code>capsim recommend</code> searches each service&#39;s policy.</p>\n"
    } else {
      out += "<h2>Policy comparison: effective cost vs demand delayed, per variant</h2>\n"
      out += "<p class=\"muted\">Lower left is better: cheaper and fewer delayed demand units. Each point is labelled with its variant.</p>\n"
    }
    let frame = SVGChart.Frame(width: 720, height: 340, left: 74, right: 24)
    let xAxis = SVGChart.Axis(variants.map(\.costUSD))
    let yAxis = SVGChart.Axis(variants.map { $0.statistics.delayedShare * 100 }, including: [0])
    out += frame.open(label: "Effective cost vs demand delayed per \(noun)")
    out += frame.axes(x: xAxis, xTitle: "effective cost for the window (USD)", y: yAxis, yTitle: "demand delayed (%)")
    var placed: [(left: Double, y: Double, width: Double)] = []
    for (i, v) in variants.enumerated() {
      let x = xAxis.position(v.costUSD, from: frame.plotLeft, to: frame.plotRight)
      let y = yAxis.position(v.statistics.delayedShare * 100, from: frame.plotBottom, to: frame.plotTop)
      let tip = "\(v.name): \(usd(v.costUSD)), \(f(v.statistics.delayedShare * 100, 3))% delayed"
      out += "<circle class=\"dot\(i == 0 && !isServices ? " first" : "")\" cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"6\"><title>\(e(tip))</title></circle>"
      // Labels beside their point, moved down past labels already placed (about 6.5 px per character).
      let anchor = x > (frame.plotLeft + frame.plotRight) / 2 ? "end" : "start"
      let width = Double(v.name.count) * 6.5
      let left = anchor == "end" ? x - 9 - width : x + 9
      var labelY = y - 8
      while placed.contains(where: { abs($0.y - labelY) < 12 && $0.left < left + width && left < $0.left + $0.width }) {
        labelY += 13
      }
      placed.append((left, labelY, width))
      out += "<text class=\"label\" x=\"\(n(anchor == "end" ? x - 9 : x + 9))\" y=\"\(n(labelY))\" text-anchor=\"\(anchor)\">\(e(v.name))</text>\n"
    }
    out += "</svg>\n"
    out += "<table id=\"variants\">\n<tr><th>\(noun)</th><th>policies</th><th class=\"n\">effective cost USD</th>"
    out += isServices ? "" : "<th class=\"n\">vs first</th>"
    out += "<th class=\"n\">per month USD</th><th class=\"n\">USD per 1,000 units</th><th class=\"n\">instance-hours</th>"
    out += "<th class=\"n\">demand delayed</th><th class=\"n\">peak instances</th><th class=\"n\">mean CPU</th></tr>\n"
    let first = variants.first?.costUSD ?? 0
    let days = windowDays(r)
    for (i, v) in variants.enumerated() {
      let s = v.statistics
      out += "<tr\(i == 0 && !isServices ? " class=\"ours\"" : "")><td>\(e(v.name))</td>"
      out += "<td class=\"policies\">\(v.policySummaries.map(e).joined(separator: "<br/>"))</td>"
      out += "<td class=\"n\">\(ComparisonReport.grouped(v.costUSD, decimals: 2))</td>"
      if !isServices {
        out += "<td class=\"n\">\(i == 0 || first <= 0 ? "—" : ComparisonReport.signed((v.costUSD - first) / first * 100, decimals: 1) + "%")</td>"
      }
      out += "<td class=\"n\">\(ComparisonReport.grouped(days > 0 ? v.costUSD / days * daysPerMonth : 0, decimals: 2))</td>"
      out += "<td class=\"n\">\(unitCost(v.costUSD, units: s.demandUnits).map { f($0, 4) } ?? "—")</td>"
      out += "<td class=\"n\">\(ComparisonReport.grouped(v.billedInstanceHours, decimals: 1))</td>"
      out += "<td class=\"n\">\(f(s.delayedShare * 100, 3))%</td><td class=\"n\">\(s.peakInstances)</td>"
      out += "<td class=\"n\">\(f(s.meanCPUUtilization, 1))%</td></tr>\n"
    }
    return out + "</table>\n</section>\n"
  }

  // MARK: Commitments

  static func commitmentsSection(_ r: ScenarioResult) -> String {
    let h = headline(r)
    guard let bill = h.bill else { return "" }
    let reports = bill.reservedInstances + bill.savingsPlans
    guard !reports.isEmpty else { return "" }
    var out = "<section id=\"commitments\">\n<h2>Commitments: utilization and waste (\(e(h.label)))</h2>\n"
    out += "<table id=\"commitment-table\">\n<tr><th>commitment</th><th>type</th><th class=\"n\">utilization</th>"
    out += "<th class=\"n\">effective cost USD</th><th class=\"n\">waste USD</th><th class=\"n\">net saving USD</th><th>what</th></tr>\n"
    for c in reports {
      out += "<tr><td>\(e(c.id))</td><td>\(e(c.kind.rawValue))</td><td class=\"n\">\(percent(c.utilization))</td>"
      out += "<td class=\"n\">\(ComparisonReport.grouped(c.effectiveCostUSD, decimals: 2))</td>"
      out += "<td class=\"n\">\(ComparisonReport.grouped(c.wasteUSD, decimals: 2))</td>"
      out += "<td class=\"n\">\(ComparisonReport.grouped(c.netSavingsUSD, decimals: 2))</td><td>\(e(c.summary))</td></tr>\n"
    }
    return out + "</table>\n</section>\n"
  }
}
