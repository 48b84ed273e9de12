import Simulation
import Testing

@testable import AutoScaling

/// Properties every run keeps, over seeded random demand and policies.
@Suite struct FleetInvariantTests {
  static func randomDemand(_ random: inout RandomStream, ticks: Int) -> [Double] {
    var level = 400.0
    return (0..<ticks).map { _ in
      level = max(0, level + random.nextNormal(mean: 0, standardDeviation: 40))
      return random.nextUnitDouble() < 0.01 ? level * 4 : level  // occasional spikes
    }
  }

  static let policies: [[ScalingPolicy]] = [
    [.targetTracking(TargetTrackingPolicy(name: "tt", metric: .averageCPUUtilization, targetValue: 55))],
    [.targetTracking(TargetTrackingPolicy(name: "rc", metric: .requestCountPerTarget, targetValue: 70))],
    [
      .step(
        StepScalingPolicy(
          name: "out",
          alarm: AlarmConfiguration(metric: .averageCPUUtilization, comparison: .greaterThanThreshold, threshold: 70),
          adjustmentType: .percentChangeInCapacity,
          steps: [StepAdjustment(lowerBound: 0, upperBound: nil, scalingAdjustment: 30)], minAdjustmentMagnitude: 2)),
      .simple(
        SimpleScalingPolicy(
          name: "in",
          alarm: AlarmConfiguration(metric: .averageCPUUtilization, comparison: .lessThanThreshold, threshold: 30, evaluationPeriods: 5),
          adjustmentType: .changeInCapacity, scalingAdjustment: -1, cooldownSeconds: 120)),
    ],
  ]

  @Test("conservation and bounds hold for random demand", arguments: 0..<3, [0.0, 45.0])
  func conservation(policyIndex: Int, jitter: Double) throws {
    var random = RandomStream(seed: 99).substream(named: "demand-\(policyIndex)")
    let demand = Self.randomDemand(&random, ticks: 2_000)
    let group = GroupConfiguration(
      instanceType: "m5.large", minSize: 2, maxSize: 30, initialCapacity: 3, launchSeconds: 90,
      launchJitterSeconds: jitter, warmupSeconds: 120, capacityUnitsPerMinute: 100)
    let result = try FleetSimulator.run(
      FleetSimulationInput(
        group: group, policies: Self.policies[policyIndex], demandPerMinute: demand, tickSeconds: 60,
        random: RandomStream(seed: 5).substream(named: "variant"), recordsTimeline: true))
    let stats = result.statistics
    let total = demand.reduce(0, +)
    #expect(abs(stats.demandUnits - total) <= 1e-9 * total)
    #expect(abs(stats.servedUnits + stats.delayedUnits - stats.demandUnits) <= 1e-9 * total)
    let timeline = try #require(result.timeline)
    #expect(timeline.running.allSatisfy { (2...30).contains($0) })
    #expect(timeline.inService.indices.allSatisfy { timeline.inService[$0] <= timeline.running[$0] })
    #expect(stats.peakInstances == timeline.running.max())
    // Lifetimes add up to the running count integrated over time: each tick's running
    // instances exist for the whole tick.
    var lifetimeSeconds = 0.0
    for lifetime in result.lifetimes {
      #expect(lifetime.launchedAt <= lifetime.terminatedAt)
      lifetimeSeconds += Double(lifetime.count) * (lifetime.terminatedAt - lifetime.launchedAt)
    }
    let runningSeconds = timeline.running.reduce(0.0) { $0 + Double($1) * 60 }
    #expect(abs(lifetimeSeconds - runningSeconds) < 1e-6)
    #expect(stats.scaleOutActions + stats.scaleInActions == result.activities.count)
    #expect(stats.scaleOutActions > 0 && stats.scaleInActions > 0)
  }

