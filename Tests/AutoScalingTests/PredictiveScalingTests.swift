import Foundation
import Simulation
import Synchronization
import Testing

@testable import AutoScaling

/// An exact hand-made forecast: the load of every absolute hour, whatever the history.
struct HourlyLoadForecaster: PredictiveLoadForecaster {
  let loadForHour: @Sendable (Int) -> Double

  func forecastLoad(_ request: PredictiveForecastRequest) -> [Double] {
    (0..<request.horizonHours).map { loadForHour(request.refreshHour + $0) }
  }
}

/// Records every request it gets and forecasts zero load.
final class RecordingForecaster: PredictiveLoadForecaster {
  let requests = Mutex<[PredictiveForecastRequest]>([])

  func forecastLoad(_ request: PredictiveForecastRequest) -> [Double] {
    requests.withLock { $0.append(request) }
    return Array(repeating: 0, count: request.horizonHours)
  }
}

/// Hand-computed timelines of predictive scaling with exact injected forecasts. One
/// instance serves 100 units/min; at a 50% CPU target it carries 50, so a forecast load of
/// L units/min is a floor of ceil(L / 50) instances. The first forecast is issued at 24 h
/// (t = 86,400 s, tick 1440 at 1-minute ticks), then every 6 hours.
@Suite struct PredictiveScalingTests {
  static func group(initial: Int, min: Int = 1, max: Int = 50, warmup: SimTime = 0) -> GroupConfiguration {
    GroupConfiguration(
      instanceType: "m5.large", minSize: min, maxSize: max, initialCapacity: initial,
      launchSeconds: 120, warmupSeconds: warmup, capacityUnitsPerMinute: 100)
  }

  static func predictive(
    mode: PredictiveScalingPolicy.Mode = .forecastAndScale, bufferSeconds: SimTime = 0,
    breach: PredictiveScalingPolicy.MaxCapacityBreachBehavior = .honorMaxCapacity, bufferPercent: Int = 0
  ) -> ScalingPolicy {
    .predictive(
      PredictiveScalingPolicy(
        name: "forecast", metric: .averageCPUUtilization, targetValue: 50, mode: mode,
        schedulingBufferSeconds: bufferSeconds, maxCapacityBreachBehavior: breach,
        maxCapacityBufferPercent: bufferPercent))
  }

  static let cpu50 = ScalingPolicy.targetTracking(
    TargetTrackingPolicy(name: "cpu50", metric: .averageCPUUtilization, targetValue: 50))

  static func simulate(
    _ group: GroupConfiguration, _ policies: [ScalingPolicy], demand: [Double],
    forecaster: some PredictiveLoadForecaster
  ) throws -> FleetSimulationResult {
    let forecast = PredictiveLoadForecast(demandPerMinute: demand, tickSeconds: 60, forecaster: forecaster)
    return try FleetSimulator.run(
      FleetSimulationInput(
        group: group, policies: policies, demandPerMinute: demand, tickSeconds: 60,
        random: RandomStream(seed: 7), recordsTimeline: true, predictiveForecast: forecast))
  }

  static func activity(_ time: Double, _ cause: String, _ from: Int, _ to: Int) -> ScalingActivity {
    ScalingActivity(time: time, cause: cause, fromDesired: from, toDesired: to)
  }

