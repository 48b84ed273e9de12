/// The key of every price: an instance type in one region, e.g. `m5.large` in `us-east-1`.
/// Ordered by region, then instance type (plain string order), so sorted output is
/// deterministic.
public struct RegionalInstanceType: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var region: String
  public var instanceType: String

  public init(region: String, instanceType: String) {
    self.region = region
    self.instanceType = instanceType
  }

  public static func < (a: Self, b: Self) -> Bool {
    (a.region, a.instanceType) < (b.region, b.instanceType)
  }

  public var description: String { "\(instanceType) in \(region)" }
}
