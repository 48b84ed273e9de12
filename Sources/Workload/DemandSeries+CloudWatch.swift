import Foundation

extension DemandSeries {
  /// Reads the JSON the AWS CLI prints for `aws cloudwatch get-metric-data` or
  /// `aws cloudwatch get-metric-statistics`. See `parseCloudWatchJSON(_:source:options:metricId:statistic:)`.
  public static func loadCloudWatchJSON(
    path: String, options: DemandLoadOptions = DemandLoadOptions(), metricId: String? = nil,
    statistic: CloudWatchStatistic? = nil
  ) throws(WorkloadError) -> DemandSeries {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw WorkloadError(source: path, problem: .unreadableFile(reason: Self.reason(error)))
    }
    return try parseCloudWatchJSON(data, source: path, options: options, metricId: metricId, statistic: statistic)
  }

  /// Reads CloudWatch CLI output into a series, oldest first.
  ///
  /// - `get-metric-data` (`MetricDataResults`): picks the result whose `Id` is `metricId`,
  ///   or the only one when `metricId` is nil. Timestamps may come in any order (newest
  ///   first is the CLI default). A `NextToken`, or a `StatusCode` other than `Complete`
  ///   (`PartialData` means more pages), is an error: fetch every page and merge them
  ///   first. `statistic` is ignored (each result already is one statistic).
  /// - `get-metric-statistics` (`Datapoints`, unordered): reads `statistic`; when nil,
  ///   `Sum` if any datapoint has it, else `Average`. A datapoint without it is an error.
  ///
  /// Timestamps are ISO 8601 strings (or epoch-second numbers; a naive string is read in
  /// `options.naiveTimeZone`, a repeated fall-back time as its first reading, since the
  /// input order says nothing there); the usual `Sum` per period
  /// fits the default `valueMeaning` `.totalPerInterval`. After sorting, the CSV rules
  /// apply: no duplicates, every point on the grid, gaps per `options.gaps`. Errors name
  /// the JSON path, e.g. `MetricDataResults[0].Values[12]`.
  public static func parseCloudWatchJSON(
    _ data: Data, source: String, options: DemandLoadOptions = DemandLoadOptions(),
    metricId: String? = nil, statistic: CloudWatchStatistic? = nil
  ) throws(WorkloadError) -> DemandSeries {
    try CloudWatchReader(source: source, options: options).read(data, metricId: metricId, statistic: statistic)
  }
}

/// A decoded JSON value, so the reader can walk the document and name exact paths.
enum JSONNode: Decodable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONNode])
  case object([String: JSONNode])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONNode].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONNode].self))
    }
  }

  var typeName: String {
    switch self {
    case .null: return "null"
    case .bool(let value): return "the boolean \(value)"
    case .number(let value): return "the number \(WorkloadError.seconds(value))"
    case .string(let value): return "the string \"\(value.count > 40 ? String(value.prefix(37)) + "..." : value)\""
    case .array(let items): return "an array of \(items.count)"
    case .object: return "an object"
    }
  }
}

struct CloudWatchReader {
  let source: String
  let options: DemandLoadOptions

  private func error(_ path: String, _ problem: WorkloadError.Problem) -> WorkloadError {
    WorkloadError(source: source, location: path.isEmpty ? .whole : .jsonPath(path), problem: problem)
  }

  func read(_ data: Data, metricId: String?, statistic: CloudWatchStatistic?) throws(WorkloadError) -> DemandSeries {
    let root: JSONNode
    do {
      root = try JSONDecoder().decode(JSONNode.self, from: data)
    } catch let decodingError as DecodingError {
      throw error("", .invalidJSON(reason: Self.describe(decodingError)))
    } catch {
      throw self.error("", .invalidJSON(reason: "\(error)"))
    }
    guard case .object(let fields) = root else {
      throw error("", .wrongJSONType(expected: "a JSON object at the top level", found: root.typeName))
    }
    if let results = fields["MetricDataResults"] {
      return try readMetricData(results, fields: fields, metricId: metricId)
    }
    if let datapoints = fields["Datapoints"] {
      return try readStatistics(datapoints, statistic: statistic)
    }
    throw error("", .unknownJSONShape(foundKeys: fields.keys.sorted()))
  }

