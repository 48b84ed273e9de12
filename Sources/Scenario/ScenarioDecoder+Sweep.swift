import Foundation
import Results
import Yams

extension ScenarioDecoder {
  static let sweepKeys = ["variant", "grid", "axes", "points", "slos"]
  static let sweepAxisKeys = ["name", "set", "values", "labels", "whatIf"]
  static let sweepObjectiveKeys = ["name", "maxDelayedPercent", "maxMinutesAboveCPU80PerDay", "maxLatencyP99Ms"]
  /// The columns every sweep table has besides its axes (and `meets_<slo>`).
  public static let sweepMetricColumns = [
    "point", "cost_usd", "billed_instance_hours", "peak_instances", "mean_instances", "mean_cpu_percent",
    "delayed_percent", "minutes_above_cpu_80", "minutes_above_cpu_80_per_day", "latency_p99_ms", "scale_out_actions",
    "scale_in_actions",
  ]
  /// Grids larger than this are an error (ten million points is days of machine time).
  static let maximumSweepPoints = 10_000_000

  /// The `sweep:` block, checked against the scenario's tree. A single-service scenario's
  /// points patch one base variant (and the scenario); a scenario with `services:` has no
  /// variants, and its points patch the services (`services[NAME]...`) and the scenario.
  func decodeSweep(_ value: YAMLValue, root: Node.Mapping, definition: ScenarioDefinition) throws(ScenarioError) -> SweepPlan {
    let sweep = try value.mapping(allowedKeys: Self.sweepKeys)
    let hasServices = definition.hasServices
    var baseName = ""
    var baseIndex: Int?
    var baseVariant: Node?
    if hasServices {
      if let v = sweep["variant"] {
        throw v.keyLocation.error(.conflicting(
          field: "variant", with: "services",
          rule: "a scenario with services has no variants: its axes set services[NAME]... paths, such as services[order-api].fleet.maxSize"))
      }
    } else {
      baseName = try sweep.optional("variant") { v throws(ScenarioError) in try v.identifier() } ?? definition.variants[0].name
      guard let found = definition.variants.firstIndex(where: { $0.name == baseName }) else {
        let names = definition.variants.map(\.name)
        throw sweep["variant"]!.invalid(
          "one of the scenario's variants (\(names.joined(separator: ", ")))", suggestion: Suggestion.closest(to: baseName, among: names))
      }
      guard case .sequence(let variantNodes)? = root["variants"] else { preconditionFailure("variants were decoded") }
      baseIndex = found
      baseVariant = variantNodes[found]
    }
    let isList = try sweep.optional("grid") { v throws(ScenarioError) in
      try v.choice([("product", false), ("list", true)])
    } ?? false

    var axes: [SweepPlan.Axis] = []
    var seenNames: [String: Int] = [:]
    for item in try sweep.required("axes").sequence(count: 1...32) {
      let m = try item.mapping(allowedKeys: Self.sweepAxisKeys)
      let nameValue = try m.required("name")
      let name = try Self.columnName(nameValue)
      if let first = seenNames[name] { throw nameValue.error(.duplicate(kind: "axis name", name: name, firstLine: first)) }
      seenNames[name] = nameValue.location.line
      let setValue = try m.required("set")
      let path = try SweepPath(try setValue.string(length: 1...500), at: setValue.location)
      if hasServices, path.isInVariant || ["fleet", "demand"].contains(path.root) {
        throw setValue.invalid(
          "a path in a service (services[NAME].\(path.isInVariant ? path.tokens.map(\.key).joined(separator: ".") : path.text)): "
            + "this scenario has services, each with its own \(path.root == "demand" ? "demand" : "fleet and policies")")
      }
      if !hasServices, path.isInService {
        throw setValue.invalid("a path at variant or the scenario's top level: this scenario has no services")
      }
      if let baseVariant { try Self.checkNotShadowed(path, baseVariant: baseVariant, variantName: baseName, at: setValue.location) }
      var values: [Node] = []
      var labels: [String]?
      if isList {
        for key in ["values", "labels"] {
          if let v = m[key] {
            throw v.keyLocation.error(.conflicting(
              field: key, with: "grid: list", rule: "a list grid gives each axis' value in its 'points' entries"))
          }
        }
      } else {
        let valuesValue = try m.required("values")
        if case .scalar(let scalar) = valuesValue.node, scalar.string == "capacity", path.text == "fleet.instanceType" {
          values = Self.capacityTypes(in: root, mark: valuesValue.node.mark)
        } else {
          values = try valuesValue.sequence(count: 1...100_000).map(\.node)
        }
        if let labelsValue = m["labels"] {
          let items = try labelsValue.sequence(count: values.count...values.count)
          labels = try items.map { v throws(ScenarioError) in try v.string(length: 1...200) }
        }
      }
      let whatIf = try m.optional("whatIf") { v throws(ScenarioError) in try v.bool() } ?? path.isWhatIfByDefault
      axes.append(SweepPlan.Axis(
        name: name, path: path, values: values, labels: labels, mappingKeys: nil, isWhatIf: whatIf,
        location: setValue.location))
    }

    var grid = SweepPlan.Grid.product
    var total = 1
    if isList {
      let pointsValue = try sweep.required("points")
      var points: [[Node]] = []
      for item in try pointsValue.sequence(count: 1...Self.maximumSweepPoints) {
        let m = try item.mapping(allowedKeys: axes.map(\.name))
        points.append(try axes.map { axis throws(ScenarioError) in try m.required(axis.name).node })
      }
      grid = .list(points)
      total = points.count
    } else {
      if let v = sweep["points"] {
        throw v.keyLocation.error(.conflicting(field: "points", with: "grid: product", rule: "points are for grid: list"))
      }
      for axis in axes {
        let (product, overflow) = total.multipliedReportingOverflow(by: axis.values.count)
        guard !overflow, product <= Self.maximumSweepPoints else {
          throw sweep["axes"]!.error(.outOfRange(
            field: "axes", range: "a grid of at most \(Self.maximumSweepPoints) points", found: "more"))
        }
        total = product
      }
    }

    // Each axis' columns: one, or one per key when its values are mappings (all the same keys).
    var schemaAxes: [SweepAxisColumns] = []
    for position in axes.indices {
      let axis = axes[position]
      let nodes: [Node] =
        switch grid {
        case .product: axis.values
        case .list(let points): points.map { $0[position] }
        }
      var columns = [axis.name]
      if axis.labels == nil, case .mapping(let first) = nodes[0] {
        let keys = Array(first.keys.compactMap(\.string))
        for node in nodes {
          guard case .mapping(let mapping) = node, Array(mapping.keys.compactMap(\.string)) == keys,
            mapping.values.allSatisfy({ if case .scalar = $0 { true } else { false } })
          else {
            throw YAMLValue.location(node.mark, file: file).error(.invalidValue(
              field: axis.name, expected: "a mapping with the keys \(keys.joined(separator: ", ")) and plain values, "
                + "like the axis' first value (or give the axis 'labels')", found: YAMLValue.describe(node), suggestion: nil))
          }
        }
        axes[position].mappingKeys = keys
        columns = keys.map { "\(axis.name)_\(Self.snakeCase($0))" }
      }
      schemaAxes.append(SweepAxisColumns(name: axis.name, columns: columns, isNumeric: [], isWhatIf: axis.isWhatIf))
    }

    let objectives = try sweep.optional("slos") { v throws(ScenarioError) in try decodeSweepObjectives(v) }
      ?? [SweepObjective(name: "delayed_0_1", metric: .delayedPercent, limit: 0.1)]

    var columnLines: [String: Int] = [:]
    for column in Self.sweepMetricColumns { columnLines[column] = 0 }
    for (axis, columns) in zip(axes, schemaAxes) {
      for column in columns.columns + objectives.map({ "meets_\($0.name)" }) where columnLines[column] == 0 {
        throw axis.location.error(.invalidValue(
          field: "name", expected: "a column name capsim does not use itself (\(Self.sweepMetricColumns.joined(separator: ", ")), meets_*)",
          found: column, suggestion: nil))
      }
      for column in columns.columns {
        if let line = columnLines[column] { throw axis.location.error(.duplicate(kind: "column", name: column, firstLine: line)) }
        columnLines[column] = axis.location.line
      }
    }

    var plan = SweepPlan(
      definition: definition,
      schema: SweepSchema(
        scenarioName: definition.name, baseVariant: baseName, axes: schemaAxes, objectives: objectives, totalPoints: total,
        services: hasServices ? definition.services.map(\.name) : nil),
      root: root, baseVariantIndex: baseIndex, axes: axes, grid: grid)
    plan.schema.axes = plan.schema.axes.enumerated().map { position, axis in
      var axis = axis
      axis.isNumeric = Array(repeating: true, count: axis.columns.count)
      return axis
    }
    // A column is numeric when every point's cell is a JSON number.
    let offsets = plan.schema.axes.reduce(into: [0]) { $0.append($0.last! + $1.columns.count) }
    var numeric = [Bool](repeating: true, count: offsets.last!)
    if isList {
      for index in 0..<total {
        for (column, cell) in plan.axisCells(ofPoint: index).enumerated() where !SweepSchema.isJSONNumber(cell) { numeric[column] = false }
      }
    }
    if !isList {
      // Each value of each axis appears at some point; check them axis by axis.
      for position in axes.indices {
        let cells = Self.cells(of: axes[position], nodes: axes[position].values)
        for (column, texts) in cells.enumerated() where !texts.allSatisfy(SweepSchema.isJSONNumber) {
          numeric[offsets[position] + column] = false
        }
      }
    }
    for position in plan.schema.axes.indices {
      plan.schema.axes[position].isNumeric = Array(numeric[offsets[position]..<offsets[position + 1]])
    }
    return plan
  }

