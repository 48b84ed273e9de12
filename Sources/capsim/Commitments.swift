import Advisor
import ArgumentParser
import Billing
import Forecasting
import Foundation
import Reporting

/// `capsim commitments USAGE`: RI and Savings Plans recommendations from hourly usage.
struct Commitments: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Recommend Reserved Instances and Savings Plans from hourly usage.",
    discussion: """
      USAGE is an hourly CSV (timestamp column, then one column per instance type in \
      instance-hours or per family in normalized unit-hours), a FOCUS 1.x export or an AWS \
      CUR 2.0 export (On-Demand EC2 usage rows only). The purchase minimizes expected cost \
      exactly (proven gap reported), beside Cost Explorer-style recommendations from 7, 30 \
      and 60-day look-backs. Savings Plans need rates (--savings-plan-rates, the CSV format \
      of docs/scenario-format.md); AWS publishes none as a file.

      Examples:
        capsim commitments usage.csv --region ap-northeast-2 --savings-plan-rates sp-rates.csv
        capsim commitments cur-export.csv --forecast-days 90 --format json
      """
  )

  @Argument(help: "Hourly usage: CSV, FOCUS 1.x or CUR 2.0 export.")
  var usage: String

  @Option(help: "Region of an hourly CSV (exports carry their own).")
  var region = "us-east-1"

  @Option(help: "Savings Plans rates CSV (type,family,region,term,payment,discountPercent).")
  var savingsPlanRates: String?

  @Option(help: "Price catalog CSV instead of the shipped one (e.g. written by 'capsim prices import').")
  var prices: String?

  @OptionGroup(title: "What may be bought")
  var purchase: PurchaseOptions

  @Option(help: "Plan on forecast paths of this many days instead of the history as it is.")
  var forecastDays: Int?

  @Option(help: "Forecast sample paths.")
  var paths = 50

  @Option(
    name: .customLong("holidays"),
    help: "Holidays for the usage forecast: 'us', 'kr' or a date,name CSV (YYYY-MM-DD); read in UTC.")
  var holidaysPath: String?

  @Option(help: "Seed for forecast paths.")
  var seed: UInt64 = 1

  @Option(help: "Backtest: recommend from all but the last N days, bill those days as they happened.")
  var backtestDays: Int?

  @Option(help: "Backtest from this many origins: the usual split, then the usage cut --backtest-step-days earlier each time.")
  var backtestOrigins = 1

  @Option(help: "Days between backtest origins.")
  var backtestStepDays = 7

  @Option(help: "Output format: table or json.")
  var format: OutputFormat = .table

  enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
  }

  func run() throws {
    try reportingErrors {
      var planner = CommitmentPlanner()
      planner.offerings = try purchase.offerings()
      planner.caps = try purchase.caps()
      planner.options.ladderMonths = try purchase.ladder()
      if let days = forecastDays {
        guard (1...1_095).contains(days) else { throw ValidationError("--forecast-days: expected 1 to 1095, found \(days)") }
        guard (1...1_000).contains(paths) else { throw ValidationError("--paths: expected 1 to 1000, found \(paths)") }
        planner.forecastDays = days
        planner.forecastPaths = paths
        planner.seed = seed
      }
      if let holidaysPath {
        planner.forecastConfiguration.holidays = try holidayCalendar(named: holidaysPath, timeZone: TimeZone(identifier: "UTC")!)
      }
      let catalog = try prices.map { try PriceCatalog.load(path: $0) } ?? PriceCatalog.bundled()
      let rates = try savingsPlanRates.map { try SavingsPlanRates.load(path: $0) } ?? SavingsPlanRates()
      let eligible = try EligibleUsageReader.read(path: usage, catalog: catalog, region: region)
      if let days = backtestDays {
        guard days >= 1, days <= (eligible.hours - 48) / 24 else {
          throw ValidationError("--backtest-days: expected 1 to \(max(1, (eligible.hours - 48) / 24)) for \(eligible.hours) hours of usage, found \(days)")
        }
        guard (1...52).contains(backtestOrigins) else { throw ValidationError("--backtest-origins: expected 1 to 52, found \(backtestOrigins)") }
        guard (1...366).contains(backtestStepDays) else { throw ValidationError("--backtest-step-days: expected 1 to 366, found \(backtestStepDays)") }
        if let problem = CommitmentPlanner.rollingBacktestShortfall(
          totalHours: eligible.hours, testHours: days * 24, origins: backtestOrigins, stepHours: backtestStepDays * 24)
        {
          throw ValidationError("--backtest-origins: \(problem)")
        }
        let rolling = try planner.rollingBacktest(
          pools: eligible.pools.map { PoolKey(family: $0.family, region: $0.region) }, history: eligible.units,
          start: eligible.start, testHours: days * 24, origins: backtestOrigins, stepHours: backtestStepDays * 24,
          catalog: catalog, savingsPlanRates: rates, usesForecast: true)
        let result = rolling.origins[0].backtest
        switch format {
        case .table:
          print(CommitmentReport.backtestTable(result, source: usage), terminator: "")
          if backtestOrigins > 1 { print("\n" + CommitmentReport.rollingTable(rolling, source: usage), terminator: "") }
        case .json:
          print(
            backtestOrigins > 1
              ? CommitmentReport.rollingJSON(rolling, source: usage) : CommitmentReport.backtestJSON(result, source: usage),
            terminator: "")
        }
        return
      }
      guard backtestOrigins == 1 else { throw ValidationError("--backtest-origins: needs --backtest-days (the days each origin holds out)") }
      let advice = try planner.advise(
        pools: eligible.pools.map { PoolKey(family: $0.family, region: $0.region) }, history: eligible.units,
        start: eligible.start, catalog: catalog, savingsPlanRates: rates,
        notes: ["read \(eligible.rowsUsed) of \(eligible.rowsRead) rows as \(eligible.format.rawValue)"] + eligible.notes)
      switch format {
      case .table: print(CommitmentReport.table(advice, source: usage), terminator: "")
      case .json: print(CommitmentReport.json(advice, source: usage), terminator: "")
      }
    }
  }
}
