import Foundation
import Testing

@testable import Workload

@Suite struct CSVLoadingTests {
  @Test("every timestamp form reads as the same three 5-minute instants", arguments: [
    "2026-01-05T12:00:00Z\n2026-01-05T12:05:00Z\n2026-01-05T12:10:00Z",
    "2026-01-05T21:00:00+09:00\n2026-01-05T21:05:00+0900\n2026-01-05T21:10:00+09",
    "2026-01-05T07:00:00-05:00\n2026-01-05T07:05:00.000-05:00\n2026-01-05T07:10:00.000000-05:00",
    "2026-01-05T12:00:00\n2026-01-05T12:05:00\n2026-01-05T12:10:00",
    "2026-01-05 12:00:00\n2026-01-05 12:05:00\n2026-01-05 12:10:00",
    "2026-01-05 12:00\n2026-01-05T12:05\n2026-01-05t12:10:00.0z",
    "1767614400\n1767614700\n1767615000",
    "1767614400.0\n1767614700.000\n1767615000.00",
  ])
  func timestampForms(stamps: String) throws {
    let csv = zip(stamps.split(separator: "\n"), ["5", "10", "15"]).map { "\($0),\($1)" }.joined(separator: "\n")
    let series = try DemandSeries.parseCSV(csv, source: "demand.csv")
    #expect(series.start == instant("2026-01-05T12:00:00Z"))
    #expect(series.intervalSeconds == 300)
    #expect(series.valuesPerMinute == [1, 2, 3])  // totals per 5 minutes
  }

  @Test("decimal epoch seconds and fractional ISO seconds keep their fraction")
  func fractionalSeconds() throws {
    let epoch = try DemandSeries.parseCSV("1767614400.5,1\n1767614401.5,1\n", source: "e.csv")
    #expect(epoch.start.timeIntervalSince1970 == 1_767_614_400.5)
    #expect(epoch.intervalSeconds == 1)
    let iso = try DemandSeries.parseCSV(
      "2026-01-05T12:00:00.250Z,1\n2026-01-05T12:00:00.750Z,1\n", source: "i.csv")
    #expect(iso.start.timeIntervalSince1970 == 1_767_614_400.25)
    #expect(iso.intervalSeconds == 0.5)
  }

  @Test("naive times in a zone: New York in winter is UTC-5")
  func naiveWithZone() throws {
    let options = DemandLoadOptions(naiveTimeZone: newYork)
    let series = try DemandSeries.parseCSV("2026-01-05 07:00:00,1\n2026-01-05 07:05:00,1\n", source: "d.csv", options: options)
    #expect(series.start == instant("2026-01-05T12:00:00Z"))
  }

  @Test("naive New York times across spring-forward skip the missing hour and stay on a 30-minute grid")
  func springForward() throws {
    // 2014-03-09: clocks jump from 02:00 EST to 03:00 EDT. 01:30 EST = 06:30Z, 03:00 EDT = 07:00Z.
    let csv = """
      timestamp,value
      2014-03-09 00:30:00,30
      2014-03-09 01:00:00,60
      2014-03-09 01:30:00,90
      2014-03-09 03:00:00,120
      2014-03-09 03:30:00,150
      """
    let series = try DemandSeries.parseCSV(csv, source: "ny.csv", options: DemandLoadOptions(naiveTimeZone: newYork))
    #expect(series.start == instant("2014-03-09T05:30:00Z"))
    #expect(series.intervalSeconds == 1800)
    #expect(series.valuesPerMinute == [1, 2, 3, 4, 5])
  }

