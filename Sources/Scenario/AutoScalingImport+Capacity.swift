import Foundation
import Workload

extension AutoScalingImport {
  /// The CloudWatch metrics `capsim import` estimates `capacity.unitsPerMinute` from, when
  /// `--units-per-minute` is not given. Each file is `get-metric-data` (or
  /// `get-metric-statistics`) JSON or a `timestamp,value` CSV, with one series.
  public struct CapacityMetrics: Sendable {
    /// The group's `CPUUtilization` (AWS/EC2, dimension AutoScalingGroupName), Average, percent.
    public var cpuPath: String
    /// `RequestCountPerTarget` (AWS/ApplicationELB), Sum per period; or, with
    /// `instancesPath`, the load balancer's or target group's `RequestCount`, Sum per period.
    public var requestsPath: String
    /// `GroupInServiceInstances` (AWS/AutoScaling), Average: requests are divided by it.
    public var instancesPath: String?

    public init(cpuPath: String, requestsPath: String, instancesPath: String? = nil) {
      self.cpuPath = cpuPath
      self.requestsPath = requestsPath
      self.instancesPath = instancesPath
    }
  }

  /// Loads the metrics, puts them on one grid (the coarsest period; a finer series is
  /// averaged over it) over the time all of them cover, and fits `CapacityEstimate`.
  /// Periods where the group had no instance in service are left out.
  public static func estimateCapacity(_ metrics: CapacityMetrics) throws(ScenarioError) -> CapacityEstimate {
    let cpu = try loadMetric(metrics.cpuPath, option: "--cpu", meaning: .ratePerMinute)
    let requests = try loadMetric(metrics.requestsPath, option: "--requests", meaning: .totalPerInterval)
    let instances = try metrics.instancesPath.map { path throws(ScenarioError) in
      try loadMetric(path, option: "--instances", meaning: .ratePerMinute)
    }
    let named = [("--cpu", metrics.cpuPath, cpu), ("--requests", metrics.requestsPath, requests)]
      + (instances.map { [("--instances", metrics.instancesPath!, $0)] } ?? [])
    let interval = named.map(\.2.intervalSeconds).max()!
    var series: [(option: String, path: String, series: DemandSeries)] = []
    for (option, path, metric) in named {
      do {
        series.append((option, path, metric.intervalSeconds == interval ? metric : try metric.resampled(toIntervalSeconds: interval)))
      } catch {
        throw ScenarioError(file: path, line: 0, column: 0, problem: .importedDocument("the \(option) metric cannot be averaged to \(Int(interval)) s periods: \(error.message)"))
      }
    }
    // The common window, on the first series' grid.
    let start = series.map(\.series.start).max()!
    let end = series.map(\.series.end).min()!
    for entry in series {
      let offset = start.timeIntervalSince(entry.series.start) / interval
      guard abs(offset - offset.rounded()) < 1e-6 else {
        throw ScenarioError(
          file: entry.path, line: 0, column: 0,
          problem: .importedDocument(
            "the \(entry.option) periods start at \(entry.series.start) and are not aligned with the other metrics' \(Int(interval)) s periods starting \(start): query every metric with the same StartTime and Period"))
      }
    }
    let count = max(0, Int(((end.timeIntervalSince(start)) / interval).rounded(.down)))
    func values(_ entry: (option: String, path: String, series: DemandSeries)) -> [Double] {
      let first = Int((start.timeIntervalSince(entry.series.start) / interval).rounded())
      return Array(entry.series.valuesPerMinute[first..<first + count])
    }
    let cpuValues = values(series[0])
    for (index, value) in cpuValues.enumerated() where value > 100 {
      throw ScenarioError(
        file: metrics.cpuPath, line: 0, column: 0,
        problem: .importedDocument(
          "the --cpu metric is \(ImportYAML.number(value)) at \(start.addingTimeInterval(Double(index) * interval)): expected CPUUtilization in percent, 0 to 100"))
    }
    let requestsPerMinute = values(series[1])
    let instanceValues = series.count > 2 ? values(series[2]) : nil
    var rates: [Double?] = []
    for i in 0..<count {
      guard let instanceValues else {
        rates.append(requestsPerMinute[i])
        continue
      }
      rates.append(instanceValues[i] > 0 ? requestsPerMinute[i] / instanceValues[i] : nil)
    }
    do {
      return try CapacityEstimate.fit(cpuPercent: cpuValues, requestsPerInstancePerMinute: rates)
    } catch {
      throw ScenarioError(
        file: metrics.cpuPath, line: 0, column: 0,
        problem: .importedDocument(
          "cannot estimate capacity from --cpu \(metrics.cpuPath) and --requests \(metrics.requestsPath) over \(count) common \(Int(interval)) s periods: expected \(Self.expected(error)); give --units-per-minute instead"))
    }
  }

