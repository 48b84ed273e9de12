import AutoScaling
import Foundation

/// A validated scenario file: the demand, the fleet and the policy variants to compare; or,
/// with `services:`, several services side by side; plus the commitments they share.
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
/// A scenario has one of two shapes. Single-service: `demand`, `fleet` and `variants` as
/// written, `services` empty. Multi-service: `services` lists each service's own demand,
/// fleet and policies, `variants` is empty, and `demand` and `fleet` repeat the first
/// service's (so code that reads one fleet keeps working; use `services`).
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
  /// The demand of the single-service scenario; in a multi-service one, the first service's.
  public var demand: DemandDefinition
  /// Demand units one instance of each type serves per minute at 100% CPU (all > 0): the
  /// top-level `capacity`, empty when a multi-service scenario has none.
  public var capacityUnitsPerMinute: [String: Double]
  /// The fleet shared by all variants, before their overrides; in a multi-service scenario,
  /// the first service's.
  public var fleet: FleetDefinition
  /// In file order; names are unique. Empty in a multi-service scenario.
  public var variants: [VariantDefinition]
  /// In file order; names are unique. Empty in a single-service scenario.
  public var services: [ServiceDefinition]
  /// Reserved Instances and Savings Plans shared by every service or variant (empty when
  /// none are written).
  public var commitments: CommitmentsDefinition
  /// Savings Plans discounts the scenario supplies (for usage the shipped price table has no
  /// Savings Plans rate for); in file order, no two for the same type, family, region, term
  /// and payment.
  public var savingsPlanRates: [SavingsPlanRateDefinition]
  public var simulation: SimulationSettings
  /// The `forecast:` block, nil when none is written.
  public var forecast: ForecastDefinition?
  /// `faults:` and `capsim run --fault`: zone outages and launch failures every fleet
  /// of the run suffers (each fleet must run in the zones they name).
  public var faults: [FaultDefinition] = []
  /// The `prices:` block; nil = the shipped price catalog.
  public var prices: PricesDefinition?
  /// True when the file has a `sweep:` block (read by `SweepPlan`; `run` ignores it).
  public var hasSweep = false

  public init(
    name: String, description: String?, timeZone: TimeZone, file: String, baseDirectory: URL,
    demand: DemandDefinition, capacityUnitsPerMinute: [String: Double], fleet: FleetDefinition,
    variants: [VariantDefinition], services: [ServiceDefinition] = [], commitments: CommitmentsDefinition = .init(),
    savingsPlanRates: [SavingsPlanRateDefinition] = [], simulation: SimulationSettings,
    forecast: ForecastDefinition? = nil, prices: PricesDefinition? = nil
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
    self.services = services
    self.commitments = commitments
    self.savingsPlanRates = savingsPlanRates
    self.simulation = simulation
    self.forecast = forecast
    self.prices = prices
  }

  /// True for a multi-service scenario (`services:` written).
  public var hasServices: Bool { !services.isEmpty }
}
