extension ScenarioDecoder {
  static let forecastKeys = ["horizon", "interval", "levels", "holidays", "service"]

  /// `forecast:` after the demand (and services) it refers to are decoded.
  func decodeForecast(_ value: YAMLValue, services: [ServiceDefinition]) throws(ScenarioError) -> ForecastDefinition {
    let forecast = try value.mapping(allowedKeys: Self.forecastKeys)
    let horizonValue = try forecast.required("horizon")
    var definition = ForecastDefinition(
      horizonSeconds: try horizonValue.duration(in: .above(0, atMost: 366 * 86_400)), location: value.keyLocation)
    definition.intervalSeconds = try forecast.optional("interval") { v throws(ScenarioError) in
      try v.duration(in: .closed(1, 86_400))
    }
    if let interval = definition.intervalSeconds, definition.horizonSeconds < interval {
      throw horizonValue.error(.outOfRange(
        field: "horizon", range: "at least one interval (\(NumberRange.formatDuration(interval)))",
        found: NumberRange.formatDuration(definition.horizonSeconds)))
    }
    if let list = forecast["levels"] {
      var levels: [Double] = []
      for item in try list.sequence(count: 1...10) {
        let level = try item.double(in: .between(0, 100))
        if let previous = levels.last, level <= previous {
          throw item.invalid("levels in ascending order without repeats (like [80, 95])")
        }
        levels.append(level)
      }
      definition.levelsPercent = levels
    }
    definition.holidays = try forecast.optional("holidays") { v throws(ScenarioError) in
      try v.choice(ForecastHolidayCalendar.allCases.map { ($0.rawValue, $0) }, expected: "a holiday calendar name: "
        + ForecastHolidayCalendar.allCases.map(\.rawValue).joined(separator: ", "))
    }
    if let serviceValue = forecast["service"] {
      guard !services.isEmpty else {
        throw serviceValue.keyLocation.error(.invalidValue(
          field: "service", expected: "no 'service' in a single-service scenario (its forecast is of 'demand')",
          found: serviceValue.literalDescription, suggestion: nil))
      }
      let names = services.map(\.name)
      let name = try serviceValue.identifier()
      guard names.contains(name) else {
        throw serviceValue.invalid(
          "the name of one of the scenario's services (\(names.joined(separator: ", ")))",
          suggestion: Suggestion.closest(to: name, among: names))
      }
      definition.service = name
    }
    return definition
  }
}
