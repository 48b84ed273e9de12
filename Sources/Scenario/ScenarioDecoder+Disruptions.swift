import AutoScaling
import Foundation
import Yams

/// A fault as the scenario (or `capsim run --fault`) writes it: zone names and calendar
/// times, resolved per fleet into `AutoScaling.FleetFault` when the run starts.
public struct FaultDefinition: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// `zoneOutage: ZONE` with `duration` (and `detection`).
    case zoneOutage(zone: String, durationSeconds: Double, detectionSeconds: Double)
    /// `launchFailures: {probability, zone}` from `start` (or the run's start) to `end`
    /// (or its end), retried every `retry`.
    case launchFailures(probability: Double, zone: String?, retrySeconds: Double)
  }

  public var name: String
  public var kind: Kind
  public var start: Date?
  public var end: Date?
  public var location: SourceLocation
  /// Where the zone name is written (errors about a zone the fleet does not use).
  public var zoneLocation: SourceLocation?
  /// Launch failures only: the instance type whose launches fail (nil: every type), and
  /// where it is written; and the market, On-Demand or Spot (nil: both).
  public var instanceType: String?
  public var instanceTypeLocation: SourceLocation?
  public var market: LaunchFailures.Market?

  public var kindName: String {
    switch kind {
    case .zoneOutage: "zone outage"
    case .launchFailures: "launch failures"
    }
  }
}

extension ScenarioDecoder {
  static let spotInterruptionKeys = ["monthlyPercent", "capacityRebalance", "warningLead"]
  static let faultKeys = ["name", "zoneOutage", "launchFailures", "start", "end", "duration", "detection", "retry"]
  static let launchFailureKeys = ["probability", "zone", "instanceType", "market"]

  /// `purchaseOptions.spotInterruptions`: `monthlyPercent` (share of instances interrupted
  /// in a month; absent = the Spot Advisor bucket of the type, resolved at run time),
  /// `capacityRebalance` (default false, as AWS), `warningLead` (default 2m, the notice).
  /// A variant's block changes only the keys it writes (`inheriting` the fleet's).
  static func decodeSpotInterruptions(
    _ value: YAMLValue, inheriting base: SpotInterruptions? = nil
  ) throws(ScenarioError) -> SpotInterruptions {
    let mapping = try value.mapping(allowedKeys: spotInterruptionKeys)
    let rate = try mapping.optional("monthlyPercent") { v throws(ScenarioError) in
      SpotInterruptions.rate(monthlyFraction: try v.double(in: .closed(0, 99)) / 100)
    } ?? base?.ratePerInstanceSecond
    let rebalance = try mapping.optional("capacityRebalance") { v throws(ScenarioError) in try v.bool() }
      ?? base?.capacityRebalance ?? false
    let lead = try mapping.optional("warningLead") { v throws(ScenarioError) in
      try v.duration(in: .closed(SpotInterruptions.noticeSeconds, 86_400))
    } ?? base?.warningLeadSeconds ?? SpotInterruptions.noticeSeconds
    return SpotInterruptions(ratePerInstanceSecond: rate, warningLeadSeconds: lead, capacityRebalance: rebalance)
  }

  /// `availabilityZones: [ap-northeast-2a, ...]`: 1 to 32 distinct zones of the region.
  static func decodeAvailabilityZones(_ value: YAMLValue, region: String) throws(ScenarioError) -> [String] {
    var zones: [String] = []
    for item in try value.sequence(count: 1...32) {
      let zone = try decodeAvailabilityZone(item, region: region)
      if zones.contains(zone) { throw item.invalid("a zone not listed before") }
      zones.append(zone)
    }
    return zones
  }

  /// `faults:`, a list; names default to `<kind>-<position>` and must be unique.
  func decodeFaults(_ value: YAMLValue) throws(ScenarioError) -> [FaultDefinition] {
    var faults: [FaultDefinition] = []
    for (index, item) in try value.sequence(count: 0...100).enumerated() {
      let fault = try decodeFault(item, position: index + 1)
      if let first = faults.first(where: { $0.name == fault.name }) {
        throw item.error(.duplicate(kind: "fault name", name: fault.name, firstLine: first.location.line))
      }
      faults.append(fault)
    }
    return faults
  }

