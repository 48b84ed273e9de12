import Foundation

/// Files with one value per line: service-time samples (milliseconds) and arrival logs
/// (one timestamp per request, e.g. cut from ALB access logs). Blank lines and lines
/// starting with `#` are skipped; errors name the file, line and column.
///
///     let samples = try ValueListFile.loadNumbers(path: "latency.csv", what: "service times in ms")
///     let arrivals = try ValueListFile.loadArrivalTimes(path: "arrivals.log", naiveTimeZone: .gmt)
public enum ValueListFile {
  /// Each line a decimal number > 0 and finite (a first line that is not a number is a
  /// header only if `allowsHeader`).
  public static func loadNumbers(
    path: String, what: String, maximum: Double = 1e12, allowsHeader: Bool = true
  ) throws(WorkloadError) -> [Double] {
    var values: [Double] = []
    var first = true
    try forEachLine(path: path) { (text, line, column) throws(WorkloadError) in
      defer { first = false }
      guard let value = Double(text), text.allSatisfy({ "0123456789.eE+-".contains($0) }) else {
        if first && allowsHeader && !text.contains(where: \.isNumber) { return }
        throw WorkloadError(source: path, location: .lineColumn(line, column), problem: .valueNotANumber(text: text))
      }
      guard value.isFinite else {
        throw WorkloadError(source: path, location: .lineColumn(line, column), problem: .valueNotFinite(text: text))
      }
      guard value > 0 && value <= maximum else {
        throw WorkloadError(
          source: path, location: .lineColumn(line, column),
          problem: .invalidArgument(expected: "a number > 0 and <= \(WorkloadError.seconds(maximum))", found: text))
      }
      values.append(value)
    }
    guard !values.isEmpty else {
      throw WorkloadError(source: path, problem: .noValues(expected: "\(what), one per line"))
    }
    return values
  }

  /// Request arrival times, seconds since 1970 UTC, sorted oldest first (equal times are
  /// fine: several requests in one timestamp's resolution). Timestamps as in demand CSVs:
  /// ISO 8601 with or without an offset (naive ones in `naiveTimeZone`), or epoch seconds.
  public static func loadArrivalTimes(path: String, naiveTimeZone: TimeZone) throws(WorkloadError) -> [Double] {
    var converter = NaiveTimeConverter(timeZone: naiveTimeZone)
    var times: [Double] = []
    var previousText = ""
    var previousLine = 0
    try forEachLine(path: path) { (text, line, column) throws(WorkloadError) in
      let at = WorkloadError.Location.lineColumn(line, column)
      let utc: Double
      switch DemandTimestamp.parse(text) {
      case .failure(let reason):
        if times.isEmpty && previousLine == 0 && !text.contains(where: \.isNumber) {
          previousLine = -1  // a header line
          return
        }
        throw WorkloadError(source: path, location: at, problem: .unparseableTimestamp(text: text, reason: reason))
      case .instant(let instant, _):
        utc = instant
      case .naive(let local, _):
        switch converter.convert(localSeconds: local) {
        case .unique(let instant): utc = instant
        case .ambiguous(let early, let late): utc = (times.last ?? -.infinity) <= early ? early : late
        case .nonexistent:
          throw WorkloadError(
            source: path, location: at, problem: .nonexistentLocalTime(text: text, timeZone: naiveTimeZone.identifier))
        }
      }
      if let last = times.last, utc < last {
        throw WorkloadError(
          source: path, location: at,
          problem: .timestampsGoBackwards(timestamp: text, previous: previousText, previousAt: "line \(previousLine)"))
      }
      guard times.count < DemandSeries.maximumCount * 100 else {
        throw WorkloadError(source: path, location: at, problem: .tooManyIntervals(count: Double(times.count + 1)))
      }
      times.append(utc)
      previousText = text
      previousLine = line
    }
    guard !times.isEmpty else {
      throw WorkloadError(source: path, problem: .noValues(expected: "request arrival timestamps, one per line"))
    }
    return times
  }

  /// Calls `body` with each non-blank, non-comment line's trimmed text, its 1-based line
  /// number and the 1-based column where the text starts.
  static func forEachLine(
    path: String, _ body: (String, Int, Int) throws(WorkloadError) -> Void
  ) throws(WorkloadError) {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw WorkloadError(source: path, problem: .unreadableFile(reason: DemandSeries.reason(error)))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw WorkloadError(source: path, problem: .unreadableFile(reason: "it is not UTF-8 text"))
    }
    var lineNumber = 0
    // "\r\n" is one Character in Swift: split on it too, or CRLF files are one long line.
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      lineNumber += 1
      var line = Substring(rawLine)
      if line.last == "\r" { line = line.dropLast() }
      if lineNumber == 1 && line.first == "\u{FEFF}" { line = line.dropFirst() }
      let leading = line.prefix { $0 == " " || $0 == "\t" }
      let content = line.dropFirst(leading.count).trimmingCharacters(in: .whitespaces)
      if content.isEmpty || content.hasPrefix("#") { continue }
      try body(content, lineNumber, leading.count + 1)
    }
  }
}
