import ArgumentParser
import Foundation
import Reporting
import Results
import Scenario

/// `capsim merge PART...`: the parts of a sharded run, combined into the unsharded output.
struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Combine the part files of a sharded run into the output the unsharded run writes.",
    discussion: """
      The parts must come from the same command, options, scenario content (SHA-256 of the \
      scenario and its data files), shard count and capsim version, with every shard 1...n \
      exactly once; anything else is an error naming the part. The output is the bytes the \
      unsharded command writes with the same --format and --output: sweep parts take the \
      sweep's --format (csv, jsonl), --output FILE and --summary; run and recommend parts take \
      --format table, json or html and --output DIR. Recommend parts also need the scenario \
      (--scenario FILE, checked against the parts' hash): the merge runs the recommendation's \
      adaptive steps (choice, usage, commitment planning) on the parts' search runs.

      Example:
        for i in 1 2 3 4; do capsim sweep scenarios/seoul-sweep.yaml --shard $i/4 --output part-$i; done
        capsim merge part-1 part-2 part-3 part-4 --output points.csv
        for i in 1 2 3; do capsim run scenarios/seoul-food-delivery.yaml --shard $i/3 --output run-$i; done
        capsim merge run-1 run-2 run-3 --format json
      """)

  @Argument(help: "The part files (any order).")
  var parts: [String]

  @Option(help: "Output format: sweep csv or jsonl (default csv); run and recommend table, json or html (default table).")
  var format: String?

  @Option(
    help: ArgumentHelp(
      "Sweep: write the rows to this file (the summary then goes to stdout). Run and recommend: also write the reports "
        + "to this directory, as they do.",
      valueName: "path"))
  var output: String?

  @Option(help: ArgumentHelp("Sweep: write the summary (Pareto fronts, cheapest point per SLO) to this file.", valueName: "file"))
  var summary: String?

  @Option(help: ArgumentHelp("Recommend: the scenario file the parts were made from.", valueName: "file"))
  var scenario: String?

  func run() throws {
    try reportingErrors {
      guard !parts.isEmpty else { throw ValidationError("give the part files to merge") }
      var files: [(path: String, text: String)] = []
      for path in parts {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read the part file '\(path)'") }
        guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("'\(path)' is not UTF-8 text") }
        files.append((path, text))
      }
      try merge(files)
    }
  }

  /// Merges parts held in memory (`path` names each in messages): the command's body, and
  /// what `--processes` runs on its local shards' parts.
  func merge(_ files: [(path: String, text: String)]) throws {
    do {
      let read = try ShardMerge.read(files)
      let command = read[0].header.command
      if command != "sweep" && summary != nil { throw ValidationError("--summary: only sweep parts have a summary") }
      if command != "recommend" && scenario != nil { throw ValidationError("--scenario: only recommend parts need the scenario") }
      switch command {
      case "sweep":
        var flags: [String] = []
        if format != nil { flags += ["--format", try reportFormat(SweepTableOptions.Format.self, default: "csv").rawValue] }
        if let output { flags += ["--output", output] }
        if let summary { flags += ["--summary", summary] }
        let table = try SweepTableOptions.parse(flags)
        let (schema, rows) = try ShardMerge.sweepRows(read)
        let writer = try SweepTableWriter(options: table, schema: schema)
        for row in rows { try writer.add(row) }
        try writer.finish()
      case "run":
        let format = try reportFormat(Run.Format.self, default: "table")
        var result = try ShardMerge.runResult(read)
        if format == .table && output == nil {
          // What the unsharded table run leaves out (the table shows none of it).
          result.purchaseAdvice = nil
          result.instanceTypeAlternatives = []
          result.headlineCapacityUnitsPerMinute = nil
        }
        try Run.write(result, format: format, output: output)
      case "recommend":
        let format = try reportFormat(Recommend.OutputFormat.self, default: "table")
        guard let scenario else {
          throw ValidationError(
            "recommend parts are merged with their scenario: give --scenario FILE (the parts' scenario SHA-256 is "
              + "\(read[0].header.scenarioSHA256))")
        }
        let runs = try ShardMerge.records(read, command: "recommend", as: RecommendShardRun.self, item: \.run)
        var recommend = try Recommend.parse([scenario] + read[0].header.arguments)
        recommend.output = output
        recommend.format = format
        let definition = try ScenarioDefinition.load(path: scenario)
        let hash = try definition.contentSHA256(scenarioPath: scenario)
        guard hash == read[0].header.scenarioSHA256 else {
          throw ValidationError(
            "\(scenario): not the scenario of these parts: its SHA-256 (with its data files) is \(hash), the parts' is "
              + "\(read[0].header.scenarioSHA256) (\(read[0].file))")
        }
        try recommend.runMerged(try ScenarioRunner.prepare(definition), runs: runs, parts: read)
      default:
        throw ValidationError("\(read[0].file): parts of 'capsim \(command)' cannot be merged by this capsim")
      }
    }
  }

  /// A merge of in-memory parts with these options (`--processes` of run, recommend).
  static func merging(
    _ files: [(path: String, text: String)], format: String?, output: String?, scenario: String? = nil
  ) throws {
    var arguments = ["--"] + files.map(\.path)
    if let scenario { arguments.insert(contentsOf: ["--scenario", scenario], at: 0) }
    if let output { arguments.insert(contentsOf: ["--output", output], at: 0) }
    if let format { arguments.insert(contentsOf: ["--format", format], at: 0) }
    try Merge.parse(arguments).merge(files)
  }

  /// `--format` read as the parts' command's format (`defaultFormat` when not given).
  func reportFormat<Format: RawRepresentable & CaseIterable>(
    _ type: Format.Type, default defaultFormat: String
  ) throws -> Format where Format.RawValue == String {
    guard let text = format else { return Format(rawValue: defaultFormat)! }
    guard let value = Format(rawValue: text) else {
      throw ValidationError(
        "--format: expected \(Format.allCases.map(\.rawValue).joined(separator: ", ")) for these parts, found '\(text)'")
    }
    return value
  }
}
