import ArgumentParser
import Foundation
import Scenario

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check a scenario file and the demand data it names.",
    discussion: """
      Prints a one-line summary and exits 0, or prints each problem as \
      FILE:LINE:COLUMN: what was expected and what was found, and exits 1. A sweep: block \
      is checked point by point. A Savings Plan without a rate for a family a fleet is \
      certain to run On-Demand in its term is an error; one a fleet may run is a warning \
      on stderr (exit 0).
      """)

  @Argument(help: "The scenario YAML file.", completion: .file(extensions: ["yaml", "yml"]))
  var file: String

  func run() throws {
    let summary = try reportingErrors {
      let definition = try ScenarioDefinition.load(path: file)
      let prepared = try ScenarioRunner.prepare(definition)
      let rates = try SavingsPlanRateCheck(prepared)
      if let certain = rates.errors.first { throw certain.error }
      for warning in rates.warnings { FileHandle.standardError.write(Data("capsim: \(warning)\n".utf8)) }
      let summary = prepared.summary
      guard definition.hasSweep else { return summary }
      let plan = try SweepPlan.load(path: file)
      try plan.validateEveryPoint()
      return summary + ", a sweep of \(plan.pointCount) point\(plan.pointCount == 1 ? "" : "s")"
    }
    print(summary)
  }
}
