import AutoScaling
import Foundation
import Workload

/// `capsim import`: a scenario built from what the AWS CLI prints about existing Auto
/// Scaling groups, the inverse of `capsim export` (Reporting's `AutoScalingExport`, whose
/// AWS names it shares through `ScalingMetric`'s `predefinedMetricType` and friends).
///
/// ```swift
/// let yaml = try AutoScalingImport.scenarioYAML(AutoScalingImport.Inputs(
///   groupsPath: "groups.json", policiesPath: "policies.json", alarmsPath: "alarms.json",
///   demandPath: "requests.json", unitsPerMinute: 120, outputPath: "imported.yaml"))
/// ```
///
/// Reads `describe-auto-scaling-groups`, `describe-policies`, `describe-alarms`,
/// `describe-scheduled-actions`, `describe-warm-pool` and `get-metric-data` output, and
/// writes a scenario with one variant `current` per group (several groups: a `services:`
/// scenario). Nothing is dropped silently: every member it does not map becomes a YAML
/// comment saying what and why (not simulated, not in the AWS API, a step policy whose
/// alarm is missing, ...). The output depends only on the inputs (document order is kept).
///
/// Errors are `ScenarioError`s at the JSON position: `FILE:LINE:COLUMN: invalid JSON:
/// expected ..., found ...` for a file that does not parse, and a sentence naming the
/// option and the expected key for a document of the wrong shape.
public enum AutoScalingImport {
  public struct Inputs: Sendable {
    /// `aws autoscaling describe-auto-scaling-groups` output.
    public var groupsPath: String
    /// `aws autoscaling describe-policies` output.
    public var policiesPath: String
    /// `aws cloudwatch describe-alarms` output: the alarms of step and simple policies.
    public var alarmsPath: String?
    /// `aws autoscaling describe-scheduled-actions` output.
    public var scheduledActionsPath: String?
    /// `aws autoscaling describe-warm-pool` output: the one imported group's warm pool.
    public var warmPoolPath: String?
    /// `aws cloudwatch get-metric-data` (or `get-metric-statistics`) output: the demand.
    public var demandPath: String
    /// Demand units one instance serves per minute at 100% CPU (`capacity.unitsPerMinute`).
    public var unitsPerMinute: Double
    /// Where `unitsPerMinute` came from when it was estimated (`estimateCapacity`): the
    /// files, and the fit, written as a comment above `capacity:`.
    public var capacityEstimate: (metrics: CapacityMetrics, estimate: CapacityEstimate)?
    /// The instance type when the groups do not name one (a launch template alone), or to
    /// override theirs.
    public var instanceType: String?
    /// `--type-units-per-minute TYPE=N`: the capacity of other types the group may launch
    /// (its MixedInstancesPolicy Overrides), so they are simulated as `instanceTypes`.
    public var typeUnitsPerMinute: [String: Double] = [:]
    /// Where the scenario will be written: the demand path is written relative to its
    /// directory. nil = standard output, relative to the current directory.
    public var outputPath: String?

    public init(
      groupsPath: String, policiesPath: String, alarmsPath: String? = nil, scheduledActionsPath: String? = nil,
      warmPoolPath: String? = nil, demandPath: String, unitsPerMinute: Double, instanceType: String? = nil,
      outputPath: String? = nil, capacityEstimate: (metrics: CapacityMetrics, estimate: CapacityEstimate)? = nil
    ) {
      self.groupsPath = groupsPath
      self.policiesPath = policiesPath
      self.alarmsPath = alarmsPath
      self.scheduledActionsPath = scheduledActionsPath
      self.warmPoolPath = warmPoolPath
      self.demandPath = demandPath
      self.unitsPerMinute = unitsPerMinute
      self.instanceType = instanceType
      self.outputPath = outputPath
      self.capacityEstimate = capacityEstimate
    }

