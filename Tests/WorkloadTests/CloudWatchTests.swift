import Foundation
import Testing

@testable import Workload

@Suite struct CloudWatchTests {
  /// `aws cloudwatch get-metric-data` output: newest first, as the CLI prints by default.
  static let metricData = """
    {
      "MetricDataResults": [
        {
          "Id": "requests",
          "Label": "RequestCount",
          "Timestamps": ["2026-01-05T12:10:00+00:00", "2026-01-05T12:05:00+00:00", "2026-01-05T12:00:00+00:00"],
          "Values": [300.0, 200.0, 100.0],
          "StatusCode": "Complete"
        },
        {
          "Id": "errors",
          "Label": "HTTPCode_Target_5XX_Count",
          "Timestamps": ["2026-01-05T12:10:00Z", "2026-01-05T12:05:00Z"],
          "Values": [5, 10],
          "StatusCode": "Complete"
        }
      ],
      "Messages": []
    }
    """

  @Test("get-metric-data newest-first input gives an oldest-first series")
  func newestFirst() throws {
    let series = try DemandSeries.parseCloudWatchJSON(Data(Self.metricData.utf8), source: "m.json", metricId: "requests")
    #expect(series.start == instant("2026-01-05T12:00:00Z"))
    #expect(series.intervalSeconds == 300)
    #expect(series.valuesPerMinute == [20, 40, 60])  // Sum per 5 minutes / 5
  }

  @Test("several results: choose by id")
  func chooseById() throws {
    let series = try DemandSeries.parseCloudWatchJSON(Data(Self.metricData.utf8), source: "m.json", metricId: "errors")
    #expect(series.start == instant("2026-01-05T12:05:00Z"))
    #expect(series.valuesPerMinute == [2, 1])
  }