  static func expected(_ error: WorkloadError) -> String {
    if case .invalidArgument(let expected, let found) = error.problem { return "\(expected), found \(found)" }
    return error.message
  }

  /// One metric series: CSV by its `.csv` extension, else CloudWatch JSON. Gaps are errors:
  /// CloudWatch leaves out periods without data, and guessing them would bend the fit.
  static func loadMetric(_ path: String, option: String, meaning: DemandLoadOptions.ValueMeaning) throws(ScenarioError) -> DemandSeries {
    let options = DemandLoadOptions(valueMeaning: meaning, gaps: .error)
    do {
      if path.lowercased().hasSuffix(".csv") {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
          throw ScenarioError(file: path, line: 0, column: 0, problem: .fileUnreadable(path: path, reason: error.localizedDescription))
        }
        return try DemandSeries.parseCSV(text, source: path, options: options)
      }
      _ = try Document.readJSON(path)  // JSON syntax errors at FILE:LINE:COLUMN
      return try DemandSeries.loadCloudWatchJSON(path: path, options: options)
    } catch let error as ScenarioError {
      throw error
    } catch let error as WorkloadError {
      let (line, column): (Int, Int)
      switch error.location {
      case .line(let l): (line, column) = (l, 1)
      case .lineColumn(let l, let c): (line, column) = (l, c)
      default: (line, column) = (0, 0)
      }
      let at: String
      if case .jsonPath(let jsonPath) = error.location { at = "\(jsonPath): " } else { at = "" }
      var hint = ""
      if case .gap = error.problem {
        hint = " (CloudWatch leaves out periods without data: query FILL(m1, 0) or FILL(m1, REPEAT) with metric math to fill them)"
      }
      throw ScenarioError(file: path, line: line, column: column, problem: .importedDocument("the \(option) metric: \(at)\(error.message)\(hint)"))
    } catch {
      throw ScenarioError(file: path, line: 0, column: 0, problem: .importedDocument("the \(option) metric: \(error)"))
    }
  }
}

extension AutoScalingImport {
  /// The estimate in one sentence, for the YAML comment and standard error.
  public static func capacitySentence(_ estimate: CapacityEstimate, unitsPerMinute: Double) -> String {
    func figure(_ value: Double) -> String {
      value.isFinite ? ImportYAML.number(ImportYAML.significant(value, digits: 4)) : "unbounded"
    }
    func fixed(_ value: Double, _ places: Int) -> String { String(format: "%.\(places)f", value) }
    var text = "capacity.unitsPerMinute \(ImportYAML.number(unitsPerMinute)) estimated from CPU and requests per instance"
      + " (95% interval \(figure(estimate.lowerUnitsPerMinute)) to \(figure(estimate.upperUnitsPerMinute)))"
      + ": Huber regression of CPU% through the origin, R² \(fixed(estimate.rSquared, 3)),"
      + " \(estimate.pointsUsed) of \(estimate.pointsGiven) periods used, \(estimate.pointsDownWeighted) down-weighted,"
      + " residual lag-1 autocorrelation \(fixed(estimate.residualAutocorrelation, 2))"
    text += "; with an idle intercept: idle CPU \(fixed(estimate.idleCPUPercent, 1))%"
    if let withIntercept = estimate.unitsPerMinuteWithIntercept {
      text += ", \(figure(withIntercept)) units per minute from idle to 100%"
    }
    if estimate.rSquared < 0.5 {
      text += ". The fit is poor (R² below 0.5): CPU follows something other than these requests; check the metrics or give --units-per-minute"
    }
    return text
  }
}
