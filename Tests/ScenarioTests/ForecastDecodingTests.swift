import Foundation
import Testing

@testable import Scenario

/// `forecast:`: what `capsim forecast SCENARIO` reads instead of flags.
@Suite struct ForecastDecodingTests {
  /// `Fixture.minimal` (14 lines) with `text` appended from line 15.
  static func minimal(with text: String) -> String { Fixture.minimal + text + "\n" }

  @Test("a full forecast block decodes to seconds, percent levels and the named calendar")
  func fullBlock() throws {
    let scenario = try Fixture.parse(Self.minimal(with: """
      forecast:
        horizon: 14d
        interval: 1h
        levels: [50, 80, 95]
        holidays: korea
      """))
    let forecast = try #require(scenario.forecast)
    #expect(forecast == ForecastDefinition(
      horizonSeconds: 14 * 86_400, intervalSeconds: 3_600, levelsPercent: [50, 80, 95], holidays: .korea,
      service: nil, location: SourceLocation(file: "test.yaml", line: 15, column: 1)))
  }

  @Test("only the horizon is required: the demand's interval, 80 and 95 percent, no holidays")
  func defaults() throws {
    let forecast = try #require(try Fixture.parse(Self.minimal(with: "forecast: {horizon: 36h}")).forecast)
    #expect(forecast.horizonSeconds == 36 * 3_600)
    #expect(forecast.intervalSeconds == nil)
    #expect(forecast.levelsPercent == [80, 95])
    #expect(forecast.holidays == nil)
    #expect(forecast.service == nil)
    #expect(try Fixture.parse(Fixture.minimal).forecast == nil)
  }

  @Test("in a multi-service scenario the block may name the service whose demand it forecasts")
  func service() throws {
    let scenario = try Fixture.parse(ServiceFixture.yaml + "forecast: {horizon: 7d, service: search}\n")
    #expect(scenario.forecast?.service == "search")
    let typo = try #require(Fixture.error(ServiceFixture.yaml + "forecast: {horizon: 7d, service: serach}\n"))
    #expect(typo.message == "'service' should be the name of one of the scenario's services (api, search), found \"serach\"; did you mean 'search'?")
  }

  static let mistakes: [Mistake] = [
    Mistake(
      "unknown key", yaml: minimal(with: "forecast: {horizn: 14d}"), at: 15, 12,
      "unknown key 'horizn' in 'forecast'; did you mean 'horizon'? Allowed keys: horizon, interval, levels, holidays, service"),
    Mistake(
      "missing horizon", yaml: minimal(with: "forecast: {interval: 1h}"), at: 15, 1,
      "missing required key 'horizon' in 'forecast'"),
    Mistake(
      "malformed horizon", yaml: minimal(with: "forecast: {horizon: 14x}"), at: 15, 21,
      "'horizon' should be a duration such as 90s, 5m, 1.5h, 28d, 2w or a number of seconds, found \"14x\""),
    Mistake(
      "horizon too long", yaml: minimal(with: "forecast: {horizon: 400d}"), at: 15, 21,
      "'horizon' must be greater than 0s and at most 366d, found 400d"),
    Mistake(
      "horizon shorter than the interval", yaml: minimal(with: "forecast: {horizon: 30m, interval: 1h}"), at: 15, 21,
      "'horizon' must be at least one interval (1h), found 30m"),
    Mistake(
      "interval out of range", yaml: minimal(with: "forecast: {horizon: 14d, interval: 2d}"), at: 15, 36,
      "'interval' must be in 1s...1d, found 2d"),
    Mistake(
      "level of 150 percent", yaml: minimal(with: "forecast: {horizon: 14d, levels: [80, 150]}"), at: 15, 39,
      "'levels[1]' must be greater than 0 and less than 100, found 150"),
    Mistake(
      "levels out of order", yaml: minimal(with: "forecast: {horizon: 14d, levels: [95, 80]}"), at: 15, 39,
      "'levels[1]' should be levels in ascending order without repeats (like [80, 95]), found \"80\""),
    Mistake(
      "levels not a list", yaml: minimal(with: "forecast: {horizon: 14d, levels: 80}"), at: 15, 34,
      "'levels' should be a list, found integer 80"),
    Mistake(
      "unknown calendar", yaml: minimal(with: "forecast: {horizon: 14d, holidays: koera}"), at: 15, 36,
      "'holidays' should be a holiday calendar name: korea, found \"koera\"; did you mean 'korea'?"),
    Mistake(
      "service in a single-service scenario", yaml: minimal(with: "forecast: {horizon: 14d, service: api}"), at: 15, 26,
      "'service' should be no 'service' in a single-service scenario (its forecast is of 'demand'), found \"api\""),
  ]

  @Test("each forecast mistake is reported at its line and column with its sentence", arguments: mistakes)
  func mistakeIsLocated(_ mistake: Mistake) throws {
    let error = try #require(Fixture.error(mistake.yaml))
    #expect(error.message == mistake.message)
    #expect(error.line == mistake.line)
    #expect(error.column == mistake.column)
  }
}
