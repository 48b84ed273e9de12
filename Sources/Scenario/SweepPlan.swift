import Foundation
import Results
import Yams

/// A scenario's `sweep:` block read: the grid of points, each the scenario with only the
/// base variant (or, with `services:`, all its services), its YAML patched by one value per axis.
///
/// ```yaml
/// sweep:
///   variant: target-cpu-50                      # the base variant (default: the first)
///   axes:
///     - {name: target, set: variant.policies[cpu-50].target, values: [40, 50, 60]}
///     - {name: scale, set: demand.scale, values: [1.0, 1.3]}
/// ```
///
/// A point is built by patching the composed YAML tree and decoding it with the ordinary
/// decoder, so every value is checked exactly as if it were written in the scenario (an
/// error points at the value in the sweep block, whose position the spliced node keeps),
/// and a point is simulated and billed exactly as `capsim run --policy BASE` runs that
/// variant (the variant keeps its name, so it draws the same random stream).
///
/// Points are numbered from 0. With `grid: product` (the default) they are the cartesian
/// product of the axes' values in file order, the last axis varying fastest; with
/// `grid: list`, the `points:` entries in file order.
public struct SweepPlan {
  /// The scenario as written (all its variants).
  public var definition: ScenarioDefinition
  public var schema: SweepSchema
  public var pointCount: Int { schema.totalPoints }

  let root: Node.Mapping
  /// The base variant's position; nil for a scenario with services (no variants).
  let baseVariantIndex: Int?
  let axes: [Axis]
  let grid: Grid

  enum Grid {
    case product
    /// Per point, one value node per axis.
    case list([[Node]])
  }

  struct Axis {
    var name: String
    var path: SweepPath
    /// The values as written (product grids; empty for a list grid).
    var values: [Node]
    /// `labels:` as written, one per value; nil: the values are the cells.
    var labels: [String]?
    /// The mapping keys of mapping values (every value has the same), or nil for scalars.
    var mappingKeys: [String]?
    var isWhatIf: Bool
    var location: SourceLocation
  }

  /// Reads the scenario and its `sweep:` block; a scenario without one is an error at the file.
  public static func load(path: String) throws(ScenarioError) -> SweepPlan {
    let (yaml, url) = try ScenarioDefinition.readText(path: path)
    return try parse(yaml: yaml, file: path, baseDirectory: url.deletingLastPathComponent())
  }

  /// As `load`, for YAML held in memory (`file` names it in errors).
  public static func parse(yaml: String, file: String, baseDirectory: URL) throws(ScenarioError) -> SweepPlan {
    let root = try ScenarioDefinition.compose(yaml: yaml, file: file)
    let decoder = ScenarioDecoder(file: file, baseDirectory: baseDirectory)
    let definition = try decoder.decodeScenario(YAMLValue(root: root, file: file))
    guard case .mapping(let mapping) = root, let sweep = mapping["sweep"] else {
      throw SourceLocation(file: file, line: 0, column: 0).error(.missingField(key: "sweep", in: ""))
    }
    return try decoder.decodeSweep(
      YAMLValue(node: sweep, file: file, name: "sweep", path: "sweep", keyMark: keyMark(of: "sweep", in: mapping)),
      root: mapping, definition: definition)
  }

  static func keyMark(of key: String, in mapping: Node.Mapping) -> Mark? {
    mapping.first { $0.key.scalar?.string == key }?.key.mark
  }

  /// Decodes every point (what `capsim validate` checks); the first invalid one's error.
  public func validateEveryPoint() throws(ScenarioError) {
    for point in 0..<pointCount { _ = try scenario(ofPoint: point) }
  }

  /// The texts of point `index`'s axis cells, flattened in schema order.
  public func axisCells(ofPoint index: Int) -> [String] {
    var cells: [String] = []
    for (axis, choice) in zip(axes, choices(ofPoint: index)) {
      if let labels = axis.labels, let position = choice.position {
        cells.append(labels[position])
      } else if let keys = axis.mappingKeys, case .mapping(let mapping) = choice.node {
        cells += keys.map { mapping[$0].map(Self.text) ?? "" }
      } else {
        cells.append(Self.text(choice.node))
      }
    }
    return cells
  }

  /// Point `index` as a scenario: the base variant alone, patched. Throws the decoder's
  /// error (at the sweep value that made the point invalid).
  public func scenario(ofPoint index: Int) throws(ScenarioError) -> ScenarioDefinition {
    var patchedRoot = root
    let decoder = ScenarioDecoder(file: definition.file, baseDirectory: definition.baseDirectory)
    guard let baseVariantIndex else {
      // Services: every path is from the top level (`services[NAME]...` or a shared key).
      for (axis, choice) in zip(axes, choices(ofPoint: index)) {
        patchedRoot = try axis.path.setting(choice.node, in: .mapping(patchedRoot), file: definition.file, at: axis.location).mapping!
      }
      patchedRoot[Node("sweep")] = nil
      return try decoder.decodeScenario(YAMLValue(root: .mapping(patchedRoot), file: definition.file))
    }
    let variantsKey = Node("variants")
    guard case .sequence(let variants)? = patchedRoot[variantsKey] else {
      preconditionFailure("a decoded single-service scenario has a variants list")
    }
    var variant = variants[baseVariantIndex]
    for (axis, choice) in zip(axes, choices(ofPoint: index)) {
      if axis.path.isInVariant {
        variant = try axis.path.setting(choice.node, in: variant, file: definition.file, at: axis.location)
      } else {
        let patched = try axis.path.setting(choice.node, in: .mapping(patchedRoot), file: definition.file, at: axis.location)
        patchedRoot = patched.mapping!
      }
    }
    patchedRoot[variantsKey] = .sequence(Node.Sequence([variant], variants.tag, variants.style, variants.mark))
    patchedRoot[Node("sweep")] = nil
    return try decoder.decodeScenario(YAMLValue(root: .mapping(patchedRoot), file: definition.file))
  }

  /// Per axis, the value node of point `index` (and its position among the axis' values
  /// in a product grid).
  func choices(ofPoint index: Int) -> [(node: Node, position: Int?)] {
    precondition(index >= 0 && index < pointCount, "sweep point \(index) is outside 0..<\(pointCount)")
    switch grid {
    case .list(let points):
      return points[index].map { ($0, nil) }
    case .product:
      var rest = index
      var positions = [Int](repeating: 0, count: axes.count)
      for axis in axes.indices.reversed() {
        positions[axis] = rest % axes[axis].values.count
        rest /= axes[axis].values.count
      }
      return axes.indices.map { (axes[$0].values[positions[$0]], positions[$0]) }
    }
  }

  /// A scalar's text as written; other nodes in YAML flow style on one line.
  static func text(_ node: Node) -> String {
    switch node {
    case .scalar(let scalar): return scalar.string
    case .alias: return ""
    case .mapping, .sequence:
      let emitted = (try? Yams.serialize(node: node)) ?? ""
      return emitted.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " ")
    }
  }
}
