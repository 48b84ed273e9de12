import AutoScaling
import Billing
import Foundation

extension AutoScalingImport {
  /// One group as the scenario's fleet (or service), its policies as YAML list items, and
  /// the notes that become comments.
  struct ImportedGroup {
    var name: String
    var region: String
    var instanceType: String
    var minSize: Int
    var maxSize: Int
    var desiredCapacity: Int?
    var warmupSeconds: Int?
    /// The group's AvailabilityZones capsim can simulate: one is written `availabilityZone`,
    /// several `availabilityZones`.
    var availabilityZones: [String]
    var purchaseOptions: (base: Int, percentAboveBase: Int)?
    /// CapacityRebalance of a group that runs Spot (nil for an all On-Demand group, where
    /// it changes nothing).
    var capacityRebalance: Bool? = nil
    /// MixedInstancesPolicy Overrides simulated as `purchaseOptions.instanceTypes` (each with
    /// a `--type-units-per-minute` capacity), and the allocation strategies as YAML members;
    /// empty: the group's one type.
    var instanceTypes: [String] = []
    var strategies: [String] = []
    var team: String
    var tags: [(key: String, value: String)]
    var metricId: String?
    /// Comments above the fleet: what of the group was not mapped, and why.
    var notes: [String]
    var policies: [ImportedPolicy]
    /// The `warmPool:` line, when the group has a warm pool capsim can simulate.
    var warmPool: String? = nil
  }

  /// A policy or scheduled action: its YAML list item (nil when it could not be mapped) and
  /// the comments written above it.
  struct ImportedPolicy {
    var lines: [String]?
    var notes: [String]
  }

  /// The AutoScalingGroup members of botocore's output shape capsim reads.
  static let mappedGroupKeys: Set<String> = [
    "AutoScalingGroupName", "AutoScalingGroupARN", "MinSize", "MaxSize", "DesiredCapacity", "DefaultCooldown",
    "DefaultInstanceWarmup", "AvailabilityZones", "Instances", "MixedInstancesPolicy", "LaunchTemplate", "Tags",
    "WarmPoolConfiguration", "CapacityRebalance",
  ]
  /// Members of the AutoScalingGroup shape capsim knows and does not simulate.
  static let unsimulatedGroupKeys: Set<String> = [
    "LaunchConfigurationName", "PredictedCapacity", "LoadBalancerNames", "TargetGroupARNs", "HealthCheckType",
    "HealthCheckGracePeriod", "CreatedTime", "SuspendedProcesses", "PlacementGroup", "VPCZoneIdentifier",
    "EnabledMetrics", "Status", "TerminationPolicies", "NewInstancesProtectedFromScaleIn", "ServiceLinkedRoleARN",
    "MaxInstanceLifetime", "WarmPoolSize", "Context", "DesiredCapacityType", "TrafficSources",
    "InstanceMaintenancePolicy", "AvailabilityZoneDistribution", "AvailabilityZoneImpairmentPolicy",
    "CapacityReservationSpecification", "InstanceLifecyclePolicy", "SkipZonalShiftValidation",
  ]

  /// "not simulated: HealthCheckType "ELB", ..." and "unknown: ..." notes for `object`'s
  /// members outside `mapped`.
  static func unmappedNotes(
    _ object: ImportJSON, mapped: Set<String>, unsimulated: Set<String>, what: String
  ) -> [String] {
    var notes: [String] = []
    let skipped = object.keys.filter { !mapped.contains($0) && unsimulated.contains($0) && !isEmpty(object[$0]) }
    if !skipped.isEmpty {
      notes.append("\(what): not simulated by capsim, not imported: " + skipped.map { describe($0, object[$0]) }.joined(separator: ", "))
    }
    let unknown = object.keys.filter { !mapped.contains($0) && !unsimulated.contains($0) }
    if !unknown.isEmpty {
      notes.append("\(what): unknown keys (not in the AWS output shape capsim knows), not imported: " + unknown.joined(separator: ", "))
    }
    return notes
  }

