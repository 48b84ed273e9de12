/// A position in a scenario file: 1-based line and column (columns count Unicode scalars,
/// as libyaml does). The runner keeps these to report later errors (a CSV that fails to load,
/// a policy the engine rejects) at the YAML that caused them.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
  public var file: String
  /// 1-based; 0 means "the whole file" (e.g. the file cannot be read).
  public var line: Int
  /// 1-based; 0 together with `line == 0`.
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// "FILE:LINE:COLUMN", or just "FILE" for a whole-file location.
  public var description: String {
    line > 0 ? "\(file):\(line):\(column)" : file
  }

  /// An error at this location.
  public func error(_ problem: ScenarioError.Problem) -> ScenarioError {
    ScenarioError(file: file, line: line, column: column, problem: problem)
  }
}