  func decodeFault(_ item: YAMLValue, position: Int) throws(ScenarioError) -> FaultDefinition {
    let mapping = try item.mapping(allowedKeys: Self.faultKeys)
    let kinds = ["zoneOutage", "launchFailures"].filter { mapping[$0] != nil }
    guard kinds.count == 1 else {
      throw item.invalid(
        "one of 'zoneOutage: ZONE' or 'launchFailures: {probability, zone}'",
        suggestion: kinds.isEmpty ? nil : "give one kind per fault")
    }
    try mapping.reject("duration", with: "end", rule: "give a fault's end or its duration, not both")
    let start = try mapping.optional("start") { v throws(ScenarioError) in try v.timestamp(in: timeZone) }
    var end = try mapping.optional("end") { v throws(ScenarioError) in try v.timestamp(in: timeZone) }
    let duration = try mapping.optional("duration") { v throws(ScenarioError) in try v.duration(in: .above(0, atMost: 3_660 * 86_400)) }
    if let duration, let start { end = start.addingTimeInterval(duration) }
    if let start, let end, end <= start, let value = mapping["end"] { throw value.invalid("a time after the fault's start") }
    let kind: FaultDefinition.Kind
    var zoneLocation: SourceLocation?
    var instanceType: String?
    var instanceTypeLocation: SourceLocation?
    var market: LaunchFailures.Market?
    if let zoneValue = mapping["zoneOutage"] {
      try mapping.reject("retry", with: "zoneOutage", rule: "'retry' is for launch failures")
      let zone = try zoneValue.string(length: 1...60)
      zoneLocation = zoneValue.location
      guard let startValue = mapping["start"], start != nil else {
        throw item.invalid("a zone outage with 'start' (when the zone is lost)")
      }
      guard let end, let start else {
        throw startValue.invalid("a zone outage with 'duration' or 'end' (when the zone is back)")
      }
      let detection = try mapping.optional("detection") { v throws(ScenarioError) in try v.duration(in: .closed(0, 86_400)) } ?? 60
      let length = end.timeIntervalSince(start)
      if detection > length, let value = mapping["detection"] {
        throw value.invalid("a detection time within the outage (\(Int(length)) s)")
      }
      kind = .zoneOutage(zone: zone, durationSeconds: length, detectionSeconds: detection)
    } else {
      try mapping.reject("detection", with: "launchFailures", rule: "'detection' is for zone outages")
      let failures = try mapping.required("launchFailures").mapping(allowedKeys: Self.launchFailureKeys)
      let probability = try failures.required("probability").double(in: .closed(0, 1))
      let zone = try failures.optional("zone") { v throws(ScenarioError) in try v.string(length: 1...60) }
      zoneLocation = failures["zone"]?.location
      instanceType = try failures.optional("instanceType") { v throws(ScenarioError) in try v.string(length: 1...50) }
      instanceTypeLocation = failures["instanceType"]?.location
      market = try failures.optional("market") { v throws(ScenarioError) in
        try v.choice([("on-demand", LaunchFailures.Market.onDemand), ("spot", .spot)])
      }
      let retry = try mapping.optional("retry") { v throws(ScenarioError) in try v.duration(in: .closed(1, 86_400)) } ?? 60
      kind = .launchFailures(probability: probability, zone: zone, retrySeconds: retry)
    }
    let defaultName = (kinds[0] == "zoneOutage" ? "zone-outage-" : "launch-failures-") + String(position)
    let name = try mapping.optional("name") { v throws(ScenarioError) in try v.identifier() } ?? defaultName
    var fault = FaultDefinition(
      name: name, kind: kind, start: start, end: end, location: item.location, zoneLocation: zoneLocation)
    fault.instanceType = instanceType
    fault.instanceTypeLocation = instanceTypeLocation
    fault.market = market
    return fault
  }
}

extension ScenarioDefinition {
  /// Adds `capsim run --fault` faults: each flag is one fault as a YAML flow mapping without
  /// its braces (`zoneOutage: ap-northeast-2a, start: 2026-11-20T18:30:00, duration: 2h`),
  /// read by the scenario's own fault grammar, in the scenario's time zone.
  public func addingFaults(flags: [String]) throws(ScenarioError) -> ScenarioDefinition {
    var result = self
    var decoder = ScenarioDecoder(file: file, baseDirectory: baseDirectory)
    decoder.timeZone = timeZone
    for (index, flag) in flags.enumerated() {
      let origin = "--fault #\(index + 1)"
      let node: Node?
      do {
        node = try Yams.compose(yaml: "{" + flag + "}", .default, .default, .utf8)
      } catch {
        throw SourceLocation(file: origin, line: 1, column: 1).error(
          .invalidValue(
            field: "--fault", expected: "key: value pairs separated by commas, e.g. 'zoneOutage: ZONE, start: TIME, duration: 2h'",
            found: flag, suggestion: nil))
      }
      guard let node else {
        throw SourceLocation(file: origin, line: 1, column: 1).error(
          .invalidValue(field: "--fault", expected: "a fault", found: "nothing", suggestion: nil))
      }
      let fault = try decoder.decodeFault(YAMLValue(root: node, file: origin), position: result.faults.count + 1)
      if let first = result.faults.first(where: { $0.name == fault.name }) {
        throw fault.location.error(.duplicate(kind: "fault name", name: fault.name, firstLine: first.location.line))
      }
      result.faults.append(fault)
    }
    return result
  }
}