  static func isEmpty(_ value: ImportJSON?) -> Bool {
    guard let value else { return true }
    switch value.kind {
    case .null: return true
    case .array(let items): return items.isEmpty
    case .object(let members): return members.isEmpty
    case .string(let s): return s.isEmpty
    default: return false
    }
  }

  /// `Key` or `Key 300` / `Key "ELB"` for scalars.
  static func describe(_ key: String, _ value: ImportJSON?) -> String {
    switch value?.kind {
    case .number(let n): "\(key) \(ImportYAML.number(n))"
    case .bool(let b): "\(key) \(b)"
    case .string(let s) where s.count <= 40: "\(key) \"\(s)\""
    default: key
    }
  }

  /// Cross-document state: the policy, alarm and scheduled-action lists, the scenario's
  /// time zone (from the first recurring action), and notes about the files as a whole.
  struct Context {
    var inputs: Inputs
    var policies: [ImportJSON]
    var alarms: [ImportJSON]
    var alarmsGiven: Bool
    var scheduled: [ImportJSON]
    var policiesDocument: Document
    var alarmsDocument: Document?
    var scheduledDocument: Document?
    var timeZone: String?
    var fileNotes: [String] = []
    /// True when the scenario will have `services:` (each needs a team).
    var multipleGroups = false

    init(
      inputs: Inputs, policies: [ImportJSON], alarms: [ImportJSON], alarmsGiven: Bool, scheduled: [ImportJSON],
      policiesDocument: Document, alarmsDocument: Document?, scheduledDocument: Document?
    ) {
      self.inputs = inputs
      self.policies = policies
      self.alarms = alarms
      self.alarmsGiven = alarmsGiven
      self.scheduled = scheduled
      self.policiesDocument = policiesDocument
      self.alarmsDocument = alarmsDocument
      self.scheduledDocument = scheduledDocument
    }

    mutating func group(
      _ item: ImportJSON, index: Int, in document: Document, demand: DemandFile
    ) throws(ScenarioError) -> ImportedGroup {
      let place = "AutoScalingGroups[\(index)]"
      let name = try document.requiredString(item, "AutoScalingGroupName", in: place)
      let what = "group '\(name)'"
      var notes = AutoScalingImport.unmappedNotes(
        item, mapped: AutoScalingImport.mappedGroupKeys, unsimulated: AutoScalingImport.unsimulatedGroupKeys, what: what)

      let zones = try document.list(item, "AvailabilityZones", in: place).compactMap(\.string)
      let region = try Self.region(item, zones: zones, name: name, document: document, place: place)
      let minSize = try document.requiredInteger(item, "MinSize", in: place)
      let maxSize = try document.requiredInteger(item, "MaxSize", in: place)
      let desired = try document.integer(item, "DesiredCapacity", in: place)
      let cooldown = try document.integer(item, "DefaultCooldown", in: place)
      var warmup = try document.integer(item, "DefaultInstanceWarmup", in: place)
      if warmup == nil, let cooldown {
        warmup = cooldown
        notes.append("\(what): no DefaultInstanceWarmup; warmup is its DefaultCooldown (\(cooldown) s), which AWS uses in its place")
      }
      let availabilityZones = Self.availabilityZones(zones, region: region, what: what, notes: &notes)

      var mixedTypes: [String] = []
      let instanceType = try self.instanceType(
        item, name: name, region: region, document: document, place: place, mixed: &mixedTypes, notes: &notes)
      var strategies: [String] = []
      let purchase = try Self.purchaseOptions(
        item, what: what, mixed: !mixedTypes.isEmpty, document: document, place: place, strategies: &strategies,
        notes: &notes)
      var capacityRebalance = try Self.capacityRebalance(
        item, purchase: purchase, maxSize: maxSize, what: what, document: document, place: place, notes: &notes)
      // The spotInterruptions block takes its rate from the Spot Advisor data: without an
      // entry the scenario would not run, so the value stays a comment saying what to write.
      let advisor = try? PriceCatalog.bundled()
      if let enabled = capacityRebalance,
        let missing = ([instanceType] + mixedTypes).first(where: { advisor?.spotAdvisor(region: region, instanceType: $0) == nil })
      {
        notes.append("\(what): CapacityRebalance \(enabled) not imported: capsim's Spot Advisor data has no interruption rate for \(missing) in \(region); write purchaseOptions.spotInterruptions: {monthlyPercent: N, capacityRebalance: \(enabled)} with a rate you know")
        capacityRebalance = nil
      }

      var tags: [(key: String, value: String)] = []
      for tag in try document.list(item, "Tags", in: place) {
        if let key = tag["Key"]?.string { tags.append((key, tag["Value"]?.string ?? "")) }
      }
      let teamTag = tags.first { $0.key.lowercased() == "team" }
      let team = teamTag?.value.isEmpty == false ? teamTag!.value : name
      if teamTag == nil || teamTag!.value.isEmpty, multipleGroups {
        notes.append("\(what): no 'team' tag; the service's team is the group name")
      }
      tags.removeAll { $0.key.lowercased() == "team" }
      let warmPool = try item["WarmPoolConfiguration"].flatMap { pool throws(ScenarioError) in
        try Self.warmPoolLine(pool, purchase: purchase, what: what, document: document, notes: &notes)
      }

      let (metricId, demandNote) = demand.metricId(for: name)
      if let demandNote { notes.append(demandNote) }

      var policies: [ImportedPolicy] = []
      for (position, policy) in self.policies.enumerated() where policy["AutoScalingGroupName"]?.string == name {
        policies.append(try self.policy(policy, index: position, groupCooldown: cooldown))
      }
      for (position, action) in scheduled.enumerated() where action["AutoScalingGroupName"]?.string == name {
        policies.append(try scheduledAction(action, index: position))
      }
      var group = ImportedGroup(
        name: name, region: region, instanceType: instanceType, minSize: minSize, maxSize: maxSize,
        desiredCapacity: desired, warmupSeconds: warmup, availabilityZones: availabilityZones,
        purchaseOptions: purchase, capacityRebalance: capacityRebalance, team: team, tags: tags, metricId: metricId, notes: notes, policies: policies, warmPool: warmPool)
      group.instanceTypes = mixedTypes
      group.strategies = strategies
      return group
    }

