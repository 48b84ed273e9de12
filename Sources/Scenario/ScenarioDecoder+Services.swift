import AutoScaling
extension ScenarioDecoder {
  static let serviceKeys = ["name", "team", "tags", "demand", "capacity", "fleet", "policies", "serving", "slo"]

  /// `services:` items, each decoded with the single-service readers: `demand` as the
  /// top-level demand, `fleet` as the top-level fleet (against the service's `capacity`,
  /// else `capacity`, the top-level one), `policies` as a variant's.
  func decodeServices(
    _ value: YAMLValue, capacity: Capacity?, serving: Serving? = nil, slo: LatencySLO? = nil
  ) throws(ScenarioError) -> [ServiceDefinition] {
    var services: [ServiceDefinition] = []
    var firstLines: [String: Int] = [:]
    for item in try value.sequence(count: 1...200) {
      let service = try item.mapping(allowedKeys: Self.serviceKeys)
      let nameValue = try service.required("name")
      let name = try nameValue.identifier()
      if let firstLine = firstLines[name] {
        throw nameValue.error(.duplicate(kind: "service name", name: name, firstLine: firstLine))
      }
      firstLines[name] = nameValue.location.line
      let team = try service.required("team").identifier()
      let tags = try service.optional("tags") { v throws(ScenarioError) in try Self.decodeTags(v) } ?? [:]
      let demand = try decodeDemand(service.required("demand"))
      let ownCapacity = try service.optional("capacity") { v throws(ScenarioError) in try decodeCapacity(v) }
      let ownServing = try service.optional("serving") { v throws(ScenarioError) in try decodeServing(v) }
      let ownSLO = try service.optional("slo") { v throws(ScenarioError) in try decodeSLO(v) }
      let serviceServing = ownServing ?? serving
      let serviceCapacity = ownCapacity ?? capacity
      if serviceCapacity == nil && serviceServing == nil {
        // Required here only because there is no top-level capacity or serving to fall back to.
        throw item.location.error(.missingField(key: "capacity", in: item.path))
      }
      let fleet = try decodeFleet(
        service.required("fleet"), capacity: serviceCapacity, serving: serviceServing, slo: ownSLO ?? slo)
      let policies = try decodePolicies(service["policies"])
      services.append(ServiceDefinition(
        name: name, team: team, tags: tags, demand: demand, fleet: fleet.definition, policies: policies.policies,
        scheduledActions: policies.scheduledActions, location: item.location, policyLocations: policies.locations))
    }
    return services
  }

  /// Cost-allocation tags: string keys of 1-128 characters, string values of 0-256 (AWS's
  /// tag limits). Numbers and dates must be quoted, so `"0042"` keeps its zeros.
  static func decodeTags(_ value: YAMLValue) throws(ScenarioError) -> [String: String] {
    var tags: [String: String] = [:]
    for (key, entry) in try value.keyedValues() {
      guard (1...128).contains(key.count) else {
        throw entry.keyLocation.error(.outOfRange(
          field: "tag key", range: "1...128 characters long", found: "\(key.count) characters"))
      }
      tags[key] = try entry.string(length: 0...256)
    }
    return tags
  }
}
