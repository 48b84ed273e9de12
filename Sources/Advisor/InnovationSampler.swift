import Forecasting

/// A fitted model whose paths come from given innovations (`[path][step]` standard
/// normals, e.g. one series' share of `JointInnovations`) instead of its own seed: how
/// several fleets' forecast paths are made to move together as their histories did. A
/// request of another shape than the innovations falls back to the seed.
public struct InnovationSampler: DemandForecastSampler {
  public var model: SeasonalRegression
  public var innovations: [[Double]]

  public init(model: SeasonalRegression, innovations: [[Double]]) {
    self.model = model
    self.innovations = innovations
  }

  public var forecastIntervalSeconds: Double { model.forecastIntervalSeconds }

  public func sampleForecastPaths(steps: Int, count: Int, seed: UInt64) throws -> [[Double]] {
    guard innovations.count == count, innovations.allSatisfy({ $0.count == steps }) else {
      return try model.samplePaths(steps: steps, count: count, seed: seed)
    }
    return try model.samplePaths(innovations: innovations)
  }
}