  @Test("a local time the clocks skip is an error naming the line and the zone")
  func nonexistentLocalTime() throws {
    let csv = "2014-03-09 01:30:00,1\n2014-03-09 02:00:00,1\n2014-03-09 02:30:00,1\n"
    let error = try #require(csvError(csv, options: DemandLoadOptions(naiveTimeZone: newYork)))
    #expect(error.location == .line(2))
    #expect(
      error.description
        == "demand.csv:2: local time 2014-03-09 02:00:00 does not exist in America/New_York (the clocks "
        + "skipped it for daylight saving time); expected a time that exists there, or give the offset")
  }

  @Test("naive New York times across fall-back read the repeated hour twice, in order")
  func fallBack() throws {
    // 2014-11-02: 01:00-02:00 happens first in EDT (05:00Z-06:00Z), then in EST (06:00Z-07:00Z).
    let csv = """
      2014-11-02 00:30:00,30
      2014-11-02 01:00:00,30
      2014-11-02 01:30:00,30
      2014-11-02 01:00:00,60
      2014-11-02 01:30:00,60
      2014-11-02 02:00:00,60
      """
    let series = try DemandSeries.parseCSV(csv, source: "ny.csv", options: DemandLoadOptions(naiveTimeZone: newYork))
    #expect(series.start == instant("2014-11-02T04:30:00Z"))
    #expect(series.count == 6)
    #expect(series.end == instant("2014-11-02T07:30:00Z"))
    #expect(series.valuesPerMinute == [1, 1, 1, 2, 2, 2])
  }

  @Test("a header row is optional")
  func header() throws {
    let body = "2026-01-05T12:00:00Z,60\n2026-01-05T12:01:00Z,120\n"
    let withHeader = try DemandSeries.parseCSV("timestamp,value\n" + body, source: "a.csv")
    let without = try DemandSeries.parseCSV(body, source: "b.csv")
    #expect(withHeader == without)
    #expect(without.valuesPerMinute == [60, 120])
    #expect(without.intervalSeconds == 60)
  }

  @Test("blank lines, CRLF, a byte-order mark and spaces around fields are tolerated")
  func tolerantLayout() throws {
    let csv = "\u{FEFF}timestamp,value\r\n\r\n 2026-01-05T12:00:00Z , 6 \r\n   \r\n2026-01-05T12:01:00Z,7.5\r\n\r\n"
    let series = try DemandSeries.parseCSV(csv, source: "w.csv")
    #expect(series.valuesPerMinute == [6, 7.5])
  }

  @Test("value meanings convert to units per minute", arguments: [
    (DemandLoadOptions.ValueMeaning.totalPerInterval, [2.0, 4.0]),  // 10 and 20 per 5 minutes
    (.ratePerMinute, [10, 20]),
    (.ratePerSecond, [600, 1200]),
  ])
  func valueMeanings(meaning: DemandLoadOptions.ValueMeaning, expected: [Double]) throws {
    let csv = "2026-01-05T12:00:00Z,10\n2026-01-05T12:05:00Z,20\n"
    let series = try DemandSeries.parseCSV(csv, source: "v.csv", options: DemandLoadOptions(valueMeaning: meaning))
    #expect(series.valuesPerMinute == expected)
  }

  @Test("values with exponents and many digits read exactly like Double(String)")
  func valueSpellings() throws {
    let csv = "1767614400,1.5e2\n1767614460,0.1234567890123456789\n1767614520,+7\n1767614580,-0\n"
    let series = try DemandSeries.parseCSV(csv, source: "x.csv", options: DemandLoadOptions(valueMeaning: .ratePerMinute))
    #expect(series.valuesPerMinute == [150, Double("0.1234567890123456789")!, 7, 0])
    #expect(series.valuesPerMinute[3].sign == .plus)
  }

  @Test("an explicit interval overrides inference: 1-minute rows on a 30-second grid are gaps")
  func explicitInterval() throws {
    let csv = "1767614400,1\n1767614460,1\n1767614520,1\n"
    let options = DemandLoadOptions(gaps: .zero, intervalSeconds: 30)
    let series = try DemandSeries.parseCSV(csv, source: "i.csv", options: options)
    #expect(series.valuesPerMinute == [2, 0, 2, 0, 2])
  }

  @Test("the inferred interval is the most common spacing, not the first one")
  func inferredInterval() throws {
    // Spacings 600, 300, 300: the first is a gap of one 5-minute slot.
    let csv = "1767614400,5\n1767615000,5\n1767615300,5\n1767615600,5\n"
    let series = try DemandSeries.parseCSV(csv, source: "g.csv", options: DemandLoadOptions(gaps: .zero))
    #expect(series.intervalSeconds == 300)
    #expect(series.valuesPerMinute == [1, 0, 1, 1, 1])
  }
}
