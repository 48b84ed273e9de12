import Foundation

extension DemandSeries {
  /// Reads a `timestamp,value` CSV file. See `parseCSV(_:source:options:)` for the format;
  /// errors name `path` as given.
  public static func loadCSV(
    path: String, options: DemandLoadOptions = DemandLoadOptions()
  ) throws(WorkloadError) -> DemandSeries {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw WorkloadError(source: path, problem: .unreadableFile(reason: Self.reason(error)))
    }
    let result = data.withUnsafeBytes { raw in
      CSVDemandReader.read(raw.bindMemory(to: UInt8.self), source: path, options: options)
    }
    return try result.get()
  }

  /// Reads `timestamp,value` rows, oldest first, one per interval.
  ///
  /// - Header: optional; the first non-blank row is taken as a header when its value is not
  ///   a number and its first field is not a timestamp.
  /// - Timestamps: ISO 8601 with `Z`, an offset, or none (`2026-01-05T12:00:00`, optional
  ///   fraction), `2026-01-05 12:00:00`, a bare date, or epoch seconds (`1767614400`,
  ///   `1767614400.5`). Times without an offset are in `options.naiveTimeZone`.
  /// - Values: decimal numbers, finite and >= 0, read per `options.valueMeaning`.
  /// - Blank lines, `\r\n` endings, a UTF-8 byte-order mark and spaces around fields are
  ///   fine. Quoted fields are not supported (the format never needs them); a row with a
  ///   quote gets a column-count or number error.
  /// - Every row must lie on the grid `first + k * interval`; missing slots follow
  ///   `options.gaps`.
  ///
  /// Errors name `source` and the 1-based line: wrong column count, unreadable timestamp,
  /// value not a number, NaN or infinite, negative, timestamps going backwards, duplicate
  /// timestamp, gap (with `.error`), off-grid timestamp, fewer than two rows.
  /// - Complexity: O(rows + intervals).
  public static func parseCSV(
    _ text: String, source: String, options: DemandLoadOptions = DemandLoadOptions()
  ) throws(WorkloadError) -> DemandSeries {
    var text = text
    let result = text.withUTF8 { CSVDemandReader.read($0, source: source, options: options) }
    return try result.get()
  }

  static func reason(_ error: any Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
      return "\(nsError.localizedDescription) (\(underlying.localizedDescription))"
    }
    return nsError.localizedDescription
  }
}

