import Foundation
import Yams

extension ScenarioDefinition {
  /// Reads and validates the scenario at `path`; relative paths inside it are resolved
  /// against the file's directory.
  public static func load(path: String) throws(ScenarioError) -> ScenarioDefinition {
    let (text, url) = try readText(path: path)
    return try parse(yaml: text, file: path, baseDirectory: url.deletingLastPathComponent())
  }

  /// The scenario file's text and its standardized URL.
  static func readText(path: String) throws(ScenarioError) -> (text: String, url: URL) {
    let wholeFile = SourceLocation(file: path, line: 0, column: 0)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw wholeFile.error(.fileUnreadable(path: path, reason: "no such file"))
    }
    guard !isDirectory.boolValue else {
      throw wholeFile.error(.fileUnreadable(path: path, reason: "it is a directory, not a scenario file"))
    }
    let url = URL(fileURLWithPath: path).standardizedFileURL
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw wholeFile.error(.fileUnreadable(path: path, reason: error.localizedDescription))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw wholeFile.error(.fileUnreadable(path: path, reason: "it is not UTF-8 text"))
    }
    return (text, url)
  }

  /// Validates scenario YAML held in memory. `file` names it in error locations;
  /// `baseDirectory` resolves relative demand paths (which must exist).
  public static func parse(yaml: String, file: String, baseDirectory: URL) throws(ScenarioError) -> ScenarioDefinition {
    let root = try compose(yaml: yaml, file: file)
    let decoder = ScenarioDecoder(file: file, baseDirectory: baseDirectory)
    return try decoder.decodeScenario(YAMLValue(root: root, file: file))
  }

  /// The composed YAML tree of a scenario; syntax errors located, an empty document refused.
  static func compose(yaml: String, file: String) throws(ScenarioError) -> Node {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml, .default, .default, .utf8)
    } catch let error as YamlError {
      throw syntaxError(error, yaml: yaml, file: file)
    } catch {
      throw SourceLocation(file: file, line: 1, column: 1).error(.syntax("\(error)"))
    }
    guard let root else {
      throw SourceLocation(file: file, line: 1, column: 1).error(.wrongType(
        field: "scenario", expected: "a mapping with keys name, demand, capacity, fleet and variants",
        found: "an empty document"))
    }
    return root
  }

  /// Yams' errors with libyaml's 1-based marks, as located ScenarioErrors.
  static func syntaxError(_ error: YamlError, yaml: String, file: String) -> ScenarioError {
    func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
    func sentence(_ problem: String, _ context: YamlError.Context?) -> String {
      guard let context else { return problem }
      return "\(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
    }
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      return at(mark).error(.syntax(sentence(problem, context)))
    case .reader(let problem, let offset, _, _):
      let prefix = yaml.prefix(offset ?? 0)
      let line = prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
      let column = prefix.split(separator: "\n", omittingEmptySubsequences: false).last.map { $0.unicodeScalars.count + 1 } ?? 1
      return SourceLocation(file: file, line: line, column: column).error(.syntax(problem))
    case .duplicatedKeysInMapping(let duplicates, let context):
      let key = duplicates.first ?? "?"
      if let second = secondOccurrence(of: key, after: context.mark, in: yaml) {
        return SourceLocation(file: file, line: second.line, column: second.column)
          .error(.duplicate(kind: "key", name: key, firstLine: context.mark.line))
      }
      return at(context.mark).error(.syntax("key '\(key)' appears more than once in this mapping"))
    default:
      return SourceLocation(file: file, line: 1, column: 1).error(.syntax("\(error)"))
    }
  }

  /// Yams reports a duplicated key at its first occurrence; the user needs the second. Looks
  /// for it in the same flow mapping on that line, or at the same indentation further down
  /// the same block mapping. nil when not found (e.g. quoted or multi-line flow keys).
  static func secondOccurrence(of key: String, after first: Mark, in yaml: String) -> (line: Int, column: Int)? {
    let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
    let keyScalars = Array(key.unicodeScalars)
    let column = first.column - 1
    guard first.line >= 1, first.line <= lines.count else { return nil }
    func isKey(_ line: [Unicode.Scalar], at index: Int) -> Bool {
      guard index + keyScalars.count <= line.count, Array(line[index..<index + keyScalars.count]) == keyScalars else {
        return false
      }
      var rest = index + keyScalars.count
      while rest < line.count, line[rest] == " " { rest += 1 }
      return rest < line.count && line[rest] == ":"
    }
    // Flow mapping on the first key's line: `{a: 1, a: 2}`.
    let firstLine = lines[first.line - 1]
    var index = column + keyScalars.count
    while index < firstLine.count {
      if firstLine[index] == "," || firstLine[index] == "{" {
        var start = index + 1
        while start < firstLine.count, firstLine[start] == " " { start += 1 }
        if isKey(firstLine, at: start) { return (first.line, start + 1) }
      }
      index += 1
    }
    // Block mapping: later lines at the same indentation, until the mapping ends.
    for lineIndex in first.line..<lines.count {
      let line = lines[lineIndex]
      guard let firstNonSpace = line.firstIndex(where: { $0 != " " }), line[firstNonSpace] != "#", line[firstNonSpace] != "\r"
      else { continue }
      if firstNonSpace < column { return nil }
      if firstNonSpace == column, isKey(line, at: column) { return (lineIndex + 1, column + 1) }
    }
    return nil
  }
}
