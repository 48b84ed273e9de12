/// A `JSONValue` as block-style YAML, for documents users apply with YAML tools (Kubernetes
/// manifests). Every string is a double-quoted scalar, or a literal block (`|`) when it is
/// several lines that read back exactly from one (scripts, CSV files), so no text (a hostile
/// file name, `yes`, `0x1F`, `- x`) is ever read back as another type or structure; keys
/// are plain only when they are identifier-like and not a YAML 1.1 boolean or null word.
/// Numbers other than integers are not used by the deployment documents and are written as
/// JSON writes them (the shortest round-trip text).
extension JSONValue {
  /// Block YAML with two-space indents and a trailing newline. A list item that is a mapping
  /// starts on the dash line; empty lists and mappings are `[]` and `{}`.
  public func renderedAsYAML() -> String {
    var out = ""
    switch self {
    case .object(let members) where !members.isEmpty: Self.writeYAMLMapping(members, indent: 0, to: &out)
    case .array(let items) where !items.isEmpty, .inlineArray(let items) where !items.isEmpty:
      Self.writeYAMLList(items, indent: 0, to: &out)
    default: out += Self.yamlScalar(self) + "\n"
    }
    return out
  }

  /// Several documents in one stream, separated by `---` lines (what `kubectl apply -f` reads).
  public static func yamlStream(_ documents: [JSONValue]) -> String {
    documents.map { "---\n" + $0.renderedAsYAML() }.joined()
  }

  private static func writeYAMLMapping(_ members: [(String, JSONValue)], indent: Int, to out: inout String) {
    let pad = String(repeating: "  ", count: indent)
    for (key, value) in members {
      out += pad + yamlKey(key) + ":"
      writeYAMLValue(value, indent: indent, to: &out)
    }
  }

  private static func writeYAMLList(_ items: [JSONValue], indent: Int, to out: inout String) {
    let pad = String(repeating: "  ", count: indent)
    for item in items {
      switch item {
      case .object(let members) where !members.isEmpty:
        // The first member on the dash line, the rest aligned under it.
        var block = ""
        writeYAMLMapping(members, indent: indent + 1, to: &block)
        out += pad + "- " + block.dropFirst(pad.count + 2)
      case .array(let nested) where !nested.isEmpty, .inlineArray(let nested) where !nested.isEmpty:
        out += pad + "-\n"
        writeYAMLList(nested, indent: indent + 1, to: &out)
      case .string(let text) where isBlockLiteralSafe(text):
        out += pad + "- |\n" + blockLiteralLines(text, indent: indent + 1)
      default:
        out += pad + "- " + yamlScalar(item) + "\n"
      }
    }
  }

  /// After "key:": a scalar on the same line, or a nested block on the next lines.
  private static func writeYAMLValue(_ value: JSONValue, indent: Int, to out: inout String) {
    switch value {
    case .object(let members) where !members.isEmpty:
      out += "\n"
      writeYAMLMapping(members, indent: indent + 1, to: &out)
    case .array(let items) where !items.isEmpty, .inlineArray(let items) where !items.isEmpty:
      out += "\n"
      writeYAMLList(items, indent: indent + 1, to: &out)
    case .string(let text) where isBlockLiteralSafe(text):
      out += " |\n" + blockLiteralLines(text, indent: indent + 1)
    default:
      out += " " + yamlScalar(value) + "\n"
    }
  }

  /// Whether `text` reads back exactly from a literal block (`|`, clip chomping): several
  /// lines ending in exactly one line break, the first not starting with a space, no line
  /// ending in a space or tab, and nothing a double-quoted scalar would have to escape but
  /// the line breaks (so scripts and CSV files stay readable in the manifests).
  static func isBlockLiteralSafe(_ text: String) -> Bool {
    guard text.hasSuffix("\n"), !text.hasSuffix("\n\n"), text.dropLast().contains("\n"), !text.hasPrefix(" "), !text.hasPrefix("\n")
    else { return false }
    if text.contains(" \n") || text.contains("\t\n") { return false }
    return !text.unicodeScalars.contains { scalar in
      scalar != "\n" && scalar != "\t"
        && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(scalar.value))
    }
  }

  private static func blockLiteralLines(_ text: String, indent: Int) -> String {
    let pad = String(repeating: "  ", count: indent)
    return text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.isEmpty ? "\n" : pad + $0 + "\n" }.joined()
  }

  private static func yamlScalar(_ value: JSONValue) -> String {
    switch value {
    case .string(let text): return yamlQuoted(text)
    case .object: return "{}"
    case .array, .inlineArray: return "[]"
    default:
      var text = value.rendered()
      text.removeLast()  // the trailing newline
      return text
    }
  }

  /// Words YAML 1.1 readers (PyYAML, the Kubernetes tools' go-yaml v2 heritage) take for a
  /// boolean or null when plain.
  private static let yamlReservedWords: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"]

  static func yamlKey(_ key: String) -> String {
    let isIdentifierLike = key.unicodeScalars.first.map { $0.isASCIILetter || $0 == "_" } == true
      && key.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || "_.-/".unicodeScalars.contains($0) }
    return isIdentifierLike && !yamlReservedWords.contains(key.lowercased()) ? key : yamlQuoted(key)
  }

  /// A YAML double-quoted scalar. Its escapes are JSON's (`\"`, `\\`, `\n`, `\uXXXX`), and
  /// every character YAML does not allow as printable text (C0 and C1 controls, DEL, the
  /// line and paragraph separators, the byte order mark, U+FFFE/U+FFFF) is escaped.
  static func yamlQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(scalar.value):
        let hex = String(scalar.value, radix: 16, uppercase: true)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}

extension Unicode.Scalar {
  fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
