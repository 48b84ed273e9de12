/// A Reserved Instance's offering class: Standard (larger discount, attributes fixed) or
/// Convertible (exchangeable, smaller discount). Both apply to usage the same way.
public enum OfferingClass: String, Codable, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  case standard
  case convertible

  public var description: String { rawValue }
}
