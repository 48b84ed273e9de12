import Foundation
import Testing

@testable import Workload

/// Each kind of bad row gives its own error, on the right line (the header is line 1 and
/// blank lines count).
@Suite struct CSVErrorTests {
  static let good = "timestamp,value\n2014-04-10 04:04:00,1\n2014-04-10 04:09:00,2\n\n"

  @Test("a row with three columns names the line and the count")
  func wrongColumnCount() throws {
    let error = try #require(csvError(Self.good + "2014-04-10 04:14:00,3,extra\n"))
    #expect(error.location == .line(5))
    #expect(error.problem == .wrongColumnCount(found: 3, text: "2014-04-10 04:14:00,3,extra"))
    #expect(
      error.description
        == "demand.csv:5: expected 2 comma-separated columns (timestamp,value), found 3 in "
        + "'2014-04-10 04:14:00,3,extra'; quoted fields are not supported")
  }

  @Test("a row with one column is a column-count error too")
  func oneColumn() throws {
    let error = try #require(csvError(Self.good + "2014-04-10 04:14:00\n"))
    #expect(error.problem == .wrongColumnCount(found: 1, text: "2014-04-10 04:14:00"))
    #expect(error.location == .line(5))
  }

  @Test("unreadable timestamps say why", arguments: [
    ("2014/04/10 04:14:00", "it is in none of the accepted forms"),
    ("2014-13-10 04:14:00", "month 13 is outside 1-12"),
    ("2014-02-30 04:14:00", "day 30 does not exist in 2014-02"),
    ("2014-04-10 24:00:00", "hour 24 is outside 0-23"),
    ("2014-04-10T04:14:00 UTC", "unexpected text after the time"),
    ("2014-04-10T04:14:00+19:00", "offset 19:00 is outside +-18:00"),
    ("2014-04-10T04:14:00+18:30", "offset 18:30 is outside +-18:00"),  // read before the one ISO 8601 parser
    ("1397103240000", "it is too large for epoch seconds; epoch milliseconds are not accepted, divide by 1000"),
  ])
  func badTimestamp(text: String, reason: String) throws {
    let error = try #require(csvError(Self.good + "\(text),3\n"))
    #expect(error.location == .line(5))
    #expect(error.problem == .unparseableTimestamp(text: text, reason: reason))
    #expect(error.description.hasPrefix("demand.csv:5: timestamp '\(text)' is not readable (\(reason)); expected ISO 8601"))
  }

  @Test("a value that is not a number")
  func notANumber() throws {
    let error = try #require(csvError(Self.good + "2014-04-10 04:14:00,12 orders\n"))
    #expect(error.location == .line(5))
    #expect(
      error.description == "demand.csv:5: value '12 orders' is not a number; expected a decimal such as 12 or 12.5")
  }

  @Test("hexadecimal is not a demand value")
  func hexadecimal() throws {
    let error = try #require(csvError(Self.good + "2014-04-10 04:14:00,0x10\n"))
    #expect(error.problem == .valueNotANumber(text: "0x10"))
  }

  @Test("NaN and infinities are rejected", arguments: ["nan", "NaN", "inf", "-inf", "Infinity", "1e400"])
  func notFinite(text: String) throws {
    let error = try #require(csvError(Self.good + "2014-04-10 04:14:00,\(text)\n"))
    #expect(error.location == .line(5))
    #expect(error.problem == .valueNotFinite(text: text))
  }

  @Test("a negative value")
  func negative() throws {
    let error = try #require(csvError(Self.good + "2014-04-10 04:14:00,-3.5\n"))
    #expect(error.description == "demand.csv:5: value -3.5 is negative; demand must be >= 0")
  }

  @Test("timestamps going backwards name both lines")
  func backwards() throws {
    let csv = "timestamp,value\n2014-04-10 04:04:00,1\n2014-04-10 04:14:00,2\n2014-04-10 04:09:00,3\n"
    let error = try #require(csvError(csv))
    #expect(
      error.description
        == "demand.csv:4: timestamps go backwards: 2014-04-10 04:09:00 comes after 2014-04-10 04:14:00 "
        + "(line 3); rows must be sorted oldest first")
  }

  @Test("a duplicate timestamp names the first line, even written another way")
  func duplicate() throws {
    let csv = "2014-04-10 04:04:00,1\n2014-04-10 04:09:00,2\n2014-04-10T04:09:00Z,3\n"
    let error = try #require(csvError(csv))
    #expect(error.location == .line(3))
    #expect(
      error.description
        == "demand.csv:3: duplicate timestamp: 2014-04-10T04:09:00Z falls in the same interval as line 2; "
        + "expected one row per interval")
  }

  @Test("a gap with gaps .error names the row after it, the expected time and the count")
  func gap() throws {
    let csv = "timestamp,value\n2014-04-10 04:04:00,1\n2014-04-10 04:09:00,2\n2014-04-10 04:14:00,2\n"
      + "2014-04-10 04:29:00,2\n"
    let error = try #require(csvError(csv))
    #expect(error.location == .line(5))
    #expect(
      error.problem == .gap(expected: "2014-04-10 04:19:00", found: "2014-04-10 04:29:00", missingCount: 2, intervalSeconds: 300))
    #expect(
      error.description
        == "demand.csv:5: gap before this row: expected 2014-04-10 04:19:00, found 2014-04-10 04:29:00 "
        + "(2 intervals are missing at 300 s each); set gaps to interpolate or zero to fill")
  }

  @Test("the expected time of a gap is written like the row: with its offset, or as epoch")
  func gapStyles() throws {
    let zoned = try #require(csvError("2026-01-05T21:00:00+09:00,1\n2026-01-05T21:01:00+09:00,1\n2026-01-05T21:03:00+09:00,1\n"))
    #expect(
      zoned.problem
        == .gap(expected: "2026-01-05T21:02:00+09:00", found: "2026-01-05T21:03:00+09:00", missingCount: 1, intervalSeconds: 60))
    let epoch = try #require(csvError("1767614400,1\n1767614460,1\n1767614580,1\n"))
    #expect(
      epoch.problem
        == .gap(expected: "1767614520 (2026-01-05T12:02:00Z)", found: "1767614580", missingCount: 1, intervalSeconds: 60))
  }

  @Test("a timestamp off the interval grid")
  func offGrid() throws {
    let csv = "2014-04-10 04:04:00,1\n2014-04-10 04:09:00,2\n2014-04-10 04:14:00,2\n2014-04-10 04:17:00,2\n"
      + "2014-04-10 04:24:00,2\n"
    let error = try #require(csvError(csv))
    #expect(error.location == .line(4))
    #expect(
      error.description
        == "demand.csv:4: timestamp 2014-04-10 04:17:00 is off the 300 s grid that starts at 2014-04-10 04:04:00; "
        + "expected 2014-04-10 04:14:00 or 2014-04-10 04:19:00 (interval inferred as the most common spacing; "
        + "set intervalSeconds to choose)")
  }

  @Test("empty files and single rows are too short", arguments: [
    ("", 0), ("\n\n", 0), ("timestamp,value\n", 0), ("timestamp,value\n2026-01-05T12:00:00Z,1\n", 1),
  ])
  func tooFewRows(csv: String, found: Int) throws {
    let error = try #require(csvError(csv))
    #expect(error.location == .whole)
    #expect(error.description == "demand.csv: expected at least 2 data rows to know the interval, found \(found)")
  }

  @Test("a nonsense interval option is an argument error")
  func badIntervalOption() throws {
    let error = try #require(csvError(Self.good, options: DemandLoadOptions(intervalSeconds: 0)))
    #expect(error.description == "demand.csv: intervalSeconds should be a finite number of seconds > 0, found 0.0")
  }

  @Test("a first row with a timestamp but no number is an error, not a header")
  func firstRowIsNotAHeader() throws {
    let error = try #require(csvError("2026-01-05T12:00:00Z,n/a\n2026-01-05T12:01:00Z,1\n"))
    #expect(error.problem == .valueNotANumber(text: "n/a"))
    #expect(error.location == .line(1))
  }

  @Test("timestamps so far apart that the series would be absurdly long are refused")
  func tooManyIntervals() throws {
    let error = try #require(csvError("0,1\n1,1\n99999999999,1\n", options: DemandLoadOptions(gaps: .zero)))
    #expect(error.problem == .tooManyIntervals(count: 100_000_000_000))
  }

  @Test("a missing file names its path")
  func missingFile() throws {
    #expect(throws: WorkloadError.self) { try DemandSeries.loadCSV(path: "/nonexistent/demand.csv") }
    do {
      _ = try DemandSeries.loadCSV(path: "/nonexistent/demand.csv")
    } catch {
      #expect(error.description.hasPrefix("/nonexistent/demand.csv: cannot read the file: "))
    }
  }
}
