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

  static let scenarios = [
    "scenarios/seoul-food-delivery.yaml", "scenarios/nyc-taxi.yaml", "scenarios/elb-requests.yaml",
    "scenarios/food-delivery-teams.yaml", "scenarios/seoul-warm-pool.yaml", "scenarios/seoul-spot-diversified.yaml",
  ]

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
      "target-cpu-60-predictive",
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

  @Test("validate: a Savings Plan without a rate for a family run On-Demand from the start is exit 1; possible usage a warning, exit 0")
  func savingsPlanRateCheck() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-e2e-sp-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let shipped = try String(
      contentsOf: Self.packageRoot.appendingPathComponent("scenarios/food-delivery-teams.yaml"), encoding: .utf8)
    // Without the c6i Compute rate, rider-dispatch (c6i.large, minSize 2, all On-Demand) is certain to need it.
    let noRate = shipped.replacingOccurrences(
      of: "  - {type: compute, family: c6i, region: ap-northeast-2, term: 1y, payment: noUpfront, discountPercent: 27}\n", with: "")
    #expect(noRate != shipped)
    let certain = directory.appendingPathComponent("certain.yaml")
    try noRate.write(to: certain, atomically: true, encoding: .utf8)
    for command in ["validate", "run"] {
      let output = try Self.capsim([command, certain.path])
      #expect(output.status == 1)
      #expect(output.stdout.isEmpty)
      #expect(output.stderr.hasPrefix("capsim: error: \(certain.path):"))
      #expect(output.stderr.contains(command == "validate" ? "family: c6i" : "(compute, c6i, 1y, no-upfront)"))
    }
    // Starting from no instances, it only may.
    let possible = directory.appendingPathComponent("possible.yaml")
    let startsEmpty = noRate.replacingOccurrences(of: "  instanceType: c6i.large\n      minSize: 2\n", with: "  instanceType: c6i.large\n      minSize: 0\n")
    #expect(startsEmpty != noRate)
    try startsEmpty.write(to: possible, atomically: true, encoding: .utf8)
    let output = try Self.capsim(["validate", possible.path])
    #expect(output.status == 0, "\(output.stderr)")
    #expect(output.stdout.hasPrefix("\(possible.path): OK: "))
    #expect(output.stderr.hasPrefix("capsim: \(possible.path):"))
    #expect(output.stderr.contains(": warning: Savings Plan 'sp-compute' may need an entry {type: compute, family: c6i"))
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
          forecast                Forecast a demand series with prediction intervals,
                                  or backtest it.
          export                  Write a variant's scaling policies as AWS CLI input
                                  or CloudFormation.
          import                  Build a scenario from what the AWS CLI prints about
                                  existing Auto Scaling groups.
          commitments             Recommend Reserved Instances and Savings Plans from
                                  hourly usage.
          recommend               Recommend scaling policies and RI/Savings Plans
                                  purchases for a scenario.
          prices                  Import prices from AWS Price List bulk files.
          sweep                   Simulate and bill every point of a scenario's sweep
                                  grid; one row per point.
          merge                   Combine the part files of a sharded run into the
                                  output the unsharded run writes.

          See 'capsim help <subcommand>' for detailed help.

        """)
    let run = try Self.capsim(["run", "--help"])
    #expect(run.stdout.contains("--format <format>"))
    #expect(run.stdout.contains("--policy <variant>"))
  }

  @Test("a multi-service scenario bills all services on one account: showback adds up and is ranked")
  func showback() throws {
    let output = try Self.capsim(["run", "scenarios/food-delivery-teams.yaml", "--format", "json"])
    #expect(output.status == 0, "\(output.stderr)")
    let parsed = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    let account = try #require(parsed["account"] as? [String: Any])
    let effective = try #require(account["effectiveCostUSD"] as? Double)
    let list = try #require(account["listCostUSD"] as? Double)
    let showback = try #require(account["showback"] as? [String: Any])
    let services = try #require(showback["services"] as? [[String: Any]])
    let unallocated = try #require(showback["unallocatedCommitmentUSD"] as? Double)
    let costs = services.compactMap { $0["effectiveCostUSD"] as? Double }
    #expect(services.count == 3)
    #expect(abs(costs.reduce(0, +) + unallocated - effective) < 1e-4)
    #expect(costs == costs.sorted(by: >))
    #expect(effective < list)  // the commitments save money overall on this scenario
    let coverage = try #require(account["coverage"] as? [String: Any])
    for key in ["reservedInstancePercent", "savingsPlanPercent", "commitmentPercent"] {
      let value = try #require(coverage[key] as? Double)
      #expect(value > 0 && value <= 100)
    }
    let commitments = try #require(account["commitments"] as? [[String: Any]])
    #expect(commitments.map { $0["id"] as? String } == ["ri-m5-regional", "ri-c6i-zonal", "sp-compute"])
  }

  @Test("run --format html prints the cost report, and --output writes report.json and report.html with the same bytes")
  func htmlReport() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-run-out-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = "scenarios/food-delivery-teams.yaml"
    let html = try Self.capsim(["run", path, "--format", "html", "--output", directory])
    #expect(html.status == 0, "\(html.stderr)")
    #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
    #expect(html.stdout.contains("Showback: effective cost per service and per team"))
    let json = try Self.capsim(["run", path, "--format", "json"])
    #expect(try String(contentsOfFile: directory + "/report.json", encoding: .utf8) == json.stdout)
    #expect(try String(contentsOfFile: directory + "/report.html", encoding: .utf8) == html.stdout)
  }

  @Test("--line-items writes FOCUS rows whose costs add up to the bill")
  func lineItems() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-li-\(getpid()).csv").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let output = try Self.capsim(["run", "scenarios/food-delivery-teams.yaml", "--format", "json", "--line-items", path])
    #expect(output.status == 0, "\(output.stderr)")
    let parsed = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    let account = try #require(parsed["account"] as? [String: Any])
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(separator: "\n")
    let header = lines[0].split(separator: ",").map(String.init)
    for column in [
      "ChargePeriodStart", "ChargePeriodEnd", "BilledCost", "EffectiveCost", "ListCost", "PricingQuantity",
      "PricingUnit", "ConsumedQuantity", "CommitmentDiscountId", "CommitmentDiscountType",
      "CommitmentDiscountStatus", "ResourceType", "RegionId", "SkuPriceId", "Tags",
    ] {
      #expect(header.contains(column), "missing FOCUS column \(column)")
    }
    // Sum EffectiveCost and BilledCost with a small CSV reader (Tags is a quoted JSON object).
    func fields(_ line: Substring) -> [String] {
      var result: [String] = [], current = "", quoted = false
      var iterator = line.makeIterator()
      while let c = iterator.next() {
        if c == "\"" { quoted.toggle(); if !quoted { continue } else if current.last == "\"" { current.append(c) }; continue }
        if c == "," && !quoted { result.append(current); current = ""; continue }
        current.append(c)
      }
      result.append(current)
      return result
    }
    let effectiveColumn = try #require(header.firstIndex(of: "EffectiveCost"))
    let billedColumn = try #require(header.firstIndex(of: "BilledCost"))
    var effective = 0.0, billed = 0.0
    for line in lines.dropFirst() {
      let row = fields(line)
      #expect(row.count == header.count)
      effective += Double(row[effectiveColumn]) ?? .nan
      billed += Double(row[billedColumn]) ?? .nan
    }
    #expect(abs(effective - (account["effectiveCostUSD"] as? Double ?? 0)) < 1e-4)
    #expect(abs(billed - (account["billedCostUSD"] as? Double ?? 0)) < 1e-4)
    #expect(output.stderr.contains("line items"))

    let several = try Self.capsim(["run", "scenarios/seoul-food-delivery.yaml", "--line-items", path])
    #expect(several.status == 1)
    #expect(several.stderr.contains("choose it with --policy"))
  }
}
