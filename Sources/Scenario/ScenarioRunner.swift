import AutoScaling
import Billing
import Dispatch
import Foundation
import Simulation
import Synchronization
import Workload

/// A scenario with its demand loaded, cut to the simulated window and resampled to the
/// tick, and its price looked up: everything `run` needs, checked before any simulation.
public struct PreparedScenario: Sendable {
  public var definition: ScenarioDefinition
  /// Demand per tick over the simulated window; `demand.start` is engine time 0.
  public var demand: DemandSeries
  public var catalog: PriceCatalog
  public var onDemandUSDPerHour: Double
  public var demandSourceLabel: String

  public var start: Date { demand.start }
  public var end: Date { demand.end }

  /// One line for `capsim validate`.
  public var summary: String {
    let zone = definition.timeZone
    let variants = definition.variants.count
    return "\(definition.file): OK: '\(definition.name)', \(variants) variant\(variants == 1 ? "" : "s"), "
      + "\(demand.count) ticks of \(Int(demand.intervalSeconds)) s from \(Self.localString(start, zone)) "
      + "to \(Self.localString(end, zone)) \(zone.identifier), \(demandSourceLabel), "
      + "\(definition.fleet.instanceType) in \(definition.fleet.region) at \(onDemandUSDPerHour) USD/h"
  }

  static func localString(_ date: Date, _ zone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    func two(_ v: Int?) -> String { String(format: "%02d", v ?? 0) }
    return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
  }
}

/// Wires the modules together: demand (Workload) -> fleet simulation per variant
/// (AutoScaling) -> on-demand bill (Billing). Variants run in parallel; results keep the
/// scenario's order and do not depend on the number of threads (each variant draws from
/// its own named random stream).
public enum ScenarioRunner {
  /// Loads and checks the demand, the window and the price.
  public static func prepare(_ definition: ScenarioDefinition) throws(ScenarioError) -> PreparedScenario {
    let demandLocation = definition.demand.location
    let wholeFile = SourceLocation(file: definition.file, line: 0, column: 0)
    func demandError(_ error: WorkloadError) -> ScenarioError {
      demandLocation.error(.demand(error.description))
    }
    let settings = definition.simulation
    var series: DemandSeries
    let label: String
    do {
      (series, label) = try loadDemand(definition)
      let d = definition.demand
      if d.scale != 1 { series = try series.scaled(by: d.scale) }
      if d.shiftSeconds != 0 { series = try series.shifted(bySeconds: d.shiftSeconds) }
      if d.growthPercentPerYear != 0 { series = try series.withGrowth(percentPerYear: d.growthPercentPerYear) }
      if series.intervalSeconds != settings.tickSeconds {
        series = try series.resampled(toIntervalSeconds: settings.tickSeconds)
      }
    } catch {
      throw demandError(error)
    }
    let window = settings.window(demandStart: series.start, demandEnd: series.end)
    guard window.start >= series.start, window.end <= series.end, window.start < window.end else {
      throw wholeFile.error(
        .invalidValue(
          field: "simulation",
          expected: "a window inside the demand data (\(PreparedScenario.localString(series.start, definition.timeZone)) "
            + "to \(PreparedScenario.localString(series.end, definition.timeZone)) \(definition.timeZone.identifier))",
          found: "\(PreparedScenario.localString(window.start, definition.timeZone)) to "
            + "\(PreparedScenario.localString(window.end, definition.timeZone))",
          suggestion: nil))
    }
    do {
      if window.start != series.start || window.end != series.end {
        series = try series.sliced(from: window.start, to: window.end)
      }
    } catch {
      throw demandError(error)
    }
    let catalog: PriceCatalog
    let price: Double
    do {
      catalog = try PriceCatalog.bundled()
      price = try catalog.onDemandUSDPerHour(region: definition.fleet.region, instanceType: definition.fleet.instanceType)
    } catch {
      throw definition.fleet.location.error(.invalidValue(
        field: "fleet", expected: "an instance type and region in the price catalog", found: "\(error)", suggestion: nil))
    }
    return PreparedScenario(
      definition: definition, demand: series, catalog: catalog, onDemandUSDPerHour: price, demandSourceLabel: label)
  }

