import AutoScaling
import Foundation

/// Turns the composed YAML tree into a `ScenarioDefinition`, in schema order (demand
/// before fleet, fleet before variants or services, then commitments), stopping at the
/// first error.
struct ScenarioDecoder {
  let file: String
  let baseDirectory: URL
  var timeZone = TimeZone(identifier: "UTC")!

  init(file: String, baseDirectory: URL) {
    self.file = file
    self.baseDirectory = baseDirectory
  }

  static let topLevelKeys = [
    "name", "description", "timeZone", "demand", "capacity", "fleet", "variants", "services", "commitments",
    "savingsPlanRates", "simulation", "forecast", "serving", "slo", "faults", "prices", "sweep",
  ]
  /// Keys a multi-service scenario gives per service instead.
  static let singleServiceKeys = ["demand", "fleet", "variants"]
  static let servicesRule =
    "a scenario with 'services' gives each service its own demand, fleet and policies; "
    + "top-level 'demand', 'fleet' and 'variants' are for a single-service scenario"

  func decodeScenario(_ root: YAMLValue) throws(ScenarioError) -> ScenarioDefinition {
    let top = try root.mapping(allowedKeys: Self.topLevelKeys)
    let name = try top.required("name").identifier()
    let description = try top.optional("description") { value throws(ScenarioError) in try value.string() }
    var decoder = self
    if let zone = top["timeZone"] { decoder.timeZone = try Self.decodeTimeZone(zone) }

    let demand: DemandDefinition
    let capacity: Capacity?
    let fleet: FleetDefinition
    var variants: [VariantDefinition] = []
    var services: [ServiceDefinition] = []
    let serving = try top.optional("serving") { value throws(ScenarioError) in try decoder.decodeServing(value) }
    let slo = try top.optional("slo") { value throws(ScenarioError) in try decoder.decodeSLO(value) }
    if let servicesValue = top["services"] {
      for key in Self.singleServiceKeys { try top.reject(key, with: "services", rule: Self.servicesRule) }
      capacity = try top.optional("capacity") { value throws(ScenarioError) in try decoder.decodeCapacity(value) }
      services = try decoder.decodeServices(servicesValue, capacity: capacity, serving: serving, slo: slo)
      demand = services[0].demand
      fleet = services[0].fleet
    } else {
      demand = try decoder.decodeDemand(top.required("demand"))
      // With `serving:` the capacity follows from it, so `capacity:` may be left out.
      let written = serving == nil
        ? try decoder.decodeCapacity(top.required("capacity"))
        : try top.optional("capacity") { value throws(ScenarioError) in try decoder.decodeCapacity(value) }
      capacity = written
      let decodedFleet = try decoder.decodeFleet(top.required("fleet"), capacity: written, serving: serving, slo: slo)
      fleet = decodedFleet.definition
      variants = try decoder.decodeVariants(top.required("variants"), fleet: decodedFleet)
    }
    let commitments = try top.optional("commitments") { value throws(ScenarioError) in
      try decoder.decodeCommitments(value)
    }
    let rates = try top.optional("savingsPlanRates") { value throws(ScenarioError) in
      try decoder.decodeSavingsPlanRates(value)
    }
    let prices = try top.optional("prices") { value throws(ScenarioError) in try decoder.decodePrices(value) }
    let simulation = try top.optional("simulation") { value throws(ScenarioError) in try decoder.decodeSimulation(value) }
    let forecast = try top.optional("forecast") { value throws(ScenarioError) in
      try decoder.decodeForecast(value, services: services)
    }
    let faults = try top.optional("faults") { value throws(ScenarioError) in try decoder.decodeFaults(value) }
    var definition = ScenarioDefinition(
      name: name, description: description, timeZone: decoder.timeZone, file: file, baseDirectory: baseDirectory,
      demand: demand, capacityUnitsPerMinute: capacity?.unitsPerMinute ?? [:], fleet: fleet, variants: variants,
      services: services, commitments: commitments ?? CommitmentsDefinition(), savingsPlanRates: rates ?? [],
      simulation: simulation ?? SimulationSettings(), forecast: forecast, prices: prices)
    definition.faults = faults ?? []
    definition.hasSweep = top.has("sweep")
    return definition
  }