  // Demand 100/min for 27 h, no dynamic policy, buffer 600 s. Forecast load 400 (8
  // instances) for every hour but hour 25, 600 (12). Hour 24's floor is due at 85,800 s
  // but no forecast exists before the first refresh at 86,400: it applies then, 2 -> 8.
  // Hour 25's floor applies at 25 h - 600 s = 89,400 s: 8 -> 12, in service at 89,520
  // (tick 1492). Hour 26's floor (8) is lower: predictive never scales in, 12 stay.
  // Hour 24's mean in service: 2 for 120 s, 8 for 3,000 s, 12 for 480 s = 30,000 / 3,600.
  @Test("the floor for hour H applies at H h minus the buffer, from the first forecast on, and never scales in")
  func floorAtHourStartMinusBuffer() throws {
    let demand = Array(repeating: 100.0, count: 27 * 60)
    let result = try Self.simulate(
      Self.group(initial: 2), [Self.predictive(bufferSeconds: 600)], demand: demand,
      forecaster: HourlyLoadForecaster { $0 == 25 ? 600 : 400 })

    #expect(result.activities == [Self.activity(86_400, "forecast", 2, 8), Self.activity(89_400, "forecast", 8, 12)])
    let timeline = try #require(result.timeline)
    #expect(timeline.inService[1_441] == 2 && timeline.inService[1_442] == 8)
    #expect(timeline.inService[1_491] == 8 && timeline.inService[1_492] == 12)
    #expect(timeline.desired.last == 12)
    #expect(
      result.lifetimes.sorted { $0.launchedAt < $1.launchedAt } == [
        InstanceLifetime(count: 2, launchedAt: 0, terminatedAt: 97_200),
        InstanceLifetime(count: 6, launchedAt: 86_400, terminatedAt: 97_200),
        InstanceLifetime(count: 4, launchedAt: 89_400, terminatedAt: 97_200),
      ])
    let record = try #require(result.predictiveForecasts.first)
    #expect(result.predictiveForecasts.count == 1)
    #expect(record.policyName == "forecast" && record.mode == .forecastAndScale)
    #expect(record.forecastCapacity.count == 27)
    #expect(record.forecastCapacity[0..<24].allSatisfy { $0 == nil })
    #expect(Array(record.forecastCapacity[24...]) == [8, 12, 8])
    #expect(Array(record.forecastLoadPerMinute[24...]) == [400, 600, 400])
    #expect(record.actualLoadPerMinute == Array(repeating: 100, count: 27))
    #expect(record.meanInServiceInstances[23] == 2)
    #expect(abs(record.meanInServiceInstances[24] - 30_000.0 / 3_600) < 1e-12)
    #expect(record.meanInServiceInstances[25] == 12 && record.meanInServiceInstances[26] == 12)
  }

  // Ten instances, demand 100/min: target tracking scales in one per minute from 900 s to
  // 2 (CPU 50%). At 24 h the floor (load 300 -> 6) scales out 2 -> 6; CPU 16.7% keeps the
  // low alarm on from 87,420 s but every scale-in is clamped to the floor. At 25 h the
  // floor drops to 3 (load 150): the low alarm scales in at the next datapoints,
  // 6 -> 5 -> 4 -> 3 at 90,060, 90,120, 90,180, and stops at the floor.
  @Test("dynamic scale-in stops at the forecast floor and resumes when the floor drops")
  func noScaleInBelowFloor() throws {
    let demand = Array(repeating: 100.0, count: 26 * 60)
    let result = try Self.simulate(
      Self.group(initial: 10), [Self.cpu50, Self.predictive()], demand: demand,
      forecaster: HourlyLoadForecaster { $0 >= 25 ? 150 : 300 })

    let early = result.activities.filter { $0.time < 86_400 }
    #expect(early.first == Self.activity(900, "cpu50", 10, 9))
    #expect(early.last?.toDesired == 2)
    #expect(
      result.activities.filter { $0.time >= 86_400 } == [
        Self.activity(86_400, "forecast", 2, 6), Self.activity(90_060, "cpu50", 6, 5),
        Self.activity(90_120, "cpu50", 5, 4), Self.activity(90_180, "cpu50", 4, 3),
      ])
    let timeline = try #require(result.timeline)
    // Between 87,420 and 90,000 s the policy is in its low alarm (CPU below 45%) at 6.
    #expect(timeline.cpuUtilization[1_480] < 45 && timeline.desired[1_480] == 6)
    #expect(timeline.desired.last == 3)
  }

  // Demand 100/min, floor 4 from 24 h (load 200). At 25 h demand jumps to 600/min: CPU
  // 100% on 4; the high alarm's third datapoint at 90,180 asks ceil(4 × 100 / 50) = 8;
  // those serve from 90,300, CPU 75% on 8 asks ceil(8 × 75 / 50) = 12 at 90,360.
  @Test("dynamic scaling scales out above the forecast floor")
  func dynamicScaleOutAboveFloor() throws {
    let demand = Array(repeating: 100.0, count: 25 * 60) + Array(repeating: 600.0, count: 30)
    let result = try Self.simulate(
      Self.group(initial: 2), [Self.cpu50, Self.predictive()], demand: demand,
      forecaster: HourlyLoadForecaster { _ in 200 })
    #expect(
      result.activities == [
        Self.activity(86_400, "forecast", 2, 4), Self.activity(90_180, "cpu50", 4, 8),
        Self.activity(90_360, "cpu50", 8, 12),
      ])
    #expect(result.timeline?.inService.last == 12)
  }

  @Test("HonorMaxCapacity caps the floor at the group's maximum")
  func honorMaxCapacity() throws {
    let demand = Array(repeating: 100.0, count: 25 * 60)
    let result = try Self.simulate(
      Self.group(initial: 2, max: 5), [Self.cpu50, Self.predictive()], demand: demand,
      forecaster: HourlyLoadForecaster { _ in 400 })
    #expect(result.activities == [Self.activity(86_400, "forecast", 2, 5)])
    #expect(result.statistics.peakInstances == 5)
    #expect(result.predictiveForecasts.first?.forecastCapacity[24] == 8)
  }

  // Max 5, forecast 8. IncreaseMaxCapacity raises the maximum to ceil(8 × (1 + b / 100))
  // and sets the floor 8: 2 -> 8 at 24 h. Demand 5,000/min from 24.5 h: target tracking
  // asks ceil(8 × 100 / 50) = 16 at 88,380 and is capped at the raised maximum.
  @Test(
    "IncreaseMaxCapacity raises the maximum to forecast × (1 + buffer%), dynamic scaling fills up to it",
    arguments: [(0, 8), (10, 9), (50, 12)])
  func increaseMaxCapacity(bufferPercent: Int, raisedMaximum: Int) throws {
    let demand = Array(repeating: 100.0, count: 1_470) + Array(repeating: 5_000.0, count: 30)
    let result = try Self.simulate(
      Self.group(initial: 2, max: 5),
      [Self.cpu50, Self.predictive(breach: .increaseMaxCapacity, bufferPercent: bufferPercent)], demand: demand,
      forecaster: HourlyLoadForecaster { _ in 400 })
    var expected = [Self.activity(86_400, "forecast", 2, 8)]
    if raisedMaximum > 8 { expected.append(Self.activity(88_380, "cpu50", 8, raisedMaximum)) }
    #expect(result.activities == expected)
    #expect(result.statistics.peakInstances == raisedMaximum)
  }

  @Test("ForecastOnly changes nothing: the same usage as without the policy, and the forecast is still recorded")
  func forecastOnlyChangesNothing() throws {
    // Three days with lunch and dinner peaks.
    let demand = (0..<(3 * 1_440)).map { minute -> Double in
      let hour = Double(minute % 1_440) / 60
      return 300 + 2_000 * exp(-(hour - 12) * (hour - 12) / 2) + 2_500 * exp(-(hour - 18.5) * (hour - 18.5) / 2)
    }
    let forecaster = HourlyLoadForecaster { _ in 5_000 }
    let without = try Self.simulate(Self.group(initial: 4, max: 200), [Self.cpu50], demand: demand, forecaster: forecaster)
    let with = try Self.simulate(
      Self.group(initial: 4, max: 200), [Self.cpu50, Self.predictive(mode: .forecastOnly, bufferSeconds: 300)],
      demand: demand, forecaster: forecaster)
    #expect(with.lifetimes == without.lifetimes)
    #expect(with.statistics == without.statistics)
    #expect(with.activities == without.activities)
    #expect(with.timeline == without.timeline)
    #expect(without.predictiveForecasts.isEmpty)
    let record = try #require(with.predictiveForecasts.first)
    #expect(record.mode == .forecastOnly)
    #expect(record.forecastCapacity[24] == 100 && record.forecastCapacity[71] == 100)
    // The same forecast in ForecastAndScale does act.
    let scaling = try Self.simulate(
      Self.group(initial: 4, max: 200), [Self.cpu50, Self.predictive(bufferSeconds: 300)], demand: demand,
      forecaster: forecaster)
    #expect(scaling.activities.contains { $0.cause == "forecast" && $0.time == 86_400 && $0.toDesired == 100 })
  }

  @Test(
    "no forecast before 24 hours of history; then one refresh every 6 hours before the end",
    arguments: [(1_439, [Int]()), (1_440, []), (1_441, [24]), (1_800, [24]), (1_801, [24, 30]), (2_880, [24, 30, 36, 42])])
  func noForecastBefore24Hours(ticks: Int, refreshHours: [Int]) throws {
    let recorder = RecordingForecaster()
    let demand = Array(repeating: 100.0, count: ticks)
    let result = try Self.simulate(Self.group(initial: 2), [Self.predictive()], demand: demand, forecaster: recorder)
    #expect(recorder.requests.withLock { $0.map(\.refreshHour) } == refreshHours)
    let record = try #require(result.predictiveForecasts.first)
    #expect(record.forecastCapacity[0..<min(24, record.forecastCapacity.count)].allSatisfy { $0 == nil })
    #expect(result.activities.isEmpty)
  }

  // Demand per minute equal to the hour's index (hour 5 is 5/min), 16 days at 10-minute
  // ticks: each refresh must see exactly the whole hours before it, at most 14 days.
  @Test("each 6-hourly refresh sees only the history up to the refresh, at most 14 days of it")
  func refreshUsesHistoryUpToRefresh() throws {
    let recorder = RecordingForecaster()
    let demand = (0..<(16 * 24 * 6)).map { Double($0 / 6) }
    let forecast = PredictiveLoadForecast(demandPerMinute: demand, tickSeconds: 600, forecaster: recorder)
    let requests = recorder.requests.withLock { $0 }
    #expect(requests.map(\.refreshHour) == Array(stride(from: 24, to: 16 * 24, by: 6)))
    for request in requests {
      let count = min(request.refreshHour, 336)
      #expect(request.history.count == count)
      #expect(request.history == (request.refreshHour - count..<request.refreshHour).map(Double.init))
      #expect(request.horizonHours == 48)
    }
    #expect(forecast.issues.map(\.issuedAt) == requests.map { Double($0.refreshHour) * 3_600 })
    #expect(forecast.hourlyLoadPerMinute == (0..<(16 * 24)).map(Double.init))
  }

  // 40-minute ticks straddle hours: hour 0 = (1 × 2400 + 4 × 1200) / 3600 = 2,
  // hour 1 = (4 × 1200 + 7 × 2400) / 3600 = 6.
  @Test("hourly load is the time-weighted mean of the ticks overlapping each hour")
  func hourlyBucketsWeighOverlap() {
    let forecast = PredictiveLoadForecast(
      demandPerMinute: [1, 4, 7], tickSeconds: 2_400, forecaster: HourlyLoadForecaster { _ in 0 })
    #expect(forecast.hourlyLoadPerMinute == [2, 6])
  }

  @Test("forecast capacity: ceil(load / (units per minute × target / 100)) for CPU, ceil(load / target) for requests")
  func forecastCapacityConversion() {
    let cpu = PredictiveScalingPolicy(name: "p", metric: .averageCPUUtilization, targetValue: 40)
    #expect(cpu.forecastCapacity(forLoadPerMinute: 480, capacityUnitsPerMinute: 120) == 10)
    #expect(cpu.forecastCapacity(forLoadPerMinute: 481, capacityUnitsPerMinute: 120) == 11)
    #expect(cpu.forecastCapacity(forLoadPerMinute: 0, capacityUnitsPerMinute: 120) == 0)
    let requests = PredictiveScalingPolicy(name: "p", metric: .requestCountPerTarget, targetValue: 250)
    #expect(requests.forecastCapacity(forLoadPerMinute: 1_000, capacityUnitsPerMinute: 120) == 4)
    #expect(requests.forecastCapacity(forLoadPerMinute: 1_001, capacityUnitsPerMinute: 120) == 5)
  }

  @Test(
    "predictive policy validation names the field, the range and the value",
    arguments: [
      (PredictiveScalingPolicy(name: "p", metric: .averageCPUUtilization, targetValue: 0), "targetValue"),
      (PredictiveScalingPolicy(name: "p", metric: .averageCPUUtilization, targetValue: 100), "targetValue"),
      (PredictiveScalingPolicy(name: "p", metric: .requestCountPerTarget, targetValue: -1), "targetValue"),
      (PredictiveScalingPolicy(name: "p", metric: .averageCPUUtilization, targetValue: 50, schedulingBufferSeconds: 3_601), "schedulingBufferSeconds"),
      (PredictiveScalingPolicy(name: "p", metric: .averageCPUUtilization, targetValue: 50, schedulingBufferSeconds: -1), "schedulingBufferSeconds"),
      (PredictiveScalingPolicy(
        name: "p", metric: .averageCPUUtilization, targetValue: 50, maxCapacityBreachBehavior: .increaseMaxCapacity,
        maxCapacityBufferPercent: 101), "maxCapacityBufferPercent"),
      (PredictiveScalingPolicy(name: "p", metric: .averageCPUUtilization, targetValue: 50, maxCapacityBufferPercent: 10), "maxCapacityBufferPercent"),
    ])
  func validation(policy: PredictiveScalingPolicy, field: String) {
    #expect(throws: AutoScalingError.self) { try ScalingPolicy.predictive(policy).validate() }
    do {
      try policy.validate()
    } catch {
      #expect(error.field == field && error.policy == "p")
    }
  }

  @Test("a forecast built from another demand grid is rejected")
  func mismatchedForecast() {
    let forecast = PredictiveLoadForecast(
      demandPerMinute: [1, 2, 3], tickSeconds: 60, forecaster: HourlyLoadForecaster { _ in 0 })
    let input = FleetSimulationInput(
      group: Self.group(initial: 2), policies: [Self.predictive()], demandPerMinute: [1, 2], tickSeconds: 60,
      random: RandomStream(seed: 1), predictiveForecast: forecast)
    #expect(throws: AutoScalingError.self) { try FleetSimulator.run(input) }
  }

  // Ten days of a daily peak at noon: 1,000/min overnight, 4,000/min at the top. With the
  // real forecaster (seasonal naive until about 64 h, then SeasonalRegression), from day 4
  // the forecast at the peak hour is within 5% of what the hour needs, and the group has
  // that many instances in service through the peak hour.
  @Test("with SeasonalRegression on daily-periodic demand the floor tracks the daily peak")
  func seasonalRegressionFloorTracksPeak() throws {
    let demand = (0..<(10 * 1_440)).map { minute -> Double in
      let hour = Double(minute % 1_440) / 60
      return 1_000 + 3_000 * exp(-(hour - 12) * (hour - 12) / 4.5)
    }
    let forecast = PredictiveLoadForecast(
      demandPerMinute: demand, tickSeconds: 60, forecaster: SeasonalRegressionLoadForecaster())
    let result = try FleetSimulator.run(
      FleetSimulationInput(
        group: Self.group(initial: 20, max: 200, warmup: 300), policies: [Self.cpu50, Self.predictive(bufferSeconds: 600)],
        demandPerMinute: demand, tickSeconds: 60, random: RandomStream(seed: 3), predictiveForecast: forecast))
    let record = try #require(result.predictiveForecasts.first)
    for day in 4..<10 {
      let peak = day * 24 + 12
      let needed = Double(record.actualLoadPerMinute[peak]) / 50
      let forecastCapacity = Double(try #require(record.forecastCapacity[peak]))
      #expect(abs(forecastCapacity - needed) <= 0.05 * needed, "day \(day): forecast \(forecastCapacity), needed \(needed)")
      #expect(record.meanInServiceInstances[peak] >= forecastCapacity, "day \(day)")
      let trough = day * 24 + 2
      #expect(try #require(record.forecastCapacity[trough]) < Int(forecastCapacity) / 2)
    }
  }
}
