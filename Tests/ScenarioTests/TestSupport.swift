import Foundation
import Testing

@testable import Scenario

/// A temporary directory holding `data/orders.csv` and `data/metric.json`, so demand paths
/// in test scenarios resolve. Created once per process.
enum Fixture {
  static let directory: URL = {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("capsim-scenario-tests-\(ProcessInfo.processInfo.processIdentifier)")
    let data = url.appendingPathComponent("data")
    try! FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try! "timestamp,value\n2026-03-02 00:00:00,10\n".write(
      to: data.appendingPathComponent("orders.csv"), atomically: true, encoding: .utf8)
    try! "{\"MetricDataResults\": []}\n".write(
      to: data.appendingPathComponent("metric.json"), atomically: true, encoding: .utf8)
    return url
  }()

  static func parse(_ yaml: String) throws(ScenarioError) -> ScenarioDefinition {
    try ScenarioDefinition.parse(yaml: yaml, file: "test.yaml", baseDirectory: directory)
  }

  /// The error parsing `yaml` throws; records an issue when it parses.
  static func error(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ScenarioError? {
    do {
      _ = try parse(yaml)
      Issue.record("expected a ScenarioError, the scenario parsed", sourceLocation: sourceLocation)
      return nil
    } catch {
      return error
    }
  }

  /// A minimal valid scenario; `replacing` swaps one line (matched exactly, trimmed) for
  /// another text, to plant one mistake at a known line.
  static let minimal = """
    name: test
    demand:
      csv: data/orders.csv
    capacity:
      unitsPerMinute: {m5.large: 120}
    fleet:
      region: us-east-1
      instanceType: m5.large
      minSize: 2
      maxSize: 10
    variants:
      - name: a
        policies:
          - targetTracking: {metric: cpu, target: 50}

    """

  static func minimal(replacing line: String, with replacement: String) -> String {
    let lines = minimal.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let index = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == line }!
    var result = lines
    result[index] = replacement
    return result.joined(separator: "\n")
  }
}

extension Date {
  /// A UTC instant written as "YYYY-MM-DDTHH:MM:SSZ" (test oracle, parsed independently).
  static func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)!
  }
}
