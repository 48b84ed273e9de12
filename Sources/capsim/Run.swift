import ArgumentParser
import AutoScaling
import Billing
import Foundation
import Reporting
import Scenario

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate each policy variant and compare cost and service.",
    discussion: """
      For each variant: billed instance-hours, on-demand cost, peak and mean instances, \
      mean CPU, minutes above 80% CPU, delayed demand and scaling actions. --format html (or \
      --output DIR) gives the cost report page: KPIs, daily cost, showback, policy comparison.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json, html
  }

  @Argument(help: "The scenario YAML file.", completion: .file(extensions: ["yaml", "yml"]))
  var file: String

  @Option(
    help: "Output format: table for people, json for tools (stable key order), html (a self-contained cost report page).")
  var format: Format = .table

  @Option(
    help: ArgumentHelp("Also write report.json and report.html (the cost report page) to this directory.", valueName: "dir"))
  var output: String?

  @Option(
    name: .customLong("policy"),
    help: ArgumentHelp("Run only this variant (repeatable); default: all.", valueName: "variant"))
  var variants: [String] = []

  @Option(
    help: ArgumentHelp(
      "How demand is served, overriding the file's simulation.fidelity: fluid, queueing (M/G/c with backlog) or "
        + "requests (every request simulated; needs a serving block).",
      valueName: "fidelity"))
  var fidelity: Fidelity?

  @Option(
    name: .customLong("line-items"),
    help: ArgumentHelp(
      "Also write the bill's hourly cost rows with FOCUS 1.x columns to this CSV file (one variant, or all services).",
      valueName: "csv"),
    completion: .file(extensions: ["csv"]))
  var lineItemsPath: String?

  @Option(
    help: ArgumentHelp(
      "SLO for ranking a cheaper variant as a saving: largest share of demand delayed, percent (default 0.1, as recommend).",
      valueName: "percent"))
  var maxDelayedPercent: Double = 0.1

  @Option(
    name: .customLong("fault"),
    help: ArgumentHelp(
      "Add a fault, as a scenario 'faults:' entry written on one line, e.g. "
        + "'zoneOutage: ap-northeast-2a, start: 2026-11-20T18:30:00, duration: 2h' or "
        + "'launchFailures: {probability: 0.5}, start: 2026-11-20T18:00:00, duration: 1h'. Repeatable.",
      valueName: "fault"))
  var faults: [String] = []

  func run() throws {
    guard maxDelayedPercent.isFinite, (0...100).contains(maxDelayedPercent) else {
      throw ValidationError("--max-delayed-percent: expected a percentage from 0 to 100, found \(maxDelayedPercent)")
    }
    var result = try reportingErrors {
      var definition = try ScenarioDefinition.load(path: file)
      if let fidelity { definition.simulation.fidelity = fidelity }
      if !faults.isEmpty { definition = try definition.addingFaults(flags: faults) }
      let prepared = try ScenarioRunner.prepare(definition)
      // The cost reports rank commitments to buy among the savings; the table shows none.
      let advisesPurchase = format != .table || output != nil
      guard let lineItemsPath else {
        return try ScenarioRunner.run(prepared, variants: variants, advisesPurchase: advisesPurchase)
      }
      guard FileManager.default.createFile(atPath: lineItemsPath, contents: nil),
        let handle = FileHandle(forWritingAtPath: lineItemsPath)
      else {
        throw ValidationError("cannot create the line-items file '\(lineItemsPath)'")
      }
      defer { try? handle.close() }
      var writer: FOCUSCSVWriter? = FOCUSCSVWriter(fileHandle: handle)
      let result = try ScenarioRunner.run(
        prepared, variants: variants, lineItems: &writer, advisesPurchase: advisesPurchase)
      if let writer {
        FileHandle.standardError.write(Data("capsim: wrote \(writer.rowCount) line items to \(lineItemsPath)\n".utf8))
      }
      return result
    }
    result.maxDelayedShare = maxDelayedPercent / 100
    if let output {
      try reportingErrors {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        for (name, text) in [("report.json", ComparisonReport.json(result)), ("report.html", RunReport.html(result))] {
          let url = URL(fileURLWithPath: output).appendingPathComponent(name)
          guard FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8)) else {
            throw ValidationError("cannot write '\(url.path)'")
          }
          FileHandle.standardError.write(Data("capsim: wrote \(url.path)\n".utf8))
        }
      }
    }
    switch format {
    case .table: print(ComparisonReport.table(result), terminator: "")
    case .json: print(ComparisonReport.json(result), terminator: "")
    case .html: print(RunReport.html(result), terminator: "")
    }
  }
}

extension Fidelity: ExpressibleByArgument {}
