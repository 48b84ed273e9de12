import AutoScaling
import Foundation
import Workload

extension ScenarioDecoder {
  static let servingKeys = [
    "workersPerInstance", "serviceTime", "loadBalancer", "timeoutMs", "queueLimitPerInstance", "retries",
  ]
  static let serviceTimeKeys = ["distribution", "meanMs", "cv", "csv"]
  static let sloKeys = ["latencyMs", "percentile"]

  /// A decoded `serving:` block and where it is written.
  struct Serving {
    var model: ServingModel
    var value: YAMLValue
  }

  /// `serving:` (docs/scenario-format.md, "Serving and latency"). Times are written in
  /// milliseconds and kept in seconds.
  func decodeServing(_ value: YAMLValue) throws(ScenarioError) -> Serving {
    let serving = try value.mapping(allowedKeys: Self.servingKeys)
    let workers = try serving.required("workersPerInstance").int(in: 1...ServingModel.maximumWorkers)
    let serviceTime = try decodeServiceTime(serving.required("serviceTime"))
    var model = ServingModel(workersPerInstance: workers, serviceTime: serviceTime)
    model.loadBalancer = try serving.optional("loadBalancer") { v throws(ScenarioError) in
      try v.choice(ServingModel.LoadBalancer.allCases.map { ($0.rawValue, $0) })
    } ?? .leastOutstandingRequests
    model.timeoutSeconds = try serving.optional("timeoutMs") { v throws(ScenarioError) in
      try v.double(in: .above(0, atMost: 3_600_000)) / 1_000
    }
    model.queueLimitPerInstance = try serving.optional("queueLimitPerInstance") { v throws(ScenarioError) in
      try v.int(in: 1...100_000_000)
    }
    model.retries = try serving.optional("retries") { v throws(ScenarioError) in
      let retries = try v.mapping(allowedKeys: ["maxAttempts", "backoffMs"])
      return ServingModel.Retries(
        maxAttempts: try retries.required("maxAttempts").int(in: 1...ServingModel.maximumAttempts),
        backoffSeconds: try retries.optional("backoffMs") { b throws(ScenarioError) in
          try b.double(in: .closed(0, 3_600_000)) / 1_000
        } ?? 0.1)
    }
    do {
      try model.validate()
    } catch {
      throw value.keyLocation.error(.policy("serving: \(error.description)"))
    }
    return Serving(model: model, value: value)
  }

  func decodeServiceTime(_ value: YAMLValue) throws(ScenarioError) -> ServingModel.ServiceTime {
    let time = try value.mapping(allowedKeys: Self.serviceTimeKeys)
    let distribution = try time.required("distribution").choice([
      ("exponential", 0), ("lognormal", 1), ("empirical", 2),
    ])
    let rule = "exponential takes meanMs; lognormal takes meanMs and cv; empirical takes csv"
    func mean() throws(ScenarioError) -> Double {
      try time.required("meanMs").double(in: .above(0, atMost: 3_600_000)) / 1_000
    }
    switch distribution {
    case 0:
      for key in ["cv", "csv"] { try time.reject(key, with: "distribution", rule: rule) }
      return .exponential(meanSeconds: try mean())
    case 1:
      try time.reject("csv", with: "distribution", rule: rule)
      return .lognormal(
        meanSeconds: try mean(), coefficientOfVariation: try time.required("cv").double(in: .above(0, atMost: 100)))
    default:
      for key in ["meanMs", "cv"] { try time.reject(key, with: "distribution", rule: rule) }
      let csvValue = try time.required("csv")
      let url = try existingFile(csvValue)
      do {
        let milliseconds = try ValueListFile.loadNumbers(
          path: url.path, what: "service times in milliseconds", maximum: 3_600_000)
        return .empirical(samplesSeconds: milliseconds.map { $0 / 1_000 })
      } catch {
        throw Self.fileError(error, from: csvValue.location)
      }
    }
  }

  /// `slo: {latencyMs: 250, percentile: 99}`.
  func decodeSLO(_ value: YAMLValue) throws(ScenarioError) -> LatencySLO {
    let slo = try value.mapping(allowedKeys: Self.sloKeys)
    return LatencySLO(
      latencySeconds: try slo.required("latencyMs").double(in: .above(0, atMost: 3_600_000)) / 1_000,
      percentile: try slo.optional("percentile") { v throws(ScenarioError) in try v.double(in: .between(0, 100)) } ?? 99)
  }

  /// A problem inside a file the scenario names, at that file's line and column (the path
  /// relative to the working directory when it lies below it), naming the YAML that named it.
  /// A problem with the file as a whole (no values in it) is reported at that YAML instead.
  static func fileError(_ error: WorkloadError, from yaml: SourceLocation) -> ScenarioError {
    let cwd = FileManager.default.currentDirectoryPath + "/"
    let path = error.source.hasPrefix(cwd) ? String(error.source.dropFirst(cwd.count)) : error.source
    let (line, column): (Int, Int)
    switch error.location {
    case .lineColumn(let l, let c): (line, column) = (l, c)
    case .line(let l): (line, column) = (l, 1)
    default: return yaml.error(.demand("\(path): \(error.message)"))
    }
    return SourceLocation(file: path, line: line, column: column).error(.demand("\(error.message) (named at \(yaml))"))
  }

  /// The capacity one instance of the fleet's type has: from `serving` when given (and
  /// then `capacity.unitsPerMinute` may repeat it but not contradict it), else from `capacity`.
  func fleetCapacity(
    instanceType: String, typeValue: YAMLValue, capacity: Capacity?, serving: Serving?
  ) throws(ScenarioError) -> Double {
    let written = capacity?.unitsPerMinute[instanceType]
    guard let serving else {
      guard let written, let capacity else {
        let known = capacity?.unitsPerMinute.keys.sorted() ?? []
        let place = capacity.map { "listed in \($0.node.path)" } ?? "with a 'capacity' or 'serving' block"
        throw typeValue.invalid(
          "an instance type \(place)" + (known.isEmpty ? "" : " (\(known.joined(separator: ", ")))"),
          suggestion: Suggestion.closest(to: instanceType, among: known))
      }
      _ = capacity
      return written
    }
    let derived = serving.model.capacityUnitsPerMinute
    if let written, abs(written - derived) > 1e-6 * derived, let node = capacity?.values[instanceType] {
      let mean = serving.model.serviceTime.meanSeconds * 1_000
      throw node.error(.invalidValue(
        field: instanceType,
        expected: "the capacity the serving block at line \(serving.value.keyLocation.line) gives, "
          + "workersPerInstance x 60000 / mean service ms = \(serving.model.workersPerInstance) x 60000 / "
          + "\(NumberRange.format(mean)) = \(NumberRange.format(derived)) requests per minute (or leave it out)",
        found: NumberRange.format(written), suggestion: nil))
    }
    return derived
  }
}
