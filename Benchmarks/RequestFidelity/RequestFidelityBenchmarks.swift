// The queueing and requests fidelities. Requests: every request of a 28-day month at
// 1-minute ticks (40,320 ticks) of the peer's food-delivery demand shape (lunch 12:00,
// dinner 18:30, weekends x1.3, 5% lognormal noise; the formula of
// FleetSimulationBenchmarks.swift) at 400 x shape requests per minute: 21,868,566
// requests expected in the month, about 542 per minute (computed once outside the
// measurement and checked to be between 20 and 24 million); 4 workers per instance,
// lognormal service 400 ms (cv 1), 2 s timeout (600 requests per minute per instance; 14
// instances at the weekend dinner peak), target tracking at 50% CPU, launch 120 s,
// warm-up 300 s; once per load balancer (least outstanding requests, random, round robin)
// so that the routing cost shows. Queueing: FleetSimulation's year (525,600 ticks, 2,000 x
// shape) with a serving model of 100 requests per minute per instance, beside the fluid
// model on the same input; the target is queueing within 1.5x of fluid.
import AutoScaling
import Benchmark
import Foundation
import Simulation

/// Per-minute demand of the food-delivery shape, built once outside the measurement.
func foodDeliveryDemand(minutes: Int, scale: Double) -> [Double] {
  var random = RandomStream(seed: 1).substream(named: "benchmark-demand")
  return (0..<minutes).map { minute in
    let hour = Double(minute % 1_440) / 60
    let day = minute / 1_440
    let shape = 0.15 + 5 * exp(-(hour - 12) * (hour - 12) / 1.2) + 7 * exp(-(hour - 18.5) * (hour - 18.5) / 1.8)
    let week = day % 7 >= 5 ? 1.3 : 1.0
    return scale * shape * week * exp(random.nextNormal(mean: 0, standardDeviation: 0.05))
  }
}

/// 28 days at 1-minute ticks, about 22 million requests.
let monthOfRequests: [Double] = foodDeliveryDemand(minutes: 40_320, scale: 400)

/// The month's expected request count (the Poisson arrivals draw about this many).
let monthRequestCount: Double = {
  let total = monthOfRequests.reduce(0, +)
  precondition(total > 20_000_000 && total < 24_000_000, "the month has about 22 million requests, not \(total)")
  return total
}()

/// FleetSimulation's year: 525,600 ticks at 2,000 x shape per minute.
let yearOfDemand: [Double] = foodDeliveryDemand(minutes: 525_600, scale: 2_000)

let targetTracking50 = [
  ScalingPolicy.targetTracking(TargetTrackingPolicy(name: "cpu50", metric: .averageCPUUtilization, targetValue: 50))
]

func monthInput(_ loadBalancer: ServingModel.LoadBalancer) -> FleetSimulationInput {
  let serving = ServingModel(
    workersPerInstance: 4, serviceTime: .lognormal(meanSeconds: 0.4, coefficientOfVariation: 1),
    loadBalancer: loadBalancer, timeoutSeconds: 2)
  return FleetSimulationInput(
    group: GroupConfiguration(
      instanceType: "m5.large", minSize: 2, maxSize: 500, initialCapacity: 2, launchSeconds: 120,
      warmupSeconds: 300, capacityUnitsPerMinute: serving.capacityUnitsPerMinute),
    policies: targetTracking50, demandPerMinute: monthOfRequests, tickSeconds: 60, random: RandomStream(seed: 2),
    fidelity: .requests, serving: serving)
}

/// 4 workers x 60 / 2.4 s = 100 requests per minute per instance, FleetSimulation's
/// capacity. The SLO is p99 <= 15 s: exponential 2.4 s service alone has a p99 of 11 s
/// (2.4 ln 100), so a tighter p99 could never be met.
let yearServing = ServingModel(workersPerInstance: 4, serviceTime: .exponential(meanSeconds: 2.4))
let yearSLO = LatencySLO(latencySeconds: 15, percentile: 99)

func yearInput(_ fidelity: Fidelity, demand: [Double] = yearOfDemand) -> FleetSimulationInput {
  FleetSimulationInput(
    group: GroupConfiguration(
      instanceType: "m5.large", minSize: 2, maxSize: 500, initialCapacity: 2, launchSeconds: 120,
      warmupSeconds: 300, capacityUnitsPerMinute: yearServing.capacityUnitsPerMinute),
    policies: targetTracking50, demandPerMinute: demand, tickSeconds: 60, random: RandomStream(seed: 2),
    fidelity: fidelity, serving: yearServing, latencySLO: yearSLO)
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .instructions, .mallocCountTotal, .peakMemoryResident],
    warmupIterations: 2,
    maxDuration: .seconds(5),
    maxIterations: 50
  )

  // One iteration is the whole month (about 21.9 million requests), so throughput is
  // that count over the wall clock; the count is computed before the measurement.
  let monthConfiguration = Benchmark.Configuration(warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 5)
  for (name, loadBalancer) in [
    ("RequestFidelity requests Seoul month", ServingModel.LoadBalancer.leastOutstandingRequests),
    ("RequestFidelity requests Seoul month random routing", .random),
    ("RequestFidelity requests Seoul month round-robin routing", .roundRobin),
  ] {
    Benchmark(name, configuration: monthConfiguration) { benchmark in
      let expected = monthRequestCount
      let input = monthInput(loadBalancer)
      benchmark.startMeasurement()
      let result = try FleetSimulator.run(input)
      benchmark.stopMeasurement()
      let requests = result.statistics.requests!
      precondition(abs(requests.requests - expected) < 0.01 * expected, "Poisson arrivals near the expected count")
      precondition(result.statistics.peakInstances >= 10, "the fleet is over 10 instances at the peaks")
      blackHole(result)
    }
  }

  Benchmark("RequestFidelity queueing 1 year") { benchmark in
    // The M/G/c tables are built once per process (QueueingLatencyModel's cache): one
    // day at the same serving model and SLO builds them outside the measurement.
    _ = try FleetSimulator.run(yearInput(.queueing, demand: Array(yearOfDemand.prefix(1_440))))
    let input = yearInput(.queueing)
    benchmark.startMeasurement()
    let result = try FleetSimulator.run(input)
    benchmark.stopMeasurement()
    precondition(result.statistics.peakInstances > 100, "a year of food delivery peaks above 100 instances")
    precondition(result.statistics.requests!.latencyP99Seconds! < 60, "the year is served, not saturated")
    precondition(result.statistics.requests!.minutesMeetingLatencySLOPercent! > 99, "the SLO is met almost always")
    blackHole(result)
  }

  Benchmark("RequestFidelity fluid 1 year (same input)") { benchmark in
    let input = yearInput(.fluid)
    benchmark.startMeasurement()
    let result = try FleetSimulator.run(input)
    benchmark.stopMeasurement()
    precondition(result.statistics.peakInstances > 100, "a year of food delivery peaks above 100 instances")
    blackHole(result)
  }
}
