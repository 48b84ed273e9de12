import ArgumentParser
import Foundation
import Reporting
import Results
import Scenario

/// `capsim sweep FILE`: every point of the scenario's `sweep:` grid, simulated and billed.
struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate and bill every point of a scenario's sweep grid; one row per point.",
    discussion: """
      The scenario's sweep: block patches its base variant with one value per axis (policy \
      parameters, instance type, group sizes, demand what-ifs, seeds); each point is run and \
      billed as capsim run runs a variant. Rows stream in point order as CSV or JSON Lines; \
      the summary gives each scenario's Pareto front (cost against the first SLO's metric) \
      and the cheapest point meeting each SLO. See docs/sweeps.md.

      --shard i/n runs points i-1, i-1+n, ... and writes a part file instead; capsim merge \
      combines the n parts into exactly the unsharded output.

      Examples:
        capsim sweep scenarios/seoul-sweep.yaml --output points.csv
        capsim sweep scenarios/seoul-sweep.yaml --format jsonl --summary summary.txt > points.jsonl
        capsim sweep scenarios/seoul-sweep.yaml --shard 2/4 --output part-2.capsim-part
        capsim merge part-*.capsim-part --output points.csv

      --emit k8s|batch|stepfunctions writes the documents that run the shards on Kubernetes (an \
      Indexed Job), AWS Batch (an array job) or Step Functions (a Distributed Map) and then \
      the merge, instead of running anything:
        capsim sweep scenarios/seoul-sweep.yaml --emit k8s --shards 8 --image registry.example.com/capsim:1.0 > sweep.yaml
      """)

  @Argument(help: "The scenario YAML file with a sweep: block.", completion: .file(extensions: ["yaml", "yml"]))
  var file: String

  @OptionGroup var table: SweepTableOptions

  @Option(help: ArgumentHelp("Run the i-th of n slices of the grid (i from 1) and write a part file for capsim merge.", valueName: "i/n"))
  var shard: String?

  @Option(help: ArgumentHelp("Points simulated at once, on threads of each process (default: every core, shared among --processes).", valueName: "n"))
  var jobs: Int?

  @Option(help: ArgumentHelp("Run the grid as n shards in n local processes of capsim, then merge them (the same bytes).", valueName: "n"))
  var processes: Int?

  @OptionGroup var deployment: SweepEmitOptions

  func run() throws {
    if let jobs, !(1...1_024).contains(jobs) { throw ValidationError("--jobs: expected 1 to 1024, found \(jobs)") }
    let slice = try shard.map { text in
      guard let parsed = Shard(parsing: text) else {
        throw ValidationError("--shard: expected i/n with 1 <= i <= n <= \(Shard.maximumCount), such as 2/8, found '\(text)'")
      }
      return parsed
    }
    if slice != nil, table.format != nil || table.summary != nil {
      throw ValidationError("--shard writes a part file; give --format and --summary to capsim merge instead")
    }
    if let engine = deployment.emit {
      if slice != nil { throw ValidationError("--emit writes the documents that run every shard; --shard is for one shard") }
      if processes != nil { throw ValidationError("--emit writes the documents for an engine; --processes runs the shards here") }
      if table.summary != nil { throw ValidationError("--emit writes documents; the merge writes the summary (docs/sweeps.md)") }
      try reportingErrors {
        let plan = try SweepPlan.load(path: file)
        let documents = try deployment.deployment(
          engine: engine, plan: plan, file: file, format: (table.format ?? .csv).rawValue, jobs: jobs
        ).documents()
        let sink = try OutputFile(path: table.output)
        try sink.write(documents)
        try sink.close()
      }
      return
    }
    if let option = deployment.givenWithoutEmit { throw ValidationError("\(option) is an option of --emit; give --emit k8s, batch or stepfunctions") }
    if let processes {
      guard slice == nil else { throw ValidationError("--processes runs every shard itself; give it without --shard") }
      return try runInProcesses(processes)
    }
    try reportingErrors {
      let plan = try SweepPlan.load(path: file)
      let schema = plan.schema
      let points = slice?.items(of: plan.pointCount) ?? Array(0..<plan.pointCount)
      let progress = SweepProgress(total: points.count)
      if let slice {
        let header = ShardPartHeader(
          command: "sweep", arguments: [], scenarioSHA256: try plan.definition.contentSHA256(scenarioPath: file),
          shard: slice, totalPoints: plan.pointCount, capsimVersion: Capsim.configuration.version, sweep: schema)
        let sink = try OutputFile(path: table.output)
        try sink.write(header.line())
        try SweepRunner.run(plan, points: points, jobs: jobs) { result in
          try sink.write(SweepTable.partLine(SweepTable.cells(of: result, schema: schema)))
          progress.advance()
        }
        progress.finish()
        try sink.close()
        return
      }
      let writer = try SweepTableWriter(options: table, schema: schema)
      try SweepRunner.run(plan, points: points, jobs: jobs) { result in
        try writer.add(SweepTable.cells(of: result, schema: schema))
        progress.advance()
      }
      progress.finish()
      try writer.finish()
    }
  }
}

