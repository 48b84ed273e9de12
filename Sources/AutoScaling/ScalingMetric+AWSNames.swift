/// The names AWS gives capsim's two metrics, in one place: `capsim export` writes them
/// (Reporting's `AutoScalingExport`) and `capsim import` reads them back (Scenario's
/// `AutoScalingImport`), so the two stay inverses.
extension ScalingMetric {
  /// Target tracking's `PredefinedMetricSpecification.PredefinedMetricType` (also predictive
  /// scaling's `PredefinedScalingMetricSpecification`).
  public var predefinedMetricType: String {
    switch self {
    case .averageCPUUtilization: "ASGAverageCPUUtilization"
    case .requestCountPerTarget: "ALBRequestCountPerTarget"
    }
  }

  /// Predictive scaling's `PredefinedMetricPairSpecification.PredefinedMetricType`.
  public var predefinedMetricPairType: String {
    switch self {
    case .averageCPUUtilization: "ASGCPUUtilization"
    case .requestCountPerTarget: "ALBRequestCount"
    }
  }

  /// The CloudWatch metric a step or simple policy's alarm watches, with the only statistic
  /// capsim's metric corresponds to. Request count: CloudWatch's RequestCountPerTarget is a
  /// Sum per period, capsim's a rate per minute, so thresholds scale by period / 60 s.
  public var alarmMetric: (namespace: String, metricName: String, statistic: String) {
    switch self {
    case .averageCPUUtilization: ("AWS/EC2", "CPUUtilization", "Average")
    case .requestCountPerTarget: ("AWS/ApplicationELB", "RequestCountPerTarget", "Sum")
    }
  }

  /// The metric whose `predefinedMetricType` is `name`, or nil.
  public init?(predefinedMetricType name: String) {
    guard let metric = Self.allCases.first(where: { $0.predefinedMetricType == name }) else { return nil }
    self = metric
  }

  /// The metric whose `predefinedMetricPairType` is `name`, or nil.
  public init?(predefinedMetricPairType name: String) {
    guard let metric = Self.allCases.first(where: { $0.predefinedMetricPairType == name }) else { return nil }
    self = metric
  }

  /// The metric an alarm on `namespace`/`metricName` watches, or nil.
  public init?(alarmNamespace namespace: String, metricName: String) {
    guard let metric = Self.allCases.first(where: { $0.alarmMetric.namespace == namespace && $0.alarmMetric.metricName == metricName })
    else { return nil }
    self = metric
  }
}
