/// Why a scenario file was rejected, and where. `description` is the sentence the user reads:
/// `FILE:LINE:COLUMN: what was expected, what was found` (just `FILE: ...` when the problem
/// concerns the whole file, e.g. it cannot be read).
///
/// Field names in messages are the YAML keys the user wrote (`minSize`, `steps[1]`), not
/// Swift property names.
public struct ScenarioError: Error, Hashable, CustomStringConvertible, Sendable {
  public enum Problem: Hashable, Sendable {
    /// A key the schema does not have in the mapping at path `in` ("" = top level). `suggestion` is the closest allowed key
    /// by edit distance, when one is close enough to be a likely typo.
    case unknownKey(key: String, in: String, allowed: [String], suggestion: String?)
    /// A required key is absent from the mapping `in`.
    case missingField(key: String, in: String)
    /// None of several alternative keys (exactly one of which is required) is present.
    case missingOneOf(keys: [String], in: String)
    /// The value has the wrong YAML type, e.g. a string where an integer belongs.
    case wrongType(field: String, expected: String, found: String)
    /// A number outside its allowed range (checked before any arithmetic on it), including
    /// integers too large for the machine.
    case outOfRange(field: String, range: String, found: String)
    /// The right type but not an accepted value (bad duration, unknown time zone, bad cron).
    case invalidValue(field: String, expected: String, found: String, suggestion: String?)
    /// The same name or key given twice; `firstLine` is where it first appeared.
    case duplicate(kind: String, name: String, firstLine: Int)
    /// Two keys that cannot be used together; `rule` says what is allowed.
    case conflicting(field: String, with: String, rule: String)
    /// The YAML itself does not parse (message from libyaml via Yams).
    case syntax(String)
    /// A file (the scenario or a demand file it names) cannot be read.
    case fileUnreadable(path: String, reason: String)
    /// The Auto Scaling model rejected a policy or the group (AutoScalingError's sentence,
    /// with field names translated to the YAML keys).
    case policy(String)
    /// The demand data named by the scenario was rejected when loaded (for the runner to
    /// attach Workload's message to `DemandDefinition.location`).
    case demand(String)
    /// A JSON file given to `capsim import` does not parse: what the reader expected at the
    /// position, and what it found there.
    case invalidJSON(expected: String, found: String)
    /// An AWS CLI document given to `capsim import` has the wrong shape (the sentence names
    /// the option, the expected key or value, and what was found).
    case importedDocument(String)
  }

  public var file: String
  public var line: Int
  public var column: Int
  public var problem: Problem

  public init(file: String, line: Int, column: Int, problem: Problem) {
    self.file = file
    self.line = line
    self.column = column
    self.problem = problem
  }

  public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

  /// The sentence without the location prefix.
  public var message: String {
    switch problem {
    case .unknownKey(let key, let container, let allowed, let suggestion):
      let hint = suggestion.map { "; did you mean '\($0)'?" } ?? "."
      return "unknown key '\(key)' \(Self.place(container))\(hint) Allowed keys: \(allowed.joined(separator: ", "))"
    case .missingField(let key, let container):
      return "missing required key '\(key)' \(Self.place(container))"
    case .missingOneOf(let keys, let container):
      return "missing one of " + keys.map { "'\($0)'" }.joined(separator: ", ") + " \(Self.place(container))"
    case .wrongType(let field, let expected, let found):
      return "'\(field)' should be \(expected), found \(found)"
    case .outOfRange(let field, let range, let found):
      return "'\(field)' must be \(range), found \(found)"
    case .invalidValue(let field, let expected, let found, let suggestion):
      let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
      return "'\(field)' should be \(expected), found \(found)\(hint)"
    case .duplicate(let kind, let name, let firstLine):
      return "duplicate \(kind) '\(name)' (first at line \(firstLine)); each must be unique"
    case .conflicting(let field, let other, let rule):
      return "'\(field)' cannot be combined with '\(other)': \(rule)"
    case .syntax(let text):
      return "YAML syntax error: \(text)"
    case .fileUnreadable(let path, let reason):
      return "cannot read '\(path)': \(reason)"
    case .policy(let text), .demand(let text), .importedDocument(let text):
      return text
    case .invalidJSON(let expected, let found):
      return "invalid JSON: expected \(expected), found \(found)"
    }
  }

  public var description: String { "\(location): \(message)" }

  /// "in 'fleet'", or "at the top level" for the document root (empty path).
  private static func place(_ path: String) -> String {
    path.isEmpty ? "at the top level" : "in '\(path)'"
  }
}
