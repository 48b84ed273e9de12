import Foundation

/// Everything that can go wrong in Workload: a demand file that cannot be read or does not
/// describe a regular series, a transform or generator given a nonsense argument, or an
/// instance type the capacity model does not know.
///
/// `source` names what was being read (the path as given, or an API name for arguments),
/// `location` points inside it, and `problem` carries what was expected and what was found.
/// `description` is the one sentence the user reads, for example:
///
///     demand.csv:57: timestamps go backwards: 2014-04-10 04:09:00 comes after
///     2014-04-10 04:14:00 (line 56); rows must be sorted oldest first
public struct WorkloadError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Where inside `source` the problem is.
  public enum Location: Equatable, Sendable {
    /// The file or argument as a whole.
    case whole
    /// A 1-based CSV line (blank lines and the header count).
    case line(Int)
    /// A 1-based line and column (one-value-per-line files).
    case lineColumn(Int, Int)
    /// A JSON path such as `MetricDataResults[0].Values[12]` (0-based indexes).
    case jsonPath(String)
    /// A parameter of a generator or transform, such as `promotions[1].durationSeconds`.
    case parameter(String)
  }

  public enum Problem: Equatable, Sendable {
    /// The file could not be opened or read.
    case unreadableFile(reason: String)
    /// A CSV row does not have exactly two comma-separated fields.
    case wrongColumnCount(found: Int, text: String)
    /// A timestamp in none of the accepted forms, or with a field out of range.
    case unparseableTimestamp(text: String, reason: String)
    /// A naive local time that the clocks skipped (spring-forward) in `timeZone`.
    case nonexistentLocalTime(text: String, timeZone: String)
    /// A value that is not a decimal number.
    case valueNotANumber(text: String)
    /// A value that is NaN or infinite, or becomes infinite as a per-minute rate.
    case valueNotFinite(text: String)
    /// A value below zero.
    case negativeValue(text: String)
    /// A file that should list values, one per line, lists none.
    case noValues(expected: String)
    /// A row older than the row before it (`previousAt` is e.g. "line 56").
    case timestampsGoBackwards(timestamp: String, previous: String, previousAt: String)
    /// Two rows for the same interval (`firstAt` is where the first one is).
    case duplicateTimestamp(timestamp: String, firstAt: String)
    /// Missing intervals before this row, with `gaps: .error`.
    case gap(expected: String, found: String, missingCount: Int, intervalSeconds: Double)
    /// A timestamp that is not a whole number of intervals after the first one.
    case offGrid(
      timestamp: String, intervalSeconds: Double, gridStart: String,
      nearestBefore: String, nearestAfter: String, intervalWasInferred: Bool)
    /// Fewer than two data rows (an interval cannot be known from one).
    case tooFewRows(found: Int)
    /// The series would have more intervals than `DemandSeries.maximumCount`.
    case tooManyIntervals(count: Double)
    /// The JSON could not be decoded at all.
    case invalidJSON(reason: String)
    /// A required JSON field is absent.
    case missingField(name: String)
    /// A JSON value of the wrong type.
    case wrongJSONType(expected: String, found: String)
    /// JSON that is neither get-metric-data nor get-metric-statistics output.
    case unknownJSONShape(foundKeys: [String])
    /// `MetricDataResults` is empty.
    case noMetricDataResults
    /// `metricId` names no result; `available` lists the ids there are.
    case metricIdNotFound(id: String, available: [String])
    /// Several results and no `metricId` to choose one.
    case metricIdRequired(available: [String])
    /// `Timestamps` and `Values` of one result differ in length.
    case lengthMismatch(id: String, timestamps: Int, values: Int)
    /// A result whose `StatusCode` is not `Complete` (PartialData means more pages).
    case incompleteResult(id: String, statusCode: String)
    /// The output has a `NextToken`: only the first page was saved.
    case moreDataPages
    /// A datapoint lacks the chosen statistic; `present` lists what it has.
    case missingStatistic(statistic: String, present: [String])
    /// A generator, transform or series argument outside its range.
    case invalidArgument(expected: String, found: String)
    /// The capacity model has no entry for this type; `known` is sorted.
    case unknownInstanceType(String, known: [String])
  }

  public var source: String
  public var location: Location
  public var problem: Problem

  public init(source: String, location: Location = .whole, problem: Problem) {
    self.source = source
    self.location = location
    self.problem = problem
  }

  public var description: String {
    let at: String
    switch location {
    case .whole: at = "\(source): "
    case .line(let line): at = "\(source):\(line): "
    case .lineColumn(let line, let column): at = "\(source):\(line):\(column): "
    case .jsonPath(let path): at = "\(source): \(path): "
    case .parameter(let name): at = "\(source): \(name) "
    }
    return at + message
  }

  /// The problem without its location.
  public var message: String {
    switch problem {
    case .unreadableFile(let reason):
      return "cannot read the file: \(reason)"
    case .wrongColumnCount(let found, let text):
      return "expected 2 comma-separated columns (timestamp,value), found \(found) in "
        + "'\(Self.clip(text))'; quoted fields are not supported"
    case .unparseableTimestamp(let text, let reason):
      return "timestamp '\(Self.clip(text))' is not readable (\(reason)); expected ISO 8601 "
        + "(2026-01-05T12:00:00Z, 2026-01-05T12:00:00+09:00, 2026-01-05T12:00:00), "
        + "'2026-01-05 12:00:00' or epoch seconds (1767614400)"
    case .nonexistentLocalTime(let text, let zone):
      return "local time \(text) does not exist in \(zone) (the clocks skipped it for "
        + "daylight saving time); expected a time that exists there, or give the offset"
    case .valueNotANumber(let text):
      return "value '\(Self.clip(text))' is not a number; expected a decimal such as 12 or 12.5"
    case .valueNotFinite(let text):
      return "value '\(Self.clip(text))' is not finite; expected a finite number >= 0"
    case .negativeValue(let text):
      return "value \(Self.clip(text)) is negative; demand must be >= 0"
    case .noValues(let expected):
      return "expected \(expected), found none"
    case .timestampsGoBackwards(let timestamp, let previous, let previousAt):
      return "timestamps go backwards: \(timestamp) comes after \(previous) (\(previousAt)); "
        + "rows must be sorted oldest first"
    case .duplicateTimestamp(let timestamp, let firstAt):
      return "duplicate timestamp: \(timestamp) falls in the same interval as \(firstAt); "
        + "expected one row per interval"
    case .gap(let expected, let found, let missing, let interval):
      let noun = missing == 1 ? "interval is" : "intervals are"
      return "gap before this row: expected \(expected), found \(found) (\(missing) \(noun) "
        + "missing at \(Self.seconds(interval)) s each); set gaps to interpolate or zero to fill"
    case .offGrid(let timestamp, let interval, let gridStart, let before, let after, let inferred):
      let how = inferred ? "inferred as the most common spacing; set intervalSeconds to choose" : "as given"
      return "timestamp \(timestamp) is off the \(Self.seconds(interval)) s grid that starts at "
        + "\(gridStart); expected \(before) or \(after) (interval \(how))"
    case .tooFewRows(let found):
      return "expected at least 2 data rows to know the interval, found \(found)"
    case .tooManyIntervals(let count):
      return "the series would have \(Self.seconds(count.rounded(.up))) intervals, more than "
        + "the limit of \(DemandSeries.maximumCount); check the timestamps and the interval"
    case .invalidJSON(let reason):
      return "expected CloudWatch JSON, found text that does not decode as JSON: \(reason)"
    case .missingField(let name):
      return "expected the field '\(name)', found none"
    case .wrongJSONType(let expected, let found):
      return "expected \(expected), found \(found)"
    case .unknownJSONShape(let keys):
      let found = keys.isEmpty ? "an empty object" : "keys \(keys.joined(separator: ", "))"
      return "expected the output of 'aws cloudwatch get-metric-data' (MetricDataResults) or "
        + "'get-metric-statistics' (Datapoints), found \(found)"
    case .noMetricDataResults:
      return "MetricDataResults is empty; expected at least one result"
    case .metricIdNotFound(let id, let available):
      return "no result has Id '\(id)'; the ids are \(Self.list(available))"
    case .metricIdRequired(let available):
      return "found \(available.count) results; choose one by metric id: \(Self.list(available))"
    case .lengthMismatch(let id, let timestamps, let values):
      return "result '\(id)' has \(timestamps) Timestamps but \(values) Values; expected equal "
        + "lengths (Timestamps[i] pairs with Values[i])"
    case .incompleteResult(let id, let status):
      if status == "PartialData" {
        return "result '\(id)' has StatusCode PartialData: this is one page of several; fetch "
          + "all pages (repeat the call with --next-token) and merge their Timestamps and Values"
      }
      return "result '\(id)' has StatusCode \(status); expected Complete"
    case .moreDataPages:
      return "the output has a NextToken, so it is only the first page; fetch all pages "
        + "(repeat the call with --next-token until none is returned) and merge them"
    case .missingStatistic(let statistic, let present):
      let found = present.isEmpty ? "no statistic" : "only \(present.joined(separator: ", "))"
      return "expected the statistic \(statistic), found \(found)"
    case .invalidArgument(let expected, let found):
      return "should be \(expected), found \(found)"
    case .unknownInstanceType(let type, let known):
      let list = known.isEmpty ? "the model has no instance types" : "known types: \(known.joined(separator: ", "))"
      return "no capacity given for instance type '\(type)'; \(list)"
    }
  }

  private static func clip(_ text: String) -> String {
    text.count <= 60 ? text : String(text.prefix(57)) + "..."
  }

  private static func list(_ ids: [String]) -> String {
    ids.map { "'\($0)'" }.joined(separator: ", ")
  }

  /// Whole numbers without a fraction (300, not 300.0).
  static func seconds(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
  }
}
