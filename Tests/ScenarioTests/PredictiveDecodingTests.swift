import AutoScaling
import Foundation
import Testing

@testable import Scenario

/// `predictive` policies: AWS's PredictiveScalingConfiguration names, AWS's defaults, and
/// located errors. Line numbers refer to `Fixture.minimal` (the policy is on line 14).
@Suite struct PredictiveDecodingTests {
  static let tracking = "- targetTracking: {metric: cpu, target: 50}"

  static func policies(_ line: String) throws -> [ScalingPolicy] {
    try Fixture.parse(Fixture.minimal(replacing: tracking, with: line)).variants[0].policies
  }

  @Test("every key decodes to the policy, AWS names and values as written")
  func everyKey() throws {
    let policies = try Self.policies("""
            - targetTracking: {metric: cpu, target: 60}
            - predictive:
                name: forecast
                metric: ALBRequestCountPerTarget
                targetValue: 800
                mode: ForecastAndScale
                schedulingBufferTime: 10m
                maxCapacityBreachBehavior: IncreaseMaxCapacity
                maxCapacityBuffer: 15
      """)
    #expect(policies.count == 2)
    #expect(
      policies[1]
        == .predictive(
          PredictiveScalingPolicy(
            name: "forecast", metric: .requestCountPerTarget, targetValue: 800, mode: .forecastAndScale,
            schedulingBufferSeconds: 600, maxCapacityBreachBehavior: .increaseMaxCapacity, maxCapacityBufferPercent: 15)))
  }

  @Test("defaults are AWS's: ForecastOnly, a 300 s buffer, HonorMaxCapacity, no max buffer")
  func defaults() throws {
    let policies = try Self.policies("      - predictive: {metric: cpu, targetValue: 40}")
    #expect(
      policies
        == [
          .predictive(
            PredictiveScalingPolicy(
              name: "predictive-1", metric: .averageCPUUtilization, targetValue: 40, mode: .forecastOnly,
              schedulingBufferSeconds: 300, maxCapacityBreachBehavior: .honorMaxCapacity, maxCapacityBufferPercent: 0))
        ])
    // A bare number of seconds is a buffer too.
    let seconds = try Self.policies("      - predictive: {metric: cpu, targetValue: 40, schedulingBufferTime: 0}")
    guard case .predictive(let policy) = seconds.first else { Issue.record("not predictive"); return }
    #expect(policy.schedulingBufferSeconds == 0)
  }

  static let mistakes: [Mistake] = [
    Mistake(
      "buffer time above an hour", replacing: tracking,
      with: "      - predictive: {metric: cpu, targetValue: 40, schedulingBufferTime: 2h}", at: 14, 74,
      "'schedulingBufferTime' must be in 0s...1h, found 2h"),
    Mistake(
      "max capacity buffer above 100%", replacing: tracking,
      with: "      - predictive: {metric: cpu, targetValue: 40, maxCapacityBreachBehavior: IncreaseMaxCapacity, maxCapacityBuffer: 150}",
      at: 14, 119, "'maxCapacityBuffer' must be in 0...100, found 150"),
    Mistake(
      "max capacity buffer without IncreaseMaxCapacity", replacing: tracking,
      with: "      - predictive: {metric: cpu, targetValue: 40, maxCapacityBuffer: 10}", at: 14, 52,
      "'maxCapacityBuffer' cannot be combined with 'maxCapacityBreachBehavior: HonorMaxCapacity (the default)': "
        + "a max capacity buffer is used only with maxCapacityBreachBehavior: IncreaseMaxCapacity"),
    Mistake(
      "mode in the wrong case", replacing: tracking,
      with: "      - predictive: {metric: cpu, targetValue: 40, mode: forecastAndScale}", at: 14, 58,
      "'mode' should be one of ForecastOnly, ForecastAndScale, found \"forecastAndScale\"; did you mean 'ForecastAndScale'?"),
    Mistake(
      "CPU target of 150%", replacing: tracking, with: "      - predictive: {metric: cpu, targetValue: 150}", at: 14, 48,
      "policy 'predictive-1': 'targetValue' should be a CPU percentage in (0, 100), found 150.0"),
    Mistake(
      "missing target value", replacing: tracking, with: "      - predictive: {metric: cpu}", at: 14, 9,
      "missing required key 'targetValue' in 'variants[0].policies[0].predictive'"),
    Mistake(
      "unknown key with a suggestion", replacing: tracking,
      with: "      - predictive: {metric: cpu, target: 40}", at: 14, 35,
      "unknown key 'target' in 'variants[0].policies[0].predictive'. Allowed keys: name, "
        + "metric, targetValue, mode, schedulingBufferTime, maxCapacityBreachBehavior, maxCapacityBuffer"),
  ]

  @Test("each mistake in a predictive policy is reported at its line and column", arguments: mistakes)
  func mistakeIsLocated(_ mistake: Mistake) throws {
    let error = try #require(Fixture.error(mistake.yaml))
    #expect(error.description == "test.yaml:\(mistake.line):\(mistake.column): \(mistake.message)")
  }

  // Three synthetic days; the forecast is computed once and both predictive variants see
  // the same one; ForecastOnly costs exactly what target tracking alone costs.
  @Test("a run reports each predictive variant's hourly forecast; ForecastOnly leaves usage unchanged")
  func runReportsForecast() throws {
    let yaml = """
      name: predictive
      timeZone: Asia/Seoul
      demand:
        synthetic: {start: 2026-03-02T00:00:00, days: 3, interval: 1m, baselinePerMinute: 400}
      capacity:
        unitsPerMinute: {m5.large: 120}
      fleet: {region: ap-northeast-2, instanceType: m5.large, minSize: 2, maxSize: 100}
      variants:
        - name: tracking
          policies:
            - targetTracking: {metric: cpu, target: 60}
        - name: forecast-only
          policies:
            - targetTracking: {metric: cpu, target: 60}
            - predictive: {name: forecast, metric: cpu, targetValue: 60}
        - name: forecast-and-scale
          policies:
            - targetTracking: {metric: cpu, target: 60}
            - predictive: {name: forecast, metric: cpu, targetValue: 60, mode: ForecastAndScale, schedulingBufferTime: 10m}
      """
    let definition = try Fixture.parse(yaml)
    let result = try ScenarioRunner.run(try ScenarioRunner.prepare(definition))
    let (tracking, only, scaling) = (result.variants[0], result.variants[1], result.variants[2])
    #expect(tracking.predictiveForecasts.isEmpty)
    #expect(only.statistics == tracking.statistics && only.costUSD == tracking.costUSD)
    #expect(only.activities == tracking.activities)
    let onlyRecord = try #require(only.predictiveForecasts.first)
    let scalingRecord = try #require(scaling.predictiveForecasts.first)
    #expect(onlyRecord.forecastCapacity.count == 72)
    #expect(onlyRecord.forecastCapacity[..<24].allSatisfy { $0 == nil })
    #expect(onlyRecord.forecastCapacity[24...].allSatisfy { ($0 ?? 0) > 0 })
    #expect(onlyRecord.forecastLoadPerMinute == scalingRecord.forecastLoadPerMinute)
    #expect(scaling.activities.contains { $0.cause == "forecast" })
    #expect(scaling.policySummaries.contains("forecast: predictive cpu 60, ForecastAndScale, buffer 600 s"))
  }
}