/// The CSV reader, written by hand rather than with a CSV library: it needs exact line
/// numbers for every error, and it must read 500k rows quickly. It works on the UTF-8
/// bytes in one pass: split lines, split the two fields, parse the timestamp
/// (`DemandTimestamp`: `CivilCalendar`'s ISO 8601 reader) and the value (`parseValue`),
/// check order; then `SeriesAssembler` checks the grid and fills gaps.
enum CSVDemandReader {
  static func read(
    _ bytes: UnsafeBufferPointer<UInt8>, source: String, options: DemandLoadOptions
  ) -> Result<DemandSeries, WorkloadError> {
    var converter = NaiveTimeConverter(timeZone: options.naiveTimeZone)
    var times: [Double] = [], values: [Double] = []
    var lines: [Int] = [], fieldStarts: [Int] = [], fieldEnds: [Int] = []
    let estimatedRows = bytes.count / 24
    times.reserveCapacity(estimatedRows)
    values.reserveCapacity(estimatedRows)
    lines.reserveCapacity(estimatedRows)
    fieldStarts.reserveCapacity(estimatedRows)
    fieldEnds.reserveCapacity(estimatedRows)

    func text(_ start: Int, _ end: Int) -> String {
      var start = start, end = end
      while start < end && isSpace(bytes[start]) { start += 1 }
      while end > start && isSpace(bytes[end - 1]) { end -= 1 }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
    func reference(_ k: Int) -> PointReference {
      let style: TimestampStyle
      switch DemandTimestamp.parse(bytes, fieldStarts[k], fieldEnds[k]) {
      case .instant(_, let s), .naive(_, let s): style = s
      case .failure: style = .epoch
      }
      return PointReference(location: .line(lines[k]), timestampText: text(fieldStarts[k], fieldEnds[k]), style: style)
    }
    func failure(_ line: Int, _ problem: WorkloadError.Problem) -> Result<DemandSeries, WorkloadError> {
      .failure(WorkloadError(source: source, location: .line(line), problem: problem))
    }

    var position = 0
    let count = bytes.count
    if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    var lineNumber = 0
    var sawFirstRow = false
    while position < count {
      lineNumber += 1
      let lineStart = position
      var lineEnd = position
      var commas = 0, firstComma = -1
      while lineEnd < count && bytes[lineEnd] != 10 {
        if bytes[lineEnd] == 44 {
          if commas == 0 { firstComma = lineEnd }
          commas += 1
        }
        lineEnd += 1
      }
      position = lineEnd + 1
      var contentEnd = lineEnd
      if contentEnd > lineStart && bytes[contentEnd - 1] == 13 { contentEnd -= 1 }
      var blank = true
      for i in lineStart..<contentEnd where !isSpace(bytes[i]) {
        blank = false
        break
      }
      if blank { continue }

      guard commas == 1 else {
        return failure(lineNumber, .wrongColumnCount(found: commas + 1, text: text(lineStart, contentEnd)))
      }
      let parsedTime = DemandTimestamp.parse(bytes, lineStart, firstComma)
      let parsedValue = parseValue(bytes, firstComma + 1, contentEnd)

      if !sawFirstRow {
        sawFirstRow = true
        if case .failure = parsedTime, case .notANumber = parsedValue { continue }  // header
      }

      let utc: Double
      switch parsedTime {
      case .failure(let reason):
        return failure(lineNumber, .unparseableTimestamp(text: text(lineStart, firstComma), reason: reason))
      case .instant(let instant, _):
        utc = instant
      case .naive(let local, _):
        switch converter.convert(localSeconds: local) {
        case .unique(let instant):
          utc = instant
        case .ambiguous(let early, let late):
          // The repeated fall-back hour: take the first reading after the previous row.
          utc = (times.last ?? -Double.infinity) < early ? early : late
        case .nonexistent:
          return failure(
            lineNumber,
            .nonexistentLocalTime(text: text(lineStart, firstComma), timeZone: options.naiveTimeZone.identifier))
        }
      }

      let value: Double
      switch parsedValue {
      case .number(let number): value = number
      case .notANumber: return failure(lineNumber, .valueNotANumber(text: text(firstComma + 1, contentEnd)))
      case .notFinite: return failure(lineNumber, .valueNotFinite(text: text(firstComma + 1, contentEnd)))
      case .negative: return failure(lineNumber, .negativeValue(text: text(firstComma + 1, contentEnd)))
      }

      if let previous = times.last, utc <= previous {
        let k = times.count - 1
        let earlier = text(fieldStarts[k], fieldEnds[k])
        let here = text(lineStart, firstComma)
        if utc == previous {
          return failure(lineNumber, .duplicateTimestamp(timestamp: here, firstAt: "line \(lines[k])"))
        }
        return failure(
          lineNumber, .timestampsGoBackwards(timestamp: here, previous: earlier, previousAt: "line \(lines[k])"))
      }
      times.append(utc)
      values.append(value)
      lines.append(lineNumber)
      fieldStarts.append(lineStart)
      fieldEnds.append(firstComma)
    }
    return SeriesAssembler.assemble(
      times: times, values: values, options: options, source: source, reference: reference)
  }

  @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
  @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 }

  enum ParsedValue: Equatable {
    case number(Double)
    case notANumber
    case notFinite
    case negative
  }

  private static let powersOfTen: [Double] = (0...22).map { exponent in
    var value = 1.0
    for _ in 0..<exponent { value *= 10 }
    return value
  }

  /// A decimal value. Plain decimals of up to 15 digits (nearly every file) take an exact
  /// fast path: the digits as an integer below 2^53 divided by a power of ten below 10^23,
  /// both exact, so the one division is correctly rounded. Anything else (exponents, more
  /// digits, `nan`, `inf`) goes through `Double(String)`.
  static func parseValue(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> ParsedValue {
    var start = start, end = end
    while start < end && isSpace(bytes[start]) { start += 1 }
    while end > start && isSpace(bytes[end - 1]) { end -= 1 }
    guard start < end else { return .notANumber }

    var i = start
    var isNegative = false
    if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
      isNegative = bytes[i] == UInt8(ascii: "-")
      i += 1
    }
    var mantissa: Int64 = 0, digits = 0, fractionDigits = 0, sawDot = false, simple = i < end
    while i < end {
      let c = bytes[i]
      if isDigit(c) {
        mantissa = mantissa &* 10 &+ Int64(c &- 48)
        digits += 1
        if sawDot { fractionDigits += 1 }
      } else if c == UInt8(ascii: ".") && !sawDot {
        sawDot = true
      } else {
        simple = false
        break
      }
      i += 1
    }
    let value: Double
    if simple && digits > 0 && digits <= 15 {
      value = Double(mantissa) / powersOfTen[fractionDigits]
    } else {
      let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
      // Double(String) also reads hexadecimal ("0x1p3"); a demand file never means that.
      guard !text.contains(where: { $0 == "x" || $0 == "X" }), let parsed = Double(text) else {
        return .notANumber
      }
      guard parsed.isFinite else { return .notFinite }
      value = parsed
    }
    if value < 0 || (isNegative && value != 0) { return .negative }
    return .number(value == 0 ? 0 : value)
  }
}