  @Test("same seed gives the same run; launch jitter draws from the variant's own stream")
  func determinism() throws {
    var random = RandomStream(seed: 1)
    let demand = Self.randomDemand(&random, ticks: 1_000)
    let group = GroupConfiguration(
      instanceType: "m5.large", minSize: 1, maxSize: 40, initialCapacity: 2, launchSeconds: 120,
      launchJitterSeconds: 60, warmupSeconds: 60, capacityUnitsPerMinute: 100)
    func run(_ name: String) throws -> FleetSimulationResult {
      try FleetSimulator.run(
        FleetSimulationInput(
          group: group, policies: Self.policies[0], demandPerMinute: demand, tickSeconds: 60,
          random: RandomStream(seed: 42).substream(named: name)))
    }
    #expect(try run("a") == run("a"))
    #expect(try run("a").lifetimes != run("b").lifetimes)
  }

  @Test("a metric period that is not a whole number of ticks is rejected")
  func periodMustAlignWithTick() {
    let policy = ScalingPolicy.targetTracking(
      TargetTrackingPolicy(name: "tt", metric: .averageCPUUtilization, targetValue: 50, metricPeriodSeconds: 90))
    let input = FleetSimulationInput(
      group: FleetTimelineTests.group(initial: 2), policies: [policy], demandPerMinute: [1, 2],
      tickSeconds: 60, random: RandomStream(seed: 1))
    #expect(throws: AutoScalingError.self) { try FleetSimulator.run(input) }
    do {
      _ = try FleetSimulator.run(input)
    } catch {
      #expect(error.description == "policy 'tt': 'period' should be a whole multiple of the simulation tick (60.0 s), found 90.0 s")
    }
  }

  @Test("negative or non-finite demand is rejected with its index")
  func badDemand() {
    let input = FleetSimulationInput(
      group: FleetTimelineTests.group(initial: 2), policies: [], demandPerMinute: [1, .nan],
      tickSeconds: 60, random: RandomStream(seed: 1))
    do {
      _ = try FleetSimulator.run(input)
      Issue.record("expected an error")
    } catch {
      #expect(error.field == "demandPerMinute[1]")
    }
  }
}

@Suite struct StepValidationTests {
  static func policy(_ steps: [StepAdjustment]) -> StepScalingPolicy {
    StepScalingPolicy(
      name: "p",
      alarm: AlarmConfiguration(metric: .averageCPUUtilization, comparison: .greaterThanOrEqualToThreshold, threshold: 60),
      adjustmentType: .changeInCapacity, steps: steps)
  }

  @Test("step intervals with a gap are rejected, naming the step")
  func gap() {
    let p = Self.policy([
      StepAdjustment(lowerBound: 0, upperBound: 10, scalingAdjustment: 1),
      StepAdjustment(lowerBound: 15, upperBound: nil, scalingAdjustment: 2),
    ])
    #expect(throws: AutoScalingError.self) { try p.validate() }
    do { try p.validate() } catch {
      #expect(error.field == "steps[1].lowerBound")
      #expect(error.found.contains("gap"))
    }
  }

  @Test("step intervals that overlap are rejected")
  func overlap() {
    let p = Self.policy([
      StepAdjustment(lowerBound: 0, upperBound: 20, scalingAdjustment: 1),
      StepAdjustment(lowerBound: 10, upperBound: nil, scalingAdjustment: 2),
    ])
    do {
      try p.validate()
      Issue.record("expected an error")
    } catch {
      #expect(error.found.contains("overlap"))
    }
  }

  @Test("the step is chosen by the breach size: lower bound inclusive, upper exclusive")
  func stepLookup() {
    let p = Self.policy([
      StepAdjustment(lowerBound: 0, upperBound: 10, scalingAdjustment: 1),
      StepAdjustment(lowerBound: 10, upperBound: nil, scalingAdjustment: 3),
    ])
    #expect(p.step(forBreach: 60)?.scalingAdjustment == 1)
    #expect(p.step(forBreach: 69.99)?.scalingAdjustment == 1)
    #expect(p.step(forBreach: 70)?.scalingAdjustment == 3)
    #expect(p.step(forBreach: 59) == nil)
  }

  @Test("group bounds are checked before any arithmetic")
  func groupBounds() {
    var group = FleetTimelineTests.group(initial: 2)
    group.maxSize = Int.max
    #expect(throws: AutoScalingError.self) { try group.validate() }
    group = FleetTimelineTests.group(initial: 2)
    group.capacityUnitsPerMinute = 0
    #expect(throws: AutoScalingError.self) { try group.validate() }
  }
}
