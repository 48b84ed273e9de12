import AutoScaling
import Foundation
import Testing

@testable import Scenario

@Suite struct ScenarioDecodingTests {
  static let full = """
    name: seoul-food-delivery
    description: Order API in Seoul
    timeZone: Asia/Seoul
    demand:
      synthetic:
        start: 2026-03-02T00:00:00
        days: 28
        interval: 1m
        baselinePerMinute: 300
        lunchPeakHour: 12
        dinnerPeakHour: 18.5
        weekendMultiplier: 1.3
        noiseSigma: 0.05
        promotions:
          - {start: 2026-03-13T18:00:00, duration: 90m, multiplier: 2.5}
        holidays:
          - {date: 2026-03-01, multiplier: 1.4}
      values: perMinute
      scale: 1.5
      shift: -2h
      growthPercentPerYear: 12
    capacity:
      unitsPerMinute: {m5.large: 120, c6i.large: 140.5}
    fleet:
      region: ap-northeast-2
      instanceType: m5.large
      minSize: 2
      maxSize: 60
      launchTime: 2m
      launchJitter: 30s
      warmup: 5m
    variants:
      - name: target-cpu-50
        description: console default
        fleet: {minSize: 4, maxSize: 80, launchTime: 90s, warmup: 3m}
        policies:
          - targetTracking: {name: cpu-50, metric: cpu, target: 50, disableScaleIn: true,
                             scaleOutDatapoints: 2, scaleInDatapoints: 10, scaleInThresholdRatio: 0.8,
                             metricPeriod: 5m, scaleInMaxFraction: 0.2}
          - scheduled: {name: lunch-floor, recurrence: "30 10 * * MON-FRI", minSize: 10, maxSize: 80, desiredCapacity: 12}
          - scheduled: {at: 2026-03-14T17:00:00, desiredCapacity: 20}
      - name: steps
        policies:
          - step:
              alarm: {metric: cpu, comparison: ">=", threshold: 70, period: 1m, evaluationPeriods: 3, datapointsToAlarm: 2}
              adjustmentType: PercentChangeInCapacity
              steps: [{lower: 0, upper: 10, adjustment: 10}, {lower: 10, adjustment: 30}]
              minAdjustmentMagnitude: 2
              estimatedInstanceWarmup: 3m
          - simple: {name: in, alarm: {metric: requestCountPerTarget, comparison: LessThanThreshold, threshold: 20},
                     adjustmentType: ChangeInCapacity, adjustment: -2, cooldown: 10m}
    simulation:
      start: 2026-03-02T00:00:00
      duration: 28d
      tick: 30s
      seed: 18446744073709551615

    """

