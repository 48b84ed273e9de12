import AutoScaling
import Foundation

/// A predictive policy's forecast against what happened, summed up over the hours that had
/// a forecast (the hourly series stay in `VariantResult.predictiveForecasts`).
struct PredictiveForecastSummary {
  var policyName: String
  var mode: String
  /// Hours with a forecast, and the first of them (hours since the start), nil when none.
  var forecastHours: Int
  var firstForecastHour: Int?
  var meanForecastCapacity: Double
  var meanInServiceInstances: Double
  /// Hours whose mean in-service count was below the forecast capacity.
  var hoursInServiceBelowForecast: Int
  /// Mean absolute percentage error of the load forecast over hours with load > 0.
  var loadMAPEPercent: Double?

  init(_ record: PredictiveForecastRecord) {
    policyName = record.policyName
    mode = record.mode.rawValue
    var hours = 0, below = 0, errorHours = 0
    var capacitySum = 0.0, inServiceSum = 0.0, errorSum = 0.0
    firstForecastHour = nil
    for hour in record.forecastCapacity.indices {
      guard let capacity = record.forecastCapacity[hour], let load = record.forecastLoadPerMinute[hour] else { continue }
      if firstForecastHour == nil { firstForecastHour = hour }
      hours += 1
      capacitySum += Double(capacity)
      let inService = record.meanInServiceInstances[hour]
      inServiceSum += inService
      if inService < Double(capacity) { below += 1 }
      let actual = record.actualLoadPerMinute[hour]
      if actual > 0 {
        errorSum += abs(load - actual) / actual
        errorHours += 1
      }
    }
    forecastHours = hours
    meanForecastCapacity = hours > 0 ? capacitySum / Double(hours) : 0
    meanInServiceInstances = hours > 0 ? inServiceSum / Double(hours) : 0
    hoursInServiceBelowForecast = below
    loadMAPEPercent = errorHours > 0 ? errorSum / Double(errorHours) * 100 : nil
  }

  var json: JSONValue {
    .object([
      ("policy", .string(policyName)),
      ("mode", .string(mode)),
      ("forecastHours", .integer(forecastHours)),
      ("firstForecastHour", firstForecastHour.map(JSONValue.integer) ?? .null),
      ("meanForecastCapacity", .rounded(meanForecastCapacity, places: 4)),
      ("meanInServiceInstances", .rounded(meanInServiceInstances, places: 4)),
      ("hoursInServiceBelowForecast", .integer(hoursInServiceBelowForecast)),
      ("loadForecastMAPEPercent", loadMAPEPercent.map { .rounded($0, places: 4) } ?? .null),
    ])
  }

  /// One line for the terminal table's notes.
  func line(variant: String) -> String {
    guard forecastHours > 0 else { return "\(variant) / \(policyName) (\(mode)): no forecast (less than 24 h of history).\n" }
    let mape = loadMAPEPercent.map { ComparisonReport.formatted($0, decimals: 1) + "%" } ?? "n/a"
    return "\(variant) / \(policyName) (\(mode)): \(forecastHours) forecast hours from hour \(firstForecastHour ?? 0), "
      + "load error (MAPE) \(mape), forecast capacity \(ComparisonReport.formatted(meanForecastCapacity, decimals: 1)) "
      + "vs in service \(ComparisonReport.formatted(meanInServiceInstances, decimals: 1)) on average, "
      + "\(hoursInServiceBelowForecast) h below the forecast.\n"
  }
}