    /// From the group ARN (`arn:aws:autoscaling:REGION:...`), else its first AZ; either
    /// only when it is a region code the scenario accepts (fuzzing found an ARN whose
    /// region field was the account id, written as the region of a scenario capsim rejects).
    static func region(
      _ item: ImportJSON, zones: [String], name: String, document: Document, place: String
    ) throws(ScenarioError) -> String {
      if let arn = item["AutoScalingGroupARN"]?.string {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count > 3, ScenarioDecoder.isRegionCode(String(parts[3])) { return String(parts[3]) }
      }
      if let zone = zones.first {
        var region = zone
        while let last = region.last, last.isLetter { region.removeLast() }
        if ScenarioDecoder.isRegionCode(region) { return region }
      }
      throw document.error(
        at: item,
        "\(place) ('\(name)') names no region: it needs an AutoScalingGroupARN (arn:aws:autoscaling:REGION:...) or AvailabilityZones (such as ap-northeast-2a) naming a region code")
    }

    /// The most common InstanceType of the group's instances (ties: alphabetical), else the
    /// first MixedInstancesPolicy override; `--instance-type` wins over both.
    func instanceType(
      _ item: ImportJSON, name: String, region: String, document: Document, place: String,
      mixed mixedTypes: inout [String], notes: inout [String]
    ) throws(ScenarioError) -> String {
      let what = "group '\(name)'"
      var counts: [String: Int] = [:]
      for instance in try document.list(item, "Instances", in: place) {
        if let type = instance["InstanceType"]?.string { counts[type, default: 0] += 1 }
      }
      let running = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
      let mixed = item["MixedInstancesPolicy"]?["LaunchTemplate"]
      var overrides: [String] = []
      for override in try mixed.map({ m throws(ScenarioError) in try document.list(m, "Overrides", in: "\(place).MixedInstancesPolicy.LaunchTemplate") }) ?? [] {
        if let type = override["InstanceType"]?.string { overrides.append(type) }
        if let weight = override["WeightedCapacity"]?.string, weight != "1" {
          notes.append("\(what): override \(override["InstanceType"]?.string ?? "?") has WeightedCapacity \(weight); capsim counts instances, not weights")
        }
      }
      let chosen = inputs.instanceType ?? running.first ?? overrides.first
      guard let chosen else {
        let template = item["LaunchTemplate"]?["LaunchTemplateName"]?.string ?? item["LaunchConfigurationName"]?.string
        throw document.error(
          at: item,
          "\(place) ('\(name)') has no instances and no MixedInstancesPolicy overrides, so it names no instance type"
            + (template.map { " (launch template or configuration '\($0)' holds it, and describe-auto-scaling-groups does not show it)" } ?? "")
            + "; pass --instance-type")
      }
      let others = (running + overrides).reduce(into: [String]()) { if !$0.contains($1), $1 != chosen { $0.append($1) } }
      // The Overrides become purchaseOptions.instanceTypes when each has a capacity
      // (--type-units-per-minute) and a price in the bundled catalog; else a comment.
      let listed = overrides.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
      let catalog = try? PriceCatalog.bundled()
      let unpriced = listed.filter { catalog?.entry(region: region, instanceType: $0) == nil }
      let uncapacitated = listed.filter { $0 != chosen && inputs.typeUnitsPerMinute[$0] == nil }
      if listed.count > 1, listed.contains(chosen), unpriced.isEmpty, uncapacitated.isEmpty {
        mixedTypes = listed
        let notLaunchable = others.filter { !listed.contains($0) }
        if !notLaunchable.isEmpty {
          notes.append("\(what): running \(notLaunchable.joined(separator: ", ")), not in its Overrides: simulated as the Overrides launch")
        }
      } else if !others.isEmpty {
        var why = ""
        if listed.count > 1 && !listed.contains(chosen) {
          why = "; its Overrides do not list \(chosen)"
        } else if !unpriced.isEmpty {
          why = "; the bundled price catalog has no \(unpriced.joined(separator: ", ")) in \(region)"
        } else if listed.count > 1 {
          why = "; give --type-units-per-minute TYPE=N for \(uncapacitated.joined(separator: ", ")) to simulate them as purchaseOptions.instanceTypes"
        }
        notes.append("\(what): capsim simulates one instance type, \(chosen); the group also runs or may launch \(others.joined(separator: ", "))\(why)")
      }
      if inputs.instanceType != nil, let first = running.first ?? overrides.first, first != chosen {
        notes.append("\(what): instance type \(chosen) from --instance-type (the group's is \(first))")
      }
      return chosen
    }

