import AutoScaling
import Foundation

/// A validated scenario file: the demand, the fleet and the policy variants to compare.
///
/// ```swift
/// let scenario = try ScenarioDefinition.load(path: "scenarios/seoul-food-delivery.yaml")
/// for variant in scenario.variants { print(variant.name, variant.policies.map(\.name)) }
/// ```
///
/// Everything is checked when the file is read: keys, types, ranges, the time zone, the
/// demand file's existence, cron expressions, and every policy and group through
/// AutoScaling's `validate()`. Errors are `ScenarioError`s at the file, line and column of
/// the offending YAML. The schema is documented in docs/scenario-format.md.
///
/// Not done here: loading the demand data, generating synthetic demand, pricing (the runner
/// maps these definitions to Workload and Billing).
public struct ScenarioDefinition: Sendable, Equatable {
  public var name: String
  public var description: String?
  /// The zone local timestamps and cron recurrences are read in (default UTC).
  public var timeZone: TimeZone
  /// The scenario file as named by the caller (used in error locations).
  public var file: String
  /// Directory that relative paths in the file are resolved against.
  public var baseDirectory: URL
  public var demand: DemandDefinition
  /// Demand units one instance of each type serves per minute at 100% CPU (all > 0).
  public var capacityUnitsPerMinute: [String: Double]
  /// The fleet shared by all variants, before their overrides.
  public var fleet: FleetDefinition
  /// In file order; names are unique.
  public var variants: [VariantDefinition]
  public var simulation: SimulationSettings

  public init(
    name: String, description: String?, timeZone: TimeZone, file: String, baseDirectory: URL,
    demand: DemandDefinition, capacityUnitsPerMinute: [String: Double], fleet: FleetDefinition,
    variants: [VariantDefinition], simulation: SimulationSettings
  ) {
    self.name = name
    self.description = description
    self.timeZone = timeZone
    self.file = file
    self.baseDirectory = baseDirectory
    self.demand = demand
    self.capacityUnitsPerMinute = capacityUnitsPerMinute
    self.fleet = fleet
    self.variants = variants
    self.simulation = simulation
  }
}