  @Test("a full scenario decodes with durations in seconds, defaults applied and variant overrides merged")
  func fullScenario() throws {
    let scenario = try Fixture.parse(Self.full)
    let seoul = try #require(TimeZone(identifier: "Asia/Seoul"))
    #expect(scenario.name == "seoul-food-delivery")
    #expect(scenario.description == "Order API in Seoul")
    #expect(scenario.timeZone == seoul)
    #expect(scenario.file == "test.yaml")
    #expect(scenario.capacityUnitsPerMinute == ["m5.large": 120, "c6i.large": 140.5])

    // Demand: local timestamps in Seoul (UTC+9), durations in seconds.
    guard case .synthetic(let synthetic) = scenario.demand.source else {
      Issue.record("expected a synthetic source, got \(scenario.demand.source)")
      return
    }
    #expect(synthetic.start == .utc("2026-03-01T15:00:00Z"))
    #expect(synthetic.days == 28)
    #expect(synthetic.intervalSeconds == 60)
    #expect(synthetic.baselinePerMinute == 300)
    #expect(synthetic.dinnerPeakHour == 18.5)
    #expect(synthetic.weekendMultiplier == 1.3)
    #expect(synthetic.noiseSigma == 0.05)
    #expect(synthetic.promotions.map(\.start) == [.utc("2026-03-13T09:00:00Z")])
    #expect(synthetic.promotions.map(\.durationSeconds) == [5_400])
    #expect(synthetic.promotions.map(\.multiplier) == [2.5])
    #expect(synthetic.holidays == [.init(date: LocalDate(year: 2026, month: 3, day: 1), multiplier: 1.4)])
    #expect(scenario.demand.values == .perMinute)
    #expect(scenario.demand.intervalSeconds == nil)
    #expect(scenario.demand.gaps == .error)
    #expect(scenario.demand.scale == 1.5)
    #expect(scenario.demand.shiftSeconds == -7_200)
    #expect(scenario.demand.growthPercentPerYear == 12)
    #expect(scenario.demand.location == SourceLocation(file: "test.yaml", line: 5, column: 3))

    // Fleet: initialCapacity defaults to minSize, capacity from the map.
    #expect(scenario.fleet.region == "ap-northeast-2")
    #expect(scenario.fleet.group == GroupConfiguration(
      instanceType: "m5.large", minSize: 2, maxSize: 60, initialCapacity: 2, launchSeconds: 120,
      launchJitterSeconds: 30, warmupSeconds: 300, capacityUnitsPerMinute: 120))

    // Variant 1: overrides applied (initialCapacity follows the variant's minSize), the rest inherited.
    let first = scenario.variants[0]
    #expect(first.name == "target-cpu-50")
    #expect(first.description == "console default")
    #expect(first.group == GroupConfiguration(
      instanceType: "m5.large", minSize: 4, maxSize: 80, initialCapacity: 4, launchSeconds: 90,
      launchJitterSeconds: 30, warmupSeconds: 180, capacityUnitsPerMinute: 120))
    #expect(first.policies == [.targetTracking(TargetTrackingPolicy(
      name: "cpu-50", metric: .averageCPUUtilization, targetValue: 50, disableScaleIn: true, scaleOutDatapoints: 2,
      scaleInDatapoints: 10, scaleInThresholdRatio: 0.8, metricPeriodSeconds: 300, scaleInMaxFraction: 0.2))])
    #expect(first.location == SourceLocation(file: "test.yaml", line: 33, column: 5))
    #expect(first.policyLocations["cpu-50"] == SourceLocation(file: "test.yaml", line: 37, column: 9))
    #expect(first.scheduledActions.count == 2)
    let lunch = first.scheduledActions[0]
    #expect(lunch.name == "lunch-floor")
    #expect(lunch.schedule == .recurrence(try CronExpression("30 10 * * MON-FRI")))
    #expect([lunch.minSize, lunch.maxSize, lunch.desiredCapacity] == [10, 80, 12])
    #expect(first.policyLocations["lunch-floor"] == SourceLocation(file: "test.yaml", line: 40, column: 9))
    let once = first.scheduledActions[1]
    #expect(once.name == "scheduled-3")  // default name: type and 1-based position
    #expect(once.schedule == .at(.utc("2026-03-14T08:00:00Z")))
    #expect([once.minSize, once.maxSize, once.desiredCapacity] == [nil, nil, 20])

    // Variant 2: no overrides, the fleet's group; step and simple with defaults.
    let second = scenario.variants[1]
    #expect(second.group == scenario.fleet.group)
    #expect(second.policies == [
      .step(StepScalingPolicy(
        name: "step-1",
        alarm: AlarmConfiguration(
          metric: .averageCPUUtilization, comparison: .greaterThanOrEqualToThreshold, threshold: 70, periodSeconds: 60,
          evaluationPeriods: 3, datapointsToAlarm: 2),
        adjustmentType: .percentChangeInCapacity,
        steps: [
          StepAdjustment(lowerBound: 0, upperBound: 10, scalingAdjustment: 10),
          StepAdjustment(lowerBound: 10, upperBound: nil, scalingAdjustment: 30),
        ],
        minAdjustmentMagnitude: 2, estimatedInstanceWarmupSeconds: 180)),
      .simple(SimpleScalingPolicy(
        name: "in",
        alarm: AlarmConfiguration(
          metric: .requestCountPerTarget, comparison: .lessThanThreshold, threshold: 20, periodSeconds: 60,
          evaluationPeriods: 1, datapointsToAlarm: 1),
        adjustmentType: .changeInCapacity, scalingAdjustment: -2, cooldownSeconds: 600)),
    ])
    #expect(Set(second.policyLocations.keys) == ["step-1", "in"])

    #expect(scenario.simulation == SimulationSettings(
      start: .utc("2026-03-01T15:00:00Z"), end: nil, durationSeconds: 28 * 86_400, tickSeconds: 30,
      seed: .max))
  }

  @Test("a minimal scenario takes every documented default")
  func minimalScenarioDefaults() throws {
    let scenario = try Fixture.parse(Fixture.minimal)
    #expect(scenario.description == nil)
    #expect(scenario.timeZone.secondsFromGMT() == 0)
    #expect(scenario.demand.source == .csv(Fixture.directory.appendingPathComponent("data/orders.csv").standardizedFileURL))
    #expect(scenario.demand.values == .totalPerInterval)
    #expect(scenario.demand.gaps == .error)
    #expect(scenario.demand.scale == 1)
    #expect(scenario.demand.shiftSeconds == 0)
    #expect(scenario.demand.growthPercentPerYear == 0)
    #expect(scenario.fleet.group.initialCapacity == 2)
    #expect(scenario.fleet.group.launchSeconds == 120)
    #expect(scenario.fleet.group.launchJitterSeconds == 0)
    #expect(scenario.fleet.group.warmupSeconds == 300)
    #expect(scenario.variants[0].policies == [.targetTracking(TargetTrackingPolicy(
      name: "targetTracking-1", metric: .averageCPUUtilization, targetValue: 50))])
    #expect(scenario.simulation == SimulationSettings(start: nil, end: nil, durationSeconds: nil, tickSeconds: 60, seed: 1))
  }

  @Test("a cloudwatch source resolves its path and keeps metricId and statistic; an explicit fleet initialCapacity is inherited")
  func cloudWatchSource() throws {
    let yaml = Fixture.minimal
      .replacingOccurrences(of: "csv: data/orders.csv", with: """
        cloudwatch: data/metric.json
          metricId: m1
          statistic: Sum
          interval: 5m
          gaps: interpolate
        """)
      .replacingOccurrences(of: "maxSize: 10", with: "maxSize: 10\n  initialCapacity: 3")
      .replacingOccurrences(of: "  - name: a\n", with: "  - name: a\n    fleet: {maxSize: 20}\n")
    let scenario = try Fixture.parse(yaml)
    let url = Fixture.directory.appendingPathComponent("data/metric.json").standardizedFileURL
    #expect(scenario.demand.source == .cloudWatch(url, metricId: "m1", statistic: "Sum"))
    #expect(scenario.demand.intervalSeconds == 300)
    #expect(scenario.demand.gaps == .interpolate)
    #expect(scenario.variants[0].group.initialCapacity == 3)
    #expect(scenario.variants[0].group.maxSize == 20)
  }

  @Test("durations accept seconds as numbers and s, m, h, d suffixes",
        arguments: [("90", 90.0), ("1.5", 1.5), ("90s", 90), ("5m", 300), ("1.5h", 5_400), ("1d", 86_400)])
  func durationForms(text: String, seconds: Double) throws {
    let scenario = try Fixture.parse(Fixture.minimal(replacing: "maxSize: 10", with: "  maxSize: 10\n  warmup: \(text)"))
    #expect(scenario.fleet.group.warmupSeconds == seconds)
  }

  @Test("timestamps with Z or an offset ignore the time zone; a repeated local time means its first occurrence")
  func timestampForms() throws {
    func start(_ text: String, zone: String) throws -> Date? {
      let yaml = Fixture.minimal.replacingOccurrences(of: "name: test\n", with: "name: test\ntimeZone: \(zone)\n")
        + "simulation: {start: \(text)}\n"
      return try Fixture.parse(yaml).simulation.start
    }
    #expect(try start("2026-03-02T09:00:00Z", zone: "Asia/Seoul") == .utc("2026-03-02T09:00:00Z"))
    #expect(try start("2026-03-02T09:00:00+09:00", zone: "UTC") == .utc("2026-03-02T00:00:00Z"))
    #expect(try start("2026-03-02T09:00:00-0530", zone: "UTC") == .utc("2026-03-02T14:30:00Z"))
    #expect(try start("2026-03-02T23:00:00+14", zone: "UTC") == .utc("2026-03-02T09:00:00Z"))  // the widest offset
    #expect(try start("2026-03-02t09:00:00z", zone: "Asia/Seoul") == .utc("2026-03-02T09:00:00Z"))
    #expect(try start("2026-03-02", zone: "Asia/Seoul") == .utc("2026-03-01T15:00:00Z"))
    #expect(try start("\"2026-03-02 09:00:00.5\"", zone: "Asia/Seoul") == .utc("2026-03-02T00:00:00Z").addingTimeInterval(0.5))
    // 2026-11-01 01:30 happens twice in New York (EDT, then EST): the first is 05:30Z.
    #expect(try start("2026-11-01T01:30:00", zone: "America/New_York") == .utc("2026-11-01T05:30:00Z"))
  }

  @Test("YAML anchors and aliases can share an alarm between policies")
  func aliasesAreFollowed() throws {
    let scenario = try Fixture.parse(Fixture.minimal(replacing: "- targetTracking: {metric: cpu, target: 50}", with: """
            - simple: {name: out, alarm: &busy {metric: cpu, comparison: ">", threshold: 70},
                       adjustmentType: ChangeInCapacity, adjustment: 2}
            - step: {name: more, alarm: *busy, adjustmentType: ChangeInCapacity, steps: [{lower: 0, adjustment: 1}]}
      """))
    guard case .simple(let simple) = scenario.variants[0].policies[0], case .step(let step) = scenario.variants[0].policies[1]
    else {
      Issue.record("expected a simple and a step policy, got \(scenario.variants[0].policies)")
      return
    }
    #expect(simple.alarm == step.alarm)
    #expect(step.alarm.threshold == 70)
  }

  @Test("load(path:) reads a file and resolves demand paths against its directory")
  func loadFromFile() throws {
    let path = Fixture.directory.appendingPathComponent("scenario.yaml").path
    try Fixture.minimal.write(toFile: path, atomically: true, encoding: .utf8)
    let scenario = try ScenarioDefinition.load(path: path)
    #expect(scenario.file == path)
    #expect(scenario.baseDirectory.standardizedFileURL.path == Fixture.directory.standardizedFileURL.path)
  }

  @Test("scheduledAction(from:to:in:) gives firing times in seconds since the simulation start")
  func scheduledActionToEngineTimes() throws {
    let action = ScheduledActionDefinition(
      name: "lunch", schedule: .recurrence(try CronExpression("30 11 * * *")), minSize: 22)
    let seoul = try #require(TimeZone(identifier: "Asia/Seoul"))
    let start = Date.utc("2026-03-01T15:00:00Z")  // 2026-03-02 00:00 Seoul
    let engine = action.scheduledAction(from: start, to: start.addingTimeInterval(2 * 86_400), in: seoul)
    #expect(engine == ScheduledAction(name: "lunch", firingTimes: [41_400, 127_800], minSize: 22))
  }
}