    /// The group's zones as the scenario takes them (docs/disruptions.md, "Zones"): zone
    /// names of `region`, at most 32 (the scenario's bound); a zone outside that is left out
    /// with a note, since the scenario would reject it.
    static func availabilityZones(_ zones: [String], region: String, what: String, notes: inout [String]) -> [String] {
      var kept: [String] = []
      var dropped: [String] = []
      for zone in zones {
        if isZoneName(zone, of: region), !kept.contains(zone), kept.count < 32 { kept.append(zone) } else { dropped.append(zone) }
      }
      if !dropped.isEmpty {
        notes.append("\(what): AvailabilityZones \(dropped.joined(separator: ", ")) not imported: capsim takes up to 32 distinct zones named after the group's region \(region) (such as \(region)a)")
      }
      return kept
    }

    /// What `ScenarioDecoder.decodeAvailabilityZone` accepts: `REGIONx` or a Local Zone
    /// `REGION-name-1a`.
    static func isZoneName(_ zone: String, of region: String) -> Bool {
      guard zone.hasPrefix(region), zone.count <= 60 else { return false }
      let suffix = zone.dropFirst(region.count)
      if suffix.count == 1 { return suffix.allSatisfy { $0.isASCII && $0.isLowercase } }
      return suffix.first == "-" && suffix.last?.isLowercase == true
        && suffix.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    /// CapacityRebalance (a boolean) for a group that runs Spot: it becomes
    /// `purchaseOptions.spotInterruptions.capacityRebalance`. An all On-Demand group gets a
    /// note when it is on: Capacity Rebalancing only acts on Spot rebalance recommendations.
    static func capacityRebalance(
      _ item: ImportJSON, purchase: (base: Int, percentAboveBase: Int)?, maxSize: Int, what: String, document: Document,
      place: String, notes: inout [String]
    ) throws(ScenarioError) -> Bool? {
      guard let value = item["CapacityRebalance"], !isEmpty(value) else { return nil }
      guard let enabled = value.bool else {
        throw document.error(at: value, "'CapacityRebalance' in \(place) should be true or false, found \(value.typeName)")
      }
      let runsSpot = purchase.map { $0.percentAboveBase < 100 && maxSize > $0.base } ?? false
      guard runsSpot else {
        if enabled {
          notes.append("\(what): CapacityRebalance true not imported: the group runs no Spot instances, and Capacity Rebalancing only replaces Spot instances at an elevated risk of interruption")
        }
        return nil
      }
      return enabled
    }

    /// With `mixed` (the Overrides are simulated), the allocation strategies map too:
    /// SpotAllocationStrategy, SpotInstancePools (lowest-price only, as AWS reads it) and
    /// OnDemandAllocationStrategy, each into `strategies` as a purchaseOptions member.
    static func purchaseOptions(
      _ item: ImportJSON, what: String, mixed: Bool = false, document: Document, place: String,
      strategies: inout [String], notes: inout [String]
    ) throws(ScenarioError) -> (base: Int, percentAboveBase: Int)? {
      guard let distribution = item["MixedInstancesPolicy"]?["InstancesDistribution"] else { return nil }
      let inPlace = "\(place).MixedInstancesPolicy.InstancesDistribution"
      let base = try document.integer(distribution, "OnDemandBaseCapacity", in: inPlace) ?? 0
      let percent = try document.integer(distribution, "OnDemandPercentageAboveBaseCapacity", in: inPlace) ?? 100
      var mapped = ["OnDemandBaseCapacity", "OnDemandPercentageAboveBaseCapacity"]
      if mixed {
        let spot = distribution["SpotAllocationStrategy"]?.string
        if let spot, InstanceTypesDefinition.SpotStrategy(rawValue: spot) != nil {
          strategies.append("spotAllocationStrategy: \(spot)")
          mapped.append("SpotAllocationStrategy")
        }
        if let pools = try document.integer(distribution, "SpotInstancePools", in: inPlace), (spot ?? "lowest-price") == "lowest-price",
          (1...20).contains(pools)
        {
          strategies.append("spotInstancePools: \(pools)")
          mapped.append("SpotInstancePools")
        }
        if let onDemand = distribution["OnDemandAllocationStrategy"]?.string,
          InstanceTypesDefinition.OnDemandStrategy(rawValue: onDemand) != nil
        {
          strategies.append("onDemandAllocationStrategy: \(onDemand)")
          mapped.append("OnDemandAllocationStrategy")
        }
      }
      let unsimulated = distribution.keys.filter { !mapped.contains($0) && !isEmpty(distribution[$0]) }
      if !unsimulated.isEmpty {
        notes.append("\(what): InstancesDistribution " + unsimulated.map { describe($0, distribution[$0]) }.joined(separator: ", ")
          + " not simulated (capsim draws Spot interruptions itself and prices Spot at one rate)")
      }
      return (base, percent)
    }

    static func warmPoolText(_ pool: ImportJSON) -> String {
      let members = pool.keys.filter { !isEmpty(pool[$0]) }.map { describe($0, pool[$0]) }
      return "warm pool (" + (members.isEmpty ? "default settings" : members.joined(separator: ", ")) + ")"
    }

    /// Policies and scheduled actions of groups the --groups file does not list.
    mutating func noteOtherGroups(_ groups: [String]) {
      for (list, what, key) in [(policies, "policies", "PolicyName"), (scheduled, "scheduled actions", "ScheduledActionName")] {
        let others = list.filter { !groups.contains($0["AutoScalingGroupName"]?.string ?? "") }
        guard !others.isEmpty else { continue }
        let names = others.map { "'\($0[key]?.string ?? "?")' (group '\($0["AutoScalingGroupName"]?.string ?? "?")')" }
        fileNotes.append("\(what) of groups not in --groups, not imported: \(names.joined(separator: ", "))")
      }
    }

    /// describe-warm-pool names no group: its pool goes to the one imported group (unless
    /// describe-auto-scaling-groups already gave that group's pool); with several groups it
    /// is a comment.
    mutating func applyWarmPool(_ document: Document, to groups: inout [ImportedGroup]) throws(ScenarioError) {
      guard let pool = document.root["WarmPoolConfiguration"] else { return }
      let what = "--warm-pool \(document.path)"
      guard groups.count == 1 else {
        fileNotes.append("\(what): \(Self.warmPoolText(pool)) not imported: describe-warm-pool names no group and \(groups.count) groups were imported")
        return
      }
      guard groups[0].warmPool == nil else { return }
      groups[0].warmPool = try Self.warmPoolLine(
        pool, purchase: groups[0].purchaseOptions, what: what, document: document, notes: &fileNotes)
    }

    /// WarmPoolConfiguration (botocore's shape: MinSize, MaxGroupPreparedCapacity, PoolState,
    /// Status, InstanceReusePolicy.ReuseOnScaleIn) as a `warmPool:` line; nil with a note
    /// when capsim cannot simulate it (a Spot group, which AWS rejects too; a pool being
    /// deleted). The warm launch time is in no AWS document: 60 s, said in a note.
    static func warmPoolLine(
      _ pool: ImportJSON, purchase: (base: Int, percentAboveBase: Int)?, what: String, document: Document,
      notes: inout [String]
    ) throws(ScenarioError) -> String? {
      let text = warmPoolText(pool)
      if let purchase, purchase.percentAboveBase < 100 {
        notes.append("\(what): \(text) not imported: the group has Spot instances (OnDemandPercentageAboveBaseCapacity \(purchase.percentAboveBase)), and AWS allows no warm pool with Spot or a mixed instances policy")
        return nil
      }
      if pool["Status"]?.string == "PendingDelete" {
        notes.append("\(what): \(text) not imported: it is being deleted (Status \"PendingDelete\")")
        return nil
      }
      let place = "WarmPoolConfiguration"
      var parts: [String] = []
      if let state = pool["PoolState"] {
        guard let name = state.string, ["Stopped", "Hibernated", "Running"].contains(name) else {
          throw document.error(at: state, "'PoolState' in \(place) should be \"Stopped\", \"Hibernated\" or \"Running\", found \(state.string.map { "\"\($0)\"" } ?? state.typeName)")
        }
        parts.append("state: \(name.lowercased())")
      }
      if let minSize = try document.integer(pool, "MinSize", in: place), minSize > 0 { parts.append("minSize: \(minSize)") }
      // -1 (or absent): no MaxGroupPreparedCapacity, the group's max size applies.
      if let prepared = try document.integer(pool, "MaxGroupPreparedCapacity", in: place), prepared >= 0 {
        parts.append("maxGroupPreparedCapacity: \(prepared)")
      }
      if let reuse = pool["InstanceReusePolicy"]?["ReuseOnScaleIn"] {
        guard let value = reuse.bool else {
          throw document.error(at: reuse, "'ReuseOnScaleIn' in \(place).InstanceReusePolicy should be true or false, found \(reuse.typeName)")
        }
        if value { parts.append("reuseOnScaleIn: true") }
      }
      parts.append("warmLaunchTime: 60")
      notes.append("\(what): \(text) imported as warmPool; warmLaunchTime (pool to in service, 60 s) and the EBS volume (8 GiB at 0.08 USD per GB-month) are capsim's defaults, in no AWS document: set yours")
      return "warmPool: {" + parts.joined(separator: ", ") + "}"
    }
  }
}

