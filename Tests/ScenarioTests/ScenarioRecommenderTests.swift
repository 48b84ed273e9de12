import Advisor
import Foundation
import Testing

@testable import Scenario

@Suite struct ScenarioRecommenderTests {
  static let yaml = """
    name: mini
    timeZone: Asia/Seoul
    demand:
      synthetic: {start: 2026-03-02T00:00:00, days: 5, interval: 1m, baselinePerMinute: 300, lunchPeakHour: 12,
                  dinnerPeakHour: 18.5, noiseSigma: 0.05}
    capacity: {unitsPerMinute: {m5.large: 120}}
    fleet: {region: ap-northeast-2, instanceType: m5.large, minSize: 3, maxSize: 80, launchTime: 2m, warmup: 5m}
    variants:
      - name: current
        policies:
          - targetTracking: {metric: cpu, target: 50}
    commitments:
      reservedInstances:
        - {id: owned, instanceType: m5.large, region: ap-northeast-2, count: 2, offeringClass: standard, term: 1y, payment: noUpfront, start: 2026-01-01T00:00:00}
    simulation: {tick: 1m, seed: 3}
    """

  func options(workers: Int) -> RecommendationOptions {
    var options = RecommendationOptions()
    options.forecastDays = 2
    options.forecastPaths = 3
    options.workerCount = workers
    var space = PolicySearchSpace()
    space.targetValues = [50, 65, 80]
    space.scheduledFloors = [.none, .beforePeaks(leadMinutes: 30, peakShare: 0.75)]
    options.space = space
    return options
  }