    /// The inputs with `unitsPerMinute` estimated from `metrics` (`estimateCapacity`),
    /// rounded to 4 significant digits: the fit is not better than that.
    public static func estimatingCapacity(
      groupsPath: String, policiesPath: String, alarmsPath: String? = nil, scheduledActionsPath: String? = nil,
      warmPoolPath: String? = nil, demandPath: String, metrics: CapacityMetrics, instanceType: String? = nil,
      outputPath: String? = nil
    ) throws(ScenarioError) -> Inputs {
      let estimate = try AutoScalingImport.estimateCapacity(metrics)
      return Inputs(
        groupsPath: groupsPath, policiesPath: policiesPath, alarmsPath: alarmsPath,
        scheduledActionsPath: scheduledActionsPath, warmPoolPath: warmPoolPath, demandPath: demandPath,
        unitsPerMinute: ImportYAML.significant(estimate.unitsPerMinute, digits: 4), instanceType: instanceType,
        outputPath: outputPath, capacityEstimate: (metrics, estimate))
    }
  }

  /// The scenario YAML for `inputs`.
  public static func scenarioYAML(_ inputs: Inputs) throws(ScenarioError) -> String {
    guard inputs.unitsPerMinute.isFinite, inputs.unitsPerMinute > 0, inputs.unitsPerMinute <= 1e9 else {
      throw ScenarioError(
        file: "--units-per-minute", line: 0, column: 0,
        problem: .outOfRange(field: "--units-per-minute", range: "greater than 0, at most 10⁹", found: ImportYAML.number(inputs.unitsPerMinute)))
    }
    for (type, units) in inputs.typeUnitsPerMinute.sorted(by: { $0.key < $1.key })
    where !(units.isFinite && units > 0 && units <= 1e9) {
      throw ScenarioError(
        file: "--type-units-per-minute", line: 0, column: 0,
        problem: .outOfRange(field: "--type-units-per-minute \(type)", range: "greater than 0, at most 10⁹", found: ImportYAML.number(units)))
    }
    let groups = try Document.load(inputs.groupsPath, option: "--groups", command: "aws autoscaling describe-auto-scaling-groups", key: "AutoScalingGroups")
    let policies = try Document.load(inputs.policiesPath, option: "--policies", command: "aws autoscaling describe-policies", key: "ScalingPolicies")
    let alarms = try inputs.alarmsPath.map { path throws(ScenarioError) in
      try Document.load(path, option: "--alarms", command: "aws cloudwatch describe-alarms", key: "MetricAlarms")
    }
    let scheduled = try inputs.scheduledActionsPath.map { path throws(ScenarioError) in
      try Document.load(path, option: "--scheduled-actions", command: "aws autoscaling describe-scheduled-actions", key: "ScheduledUpdateGroupActions")
    }
    // describe-warm-pool prints only "Instances" for a group without a warm pool.
    let warmPool = try inputs.warmPoolPath.map { path throws(ScenarioError) in
      let root = try Document.readJSON(path)
      let key = root["WarmPoolConfiguration"] == nil && root["Instances"] != nil ? "Instances" : "WarmPoolConfiguration"
      return try Document.load(path, option: "--warm-pool", command: "aws autoscaling describe-warm-pool", key: key)
    }
    let demand = try DemandFile.load(inputs.demandPath)

    let groupItems = try groups.items()
    guard !groupItems.isEmpty else {
      throw groups.error(at: groups.root, "the --groups file lists no Auto Scaling group ('AutoScalingGroups' is empty)")
    }
    var context = Context(
      inputs: inputs, policies: try policies.items(), alarms: try alarms?.items() ?? [], alarmsGiven: alarms != nil,
      scheduled: try scheduled?.items() ?? [], policiesDocument: policies, alarmsDocument: alarms, scheduledDocument: scheduled)
    context.multipleGroups = groupItems.count > 1
    var imported: [ImportedGroup] = []
    for (index, item) in groupItems.enumerated() {
      imported.append(try context.group(item, index: index, in: groups, demand: demand))
    }
    if let warmPool { try context.applyWarmPool(warmPool, to: &imported) }
    context.noteOtherGroups(imported.map(\.name))
    let yaml = Writer(inputs: inputs, groups: imported, demand: demand, notes: context.fileNotes, timeZone: context.timeZone).yaml()
    try checkReadable(yaml, inputs: inputs)
    return yaml
  }

