/// What cross-validation chose.
public struct ModelSelection: Sendable, Equatable {
  public var dailyOrder: Int
  public var weeklyOrder: Int
  public var ridgePenalty: Double
  public var isLogTransformed: Bool
  /// Recency weighting half-life, days; nil for equal weights.
  public var recencyHalfLifeDays: Double?
  /// Mean absolute error over the validation folds, original units.
  public var validationMAE: Double
  /// Point index (from the series start) of a detected recent level shift, which the model
  /// fits as a step; nil when none was found (see `RobustPrefit`).
  public var levelShiftIndex: Int? = nil
  /// Observations the robust prefit down-weighted as one-off spikes or dips, when
  /// cross-validation chose to fit with its weights (0 when it chose not to, or found none).
  public var downweightedPoints: Int = 0
}
