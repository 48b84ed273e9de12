import Foundation
import Results
import Scenario
import Testing

@testable import Reporting

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `capsim run --format html`: the cost report's figures are the JSON's, and the page is
/// well-formed, deterministic and escaped.
@Suite struct RunReportTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func run(_ name: String) throws -> ScenarioResult {
    let definition = try ScenarioDefinition.load(path: root.appendingPathComponent("scenarios/\(name)").path)
    return try ScenarioRunner.run(try ScenarioRunner.prepare(definition), advisesPurchase: true)
  }

  static let teams: Result<ScenarioResult, any Error> = Result { try run("food-delivery-teams.yaml") }

  /// The markup from `id="<id>"` to the end of its element's first 600 characters.
  static func fragment(_ page: String, id: String) throws -> Substring {
    let start = try #require(page.range(of: "id=\"\(id)\""))
    return page[start.lowerBound...].prefix(600)
  }

  static func number(_ object: Any?, _ path: String...) throws -> Double {
    var value = object
    for key in path { value = (value as? [String: Any])?[key] }
    return try #require(value as? Double ?? (value as? Int).map(Double.init))
  }

  @Test func `the food-delivery-teams page shows the JSON's cost, savings, coverage, waste and showback`() throws {
    let result = try Self.teams.get()
    let page = RunReport.html(result)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(ComparisonReport.json(result).utf8)) as? [String: Any])
    let account = json["account"]
    let cost = try Self.number(account, "effectiveCostUSD")
    #expect(try Self.fragment(page, id: "kpi-cost").contains(ComparisonReport.grouped(cost, decimals: 2) + " USD"))
    let days = result.end.timeIntervalSince(result.start) / 86_400
    #expect(
      try Self.fragment(page, id: "kpi-month").contains(
        ComparisonReport.grouped(cost / days * 30.44, decimals: 2) + " USD"))
    let savings = try Self.number(account, "effectiveSavingsRatePercent")
    #expect(try Self.fragment(page, id: "kpi-savings").contains(ComparisonReport.formatted(savings, decimals: 1) + "%"))
    let coverage = try Self.number(account, "coverage", "commitmentPercent")
    #expect(try Self.fragment(page, id: "kpi-coverage").contains(ComparisonReport.formatted(coverage, decimals: 1) + "%"))
    let waste = try Self.number(account, "wasteUSD")
    #expect(waste > 0)
    #expect(try Self.fragment(page, id: "kpi-waste").contains(ComparisonReport.grouped(waste, decimals: 2) + " USD"))

    // Showback: every service's cost and its unit cost per 1,000 of its demand units.
    let showback = try #require((account as? [String: Any])?["showback"] as? [String: Any])
    let services = try #require(showback["services"] as? [[String: Any]])
    let fleets = try #require(json["services"] as? [[String: Any]])
    let tableStart = try #require(page.range(of: "id=\"showback-services\""))
    let table = page[tableStart.lowerBound...].prefix(6_000)
    #expect(services.count == 3)
    for row in services {
      let name = try #require(row["name"] as? String)
      let rowCost = try Self.number(row, "effectiveCostUSD")
      let units = try Self.number(try #require(fleets.first { $0["name"] as? String == name }), "demandUnits")
      #expect(table.contains("<td>\(name)</td>"))
      #expect(table.contains(ComparisonReport.grouped(rowCost, decimals: 2)))
      #expect(table.contains(ComparisonReport.formatted(rowCost / units * 1_000, decimals: 4)), "unit cost of \(name)")
    }
    // The daily history adds up to the effective cost.
    let daily = RunReport.dailyCosts(result, bill: try #require(result.accountBill))
    #expect(daily.count == 28)
    #expect(abs(daily.reduce(0) { $0 + $1.costUSD } - cost) < 1e-4)
  }

  @Test func `the stacked daily charts and the coverage strip add up to the JSON's showback, purchase options and coverage`() throws {
    let result = try Self.teams.get()
    let bill = try #require(result.accountBill)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(ComparisonReport.json(result).utf8)) as? [String: Any])
    let account = json["account"]
    let days = RunReport.Days(result, hourCount: bill.hourCount)
    // By service: each series' days add up to the service's showback cost (waste unallocated).
    let services = try #require(((account as? [String: Any])?["showback"] as? [String: Any])?["services"] as? [[String: Any]])
    let series = RunReport.serviceSeries(bill, days: days)
    for row in services {
      let name = try #require(row["name"] as? String)
      let drawn = try #require(series.first { $0.name == name }).values.reduce(0, +)
      #expect(abs(drawn - (try Self.number(row, "effectiveCostUSD"))) < 1e-4, "\(name)")
    }
    let waste = try #require(series.last).values.reduce(0, +)
    #expect(abs(waste - (try Self.number(account, "wasteUSD"))) < 1e-4)
    // By purchase option: On-Demand, Spot, and commitments used + waste = RI + SP effective.
    let options = RunReport.optionSeries(bill, days: days).map { $0.values.reduce(0, +) }
    #expect(abs(options[0] - (try Self.number(account, "effectiveByPurchaseOption", "onDemandUSD"))) < 1e-4)
    #expect(abs(options[1] - (try Self.number(account, "effectiveByPurchaseOption", "spotUSD"))) < 1e-4)
    let committed =
      try Self.number(account, "effectiveByPurchaseOption", "reservedInstanceUSD")
      + Self.number(account, "effectiveByPurchaseOption", "savingsPlanUSD")
    #expect(abs(options[2] + options[3] + options[4] - committed) < 1e-4)
    // Coverage: the hours' covered and eligible On-Demand value give the window's coverage.
    let covered = bill.hourlyBreakdown.reduce(0) { $0 + $1.coveredOnDemandEquivalentUSD }
    let eligible = bill.hourlyBreakdown.reduce(0) { $0 + $1.eligibleOnDemandEquivalentUSD }
    #expect(abs(covered / eligible * 100 - (try Self.number(account, "coverage", "commitmentPercent"))) < 1e-3)
    let page = RunReport.html(result)
    for id in ["daily-services", "daily-options", "coverage"] { #expect(page.contains("id=\"\(id)\"")) }
  }

  @Test func `the run page is well-formed XHTML, the same bytes twice, with a titled chart per figure`() throws {
    let result = try Self.teams.get()
    let page = RunReport.html(result)
    #expect(page == RunReport.html(result))
    let parser = XMLParser(data: Data(page.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "").utf8))
    #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    // Every chart is an image with a title; the legends' line samples are hidden from it.
    let keys = page.components(separatedBy: "<svg class=\"key\"").count - 1
    #expect(page.components(separatedBy: "<svg class=\"key\" viewBox=\"0 0 30 10\" aria-hidden=\"true\">").count - 1 == keys)
    let charts = page.components(separatedBy: "<svg ").count - 1 - keys
    #expect(charts >= 10)
    #expect(page.components(separatedBy: "role=\"img\"").count - 1 == charts)
    #expect(!page.contains("<script"))
  }

  @Test func `hostile names from Tests/browser/hostile.yaml are escaped on the run page`() throws {
    let definition = try ScenarioDefinition.load(path: Self.root.appendingPathComponent("Tests/browser/hostile.yaml").path)
    let page = RunReport.html(try ScenarioRunner.run(try ScenarioRunner.prepare(definition)))
    #expect(!page.contains("<script"))
    #expect(!page.contains("<b>bold</b>"))
    #expect(!page.contains("<img"))
    #expect(page.contains("&lt;script&gt;window.__pwned = 1&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;"))
    #expect(page.contains("주문팀"))
    let parser = XMLParser(data: Data(page.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "").utf8))
    #expect(parser.parse())
  }

  @Test func `the savings opportunities are the JSON's unused commitments, per month, largest first`() throws {
    let result = try Self.teams.get()
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(ComparisonReport.json(result).utf8)) as? [String: Any])
    let commitments = try #require((json["account"] as? [String: Any])?["commitments"] as? [[String: Any]])
    let days = result.end.timeIntervalSince(result.start) / 86_400
    let expected = try commitments.compactMap { c -> (String, Double)? in
      let waste = try Self.number(c, "wasteUSD")
      return waste > 0.005 ? (try #require(c["id"] as? String), waste / days * 30.44) : nil
    }.sorted { $0.1 > $1.1 }
    let listed = SavingsOpportunity.ranked(result).filter { $0.kind == .unusedCommitment }
    #expect(listed.count == expected.count)
    #expect(listed.map(\.monthlyUSD) == listed.map(\.monthlyUSD).sorted(by: >))
    let page = RunReport.html(result)
    for ((id, monthly), opportunity) in zip(expected, listed) {
      #expect(opportunity.title.contains(id))
      #expect(abs(opportunity.monthlyUSD - monthly) < 1e-3)
      #expect(page.contains(ComparisonReport.grouped(monthly, decimals: 2)))
    }
  }

  @Test func `the busiest day: the JSON's points per service, drawn and summed in the table`() throws {
    let result = try Self.teams.get()
    let page = RunReport.html(result)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(ComparisonReport.json(result).utf8)) as? [String: Any])
    let fleets = try #require(json["services"] as? [[String: Any]])
    let summary = try #require(page.range(of: "id=\"busiest-day-summary\""))
    let table = page[summary.lowerBound...].prefix(3_000)
    var dates: Set<String> = []
    for fleet in fleets {
      let day = try #require(fleet["busiestDay"] as? [String: Any])
      dates.insert(try #require(day["date"] as? String))
      let demand = try #require(day["demandPerMinute"] as? [Double])
      let inService = try #require(day["inService"] as? [Double])
      #expect(demand.count == 288 && inService.count == 288, "a day of 5-minute points")
      #expect(try Self.number(day, "bucketSeconds") == 300)
      // The day's demand units: the points' rates × 5 minutes, as the summary shows them.
      #expect(table.contains(ComparisonReport.grouped(demand.reduce(0, +) * 5)))
      #expect(table.contains("<td>\(try #require(fleet["name"] as? String))</td>"))
    }
    #expect(dates.count == 1, "one day for all services")
    let date = try #require(dates.first)
    #expect(page.contains("<h2>The busiest day, \(date): demand, instances in service and CPU per service</h2>"))
    // Demand, instances and CPU charts, one line per service in each of the last two.
    #expect(page.components(separatedBy: "aria-label=\"Instances in service on \(date)").count == 2)
    let section = try #require(page.range(of: "id=\"busiest-day\""))
    #expect(page[section.lowerBound...].components(separatedBy: "<path class=\"line l").count - 1 >= 3 * 3)
    // That day has the most demand of the window: no other day's units are larger.
    let days = RunReport.Days(result, hourCount: result.accountBill?.hourlyEffectiveCostUSD.count ?? 0)
    #expect(days.labels.contains(date))
  }

  /// The page's `<ol id="opportunity-list">` items: (title, data-monthly-usd, data-kind).
  static func listedOpportunities(_ page: String) throws -> [(title: String, monthly: String, kind: String)] {
    let start = try #require(page.range(of: "<ol id=\"opportunity-list\""))
    let end = try #require(page.range(of: "</ol>", range: start.upperBound..<page.endIndex))
    return page[start.upperBound..<end.lowerBound].components(separatedBy: "<li ").dropFirst().map { item in
      func between(_ a: String, _ b: String) -> String {
        guard let from = item.range(of: a), let to = item.range(of: b, range: from.upperBound..<item.endIndex) else { return "" }
        return String(item[from.upperBound..<to.lowerBound])
      }
      return (between("<strong class=\"title\">", "</strong>"), between("data-monthly-usd=\"", "\""), between("data-kind=\"", "\""))
    }
  }

  /// Three m5.large in us-east-1, never scaling, for three days; no commitments, no
  /// Savings Plans rates. Buying 3 standard 1-year No Upfront RIs (0.06 USD/h against 0.096
  /// On-Demand) saves 72 h x 3 x 0.036 = 7.776 USD in the window: 7.776 / 3 days x 30.44 =
  /// 78.90048 USD per month.
  /// The fixture is shared with ScenarioTests/WindowPurchaseAdviceTests.
  static func flatFleet() throws -> String {
    try String(contentsOf: root.appendingPathComponent("Tests/Fixtures/flat-fleet.yaml"), encoding: .utf8)
  }

  @Test func `commitments to buy on a flat fleet: 78.90 USD per month, with what to buy and the recommend command`() throws {
    let definition = try ScenarioDefinition.parse(yaml: try Self.flatFleet(), file: "flat.yaml", baseDirectory: Self.root)
    let result = try ScenarioRunner.run(try ScenarioRunner.prepare(definition), advisesPurchase: true)
    let listed = SavingsOpportunity.ranked(result)
    let buy = try #require(listed.first)
    #expect(listed.count == 1)
    #expect(buy.kind == .commitmentsToBuy)
    #expect(abs(buy.windowUSD - 7.776) < 1e-6)
    #expect(abs(buy.monthlyUSD - 78.90048) < 1e-6)
    #expect(buy.monthlyUSDText == "78.90")
    #expect(buy.evidence.hasPrefix("buy 3 x m5.large RI standard 1y no-upfront (utilization 100.0%, break-even 62.5%)"))
    #expect(buy.command.hasPrefix("capsim recommend flat.yaml"))
    let page = RunReport.html(result)
    #expect(try Self.listedOpportunities(page).map(\.monthly) == ["78.90"])
    #expect(page.contains("78.90 USD per month"))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(ComparisonReport.json(result).utf8)) as? [String: Any])
    let opportunities = try #require(json["opportunities"] as? [[String: Any]])
    #expect(opportunities.first?["kind"] as? String == "commitments-to-buy")
    #expect(opportunities.first?["monthlyUSD"] as? Double == 78.9)
    // The terminal table does not ask for it: no purchase, nothing ranked.
    #expect(SavingsOpportunity.ranked(try ScenarioRunner.run(try ScenarioRunner.prepare(definition))).isEmpty)
  }

  @Test(arguments: ["food-delivery-teams.yaml", "seoul-food-delivery.yaml"])
  func `the page's top-5 list is the JSON's opportunities: same titles, kinds and figures, same order`(scenario: String) throws {
    let result = try scenario == "food-delivery-teams.yaml" ? Self.teams.get() : Self.run(scenario)
    let page = RunReport.html(result)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(ComparisonReport.json(result).utf8)) as? [String: Any])
    let opportunities = try #require(json["opportunities"] as? [[String: Any]])
    let listed = try Self.listedOpportunities(page)
    #expect(!listed.isEmpty && listed.count <= 5)
    #expect(listed.count == opportunities.count)
    for (item, o) in zip(listed, opportunities) {
      #expect(item.title == RunReport.e(try #require(o["title"] as? String)))
      #expect(item.kind == o["kind"] as? String)
      #expect(Double(item.monthly) == (try Self.number(o, "monthlyUSD")))
      #expect(page.contains(ComparisonReport.grouped(try Self.number(o, "monthlyUSD"), decimals: 2) + " USD per month"))
    }
    let monthly = try opportunities.map { try Self.number($0, "monthlyUSD") }
    #expect(monthly == monthly.sorted(by: >))
    if scenario == "seoul-food-delivery.yaml" {
      // No commitments in the scenario: its first variant's On-Demand usage has a base to cover.
      let buy = try #require(opportunities.first { $0["kind"] as? String == "commitments-to-buy" })
      let advice = try #require(result.purchaseAdvice)
      let days = result.end.timeIntervalSince(result.start) / 86_400
      #expect(abs(try Self.number(buy, "windowUSD") - advice.savingUSD) < 1e-5)
      #expect(abs(try Self.number(buy, "monthlyUSD") - advice.savingUSD / days * 30.44) <= 0.005)
    }
  }

  // Seoul's variants against the first (target-cpu-50, 0.017% delayed): a cheaper variant is
  // ranked when it delays at most 0.1% (recommend's default SLO) or no more than the first;
  // with the SLO at 0%, only "no more than the first" is left.
  @Test func `a cheaper variant is ranked when it meets the SLO, not only when it delays less`() throws {
    var result = try Self.run("seoul-food-delivery.yaml")
    let first = try #require(result.variants.first)
    func ranked() -> Set<String> {
      Set(SavingsOpportunity.ranked(result).filter { $0.kind == .cheaperPolicy }.map(\.title))
    }
    func expected(limit: Double) -> Set<String> {
      Set(
        result.variants.dropFirst().filter {
          $0.costUSD < first.costUSD && $0.statistics.delayedShare <= max(limit, first.statistics.delayedShare)
        }.map { "Policy \($0.name) instead of \(first.name)" })
    }
    let loose = expected(limit: 0.001)
    #expect(loose.count >= 2, "target-cpu-70 and others save money within 0.1% delayed")
    #expect(loose.isSubset(of: ranked()) || ranked().count == SavingsOpportunity.listLength)
    result.maxDelayedShare = 0
    let strict = expected(limit: 0)
    #expect(strict.count < loose.count)
    #expect(ranked() == strict)
    #expect(RunReport.html(result).contains("at most 0% of demand delayed"))
  }
}