  // MARK: get-metric-data

  private func readMetricData(
    _ node: JSONNode, fields: [String: JSONNode], metricId: String?
  ) throws(WorkloadError) -> DemandSeries {
    if let token = fields["NextToken"], token != .null {
      if case .string(let text) = token, text.isEmpty {} else { throw error("NextToken", .moreDataPages) }
    }
    guard case .array(let results) = node else {
      throw error("MetricDataResults", .wrongJSONType(expected: "an array of results", found: node.typeName))
    }
    guard !results.isEmpty else { throw error("MetricDataResults", .noMetricDataResults) }

    var ids: [String] = []
    for (index, result) in results.enumerated() {
      let path = "MetricDataResults[\(index)]"
      guard case .object(let object) = result else {
        throw error(path, .wrongJSONType(expected: "an object", found: result.typeName))
      }
      ids.append(try string(object, "Id", at: path))
    }
    let index: Int
    if let metricId {
      guard let found = ids.firstIndex(of: metricId) else {
        throw error("MetricDataResults", .metricIdNotFound(id: metricId, available: ids))
      }
      index = found
    } else {
      guard ids.count == 1 else { throw error("MetricDataResults", .metricIdRequired(available: ids)) }
      index = 0
    }

    let path = "MetricDataResults[\(index)]"
    guard case .object(let result) = results[index] else { preconditionFailure("checked above") }
    let id = ids[index]
    if let status = result["StatusCode"] {
      guard case .string(let code) = status else {
        throw error(
          path + ".StatusCode", .wrongJSONType(expected: "a string such as \"Complete\"", found: status.typeName))
      }
      guard code == "Complete" else { throw error(path + ".StatusCode", .incompleteResult(id: id, statusCode: code)) }
    }
    let timestamps = try array(result, "Timestamps", at: path)
    let values = try array(result, "Values", at: path)
    guard timestamps.count == values.count else {
      throw error(path, .lengthMismatch(id: id, timestamps: timestamps.count, values: values.count))
    }

    var points: [(time: Double, value: Double, index: Int)] = []
    points.reserveCapacity(values.count)
    var styles: [TimestampStyle] = []
    var texts: [String] = []
    var converter = NaiveTimeConverter(timeZone: options.naiveTimeZone)
    for i in 0..<values.count {
      let (time, style, text) = try timestamp(timestamps[i], at: "\(path).Timestamps[\(i)]", converter: &converter)
      let value = try demandValue(values[i], at: "\(path).Values[\(i)]")
      points.append((time, value, i))
      styles.append(style)
      texts.append(text)
    }
    return try assemble(points, describe: { i in
      PointReference(location: .jsonPath("\(path).Timestamps[\(i)]"), timestampText: texts[i], style: styles[i])
    })
  }

  // MARK: get-metric-statistics

  private func readStatistics(_ node: JSONNode, statistic: CloudWatchStatistic?) throws(WorkloadError) -> DemandSeries {
    guard case .array(let datapoints) = node else {
      throw error("Datapoints", .wrongJSONType(expected: "an array of datapoints", found: node.typeName))
    }
    var objects: [[String: JSONNode]] = []
    for (index, datapoint) in datapoints.enumerated() {
      guard case .object(let object) = datapoint else {
        throw error("Datapoints[\(index)]", .wrongJSONType(expected: "an object", found: datapoint.typeName))
      }
      objects.append(object)
    }
    let chosen = statistic ?? (objects.contains { $0["Sum"] != nil } ? .sum : .average)
    let key = chosen.rawValue

    var points: [(time: Double, value: Double, index: Int)] = []
    var styles: [TimestampStyle] = []
    var texts: [String] = []
    var converter = NaiveTimeConverter(timeZone: options.naiveTimeZone)
    for (i, object) in objects.enumerated() {
      let path = "Datapoints[\(i)]"
      guard let timeNode = object["Timestamp"] else { throw error(path, .missingField(name: "Timestamp")) }
      let (time, style, text) = try timestamp(timeNode, at: path + ".Timestamp", converter: &converter)
      guard let valueNode = object[key] else {
        let present = CloudWatchStatistic.allCases.map(\.rawValue).filter { object[$0] != nil }
        throw error(path, .missingStatistic(statistic: key, present: present))
      }
      let value = try demandValue(valueNode, at: "\(path).\(key)")
      points.append((time, value, i))
      styles.append(style)
      texts.append(text)
    }
    return try assemble(points, describe: { i in
      PointReference(location: .jsonPath("Datapoints[\(i)].Timestamp"), timestampText: texts[i], style: styles[i])
    })
  }

