// forecast-batch: the capsim side of peers/compare-statsforecast.sh. The same work the
// `Forecasting` suite measures, on series read from a file, so that statsforecast can be
// timed on exactly the same numbers.
//
//   forecast-batch write COUNT LENGTH FILE   the benchmark's synthetic hourly series as a
//                                            long CSV: unique_id,ds,y (ds in UTC)
//   forecast-batch fit FILE HORIZON          fitBatch + HORIZON-step forecast with 80% and
//                                            95% intervals for every series; prints one JSON
//                                            line (series, points, seconds); the clock
//                                            starts after the file is read
import ForecastSupport
import Forecasting
import Foundation

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("forecast-batch: error: \(message)\n".utf8))
  exit(1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = "usage: forecast-batch write COUNT LENGTH FILE | forecast-batch fit FILE HORIZON"

func timestampFormatter() -> DateFormatter {
  let formatter = DateFormatter()
  formatter.locale = Locale(identifier: "en_US_POSIX")
  formatter.timeZone = TimeZone(identifier: "UTC")
  formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
  return formatter
}

switch arguments.first {
case "write":
  guard arguments.count == 4, let count = Int(arguments[1]), count > 0, let length = Int(arguments[2]), length > 0 else {
    fail(usage)
  }
  let formatter = timestampFormatter()
  let stamps = (0..<length).map {
    formatter.string(from: SyntheticHourlySeries.start.addingTimeInterval(Double($0) * SyntheticHourlySeries.intervalSeconds))
  }
  var text = "unique_id,ds,y\n"
  for index in 0..<count {
    let series = SyntheticHourlySeries.series(index, count: length)
    // %.17g: the CSV round-trips every Double, so both tools fit the same numbers.
    for (i, value) in series.values.enumerated() { text += "s\(index),\(stamps[i]),\(String(format: "%.17g", value))\n" }
  }
  do { try text.write(toFile: arguments[3], atomically: true, encoding: .utf8) } catch {
    fail("cannot write \(arguments[3]): \(error.localizedDescription)")
  }

case "fit":
  guard arguments.count == 3, let horizon = Int(arguments[2]), horizon > 0 else { fail(usage) }
  let text: String
  do { text = try String(contentsOfFile: arguments[1], encoding: .utf8) } catch {
    fail("cannot read \(arguments[1]): \(error.localizedDescription)")
  }
  // Rows are grouped by series and in time order, as `write` produces them.
  var order: [String] = [], values: [String: [Double]] = [:], firstStamp: String?
  for line in text.split(separator: "\n").dropFirst() {
    let fields = line.split(separator: ",")
    guard fields.count == 3, let value = Double(fields[2]) else { fail("bad row '\(line)'") }
    let id = String(fields[0])
    if values[id] == nil { order.append(id); values[id] = [] }
    if firstStamp == nil { firstStamp = String(fields[1]) }
    values[id]!.append(value)
  }
  guard let firstStamp, let start = timestampFormatter().date(from: firstStamp) else { fail("no rows in \(arguments[1])") }
  let batch = order.map {
    ObservedSeries(start: start, intervalSeconds: SyntheticHourlySeries.intervalSeconds, values: values[$0]!)
  }
  let clock = ContinuousClock()
  let began = clock.now
  let forecasts: [Forecast]
  do { forecasts = try SyntheticHourlySeries.fitAndForecast(batch, horizon: horizon) } catch { fail("\(error)") }
  let elapsed = clock.now - began
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  precondition(forecasts.count == batch.count && forecasts.allSatisfy { $0.mean.count == horizon })
  print("{\"series\":\(batch.count),\"points\":\(batch[0].count),\"horizon\":\(horizon),\"seconds\":\(seconds)}")

default:
  fail(usage)
}
