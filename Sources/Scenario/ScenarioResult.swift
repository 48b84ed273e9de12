import AutoScaling
import Foundation

/// What one `capsim run` produced: the scenario's frame and one result per variant, in the
/// scenario's order. Plain values; Reporting renders them.
public struct ScenarioResult: Sendable, Equatable {
  public var scenarioName: String
  public var scenarioDescription: String?
  public var file: String
  public var timeZone: String
  public var region: String
  public var start: Date
  public var end: Date
  public var tickSeconds: Double
  public var seed: UInt64
  public var demandSource: String
  public var demandUnits: Double
  public var variants: [VariantResult]

  public init(
    scenarioName: String, scenarioDescription: String?, file: String, timeZone: String, region: String,
    start: Date, end: Date, tickSeconds: Double, seed: UInt64, demandSource: String, demandUnits: Double,
    variants: [VariantResult]
  ) {
    self.scenarioName = scenarioName
    self.scenarioDescription = scenarioDescription
    self.file = file
    self.timeZone = timeZone
    self.region = region
    self.start = start
    self.end = end
    self.tickSeconds = tickSeconds
    self.seed = seed
    self.demandSource = demandSource
    self.demandUnits = demandUnits
    self.variants = variants
  }
}

/// One policy variant's fleet outcome and its on-demand bill.
public struct VariantResult: Sendable, Equatable {
  public var name: String
  public var description: String?
  public var instanceType: String
  /// One short line per policy, e.g. "target tracking cpu 50%".
  public var policySummaries: [String]
  public var statistics: FleetStatistics
  /// Billed instance-hours (per-second, 60 s minimum per instance start).
  public var billedInstanceHours: Double
  public var onDemandUSDPerHour: Double
  public var costUSD: Double
  public var activities: [ScalingActivity]

  public init(
    name: String, description: String?, instanceType: String, policySummaries: [String],
    statistics: FleetStatistics, billedInstanceHours: Double, onDemandUSDPerHour: Double, costUSD: Double,
    activities: [ScalingActivity]
  ) {
    self.name = name
    self.description = description
    self.instanceType = instanceType
    self.policySummaries = policySummaries
    self.statistics = statistics
    self.billedInstanceHours = billedInstanceHours
    self.onDemandUSDPerHour = onDemandUSDPerHour
    self.costUSD = costUSD
    self.activities = activities
  }
}
