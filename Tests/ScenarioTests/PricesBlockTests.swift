import Foundation
import Testing

@testable import Scenario

/// The `prices:` block: a catalog (e.g. written by `capsim prices import`) used instead of
/// the shipped one.
@Suite struct PricesBlockTests {
  /// Writes `prices/<name>` under the fixture directory.
  static func write(_ name: String, _ text: String) throws {
    let directory = Fixture.directory.appendingPathComponent("prices")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }

  /// A one-day synthetic scenario in us-east-1 (9 lines); the `prices:` block starts on line 10.
  static let scenario = """
    name: priced
    demand:
      synthetic: {start: 2026-03-02T00:00:00, days: 1, interval: 1m, baselinePerMinute: 300}
    capacity: {unitsPerMinute: {m5.large: 120}}
    fleet: {region: us-east-1, instanceType: m5.large, minSize: 2, maxSize: 20}
    variants:
      - name: a
        policies:
          - targetTracking: {metric: cpu, target: 50}

    """

  static let header =
    "region,instance_type,family,size,category,vcpu,memory_gib,normalization_factor,od_linux_hourly,"
    + "compute_sp_1y_noupfront_hourly,ri_conv_3y_allupfront_upfront"

  @Test("the scenario prices its fleet from the block's catalog and rates, keeping the shipped Spot Advisor")
  func usesTheCatalog() throws {
    // 0.2 per hour: not the shipped 0.096, so the source of the price is visible.
    try Self.write("imported.csv", Self.header + "\nus-east-1,m5.large,m5,large,General purpose,2,8,4,0.2,0.15,1133\n")
    try Self.write("rates.csv", "plan_type,family,region,term,payment,discount_pct,source\ncompute,m5,us-east-1,3y,all-upfront,40,test\n")
    let yaml = Self.scenario + "prices:\n  catalog: prices/imported.csv\n  savingsPlanRates: prices/rates.csv\n"
    let prepared = try ScenarioRunner.prepare(Fixture.parse(yaml))
    #expect(prepared.onDemandUSDPerHour == 0.2)
    #expect(prepared.catalog.entries.count == 1)
    #expect(prepared.catalog.entry(region: "us-east-1", instanceType: "m5.large")?.convertibleRIThreeYearAllUpfrontUSD == 1133)
    #expect(prepared.catalog.spotAdvisor(region: "us-east-1", instanceType: "m5.large") != nil)
    #expect(prepared.savingsPlanRates.discountPercent(
      planType: .compute, family: "m5", region: "us-east-1", term: .threeYears, payment: .allUpfront) == 40)
  }

  @Test("inline savingsPlanRates win over the block's rates file")
  func inlineRatesWin() throws {
    try Self.write("imported-2.csv", Self.header + "\nus-east-1,m5.large,m5,large,General purpose,2,8,4,0.2,,\n")
    try Self.write("rates-2.csv", "plan_type,family,region,term,payment,discount_pct\ncompute,m5,us-east-1,1y,no-upfront,20\n")
    let yaml = Self.scenario + """
      prices: {catalog: prices/imported-2.csv, savingsPlanRates: prices/rates-2.csv}
      savingsPlanRates:
        - {type: compute, family: m5, region: us-east-1, term: 1y, payment: noUpfront, discountPercent: 30}

      """
    let prepared = try ScenarioRunner.prepare(Fixture.parse(yaml))
    #expect(prepared.savingsPlanRates.discountPercent(
      planType: .compute, family: "m5", region: "us-east-1", term: .oneYear, payment: .noUpfront) == 30)
  }

  @Test("a bad catalog cell is reported at the block with the file's line and column; a missing file at its key")
  func errors() throws {
    try Self.write("bad.csv", Self.header + "\nus-east-1,m5.large,m5,large,General purpose,2,8,4,abc,,\n")
    let yaml = Self.scenario + "prices:\n  catalog: prices/bad.csv\n"
    #expect {
      try ScenarioRunner.prepare(Fixture.parse(yaml))
    } throws: { error in
      let text = "\(error)"
      return text.hasPrefix("test.yaml:11:")
        && text.contains("bad.csv:2:9 (column 'od_linux_hourly'): expected a non-negative number (USD per hour), found 'abc'")
    }
    let missing = Fixture.error(Self.scenario + "prices:\n  catalog: prices/none.csv\n")
    let message = missing.map { "\($0)" } ?? ""
    #expect(message.hasPrefix("test.yaml:11:12: cannot read 'prices/none.csv': no such file"), "\(message)")
  }
}
