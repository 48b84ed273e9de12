import Yams

/// A `JSONValue` as block-style YAML, for documents users apply with YAML tools (Kubernetes
/// manifests), emitted by Yams (libyaml). Every string is a double-quoted scalar, or a literal
/// block (`|`) when it is several lines (scripts, CSV files) and libyaml finds that it reads
/// back exactly (otherwise libyaml keeps it double-quoted), so no text (a hostile file name,
/// `yes`, `0x1F`, `- x`) is ever read back as another type or structure. Keys are plain only
/// when they are identifier-like and not a YAML 1.1 boolean or null word. Numbers are written
/// as JSON writes them (the shortest round-trip text).
extension JSONValue {
  /// Block YAML with two-space indents, no line folding and a trailing newline.
  public func renderedAsYAML() -> String {
    Self.emit([yamlNode], explicitStart: false)
  }

  /// Several documents in one stream, each starting with `---` (what `kubectl apply -f` reads).
  public static func yamlStream(_ documents: [JSONValue]) -> String {
    emit(documents.map(\.yamlNode), explicitStart: true)
  }

  private static func emit(_ nodes: [Node], explicitStart: Bool) -> String {
    do {
      return try Yams.serialize(
        nodes: nodes, indent: 2, width: -1, allowUnicode: true, lineBreak: .ln, explicitStart: explicitStart)
    } catch {
      // libyaml fails only on an event sequence it cannot write; the nodes built here are plain trees.
      preconditionFailure("Yams could not emit a JSONValue tree: \(error)")
    }
  }

  /// The value as a Yams node: mappings keep their member order.
  var yamlNode: Node {
    switch self {
    case .object(let members):
      return .mapping(Node.Mapping(members.map { (Self.yamlKey($0.0), $0.1.yamlNode) }, .implicit, .block))
    case .array(let items), .inlineArray(let items):
      return .sequence(Node.Sequence(items.map(\.yamlNode), .implicit, .block))
    case .string(let text):
      let style: Node.Scalar.Style = text.dropLast().contains("\n") ? .literal : .doubleQuoted
      return .scalar(Node.Scalar(text, Tag(.str), style))
    case .null, .bool, .integer, .number:
      var text = rendered()
      text.removeLast()  // the trailing newline
      return .scalar(Node.Scalar(text, .implicit, .plain))
    }
  }

  /// Words YAML 1.1 readers (PyYAML, the Kubernetes tools' go-yaml v2 heritage) take for a
  /// boolean or null when plain.
  private static let yamlReservedWords: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"]

  static func yamlKey(_ key: String) -> Node {
    let isIdentifierLike = key.unicodeScalars.first.map { $0.isASCIILetter || $0 == "_" } == true
      && key.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || "_.-/".unicodeScalars.contains($0) }
    let plain = isIdentifierLike && !yamlReservedWords.contains(key.lowercased())
    return .scalar(Node.Scalar(key, Tag(.str), plain ? .plain : .doubleQuoted))
  }
}

extension Unicode.Scalar {
  fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
