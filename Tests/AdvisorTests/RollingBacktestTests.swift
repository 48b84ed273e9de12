import Billing
import Foundation
import Testing

@testable import Advisor

@Suite struct RollingBacktestTests {
  let catalog = try! PriceCatalog.bundled()
  let pool = PoolKey(family: "m5", region: "us-east-1")

  /// 2 m5.large (8 units) every hour, 2 more in 6 of every 24 hours.
  func usage(days: Int) -> [Double] {
    (0..<(days * 24)).map { 8 + ($0 % 24 >= 12 && $0 % 24 < 18 ? 8.0 : 0) }
  }

  @Test("hindsight, hand-computed: extra usage 25% of hours, under the RI's 62.5% break-even: exactly the base")
  func hindsight() throws {
    let (problems, _) = try CommitmentProblem.fromCatalog(
      pools: [pool], usage: UsagePaths(single: [usage(days: 2)]), catalog: catalog, savingsPlanRates: SavingsPlanRates(),
      offerings: CommitmentOfferings(reservedInstanceClasses: [.standard]))
    let line = try #require(CommitmentBacktest.hindsight(problems))
    // m5.large: On-Demand 0.096 USD/h (0.024 per unit), Standard 1y No Upfront 0.06 (0.015).
    // Hindsight: 2 RIs = 0.12 USD/h. Cost 0.12 + 8 x 0.024 x 6/24 = 0.168; On-Demand
    // 8 x 0.024 + 0.048 = 0.24; savings 30%.
    #expect(abs(line.hourlyCommitment - 0.12) < 1e-9)
    #expect(abs(line.realizedHourlyCost - 0.168) < 1e-9)
    #expect(abs(line.realizedSavingsPercent - 30) < 1e-7)
    #expect(line.expectedSavingsPercent == line.realizedSavingsPercent)
  }

  /// A real backtest on synthetic usage (for its advice), with lines then set by hand.
  func origin(
    daysBeforeEnd: Int, onDemand: Double, ours: Double, baselines: [(String, Double)], hindsight: Double?
  ) throws -> RollingBacktest.Origin {
    var planner = CommitmentPlanner()
    planner.offerings = CommitmentOfferings(reservedInstanceClasses: [.standard])
    var b = try planner.backtest(
      pools: [pool], history: [usage(days: 10)], start: Date(timeIntervalSince1970: 0), testHours: 48, catalog: catalog,
      savingsPlanRates: SavingsPlanRates(), usesForecast: false)
    func line(_ label: String, _ cost: Double) -> CommitmentBacktest.Line {
      CommitmentBacktest.Line(
        label: label, hourlyCommitment: 0, expectedSavingsPercent: 0, realizedSavingsPercent: 100 * (1 - cost / onDemand),
        realizedHourlyCost: cost)
    }
    b.onDemandHourlyCost = onDemand
    b.ours = line("capsim", ours)
    b.baselines = baselines.map { line($0.0, $0.1) }
    b.hindsight = hindsight.map { line("hindsight", $0) }
    return RollingBacktest.Origin(daysBeforeEnd: daysBeforeEnd, backtest: b)
  }

  @Test("pooled and mean savings, baselines present at every origin, record with a tie inside 0.01 points")
  func totals() throws {
    let rolling = RollingBacktest(origins: [
      // ours 20%, look-backs 10% and 15%: a win.
      try origin(daysBeforeEnd: 0, onDemand: 1, ours: 0.8, baselines: [("7 d", 0.9), ("30 d", 0.85)], hindsight: 0.75),
      // ours 10%, best 9.995%: a tie. No 30-day look-back (history too short).
      try origin(daysBeforeEnd: 7, onDemand: 3, ours: 2.7, baselines: [("7 d", 2.70015)], hindsight: 2.6),
      // ours 0%, best 5%: a loss.
      try origin(daysBeforeEnd: 14, onDemand: 2, ours: 2, baselines: [("7 d", 1.9)], hindsight: 1.8),
    ])
    // Pooled: 1 - (0.8 + 2.7 + 2) / (1 + 3 + 2) = 1 - 5.5 / 6; mean: (20 + 10 + 0) / 3.
    #expect(abs(rolling.ours.pooledSavingsPercent - 100 * (1 - 5.5 / 6)) < 1e-9)
    #expect(abs(rolling.ours.meanSavingsPercent - 10) < 1e-9)
    #expect(rolling.baselines.map(\.label) == ["7 d"])
    #expect(abs(rolling.baselines[0].pooledSavingsPercent - 100 * (1 - 5.50015 / 6)) < 1e-9)
    // Best of each origin: 0.85, 2.70015, 1.9.
    #expect(abs(rolling.bestPerOrigin.pooledSavingsPercent - 100 * (1 - 5.45015 / 6)) < 1e-9)
    #expect(abs(rolling.hindsight!.pooledSavingsPercent - 100 * (1 - 5.15 / 6)) < 1e-9)
    #expect(rolling.record == (wins: 1, ties: 1, losses: 1))
  }

  @Test("an origin without any look-back (history under 7 days) counts the baseline as buying nothing")
  func originWithoutBaseline() throws {
    let rolling = RollingBacktest(origins: [
      try origin(daysBeforeEnd: 0, onDemand: 1, ours: 0.9, baselines: [], hindsight: nil)
    ])
    #expect(rolling.bestPerOrigin.pooledSavingsPercent == 0)
    #expect(rolling.hindsight == nil)
    #expect(rolling.record == (wins: 1, ties: 0, losses: 0))
  }
}

@Suite struct UsageForecastCorrelationTests {
  /// Six weeks of hourly usage: a daily cycle plus noise, one series per seed.
  static func usage(noiseSeed: UInt64) -> [Double] {
    var state = noiseSeed
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / 9_007_199_254_740_992
    }
    return (0..<(24 * 7 * 6)).map { h in 40 + 15 * sin(Double(h % 24) * .pi / 12) + 8 * (uniform() - 0.5) }
  }

  static func correlationAtHour(_ paths: UsagePaths, hour: Int) -> Double {
    let a = (0..<paths.pathCount).map { paths.value(path: $0, hour: hour, pool: 0) }
    let b = (0..<paths.pathCount).map { paths.value(path: $0, hour: hour, pool: 1) }
    let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
    var ab = 0.0, aa = 0.0, bb = 0.0
    for (x, y) in zip(a, b) { ab += (x - ma) * (y - mb); aa += (x - ma) * (x - ma); bb += (y - mb) * (y - mb) }
    return ab / (aa * bb).squareRoot()
  }

  @Test("pools that moved together in the history move together on the forecast paths; independent ones do not")
  func poolsShareTheirRandomness() throws {
    let a = Self.usage(noiseSeed: 1)
    let start = Date(timeIntervalSince1970: 1_767_571_200)  // a Monday, 00:00 UTC
    let together = try UsageForecast.paths(history: [a, a.map { $0 * 2 }], start: start, hours: 24, paths: 300, seed: 3)
    let apart = try UsageForecast.paths(history: [a, Self.usage(noiseSeed: 2)], start: start, hours: 24, paths: 300, seed: 3)
    for hour in [0, 12, 23] {
      #expect(Self.correlationAtHour(together, hour: hour) > 0.8)
      #expect(abs(Self.correlationAtHour(apart, hour: hour)) < 0.25)
    }
  }
}
