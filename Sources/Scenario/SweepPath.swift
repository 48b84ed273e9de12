import Yams

/// Where a sweep axis writes its value: a dotted path of YAML keys from the scenario's top
/// level (`demand.scale`, `fleet.instanceType`, `simulation.seed`) or from the base variant
/// (`variant.fleet.warmup`, `variant.policies[cpu-50].target`). A list item is chosen by
/// `[name]` (its `name` or `id`; for a policy, its name or default name such as `targetTracking-1`)
/// or by `[index]` from 0; after a policy, keys are those of its body.
///
/// Setting a value replaces what is there; a mapping value set on a mapping adds or
/// replaces just its keys (`variant.fleet` set to `{minSize: 4, maxSize: 60}` keeps the
/// variant's other overrides). Missing mappings on the way are created, missing list items
/// are an error.
struct SweepPath: Sendable, Equatable, CustomStringConvertible {
  struct Token: Sendable, Equatable {
    enum Selector: Sendable, Equatable {
      case index(Int)
      case name(String)
    }

    var key: String
    var selector: Selector?
  }

  /// Keys a path may start at besides `variant`; the others (name, variants, services,
  /// sweep, forecast) are not things a point varies.
  static let scenarioRoots = [
    "demand", "capacity", "fleet", "simulation", "commitments", "savingsPlanRates", "faults", "serving", "slo", "prices",
  ]
  /// Roots whose values are conditions rather than choices: the summary's scenarios.
  static let whatIfRoots: Set<String> = ["demand", "simulation", "commitments", "savingsPlanRates", "faults", "prices"]

  var text: String
  /// True for `variant.…` paths; `tokens` then start after `variant`.
  var isInVariant: Bool
  var tokens: [Token]

  var description: String { text }
  var root: String { isInVariant ? "variant" : tokens[0].key }
  /// True for `services[NAME]...` paths (scenarios with `services:`).
  var isInService: Bool { !isInVariant && tokens[0].key == "services" }

  /// Whether the axis is a what-if unless it says: a what-if root, or a service's `demand`.
  var isWhatIfByDefault: Bool {
    if isInService { return tokens.count > 1 && Self.whatIfRoots.contains(tokens[1].key) }
    return Self.whatIfRoots.contains(root)
  }

  /// Parses `text`; a malformed path is an error at `location`.
  init(_ text: String, at location: SourceLocation) throws(ScenarioError) {
    func invalid(_ why: String) -> ScenarioError {
      location.error(.invalidValue(
        field: "set", expected: "a dotted path such as demand.scale or variant.policies[cpu-50].target (\(why))",
        found: "'\(text)'", suggestion: nil))
    }
    var tokens: [Token] = []
    for part in text.split(separator: ".", omittingEmptySubsequences: false) {
      var key = Substring(part)
      var selector: Token.Selector?
      if let open = part.firstIndex(of: "[") {
        guard part.hasSuffix("]"), open != part.startIndex else { throw invalid("'[' needs a key before it and ']' at the end") }
        key = part[part.startIndex..<open]
        let inside = part[part.index(after: open)..<part.index(before: part.endIndex)]
        guard !inside.isEmpty, !inside.contains("["), !inside.contains("]") else { throw invalid("one name or index in []") }
        if inside.allSatisfy(\.isASCII), inside.allSatisfy(\.isNumber), let index = Int(inside) {
          selector = .index(index)
        } else {
          selector = .name(String(inside))
        }
      }
      guard !key.isEmpty, !key.contains("]") else { throw invalid("an empty key") }
      tokens.append(Token(key: String(key), selector: selector))
    }
    self.text = text
    if tokens.first == Token(key: "variant", selector: nil) {
      guard tokens.count > 1 else { throw invalid("a key of the variant after 'variant'") }
      isInVariant = true
      self.tokens = Array(tokens.dropFirst())
    } else {
      let isService = tokens[0].key == "services" && tokens[0].selector != nil
      guard isService || (Self.scenarioRoots.contains(tokens[0].key) && tokens[0].selector == nil) else {
        if tokens[0].key == "services" {
          throw invalid("a service is chosen by name, as services[order-api].fleet.maxSize")
        }
        throw location.error(.invalidValue(
          field: "set", expected: "a path starting at variant, services[NAME] or one of \(Self.scenarioRoots.joined(separator: ", "))",
          found: "'\(text)'", suggestion: Suggestion.closest(to: tokens[0].key, among: ["variant"] + Self.scenarioRoots)))
      }
      isInVariant = false
      self.tokens = tokens
    }
  }

