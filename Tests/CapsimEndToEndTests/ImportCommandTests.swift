import Foundation
import Testing

/// `capsim import` as a user runs it: YAML on stdout or in a file that `capsim validate`
/// accepts; bad input exits 1 with one sentence on stderr.
@Suite struct ImportCommandTests {
  static func capsim(_ arguments: [String]) throws -> CapsimCommandTests.Output {
    try CapsimCommandTests.capsim(arguments)
  }

  static let inputs = [
    "import", "--groups", "scenarios/import/groups.json", "--policies", "scenarios/import/policies.json",
    "--alarms", "scenarios/import/alarms.json", "--scheduled-actions", "scenarios/import/scheduled-actions.json",
    "--demand", "scenarios/import/demand.json",
  ]

  @Test("--output writes a scenario capsim validate accepts, with the demand path relative to it; stdout without --output")
  func writesAScenario() throws {
    let output = "scenarios/import/imported-\(getpid()).yaml"
    defer { try? FileManager.default.removeItem(atPath: CapsimCommandTests.packageRoot.appendingPathComponent(output).path) }
    let imported = try Self.capsim(Self.inputs + ["--units-per-minute", "1200", "--output", output])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.isEmpty)
    let validated = try Self.capsim(["validate", output])
    #expect(validated.status == 0, "\(validated.stderr)")
    #expect(validated.stdout.contains("OK: 'orders', 1 variant"))

    let printed = try Self.capsim(Self.inputs + ["--units-per-minute", "1200"])
    #expect(printed.status == 0)
    #expect(printed.stdout.contains("  cloudwatch: \"scenarios/import/demand.json\"\n"))
  }

  @Test("without --units-per-minute: exit 1 and a sentence saying what it is")
  func unitsPerMinuteRequired() throws {
    let result = try Self.capsim(Self.inputs)
    #expect(result.status == 1)
    #expect(result.stderr.contains("--units-per-minute is required"))
  }

  @Test("bad JSON: exit 1, FILE:LINE:COLUMN on stderr, no crash")
  func badJSON() throws {
    let result = try Self.capsim(Self.inputs.map { $0 == "scenarios/import/groups.json" ? "scenarios/import/README.md" : $0 }
      + ["--units-per-minute", "1200"])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("capsim: error: scenarios/import/README.md:1:1: invalid JSON: expected a value"), "\(result.stderr)")
  }
}
