import ArgumentParser
import Reporting
import Scenario

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate each policy variant and compare cost and service.",
    discussion: """
      For each variant: billed instance-hours, on-demand cost, peak and mean instances, \
      mean CPU, minutes above 80% CPU, delayed demand and scaling actions.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json
  }

  @Argument(help: "The scenario YAML file.", completion: .file(extensions: ["yaml", "yml"]))
  var file: String

  @Option(help: "Output format: table for people, json for tools (stable key order).")
  var format: Format = .table

  @Option(
    name: .customLong("policy"),
    help: ArgumentHelp("Run only this variant (repeatable); default: all.", valueName: "variant"))
  var variants: [String] = []

  func run() throws {
    let result = try reportingErrors {
      let definition = try ScenarioDefinition.load(path: file)
      let prepared = try ScenarioRunner.prepare(definition)
      return try ScenarioRunner.run(prepared, variants: variants)
    }
    switch format {
    case .table: print(ComparisonReport.table(result), terminator: "")
    case .json: print(ComparisonReport.json(result), terminator: "")
    }
  }
}
