// Issue 5's policy search target: 200 variants over 28 days at 1-minute ticks (40,320
// ticks per run) on 2 worker threads. Demand is Workload's FoodDeliveryDemandGenerator
// (lunch 12:00, dinner 18:30, weekends x1.3, 5% noise; baseline 400 units/min, so the
// dinner peak needs about 40 instances of 100 units/min at 70% CPU).
import Advisor
import AutoScaling
import Benchmark
import Foundation
import Simulation
import Workload

/// 28 days of per-minute demand, built once outside the measurement.
let monthOfDemand: [Double] = {
  let generator = try! FoodDeliveryDemandGenerator(
    start: Date(timeIntervalSince1970: 1_735_689_600),  // 2025-01-01 00:00 UTC
    timeZone: TimeZone(identifier: "UTC")!, days: 28, baselineUnitsPerMinute: 400)
  var random = RandomStream(seed: 1).substream(named: "benchmark-demand")
  return generator.generate(using: &random).valuesPerMinute
}()

/// The predictive load forecast of that demand (capsim's default forecaster), built once.
let monthForecast = PredictiveLoadForecast(
  demandPerMinute: monthOfDemand, tickSeconds: 60, forecaster: SeasonalRegressionLoadForecaster())

let monthInput = PolicySearchInput(
  group: GroupConfiguration(
    instanceType: "m5.large", minSize: 2, maxSize: 500, initialCapacity: 2, launchSeconds: 120,
    launchJitterSeconds: 20, warmupSeconds: 300, capacityUnitsPerMinute: 100),
  currentPolicies: [
    .targetTracking(TargetTrackingPolicy(name: "cpu", metric: .averageCPUUtilization, targetValue: 50))
  ],
  history: PolicySearchDemand(demandPerMinute: monthOfDemand, predictiveForecast: monthForecast),
  pricing: PolicySearchPricing(onDemandUSDPerHour: 0.096), seed: 42)

let objective = PolicySearchObjective.minimumCost(ServiceLevelObjective(metric: .delayedShare, limit: 0.001))
let targets = PolicySearchSpace.range(40, through: 75, by: 5)  // 8 values
let warmups: [SimTime] = [60, 180, 300, 600, 900]

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
    warmupIterations: 1,
    maxDuration: .seconds(20),
    maxIterations: 10
  )

  // 8 targets x 5 warm-ups x 5 scheduled floors = 200 variants (+ the current policies).
  Benchmark("PolicySearch 200 variants floors 28 days 1-minute ticks 2 workers") { benchmark in
    var space = PolicySearchSpace(targetValues: targets, warmupSeconds: warmups)
    space.scheduledFloors = [
      .none, .beforePeaks(leadMinutes: 30, peakShare: 0.5), .beforePeaks(leadMinutes: 30, peakShare: 0.75),
      .beforePeaks(leadMinutes: 60, peakShare: 0.75), .beforePeaks(leadMinutes: 60, peakShare: 1),
    ]
    let configuration = PolicySearchConfiguration(objective: objective, space: space, workerCount: 2)
    let input = monthInput
    benchmark.startMeasurement()
    let result = try PolicySearch.run(input, configuration: configuration)
    benchmark.stopMeasurement()
    precondition(result.variants.count == 200, "200 variants, got \(result.variants.count)")
    precondition(result.recommended != nil, "some variant keeps delays under 0.1%")
    blackHole(result)
  }

  // 8 targets x 5 warm-ups x predictive off / buffer 0, 300, 600, 900 s = 200 variants,
  // on the forecast built above (the search never refits it).
  Benchmark("PolicySearch 200 variants predictive 28 days 1-minute ticks 2 workers") { benchmark in
    var space = PolicySearchSpace(targetValues: targets, warmupSeconds: warmups)
    space.predictive = [.off] + [0, 300, 600, 900].map { .on(schedulingBufferSeconds: $0) }
    let configuration = PolicySearchConfiguration(objective: objective, space: space, workerCount: 2)
    let input = monthInput
    benchmark.startMeasurement()
    let result = try PolicySearch.run(input, configuration: configuration)
    benchmark.stopMeasurement()
    precondition(result.variants.count == 200, "200 variants, got \(result.variants.count)")
    blackHole(result)
  }
}
