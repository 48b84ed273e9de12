import AutoScaling
import Billing
import Foundation
import Parallel
import Results
import Simulation
import Workload

/// A scenario with its demand loaded, cut to the simulated window and resampled to the
/// tick, and its price looked up: everything `run` needs, checked before any simulation.
public struct PreparedScenario: Sendable {
  public var definition: ScenarioDefinition
  /// Demand per tick over the simulated window; `demand.start` is engine time 0. For a
  /// multi-service scenario, the first service's.
  public var demand: DemandSeries
  /// One demand per service (same grid as `demand`); empty for single-service scenarios.
  public var serviceDemands: [DemandSeries]
  public var catalog: PriceCatalog
  /// The single-service fleet's on-demand price (the first service's with services).
  public var onDemandUSDPerHour: Double
  public var demandSourceLabel: String
  /// The scenario's commitments, times relative to `start`.
  public var commitments: Commitments
  public var savingsPlanRates: SavingsPlanRates
  /// Per demand series (the scenario's, or one per service): the arrival log's request
  /// times in engine seconds inside the window, for requests fidelity; nil for other sources.
  public var arrivalTimes: [[Double]?] = []

  public var start: Date { demand.start }
  public var end: Date { demand.end }

  /// One line for `capsim validate`.
  public var summary: String {
    let zone = definition.timeZone
    let variants = definition.hasServices ? definition.services.count : definition.variants.count
    let noun = definition.hasServices ? "service" : "variant"
    let commitmentCount = commitments.reservedInstances.count + commitments.savingsPlans.count
    return "\(definition.file): OK: '\(definition.name)', \(variants) \(noun)\(variants == 1 ? "" : "s"), "
      + (commitmentCount > 0 ? "\(commitmentCount) commitment\(commitmentCount == 1 ? "" : "s"), " : "")
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

/// Wires the modules together: demand (Workload) -> fleet simulation per variant or
/// service (AutoScaling) -> the bill with commitments (Billing). Fleets run in parallel;
/// results keep the scenario's order and do not depend on the number of threads (each
/// fleet draws from its own named random stream).
public enum ScenarioRunner {
  /// Loads and checks the demand, the window, the prices, commitments and rates.
  public static func prepare(_ definition: ScenarioDefinition) throws(ScenarioError) -> PreparedScenario {
    let loaded = try loadDemands(definition)
    let series = try cutToWindow(loaded, definition: definition)
    let catalog = try priceCatalog(definition)
    let prices = try onDemandPrices(definition, catalog: catalog)
    let windowStart = series[0].start.timeIntervalSince1970
    let windowEnd = series[0].end.timeIntervalSince1970
    let arrivalTimes: [[Double]?] = loaded.arrivalLogs.map { log in
      log.map { times in times.filter { $0 >= windowStart && $0 < windowEnd }.map { $0 - windowStart } }
    }
    var prepared = PreparedScenario(
      definition: definition, demand: series[0], serviceDemands: definition.hasServices ? series : [],
      catalog: catalog, onDemandUSDPerHour: prices[0], demandSourceLabel: loaded.label,
      commitments: commitments(definition, start: series[0].start),
      savingsPlanRates: try savingsPlanRates(definition))
    prepared.arrivalTimes = arrivalTimes
    try checkFidelity(definition)
    try checkFaults(definition)
    return prepared
  }

  /// Every demand of a scenario (one per service, or the scenario's one), loaded,
  /// transformed and resampled to the tick, before the window is cut.
  struct LoadedDemands {
    var definitions: [DemandDefinition]
    var series: [DemandSeries]
    /// Per demand: the arrival log's request times (epoch seconds) for arrival sources.
    var arrivalLogs: [[Double]?]
    /// What the demand is, for `capsim validate` and reports ("CSV orders.csv").
    var label: String
  }

  static func loadDemands(_ definition: ScenarioDefinition) throws(ScenarioError) -> LoadedDemands {
    let settings = definition.simulation
    let sources: [(DemandDefinition, String)] =
      definition.hasServices
      ? definition.services.map { ($0.demand, "demand/\($0.name)") } : [(definition.demand, "demand")]
    var loaded = LoadedDemands(definitions: sources.map(\.0), series: [], arrivalLogs: [], label: "")
    for (demand, streamName) in sources {
      do {
        if case .arrivals(let url) = demand.source {
          loaded.arrivalLogs.append(try ValueListFile.loadArrivalTimes(path: url.path, naiveTimeZone: definition.timeZone))
        } else {
          loaded.arrivalLogs.append(nil)
        }
        var (one, oneLabel) = try loadDemand(
          demand, definition: definition, streamName: streamName, arrivals: loaded.arrivalLogs.last!)
        if demand.scale != 1 { one = try one.scaled(by: demand.scale) }
        if demand.shiftSeconds != 0 { one = try one.shifted(bySeconds: demand.shiftSeconds) }
        if demand.growthPercentPerYear != 0 { one = try one.withGrowth(percentPerYear: demand.growthPercentPerYear) }
        if one.intervalSeconds != settings.tickSeconds {
          one = try one.resampled(toIntervalSeconds: settings.tickSeconds)
        }
        loaded.series.append(one)
        loaded.label = loaded.label.isEmpty ? oneLabel : (loaded.label == oneLabel ? loaded.label : "\(loaded.label) and others")
      } catch {
        if case .lineColumn = error.location { throw ScenarioDecoder.fileError(error, from: demand.location) }
        if case .arrivals = demand.source { throw ScenarioDecoder.fileError(error, from: demand.location) }
        throw demand.location.error(.demand(error.description))
      }
    }
    return loaded
  }

  /// The demands cut to the simulated window, which every demand must cover, on one grid.
  static func cutToWindow(_ loaded: LoadedDemands, definition: ScenarioDefinition) throws(ScenarioError) -> [DemandSeries] {
    var series = loaded.series
    let demandStart = series.map(\.start).max()!
    let demandEnd = series.map(\.end).min()!
    let zone = definition.timeZone
    let window = definition.simulation.window(demandStart: demandStart, demandEnd: demandEnd)
    guard window.start >= demandStart, window.end <= demandEnd, window.start < window.end else {
      throw SourceLocation(file: definition.file, line: 0, column: 0).error(
        .invalidValue(
          field: "simulation",
          expected: "a window inside the demand data (\(PreparedScenario.localString(demandStart, zone)) "
            + "to \(PreparedScenario.localString(demandEnd, zone)) \(zone.identifier))",
          found: "\(PreparedScenario.localString(window.start, zone)) to \(PreparedScenario.localString(window.end, zone))",
          suggestion: nil))
    }
    for index in series.indices where window.start != series[index].start || window.end != series[index].end {
      do {
        series[index] = try series[index].sliced(from: window.start, to: window.end)
      } catch {
        throw loaded.definitions[index].location.error(.demand(error.description))
      }
    }
    for index in series.indices.dropFirst()
    where series[index].start != series[0].start || series[index].count != series[0].count {
      throw loaded.definitions[index].location.error(.invalidValue(
        field: "demand", expected: "the same time grid as the first service's demand (tick boundaries at "
          + "\(PreparedScenario.localString(series[0].start, zone)))",
        found: "a grid starting \(PreparedScenario.localString(series[index].start, zone))", suggestion: nil))
    }
    return series
  }

  /// Each fleet's On-Demand price (the services', or the scenario's fleet); a type or
  /// region the catalog does not list is an error at the fleet.
  static func onDemandPrices(_ definition: ScenarioDefinition, catalog: PriceCatalog) throws(ScenarioError) -> [Double] {
    let fleets = definition.hasServices ? definition.services.map(\.fleet) : [definition.fleet]
    var prices: [Double] = []
    for fleet in fleets {
      do {
        prices.append(try catalog.onDemandUSDPerHour(region: fleet.region, instanceType: fleet.instanceType))
      } catch {
        throw fleet.location.error(.invalidValue(
          field: "fleet", expected: "an instance type and region in the price catalog", found: "\(error)",
          suggestion: nil))
      }
    }
    return prices
  }

  static func loadDemand(
    _ d: DemandDefinition, definition: ScenarioDefinition, streamName: String, arrivals: [Double]? = nil
  ) throws(WorkloadError) -> (DemandSeries, String) {
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
    case .arrivals(let url):
      let tick = definition.simulation.tickSeconds
      var times: [Double]
      if let arrivals {
        times = arrivals
      } else {
        times = try ValueListFile.loadArrivalTimes(path: url.path, naiveTimeZone: definition.timeZone)
      }
      return (try arrivalCounts(times, tickSeconds: tick), "arrival log \(url.lastPathComponent)")
    case .synthetic(let s):
      let lunch = FoodDeliveryDemandGenerator.Peak.lunch
      let dinner = FoodDeliveryDemandGenerator.Peak.dinner
      let generator = try FoodDeliveryDemandGenerator(
        start: s.start, timeZone: definition.timeZone, days: s.days, intervalSeconds: s.intervalSeconds,
        baselineUnitsPerMinute: s.baselinePerMinute,
        lunchPeak: .init(localHour: s.lunchPeakHour, height: lunch.height, widthHours: lunch.widthHours),
        dinnerPeak: .init(localHour: s.dinnerPeakHour, height: dinner.height, widthHours: dinner.widthHours),
        weekendMultiplier: s.weekendMultiplier, noiseSigma: s.noiseSigma,
        promotions: s.promotions.map { .init(start: $0.start, durationSeconds: $0.durationSeconds, multiplier: $0.multiplier) },
        holidays: s.holidays.map { .init(year: $0.date.year, month: $0.date.month, day: $0.date.day, multiplier: $0.multiplier) })
      var random = RandomStream(seed: definition.simulation.seed).substream(named: streamName)
      return (generator.generate(using: &random), "synthetic food delivery")
    }
  }

  /// Every fleet has a serving model when the fidelity needs one.
  static func checkFidelity(_ definition: ScenarioDefinition) throws(ScenarioError) {
    guard definition.simulation.fidelity != .fluid else { return }
    let fleets = definition.hasServices ? definition.services.map { ($0.fleet, "service '\($0.name)'") } : [(definition.fleet, "the fleet")]
    for (fleet, owner) in fleets where fleet.serving == nil {
      throw fleet.location.error(.invalidValue(
        field: "serving", expected: "a 'serving' block (workersPerInstance, serviceTime) for \(owner): "
          + "\(definition.simulation.fidelity.rawValue) fidelity simulates requests",
        found: "none", suggestion: nil))
    }
  }

  /// Requests per tick of an arrival log (epoch seconds, sorted), on a grid of whole ticks
  /// since 1970 that starts at the first request's tick.
  static func arrivalCounts(_ times: [Double], tickSeconds: Double) throws(WorkloadError) -> DemandSeries {
    let start = (times[0] / tickSeconds).rounded(.down) * tickSeconds
    let ticks = Int(((times[times.count - 1] - start) / tickSeconds).rounded(.down)) + 1
    guard ticks <= DemandSeries.maximumCount else {
      throw WorkloadError(source: "arrival log", problem: .tooManyIntervals(count: Double(ticks)))
    }
    var counts = [Double](repeating: 0, count: ticks)
    for time in times { counts[min(ticks - 1, Int((time - start) / tickSeconds))] += 1 }
    let perMinute = 60 / tickSeconds
    return try DemandSeries(
      start: Date(timeIntervalSince1970: start), intervalSeconds: tickSeconds, valuesPerMinute: counts.map { $0 * perMinute })
  }

  /// One group to simulate: a variant of a single-service scenario, or one service.
  struct FleetUnit: Sendable {
    var name: String
    var description: String?
    var team: String?
    var tags: [String: String]
    var fleet: FleetDefinition
    var group: GroupConfiguration
    var policies: [ScalingPolicy]
    var scheduledActions: [ScheduledActionDefinition]
    var spotPriceUSDPerHour: Double?
    var instanceTypes: InstanceTypesDefinition
    var demand: DemandSeries
    var location: SourceLocation
    var policyLocations: [String: SourceLocation]
    var streamName: String
    var arrivalTimes: [Double]? = nil
  }

  static func units(_ prepared: PreparedScenario, variants names: [String]) throws(ScenarioError) -> [FleetUnit] {
    let definition = prepared.definition
    if definition.hasServices {
      if !names.isEmpty {
        throw SourceLocation(file: definition.file, line: 0, column: 0).error(.invalidValue(
          field: "selectedVariants", expected: "no selectedVariants: a scenario with services runs all of them together",
          found: names.joined(separator: ", "), suggestion: nil))
      }
      return zip(definition.services, prepared.serviceDemands).enumerated().map { index, pair in
        let (service, demand) = pair
        return FleetUnit(
          name: service.name, description: nil, team: service.team, tags: service.tags, fleet: service.fleet,
          group: service.fleet.group, policies: service.policies, scheduledActions: service.scheduledActions,
          spotPriceUSDPerHour: service.fleet.spotPriceUSDPerHour, instanceTypes: service.fleet.instanceTypes,
          demand: demand, location: service.location,
          policyLocations: service.policyLocations, streamName: "service/\(service.name)",
          arrivalTimes: prepared.arrivalTimes.count > index ? prepared.arrivalTimes[index] : nil)
      }
    }
    var chosen = definition.variants
    if !names.isEmpty {
      let known = definition.variants.map(\.name)
      if let unknown = names.first(where: { !known.contains($0) }) {
        throw SourceLocation(file: definition.file, line: 0, column: 0).error(.invalidValue(
          field: "selectedVariants", expected: "one of the scenario's variants (\(known.joined(separator: ", ")))",
          found: "'\(unknown)'", suggestion: nil))
      }
      chosen = definition.variants.filter { names.contains($0.name) }
    }
    return chosen.map { variant in
      FleetUnit(
        name: variant.name, description: variant.description, team: nil, tags: [:], fleet: definition.fleet,
        group: variant.group, policies: variant.policies, scheduledActions: variant.scheduledActions,
        spotPriceUSDPerHour: variant.spotPriceUSDPerHour ?? definition.fleet.spotPriceUSDPerHour,
        instanceTypes: variant.instanceTypes,
        demand: prepared.demand, location: variant.location, policyLocations: variant.policyLocations,
        streamName: "variant/\(variant.name)", arrivalTimes: prepared.arrivalTimes.first ?? nil)
    }
  }

  /// Simulates the selected variants (all when `variants` is empty), each billed on its own
  /// against the scenario's commitments; or all services together on one account bill.
  /// With `advisesPurchase`, also the commitments to buy in hindsight for the headline
  /// fleets (`windowPurchaseAdvice`; the cost reports rank it among the savings).
  public static func run(
    _ prepared: PreparedScenario, variants names: [String] = [], advisesPurchase: Bool = false
  ) throws(ScenarioError) -> ScenarioResult {
    var noLineItems: FOCUSCSVWriter? = nil
    return try run(prepared, variants: names, lineItems: &noLineItems, advisesPurchase: advisesPurchase)
  }

  /// As `run`, streaming the bill's FOCUS line items to `lineItems`: the account's for a
  /// scenario with services; for variants, exactly one variant must be selected.
  public static func run<Sink: LineItemSink>(
    _ prepared: PreparedScenario, variants names: [String] = [], lineItems: inout Sink?, advisesPurchase: Bool = false
  ) throws(ScenarioError) -> ScenarioResult {
    var result = try run(
      prepared, variants: names, lineItems: &lineItems, advisesPurchase: advisesPurchase, disruptions: .all)
    try addDisruptionEffects(to: &result, prepared: prepared, variants: names)
    return result
  }

  static func run<Sink: LineItemSink>(
    _ prepared: PreparedScenario, variants names: [String], lineItems: inout Sink?, advisesPurchase: Bool,
    disruptions: DisruptionScope
  ) throws(ScenarioError) -> ScenarioResult {
    let definition = prepared.definition
    let units = try units(prepared, variants: names)
    if lineItems != nil && !definition.hasServices && units.count != 1 {
      throw SourceLocation(file: definition.file, line: 0, column: 0).error(.invalidValue(
        field: "lineItems", expected: "exactly one variant (choose it with selectedVariants)",
        found: "\(units.count) variants", suggestion: nil))
    }
    let forecasts = predictiveForecasts(units, prepared: prepared)
    let day = busiestDay(
      definition.hasServices ? prepared.serviceDemands : [prepared.demand], timeZone: definition.timeZone)
    // Simulate every fleet in parallel; outcomes land in the scenario's order.
    let fleets = try Parallel.map(count: units.count) { index throws(ScenarioError) in
      try simulate(
        units[index], prepared: prepared, predictiveForecast: forecasts[index], recording: day, disruptions: disruptions)
    }

    var variantResults: [VariantResult] = []
    var serviceResults: [VariantResult] = []
    var accountBill: FleetBill?
    if definition.hasServices {
      (serviceResults, accountBill) = try billServices(fleets, prepared: prepared, lineItems: &lineItems)
    } else {
      variantResults = try billVariants(fleets, prepared: prepared, lineItems: &lineItems)
    }
    // The headline fleets: every service (one account), or the first variant.
    let purchaseAdvice =
      advisesPurchase && !fleets.isEmpty
      ? try windowPurchaseAdvice(definition.hasServices ? fleets : [fleets[0]], prepared: prepared) : nil
    var result = ScenarioResult(
      scenarioName: definition.name, scenarioDescription: definition.description, file: definition.file,
      timeZone: definition.timeZone.identifier, region: definition.fleet.region, start: prepared.start,
      end: prepared.end, tickSeconds: prepared.demand.intervalSeconds, seed: definition.simulation.seed,
      demandSource: prepared.demandSourceLabel,
      demandUnits: (definition.hasServices ? prepared.serviceDemands : [prepared.demand]).reduce(0) { $0 + $1.totalUnits },
      variants: variantResults, services: serviceResults, accountBill: accountBill,
      commitmentCount: prepared.commitments.reservedInstances.count + prepared.commitments.savingsPlans.count,
      fidelity: definition.simulation.fidelity, purchaseAdvice: purchaseAdvice)
    // The cost reports rank moving the headline fleet to another type the capacity lists.
    if advisesPurchase && !definition.hasServices && !fleets.isEmpty && definition.simulation.fidelity == .fluid {
      result.instanceTypeAlternatives = try instanceTypeAlternatives(
        units[0], prepared: prepared, predictiveForecast: forecasts[0])
      if !result.instanceTypeAlternatives.isEmpty {
        result.headlineCapacityUnitsPerMinute = units[0].group.capacityUnitsPerMinute
      }
    }
    return result
  }

  /// All services on one account bill (commitments applied across them); each service's
  /// cost is its showback: its usage at its rates, commitment benefit shared.
  static func billServices<Sink: LineItemSink>(
    _ fleets: [SimulatedFleet], prepared: PreparedScenario, lineItems: inout Sink?
  ) throws(ScenarioError) -> (services: [VariantResult], accountBill: FleetBill) {
    let usage = fleets.flatMap(\.usage)
    let spot = Dictionary(fleets.compactMap(\.spotPrice), uniquingKeysWith: { first, _ in first })
    let bill = try bill(
      usage, storage: fleets.flatMap(\.storage), prepared: prepared, spotPrices: spot, at: SourceLocation(file: prepared.definition.file, line: 0, column: 0),
      lineItems: &lineItems)
    let showback = Dictionary(bill.showback.services.map { ($0.name, $0.effectiveCostUSD) }, uniquingKeysWith: +)
    let services = fleets.map {
      var result = variantResult($0, bill: nil)
      result.costUSD = showback[result.name] ?? 0
      return result
    }
    return (services, bill)
  }

  /// Each variant on its own bill; bills are independent, so they run in parallel (one
  /// variant when its line items are streamed).
  static func billVariants<Sink: LineItemSink>(
    _ fleets: [SimulatedFleet], prepared: PreparedScenario, lineItems: inout Sink?
  ) throws(ScenarioError) -> [VariantResult] {
    let bills: [FleetBill]
    if lineItems != nil {
      let fleet = fleets[0]
      bills = [
        try bill(
          fleet.usage, storage: fleet.storage, prepared: prepared, spotPrices: fleet.spotPrice.map { [$0.0: $0.1] } ?? [:],
          at: fleet.unit.location, lineItems: &lineItems)
      ]
    } else {
      bills = try Parallel.map(count: fleets.count) { index throws(ScenarioError) in
        let fleet = fleets[index]
        var none: FOCUSCSVWriter? = nil
        return try bill(
          fleet.usage, storage: fleet.storage, prepared: prepared, spotPrices: fleet.spotPrice.map { [$0.0: $0.1] } ?? [:],
          at: fleet.unit.location, lineItems: &none)
      }
    }
    return bills.enumerated().map { index, bill in variantResult(fleets[index], bill: bill) }
  }

  /// A fleet's instance lifetimes as billing usage: one pool per (type, zone, purchase
  /// option), pool `(type × zones + zone) × 2 + (Spot ? 1 : 0)`.
  static func fleetUsage(_ lifetimes: [InstanceLifetime], unit: FleetUnit, tags: [String: String]) -> FleetUsage {
    let typeNames = unit.group.instanceTypes.isEmpty ? [unit.fleet.instanceType] : unit.group.instanceTypes.map(\.instanceType)
    let zones: [String?] = unit.fleet.availabilityZones.isEmpty ? [nil] : unit.fleet.availabilityZones
    var pools: [FleetUsage.Pool] = []
    for type in typeNames {
      for zone in zones {
        for option in [PurchaseOption.onDemand, .spot] {
          pools.append(
            FleetUsage.Pool(instanceType: type, region: unit.fleet.region, purchaseOption: option, availabilityZone: zone))
        }
      }
    }
    let records = lifetimes.map {
      FleetUsage.Record(
        pool: ($0.typeIndex * zones.count + $0.zone) * 2 + ($0.isSpot ? 1 : 0), count: $0.count,
        startSeconds: $0.launchedAt, endSeconds: $0.terminatedAt)
    }
    return FleetUsage(service: unit.name, tags: tags, pools: pools, records: records)
  }

  /// A fleet after simulation: its outcome and its usage records for billing.
  struct SimulatedFleet: Sendable {
    var unit: FleetUnit
    var result: FleetSimulationResult
    /// The usage as the sweep bills it (`FleetBill(usage:)` on a `FleetUsage`).
    var fleetUsage: FleetUsage
    /// The same records written out, as `run` bills them (with line items, and across
    /// services).
    var usage: [InstanceUsage] { fleetUsage.instanceUsage }
    /// EBS volumes of stopped or hibernated warm pool instances.
    var storage: [StorageUsage] = []
    var spotPrice: (RegionalInstanceType, Double)?
    var onDemandUSDPerHour: Double
    var busiestDay: DayTimeline? = nil
  }

  /// The load forecast of each unit that has a predictive policy (nil for the others):
  /// computed once per demand series (variants share the scenario's demand; each service
  /// has its own), in parallel across series, and shared.
  static func predictiveForecasts(_ units: [FleetUnit], prepared: PreparedScenario) -> [PredictiveLoadForecast?] {
    // Variants all run on the scenario's demand (key 0); services on their own (key = index).
    let keys = units.indices.map { prepared.definition.hasServices ? $0 : 0 }
    let needed = Array(Set(units.indices.filter { units[$0].policies.contains(where: \.isPredictive) }.map { keys[$0] })).sorted()
    let built = Parallel.map(count: needed.count) { position in
      loadForecast(units[needed[position]].demand, prepared: prepared)
    }
    let forecasts = Dictionary(uniqueKeysWithValues: zip(needed, built))
    return units.indices.map { units[$0].policies.contains(where: \.isPredictive) ? forecasts[keys[$0]] : nil }
  }

  /// The load forecast predictive policies act on, of one demand series of `prepared`.
  static func loadForecast(_ demand: DemandSeries, prepared: PreparedScenario) -> PredictiveLoadForecast {
    PredictiveLoadForecast(
      demandPerMinute: demand.valuesPerMinute, tickSeconds: demand.intervalSeconds,
      forecaster: SeasonalRegressionLoadForecaster(startEpochSeconds: prepared.start.timeIntervalSince1970))
  }

  /// - Parameters:
  ///   - recording: the day whose timeline the result keeps (`dayTimeline`); the queueing
  ///     and requests fidelities keep every tick's latency anyway.
  ///   - recordsActivities: false leaves the scaling activities out of the result (a sweep
  ///     row counts them from the statistics).
  static func simulate(
    _ unit: FleetUnit, prepared: PreparedScenario, predictiveForecast: PredictiveLoadForecast? = nil,
    recording day: BusiestDay? = nil, disruptions: DisruptionScope = .all, recordsActivities: Bool = true
  ) throws(ScenarioError) -> SimulatedFleet {
    let definition = prepared.definition
    let scheduled = unit.scheduledActions.map {
      ScalingPolicy.scheduled($0.scheduledAction(from: prepared.start, to: prepared.end, in: definition.timeZone))
    }
    var input = FleetSimulationInput(
      group: try disruptedGroup(unit, catalog: prepared.catalog, scope: disruptions), policies: unit.policies + scheduled,
      demandPerMinute: unit.demand.valuesPerMinute, tickSeconds: unit.demand.intervalSeconds,
      random: RandomStream(seed: definition.simulation.seed).substream(named: unit.streamName),
      recordsTimeline: definition.simulation.fidelity != .fluid,
      predictiveForecast: predictiveForecast, fidelity: definition.simulation.fidelity, serving: unit.fleet.serving,
      latencySLO: unit.fleet.latencySLO,
      arrivalTimes: definition.simulation.fidelity == .requests ? unit.arrivalTimes : nil)
    input.faults = try fleetFaults(unit, prepared: prepared, scope: disruptions)
    input.recordsActivities = recordsActivities
    input.demandIsKnownValid = true  // a DemandSeries' values are finite and >= 0
    if let day {
      input.recordsTimeline = true
      if definition.simulation.fidelity == .fluid { input.timelineTicks = day.ticks }
    }
    let fleet: FleetSimulationResult
    do {
      fleet = try FleetSimulator.run(input)
    } catch {
      let location = error.policy.flatMap { unit.policyLocations[$0] } ?? unit.location
      throw location.error(.policy(error.description))
    }
    var tags = unit.tags
    if let team = unit.team { tags["team"] = team }
    let usage = fleetUsage(fleet.lifetimes, unit: unit, tags: tags)
    let storage = unit.group.warmPool.map { pool in
      fleet.warmPoolStoredIntervals.map {
        StorageUsage(
          region: unit.fleet.region, count: $0.count, gibPerInstance: pool.volumeGiBPerInstance,
          usdPerGBMonth: pool.usdPerGBMonth, startSeconds: $0.startSeconds, endSeconds: $0.endSeconds, service: unit.name,
          tags: tags, availabilityZone: unit.fleet.availabilityZone)
      }
    } ?? []
    let key = RegionalInstanceType(region: unit.fleet.region, instanceType: unit.fleet.instanceType)
    // `prepare` checked every fleet's price; a failure here is reported, never priced at 0.
    let price: Double
    do {
      price = try prepared.catalog.onDemandUSDPerHour(region: key.region, instanceType: key.instanceType)
    } catch {
      throw unit.fleet.location.error(.invalidValue(
        field: "fleet", expected: "an instance type and region in the price catalog", found: "\(error)", suggestion: nil))
    }
    var simulated = SimulatedFleet(
      unit: unit, result: fleet, fleetUsage: usage, storage: storage, spotPrice: unit.spotPriceUSDPerHour.map { (key, $0) },
      onDemandUSDPerHour: price)
    simulated.busiestDay = day.flatMap { dayTimeline(simulated, day: $0) }
    if definition.simulation.fidelity == .fluid { simulated.result.timeline = nil }
    return simulated
  }

  static func variantResult(_ fleet: SimulatedFleet, bill: FleetBill?) -> VariantResult {
    if let bill { checkConservation(fleet, bill: bill) }
    let unit = fleet.unit
    var result = VariantResult(
      name: unit.name, description: unit.description, team: unit.team, instanceType: unit.fleet.instanceType,
      region: unit.fleet.region,
      policySummaries: unit.policies.map(\.summary) + unit.scheduledActions.map(\.summary),
      statistics: fleet.result.statistics,
      billedInstanceHours: bill.map { $0.billedInstanceSeconds / 3_600 }
        ?? fleet.usage.reduce(0) { $0 + Double($1.count) * max(60, ($1.endSeconds - $1.startSeconds).rounded(.up)) } / 3_600,
      onDemandUSDPerHour: fleet.onDemandUSDPerHour, costUSD: bill?.effectiveCostUSD ?? 0,
      activities: fleet.result.activities, bill: bill,
      hourlyDemandUnits: VariantResult.hourlyUnits(
        perMinute: unit.demand.valuesPerMinute, tickSeconds: unit.demand.intervalSeconds),
      predictiveForecasts: fleet.result.predictiveForecasts,
      latencySeries: fleet.result.timeline.flatMap { timeline in
        timeline.latencyP50Seconds.isEmpty
          ? nil
          : LatencySeries(
            tickSeconds: fleet.unit.demand.intervalSeconds, p50Seconds: timeline.latencyP50Seconds,
            p99Seconds: timeline.latencyP99Seconds)
      })
    result.busiestDay = fleet.busiestDay
    if unit.group.instanceTypes.count > 1 {
      result.instanceTypeShares = InstanceTypeShare.shares(
        types: unit.group.instanceTypes.map(\.instanceType), lifetimes: fleet.result.lifetimes,
        interruptions: fleet.result.statistics.disruptions?.spotInterruptionsByType ?? [])
    }
    return result
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
    case .predictive(let p):
      let buffer = p.schedulingBufferSeconds > 0 ? ", buffer \(number(p.schedulingBufferSeconds)) s" : ""
      let breach =
        p.maxCapacityBreachBehavior == .increaseMaxCapacity ? ", may raise max by \(p.maxCapacityBufferPercent)%" : ""
      return "\(p.name): predictive \(metric(p.metric)) \(number(p.targetValue)), \(p.mode.rawValue)\(buffer)\(breach)"
    }
  }
}
