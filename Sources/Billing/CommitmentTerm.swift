/// The length of a Reserved Instance or Savings Plan: 1 year (365 days) or 3 years
/// (1,095 days), as AWS counts them (31,536,000 and 94,608,000 seconds).
public enum CommitmentTerm: String, Codable, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  case oneYear = "1y"
  case threeYears = "3y"

  /// Hours in the term: 8,760 or 26,280. Upfront fees are amortized over these.
  public var hours: Double {
    switch self {
    case .oneYear: 8_760
    case .threeYears: 26_280
    }
  }

  /// `hours` in seconds.
  public var seconds: Double { hours * HourlyAttribution.secondsPerHour }

  public var description: String { rawValue }
}
