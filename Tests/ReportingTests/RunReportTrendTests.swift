import AutoScaling
import Billing
import Foundation
import Results
import Testing

@testable import Reporting

/// The run report's calendar weeks and unit cost trend, on a small run built here with
/// figures computed by hand: two services of one team in Seoul, a window from Wednesday
/// 2026-03-04 00:00 to Monday 2026-03-24 00:00 (20 days, 480 hours).
///
/// | ISO week | days        | api $ | api units | search $ | search units |
/// | 2026-W10 | 5 (Wed–Sun) | 12.0  | 720,000   | 24.0     | 360,000      |
/// | 2026-W11 | 7           | 16.8  | 1,008,000 | 33.6     | 504,000      |
/// | 2026-W12 | 7           | 16.8  | 1,260,000 | 67.2     | 504,000      |
/// | 2026-W13 | 1 (Mon)     | 2.4   | 180,000   | 9.6      | 72,000       |
///
/// api: one m5.large at 0.10 USD/h all along, 6,000 units per hour, 7,500 from hour 288
/// (W12). search: one c5.large at 0.20 USD/h, a second from hour 288; 3,000 units per hour.
@Suite struct RunReportTrendTests {
  static let hours = 480
  static let zone = "Asia/Seoul"
  /// 2026-03-04 00:00 in Seoul (UTC+9), a Wednesday.
  static let start = Date(timeIntervalSince1970: 1_772_550_000)

  static func result() throws -> ScenarioResult {
    let catalog = PriceCatalog(entries: [
      PriceCatalogEntry(
        region: "ap-northeast-2", instanceType: "m5.large", family: "m5", size: "large", vcpuCount: 2, memoryGiB: 8,
        normalizationFactor: 4, onDemandUSDPerHour: 0.10),
      PriceCatalogEntry(
        region: "ap-northeast-2", instanceType: "c5.large", family: "c5", size: "large", vcpuCount: 2, memoryGiB: 4,
        normalizationFactor: 4, onDemandUSDPerHour: 0.20),
    ])
    let end = Double(hours) * 3_600
    func usage(_ type: String, _ service: String, from: Double, to: Double) -> InstanceUsage {
      InstanceUsage(
        instanceType: type, region: "ap-northeast-2", count: 1, startSeconds: from, endSeconds: to, service: service,
        tags: ["team": "shop"])
    }
    let bill = try FleetBill(
      usage: [
        usage("m5.large", "api", from: 0, to: end), usage("c5.large", "search", from: 0, to: end),
        usage("c5.large", "search", from: 288 * 3_600, to: end),
      ],
      catalog: catalog, options: BillingOptions(horizonHours: hours))
    // api: 5-minute ticks, 100 then 125 units per minute; search: 3,000 units per hour.
    let apiTicks = (0..<(hours * 12)).map { $0 < 288 * 12 ? 100.0 : 125.0 }
    let apiHourly = VariantResult.hourlyUnits(perMinute: apiTicks, tickSeconds: 300)
    let searchHourly = [Double](repeating: 3_000, count: hours)
    func service(_ name: String, _ hourly: [Double], _ type: String) -> VariantResult {
      var statistics = FleetStatistics()
      statistics.demandUnits = hourly.reduce(0, +)
      return VariantResult(
        name: name, description: nil, team: "shop", instanceType: type, region: "ap-northeast-2", policySummaries: [],
        statistics: statistics, billedInstanceHours: 0, onDemandUSDPerHour: 0, costUSD: 0, activities: [],
        hourlyDemandUnits: hourly)
    }
    let services = [service("api", apiHourly, "m5.large"), service("search", searchHourly, "c5.large")]
    return ScenarioResult(
      scenarioName: "trend", scenarioDescription: nil, file: "trend.yaml", timeZone: zone, region: "ap-northeast-2",
      start: start, end: start.addingTimeInterval(end), tickSeconds: 300, seed: 1, demandSource: "test",
      demandUnits: services.reduce(0) { $0 + $1.statistics.demandUnits }, variants: [], services: services,
      accountBill: bill)
  }

  static func close(_ a: Double?, _ b: Double, _ what: String) {
    #expect(a.map { abs($0 - b) < 1e-9 * max(1, abs(b)) } == true, "\(what): \(a.map { "\($0)" } ?? "nil") vs \(b)")
  }

  @Test func `ticks become hourly demand units, a tick across two hours split by its seconds`() {
    #expect(VariantResult.hourlyUnits(perMinute: [60, 60], tickSeconds: 1_800) == [3_600])
    // 2,400 s ticks: the second spans hours 0 and 1 (1,200 s each).
    #expect(VariantResult.hourlyUnits(perMinute: [1, 2], tickSeconds: 2_400) == [40 + 40, 40])
    #expect(VariantResult.hourlyUnits(perMinute: [], tickSeconds: 60) == [])
  }

