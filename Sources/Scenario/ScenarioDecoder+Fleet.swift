import AutoScaling
import Foundation

extension ScenarioDecoder {
  static let fleetKeys = [
    "region", "instanceType", "minSize", "maxSize", "initialCapacity", "launchTime", "launchJitter", "warmup",
    "availabilityZone", "availabilityZones", "purchaseOptions", "warmPool",
  ]
  static let fleetOverrideKeys = [
    "minSize", "maxSize", "initialCapacity", "launchTime", "launchJitter", "warmup", "purchaseOptions", "warmPool",
  ]
  static let purchaseOptionKeys = [
    "onDemandBaseCapacity", "onDemandPercentageAboveBaseCapacity", "spotPriceUSDPerHour", "spotInterruptions",
    "instanceTypes", "spotAllocationStrategy", "spotInstancePools", "onDemandAllocationStrategy",
  ]
  static let variantKeys = ["name", "description", "fleet", "policies"]

  /// Defaults where the file is silent (docs/scenario-format.md, "Modelling assumptions").
  static let defaultLaunchSeconds = 120.0
  static let defaultWarmupSeconds = 300.0

  struct Fleet {
    var definition: FleetDefinition
    var mapping: YAMLMapping
    /// initialCapacity as written; absent = each variant starts at its own minSize.
    var explicitInitialCapacity: Int?
    var capacity: Capacity?
  }

  func decodeFleet(
    _ value: YAMLValue, capacity: Capacity?, serving: Serving? = nil, slo: LatencySLO? = nil
  ) throws(ScenarioError) -> Fleet {
    let fleet = try value.mapping(allowedKeys: Self.fleetKeys)
    let regionValue = try fleet.required("region")
    let region = try regionValue.string(length: 1...50)
    guard Self.isRegionCode(region) else { throw regionValue.invalid("an AWS region code such as us-east-1 or ap-northeast-2") }
    try fleet.reject(
      "availabilityZones", with: "availabilityZone", rule: "give one zone, or the list of zones the group balances across")
    let availabilityZone = try fleet.optional("availabilityZone") { v throws(ScenarioError) in
      try Self.decodeAvailabilityZone(v, region: region)
    }
    // One field: the single key is a list of one.
    let zoneList = try fleet.optional("availabilityZones") { v throws(ScenarioError) in
      try Self.decodeAvailabilityZones(v, region: region)
    }
    let availabilityZones = availabilityZone.map { [$0] } ?? zoneList ?? []
    let typeValue = try fleet.required("instanceType")
    let instanceType = try typeValue.string(length: 1...50)
    let unitsPerMinute = try fleetCapacity(
      instanceType: instanceType, typeValue: typeValue, capacity: capacity, serving: serving)
    let minSize = try fleet.required("minSize").int(in: 0...GroupConfiguration.maximumSize)
    let maxSize = try fleet.required("maxSize").int(in: 0...GroupConfiguration.maximumSize)
    let initialCapacity = try fleet.optional("initialCapacity") { v throws(ScenarioError) in
      try v.int(in: 0...GroupConfiguration.maximumSize)
    }
    var group = GroupConfiguration(
      instanceType: instanceType, minSize: minSize, maxSize: maxSize, initialCapacity: initialCapacity ?? minSize,
      launchSeconds: Self.defaultLaunchSeconds, launchJitterSeconds: 0, warmupSeconds: Self.defaultWarmupSeconds,
      capacityUnitsPerMinute: unitsPerMinute)
    group.availabilityZoneCount = max(1, availabilityZones.count)
    try Self.applyDurations(fleet, to: &group)
    var spotPrice: Double?
    var types = InstanceTypesDefinition()
    try Self.applyPurchaseOptions(
      fleet["purchaseOptions"], to: &group, spotPriceUSDPerHour: &spotPrice, instanceTypes: &types)
    try resolveInstanceTypes(
      types, into: &group, capacity: capacity, serving: serving?.model, at: fleet["purchaseOptions"]?.keyLocation)
    if let v = fleet["warmPool"] { group.warmPool = try Self.decodeWarmPool(v, allowsNone: false) }
    try Self.checkWarmPoolPurchaseOptions(group, spotPriceUSDPerHour: spotPrice, at: fleet["warmPool"]?.keyLocation, owner: "")
    var definition = FleetDefinition(
      region: region, instanceType: instanceType, group: group,
      spotPriceUSDPerHour: spotPrice, location: value.keyLocation)
    definition.availabilityZones = availabilityZones
    definition.instanceTypes = types
    definition.serving = serving?.model
    definition.servingLocation = serving?.value.keyLocation
    definition.latencySLO = slo
    definition.capacityByType = capacity?.ordered ?? []
    let result = Fleet(
      definition: definition,
      mapping: fleet, explicitInitialCapacity: initialCapacity, capacity: capacity)
    do {
      try group.validate()
    } catch {
      throw groupError(error, fleet: result, overrides: nil, variantName: nil, fallback: value.keyLocation)
    }
    return result
  }

