import Forecasting
import Scenario
import Workload

extension Forecast {
  /// True for a scenario file (`.yaml` or `.yml`), whose demand and `forecast:` block are used.
  static func isScenarioFile(_ path: String) -> Bool {
    let lowered = path.lowercased()
    return lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml")
  }

  /// The scenario's demand as `capsim run` simulates it (what-if transforms applied, cut to
  /// the simulated window, at the tick), or the declared service's, and its `forecast:`
  /// block (nil when none is written).
  static func scenarioDemand(_ path: String) throws -> (demand: DemandSeries, declared: ForecastDefinition?) {
    let definition = try ScenarioDefinition.load(path: path)
    let prepared = try ScenarioRunner.prepare(definition)
    let declared = definition.forecast
    if let service = declared?.service, let index = definition.services.firstIndex(where: { $0.name == service }) {
      return (prepared.serviceDemands[index], declared)
    }
    return (prepared.demand, declared)
  }

  /// The Forecasting calendar for a calendar a scenario names.
  static func holidayCalendar(_ name: ForecastHolidayCalendar) -> HolidayCalendar {
    switch name {
    case .korea: HolidayCalendar.koreanPublicHolidays
    }
  }
}
