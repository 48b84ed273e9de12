import Yams

/// A node of the composed YAML tree with what error messages need: its display name, the
/// path of the mapping it sits in, and where its key was written. Readers (`mapping`,
/// `sequence`, `string`, `int(in:)` ... in YAMLValue+Scalars.swift) check the shape and
/// range and throw a located `ScenarioError`; nothing falls back to a default on a typo.
struct YAMLValue {
  let node: Node
  let file: String
  /// The key as written, or "key[index]" for a list item; used as 'field' in messages.
  let name: String
  /// Dotted path from the document root, e.g. "fleet" or "variants[0].policies[1].step";
  /// "" for the root.
  let path: String
  /// Where the key naming this value was written (nil for the root and list items).
  let keyMark: Mark?

  init(root node: Node, file: String) {
    self.init(node: node, file: file, name: "scenario", path: "", keyMark: nil)
  }

  init(node: Node, file: String, name: String, path: String, keyMark: Mark?) {
    self.node = node
    self.file = file
    self.name = name
    self.path = path
    self.keyMark = keyMark
  }

  /// Where the value starts.
  var location: SourceLocation { Self.location(node.mark ?? keyMark, file: file) }
  /// Where the key naming the value starts (the value itself for list items).
  var keyLocation: SourceLocation { Self.location(keyMark ?? node.mark, file: file) }

  static func location(_ mark: Mark?, file: String) -> SourceLocation {
    SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
  }

  func error(_ problem: ScenarioError.Problem) -> ScenarioError { location.error(problem) }

  func wrongType(_ expected: String) -> ScenarioError {
    error(.wrongType(field: name, expected: expected, found: foundDescription))
  }

  func invalid(_ expected: String, suggestion: String? = nil) -> ScenarioError {
    error(.invalidValue(field: name, expected: expected, found: literalDescription, suggestion: suggestion))
  }

  func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  // MARK: Containers

  /// This value as a mapping whose keys all belong to `allowedKeys` (in documentation
  /// order, used in the message); an unknown key is an error at the key, with the closest
  /// allowed key as a suggestion. Duplicate keys are errors too.
  func mapping(allowedKeys: [String]) throws(ScenarioError) -> YAMLMapping {
    let pairs = try keyedValues()
    for pair in pairs where !allowedKeys.contains(pair.name) {
      throw pair.value.keyLocation.error(.unknownKey(
        key: pair.name, in: path, allowed: allowedKeys,
        suggestion: Suggestion.closest(to: pair.name, among: allowedKeys)))
    }
    return YAMLMapping(value: self, entries: pairs.map { YAMLMapping.Entry(key: $0.name, value: $0.value) })
  }

  /// This value as a mapping with free-form keys (e.g. instance types), in document order.
  /// Keys must be scalars and unique.
  func keyedValues() throws(ScenarioError) -> [(name: String, value: YAMLValue)] {
    guard case .mapping(let mapping) = node else { throw wrongType("a mapping") }
    var result: [(name: String, value: YAMLValue)] = []
    var firstLines: [String: Int] = [:]
    for (keyNode, valueNode) in mapping {
      let keyLocation = Self.location(keyNode.mark, file: file)
      guard case .scalar(let scalar) = keyNode else {
        throw keyLocation.error(.wrongType(
          field: "key in '\(path)'", expected: "a plain string key", found: Self.describe(keyNode)))
      }
      let key = scalar.string
      if let firstLine = firstLines[key] {
        throw keyLocation.error(.duplicate(kind: "key", name: key, firstLine: firstLine))
      }
      firstLines[key] = keyLocation.line
      result.append((key, YAMLValue(node: valueNode, file: file, name: key, path: childPath(key), keyMark: keyNode.mark)))
    }
    return result
  }

  /// This value as a list of `count` items (any count when nil).
  func sequence(count: ClosedRange<Int>? = nil) throws(ScenarioError) -> [YAMLValue] {
    guard case .sequence(let sequence) = node else { throw wrongType("a list") }
    let items = Array(sequence)
    if let count, !count.contains(items.count) {
      throw error(.outOfRange(field: name, range: "a list of \(count.lowerBound)...\(count.upperBound) items", found: "\(items.count) items"))
    }
    return items.enumerated().map { index, item in
      YAMLValue(node: item, file: file, name: "\(name)[\(index)]", path: "\(path)[\(index)]", keyMark: nil)
    }
  }
}

/// A mapping already checked against its allowed keys, in document order.
struct YAMLMapping {
  struct Entry {
    let key: String
    let value: YAMLValue
  }

  let value: YAMLValue
  let entries: [Entry]

  subscript(key: String) -> YAMLValue? { entries.first { $0.key == key }?.value }

  func has(_ key: String) -> Bool { self[key] != nil }

  /// The value of a required key; its absence is reported at the mapping's key.
  func required(_ key: String) throws(ScenarioError) -> YAMLValue {
    guard let value = self[key] else {
      throw value.keyLocation.error(.missingField(key: key, in: value.path))
    }
    return value
  }

  /// Decodes `key` with `read` when present.
  func optional<T>(_ key: String, _ read: (YAMLValue) throws(ScenarioError) -> T) throws(ScenarioError) -> T? {
    guard let value = self[key] else { return nil }
    return try read(value)
  }

  /// Rejects `key` together with `other` (both present), at the later of the two.
  func reject(_ key: String, with other: String, rule: String) throws(ScenarioError) {
    guard let a = self[key], let b = self[other] else { return }
    let (later, earlier) = a.keyLocation.line > b.keyLocation.line
      || (a.keyLocation.line == b.keyLocation.line && a.keyLocation.column > b.keyLocation.column)
      ? (a, b) : (b, a)
    throw later.keyLocation.error(.conflicting(field: later.name, with: earlier.name, rule: rule))
  }
}