extension Sweep {
  /// `--processes n`: the n shards as local processes, merged into the table and summary.
  func runInProcesses(_ count: Int) throws {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let threads = jobs ?? max(1, cores / max(1, count))
    try reportingErrors {
      // The grid is read here first, so a bad file is reported once, not by every shard.
      let plan = try SweepPlan.load(path: file)
      try plan.validateEveryPoint()
      let progress = SweepProgress(total: plan.pointCount)
      let parts = try LocalShards.run(
        arguments: ["sweep", file, "--jobs", String(threads)], count: count,
        progress: ProgressLine.isTerminal ? { progress.show(done: $0) } : nil)
      progress.finish()
      let (schema, rows) = try ShardMerge.sweepRows(try ShardMerge.read(parts))
      let writer = try SweepTableWriter(options: table, schema: schema)
      for row in rows { try writer.add(row) }
      try writer.finish()
    }
  }
}

/// Where a sweep's table and summary go: the same for `sweep` and `merge`.
struct SweepTableOptions: ParsableArguments {
  enum Format: String, ExpressibleByArgument, CaseIterable {
    case csv, jsonl
  }

  @Option(help: "Row format: csv or jsonl (JSON Lines); default csv.")
  var format: Format?

  @Option(help: ArgumentHelp("Write the rows (or the part) to this file instead of stdout; the summary then goes to stdout.", valueName: "file"))
  var output: String?

  @Option(help: ArgumentHelp("Write the summary (Pareto fronts, cheapest point per SLO) to this file.", valueName: "file"))
  var summary: String?
}

/// Streams a sweep table's rows as they come, then the summary.
final class SweepTableWriter {
  let options: SweepTableOptions
  let schema: SweepSchema
  let sink: OutputFile
  var rows: [SweepTable.Cells] = []

  var headerWritten = false

  init(options: SweepTableOptions, schema: SweepSchema) throws {
    self.options = options
    self.schema = schema
    sink = try OutputFile(path: options.output)
  }

  /// The CSV header goes out with the first row (or at the end of an empty table), so a sweep
  /// that fails while decoding its points writes nothing to stdout.
  func writeHeaderOnce() throws {
    guard !headerWritten else { return }
    headerWritten = true
    if (options.format ?? .csv) == .csv { try sink.write(SweepTable.csvHeader(schema)) }
  }

  func add(_ cells: SweepTable.Cells) throws {
    try writeHeaderOnce()
    switch options.format ?? .csv {
    case .csv: try sink.write(SweepTable.csvLine(cells))
    case .jsonl: try sink.write(SweepTable.jsonLine(cells, schema: schema))
    }
    rows.append(cells)
  }

  func finish() throws {
    try writeHeaderOnce()
    try sink.close()
    let summary = SweepSummary.text(rows, schema: schema)
    if let path = options.summary {
      let file = try OutputFile(path: path)
      try file.write(summary)
      try file.close()
    } else if options.output != nil {
      print(summary, terminator: "")
    }
  }
}

/// A file (or stdout) written in pieces; a failed write is an error naming the file.
final class OutputFile {
  let path: String?
  let handle: FileHandle

  init(path: String?) throws {
    self.path = path
    guard let path else {
      handle = FileHandle.standardOutput
      return
    }
    guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
      throw ValidationError("cannot create '\(path)'")
    }
    self.handle = handle
  }

  func write(_ text: String) throws {
    do { try handle.write(contentsOf: Data(text.utf8)) } catch {
      throw ValidationError("cannot write to '\(path ?? "stdout")': \(error.localizedDescription)")
    }
  }

  func close() throws {
    if path != nil { try handle.close() }
  }
}

/// "sweep: 37 / 144 points, 12.3 points/s, 9 s left" on stderr, only when stderr is a terminal.
final class SweepProgress {
  let total: Int
  let started = Date()
  var done = 0
  var lastDrawn = Date.distantPast

  init(total: Int) { self.total = total }

  func advance() { show(done: done + 1) }

  /// Draws `done` points (at most five times a second, and at the end).
  func show(done: Int) {
    self.done = done
    guard ProgressLine.isTerminal else { return }
    let now = Date()
    guard now.timeIntervalSince(lastDrawn) >= 0.2 || done == total else { return }
    lastDrawn = now
    let elapsed = max(now.timeIntervalSince(started), 1e-9)
    let rate = Double(done) / elapsed
    let left = rate > 0 ? Double(total - done) / rate : 0
    let line = String(format: "sweep: %d / %d points, %.1f points/s, %.0f s left", done, total, rate, left)
    FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
  }

  func finish() { ProgressLine.clear() }
}