  @Test func `weeks are ISO weeks from Monday in the scenario's zone, partial at both ends`() throws {
    let r = try Self.result()
    let weeks = RunReport.calendarWeeks(r, days: RunReport.Days(r, hourCount: Self.hours))
    #expect(weeks.map(\.isoWeek) == ["2026-W10", "2026-W11", "2026-W12", "2026-W13"])
    #expect(weeks.map(\.first) == ["2026-03-04", "2026-03-09", "2026-03-16", "2026-03-23"])
    #expect(weeks.map(\.last) == ["2026-03-08", "2026-03-15", "2026-03-22", "2026-03-23"])
    #expect(weeks.map(\.days) == [5, 7, 7, 1])
    #expect(weeks.map(\.isFull) == [false, true, true, false])
    #expect(weeks.map(\.hourRange) == [0..<120, 120..<288, 288..<456, 456..<480])
  }

  @Test func `weekly unit costs per service and team are the hand-computed ones, and add up to the showback`() throws {
    let r = try Self.result()
    let trends = try #require(RunReport.unitCostTrends(r))
    #expect(trends.services.map(\.name) == ["search", "api"])
    let search = trends.services[0], api = trends.services[1], shop = try #require(trends.teams.first)
    let expected: [(row: RunReport.WeeklyUnitCost, cost: [Double], units: [Double])] = [
      (api, [12, 16.8, 16.8, 2.4], [720_000, 1_008_000, 1_260_000, 180_000]),
      (search, [24, 33.6, 67.2, 9.6], [360_000, 504_000, 504_000, 72_000]),
      (shop, [36, 50.4, 84, 12], [1_080_000, 1_512_000, 1_764_000, 252_000]),
    ]
    for (row, cost, units) in expected {
      for w in 0..<4 {
        Self.close(row.costUSD[w], cost[w], "\(row.name) cost, week \(w)")
        Self.close(row.units[w], units[w], "\(row.name) units, week \(w)")
        Self.close(row.unitCosts[w], cost[w] / units[w] * 1_000, "\(row.name) unit cost, week \(w)")
      }
    }
    // api: 16.8 / 1,008 → 16.8 / 1,260 per 1,000 = -20%; search doubles; shop 0.0333 → 0.0476.
    Self.close(RunReport.unitCostTrend(api, weeks: trends.weeks)?.percent, -20, "api trend")
    Self.close(RunReport.unitCostTrend(search, weeks: trends.weeks)?.percent, 100, "search trend")
    Self.close(RunReport.unitCostTrend(shop, weeks: trends.weeks)?.percent, (84 / 1_764 / (50.4 / 1_512) - 1) * 100, "team trend")
    #expect(RunReport.unitCostTrendText(api, weeks: trends.weeks) == "-20.0% from 2026-W11 to 2026-W12")
    // The weeks add up to the window's showback cost and demand.
    let bill = try #require(r.accountBill)
    for row in bill.showback.services {
      let weekly = try #require(trends.services.first { $0.name == row.name })
      Self.close(weekly.costUSD.reduce(0, +), row.effectiveCostUSD, "\(row.name) weeks vs window")
      Self.close(weekly.units.reduce(0, +), try #require(r.services.first { $0.name == row.name }).statistics.demandUnits, "units")
    }
  }

  @Test func `the JSON's weekly unit costs are the page's`() throws {
    let r = try Self.result()
    let page = RunReport.html(r)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(ComparisonReport.json(r).utf8)) as? [String: Any])
    let showback = try #require((json["account"] as? [String: Any])?["showback"] as? [String: Any])
    let tableStart = try #require(page.range(of: "id=\"unit-cost-weeks-services\""))
    let table = String(page[tableStart.lowerBound...].prefix(3_000))
    let tableEnd = try #require(table.range(of: "</table>"))
    let servicesTable = table[..<tableEnd.lowerBound]
    let showbackTable = try #require(page.range(of: "id=\"showback-services\"")).lowerBound
    let showbackRows = page[showbackTable...].prefix(4_000)
    let teamTrend: Double = (84 / 1_764 / (50.4 / 1_512) - 1) * 100
    let expectations: [(key: String, trends: [String: Double])] = [
      ("services", ["search": 100, "api": -20]), ("teams", ["shop": teamTrend]),
    ]
    for (key, expectedTrends) in expectations {
      let rows = try #require(showback[key] as? [[String: Any]])
      #expect(rows.count == expectedTrends.count)
      for row in rows {
        let name = try #require(row["name"] as? String)
        let weeks = try #require(row["weeklyUnitCost"] as? [[String: Any]])
        #expect(weeks.map { $0["isoWeek"] as? String } == ["2026-W10", "2026-W11", "2026-W12", "2026-W13"])
        #expect(weeks.map { $0["start"] as? String } == ["2026-03-04", "2026-03-09", "2026-03-16", "2026-03-23"])
        #expect(weeks.map { $0["days"] as? Int } == [5, 7, 7, 1])
        #expect(weeks.map { $0["full"] as? Bool } == [false, true, true, false])
        let trend = try RunReportTests.number(row, "unitCostTrendPercent")
        let expectedTrend: Double = try #require(expectedTrends[name])
        #expect(abs(trend - expectedTrend) < 1e-4, "\(name)")
        for week in weeks {
          let unit = try RunReportTests.number(week, "usdPer1000Units")
          let cost = try RunReportTests.number(week, "effectiveCostUSD"), units = try RunReportTests.number(week, "demandUnits")
          #expect(abs(unit - cost / units * 1_000) < 1e-6)
          if key == "services" {
            #expect(servicesTable.contains("<td class=\"n\">\(ComparisonReport.formatted(unit, decimals: 4))</td>"), "\(name)")
          }
        }
        if key == "services" {
          #expect(
            showbackRows.contains("title=\"2026-W11 to 2026-W12\">\(ComparisonReport.signed(trend))% over 2 weeks</td>"), "\(name)")
        }
      }
    }
    // The history's weeks: Monday to Sunday, partial ends without a change, the last full week's sentence.
    let weeks = try #require(page.range(of: "id=\"weeks\"")).lowerBound
    let weekTable = page[weeks...].prefix(1_200)
    #expect(weekTable.contains(
      "<td>2026-W10<br/><span class=\"muted\">03-04 to 03-08</span><br/><span class=\"muted\">partial: 5 days</span></td>"
        + "<td class=\"n\">5</td><td class=\"n\">36.00</td><td class=\"n\">—</td>"))
    #expect(weekTable.contains(
      "<td>2026-W11<br/><span class=\"muted\">03-09 to 03-15</span></td><td class=\"n\">7</td><td class=\"n\">50.40</td><td class=\"n\">—</td>"))
    #expect(weekTable.contains(
      "<td>2026-W12<br/><span class=\"muted\">03-16 to 03-22</span></td><td class=\"n\">7</td><td class=\"n\">84.00</td><td class=\"n\">+66.7%</td>"))
    #expect(weekTable.contains("partial: 1 day</span></td><td class=\"n\">1</td><td class=\"n\">12.00</td><td class=\"n\">—</td>"))
    #expect(page.contains("Last full week (2026-W12, 2026-03-16 to 2026-03-22): 84.00 USD, +66.7% against the week before (50.40 USD)."))
    // One trend line per service, labelled at its end.
    #expect(page.contains("aria-label=\"Unit cost per week by service, USD per 1,000 demand units\""))
    #expect(page.contains(">search</text>") && page.contains(">api</text>"))
  }

  @Test func `a variants run: the headline variant's weekly unit cost, in the JSON and on the page`() throws {
    let services = try Self.result()
    // One variant billed on the account's bill, with both services' demand.
    let units = zip(services.services[0].hourlyDemandUnits, services.services[1].hourlyDemandUnits).map { $0 + $1 }
    var statistics = FleetStatistics()
    statistics.demandUnits = units.reduce(0, +)
    let bill = try #require(services.accountBill)
    let variant = VariantResult(
      name: "baseline", description: nil, instanceType: "m5.large", policySummaries: [], statistics: statistics,
      billedInstanceHours: 0, onDemandUSDPerHour: 0.1, costUSD: bill.effectiveCostUSD, activities: [], bill: bill,
      hourlyDemandUnits: units)
    var r = services
    r.services = []
    r.accountBill = nil
    r.variants = [variant]
    let json = try #require(try JSONSerialization.jsonObject(with: Data(ComparisonReport.json(r).utf8)) as? [String: Any])
    let row = try #require((json["variants"] as? [[String: Any]])?.first)
    let weeks = try #require(row["weeklyUnitCost"] as? [[String: Any]])
    let expected: [(cost: Double, units: Double)] = [(36, 1_080_000), (50.4, 1_512_000), (84, 1_764_000), (12, 252_000)]
    let page = RunReport.html(r)
    let table = page[try #require(page.range(of: "id=\"unit-cost-weeks\"")).lowerBound...].prefix(2_000)
    #expect(weeks.count == 4)
    for (week, (cost, units)) in zip(weeks, expected) {
      #expect(abs(try RunReportTests.number(week, "effectiveCostUSD") - cost) < 1e-6)
      #expect(abs(try RunReportTests.number(week, "demandUnits") - units) < 1e-3)
      let unit = try RunReportTests.number(week, "usdPer1000Units")
      #expect(abs(unit - cost / units * 1_000) < 1e-6)
      #expect(table.contains("<td class=\"n\">\(ComparisonReport.formatted(unit, decimals: 4))</td></tr>"))
    }
    let trend: Double = (84 / 1_764 / (50.4 / 1_512) - 1) * 100
    #expect(abs(try RunReportTests.number(row, "unitCostTrendPercent") - trend) < 1e-4, "rounded to 1e-4 in the JSON")
    #expect(page.contains("first to last full week: +42.9% from 2026-W11 to 2026-W12."))
  }
}