  // MARK: shared

  /// Sorts oldest first (stable), rejects equal times, then applies the grid and gap rules.
  /// `describe` takes an index into the original JSON array.
  private func assemble(
    _ points: [(time: Double, value: Double, index: Int)], describe: (Int) -> PointReference
  ) throws(WorkloadError) -> DemandSeries {
    let sorted = points.sorted { ($0.time, $0.index) < ($1.time, $1.index) }
    for k in sorted.indices.dropFirst() where sorted[k].time == sorted[k - 1].time {
      let here = describe(sorted[k].index), first = describe(sorted[k - 1].index)
      throw WorkloadError(
        source: source, location: here.location,
        problem: .duplicateTimestamp(timestamp: here.timestampText, firstAt: first.place))
    }
    return try SeriesAssembler.assemble(
      times: sorted.map(\.time), values: sorted.map(\.value), options: options, source: source,
      reference: { k in describe(sorted[k].index) }
    ).get()
  }

  private func timestamp(
    _ node: JSONNode, at path: String, converter: inout NaiveTimeConverter
  ) throws(WorkloadError) -> (Double, TimestampStyle, String) {
    switch node {
    case .number(let seconds):
      guard seconds.isFinite, seconds >= 0, seconds < DemandTimestamp.epochLimit else {
        throw error(path, .wrongJSONType(expected: "epoch seconds between 0 and 1e11", found: node.typeName))
      }
      return (seconds, .epoch, WorkloadError.seconds(seconds))
    case .string(let text):
      switch DemandTimestamp.parse(text) {
      case .failure(let reason):
        throw error(path, .unparseableTimestamp(text: text, reason: reason))
      case .instant(let utc, let style):
        return (utc, style, text)
      case .naive(let local, let style):
        switch converter.convert(localSeconds: local) {
        case .unique(let utc): return (utc, style, text)
        case .ambiguous(let early, _): return (early, style, text)  // order unknown before sorting
        case .nonexistent:
          throw error(path, .nonexistentLocalTime(text: text, timeZone: options.naiveTimeZone.identifier))
        }
      }
    default:
      throw error(path, .wrongJSONType(expected: "an ISO 8601 timestamp string", found: node.typeName))
    }
  }

  private func demandValue(_ node: JSONNode, at path: String) throws(WorkloadError) -> Double {
    guard case .number(let value) = node else {
      throw error(path, .wrongJSONType(expected: "a number", found: node.typeName))
    }
    guard value.isFinite else { throw error(path, .valueNotFinite(text: "\(value)")) }
    guard value >= 0 else { throw error(path, .negativeValue(text: WorkloadError.seconds(value))) }
    return value == 0 ? 0 : value
  }

  private func string(_ object: [String: JSONNode], _ key: String, at path: String) throws(WorkloadError) -> String {
    guard let node = object[key] else { throw error(path, .missingField(name: key)) }
    guard case .string(let text) = node else {
      throw error("\(path).\(key)", .wrongJSONType(expected: "a string", found: node.typeName))
    }
    return text
  }

  private func array(_ object: [String: JSONNode], _ key: String, at path: String) throws(WorkloadError) -> [JSONNode] {
    guard let node = object[key] else { throw error(path, .missingField(name: key)) }
    guard case .array(let items) = node else {
      throw error("\(path).\(key)", .wrongJSONType(expected: "an array", found: node.typeName))
    }
    return items
  }

  private static func describe(_ error: DecodingError) -> String {
    switch error {
    case .dataCorrupted(let context):
      if let underlying = context.underlyingError { return "\(context.debugDescription) \(underlying)" }
      return context.debugDescription
    default:
      return "\(error)"
    }
  }
}