  /// Per column of `axis`, the texts of `nodes`.
  static func cells(of axis: SweepPlan.Axis, nodes: [Node]) -> [[String]] {
    if let labels = axis.labels { return [labels] }
    if let keys = axis.mappingKeys {
      return keys.map { key in nodes.map { $0.mapping?[key].map(SweepPlan.text) ?? "" } }
    }
    return [nodes.map(SweepPlan.text)]
  }

  func decodeSweepObjectives(_ value: YAMLValue) throws(ScenarioError) -> [SweepObjective] {
    var objectives: [SweepObjective] = []
    var lines: [String: Int] = [:]
    for item in try value.sequence(count: 1...20) {
      let m = try item.mapping(allowedKeys: Self.sweepObjectiveKeys)
      let nameValue = try m.required("name")
      let name = try Self.columnName(nameValue)
      if let line = lines[name] { throw nameValue.error(.duplicate(kind: "slo name", name: name, firstLine: line)) }
      lines[name] = nameValue.location.line
      let kinds: [(String, SweepObjective.Metric, NumberRange)] = [
        ("maxDelayedPercent", .delayedPercent, .closed(0, 100)),
        ("maxMinutesAboveCPU80PerDay", .minutesAboveCPU80PerDay, .closed(0, 1_440)),
        ("maxLatencyP99Ms", .latencyP99Milliseconds, .above(0, atMost: 3_600_000)),
      ]
      let written = kinds.filter { m.has($0.0) }
      guard written.count == 1, let (key, metric, range) = written.first else {
        if written.count > 1 {
          throw m[written[1].0]!.keyLocation.error(.conflicting(
            field: written[1].0, with: written[0].0, rule: "each slo entry states one limit"))
        }
        throw item.error(.missingOneOf(keys: kinds.map(\.0), in: item.path))
      }
      objectives.append(SweepObjective(name: name, metric: metric, limit: try m.required(key).double(in: range)))
    }
    return objectives
  }

