import Foundation

/// What the two AWS Price List readers (``EC2OfferFile``, ``SavingsPlansOfferFile``) share:
/// reading the file, decoding it with `JSONDecoder` and turning a decoding failure into a
/// ``BillingError/malformedOfferFile(file:path:expected:found:)`` that names the JSON path.
///
/// Why `JSONDecoder` and not a hand-written streaming reader: it is Foundation's, it keeps
/// the coding path of every failure (the JSON path the user needs), and the `Decodable`
/// shapes declare only the members capsim reads, so the rest of a product's attributes is
/// skipped. The cost is that the whole document is held in memory (docs/prices.md has the
/// measured throughput).
enum OfferFileDecoding {
  /// The file's bytes; errors name `path`.
  static func readData(path: String) throws -> Data {
    func fail(_ found: String) -> BillingError {
      .malformedOfferFile(file: path, path: "", expected: "an AWS Price List offer file (JSON)", found: found)
    }
    guard FileManager.default.fileExists(atPath: path) else { throw fail("no file at that path") }
    guard let data = FileManager.default.contents(atPath: path) else { throw fail("a file that cannot be read") }
    return data
  }

  /// Decodes `T` from `data`, mapping every `DecodingError` to a `malformedOfferFile` error
  /// at the failing JSON path.
  static func decode<T: Decodable>(_: T.Type, from data: Data, fileName: String, what: String) throws -> T {
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
      if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
        throw BillingError.malformedOfferFile(
          file: fileName, path: "", expected: what + " (valid JSON)", found: syntaxError(in: data))
      }
      throw describe(error, fileName: fileName, what: what)
    }
  }

  /// Where the JSON syntax breaks, as line and column: `JSONDecoder` only says "not valid
  /// JSON", so the text is parsed once more with `JSONSerialization`, whose message names
  /// the byte offset ("around character 65"). Only on this failure path.
  static func syntaxError(in data: Data) -> String {
    var message = "text that is not JSON"
    do {
      _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      let detail = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? ""
      if let range = detail.range(of: "character "),
        let offset = Int(detail[range.upperBound...].prefix { $0.isNumber }), offset >= 0, offset <= data.count
      {
        var line = 1
        var lineStart = 0
        for (index, byte) in data.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
          line += 1
          lineStart = index + 1
        }
        message += " at line \(line), column \(offset - lineStart + 1)"
      }
      if !detail.isEmpty {
        var text = detail
        while text.hasSuffix(".") { text.removeLast() }
        message += " (\(clip(text)))"
      }
    }
    return message
  }

  static func describe(_ error: DecodingError, fileName: String, what: String) -> BillingError {
    func fail(_ path: [any CodingKey], _ expected: String, _ found: String) -> BillingError {
      .malformedOfferFile(file: fileName, path: jsonPath(path), expected: expected, found: found)
    }
    switch error {
    case .keyNotFound(let key, let context):
      return fail(
        context.codingPath + [key], "member '\(key.stringValue)' (\(what))", "no such member")
    case .typeMismatch(let type, let context):
      return fail(context.codingPath, "a JSON \(jsonTypeName(type))", "another JSON type")
    case .valueNotFound(let type, let context):
      return fail(context.codingPath, "a JSON \(jsonTypeName(type))", "null")
    case .dataCorrupted(let context):
      if context.codingPath.isEmpty {
        var detail = context.debugDescription
        if let underlying = context.underlyingError { detail += " \(underlying)" }
        while detail.hasSuffix(".") { detail.removeLast() }
        return fail([], what + " (valid JSON)", "text that is not JSON: \(clip(detail))")
      }
      return fail(context.codingPath, "a valid value", clip(context.debugDescription))
    @unknown default:
      return fail([], what, "\(error)")
    }
  }

  /// `terms.OnDemand.ABC.ABC.JRTCKXETXF`: members by name, array elements as `[i]`.
  static func jsonPath(_ path: [any CodingKey]) -> String {
    var text = ""
    for key in path {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
      }
    }
    return text
  }

  static func jsonTypeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "string"
    case is Double.Type, is Int.Type: "number"
    case is Bool.Type: "boolean"
    default:
      "\(type)".hasPrefix("Array") ? "array" : "object"
    }
  }

  static func clip(_ text: String) -> String {
    text.count <= 200 ? text : String(text.prefix(200)) + "..."
  }

  /// A price as the Price List writes it (`"0.0960000000"`): plain decimal digits with at
  /// most one point, no sign or exponent, finite.
  /// - Throws: `malformedOfferFile` at `path` when the text is anything else.
  static func price(_ text: String, fileName: String, path: String) throws -> Double {
    var points = 0
    var digits = 0
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
      case UInt8(ascii: "."): points += 1
      default: points = 2
      }
    }
    guard points <= 1, digits > 0, digits <= 40, let value = Double(text), value.isFinite else {
      throw BillingError.malformedOfferFile(
        file: fileName, path: path, expected: "a price in USD as decimal digits (like \"0.0960000000\")",
        found: "\"\(clip(text))\"")
    }
    return value
  }
}

/// A JSON object member name not known in advance (an SKU, an offer term code).
struct OfferFileKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(_ name: String) { stringValue = name }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}