  static func loadDemand(_ definition: ScenarioDefinition) throws(WorkloadError) -> (DemandSeries, String) {
    let d = definition.demand
    let meaning: DemandLoadOptions.ValueMeaning =
      switch d.values {
      case .totalPerInterval: .totalPerInterval
      case .perMinute: .ratePerMinute
      case .perSecond: .ratePerSecond
      }
    let gaps: DemandLoadOptions.GapPolicy =
      switch d.gaps {
      case .error: .error
      case .interpolate: .interpolate
      case .zero: .zero
      }
    let options = DemandLoadOptions(
      valueMeaning: meaning, gaps: gaps, intervalSeconds: d.intervalSeconds, naiveTimeZone: definition.timeZone)
    switch d.source {
    case .csv(let url):
      return (try DemandSeries.loadCSV(path: url.path, options: options), "CSV \(url.lastPathComponent)")
    case .cloudWatch(let url, let metricId, let statistic):
      let series = try DemandSeries.loadCloudWatchJSON(
        path: url.path, options: options, metricId: metricId,
        statistic: statistic.flatMap(CloudWatchStatistic.init(rawValue:)))
      return (series, "CloudWatch \(url.lastPathComponent)")
    case .synthetic(let s):
      let generator = try FoodDeliveryDemandGenerator(
        start: s.start, timeZone: definition.timeZone, days: s.days, intervalSeconds: s.intervalSeconds,
        baselineUnitsPerMinute: s.baselinePerMinute,
        lunchPeak: .init(localHour: s.lunchPeakHour, height: FoodDeliveryDemandGenerator.Peak.lunch.height,
                         widthHours: FoodDeliveryDemandGenerator.Peak.lunch.widthHours),
        dinnerPeak: .init(localHour: s.dinnerPeakHour, height: FoodDeliveryDemandGenerator.Peak.dinner.height,
                          widthHours: FoodDeliveryDemandGenerator.Peak.dinner.widthHours),
        weekendMultiplier: s.weekendMultiplier, noiseSigma: s.noiseSigma,
        promotions: s.promotions.map { .init(start: $0.start, durationSeconds: $0.durationSeconds, multiplier: $0.multiplier) },
        holidays: s.holidays.map { .init(year: $0.date.year, month: $0.date.month, day: $0.date.day, multiplier: $0.multiplier) })
      var random = RandomStream(seed: definition.simulation.seed).substream(named: "demand")
      return (generator.generate(using: &random), "synthetic food delivery")
    }
  }

  /// Simulates and bills each selected variant (all when `variants` is empty), in parallel.
  public static func run(_ prepared: PreparedScenario, variants names: [String] = []) throws(ScenarioError) -> ScenarioResult {
    let definition = prepared.definition
    let wholeFile = SourceLocation(file: definition.file, line: 0, column: 0)
    var chosen = definition.variants
    if !names.isEmpty {
      let known = definition.variants.map(\.name)
      if let unknown = names.first(where: { !known.contains($0) }) {
        throw wholeFile.error(.invalidValue(
          field: "--policy", expected: "one of the scenario's variants (\(known.joined(separator: ", ")))",
          found: "'\(unknown)'", suggestion: nil))
      }
      chosen = definition.variants.filter { names.contains($0.name) }
    }
    let selected = chosen
    let outcomes = Mutex<[Result<VariantResult, ScenarioError>?]>(Array(repeating: nil, count: selected.count))
    DispatchQueue.concurrentPerform(iterations: selected.count) { index in
      let outcome = Result { () throws(ScenarioError) -> VariantResult in
        try runVariant(selected[index], prepared: prepared)
      }
      outcomes.withLock { $0[index] = outcome }
    }
    var results: [VariantResult] = []
    for outcome in outcomes.withLock({ $0 }) {
      switch outcome! {
      case .success(let result): results.append(result)
      case .failure(let error): throw error
      }
    }
    return ScenarioResult(
      scenarioName: definition.name, scenarioDescription: definition.description, file: definition.file,
      timeZone: definition.timeZone.identifier, region: definition.fleet.region, start: prepared.start,
      end: prepared.end, tickSeconds: prepared.demand.intervalSeconds, seed: definition.simulation.seed,
      demandSource: prepared.demandSourceLabel, demandUnits: prepared.demand.totalUnits, variants: results)
  }

