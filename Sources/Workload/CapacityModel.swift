import Foundation

/// How much demand one instance serves: demand units per minute that one instance of a
/// type handles at 100% CPU, per instance type. CPU utilization of a fleet is then
/// `demand per minute / (instances * unitsPerMinute)`.
///
///     let model = try CapacityModel(unitsPerMinuteByInstanceType: ["m5.large": 120, "c6i.large": 40])
///     try model.unitsPerMinute(for: "m5.large")    // 120
public struct CapacityModel: Sendable, Equatable {
  /// Units per minute at 100% CPU, by instance type name (`m5.large`); each finite and > 0.
  public let unitsPerMinuteByInstanceType: [String: Double]

  /// Rejects an empty model, an empty type name, and capacities that are not finite and > 0.
  public init(unitsPerMinuteByInstanceType: [String: Double]) throws(WorkloadError) {
    let source = "CapacityModel"
    guard !unitsPerMinuteByInstanceType.isEmpty else {
      throw WorkloadError(
        source: source, location: .parameter("unitsPerMinuteByInstanceType"),
        problem: .invalidArgument(expected: "at least one instance type", found: "none"))
    }
    for type in unitsPerMinuteByInstanceType.keys.sorted() {
      let units = unitsPerMinuteByInstanceType[type]!
      guard !type.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw WorkloadError(
          source: source, location: .parameter("unitsPerMinuteByInstanceType"),
          problem: .invalidArgument(expected: "instance type names such as m5.large", found: "an empty name"))
      }
      guard units.isFinite, units > 0 else {
        throw WorkloadError(
          source: source, location: .parameter("unitsPerMinuteByInstanceType[\(type)]"),
          problem: .invalidArgument(expected: "a finite number of units per minute > 0", found: "\(units)"))
      }
    }
    self.unitsPerMinuteByInstanceType = unitsPerMinuteByInstanceType
  }

  /// The known instance types, sorted.
  public var instanceTypes: [String] { unitsPerMinuteByInstanceType.keys.sorted() }

  /// Units per minute one `instanceType` serves at 100% CPU; an unknown type is an error
  /// that lists the known ones.
  public func unitsPerMinute(for instanceType: String) throws(WorkloadError) -> Double {
    guard let units = unitsPerMinuteByInstanceType[instanceType] else {
      throw WorkloadError(source: "CapacityModel", problem: .unknownInstanceType(instanceType, known: instanceTypes))
    }
    return units
  }
}
