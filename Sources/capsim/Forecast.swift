import ArgumentParser
import Forecasting
import Foundation
import Reporting
import Simulation
import Workload

struct Forecast: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Forecast a demand series with prediction intervals, or backtest it.",
    discussion: """
      Fits a seasonal regression (trend with changepoints, daily and weekly Fourier terms, \
      AR residuals; orders, ridge penalty and log scale chosen by cross-validation) and \
      prints the forecast in units per minute with conformal intervals. With --backtest, \
      holds out the last horizon instead and scores the model beside the daily and weekly \
      seasonal naive baselines (MASE scaled by the in-sample weekly seasonal naive MAE).

      Examples:
        capsim forecast scenarios/data/nyc_taxi.csv --horizon 14d --interval 1h
        capsim forecast scenarios/data/nyc_taxi.csv --horizon 7d --backtest
        capsim forecast scenarios/seoul-food-delivery.yaml   # its demand and forecast: block
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
  }

  @Argument(
    help: "A timestamp,value CSV file, AWS CLI CloudWatch JSON (.json), or a scenario (.yaml) whose demand and forecast: block to use.",
    completion: .file(extensions: ["csv", "json", "yaml", "yml"]))
  var file: String

  @Option(help: ArgumentHelp("How far ahead: a number with s, m, h, d or w (14d, 36h); default: the scenario's.", valueName: "duration"))
  var horizon: String?

  @Option(help: ArgumentHelp("Resample to this interval first (1h, 30m); default: the file's.", valueName: "duration"))
  var interval: String?

  @Option(help: ArgumentHelp("Interval coverage levels in percent, comma-separated (default: 80,95, or the scenario's).", valueName: "levels"))
  var levels: String?

  @Option(
    name: .customLong("holidays"),
    help: ArgumentHelp(
      "Holidays to fit: 'us' (shipped US federal holidays plus Christmas Eve, New Year's Eve and the day after Thanksgiving), 'kr' (shipped South Korean public holidays, 2014-2015), or a date,name CSV (YYYY-MM-DD).",
      valueName: "us|kr|csv"),
    completion: .file(extensions: ["csv"]))
  var holidaysPath: String?

  @Option(help: ArgumentHelp("The time zone whose midnight starts each holiday (Asia/Seoul).", valueName: "zone"))
  var holidayTimeZone: String = "UTC"

  @Flag(help: "Add the shipped South Korean public holidays (2014-2015, Asia/Seoul) as holidays.")
  var koreanHolidays = false

  @Flag(help: "Score the last horizon instead of forecasting past the end.")
  var backtest = false

  @Option(help: ArgumentHelp("With --backtest: rolling origins, one horizon apart, latest last.", valueName: "count"))
  var origins: Int = 1

  @Option(help: "Output format: table for people, json for tools, csv for spreadsheets.")
  var format: Format = .table

  static func seconds(_ text: String, option: String) throws -> Double {
    // The same grammar as durations in scenario files (SimTime.parse).
    guard let seconds = SimTime.parse(text), seconds > 0 else {
      throw ValidationError("--\(option) should be a positive number followed by s, m, h, d or w (like 14d), found '\(text)'")
    }
    return seconds
  }

  func run() throws {
    // A scenario supplies the demand and defaults for every option it declares.
    let scenario = Self.isScenarioFile(file) ? try reportingErrors { try Self.scenarioDemand(file) } : nil
    let declared = scenario?.declared
    let levelsText = levels ?? "80,95"
    var levelValues = try levelsText.split(separator: ",").map { part -> Double in
      guard let percent = Double(part.trimmingCharacters(in: .whitespaces)), percent > 0, percent < 100 else {
        throw ValidationError("--levels should be percentages between 0 and 100 like 80,95, found '\(levelsText)'")
      }
      return percent / 100
    }
    if levels == nil, let declared { levelValues = declared.levelsPercent.map { $0 / 100 } }
    guard horizon != nil || declared != nil else {
      throw ValidationError(
        "missing --horizon (like 14d)" + (scenario == nil ? "" : "; or declare forecast: {horizon: 14d} in the scenario"))
    }
    let horizonSeconds = try horizon.map { try Self.seconds($0, option: "horizon") } ?? declared!.horizonSeconds
    guard horizonSeconds <= 3_660 * 86_400 else {
      throw ValidationError("--horizon should be at most 3660d (10 years), found '\(horizon ?? "")'")
    }
    let intervalSeconds = try interval.map { try Self.seconds($0, option: "interval") } ?? declared?.intervalSeconds
    if let interval, let seconds = intervalSeconds, seconds > 86_400 {
      // The model's terms are daily and weekly: an interval longer than a day has no daily shape.
      throw ValidationError("--interval should be at most 1d (the model fits daily and weekly shapes), found '\(interval)'")
    }
    guard let holidayZone = TimeZone(identifier: holidayTimeZone) else {
      throw ValidationError("--holiday-time-zone should be an IANA zone like Asia/Seoul, found '\(holidayTimeZone)'")
    }
    let output: String = try reportingErrors {
      let options = DemandLoadOptions(gaps: .interpolate)
      var demand =
        try scenario?.demand
        ?? (file.lowercased().hasSuffix(".json")
          ? try DemandSeries.loadCloudWatchJSON(path: file, options: options)
          : try DemandSeries.loadCSV(path: file, options: options))
      if let intervalSeconds { demand = try demand.resampled(toIntervalSeconds: intervalSeconds) }
      let series = ObservedSeries(demand)
      let steps = max(1, Int((horizonSeconds / series.intervalSeconds).rounded()))
      var modelSettings = SeasonalRegressionConfiguration()
      if let holidaysPath { modelSettings.holidays = try capsim.holidayCalendar(named: holidaysPath, timeZone: holidayZone) }
      if holidaysPath == nil, !koreanHolidays, let name = declared?.holidays {
        modelSettings.holidays = Self.holidayCalendar(name)  // the scenario's, unless a flag names holidays
      }
      if koreanHolidays {
        modelSettings.holidays = HolidayCalendar.koreanPublicHolidays.merging(
          modelSettings.holidays ?? HolidayCalendar(timeZone: holidayZone))
      }
      if backtest {
        let result = try Backtest.run(
          series, horizon: steps, originCount: origins, levels: levelValues, configuration: modelSettings)
        FileHandle.standardError.write(Data("capsim: fit+forecast \(String(format: "%.2f", result.fitSeconds)) s\n".utf8))
        return ForecastReport.backtest(result, file: file, format: format)
      }
      let model = try SeasonalRegression.fit(series, horizon: steps, configuration: modelSettings)
      let forecast = try model.forecast(steps: steps, levels: levelValues)
      return ForecastReport.forecast(forecast, selection: model.selection, format: format)
    }
    print(output, terminator: "")
  }
}

/// Text renderings of forecasts and backtests for the `forecast` subcommand.
enum ForecastReport {
  static func percent(_ level: Double) -> String { String(Int((level * 100).rounded())) }

  /// To 4 decimals, as the table prints it; null when not finite.
  static func rounded(_ value: Double) -> JSONValue {
    value.isFinite ? .rounded(value, places: 4) : .null
  }

  static func number(_ value: Double) -> String {
    value.isFinite ? String(format: "%.4f", value) : "null"
  }

  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }

  /// The chosen model in one line: orders, penalty, scale, recency, and what the robust
  /// prefit found.
  static func describe(_ s: ModelSelection) -> String {
    var text = "daily order \(s.dailyOrder), weekly order \(s.weeklyOrder), ridge \(s.ridgePenalty), "
    text += "\(s.isLogTransformed ? "log" : "linear") scale, recency half-life \(s.recencyHalfLifeDays.map { "\(Int($0)) d" } ?? "none")"
    if let shift = s.levelShiftIndex { text += ", level shift fitted from point \(shift)" }
    if s.downweightedPoints > 0 { text += ", \(s.downweightedPoints) outlying points down-weighted" }
    return text
  }

  static func forecast(_ forecast: Forecasting.Forecast, selection: ModelSelection, format: Forecast.Format) -> String {
    let headers = ["timestamp", "mean"] + forecast.intervals.flatMap { ["lo-\(percent($0.level))", "hi-\(percent($0.level))"] }
    let rows: [[String]] = forecast.mean.indices.map { i in
      [timestamp(forecast.start.addingTimeInterval(Double(i) * forecast.intervalSeconds)), number(forecast.mean[i])]
        + forecast.intervals.flatMap { [number($0.lower[i]), number($0.upper[i])] }
    }
    switch format {
    case .csv:
      return ([headers] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    case .table:
      var out = "model: \(describe(selection)); units per minute\n"
      out += headers.enumerated().map { i, cell in
        i == 0 ? cell.padding(toLength: 20, withPad: " ", startingAt: 0) : String(repeating: " ", count: max(0, 12 - cell.count)) + cell
      }.joined(separator: " ") + "\n"
      for row in rows {
        out += row.enumerated().map { i, cell in
          i == 0 ? cell.padding(toLength: 20, withPad: " ", startingAt: 0) : String(repeating: " ", count: max(0, 12 - cell.count)) + cell
        }.joined(separator: " ") + "\n"
      }
      return out
    case .json:
      // The shared JSON writer (escaped strings, fixed key order); numbers as the table shows them.
      func value(_ key: String, _ text: String) -> JSONValue {
        key == "timestamp" ? .string(text) : (Double(text).map(JSONValue.number) ?? .null)
      }
      let points = rows.map { row in JSONValue.object(zip(headers, row).map { ($0, value($0, $1)) }) }
      let model: [(String, JSONValue)] = [
        ("dailyOrder", .integer(selection.dailyOrder)), ("weeklyOrder", .integer(selection.weeklyOrder)),
        ("ridgePenalty", .number(selection.ridgePenalty)), ("logScale", .bool(selection.isLogTransformed)),
        ("recencyHalfLifeDays", selection.recencyHalfLifeDays.map(JSONValue.number) ?? .null),
        ("levelShiftIndex", selection.levelShiftIndex.map(JSONValue.integer) ?? .null),
        ("downweightedPoints", .integer(selection.downweightedPoints)),
      ]
      return JSONValue.object([
        ("model", .object(model)), ("unit", .string("per minute")), ("intervalSeconds", .number(forecast.intervalSeconds)),
        ("points", .array(points)),
      ]).rendered()
    }
  }

  static func backtest(_ result: Backtest, file: String, format: Forecast.Format) -> String {
    let levels = Set(result.scores.flatMap(\.coverage.keys)).sorted()
    let headers = ["method", "MASE", "sMAPE", "RMSE"] + levels.map { "coverage-\(percent($0))" }
    let rows: [[String]] = result.scores.map { score in
      [score.name, number(score.accuracy.mase), number(score.accuracy.smape), number(score.accuracy.rmse)]
        + levels.map { score.coverage[$0].map(number) ?? "" }
    }
    switch format {
    case .csv:
      return ([headers] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    case .table:
      var out = "backtest of \(file): holdout \(result.horizon) intervals from index \(result.origins.map(String.init).joined(separator: ", "))\n"
      if let s = result.selection {
        out += "model: \(describe(s))\n"
      }
      out += headers.map { $0.padding(toLength: max(22, $0.count), withPad: " ", startingAt: 0) }.joined(separator: "") + "\n"
      for row in rows { out += row.map { $0.padding(toLength: max(22, $0.count), withPad: " ", startingAt: 0) }.joined() + "\n" }
      return out
    case .json:
      // Wall-clock time is not part of the result (two runs give the same bytes): it goes to stderr.
      let methods = result.scores.map { score in
        JSONValue.object(
          [
            ("method", .string(score.name)), ("MASE", rounded(score.accuracy.mase)), ("sMAPE", rounded(score.accuracy.smape)),
            ("RMSE", rounded(score.accuracy.rmse)),
          ] + levels.compactMap { l in score.coverage[l].map { ("coverage\(percent(l))", rounded($0)) } })
      }
      return JSONValue.object([
        ("file", .string(file)), ("horizon", .integer(result.horizon)), ("results", .array(methods)),
      ]).rendered()
    }
  }
}