  /// `prices: {catalog: FILE, savingsPlanRates: FILE}`; both files must exist (read when
  /// the scenario is prepared).
  func decodePrices(_ value: YAMLValue) throws(ScenarioError) -> PricesDefinition {
    let m = try value.mapping(allowedKeys: ["catalog", "savingsPlanRates"])
    return PricesDefinition(
      catalog: try existingFile(m.required("catalog")),
      savingsPlanRates: try m.optional("savingsPlanRates") { v throws(ScenarioError) in try existingFile(v) },
      location: value.location)
  }

  // MARK: Time zone

  /// An IANA zone name Foundation knows (`Asia/Seoul`, `UTC`); offsets such as `GMT+9`
  /// are refused because their sign convention differs between systems.
  static func decodeTimeZone(_ value: YAMLValue) throws(ScenarioError) -> TimeZone {
    let text = try value.string(length: 1...100)
    let segments = text.split(separator: "/", omittingEmptySubsequences: false)
    let looksLikeName = segments.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_+-".contains($0)) } }
      && segments[0].allSatisfy { $0.isLetter || $0 == "_" }
    guard looksLikeName, let zone = TimeZone(identifier: text) else {
      throw value.invalid(
        "an IANA time zone name such as UTC, Asia/Seoul or America/New_York",
        // No suggestion for offsets: "GMT+9" is not "GMT".
        suggestion: text.contains(where: \.isNumber)
          ? nil : Suggestion.closest(to: text, among: TimeZone.knownTimeZoneIdentifiers + ["UTC"]))
    }
    return zone
  }

  // MARK: Capacity

  struct Capacity {
    var unitsPerMinute: [String: Double]
    var values: [String: YAMLValue]
    var node: YAMLValue
    /// The entries in file order.
    var ordered: [InstanceTypeCapacity] = []
  }

  func decodeCapacity(_ value: YAMLValue) throws(ScenarioError) -> Capacity {
    let capacity = try value.mapping(allowedKeys: ["unitsPerMinute"])
    let units = try capacity.required("unitsPerMinute")
    let entries = try units.keyedValues()
    guard !entries.isEmpty else {
      throw units.wrongType("a mapping from instance type to demand units per minute, e.g. {m5.large: 120}")
    }
    var result = Capacity(unitsPerMinute: [:], values: [:], node: units)
    for (instanceType, entry) in entries {
      guard !instanceType.isEmpty else { throw entry.keyLocation.error(.invalidValue(field: "unitsPerMinute", expected: "an instance type name", found: "an empty key", suggestion: nil)) }
      let units = try entry.double(in: .above(0, atMost: 1e9))
      result.unitsPerMinute[instanceType] = units
      result.values[instanceType] = entry
      result.ordered.append(InstanceTypeCapacity(instanceType: instanceType, unitsPerMinute: units, location: entry.location))
    }
    return result
  }

  // MARK: Simulation

  static let simulationKeys = ["start", "end", "duration", "tick", "seed", "fidelity"]

  func decodeSimulation(_ value: YAMLValue) throws(ScenarioError) -> SimulationSettings {
    let simulation = try value.mapping(allowedKeys: Self.simulationKeys)
    try simulation.reject("duration", with: "end", rule: "give the end of the simulated window or its duration, not both")
    var settings = SimulationSettings()
    settings.start = try simulation.optional("start") { v throws(ScenarioError) in try v.timestamp(in: timeZone) }
    settings.end = try simulation.optional("end") { v throws(ScenarioError) in try v.timestamp(in: timeZone) }
    settings.durationSeconds = try simulation.optional("duration") { v throws(ScenarioError) in
      try v.duration(in: .above(0, atMost: 3_660 * 86_400))
    }
    if let start = settings.start, let end = settings.end, end <= start, let endValue = simulation["end"] {
      throw endValue.invalid("a time after simulation.start")
    }
    settings.tickSeconds = try simulation.optional("tick") { v throws(ScenarioError) in try v.duration(in: .closed(1, 3_600)) } ?? 60
    settings.seed = try simulation.optional("seed") { v throws(ScenarioError) in try v.uint64() } ?? 1
    settings.fidelity = try simulation.optional("fidelity") { v throws(ScenarioError) in
      try v.choice(Fidelity.allCases.map { ($0.rawValue, $0) })
    } ?? .fluid
    return settings
  }
}
