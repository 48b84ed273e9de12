import ArgumentParser
import Scenario

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check a scenario file and the demand data it names.",
    discussion: """
      Prints a one-line summary and exits 0, or prints each problem as \
      FILE:LINE:COLUMN: what was expected and what was found, and exits 1. A sweep: block \
      is checked point by point.
      """)

  @Argument(help: "The scenario YAML file.", completion: .file(extensions: ["yaml", "yml"]))
  var file: String

  func run() throws {
    let summary = try reportingErrors {
      let definition = try ScenarioDefinition.load(path: file)
      let summary = try ScenarioRunner.prepare(definition).summary
      guard definition.hasSweep else { return summary }
      let plan = try SweepPlan.load(path: file)
      try plan.validateEveryPoint()
      return summary + ", a sweep of \(plan.pointCount) point\(plan.pointCount == 1 ? "" : "s")"
    }
    print(summary)
  }
}
