import Foundation

extension AutoScalingImport {
  /// Writes the imported groups as scenario YAML: one group is a single-service scenario
  /// with the variant `current`; several are a `services:` scenario. Notes become comments
  /// above what they concern.
  struct Writer {
    var inputs: Inputs
    var groups: [ImportedGroup]
    var demand: DemandFile
    var notes: [String]
    var timeZone: String?

    func yaml() -> String {
      var out: [String] = ["# Imported by `capsim import` from AWS CLI output:"]
      let sources: [(String, String?)] = [
        ("--groups", inputs.groupsPath), ("--policies", inputs.policiesPath), ("--alarms", inputs.alarmsPath),
        ("--scheduled-actions", inputs.scheduledActionsPath), ("--warm-pool", inputs.warmPoolPath), ("--demand", inputs.demandPath),
      ]
      for (option, path) in sources { if let path { out.append("#   \(option) \(path)") } }
      if let metrics = inputs.capacityEstimate?.metrics {
        let capacitySources = [("--cpu", metrics.cpuPath), ("--requests", metrics.requestsPath), ("--instances", metrics.instancesPath)]
        for (option, path) in capacitySources { if let path { out.append("#   \(option) \(path)") } }
      }
      out.append("# Comments marked 'not imported' or 'not simulated' list what capsim left out, and why.")
      for note in notes { out += ImportYAML.comment(note, indent: "") }
      let name = groups.count == 1 ? groups[0].name : "imported-\(groups.count)-groups"
      out.append("name: \(ImportYAML.string(String(name.prefix(100))))")
      if let timeZone { out.append("timeZone: \(ImportYAML.string(timeZone))") }
      if let estimate = inputs.capacityEstimate?.estimate {
        out += ImportYAML.comment(AutoScalingImport.capacitySentence(estimate, unitsPerMinute: inputs.unitsPerMinute), indent: "")
      }
      out.append("capacity:")
      out += capacity(groups.map(\.instanceType) + groups.flatMap(\.instanceTypes), indent: "  ")
      if groups.count == 1 {
        let group = groups[0]
        out.append("demand:")
        out += demandLines(group, indent: "  ")
        for note in group.notes { out += ImportYAML.comment(note, indent: "") }
        out.append("fleet:")
        out += fleet(group, indent: "  ")
        out.append("variants:")
        out.append("  - name: current")
        out.append("    description: \(ImportYAML.string("the group '\(group.name)' as AWS runs it"))")
        out += policies(group, indent: "    ")
      } else {
        out.append("services:")
        for group in groups {
          for note in group.notes { out += ImportYAML.comment(note, indent: "  ") }
          out.append("  - name: \(ImportYAML.string(String(group.name.prefix(100))))")
          out.append("    team: \(ImportYAML.string(String(group.team.prefix(100))))")
          if !group.tags.isEmpty {
            out.append("    tags:")
            for tag in group.tags.sorted(by: { $0.key < $1.key }) {
              out.append("      \(ImportYAML.string(tag.key)): \(ImportYAML.string(tag.value))")
            }
          }
          out.append("    demand:")
          out += demandLines(group, indent: "      ")
          out.append("    fleet:")
          out += fleet(group, indent: "      ")
          out += policies(group, indent: "    ")
        }
      }
      return out.joined(separator: "\n") + "\n"
    }

    func capacity(_ types: [String], indent: String) -> [String] {
      var seen: [String] = []
      for type in types where !seen.contains(type) { seen.append(type) }
      return ["\(indent)unitsPerMinute:"]
        + seen.map {
          "\(indent)  \(ImportYAML.string($0)): \(ImportYAML.number(inputs.typeUnitsPerMinute[$0] ?? inputs.unitsPerMinute))"
        }
    }

    func demandLines(_ group: ImportedGroup, indent: String) -> [String] {
      let directory = inputs.outputPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? "."
      let path = inputs.demandPath.hasPrefix("/") && inputs.outputPath == nil
        ? inputs.demandPath : AutoScalingImport.relativePath(of: inputs.demandPath, from: directory)
      var lines = ["\(indent)cloudwatch: \(ImportYAML.string(path))"]
      if let id = group.metricId { lines.append("\(indent)metricId: \(ImportYAML.string(id))") }
      return lines
    }

    func fleet(_ group: ImportedGroup, indent: String) -> [String] {
      var lines = [
        "region: \(ImportYAML.string(group.region))", "instanceType: \(ImportYAML.string(group.instanceType))",
        "minSize: \(group.minSize)", "maxSize: \(group.maxSize)",
      ]
      if let desired = group.desiredCapacity, desired != group.minSize { lines.append("initialCapacity: \(desired)") }
      if let warmup = group.warmupSeconds { lines.append("warmup: \(warmup)") }
      if group.availabilityZones.count == 1 {
        lines.append("availabilityZone: \(ImportYAML.string(group.availabilityZones[0]))")
      } else if group.availabilityZones.count > 1 {
        lines.append("availabilityZones: [" + group.availabilityZones.map(ImportYAML.string).joined(separator: ", ") + "]")
      }
      if let purchase = group.purchaseOptions {
        let rebalance = group.capacityRebalance.map { ", spotInterruptions: {capacityRebalance: \($0)}" } ?? ""
        lines.append("purchaseOptions: {onDemandBaseCapacity: \(purchase.base), onDemandPercentageAboveBaseCapacity: \(purchase.percentAboveBase)\(rebalance)}")
      }
      if !group.instanceTypes.isEmpty {
        // A second line of purchaseOptions members would be a duplicate key: fold them in.
        let types = "instanceTypes: [" + group.instanceTypes.map(ImportYAML.string).joined(separator: ", ") + "]"
        let members = ([types] + group.strategies).joined(separator: ", ")
        if let last = lines.last, last.hasPrefix("purchaseOptions: {") {
          lines[lines.count - 1] = String(last.dropLast()) + ", " + members + "}"
        } else {
          lines.append("purchaseOptions: {" + members + "}")
        }
      }
      if let warmPool = group.warmPool { lines.append(warmPool) }
      return lines.map { indent + $0 }
    }

    /// `policies:` with each item under its notes; notes of policies left out stay as
    /// comments in place. No key at all when nothing was mapped (a fixed fleet).
    func policies(_ group: ImportedGroup, indent: String) -> [String] {
      var lines: [String] = []
      let mapped = group.policies.contains { $0.lines != nil }
      if !mapped {
        for policy in group.policies { for note in policy.notes { lines += ImportYAML.comment(note, indent: indent) } }
        lines += ImportYAML.comment("no scaling policy could be imported: the fleet stays at its initial capacity", indent: indent)
        return lines
      }
      lines.append("\(indent)policies:")
      for policy in group.policies {
        for note in policy.notes { lines += ImportYAML.comment(note, indent: indent + "  ") }
        for line in policy.lines ?? [] { lines.append(indent + "  " + line) }
      }
      return lines
    }
  }
}
