// Issue 4's forecasting benchmark: 1,000 synthetic hourly series of a year (8,760 points),
// `SeasonalRegression.fitBatch` (model choice by cross-validation on the batch sum, one
// shared design, conformal calibration) plus a 14-day (336-step) forecast with 80% and 95%
// intervals for every series; the target is <= 2 s on 2 cores. Beside it, one real trace
// (scenarios/data/nyc_taxi.csv, 30-minute NYC taxi passengers) fitted and forecast alone.
// Series are built in setup, outside the measurement.
import Benchmark
import ForecastSupport
import Forecasting
import Foundation
import Workload

/// scenarios/data/nyc_taxi.csv in the root package, found from this file's path.
let nycTaxiPath = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("scenarios/data/nyc_taxi.csv").path

let benchmarks: @Sendable () -> Void = {
  // One iteration is about a second; a few iterations give a stable median. Tolerances
  // for `benchmark baseline check` are wide because the 2-core machines are shared.
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
    warmupIterations: 1,
    maxDuration: .seconds(20),
    maxIterations: 10,
    thresholds: [.wallClock: .init(relative: [.p50: 30.0])]
  )

  Benchmark("ForecastFitting fitBatch 1000 hourly series x 8760 + 336-step forecast") { benchmark in
    let batch = SyntheticHourlySeries.batch(1_000, length: 8_760)
    benchmark.startMeasurement()
    let forecasts = try SyntheticHourlySeries.fitAndForecast(batch, horizon: 336)
    benchmark.stopMeasurement()
    precondition(forecasts.count == 1_000, "one forecast per series, found \(forecasts.count)")
    precondition(
      forecasts.allSatisfy { $0.mean.count == 336 && $0.intervals.count == 2 },
      "every forecast has 336 steps and two intervals")
    blackHole(forecasts)
  }

  Benchmark("ForecastFitting fit nyc_taxi 30-minute + 672-step forecast") { benchmark in
    let demand = try DemandSeries.loadCSV(path: nycTaxiPath, options: DemandLoadOptions(gaps: .interpolate))
    let series = ObservedSeries(demand)
    benchmark.startMeasurement()
    let model = try SeasonalRegression.fit(series, horizon: 672)
    let forecast = try model.forecast(steps: 672, levels: [0.8, 0.95])
    benchmark.stopMeasurement()
    precondition(forecast.mean.count == 672 && forecast.mean.allSatisfy(\.isFinite), "672 finite forecast points")
    blackHole(forecast)
  }
}
