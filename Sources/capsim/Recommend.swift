import Advisor
import ArgumentParser
import Billing
import Foundation
import Reporting
import Results
import Scenario

/// `capsim recommend FILE`: scaling policy and commitment recommendations together.
struct Recommend: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Recommend scaling policies and RI/Savings Plans purchases for a scenario.",
    discussion: """
      Searches policy variants (target values, warm-up, scheduled floors before the daily \
      peaks, predictive scaling) on the scenario's demand and on forecast demand paths, \
      keeps the cheapest that meets the SLO, simulates it on the forecast paths and plans \
      the commitment portfolio exactly on that usage, beside Cost Explorer-style \
      recommendations that look back on the current policy's usage. --backtest-days holds \
      out the last days and bills both purchases on them as they happened.

      Examples:
        capsim recommend scenarios/seoul-food-delivery.yaml
        capsim recommend scenarios/nyc-taxi.yaml --backtest-days 14 --format json
        capsim recommend scenarios/seoul-food-delivery.yaml --output out/
        capsim recommend scenarios/seoul-food-delivery.yaml --format html > dashboard.html
        capsim recommend scenarios/seoul-food-delivery-types.yaml --types m5.large,m7g.large

      When the scenario's capacity.unitsPerMinute lists several instance types, each type \
      is searched (its capacity, its prices, its own optimal commitments) and the cheapest \
      SLO-meeting type and policy is recommended, with what moving family would save.
      """
  )

  @Argument(help: "Scenario file.")
  var file: String

  @Option(name: .customLong("policy"), help: "The variant whose policies are current (default: the first).")
  var variant: String?

  @Option(help: "SLO: largest share of demand delayed, percent (default 0.1).")
  var maxDelayedPercent: Double?

  @Option(help: "SLO instead: largest minutes per day above this CPU percent, as PERCENT:MINUTES (e.g. 80:30).")
  var maxMinutesAboveCPU: String?

  @Option(
    help: ArgumentHelp(
      "SLO instead: latency percentile at most MS milliseconds, as PERCENTILE:MS (e.g. 99:250); needs a serving block. "
        + "Default with a serving block and an slo in the scenario: that SLO.",
      valueName: "percentile:ms"))
  var latencySLO: String?

  @Option(help: "Latency SLO: how many of the best variants (ranked in queueing fidelity) are re-run request by request.")
  var requestLevelCandidates = 5

  @Option(
    help: "Weighted objective instead: minimize cost plus this many USD per unit beyond the SLO limit (per delayed demand unit, or per minute above the CPU threshold).")
  var usdPerViolation: Double?

  @Option(help: "Target values to search, comma-separated (default 40 to 75 step 5).")
  var targets: String?

  @Option(help: "Instance warm-up seconds to search, comma-separated (default 60,180,300).")
  var warmups: String?

  @Option(
    help: ArgumentHelp(
      "Instance types to search beside the fleet's own, comma-separated (default: every type capacity.unitsPerMinute lists).",
      valueName: "types"))
  var types: String?

  @Option(help: "Days of forecast demand paths to search and plan on.")
  var forecastDays = 14

  @Option(help: "Forecast demand paths.")
  var paths = 8

  @Option(name: .customLong("holidays"), help: "Holidays for the demand forecast: 'us', 'kr' or a date,name CSV.")
  var holidaysPath: String?

  @Option(help: "Backtest: hold out the last N days, recommend from the rest, bill them as they happened.")
  var backtestDays: Int?

  @Option(help: "Backtest from this many origins: the usual split, then the history cut --backtest-step-days earlier each time.")
  var backtestOrigins = 1

  @Option(help: "Days between backtest origins.")
  var backtestStepDays = 7

  @OptionGroup(title: "What may be bought")
  var purchase: PurchaseOptions

  @Option(help: "Output format: table, json or html (a self-contained dashboard page).")
  var format: OutputFormat = .table

  enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, html
  }

  @Option(help: "Also write recommendation.json, dashboard.html, the recommended policies as AWS CLI JSON and a CloudFormation template here.")
  var output: String?

  @Option(
    help: ArgumentHelp(
      "Run the i-th of n slices of the policy searches' ranking runs (i from 1) and write a part file (to --output FILE "
        + "or stdout) for capsim merge --scenario FILE.",
      valueName: "i/n"))
  var shard: String?

  @Option(
    help: ArgumentHelp(
      "Run the ranking runs as n shards in n local processes of capsim, then merge them here (the same bytes).",
      valueName: "n"))
  var processes: Int?

  func run() throws {
    if let processes {
      guard shard == nil else { throw ValidationError("--processes runs every shard itself; give it without --shard") }
      try reportingErrors {
        // A bad scenario or option is reported once, before any process starts.
        let definition = try ScenarioDefinition.load(path: file)
        _ = try recommendationOptions(definition)
        let parts = try LocalShards.run(arguments: ["recommend", file] + canonicalArguments, count: processes)
        try Merge.merging(parts, format: format.rawValue, output: output, scenario: file)
      }
      return
    }
    if let shard {
      try runShard(shard)
      return
    }
    try reportingErrors {
      let definition = try ScenarioDefinition.load(path: file)
      let prepared = try ScenarioRunner.prepare(definition)
      var options = try recommendationOptions(definition)
      options.progress = ProgressLine.onTerminal()
      let recommendation = try ScenarioRecommender.recommend(prepared, options: options)
      ProgressLine.clear()
      try write(recommendation)
    }
  }

  /// The options that change the recommendation, as flags in a fixed order: a part
  /// header's `arguments`, which `capsim merge` parses back (`--format`, `--output` and
  /// `--shard` are not among them).
  var canonicalArguments: [String] {
    var arguments: [String] = []
    func add(_ flag: String, _ value: String?) { if let value { arguments += [flag, value] } }
    add("--policy", variant)
    add("--max-delayed-percent", maxDelayedPercent.map { "\($0)" })
    add("--max-minutes-above-cpu", maxMinutesAboveCPU)
    add("--latency-slo", latencySLO)
    add("--request-level-candidates", "\(requestLevelCandidates)")
    add("--usd-per-violation", usdPerViolation.map { "\($0)" })
    add("--targets", targets)
    add("--warmups", warmups)
    add("--types", types)
    add("--forecast-days", "\(forecastDays)")
    add("--paths", "\(paths)")
    add("--holidays", holidaysPath)
    add("--backtest-days", backtestDays.map { "\($0)" })
    add("--backtest-origins", "\(backtestOrigins)")
    add("--backtest-step-days", "\(backtestStepDays)")
    add("--term", purchase.term)
    add("--payment", purchase.payment)
    add("--kinds", purchase.kinds)
    add("--ri-class", purchase.riClass)
    add("--max-coverage", purchase.maxCoverage.map { "\($0)" })
    add("--max-hourly-commitment", purchase.maxHourlyCommitment.map { "\($0)" })
    add("--max-upfront", purchase.maxUpfront.map { "\($0)" })
    add("--ladder-months", purchase.ladderMonths.map { "\($0)" })
    return arguments
  }

  /// `--shard i/n`: the i-th strided slice of every ranking run the recommendation's
  /// policy searches start with (`ScenarioRecommender.rankingSearches`), written as a part.
  func runShard(_ text: String) throws {
    guard let slice = Shard(parsing: text) else {
      throw ValidationError("--shard: expected i/n with 1 <= i <= n <= \(Shard.maximumCount), such as 2/8, found '\(text)'")
    }
    if format != .table {
      throw ValidationError("--shard writes a part file; give --format to capsim merge instead")
    }
    try reportingErrors {
      let definition = try ScenarioDefinition.load(path: file)
      let prepared = try ScenarioRunner.prepare(definition)
      let options = try recommendationOptions(definition)
      let searches = try ScenarioRecommender.rankingSearches(prepared, options: options)
      let total = searches.reduce(0) { $0 + $1.runs.runCount }
      let runs = try ScenarioRecommender.rankingRuns(searches, runs: slice.items(of: total), workers: options.workerCount)
      let header = ShardPartHeader(
        command: "recommend", arguments: canonicalArguments, scenarioSHA256: try definition.contentSHA256(scenarioPath: file),
        shard: slice, totalPoints: total, capsimVersion: Capsim.configuration.version, sweep: nil)
      let sink = try OutputFile(path: output)
      try sink.write(header.line())
      for run in runs { try sink.write(try ShardRecordCoding.line(run)) }
      try sink.close()
    }
  }

  /// The merge of `recommend` parts: the recommendation with the parts' runs taken instead
  /// of simulated (`PolicyRunLedger`), written as this command writes it.
  func runMerged(_ prepared: PreparedScenario, runs: [RecommendShardRun], parts: [ShardMerge.Part]) throws {
    var options = try recommendationOptions(prepared.definition)
    let ledger = PolicyRunLedger(Dictionary(runs.map { ($0.key, $0.evaluation) }, uniquingKeysWith: { first, _ in first }))
    options.recordedRuns = ledger
    options.progress = ProgressLine.onTerminal()
    let recommendation = try ScenarioRecommender.recommend(prepared, options: options)
    ProgressLine.clear()
    if let unused = ledger.untaken.first {
      let part = runs.firstIndex { $0.key == unused }.flatMap { index in
        parts.first { Shard(index: $0.header.shard, count: $0.header.shards).items(of: $0.header.totalPoints).contains(runs[index].run) }
      }
      throw ValidationError(
        "\(part?.file ?? "a part"): holds a run this recommendation never makes (\(unused)): not a part of this scenario and these options")
    }
    try write(recommendation)
  }

  func recommendationOptions(_ definition: ScenarioDefinition) throws -> RecommendationOptions {
    var options = RecommendationOptions()
    options.currentVariant = variant
    if maxDelayedPercent != nil || maxMinutesAboveCPU != nil || latencySLO != nil { options.usesScenarioLatencySLO = false }
    if let text = latencySLO {
      let parts = text.split(separator: ":")
      guard parts.count == 2, let p = Double(parts[0]), let ms = Double(parts[1]), p > 0, p < 100, ms > 0, ms <= 3_600_000 else {
        throw ValidationError("--latency-slo: expected PERCENTILE:MS such as 99:250, found '\(text)'")
      }
      options.objective = .minimumCost(ServiceLevelObjective(metric: .latencyPercentile(p), limit: ms / 1_000))
    }
    guard (1...50).contains(requestLevelCandidates) else {
      throw ValidationError("--request-level-candidates: expected 1 to 50, found \(requestLevelCandidates)")
    }
    options.requestLevelCandidates = requestLevelCandidates
    if let percent = maxDelayedPercent {
      guard percent >= 0, percent <= 100 else { throw ValidationError("--max-delayed-percent: expected 0 to 100, found \(percent)") }
      options.objective = .minimumCost(ServiceLevelObjective(metric: .delayedShare, limit: percent / 100))
    }
    if let text = maxMinutesAboveCPU {
      let parts = text.split(separator: ":")
      guard parts.count == 2, let cpu = Double(parts[0]), let minutes = Double(parts[1]), cpu > 0, cpu <= 100, minutes >= 0 else {
        throw ValidationError("--max-minutes-above-cpu: expected PERCENT:MINUTES such as 80:30, found '\(text)'")
      }
      options.objective = .minimumCost(ServiceLevelObjective(metric: .minutesAboveCPU(thresholdPercent: cpu), limit: minutes))
    }
    if let weight = usdPerViolation {
      guard weight >= 0, weight.isFinite else { throw ValidationError("--usd-per-violation: expected a number of USD >= 0, found \(weight)") }
      options.objective = .weightedScore(options.objective.serviceLevel, usdPerViolationUnit: weight)
    }
    guard (1...90).contains(forecastDays) else { throw ValidationError("--forecast-days: expected 1 to 90, found \(forecastDays)") }
    guard (1...200).contains(paths) else { throw ValidationError("--paths: expected 1 to 200, found \(paths)") }
    options.forecastDays = forecastDays
    options.forecastPaths = paths
    if let holidaysPath {
      options.holidays = try holidayCalendar(named: holidaysPath, timeZone: TimeZone(identifier: "UTC")!)
    }
    if let days = backtestDays {
      guard (1...3_660).contains(days) else { throw ValidationError("--backtest-days: expected 1 to 3660, found \(days)") }
      options.backtestDays = days
    }
    guard (1...52).contains(backtestOrigins) else { throw ValidationError("--backtest-origins: expected 1 to 52, found \(backtestOrigins)") }
    guard (1...366).contains(backtestStepDays) else { throw ValidationError("--backtest-step-days: expected 1 to 366, found \(backtestStepDays)") }
    guard backtestOrigins == 1 || backtestDays != nil else {
      throw ValidationError("--backtest-origins: needs --backtest-days (the days each origin holds out)")
    }
    options.backtestOrigins = backtestOrigins
    options.backtestStepDays = backtestStepDays
    options.offerings = try purchase.offerings()
    options.caps = try purchase.caps()
    options.ladderMonths = try purchase.ladder()
    if let types {
      let names = types.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      guard names.allSatisfy({ !$0.isEmpty }) else {
        throw ValidationError("--types: expected comma-separated instance types such as m5.large,m7g.large, found '\(types)'")
      }
      options.instanceTypes = names
    }
    if targets != nil || warmups != nil {
      func numbers(_ text: String, _ option: String) throws -> [Double] {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0!.isFinite && $0! >= 0 }) else {
          throw ValidationError("--\(option): expected comma-separated numbers, found '\(text)'")
        }
        return values.map { $0! }
      }
      let current = definition.hasServices ? definition.services.first?.policies ?? [] : definition.variants[0].policies
      var space = RecommendationOptions.defaultSpace(for: current)
      if let targets { space.targetValues = try numbers(targets, "targets") }
      if let warmups { space.warmupSeconds = try numbers(warmups, "warmups") }
      options.space = space
    }
    return options
  }

  /// Writes the recommendation as `--format` and `--output` ask.
  func write(_ recommendation: ScenarioRecommendation) throws {
    let json = RecommendationReport.json(recommendation)
    if let output {
      try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
      var files: [(String, String)] = [("recommendation.json", json), ("dashboard.html", RecommendationReport.html(recommendation))]
      for fleet in recommendation.fleets {
        let export = try RecommendationReport.export(fleet, recommendation: recommendation)
        let prefix = recommendation.fleets.count > 1 ? "\(fleet.name)/" : ""
        files += try export.cliDocuments().map { (prefix + $0.fileName, $0.text) }
        files.append((prefix + "template.yaml", try export.cloudFormationTemplate()))
      }
      for (name, text) in files {
        let url = URL(fileURLWithPath: output).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8)) else {
          throw ValidationError("cannot write '\(url.path)'")
        }
        FileHandle.standardError.write(Data("capsim: wrote \(url.path)\n".utf8))
      }
    }
    switch format {
    case .table: print(RecommendationReport.table(recommendation), terminator: "")
    case .json: print(json, terminator: "")
    case .html: print(RecommendationReport.html(recommendation), terminator: "")
    }
  }
}
