import Foundation
import Testing
import Workload
@testable import Forecasting

/// The quality bar on the real traces in scenarios/data (same split as the
/// statsforecast peers: hold out the last 7 days, ELB the last day). nyc_taxi is left out:
/// its holdout week holds the January 2015 blizzard (see docs/forecasting.md).
@Suite struct TraceBacktestTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The two 8-week Twitter traces take ~40 s in a debug build, so they are opt-in:
  /// `CAPSIM_FORECAST_TRACES=1 swift test --filter TraceBacktestTests` (or `-c release`).
  static let traces: [(String, Double)] =
    [("elb_request_count_8c0756.csv", 1.0)]
    + (ProcessInfo.processInfo.environment["CAPSIM_FORECAST_TRACES"] == nil
      ? [] : [("Twitter_volume_AMZN.csv", 7.0), ("Twitter_volume_GOOG.csv", 7.0)])

  @Test("backtested MASE beats weekly seasonal naive and intervals cover near their level on the real traces",
        arguments: traces)
  func beatsWeeklyNaive(file: String, holdoutDays: Double) throws {
    let path = Self.root.appendingPathComponent("scenarios/data/\(file)").path
    let demand = try DemandSeries.loadCSV(path: path, options: DemandLoadOptions(gaps: .interpolate))
    let series = ObservedSeries(demand)
    let backtest = try Backtest.run(series, horizon: Int(holdoutDays * series.pointsPerDay))
    let model = backtest.scores[0], weekly = backtest.scores[2]
    #expect(model.accuracy.mase < weekly.accuracy.mase, "MASE \(model.accuracy.mase) vs weekly naive \(weekly.accuracy.mase)")
    let coverage80 = try #require(model.coverage[0.8]), coverage95 = try #require(model.coverage[0.95])
    #expect((0.75...0.85).contains(coverage80), "80% interval covered \(coverage80)")
    #expect((0.92...0.98).contains(coverage95), "95% interval covered \(coverage95)")
  }
}