  /// A name used in column names: snake_case, 1-63 characters.
  static func columnName(_ value: YAMLValue) throws(ScenarioError) -> String {
    let name = try value.string(length: 1...63)
    let scalars = Array(name.unicodeScalars)
    guard let first = scalars.first, ("a"..."z").contains(first),
      scalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
    else {
      throw value.invalid("a snake_case name (a-z, 0-9 and _, starting with a letter), used in column names")
    }
    return name
  }

  /// `minSize` -> `min_size`, `maxLatencyP99Ms` -> `max_latency_p99_ms`.
  static func snakeCase(_ key: String) -> String {
    var out = ""
    for scalar in key.unicodeScalars {
      if ("A"..."Z").contains(scalar) {
        if !out.isEmpty && !out.hasSuffix("_") { out += "_" }
        out += String(scalar).lowercased()
      } else if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
        out.unicodeScalars.append(scalar)
      } else if !out.hasSuffix("_") {
        out += "_"
      }
    }
    return out
  }


  /// `values: capacity` on `fleet.instanceType`: every type of `capacity.unitsPerMinute`, in
  /// file order.
  static func capacityTypes(in root: Node.Mapping, mark: Mark?) -> [Node] {
    guard let capacity = root["capacity"]?.mapping, let units = capacity["unitsPerMinute"]?.mapping else { return [] }
    return Array(units.keys.compactMap(\.string)).map { .scalar(Node.Scalar($0, .implicit, .any, mark)) }
  }

  /// A top-level `fleet.…` value the base variant overrides would never take effect: an error.
  static func checkNotShadowed(
    _ path: SweepPath, baseVariant: Node, variantName: String, at location: SourceLocation
  ) throws(ScenarioError) {
    guard !path.isInVariant, path.root == "fleet" else { return }
    var shadowing = path.lookup(in: baseVariant)
    // A variant's warmPool replaces the fleet's whole.
    if shadowing == nil, path.tokens.count > 2, path.tokens[1].key == "warmPool" {
      shadowing = SweepPath.Token.lookup(["fleet", "warmPool"], in: baseVariant)
    }
    guard shadowing != nil else { return }
    throw location.error(.invalidValue(
      field: "set", expected: "a field the base variant '\(variantName)' does not override (it sets this one itself; "
        + "set variant.\(path.text) instead)", found: path.text, suggestion: nil))
  }
}

extension SweepPath.Token {
  static func lookup(_ keys: [String], in node: Node) -> Node? {
    var current = node
    for key in keys {
      guard case .mapping(let mapping) = current, let child = mapping[key] else { return nil }
      current = child
    }
    return current
  }
}