  @Test("several results and no id: the error lists the ids")
  func idRequired() throws {
    let error = try #require(jsonError(Self.metricData))
    #expect(
      error.description
        == "metrics.json: MetricDataResults: found 2 results; choose one by metric id: 'requests', 'errors'")
  }

  @Test("an unknown id: the error lists the ids")
  func unknownId() throws {
    let error = try #require(jsonError(Self.metricData, metricId: "latency"))
    #expect(error.problem == .metricIdNotFound(id: "latency", available: ["requests", "errors"]))
  }

  @Test("PartialData tells the user to fetch all pages and merge them")
  func partialData() throws {
    let json = """
      {"MetricDataResults": [{"Id": "m1", "Label": "x", "Timestamps": ["2026-01-05T12:00:00Z", "2026-01-05T12:01:00Z"],
        "Values": [1, 2], "StatusCode": "PartialData"}], "Messages": []}
      """
    let error = try #require(jsonError(json))
    #expect(error.location == .jsonPath("MetricDataResults[0].StatusCode"))
    #expect(
      error.description
        == "metrics.json: MetricDataResults[0].StatusCode: result 'm1' has StatusCode PartialData: this is one "
        + "page of several; fetch all pages (repeat the call with --next-token) and merge their Timestamps and Values")
  }

  @Test("a NextToken means more pages")
  func nextToken() throws {
    let json = """
      {"MetricDataResults": [{"Id": "m1", "Timestamps": ["2026-01-05T12:00:00Z", "2026-01-05T12:01:00Z"],
        "Values": [1, 2], "StatusCode": "Complete"}], "NextToken": "abc", "Messages": []}
      """
    let error = try #require(jsonError(json))
    #expect(error.problem == .moreDataPages)
    #expect(error.location == .jsonPath("NextToken"))
  }

  @Test("Timestamps and Values of different lengths name the result")
  func lengthMismatch() throws {
    let json = """
      {"MetricDataResults": [{"Id": "m1", "Timestamps": ["2026-01-05T12:00:00Z", "2026-01-05T12:01:00Z"],
        "Values": [1], "StatusCode": "Complete"}]}
      """
    let error = try #require(jsonError(json))
    #expect(
      error.description
        == "metrics.json: MetricDataResults[0]: result 'm1' has 2 Timestamps but 1 Values; expected equal "
        + "lengths (Timestamps[i] pairs with Values[i])")
  }

  @Test("bad values and timestamps name their JSON path")
  func paths() throws {
    let badValue = """
      {"MetricDataResults": [{"Id": "m1", "Timestamps": ["2026-01-05T12:01:00Z", "2026-01-05T12:00:00Z"],
        "Values": [1, "two"], "StatusCode": "Complete"}]}
      """
    let valueError = try #require(jsonError(badValue))
    #expect(valueError.description == "metrics.json: MetricDataResults[0].Values[1]: expected a number, found the string \"two\"")
    let badTime = """
      {"MetricDataResults": [{"Id": "m1", "Timestamps": ["2026-01-05T12:01:00Z", "yesterday"],
        "Values": [1, 2], "StatusCode": "Complete"}]}
      """
    let timeError = try #require(jsonError(badTime))
    #expect(timeError.location == .jsonPath("MetricDataResults[0].Timestamps[1]"))
    let negative = """
      {"MetricDataResults": [{"Id": "m1", "Timestamps": ["2026-01-05T12:01:00Z", "2026-01-05T12:00:00Z"],
        "Values": [1, -2], "StatusCode": "Complete"}]}
      """
    #expect(jsonError(negative)?.location == .jsonPath("MetricDataResults[0].Values[1]"))
  }

  @Test("after sorting, duplicates and gaps are caught and name the original index")
  func duplicatesAndGaps() throws {
    let duplicate = """
      {"MetricDataResults": [{"Id": "m1", "Timestamps": ["2026-01-05T12:01:00Z", "2026-01-05T12:00:00Z",
        "2026-01-05T12:01:00Z"], "Values": [1, 2, 3], "StatusCode": "Complete"}]}
      """
    let duplicateError = try #require(jsonError(duplicate))
    #expect(duplicateError.location == .jsonPath("MetricDataResults[0].Timestamps[2]"))
    #expect(
      duplicateError.problem
        == .duplicateTimestamp(timestamp: "2026-01-05T12:01:00Z", firstAt: "MetricDataResults[0].Timestamps[0]"))

    let gap = """
      {"MetricDataResults": [{"Id": "m1", "Timestamps": ["2026-01-05T12:04:00Z", "2026-01-05T12:01:00Z",
        "2026-01-05T12:00:00Z"], "Values": [4, 1, 1], "StatusCode": "Complete"}]}
      """
    let gapError = try #require(jsonError(gap))
    #expect(gapError.location == .jsonPath("MetricDataResults[0].Timestamps[0]"))
    #expect(
      gapError.problem
        == .gap(expected: "2026-01-05T12:02:00Z", found: "2026-01-05T12:04:00Z", missingCount: 2, intervalSeconds: 60))
    let filled = try DemandSeries.parseCloudWatchJSON(Data(gap.utf8), source: "g.json", options: DemandLoadOptions(gaps: .interpolate))
    #expect(filled.valuesPerMinute == [1, 1, 2, 3, 4])
  }

  /// `aws cloudwatch get-metric-statistics` output: datapoints in no particular order.
  static let statistics = """
    {
      "Label": "CPUUtilization",
      "Datapoints": [
        {"Timestamp": "2026-01-05T12:10:00+00:00", "Sum": 30.0, "Average": 3.0, "Unit": "Count"},
        {"Timestamp": "2026-01-05T12:00:00+00:00", "Sum": 10.0, "Average": 1.0, "Unit": "Count"},
        {"Timestamp": "2026-01-05T12:05:00+00:00", "Sum": 20.0, "Average": 2.0, "Unit": "Count"}
      ]
    }
    """

  @Test("get-metric-statistics: unordered datapoints, Sum by default")
  func statisticsSum() throws {
    let series = try DemandSeries.parseCloudWatchJSON(Data(Self.statistics.utf8), source: "s.json")
    #expect(series.start == instant("2026-01-05T12:00:00Z"))
    #expect(series.valuesPerMinute == [2, 4, 6])
  }

  @Test("get-metric-statistics: a chosen statistic")
  func statisticsAverage() throws {
    let series = try DemandSeries.parseCloudWatchJSON(
      Data(Self.statistics.utf8), source: "s.json", options: DemandLoadOptions(valueMeaning: .ratePerMinute),
      statistic: .average)
    #expect(series.valuesPerMinute == [1, 2, 3])
  }

  @Test("get-metric-statistics: Average is the default when no datapoint has Sum")
  func statisticsDefaultAverage() throws {
    let json = """
      {"Label": "CPUUtilization", "Datapoints": [
        {"Timestamp": "2026-01-05T12:01:00Z", "Average": 40.0, "Unit": "Percent"},
        {"Timestamp": "2026-01-05T12:00:00Z", "Average": 20.0, "Unit": "Percent"}]}
      """
    let series = try DemandSeries.parseCloudWatchJSON(
      Data(json.utf8), source: "c.json", options: DemandLoadOptions(valueMeaning: .ratePerMinute))
    #expect(series.valuesPerMinute == [20, 40])
  }

  @Test("get-metric-statistics: a datapoint without the statistic names its index")
  func missingStatistic() throws {
    let error = try #require(jsonError(Self.statistics, statistic: .maximum))
    #expect(error.description == "metrics.json: Datapoints[0]: expected the statistic Maximum, found only Sum, Average")
  }

  @Test("JSON that is not CloudWatch output, or not JSON at all")
  func wrongDocuments() throws {
    let shape = try #require(jsonError("{\"Items\": []}"))
    #expect(
      shape.description
        == "metrics.json: expected the output of 'aws cloudwatch get-metric-data' (MetricDataResults) or "
        + "'get-metric-statistics' (Datapoints), found keys Items")
    let broken = try #require(jsonError("{\"MetricDataResults\": [}"))
    guard case .invalidJSON = broken.problem else {
      Issue.record("expected invalidJSON, got \(broken)")
      return
    }
    #expect(broken.description.hasPrefix("metrics.json: expected CloudWatch JSON, found text that does not decode as JSON"))
  }
}