  /// `node` (a mapping) with `value` set at this path.
  func setting(_ value: Node, in node: Node, file: String, at location: SourceLocation) throws(ScenarioError) -> Node {
    try set(value, tokens[...], in: node, walked: isInVariant ? "variant" : "", location: location)
  }

  /// The node at this path's keys (selectors not followed), or nil.
  func lookup(in node: Node) -> Node? {
    var current = node
    for token in tokens {
      guard token.selector == nil, case .mapping(let mapping) = current, let child = mapping[token.key] else { return nil }
      current = child
    }
    return current
  }

  private func set(
    _ value: Node, _ tokens: ArraySlice<Token>, in node: Node, walked: String, location: SourceLocation
  ) throws(ScenarioError) -> Node {
    let token = tokens.first!
    let rest = tokens.dropFirst()
    let here = walked.isEmpty ? token.key : "\(walked).\(token.key)"
    guard case .mapping(var mapping) = node else {
      throw location.error(.invalidValue(
        field: "set", expected: "a mapping at '\(walked)' to set '\(token.key)' in", found: YAMLValue.describe(node),
        suggestion: nil))
    }
    let existing = mapping[token.key]
    if let selector = token.selector {
      guard case .sequence(var list)? = existing else {
        throw location.error(.invalidValue(
          field: "set", expected: "a list at '\(here)' to choose [\(Self.describe(selector))] from",
          found: existing.map(YAMLValue.describe) ?? "no '\(token.key)'", suggestion: nil))
      }
      let isPolicies = token.key == "policies"
      let index = try Self.find(selector, in: list, isPolicies: isPolicies, at: here, location: location)
      let item = list[index]
      let itemPath = "\(here)[\(Self.describe(selector))]"
      if isPolicies, case .mapping(var wrapper) = item, wrapper.count == 1 {
        let (typeKey, body) = (wrapper[wrapper.startIndex].key, wrapper[wrapper.startIndex].value)
        let newBody = rest.isEmpty ? Self.merged(body, value) : try set(value, rest, in: body, walked: itemPath, location: location)
        wrapper[typeKey] = newBody
        list[index] = .mapping(wrapper)
      } else {
        list[index] = rest.isEmpty ? Self.merged(item, value) : try set(value, rest, in: item, walked: itemPath, location: location)
      }
      mapping[token.key] = .sequence(list)
    } else if rest.isEmpty {
      mapping[token.key] = existing.map { Self.merged($0, value) } ?? value
    } else {
      let child = existing ?? .mapping(Node.Mapping([], .implicit, .any, value.mark))
      mapping[token.key] = try set(value, rest, in: child, walked: here, location: location)
    }
    return .mapping(mapping)
  }

  /// `value`, or, when both are mappings, `target` with `value`'s keys set.
  static func merged(_ target: Node, _ value: Node) -> Node {
    guard case .mapping(var mapping) = target, case .mapping(let patch) = value else { return value }
    for (key, child) in patch { mapping[key] = child }
    return .mapping(mapping)
  }

  static func describe(_ selector: Token.Selector) -> String {
    switch selector {
    case .index(let i): "\(i)"
    case .name(let name): name
    }
  }

  /// The position of the item `selector` names; a policy's name is its body's `name`, else
  /// `<type>-<n>` as the decoder names it.
  static func find(
    _ selector: Token.Selector, in list: Node.Sequence, isPolicies: Bool, at path: String, location: SourceLocation
  ) throws(ScenarioError) -> Int {
    var names: [String] = []
    for (position, item) in list.enumerated() {
      var name: String?
      if case .mapping(let mapping) = item {
        if isPolicies, mapping.count == 1 {
          let (type, body) = (mapping[mapping.startIndex].key, mapping[mapping.startIndex].value)
          name = body.mapping?["name"]?.string ?? type.string.map { "\($0)-\(position + 1)" }
        } else {
          // Commitments are named by their `id`.
          name = mapping["name"]?.string ?? mapping["id"]?.string
        }
      }
      if let name { names.append(name) }
      switch selector {
      case .index(let index) where index == position: return position
      case .name(let wanted) where wanted == name: return position
      default: continue
      }
    }
    let expected: String
    switch selector {
    case .index: expected = "an index from 0 to \(list.count - 1) of '\(path)'"
    case .name: expected = "the name of an item of '\(path)' (\(names.joined(separator: ", ")))"
    }
    throw location.error(.invalidValue(
      field: "set", expected: expected, found: "[\(describe(selector))]",
      suggestion: { if case .name(let n) = selector { return Suggestion.closest(to: n, among: names) } else { return nil } }()))
  }
}
