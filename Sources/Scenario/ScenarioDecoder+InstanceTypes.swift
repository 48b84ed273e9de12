import AutoScaling

extension ScenarioDecoder {
  /// `purchaseOptions.instanceTypes` (1-40 distinct types) and the allocation strategies,
  /// where written; the rest keeps `types`' values (a variant inherits the fleet's).
  static func decodeInstanceTypes(_ options: YAMLMapping, into types: inout InstanceTypesDefinition) throws(ScenarioError) {
    if let v = options["instanceTypes"] {
      var names: [String] = []
      var locations: [SourceLocation] = []
      var firstLines: [String: Int] = [:]
      for item in try v.sequence(count: 1...GroupConfiguration.maximumInstanceTypes) {
        let name = try item.string(length: 1...50)
        if let firstLine = firstLines[name] {
          throw item.error(.duplicate(kind: "instance type", name: name, firstLine: firstLine))
        }
        firstLines[name] = item.location.line
        names.append(name)
        locations.append(item.location)
      }
      types.instanceTypes = names
      types.locations = locations
    }
    if let v = options["spotAllocationStrategy"] {
      types.spotAllocationStrategy = try v.choice(InstanceTypesDefinition.SpotStrategy.allCases.map { ($0.rawValue, $0) })
    }
    if let v = options["onDemandAllocationStrategy"] {
      types.onDemandAllocationStrategy = try v.choice(
        InstanceTypesDefinition.OnDemandStrategy.allCases.map { ($0.rawValue, $0) })
    }
    if let v = options["spotInstancePools"] {
      types.spotInstancePools = try v.int(in: 1...20)
      if types.spotAllocationStrategy != .lowestPrice {
        throw v.invalid(
          "no spotInstancePools: it applies to spotAllocationStrategy lowest-price only (this one is "
            + "\(types.spotAllocationStrategy.rawValue))")
      }
    }
  }

  /// Each listed type with its capacity (the `capacity.unitsPerMinute` entry, or the serving
  /// model's, which every type then shares) into `group.instanceTypes`; the group's
  /// `instanceType` must be listed. Prices, Spot Advisor rates and the strategies' orders
  /// are resolved when the run starts (`ScenarioRunner.runGroup`).
  func resolveInstanceTypes(
    _ types: InstanceTypesDefinition, into group: inout GroupConfiguration, capacity: Capacity?,
    serving: ServingModel?, at location: SourceLocation?
  ) throws(ScenarioError) {
    guard !types.instanceTypes.isEmpty else {
      group.instanceTypes = []
      return
    }
    guard types.instanceTypes.contains(group.instanceType) else {
      throw (types.locations.first ?? location ?? SourceLocation(file: file, line: 0, column: 0)).error(
        .invalidValue(
          field: "instanceTypes",
          expected: "a list that includes the fleet's instanceType \(group.instanceType) (the type it is named and "
            + "planned by)", found: types.instanceTypes.joined(separator: ", "), suggestion: nil))
    }
    var options: [InstanceTypeOverride] = []
    for (name, place) in zip(types.instanceTypes, types.locations) {
      let unitsPerMinute: Double
      if let serving {
        unitsPerMinute = serving.capacityUnitsPerMinute
        if let written = capacity?.unitsPerMinute[name], abs(written - unitsPerMinute) > 1e-6 * unitsPerMinute {
          throw place.error(
            .invalidValue(
              field: "instanceTypes", expected: "types that serve as the serving block says (\(unitsPerMinute) "
                + "requests per minute each): capacity.unitsPerMinute gives \(name) \(written)",
              found: name, suggestion: nil))
        }
      } else {
        guard let written = capacity?.unitsPerMinute[name] else {
          let known = capacity?.unitsPerMinute.keys.sorted() ?? []
          throw place.error(
            .invalidValue(
              field: "instanceTypes",
              expected: "a type with a capacity in capacity.unitsPerMinute"
                + (known.isEmpty ? "" : " (\(known.joined(separator: ", ")))"),
              found: name, suggestion: Suggestion.closest(to: name, among: known)))
        }
        unitsPerMinute = written
      }
      options.append(InstanceTypeOverride(instanceType: name, capacityUnitsPerMinute: unitsPerMinute))
    }
    group.instanceTypes = options
  }
}