  /// launchTime, launchJitter and warmup, where present (bounds match AutoScaling's checks).
  static func applyDurations(_ mapping: YAMLMapping, to group: inout GroupConfiguration) throws(ScenarioError) {
    if let v = mapping["launchTime"] { group.launchSeconds = try v.duration(in: .closed(0, 86_400)) }
    if let v = mapping["launchJitter"] { group.launchJitterSeconds = try v.duration(in: .closed(0, 86_400)) }
    if let v = mapping["warmup"] { group.warmupSeconds = try v.duration(in: .closed(0, 86_400)) }
  }

  /// `purchaseOptions:` where present: the On-Demand/Spot split into the group (ranges as
  /// AutoScaling checks them, so they fail here first, at the value) and the Spot price.
  /// Keys not written keep their current values (a variant inherits the fleet's).
  static func applyPurchaseOptions(
    _ value: YAMLValue?, to group: inout GroupConfiguration, spotPriceUSDPerHour: inout Double?,
    instanceTypes: inout InstanceTypesDefinition
  ) throws(ScenarioError) {
    guard let value else { return }
    let options = try value.mapping(allowedKeys: purchaseOptionKeys)
    try decodeInstanceTypes(options, into: &instanceTypes)
    if let v = options["onDemandBaseCapacity"] { group.onDemandBaseCapacity = try v.int(in: 0...GroupConfiguration.maximumSize) }
    if let v = options["onDemandPercentageAboveBaseCapacity"] { group.onDemandPercentageAboveBaseCapacity = try v.int(in: 0...100) }
    if let v = options["spotPriceUSDPerHour"] { spotPriceUSDPerHour = try v.double(in: .above(0, atMost: 10_000)) }
    if let v = options["spotInterruptions"] {
      group.spotInterruptions = try decodeSpotInterruptions(v, inheriting: group.spotInterruptions)
    }
  }

  /// An Availability Zone name of `region`: the region code and a zone letter
  /// (`ap-northeast-2a`), or a Local Zone (`us-west-2-lax-1a`).
  static func decodeAvailabilityZone(_ value: YAMLValue, region: String) throws(ScenarioError) -> String {
    let zone = try value.string(length: 1...60)
    let suffix = zone.hasPrefix(region) ? zone.dropFirst(region.count) : ""
    let isZoneSuffix = suffix.count == 1
      ? suffix.allSatisfy { $0.isASCII && $0.isLowercase }
      : suffix.first == "-" && suffix.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        && suffix.last!.isLowercase
    guard isZoneSuffix else {
      throw value.invalid("an Availability Zone of \(region) such as \(region)a")
    }
    return zone
  }

