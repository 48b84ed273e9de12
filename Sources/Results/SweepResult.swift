/// What a sweep's table is made of, and one point's figures: plain values that `Scenario`
/// writes and `Reporting` renders (CSV, JSON Lines, the summary, shard parts). The schema
/// travels in every shard's part file, so `capsim merge` renders exactly what the unsharded
/// sweep renders without reading the scenario.

/// The columns one sweep axis contributes and how its values read.
public struct SweepAxisColumns: Sendable, Equatable, Codable {
  /// The axis name as written (snake_case).
  public var name: String
  /// Its column names: the axis name, or `<axis>_<key>` per key of mapping values.
  public var columns: [String]
  /// Per column: true when every value is a JSON number (written bare in JSON Lines).
  public var isNumeric: [Bool]
  /// A what-if axis (demand, simulation, faults, commitments, prices): its values define the
  /// scenarios the summary computes a Pareto front for; the others are the choices compared.
  public var isWhatIf: Bool

  public init(name: String, columns: [String], isNumeric: [Bool], isWhatIf: Bool) {
    self.name = name
    self.columns = columns
    self.isNumeric = isNumeric
    self.isWhatIf = isWhatIf
  }
}

/// A service-level objective a sweep point meets or not (`meets_<name>` column).
public struct SweepObjective: Sendable, Equatable, Codable {
  public enum Metric: String, Sendable, Equatable, Codable, CaseIterable {
    /// Share of demand delayed, percent (`delayed_percent`).
    case delayedPercent
    /// Minutes above 80% CPU per simulated day (`minutes_above_cpu_80_per_day`).
    case minutesAboveCPU80PerDay
    /// Latency p99 over the run, milliseconds (`latency_p99_ms`; queueing or requests fidelity).
    case latencyP99Milliseconds

    /// The table column holding the metric.
    public var column: String {
      switch self {
      case .delayedPercent: "delayed_percent"
      case .minutesAboveCPU80PerDay: "minutes_above_cpu_80_per_day"
      case .latencyP99Milliseconds: "latency_p99_ms"
      }
    }
  }

  /// snake_case; the column is `meets_<name>`.
  public var name: String
  public var metric: Metric
  /// The largest value that meets the objective (inclusive).
  public var limit: Double

  public init(name: String, metric: Metric, limit: Double) {
    self.name = name
    self.metric = metric
    self.limit = limit
  }

  /// Whether a point with this metric value meets the objective; a metric the point did not
  /// measure (latency in fluid fidelity) does not.
  public func isMet(by value: Double?) -> Bool { value.map { $0 <= limit } ?? false }
}

/// The shape of a sweep's table: which scenario, which axes, which objectives.
public struct SweepSchema: Sendable, Equatable, Codable {
  public var scenarioName: String
  /// The variant every point patches ("" with services).
  public var baseVariant: String
  public var axes: [SweepAxisColumns]
  public var objectives: [SweepObjective]
  public var totalPoints: Int
  /// The services every point runs together (a scenario with `services:`; `baseVariant` is
  /// then empty); nil for a single-service scenario.
  public var services: [String]?

  public init(
    scenarioName: String, baseVariant: String, axes: [SweepAxisColumns], objectives: [SweepObjective], totalPoints: Int,
    services: [String]? = nil
  ) {
    self.services = services
    self.scenarioName = scenarioName
    self.baseVariant = baseVariant
    self.axes = axes
    self.objectives = objectives
    self.totalPoints = totalPoints
  }
}

extension SweepSchema {
  /// JSON's number grammar (RFC 8259): such a cell is written bare in JSON Lines.
  public static func isJSONNumber(_ text: String) -> Bool {
    var s = Substring(text)
    if s.hasPrefix("-") { s = s.dropFirst() }
    guard let first = s.first, first.isASCII, first.isNumber else { return false }
    if first == "0" { s = s.dropFirst() } else { s = s.drop { $0.isASCII && $0.isNumber } }
    if s.hasPrefix(".") {
      s = s.dropFirst()
      guard let d = s.first, d.isASCII, d.isNumber else { return false }
      s = s.drop { $0.isASCII && $0.isNumber }
    }
    if s.hasPrefix("e") || s.hasPrefix("E") {
      s = s.dropFirst()
      if s.hasPrefix("+") || s.hasPrefix("-") { s = s.dropFirst() }
      guard let d = s.first, d.isASCII, d.isNumber else { return false }
      s = s.drop { $0.isASCII && $0.isNumber }
    }
    return s.isEmpty
  }
}

/// One point's figures, from the variant result `capsim run` computes for it.
public struct SweepMetrics: Sendable, Equatable {
  /// Effective cost over the window with the scenario's commitments, USD.
  public var costUSD: Double
  public var billedInstanceHours: Double
  public var peakInstances: Int
  public var meanInstances: Double
  /// 0...100.
  public var meanCPUPercent: Double
  /// Share of demand delayed, 0...100.
  public var delayedPercent: Double
  public var minutesAboveCPU80: Double
  public var minutesAboveCPU80PerDay: Double
  /// Latency p99 over the run, ms; nil in fluid fidelity (no latency is modelled).
  public var latencyP99Milliseconds: Double?
  public var scaleOutActions: Int
  public var scaleInActions: Int

  public init(
    costUSD: Double, billedInstanceHours: Double, peakInstances: Int, meanInstances: Double, meanCPUPercent: Double,
    delayedPercent: Double, minutesAboveCPU80: Double, minutesAboveCPU80PerDay: Double, latencyP99Milliseconds: Double?,
    scaleOutActions: Int, scaleInActions: Int
  ) {
    self.costUSD = costUSD
    self.billedInstanceHours = billedInstanceHours
    self.peakInstances = peakInstances
    self.meanInstances = meanInstances
    self.meanCPUPercent = meanCPUPercent
    self.delayedPercent = delayedPercent
    self.minutesAboveCPU80 = minutesAboveCPU80
    self.minutesAboveCPU80PerDay = minutesAboveCPU80PerDay
    self.latencyP99Milliseconds = latencyP99Milliseconds
    self.scaleOutActions = scaleOutActions
    self.scaleInActions = scaleInActions
  }

  public func value(of metric: SweepObjective.Metric) -> Double? {
    switch metric {
    case .delayedPercent: delayedPercent
    case .minutesAboveCPU80PerDay: minutesAboveCPU80PerDay
    case .latencyP99Milliseconds: latencyP99Milliseconds
    }
  }
}

/// One simulated and billed grid point.
public struct SweepPointResult: Sendable, Equatable {
  /// 0-based, in grid order.
  public var point: Int
  /// One text per axis column (`SweepSchema.axes[].columns`, flattened), as written.
  public var axisCells: [String]
  public var metrics: SweepMetrics

  public init(point: Int, axisCells: [String], metrics: SweepMetrics) {
    self.point = point
    self.axisCells = axisCells
    self.metrics = metrics
  }
}
