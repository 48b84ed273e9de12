/// A JSON document as the AWS CLI prints it, every value with the line and column it starts
/// at, so `capsim import` can name `FILE:LINE:COLUMN` both for JSON that does not parse and
/// for a value of the wrong shape. Object members keep their order (deterministic output).
///
/// A small recursive-descent reader (RFC 8259) rather than `JSONSerialization`, whose errors
/// carry a byte offset at best and whose values carry no position at all.
struct ImportJSON: Sendable {
  enum Kind: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ImportJSON])
    case object([(key: String, value: ImportJSON)])
  }

  var kind: Kind
  var line: Int
  var column: Int

  /// The member `key` of an object; nil for a missing member, JSON null, or a non-object.
  subscript(key: String) -> ImportJSON? {
    guard case .object(let members) = kind, let value = members.first(where: { $0.key == key })?.value else { return nil }
    if case .null = value.kind { return nil }
    return value
  }

  var keys: [String] {
    if case .object(let members) = kind { return members.map(\.key) }
    return []
  }

  var string: String? { if case .string(let s) = kind { s } else { nil } }
  var number: Double? { if case .number(let n) = kind { n } else { nil } }
  var bool: Bool? { if case .bool(let b) = kind { b } else { nil } }
  var array: [ImportJSON]? { if case .array(let a) = kind { a } else { nil } }
  var integer: Int? {
    guard let n = number, n == n.rounded(), abs(n) < 1e15 else { return nil }
    return Int(n)
  }

  /// "a string", "the number 5", ... for messages.
  var typeName: String {
    switch kind {
    case .null: "null"
    case .bool(let b): "the boolean \(b)"
    case .number(let n): "the number \(ImportYAML.number(n))"
    case .string(let s): "the string \"\(s.count > 40 ? String(s.prefix(37)) + "..." : s)\""
    case .array(let items): "an array of \(items.count)"
    case .object: "an object"
    }
  }

  // MARK: Parsing

  /// Parses `text`; errors are `file:line:column: invalid JSON: expected ..., found ...`.
  static func parse(_ text: String, file: String) throws(ScenarioError) -> ImportJSON {
    var reader = Reader(bytes: Array(text.utf8), file: file)
    reader.skipWhitespace()
    let value = try reader.value(depth: 0)
    reader.skipWhitespace()
    if reader.index < reader.bytes.count { throw reader.failure(expected: "the end of the document") }
    return value
  }

  private struct Reader {
    let bytes: [UInt8]
    let file: String
    var index = 0
    var line = 1
    var lineStart = 0
    /// Scalars counted in `lineStart..<scanned`: columns count Unicode scalars (as the YAML
    /// errors do), counted forward once, so long single-line documents stay linear.
    var scanned = 0
    var scalarsBeforeScanned = 0

    /// 1-based column of `index` in Unicode scalars.
    mutating func column() -> Int {
      if scanned < lineStart || scanned > index {
        scanned = lineStart
        scalarsBeforeScanned = 0
      }
      while scanned < index {
        if bytes[scanned] & 0xC0 != 0x80 { scalarsBeforeScanned += 1 }
        scanned += 1
      }
      return scalarsBeforeScanned + 1
    }

    mutating func failure(expected: String) -> ScenarioError {
      let found: String
      if index >= bytes.count {
        found = "the end of the file"
      } else {
        let end = bytes[index...].prefix(12).firstIndex(where: { $0 == 10 || $0 == 13 }) ?? min(index + 12, bytes.count)
        found = "'" + String(decoding: bytes[index..<end], as: UTF8.self) + "'"
      }
      return ScenarioError(file: file, line: line, column: column(), problem: .invalidJSON(expected: expected, found: found))
    }

    mutating func skipWhitespace() {
      while index < bytes.count {
        switch bytes[index] {
        case 10:
          index += 1
          line += 1
          lineStart = index
        case 32, 9, 13: index += 1
        default: return
        }
      }
    }

    mutating func value(depth: Int) throws(ScenarioError) -> ImportJSON {
      guard depth < 512 else { throw failure(expected: "at most 512 nested arrays and objects") }
      let (startLine, startColumn) = (line, column())
      guard index < bytes.count else { throw failure(expected: "a value") }
      let kind: Kind
      switch bytes[index] {
      case UInt8(ascii: "{"): kind = try object(depth: depth)
      case UInt8(ascii: "["): kind = try array(depth: depth)
      case UInt8(ascii: "\""): kind = .string(try string())
      case UInt8(ascii: "t"): try literal("true"); kind = .bool(true)
      case UInt8(ascii: "f"): try literal("false"); kind = .bool(false)
      case UInt8(ascii: "n"): try literal("null"); kind = .null
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): kind = .number(try number())
      default: throw failure(expected: "a value (an object, array, string, number, true, false or null)")
      }
      return ImportJSON(kind: kind, line: startLine, column: startColumn)
    }

    mutating func literal(_ word: String) throws(ScenarioError) {
      let expected = Array(word.utf8)
      guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
        throw failure(expected: "a value (an object, array, string, number, true, false or null)")
      }
      index += expected.count
    }

    mutating func object(depth: Int) throws(ScenarioError) -> Kind {
      index += 1
      var members: [(key: String, value: ImportJSON)] = []
      skipWhitespace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      }
      while true {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure(expected: "a member name in double quotes") }
        let key = try string()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure(expected: "':' after the member name \"\(key)\"") }
        index += 1
        skipWhitespace()
        members.append((key, try value(depth: depth + 1)))
        skipWhitespace()
        guard index < bytes.count else { throw failure(expected: "',' or '}'") }
        if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
        if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        throw failure(expected: "',' or '}'")
      }
    }

    mutating func array(depth: Int) throws(ScenarioError) -> Kind {
      index += 1
      var items: [ImportJSON] = []
      skipWhitespace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(items)
      }
      while true {
        skipWhitespace()
        items.append(try value(depth: depth + 1))
        skipWhitespace()
        guard index < bytes.count else { throw failure(expected: "',' or ']'") }
        if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
        if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        throw failure(expected: "',' or ']'")
      }
    }

    mutating func string() throws(ScenarioError) -> String {
      index += 1
      var scalars: [UInt8] = []
      while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\""):
          index += 1
          return String(decoding: scalars, as: UTF8.self)
        case UInt8(ascii: "\\"):
          index += 1
          guard index < bytes.count else { throw failure(expected: "an escape sequence") }
          let escaped = bytes[index]
          let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 34, UInt8(ascii: "\\"): 92, UInt8(ascii: "/"): 47, UInt8(ascii: "b"): 8,
            UInt8(ascii: "f"): 12, UInt8(ascii: "n"): 10, UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9,
          ]
          if let byte = simple[escaped] {
            scalars.append(byte)
            index += 1
          } else if escaped == UInt8(ascii: "u") {
            index += 1
            var code = try hex4()
            if (0xD800..<0xDC00).contains(code), bytes.count - index >= 6, bytes[index] == 92, bytes[index + 1] == UInt8(ascii: "u") {
              index += 2
              let low = try hex4()
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            scalars.append(contentsOf: Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
          } else {
            throw failure(expected: "an escape sequence (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)")
          }
        case 0..<32:
          throw failure(expected: "a closing '\"' (control characters must be escaped inside strings)")
        default:
          scalars.append(byte)
          index += 1
        }
      }
      throw failure(expected: "a closing '\"'")
    }

    mutating func hex4() throws(ScenarioError) -> UInt32 {
      guard bytes.count - index >= 4, let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
        throw failure(expected: "four hexadecimal digits after \\u")
      }
      index += 4
      return code
    }

    mutating func number() throws(ScenarioError) -> Double {
      let start = index
      func digits(_ reader: inout Reader) -> Int {
        let begin = reader.index
        while reader.index < reader.bytes.count, (48...57).contains(reader.bytes[reader.index]) { reader.index += 1 }
        return reader.index - begin
      }
      if bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard digits(&self) > 0 else { throw failure(expected: "a digit") }
      if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
        index += 1
        guard digits(&self) > 0 else { throw failure(expected: "a digit after the decimal point") }
      }
      if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
        index += 1
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard digits(&self) > 0 else { throw failure(expected: "a digit in the exponent") }
      }
      guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)), value.isFinite else {
        index = start
        throw failure(expected: "a finite number")
      }
      return value
    }
  }
}
