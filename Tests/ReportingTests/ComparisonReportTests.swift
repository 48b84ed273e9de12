import AutoScaling
import Foundation
import Results
import Scenario
import Testing

@testable import Reporting

@Suite struct ComparisonReportTests {
  static func result() -> ScenarioResult {
    var cheap = FleetStatistics()
    cheap.demandUnits = 1_000
    cheap.servedUnits = 990
    cheap.delayedUnits = 10
    cheap.peakInstances = 4
    cheap.meanInstances = 2.5
    cheap.meanCPUUtilization = 61.25
    cheap.minutesAboveCPU80 = 12
    cheap.scaleOutActions = 3
    cheap.scaleInActions = 2
    var safe = cheap
    safe.delayedUnits = 0
    safe.servedUnits = 1_000
    safe.peakInstances = 6
    return ScenarioResult(
      scenarioName: "demo", scenarioDescription: "a \"quoted\" description", file: "s.yaml", timeZone: "Asia/Seoul",
      region: "ap-northeast-2", start: Date(timeIntervalSince1970: 1_772_377_200),  // 2026-03-02 00:00 KST
      end: Date(timeIntervalSince1970: 1_772_377_200 + 86_400), tickSeconds: 60, seed: 42,
      demandSource: "synthetic", demandUnits: 1_000,
      variants: [
        VariantResult(
          name: "safe", description: nil, instanceType: "m5.large", policySummaries: ["tt: target tracking cpu 50"],
          statistics: safe, billedInstanceHours: 100, onDemandUSDPerHour: 0.118, costUSD: 11.8, activities: []),
        VariantResult(
          name: "cheap", description: nil, instanceType: "m5.large", policySummaries: [],
          statistics: cheap, billedInstanceHours: 75, onDemandUSDPerHour: 0.118, costUSD: 8.85, activities: []),
      ])
  }

  @Test("JSON keeps keys in report order, escapes strings, prints whole numbers without a fraction")
  func json() {
    let text = ComparisonReport.json(Self.result())
    #expect(text.contains("\"description\": \"a \\\"quoted\\\" description\""))
    #expect(text.contains("\"start\": \"2026-03-02T00:00:00+09:00\""))
    #expect(text.contains("\"costUSD\": 8.85"))
    #expect(text.contains("\"peakInstances\": 6"))
    #expect(text.contains("\"delayedPercent\": 1,"))
    #expect(text.contains("\"seed\": \"42\""))
    let name = text.range(of: "\"name\": \"safe\"")!.lowerBound
    let cost = text.range(of: "\"costUSD\": 11.8")!.lowerBound
    #expect(name < cost)
    // Valid JSON that Foundation reads back.
    let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    let variants = parsed?["variants"] as? [[String: Any]]
    #expect(variants?.count == 2)
    #expect(variants?[1]["instanceHours"] as? Double == 75)
  }

  @Test("the table shows each variant with its cost delta against the first and names the cheapest")
  func table() {
    let text = ComparisonReport.table(Self.result())
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[0] == "demo — s.yaml")
    #expect(lines[2].hasPrefix("Demand: synthetic, 2026-03-02 00:00 to 2026-03-03 00:00 Asia/Seoul (1.0 days, tick 60 s, seed 42)"))
    let cheapRow = lines.first { $0.hasPrefix("cheap") }!
    #expect(cheapRow.contains("-25.0%"))
    #expect(cheapRow.contains("8.85"))
    #expect(cheapRow.contains("1.000"))
    #expect(text.contains("Cheapest: cheap (8.85 USD). Fewest delayed units: safe (0.000%)."))
    // Columns line up: every row as wide as the header.
    let header = lines[4]
    let rows = lines[5...7]
    #expect(rows.allSatisfy { $0.count == header.count })
  }

  @Test("grouped numbers use commas every three digits", arguments: [
    (0.0, 0, "0"), (999.0, 0, "999"), (1_000.0, 0, "1,000"), (1_234_567.891, 2, "1,234,567.89"), (-12_345.0, 1, "-12,345.0"),
  ])
  func grouping(value: Double, decimals: Int, expected: String) {
    #expect(ComparisonReport.grouped(value, decimals: decimals) == expected)
  }

  @Test("JSON strings escape control characters")
  func escaping() {
    #expect(JSONValue.string("a\nb\u{1}").rendered() == "\"a\\nb\\u0001\"\n")
    #expect(JSONValue.array([]).rendered() == "[]\n")
    #expect(JSONValue.number(.nan).rendered() == "null\n")
    #expect(JSONValue.rounded(2.0 / 3.0, places: 4).rendered() == "0.6667\n")
  }
}
