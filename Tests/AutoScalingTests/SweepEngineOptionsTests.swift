import Simulation
import Testing

@testable import AutoScaling

/// What the sweep's per-point path changed in the engine: activities can be left out, the
/// timeline's window is only a recording, and the rounding helpers equal `rounded`.
@Suite struct SweepEngineOptionsTests {
  static func input(policies: Int, recordsTimeline: Bool = false) -> FleetSimulationInput {
    var random = RandomStream(seed: 7).substream(named: "demand")
    let demand = FleetInvariantTests.randomDemand(&random, ticks: 3_000)
    let group = GroupConfiguration(
      instanceType: "m5.large", minSize: 2, maxSize: 30, initialCapacity: 3, launchSeconds: 90,
      launchJitterSeconds: 30, warmupSeconds: 120, capacityUnitsPerMinute: 100)
    return FleetSimulationInput(
      group: group, policies: FleetInvariantTests.policies[policies], demandPerMinute: demand, tickSeconds: 60,
      random: RandomStream(seed: 5).substream(named: "variant"), recordsTimeline: recordsTimeline)
  }

  @Test("without activities a run is the same run, minus the activity list", arguments: 0..<3)
  func activitiesLeftOut(policies: Int) throws {
    let full = try FleetSimulator.run(Self.input(policies: policies))
    var input = Self.input(policies: policies)
    input.recordsActivities = false
    var lean = try FleetSimulator.run(input)
    #expect(lean.activities.isEmpty)
    #expect(!full.activities.isEmpty)
    lean.activities = full.activities
    #expect(lean == full)
  }

  @Test("recording a window of the timeline changes no statistic or lifetime", arguments: 0..<3)
  func timelineWindowIsOnlyARecording(policies: Int) throws {
    let plain = try FleetSimulator.run(Self.input(policies: policies))
    var input = Self.input(policies: policies, recordsTimeline: true)
    input.timelineTicks = 1_440..<2_880
    let recorded = try FleetSimulator.run(input)
    #expect(recorded.statistics == plain.statistics)
    #expect(recorded.lifetimes == plain.lifetimes)
    #expect(recorded.activities == plain.activities)
    let timeline = try #require(recorded.timeline)
    #expect(timeline.firstTick == 1_440)
    #expect(timeline.running.count == 1_440)
  }

  @Test("ExactRounding.floor and ceilingInt equal rounded(.down) and rounded(.up)")
  func rounding() {
    var random = RandomStream(seed: 3)
    var values: [Double] = [
      0, -0.0, 1, -1, 0.5, -0.5, 1e-9, -1e-9, 2.999999999, 3, 3.000000001, -2.5, 1_000_000, 999_999.999_999,
      4_503_599_627_370_496, -4_503_599_627_370_496, 4_503_599_627_370_495.5, 1e15 + 0.25, -1e15 - 0.25,
      Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude, 0.1 + 0.2, 3_600 * 7 / 3_600,
    ]
    for _ in 0..<20_000 {
      let magnitude = [1.0, 10, 3_600, 1e6, 1e12][Int(random.nextUnitDouble() * 5)]
      values.append((random.nextUnitDouble() * 2 - 1) * magnitude)
      values.append(Double(Int(random.nextUnitDouble() * 10_000) - 5_000))
    }
    for x in values {
      // Equal as numbers (-0.0 comes back as 0.0, which the engine's use cannot tell apart).
      #expect(ExactRounding.floor(x) == x.rounded(.down), "floor(\(x))")
      #expect(ExactRounding.ceilingInt(x) == Int(x.rounded(.up)), "ceil(\(x))")
    }
  }
}