  /// `us-east-1`, `ap-northeast-2`, `us-gov-west-1`.
  static func isRegionCode(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count >= 3, let number = parts.last, !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      return false
    }
    return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isLowercase } } && parts[0].count == 2
  }

  // MARK: Variants

  func decodeVariants(_ value: YAMLValue, fleet: Fleet) throws(ScenarioError) -> [VariantDefinition] {
    var variants: [VariantDefinition] = []
    var firstLines: [String: Int] = [:]
    for item in try value.sequence(count: 1...200) {
      let variant = try item.mapping(allowedKeys: Self.variantKeys)
      let nameValue = try variant.required("name")
      let name = try nameValue.identifier()
      if let firstLine = firstLines[name] {
        throw nameValue.error(.duplicate(kind: "variant name", name: name, firstLine: firstLine))
      }
      firstLines[name] = nameValue.location.line
      let description = try variant.optional("description") { v throws(ScenarioError) in try v.string() }

      var group = fleet.definition.group
      var spotPrice = fleet.definition.spotPriceUSDPerHour
      var types = fleet.definition.instanceTypes
      var overrides: YAMLMapping?
      if let fleetValue = variant["fleet"] {
        let mapping = try fleetValue.mapping(allowedKeys: Self.fleetOverrideKeys)
        if let v = mapping["minSize"] { group.minSize = try v.int(in: 0...GroupConfiguration.maximumSize) }
        if let v = mapping["maxSize"] { group.maxSize = try v.int(in: 0...GroupConfiguration.maximumSize) }
        group.initialCapacity = try mapping.optional("initialCapacity") { v throws(ScenarioError) in
          try v.int(in: 0...GroupConfiguration.maximumSize)
        } ?? fleet.explicitInitialCapacity ?? group.minSize
        try Self.applyDurations(mapping, to: &group)
        try Self.applyPurchaseOptions(
          mapping["purchaseOptions"], to: &group, spotPriceUSDPerHour: &spotPrice, instanceTypes: &types)
        try resolveInstanceTypes(
          types, into: &group, capacity: fleet.capacity, serving: fleet.definition.serving,
          at: mapping["purchaseOptions"]?.keyLocation)
        if let v = mapping["warmPool"] { group.warmPool = try Self.decodeWarmPool(v, allowsNone: true) }
        overrides = mapping
      }
      try Self.checkWarmPoolPurchaseOptions(
        group, spotPriceUSDPerHour: spotPrice,
        at: overrides?["warmPool"]?.keyLocation ?? fleet.mapping["warmPool"]?.keyLocation, owner: "variant '\(name)': ")
      do {
        try group.validate()
      } catch {
        // The fleet itself validated, so the variant's overrides are the cause.
        throw groupError(
          error, fleet: fleet, overrides: overrides, variantName: name,
          fallback: variant["fleet"]?.keyLocation ?? item.location)
      }

      let decoded = try decodePolicies(variant["policies"])
      var definition = VariantDefinition(
        name: name, description: description, group: group, spotPriceUSDPerHour: spotPrice, policies: decoded.policies,
        scheduledActions: decoded.scheduledActions, location: item.location, policyLocations: decoded.locations)
      definition.instanceTypes = types
      variants.append(definition)
    }
    return variants
  }

  static let groupFieldKeys = [
    "launchSeconds": "launchTime", "launchJitterSeconds": "launchJitter", "warmupSeconds": "warmup",
  ]

  /// An AutoScalingError about the group, at the YAML that set the field: for a variant its
  /// override, else `fallback` (its `fleet:` key); for the fleet its key, else `fallback`.
  func groupError(
    _ error: AutoScalingError, fleet: Fleet, overrides: YAMLMapping?, variantName: String?, fallback: SourceLocation
  ) -> ScenarioError {
    let key = Self.groupFieldKeys[error.field] ?? error.field
    let mapping = variantName != nil ? overrides : fleet.mapping
    let purchaseOption = Self.purchaseOptionKeys.contains(key)
      ? (try? mapping?["purchaseOptions"]?.keyedValues())?.first { $0.name == key }?.value : nil
    let warmPool = key.hasPrefix("warmPool.") ? mapping?["warmPool"] : nil
    let node = warmPool ?? (variantName != nil
      ? overrides?[key] ?? purchaseOption
      : fleet.mapping[key] ?? purchaseOption
        ?? (key == "capacityUnitsPerMinute" ? fleet.capacity?.values[fleet.definition.instanceType] : nil))
    let owner = variantName.map { "variant '\($0)': " } ?? ""
    return (node?.location ?? fallback).error(.policy("\(owner)'\(key)' should be \(error.expected), found \(error.found)"))
  }
}
