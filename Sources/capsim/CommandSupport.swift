import ArgumentParser
import Forecasting
import Foundation

/// Messages go to stderr so stdout carries only the report.
func printError(_ message: String) {
  FileHandle.standardError.write(Data("capsim: error: \(message)\n".utf8))
}

/// Runs `body`, turning any error into its sentence on stderr and exit status 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as ExitCode {
    throw error
  } catch {
    printError(cliWording(String(describing: error)))
    throw ExitCode.failure
  }
}

/// The library names what a caller chose by its option name (Scenario knows no command
/// line); on the command line those are flags.
let flagsByOption: [(option: String, flag: String)] = [
  ("backtestStepDays", "--backtest-step-days"), ("backtestOrigins", "--backtest-origins"),
  ("backtestDays", "--backtest-days"), ("selectedVariants", "--policy"), ("lineItems", "--line-items"),
  ("instanceTypes", "--types"),
]

func cliWording(_ message: String) -> String {
  flagsByOption.reduce(message) { text, pair in text.replacingOccurrences(of: pair.option, with: pair.flag) }
}

/// A holiday calendar named on the command line: `us` (shipped US federal holidays plus
/// Christmas Eve, New Year's Eve and the day after Thanksgiving), `kr` (shipped South
/// Korean public holidays, 2014-2015) or the path of a `date,name` CSV (YYYY-MM-DD).
func holidayCalendar(named name: String, timeZone: TimeZone) throws -> HolidayCalendar {
  switch name {
  case "us": return HolidayCalendar.unitedStatesFederalHolidays(years: 1990...2040, timeZone: timeZone)
  case "kr": return HolidayCalendar.koreanPublicHolidays
  default:
    let text: String
    do { text = try String(contentsOfFile: name, encoding: .utf8) } catch {
      throw ValidationError("cannot read the holiday calendar '\(name)': \(error.localizedDescription)")
    }
    return try HolidayCalendar.parseCSV(text, timeZone: timeZone)
  }
}

/// A one-line progress report on stderr while long searches run, only when stderr is a
/// terminal (never in a pipe, a file or a test): "order-api: 1,200 / 2,320 simulations".
enum ProgressLine {
  static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// The reporter to hand to a search, or nil when stderr is not a terminal.
  static func onTerminal() -> (@Sendable (String, Int, Int) -> Void)? {
    guard isTerminal else { return nil }
    return { fleet, done, total in
      FileHandle.standardError.write(Data("\r\u{1B}[K\(fleet): \(done) / \(total) simulations".utf8))
    }
  }

  /// Erases the line (when it was drawn).
  static func clear() {
    if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}
