import Foundation
import Testing

/// Runs the built `capsim` binary on the shipped scenarios, as a user would.
@Suite struct CapsimCommandTests {
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The capsim executable SwiftPM built beside this test bundle.
  static var executable: URL {
    let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var directory = testBinary.deletingLastPathComponent()
    while directory.path != "/" {
      let candidate = directory.appendingPathComponent("capsim")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return testBinary.deletingLastPathComponent().appendingPathComponent("capsim")
  }

  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func capsim(_ arguments: [String]) throws -> Output {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  static let scenarios = ["scenarios/seoul-food-delivery.yaml", "scenarios/nyc-taxi.yaml", "scenarios/elb-requests.yaml"]

  @Test("every shipped scenario validates with a one-line summary", arguments: scenarios)
  func validateShipped(path: String) throws {
    let output = try Self.capsim(["validate", path])
    #expect(output.status == 0, "\(output.stderr)")
    #expect(output.stdout.hasPrefix("\(path): OK: "))
    #expect(output.stdout.split(separator: "\n").count == 1)
  }

  @Test("run --format json twice gives byte-identical output with every variant")
  func jsonIsDeterministic() throws {
    let path = "scenarios/seoul-food-delivery.yaml"
    let first = try Self.capsim(["run", path, "--format", "json"])
    let second = try Self.capsim(["run", path, "--format", "json"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout == second.stdout)
    #expect(first.stderr.isEmpty)
    let parsed = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
    let variants = try #require(parsed?["variants"] as? [[String: Any]])
    #expect(variants.map { $0["name"] as? String } == [
      "target-cpu-50", "target-cpu-70", "step-cpu", "simple-cpu", "target-cpu-60-scheduled",
    ])
    for variant in variants {
      let cost = try #require(variant["costUSD"] as? Double)
      let hours = try #require(variant["instanceHours"] as? Double)
      // Seoul m5.large on demand is 0.118 USD/h in the shipped catalog.
      #expect(abs(cost - hours * 0.118) < 1e-4)
    }
  }

  @Test("--policy runs only the named variants; an unknown one is an error listing the known ones")
  func policyFilter() throws {
    let output = try Self.capsim(["run", "scenarios/nyc-taxi.yaml", "--format", "json", "--policy", "target-cpu-70"])
    #expect(output.status == 0, "\(output.stderr)")
    let parsed = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    #expect((parsed?["variants"] as? [[String: Any]])?.count == 1)

    let bad = try Self.capsim(["run", "scenarios/nyc-taxi.yaml", "--policy", "target-cpu-99"])
    #expect(bad.status == 1)
    #expect(bad.stdout.isEmpty)
    #expect(bad.stderr.contains("'target-cpu-99'"))
    #expect(bad.stderr.contains("target-cpu-50, target-cpu-70"))
  }

  @Test("a bad scenario exits 1 with FILE:LINE:COLUMN on stderr and nothing on stdout")
  func badScenario() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-e2e-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("typo.yaml")
    let text = try String(contentsOf: Self.packageRoot.appendingPathComponent("scenarios/seoul-food-delivery.yaml"), encoding: .utf8)
      .replacingOccurrences(of: "  minSize: 4\n", with: "  minSise: 4\n")
    try text.write(to: file, atomically: true, encoding: .utf8)
    for command in ["validate", "run"] {
      let output = try Self.capsim([command, file.path])
      #expect(output.status == 1)
      #expect(output.stdout.isEmpty)
      #expect(output.stderr.hasPrefix("capsim: error: \(file.path):"))
      #expect(output.stderr.contains("minSise"))
      #expect(output.stderr.contains("minSize"))
    }
  }

  @Test("help lists the subcommands with their one-line abstracts")
  func help() throws {
    let output = try Self.capsim(["--help"])
    #expect(output.status == 0)
    #expect(
      output.stdout == """
        OVERVIEW: Autoscaling simulator and capacity advisor for EC2 fleets.

        capsim replays a demand curve (CSV, CloudWatch JSON or a synthetic
        food-delivery day) against EC2 Auto Scaling policies and prices the fleet each
        one produces. A scenario file names the demand, the fleet and the policy
        variants to compare; see docs/scenario-format.md.

        Examples:
          capsim validate scenarios/seoul-food-delivery.yaml
          capsim run scenarios/seoul-food-delivery.yaml
          capsim run scenarios/nyc-taxi.yaml --format json --policy target-cpu-50

        USAGE: capsim <subcommand>

        OPTIONS:
          --version               Show the version.
          -h, --help              Show help information.

        SUBCOMMANDS:
          validate                Check a scenario file and the demand data it names.
          run                     Simulate each policy variant and compare cost and
                                  service.

          See 'capsim help <subcommand>' for detailed help.

        """)
    let run = try Self.capsim(["run", "--help"])
    #expect(run.stdout.contains("--format <format>"))
    #expect(run.stdout.contains("--policy <variant>"))
  }
}
