import Advisor
import Foundation
import Results
import Testing

@testable import Scenario

/// `capsim run --format json|html`: the commitments to buy on the window's On-Demand usage
/// that the scenario's commitments leave uncovered, figures derived by hand.
@Suite struct WindowPurchaseAdviceTests {
  /// Three m5.large in us-east-1 for three days: min = max = 3, so the fleet never scales.
  /// The shipped catalog: On-Demand 0.096 USD/h, standard 1-year No Upfront RI 0.06 USD/h;
  /// no Savings Plans rates, so only RIs are offered, and the standard RI is the cheapest.
  /// The fixture (Tests/Fixtures/flat-fleet.yaml) is shared with ReportingTests/RunReportTests.
  static func flatFleet(ownedRIs: Int = 0) throws -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    var yaml = try String(contentsOf: root.appendingPathComponent("Fixtures/flat-fleet.yaml"), encoding: .utf8)
    if ownedRIs > 0 {
      yaml += """
        commitments:
          reservedInstances:
            - {id: owned, instanceType: m5.large, region: us-east-1, count: \(ownedRIs), offeringClass: standard, term: 1y, payment: noUpfront, start: 2026-01-01T00:00:00}

        """
    }
    return yaml
  }

  static func run(_ yaml: String, advisesPurchase: Bool = true) throws -> ScenarioResult {
    try ScenarioRunner.run(try ScenarioRunner.prepare(try Fixture.parse(yaml)), advisesPurchase: advisesPurchase)
  }

  // 72 hours x 3 instances x (0.096 - 0.06) USD = 7.776 USD over the window, buying 3 RIs.
  @Test func `flat usage of 3 instances for 72 hours: buy 3 standard RIs, saving 72 x 3 x (0.096 - 0.06) USD`() throws {
    let result = try Self.run(Self.flatFleet())
    #expect(result.variants[0].statistics.peakInstances == 3)
    let advice = try #require(result.purchaseAdvice)
    #expect(advice.hours == 72)
    #expect(abs(advice.onDemandUSD - 72 * 3 * 0.096) < 1e-6)
    #expect(abs(advice.withPurchaseUSD - 72 * 3 * 0.06) < 1e-6)
    #expect(abs(advice.savingUSD - 7.776) < 1e-6)
    let purchase = try #require(advice.purchases.first)
    #expect(advice.purchases.count == 1)
    #expect(purchase.kind == .reservedInstance && purchase.offeringClass == .standard)
    #expect(purchase.instanceType == "m5.large" && purchase.numberOfInstances == 3)
    #expect(abs(purchase.estimatedAverageUtilization - 100) < 1e-6)
    #expect(abs(purchase.breakEvenUtilization - 62.5) < 1e-9)  // 0.06 / 0.096
    #expect(advice.notes.contains { $0.hasPrefix("Savings Plans not considered") })
  }

  // One RI already owned covers one instance every hour: 2 left to buy, 72 x 2 x 0.036.
  @Test func `an owned RI is subtracted first: the purchase covers the 2 instances left, saving 72 x 2 x 0.036 USD`() throws {
    let advice = try #require(try Self.run(Self.flatFleet(ownedRIs: 1)).purchaseAdvice)
    #expect(advice.purchases.map(\.numberOfInstances) == [2])
    #expect(abs(advice.savingUSD - 72 * 2 * 0.036) < 1e-6)
    #expect(advice.notes.contains { $0.hasPrefix("recommendations are for purchases on top of the scenario's commitments") })
  }

  @Test func `no advice when the owned commitments cover everything, or when the run does not ask for it`() throws {
    #expect(try Self.run(Self.flatFleet(ownedRIs: 3)).purchaseAdvice == nil)
    #expect(try Self.run(Self.flatFleet(), advisesPurchase: false).purchaseAdvice == nil)
  }

  @Test func `the advice is the same on a second run (deterministic)`() throws {
    let yaml = try Self.flatFleet()
    #expect(try Self.run(yaml) == (try Self.run(yaml)))
  }
}