  @Test("same scenario and seed: the same recommendation on 1 or 4 worker threads; a backtest bills held-out days")
  func deterministic() throws {
    let prepared = try ScenarioRunner.prepare(Fixture.parse(Self.yaml))
    let one = try ScenarioRecommender.recommend(prepared, options: options(workers: 1))
    let four = try ScenarioRecommender.recommend(prepared, options: options(workers: 4))
    #expect(one.fleets[0].chosen.variant.name == four.fleets[0].chosen.variant.name)
    #expect(one.commitments.recommendation.portfolio == four.commitments.recommendation.portfolio)
    #expect(one.commitments.recommendation.expectedHourlyCost == four.commitments.recommendation.expectedHourlyCost)
    // The owned RI (2 x m5.large = 8 units) is taken off before planning.
    #expect(one.notes.contains { $0.contains("on top of the scenario's commitments") })
    // Commitment-aware choice: the chosen variant is the cheapest with commitments.
    let trials = one.fleets[0].commitmentAware
    if let best = trials.min(by: { $0.withCommitmentsHourlyCost < $1.withCommitmentsHourlyCost }) {
      #expect(best.name == one.fleets[0].chosen.variant.name)
      for t in trials { #expect(t.withCommitmentsHourlyCost <= t.onDemandHourlyCost + 1e-9) }
    }

    var backtest = options(workers: 2)
    backtest.backtestDays = 2
    let held = try ScenarioRecommender.recommend(prepared, options: backtest)
    let b = try #require(held.backtest)
    #expect(b.testHours == 48 && b.trainHours == 72)
    // Nothing bought costs exactly On-Demand; any purchase is billed on the same usage.
    #expect(b.ours.realizedHourlyCost > 0 && b.onDemandHourlyCost >= b.ours.realizedHourlyCost - 1)
    // Three days of history: too short for Cost Explorer's shortest look-back (7 days), and
    // for a forecast from its first two days to validate the planning basis. Both say so.
    #expect(b.baselines.isEmpty)
    #expect(held.commitments.notes.contains { $0.contains("look-backs of 7, 30, 60 days skipped") })
    #expect(held.notes.contains { $0.contains("the planning basis was not validated") })
  }

  @Test("a fleet with serving and a latency slo is searched against it: ranked in queueing, decided request by request")
  func latencySLOFromTheScenario() throws {
    let yaml = """
      name: mini-latency
      timeZone: Asia/Seoul
      demand:
        synthetic: {start: 2026-03-02T00:00:00, days: 3, interval: 1m, baselinePerMinute: 60, noiseSigma: 0.05}
      serving:
        workersPerInstance: 1
        serviceTime: {distribution: exponential, meanMs: 500}
        loadBalancer: leastOutstandingRequests
        timeoutMs: 10000
      slo: {latencyMs: 3000, percentile: 99}
      fleet: {region: ap-northeast-2, instanceType: m5.large, minSize: 2, maxSize: 80, launchTime: 2m, warmup: 5m}
      variants:
        - name: current
          policies:
            - targetTracking: {metric: cpu, target: 50}
      simulation: {tick: 1m, seed: 3}
      """
    let prepared = try ScenarioRunner.prepare(Fixture.parse(yaml))
    var options = RecommendationOptions()
    options.forecastDays = 1
    options.forecastPaths = 2
    options.requestLevelCandidates = 2
    var space = PolicySearchSpace()
    space.targetValues = [40, 60, 80]
    options.space = space
    let recommendation = try ScenarioRecommender.recommend(prepared, options: options)
    let fleet = recommendation.fleets[0]
    let search = fleet.search
    #expect(search.objective.serviceLevel.metric == .latencyPercentile(99))
    #expect(search.objective.serviceLevel.limit == 3)
    #expect(!search.requestLevelVariants.isEmpty)
    // The choice, and every policy-and-commitments trial, is among the re-run variants.
    let rerun = Set(search.requestLevelVariants.map { search.variants[$0].variant.name })
    #expect(fleet.chosen.fidelity == .requests)
    #expect(rerun.contains(fleet.chosen.variant.name) || fleet.chosen.variant.name == search.current.variant.name)
    for trial in fleet.commitmentAware { #expect(search.requestLevelVariants.contains(trial.variantIndex)) }
    #expect(search.current.fidelity == .requests && search.current.ranking?.fidelity == .queueing)

    // An SLO chosen by the caller wins over the file's.
    options.usesScenarioLatencySLO = false
    let delayed = try ScenarioRecommender.recommend(prepared, options: options)
    #expect(delayed.fleets[0].search.objective.serviceLevel.metric == .delayedShare)
    #expect(delayed.fleets[0].search.requestLevelVariants.isEmpty)
  }

  @Test("no default variant meets the SLO on the spiky ELB trace: the search widens towards capacity, and a narrowed space does not")
  func widensWhenNothingMeetsTheSLO() throws {
    let path = ShippedScenarioTests.root.appendingPathComponent("scenarios/elb-requests.yaml").path
    var definition = try ScenarioDefinition.load(path: path)
    definition.simulation.durationSeconds = 6 * 86_400  // the first 6 of 14 days keep it quick
    let prepared = try ScenarioRunner.prepare(definition)
    var options = RecommendationOptions()
    options.forecastDays = 1
    options.forecastPaths = 2
    options.objective = .minimumCost(ServiceLevelObjective(metric: .delayedShare, limit: 0.01))
    let wide = try ScenarioRecommender.recommend(prepared, options: options)
    let search = wide.fleets[0].search
    // 13 targets (15-75) x 3 warm-ups x 2 floors x 3 predictive settings.
    #expect(search.variants.count == 234)
    #expect(wide.notes.contains { $0.contains("none of the 144 default variants met the SLO; searched 234 with targets down to 15") })
    let chosen = try #require(search.recommended)
    #expect(chosen.meetsSLO && chosen.sloValue <= 0.01)
    // Only the widened targets reach the SLO on this trace: the chosen one is below 40.
    #expect(search.variants.filter { $0.meetsSLO }.allSatisfy { ($0.variant.parameters.targetValue ?? 100) < 40 })

    // A space the user narrowed is searched as given.
    options.space = RecommendationOptions.defaultSpace(for: prepared.definition.variants[0].policies)
    let narrow = try ScenarioRecommender.recommend(prepared, options: options)
    #expect(narrow.fleets[0].search.variants.count == 144)
    #expect(narrow.fleets[0].search.recommended == nil)
    #expect(!narrow.notes.contains { $0.contains("default variants met the SLO") })
  }

  @Test("scheduled actions are part of the current policies: the search's current figures are capsim run's for that variant")
  func currentScheduleIsTheBaseline() throws {
    let path = ShippedScenarioTests.root.appendingPathComponent("scenarios/seoul-food-delivery.yaml").path
    var definition = try ScenarioDefinition.load(path: path)
    definition.simulation.durationSeconds = 7 * 86_400  // a week keeps it quick
    let prepared = try ScenarioRunner.prepare(definition)
    let name = "target-cpu-60-scheduled"
    let run = try #require(try ScenarioRunner.run(prepared, variants: [name]).variants.first)
    var options = RecommendationOptions()
    options.currentVariant = name
    options.forecastDays = 1
    options.forecastPaths = 2
    var space = PolicySearchSpace()
    space.targetValues = [60]
    space.scheduledFloors = [.none, .beforePeaks(leadMinutes: 30, peakShare: 0.75)]
    options.space = space
    let recommendation = try ScenarioRecommender.recommend(prepared, options: options)
    let fleet = recommendation.fleets[0]
    let current = fleet.search.current
    // The same simulation by two routes: the search's baseline and the scenario runner.
    #expect(abs(current.costUSD - run.costUSD) < 1e-6, "search \(current.costUSD), run \(run.costUSD)")
    #expect(abs(current.history.delayedShare - run.statistics.delayedUnits / run.statistics.demandUnits) < 1e-12)
    #expect(fleet.currentScheduledActions.map(\.name) == ["lunch-floor", "afternoon", "dinner-floor", "night"])
    // Floors off keeps the schedule (and says so); floors before the peaks replace it.
    let names = fleet.search.variants.map(\.variant.name)
    #expect(names == ["#0 target 60, current schedule", "#1 target 60, floor 75% of peak 30 min early"])
    let scheduled = fleet.search.variants.map { v in v.variant.policies.filter { if case .scheduled = $0 { true } else { false } }.count }
    #expect(scheduled == [4, 0])
    #expect(!recommendation.notes.contains { $0.contains("not part of the search baseline") })
  }
}

@Suite struct LocalClockScenarioTests {
  @Test("New York, July 2014 to February 2015: one change, clocks back an hour on 2014-11-02 at 06:00 UTC")
  func newYork() throws {
    let zone = try #require(TimeZone(identifier: "America/New_York"))
    let start = Date(timeIntervalSince1970: 1_404_187_200)  // 2014-07-01 04:00 UTC = 00:00 EDT
    let end = Date(timeIntervalSince1970: 1_422_766_800)  // 2015-02-01 05:00 UTC
    let clock = LocalClock(from: start, to: end, in: zone)
    // 2014-11-02 06:00 UTC = 1,414,908,000.
    #expect(clock.shifts == [.init(at: 1_414_908_000 - 1_404_187_200, seconds: -3_600)])
    #expect(LocalClock(from: start, to: end, in: TimeZone(identifier: "Asia/Seoul")!).shifts.isEmpty)
  }
}

/// Scenario knows no command line: its errors name the caller's options, never a flag
/// (the CLI words them as its flags).
@Suite struct NoCommandLineInScenarioErrorsTests {
  @Test("an unknown selected variant and rolling origins without hold-out days: no flag named")
  func errorsNameNoFlags() throws {
    let prepared = try ScenarioRunner.prepare(Fixture.parse(ScenarioRecommenderTests.yaml))
    var errors: [String] = []
    do { _ = try ScenarioRunner.run(prepared, variants: ["nope"]) } catch { errors.append("\(error)") }
    var recommend = RecommendationOptions()
    recommend.backtestOrigins = 2
    do { _ = try ScenarioRecommender.recommend(prepared, options: recommend) } catch { errors.append("\(error)") }
    #expect(errors.count == 2)
    for message in errors {
      #expect(!message.contains("--"), "\(message)")
    }
    #expect(errors[0].contains("'selectedVariants' should be one of the scenario's variants (current)"))
    #expect(errors[1].contains("backtestDays"))
  }
}
