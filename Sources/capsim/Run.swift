import ArgumentParser
import AutoScaling
import Billing
import Foundation
import Reporting
import Results
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

  @Option(
    help: ArgumentHelp(
      "Run the i-th of n slices of the run's items (variants; with services, the run and its disruption "
        + "counterfactuals), i from 1, and write a part file (to --output FILE or stdout) for capsim merge.",
      valueName: "i/n"))
  var shard: String?

  @Option(
    help: ArgumentHelp(
      "Run the items as n shards in n local processes of capsim, then merge them (the same bytes).", valueName: "n"))
  var processes: Int?

  func run() throws {
    guard maxDelayedPercent.isFinite, (0...100).contains(maxDelayedPercent) else {
      throw ValidationError("--max-delayed-percent: expected a percentage from 0 to 100, found \(maxDelayedPercent)")
    }
    if let processes {
      guard shard == nil else { throw ValidationError("--processes runs every shard itself; give it without --shard") }
      if lineItemsPath != nil { throw ValidationError("--line-items cannot be sharded: run it without --processes") }
      try reportingErrors {
        // A bad scenario or option is reported once, before any process starts.
        _ = try prepare()
        let parts = try LocalShards.run(arguments: ["run", file] + canonicalArguments, count: processes)
        try Merge.merging(parts, format: format.rawValue, output: output)
      }
      return
    }
    if let shard {
      try runShard(shard)
      return
    }
    var result = try reportingErrors {
      let (_, prepared) = try prepare()
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
    try Self.write(result, format: format, output: output)
  }

  /// The scenario with `--fidelity` and `--fault` applied, prepared; with `hashing`, the
  /// SHA-256 of the scenario as written (its file and data files) too.
  func prepare(hashing: Bool = false) throws -> (sha256: String?, PreparedScenario) {
    var definition = try ScenarioDefinition.load(path: file)
    let hash = hashing ? try definition.contentSHA256(scenarioPath: file) : nil
    if let fidelity { definition.simulation.fidelity = fidelity }
    if !faults.isEmpty { definition = try definition.addingFaults(flags: faults) }
    return (hash, try ScenarioRunner.prepare(definition))
  }

  /// The options that change the result, as flags in a fixed order (a part header's
  /// `arguments`; `--format`, `--output` and `--shard` are not among them).
  var canonicalArguments: [String] {
    variants.flatMap { ["--policy", $0] } + (fidelity.map { ["--fidelity", $0.rawValue] } ?? [])
      + ["--max-delayed-percent", "\(maxDelayedPercent)"] + faults.flatMap { ["--fault", $0] }
  }

  /// `--shard i/n`: the i-th strided slice of the run's items (`ScenarioRunner.runShard`),
  /// written as a part. Every item is computed for the cost reports (purchase advice and
  /// instance-type alternatives with item 0), so one set of parts merges to every format.
  func runShard(_ text: String) throws {
    guard let slice = Shard(parsing: text) else {
      throw ValidationError("--shard: expected i/n with 1 <= i <= n <= \(Shard.maximumCount), such as 2/8, found '\(text)'")
    }
    if format != .table { throw ValidationError("--shard writes a part file; give --format to capsim merge instead") }
    if lineItemsPath != nil { throw ValidationError("--line-items cannot be sharded: run it without --shard") }
    try reportingErrors {
      let (hash, prepared) = try prepare(hashing: true)
      let total = try ScenarioRunner.shardItemCount(prepared, variants: variants)
      var items = try ScenarioRunner.runShard(prepared, variants: variants, items: slice.items(of: total), advisesPurchase: true)
      for index in items.indices { items[index].result.maxDelayedShare = maxDelayedPercent / 100 }
      let header = ShardPartHeader(
        command: "run", arguments: canonicalArguments, scenarioSHA256: hash ?? "",
        shard: slice, totalPoints: total, capsimVersion: Capsim.configuration.version, sweep: nil)
      let sink = try OutputFile(path: output)
      try sink.write(header.line())
      for item in items { try sink.write(try ShardRecordCoding.line(item)) }
      try sink.close()
    }
  }

  /// Writes a run's result as `--format` and `--output` ask (the unsharded run and the merge).
  static func write(_ result: ScenarioResult, format: Format, output: String?) throws {
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
