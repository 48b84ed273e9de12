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
}
