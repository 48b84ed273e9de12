import Foundation

extension ScenarioDecoder {
  static let demandKeys = [
    "csv", "cloudwatch", "metricId", "statistic", "synthetic", "arrivals", "values", "interval", "gaps", "scale",
    "shift", "growthPercentPerYear",
  ]
  static let demandSources = ["csv", "cloudwatch", "synthetic", "arrivals"]

  func decodeDemand(_ value: YAMLValue) throws(ScenarioError) -> DemandDefinition {
    let demand = try value.mapping(allowedKeys: Self.demandKeys)
    let sources = demand.entries.filter { Self.demandSources.contains($0.key) }
    guard let sourceEntry = sources.first else {
      throw value.keyLocation.error(.missingOneOf(keys: Self.demandSources, in: value.path))
    }
    if sources.count > 1 {
      throw sources[1].value.keyLocation.error(.conflicting(
        field: sources[1].key, with: sourceEntry.key, rule: "demand takes exactly one of csv, cloudwatch, synthetic, arrivals"))
    }
    for key in ["metricId", "statistic"] where sourceEntry.key != "cloudwatch" {
      try demand.reject(key, with: sourceEntry.key, rule: "'\(key)' applies only to a cloudwatch source")
    }
    try demand.reject(
      "interval", with: "synthetic", rule: "a synthetic source sets its interval inside 'synthetic'")

    let source: DemandSourceDefinition
    let sourceValue = sourceEntry.value
    switch sourceEntry.key {
    case "csv":
      source = .csv(try existingFile(sourceValue))
    case "arrivals":
      for key in ["values", "interval", "gaps", "scale", "shift", "growthPercentPerYear"] {
        try demand.reject(key, with: "arrivals", rule: "an arrival log lists requests, counted per simulation tick")
      }
      source = .arrivals(try existingFile(sourceValue))
    case "cloudwatch":
      source = .cloudWatch(
        try existingFile(sourceValue),
        metricId: try demand.optional("metricId") { v throws(ScenarioError) in try v.identifier() },
        statistic: try demand.optional("statistic") { v throws(ScenarioError) in
          try v.choice(["Sum", "Average", "Maximum", "Minimum", "SampleCount"].map { ($0, $0) })
        })
    default:
      source = .synthetic(try decodeSynthetic(sourceValue))
    }

    var definition = DemandDefinition(source: source, location: sourceValue.keyLocation)
    definition.values = try demand.optional("values") { v throws(ScenarioError) in
      try v.choice(DemandValueKind.allCases.map { ($0.rawValue, $0) })
    } ?? .totalPerInterval
    definition.intervalSeconds = try demand.optional("interval") { v throws(ScenarioError) in try v.duration(in: .closed(1, 86_400)) }
    definition.gaps = try demand.optional("gaps") { v throws(ScenarioError) in
      try v.choice(DemandGapHandling.allCases.map { ($0.rawValue, $0) })
    } ?? .error
    definition.scale = try demand.optional("scale") { v throws(ScenarioError) in try v.double(in: .above(0, atMost: 1e6)) } ?? 1
    definition.shiftSeconds = try demand.optional("shift") { v throws(ScenarioError) in
      try v.duration(in: .closed(-3_660 * 86_400, 3_660 * 86_400))
    } ?? 0
    definition.growthPercentPerYear = try demand.optional("growthPercentPerYear") { v throws(ScenarioError) in
      try v.double(in: .above(-100, atMost: 10_000))
    } ?? 0
    return definition
  }

  /// A path relative to the scenario's directory (or absolute) naming a readable file.
  func existingFile(_ value: YAMLValue) throws(ScenarioError) -> URL {
    let path = try value.string(length: 1...4_096)
    let url = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseDirectory.appendingPathComponent(path))
      .standardizedFileURL
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw value.error(.fileUnreadable(path: path, reason: "no such file (looked for \(url.path))"))
    }
    guard !isDirectory.boolValue else {
      throw value.error(.fileUnreadable(path: path, reason: "it is a directory (\(url.path))"))
    }
    guard FileManager.default.isReadableFile(atPath: url.path) else {
      throw value.error(.fileUnreadable(path: path, reason: "permission denied (\(url.path))"))
    }
    return url
  }

  static let syntheticKeys = [
    "start", "days", "interval", "baselinePerMinute", "lunchPeakHour", "dinnerPeakHour", "weekendMultiplier",
    "noiseSigma", "promotions", "holidays",
  ]

  func decodeSynthetic(_ value: YAMLValue) throws(ScenarioError) -> SyntheticDemandDefinition {
    let synthetic = try value.mapping(allowedKeys: Self.syntheticKeys)
    var definition = SyntheticDemandDefinition(
      start: try synthetic.required("start").timestamp(in: timeZone),
      days: try synthetic.required("days").int(in: 1...3_660),
      baselinePerMinute: try synthetic.required("baselinePerMinute").double(in: .above(0, atMost: 1e12)))
    if let v = synthetic["interval"] { definition.intervalSeconds = try v.duration(in: .closed(1, 86_400)) }
    if let v = synthetic["lunchPeakHour"] { definition.lunchPeakHour = try v.double(in: .atLeast(0, below: 24)) }
    if let v = synthetic["dinnerPeakHour"] { definition.dinnerPeakHour = try v.double(in: .atLeast(0, below: 24)) }
    if let v = synthetic["weekendMultiplier"] { definition.weekendMultiplier = try v.double(in: .closed(0, 100)) }
    if let v = synthetic["noiseSigma"] { definition.noiseSigma = try v.double(in: .closed(0, 2)) }
    if let list = synthetic["promotions"] {
      for item in try list.sequence(count: 0...10_000) {
        let promotion = try item.mapping(allowedKeys: ["start", "duration", "multiplier"])
        definition.promotions.append(SyntheticDemandDefinition.Promotion(
          start: try promotion.required("start").timestamp(in: timeZone),
          durationSeconds: try promotion.required("duration").duration(in: .above(0, atMost: 366 * 86_400)),
          multiplier: try promotion.required("multiplier").double(in: .closed(0, 1_000)),
          location: item.location))
      }
    }
    if let list = synthetic["holidays"] {
      var firstLines: [LocalDate: Int] = [:]
      for item in try list.sequence(count: 0...10_000) {
        let holiday = try item.mapping(allowedKeys: ["date", "multiplier"])
        let dateValue = try holiday.required("date")
        let date = try dateValue.localDate()
        if let firstLine = firstLines[date] {
          throw dateValue.error(.duplicate(kind: "holiday date", name: date.description, firstLine: firstLine))
        }
        firstLines[date] = dateValue.location.line
        definition.holidays.append(SyntheticDemandDefinition.Holiday(
          date: date, multiplier: try holiday.required("multiplier").double(in: .closed(0, 1_000))))
      }
    }
    return definition
  }
}