  /// The import never writes a scenario capsim rejects: the YAML is decoded as `capsim run`
  /// would, and a failure is an error naming the documents. FuzzImportJSON found documents
  /// AWS itself would refuse (several step adjustments, one without either bound) that were
  /// mapped one member at a time into a policy the scenario decoder rejects.
  static func checkReadable(_ yaml: String, inputs: Inputs) throws(ScenarioError) {
    let output = inputs.outputPath ?? "imported.yaml"
    let directory = URL(fileURLWithPath: output).deletingLastPathComponent()
    do {
      _ = try ScenarioDefinition.parse(yaml: yaml, file: output, baseDirectory: directory)
    } catch {
      throw ScenarioError(
        file: inputs.policiesPath, line: 0, column: 0,
        problem: .importedDocument(
          "the documents give a scenario capsim would reject (\(error.message), at line \(error.line) of the YAML): "
            + "AWS would not accept such a group or policy either; check --groups and --policies"))
    }
  }

  /// `path` relative to `directory` (both made absolute against the current directory).
  static func relativePath(of path: String, from directory: String) -> String {
    func components(_ p: String) -> [String] {
      let absolute = p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p
      return URL(fileURLWithPath: absolute).standardizedFileURL.path.split(separator: "/").map(String.init)
    }
    let target = components(path)
    let base = components(directory)
    var common = 0
    while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
    let parts = Array(repeating: "..", count: base.count - common) + target[common...]
    return parts.isEmpty ? "." : parts.joined(separator: "/")
  }
}

// MARK: Documents

extension AutoScalingImport {
  /// One AWS CLI JSON document with the option it came from, for messages.
  struct Document {
    var path: String
    var option: String
    var command: String
    var key: String
    var root: ImportJSON

    static func load(_ path: String, option: String, command: String, key: String) throws(ScenarioError) -> Document {
      let root = try readJSON(path)
      guard case .object = root.kind else {
        throw ScenarioError(
          file: path, line: root.line, column: root.column,
          problem: .importedDocument("the \(option) file should be the JSON object `\(command)` prints, with '\(key)'; found \(root.typeName)"))
      }
      guard root[key] != nil else {
        let found = root.keys.isEmpty ? "no keys" : "keys " + root.keys.map { "'\($0)'" }.joined(separator: ", ")
        throw ScenarioError(
          file: path, line: root.line, column: root.column,
          problem: .importedDocument(
            "the \(option) file should be `\(command)` output, an object with '\(key)'; found \(found)\(Self.hint(root.keys))"))
      }
      return Document(path: path, option: option, command: command, key: key, root: root)
    }

    /// Names the option a misplaced document belongs to.
    static func hint(_ keys: [String]) -> String {
      let owners = [
        ("AutoScalingGroups", "--groups"), ("ScalingPolicies", "--policies"), ("MetricAlarms", "--alarms"),
        ("ScheduledUpdateGroupActions", "--scheduled-actions"), ("WarmPoolConfiguration", "--warm-pool"),
        ("MetricDataResults", "--demand"),
      ]
      guard let owner = owners.first(where: { keys.contains($0.0) }) else { return "" }
      return " (is this the \(owner.1) file?)"
    }

    static func readJSON(_ path: String) throws(ScenarioError) -> ImportJSON {
      let text: String
      do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
        throw ScenarioError(file: path, line: 0, column: 0, problem: .fileUnreadable(path: path, reason: error.localizedDescription))
      }
      return try ImportJSON.parse(text, file: path)
    }

    /// The entries of the document's list (`AutoScalingGroups`, ...). A `NextToken` means
    /// the CLI was stopped before the last page: an error, as for demand.
    func items() throws(ScenarioError) -> [ImportJSON] {
      if let token = root["NextToken"], token.string?.isEmpty == false {
        throw error(at: token, "the \(option) file holds only the first page ('NextToken' is set): run `\(command)` without --max-items, or merge every page")
      }
      guard let value = root[key], let items = value.array else {
        throw error(at: root[key] ?? root, "'\(key)' should be an array, found \(root[key]?.typeName ?? "null")")
      }
      for item in items {
        guard case .object = item.kind else {
          throw error(at: item, "each entry of '\(key)' should be an object, found \(item.typeName)")
        }
      }
      return items
    }

