/// Why Reporting cannot produce an output the user asked for: the subject (a policy field,
/// the group name, a variant), what was expected and what was found. `description` is the
/// sentence the user reads.
public struct ReportingError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What is wrong, e.g. "policy 'out': alarm period" or "--group-name".
  public var subject: String
  public var expected: String
  public var found: String

  public init(subject: String, expected: String, found: String) {
    self.subject = subject
    self.expected = expected
    self.found = found
  }

  public var description: String { "\(subject) should be \(expected), found \(found)" }
}
