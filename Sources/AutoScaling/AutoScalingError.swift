/// A configuration the Auto Scaling model cannot run. `field` is a dotted path inside the
/// policy or group (e.g. "steps[1].lowerBound"); Scenario adds the file location.
public struct AutoScalingError: Error, Hashable, CustomStringConvertible, Sendable {
  public var policy: String?
  public var field: String
  public var expected: String
  public var found: String

  public init(policy: String? = nil, field: String, expected: String, found: String) {
    self.policy = policy
    self.field = field
    self.expected = expected
    self.found = found
  }

  public var description: String {
    let owner = policy.map { "policy '\($0)': " } ?? ""
    return "\(owner)'\(field)' should be \(expected), found \(found)"
  }
}
