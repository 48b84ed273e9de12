import Simulation

/// Predictive scaling (ASG-UG "Predictive scaling"; reference §5). The load metric is the
/// group's demand; the scaling metric and its target turn forecast load into capacity.
/// Forecasts come hourly for the next 48 hours from up to 14 days of history (at least 24
/// hours needed) and are refreshed every 6 hours; each hour's forecast capacity becomes a
/// floor at the start of the hour, `schedulingBufferSeconds` early.
public struct PredictiveScalingPolicy: Sendable, Equatable {
  public enum Mode: String, Codable, Sendable, Equatable, CaseIterable {
    case forecastOnly = "ForecastOnly"
    case forecastAndScale = "ForecastAndScale"
  }

  public enum MaxCapacityBreachBehavior: String, Sendable, Equatable, CaseIterable {
    case honorMaxCapacity = "HonorMaxCapacity"
    case increaseMaxCapacity = "IncreaseMaxCapacity"
  }

  public var name: String
  /// The scaling metric of the metric pair (CPU or request count per target).
  public var metric: ScalingMetric
  /// Percent for CPU, units per target per minute for request count.
  public var targetValue: Double
  public var mode: Mode
  /// 0...3600 seconds: capacity for an hour is launched this long before the hour starts.
  public var schedulingBufferSeconds: SimTime
  public var maxCapacityBreachBehavior: MaxCapacityBreachBehavior
  /// 0...100: with IncreaseMaxCapacity, how far above the forecast capacity the group's
  /// maximum may rise.
  public var maxCapacityBufferPercent: Int

  public init(
    name: String, metric: ScalingMetric, targetValue: Double, mode: Mode = .forecastOnly,
    schedulingBufferSeconds: SimTime = 0,
    maxCapacityBreachBehavior: MaxCapacityBreachBehavior = .honorMaxCapacity,
    maxCapacityBufferPercent: Int = 0
  ) {
    self.name = name
    self.metric = metric
    self.targetValue = targetValue
    self.mode = mode
    self.schedulingBufferSeconds = schedulingBufferSeconds
    self.maxCapacityBreachBehavior = maxCapacityBreachBehavior
    self.maxCapacityBufferPercent = maxCapacityBufferPercent
  }
}
