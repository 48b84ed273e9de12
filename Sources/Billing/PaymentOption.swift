/// How a commitment is paid: nothing, part or all of it at purchase. The effective hourly
/// cost is `upfront / hours in term + recurring hourly fee` whichever is chosen.
public enum PaymentOption: String, Codable, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  case noUpfront = "no-upfront"
  case partialUpfront = "partial-upfront"
  case allUpfront = "all-upfront"

  public var description: String { rawValue }
}