  static func runVariant(_ variant: VariantDefinition, prepared: PreparedScenario) throws(ScenarioError) -> VariantResult {
    let definition = prepared.definition
    let scheduled = variant.scheduledActions.map {
      ScalingPolicy.scheduled($0.scheduledAction(from: prepared.start, to: prepared.end, in: definition.timeZone))
    }
    let input = FleetSimulationInput(
      group: variant.group, policies: variant.policies + scheduled,
      demandPerMinute: prepared.demand.valuesPerMinute, tickSeconds: prepared.demand.intervalSeconds,
      random: RandomStream(seed: definition.simulation.seed).substream(named: "variant/\(variant.name)"))
    let fleet: FleetSimulationResult
    do {
      fleet = try FleetSimulator.run(input)
    } catch {
      let location = error.policy.flatMap { variant.policyLocations[$0] } ?? variant.location
      throw location.error(.policy(error.description))
    }
    let usage = fleet.lifetimes.map {
      InstanceUsage(
        instanceType: definition.fleet.instanceType, region: definition.fleet.region, count: $0.count,
        startSeconds: $0.launchedAt, endSeconds: $0.terminatedAt)
    }
    let bill: OnDemandBill
    do {
      bill = try OnDemandBill(usage: usage, catalog: prepared.catalog)
    } catch {
      throw variant.location.error(.policy("billing failed: \(error)"))
    }
    // Conservation: billing saw exactly the instance lifetimes the simulation produced.
    precondition(
      abs(bill.runningInstanceSeconds - fleet.statistics.instanceSeconds) <= 1e-6 * max(1, fleet.statistics.instanceSeconds),
      "billed lifetimes \(bill.runningInstanceSeconds) s != simulated \(fleet.statistics.instanceSeconds) s")
    return VariantResult(
      name: variant.name, description: variant.description, instanceType: definition.fleet.instanceType,
      policySummaries: variant.policies.map(\.summary) + variant.scheduledActions.map(\.summary),
      statistics: fleet.statistics, billedInstanceHours: bill.billedInstanceHours,
      onDemandUSDPerHour: prepared.onDemandUSDPerHour, costUSD: bill.costUSD, activities: fleet.activities)
  }
}

extension ScalingPolicy {
  /// A short human description for reports, e.g. "target tracking: cpu 50".
  var summary: String {
    func metric(_ m: ScalingMetric) -> String { m == .averageCPUUtilization ? "cpu" : "requests/target" }
    func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
    switch self {
    case .targetTracking(let p):
      return "\(p.name): target tracking \(metric(p.metric)) \(number(p.targetValue))\(p.disableScaleIn ? ", no scale-in" : "")"
    case .step(let p):
      return "\(p.name): step scaling on \(metric(p.alarm.metric)) \(p.alarm.comparison.rawValue) \(number(p.alarm.threshold)), \(p.steps.count) steps (\(p.adjustmentType.rawValue))"
    case .simple(let p):
      return "\(p.name): simple scaling on \(metric(p.alarm.metric)) \(p.alarm.comparison.rawValue) \(number(p.alarm.threshold)), \(p.scalingAdjustment) (\(p.adjustmentType.rawValue)), cooldown \(number(p.cooldownSeconds)) s"
    case .scheduled(let a):
      return "\(a.name): scheduled"
    }
  }
}

extension ScheduledActionDefinition {
  var summary: String {
    var parts: [String] = []
    if let minSize { parts.append("min \(minSize)") }
    if let maxSize { parts.append("max \(maxSize)") }
    if let desiredCapacity { parts.append("desired \(desiredCapacity)") }
    let when: String
    switch schedule {
    case .recurrence(let cron): when = "cron \(cron)"
    case .at(let date): when = "at \(date)"
    }
    return "\(name): scheduled \(when): \(parts.joined(separator: ", "))"
  }
}