    func error(at value: ImportJSON, _ sentence: String) -> ScenarioError {
      ScenarioError(file: path, line: value.line, column: value.column, problem: .importedDocument(sentence))
    }

    // Typed members, with errors at the value.

    func string(_ object: ImportJSON, _ key: String, in place: String) throws(ScenarioError) -> String? {
      guard let value = object[key] else { return nil }
      guard let text = value.string else { throw error(at: value, "'\(key)' in \(place) should be a string, found \(value.typeName)") }
      return text
    }

    func requiredString(_ object: ImportJSON, _ key: String, in place: String) throws(ScenarioError) -> String {
      guard let text = try string(object, key, in: place) else { throw error(at: object, "\(place) has no '\(key)'") }
      return text
    }

    func integer(_ object: ImportJSON, _ key: String, in place: String) throws(ScenarioError) -> Int? {
      guard let value = object[key] else { return nil }
      guard let n = value.integer else { throw error(at: value, "'\(key)' in \(place) should be an integer, found \(value.typeName)") }
      return n
    }

    func requiredInteger(_ object: ImportJSON, _ key: String, in place: String) throws(ScenarioError) -> Int {
      guard let n = try integer(object, key, in: place) else { throw error(at: object, "\(place) has no '\(key)'") }
      return n
    }

    func number(_ object: ImportJSON, _ key: String, in place: String) throws(ScenarioError) -> Double? {
      guard let value = object[key] else { return nil }
      guard let n = value.number else { throw error(at: value, "'\(key)' in \(place) should be a number, found \(value.typeName)") }
      return n
    }

    func bool(_ object: ImportJSON, _ key: String, in place: String) throws(ScenarioError) -> Bool? {
      guard let value = object[key] else { return nil }
      guard let b = value.bool else { throw error(at: value, "'\(key)' in \(place) should be true or false, found \(value.typeName)") }
      return b
    }

    func list(_ object: ImportJSON, _ key: String, in place: String) throws(ScenarioError) -> [ImportJSON] {
      guard let value = object[key] else { return [] }
      guard let items = value.array else { throw error(at: value, "'\(key)' in \(place) should be an array, found \(value.typeName)") }
      return items
    }
  }

  /// The demand file: only checked for its shape here (the scenario loader reads it), and
  /// its results listed so each group can name its own by `metricId`.
  struct DemandFile {
    var path: String
    /// (Id, Label) of each `MetricDataResults` entry; empty for `get-metric-statistics`.
    var results: [(id: String, label: String?)]

    static func load(_ path: String) throws(ScenarioError) -> DemandFile {
      let root = try Document.readJSON(path)
      if root["MetricDataResults"] != nil {
        let document = try Document.load(path, option: "--demand", command: "aws cloudwatch get-metric-data", key: "MetricDataResults")
        var results: [(id: String, label: String?)] = []
        for item in try document.items() {
          results.append((try document.requiredString(item, "Id", in: "a MetricDataResults entry"), try document.string(item, "Label", in: "a MetricDataResults entry")))
        }
        return DemandFile(path: path, results: results)
      }
      if root["Datapoints"] != nil { return DemandFile(path: path, results: []) }
      _ = try Document.load(path, option: "--demand", command: "aws cloudwatch get-metric-data", key: "MetricDataResults")
      return DemandFile(path: path, results: [])
    }

    /// The result a group's demand is: the one whose Label or Id is the group's name, else
    /// the only one; with several and none named for the group, the first (and a note).
    func metricId(for group: String) -> (id: String?, note: String?) {
      guard results.count > 1 else { return (nil, nil) }
      if let match = results.first(where: { $0.label == group || $0.id == group }) { return (match.id, nil) }
      return (
        results[0].id,
        "the demand file has \(results.count) results and none is labelled '\(group)': using the first, '\(results[0].id)'; change metricId if another is this group's demand"
      )
    }
  }
}
