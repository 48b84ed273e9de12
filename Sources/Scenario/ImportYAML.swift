import Foundation

/// Scalars as `capsim import` writes them into a scenario: strings always double-quoted
/// (JSON escaping, which YAML's double-quoted style reads the same way), numbers without a
/// needless `.0`, so the output is stable and never re-typed by YAML (a `"2"` stays a string).
enum ImportYAML {
  static func string(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 32 || scalar.value == 127 {
          let hex = String(scalar.value, radix: 16)
          out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// `50`, `0.5`, `-12.25`: whole numbers without a fraction, others in Swift's shortest
  /// round-tripping form.
  static func number(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
  }

  /// `value` rounded to `digits` significant digits (1001.3 -> 1001, 12.345 -> 12.35), with
  /// the power of ten applied as an exact multiplier or divisor so no binary noise is added.
  static func significant(_ value: Double, digits: Int) -> Double {
    guard value.isFinite, value != 0 else { return value }
    let shift = digits - 1 - Int(log10(abs(value)).rounded(.down))
    if shift >= 0 {
      let factor = pow(10, Double(shift))
      return (value * factor).rounded() / factor
    }
    let factor = pow(10, Double(-shift))
    return (value / factor).rounded() * factor
  }

  /// A comment line (or several, for a text with line breaks), indented.
  static func comment(_ text: String, indent: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { "\(indent)# \($0)" }
  }
}
