import Billing

// The commitment portfolio problem in the optimizer's own units. Building it from a price
// catalog, Savings Plans rates and a usage timeline happens in CommitmentProblem+Catalog;
// this file only states what is being chosen and how it costs.
//
// A *pool* is usage that a family-bound commitment can cover: one instance family in one
// region, measured in normalized unit-hours (EC2-UG "Instance size flexibility"), so a
// regional RI of any size and an EC2 Instance Savings Plan apply to it as one quantity.
// Within a family, On-Demand prices are proportional to the normalization factor, so one
// On-Demand rate per normalized unit-hour prices the whole pool.

/// What a family-bound instrument is.
public enum PoolInstrumentKind: Sendable, Hashable, CustomStringConvertible {
  case reservedInstance(OfferingClass, CommitmentTerm, PaymentOption)
  case ec2InstanceSavingsPlan(CommitmentTerm, PaymentOption)

  public var term: CommitmentTerm {
    switch self {
    case .reservedInstance(_, let term, _), .ec2InstanceSavingsPlan(let term, _): term
    }
  }

  public var payment: PaymentOption {
    switch self {
    case .reservedInstance(_, _, let payment), .ec2InstanceSavingsPlan(_, let payment): payment
    }
  }

  public var description: String {
    switch self {
    case .reservedInstance(let offering, let term, let payment): "RI \(offering) \(term) \(payment)"
    case .ec2InstanceSavingsPlan(let term, let payment): "EC2 Instance SP \(term) \(payment)"
    }
  }
}

/// A commitment that covers one pool only: a regional size-flexible Reserved Instance or an
/// EC2 Instance Savings Plan. Bought in normalized units of the pool; an EC2 Instance
/// Savings Plan covering `q` units is a commitment of `q * ratePerUnitHour` USD per hour.
public struct PoolInstrument: Sendable, Hashable {
  public var pool: Int
  public var kind: PoolInstrumentKind
  /// Effective USD per normalized unit-hour: upfront spread over the term plus the
  /// recurring fee, owed every hour of the term whether used or not.
  public var ratePerUnitHour: Double
  /// USD paid at purchase per normalized unit.
  public var upfrontPerUnit: Double

  public init(pool: Int, kind: PoolInstrumentKind, ratePerUnitHour: Double, upfrontPerUnit: Double = 0) {
    self.pool = pool
    self.kind = kind
    self.ratePerUnitHour = ratePerUnitHour
    self.upfrontPerUnit = upfrontPerUnit
  }
}

/// A Compute Savings Plan offering: one USD-per-hour commitment shared by every pool, which
/// covers a normalized unit-hour of pool `p` for `coveredRate[p]` USD of commitment
/// (On-Demand rate x (1 - the plan's discount for that usage)); `nil` = not eligible.
public struct ComputeSavingsPlanOffering: Sendable, Hashable {
  public var term: CommitmentTerm
  public var payment: PaymentOption
  public var coveredRate: [Double?]
  /// Share of the commitment paid at purchase (0 no upfront, about 0.5 partial, 1 all).
  public var upfrontFraction: Double

  public init(term: CommitmentTerm, payment: PaymentOption, coveredRate: [Double?], upfrontFraction: Double = 0) {
    self.term = term
    self.payment = payment
    self.coveredRate = coveredRate
    self.upfrontFraction = upfrontFraction
  }
}

/// A pool of eligible usage.
public struct UsagePool: Sendable, Hashable {
  public var family: String
  public var region: String
  /// USD per normalized unit-hour at On-Demand.
  public var onDemandRate: Double
  /// Instance type a Reserved Instance recommendation is expressed in (Cost Explorer
  /// recommends the smallest size of the family) and its normalization factor.
  public var recommendedInstanceType: String
  public var unitsPerInstance: Double

  public init(
    family: String, region: String, onDemandRate: Double,
    recommendedInstanceType: String? = nil, unitsPerInstance: Double = 1
  ) {
    self.family = family
    self.region = region
    self.onDemandRate = onDemandRate
    self.recommendedInstanceType = recommendedInstanceType ?? family
    self.unitsPerInstance = unitsPerInstance
  }

  public var name: String { region.isEmpty ? family : "\(family) \(region)" }
}

/// Limits on what may be bought. All are optional; each is a linear constraint.
public struct CommitmentCaps: Sendable, Hashable {
  /// Total effective hourly cost of all commitments (RI effective rate + SP USD/h).
  public var maxHourlyCommitment: Double?
  /// Total paid at purchase.
  public var maxUpfront: Double?
  /// The commitments' On-Demand-equivalent capacity as a share of the mean hourly On-Demand
  /// spend (0...1): 0.8 keeps at least a fifth of average usage uncommitted.
  public var maxCoverage: Double?

  public init(maxHourlyCommitment: Double? = nil, maxUpfront: Double? = nil, maxCoverage: Double? = nil) {
    self.maxHourlyCommitment = maxHourlyCommitment
    self.maxUpfront = maxUpfront
    self.maxCoverage = maxCoverage
  }

  public var isEmpty: Bool { maxHourlyCommitment == nil && maxUpfront == nil && maxCoverage == nil }
}

/// Hourly usage of every pool along one or more equally likely paths (history, or forecast
/// sample paths). Stored hour-major per path: `value(path:hour:pool:)`.
public struct UsagePaths: Sendable, Equatable {
  public let pathCount: Int
  public let hours: Int
  public let poolCount: Int
  /// index = (path * hours + hour) * poolCount + pool
  public let storage: [Double]

  /// `paths[path][pool][hour]`, normalized unit-hours; validated (finite, >= 0, same lengths).
  public init(paths: [[[Double]]]) throws(AdvisorError) {
    guard let first = paths.first, !first.isEmpty else { throw .invalidUsage("no usage paths or no pools") }
    let poolCount = first.count
    let hours = first[0].count
    guard hours > 0 else { throw .invalidUsage("usage has no hours") }
    var storage = [Double](repeating: 0, count: paths.count * hours * poolCount)
    for (p, path) in paths.enumerated() {
      guard path.count == poolCount else {
        throw .invalidUsage("path \(p) has \(path.count) pools, expected \(poolCount)")
      }
      for (f, series) in path.enumerated() {
        guard series.count == hours else {
          throw .invalidUsage("path \(p), pool \(f) has \(series.count) hours, expected \(hours)")
        }
        for (t, value) in series.enumerated() {
          guard value.isFinite, value >= 0 else {
            throw .invalidUsage("path \(p), pool \(f), hour \(t): usage must be a finite number >= 0, found \(value)")
          }
          storage[(p * hours + t) * poolCount + f] = value
        }
      }
    }
    self.pathCount = paths.count
    self.hours = hours
    self.poolCount = poolCount
    self.storage = storage
  }

  /// One path, `usage[pool][hour]`.
  public init(single usage: [[Double]]) throws(AdvisorError) {
    try self.init(paths: [usage])
  }

  @inline(__always)
  public func value(path: Int, hour: Int, pool: Int) -> Double {
    storage[(path * hours + hour) * poolCount + pool]
  }

  /// Every path's usage multiplied by `factor` (a load-drop what-if).
  public func scaled(by factor: Double) -> UsagePaths {
    UsagePaths(pathCount: pathCount, hours: hours, poolCount: poolCount, storage: storage.map { $0 * factor })
  }

  /// Just path `p`.
  public func path(_ p: Int) -> UsagePaths {
    let size = hours * poolCount
    return UsagePaths(
      pathCount: 1, hours: hours, poolCount: poolCount,
      storage: Array(storage[(p * size)..<((p + 1) * size)]))
  }

  /// The last `hours` hours of every path.
  public func suffix(hours count: Int) -> UsagePaths {
    let count = min(count, hours)
    var out: [Double] = []
    out.reserveCapacity(pathCount * count * poolCount)
    for p in 0..<pathCount {
      let start = (p * hours + hours - count) * poolCount
      out.append(contentsOf: storage[start..<(start + count * poolCount)])
    }
    return UsagePaths(pathCount: pathCount, hours: count, poolCount: poolCount, storage: out)
  }

  private init(pathCount: Int, hours: Int, poolCount: Int, storage: [Double]) {
    self.pathCount = pathCount
    self.hours = hours
    self.poolCount = poolCount
    self.storage = storage
  }

  /// Mean over paths and hours of each pool's usage.
  public func meanUsage() -> [Double] {
    var sums = [Double](repeating: 0, count: poolCount)
    for i in 0..<storage.count { sums[i % poolCount] += storage[i] }
    let n = Double(pathCount * hours)
    return sums.map { $0 / n }
  }

  /// Largest hourly usage of each pool over all paths.
  public func maxUsage() -> [Double] {
    var maxima = [Double](repeating: 0, count: poolCount)
    for i in 0..<storage.count { maxima[i % poolCount] = max(maxima[i % poolCount], storage[i]) }
    return maxima
  }
}

/// Everything the optimizer needs.
public struct CommitmentProblem: Sendable {
  public var pools: [UsagePool]
  public var usage: UsagePaths
  public var poolInstruments: [PoolInstrument]
  public var computePlan: ComputeSavingsPlanOffering?
  public var caps: CommitmentCaps

  public init(
    pools: [UsagePool], usage: UsagePaths, poolInstruments: [PoolInstrument],
    computePlan: ComputeSavingsPlanOffering?, caps: CommitmentCaps = CommitmentCaps()
  ) throws(AdvisorError) {
    guard usage.poolCount == pools.count else {
      throw .invalidProblem("usage has \(usage.poolCount) pools, the problem names \(pools.count)")
    }
    for pool in pools where !(pool.onDemandRate.isFinite && pool.onDemandRate > 0) {
      throw .invalidProblem("pool \(pool.name): On-Demand rate must be > 0, found \(pool.onDemandRate)")
    }
    for instrument in poolInstruments {
      guard pools.indices.contains(instrument.pool) else {
        throw .invalidProblem("\(instrument.kind) names pool \(instrument.pool); there are \(pools.count)")
      }
      guard instrument.ratePerUnitHour.isFinite, instrument.ratePerUnitHour > 0,
        instrument.upfrontPerUnit.isFinite, instrument.upfrontPerUnit >= 0
      else {
        throw .invalidProblem("\(instrument.kind) for \(pools[instrument.pool].name): rate must be > 0 and upfront >= 0")
      }
    }
    if let plan = computePlan {
      guard plan.coveredRate.count == pools.count else {
        throw .invalidProblem("Compute Savings Plan rates name \(plan.coveredRate.count) pools, expected \(pools.count)")
      }
      for (p, rate) in plan.coveredRate.enumerated() {
        if let rate, !(rate.isFinite && rate > 0 && rate <= pools[p].onDemandRate) {
          throw .invalidProblem(
            "Compute Savings Plan rate for \(pools[p].name) must be in (0, On-Demand \(pools[p].onDemandRate)], found \(rate)")
        }
      }
    }
    if let cap = caps.maxCoverage, !(cap >= 0 && cap <= 1) {
      throw .invalidProblem("maximum coverage must be within 0...1, found \(cap)")
    }
    for (label, value) in [("maximum hourly commitment", caps.maxHourlyCommitment), ("maximum upfront", caps.maxUpfront)] {
      if let value, !(value.isFinite && value >= 0) { throw .invalidProblem("\(label) must be >= 0, found \(value)") }
    }
    self.pools = pools
    self.usage = usage
    self.poolInstruments = poolInstruments
    self.computePlan = computePlan
    self.caps = caps
  }

  /// The same problem over other usage (a what-if, one path, a look-back window).
  public func replacingUsage(_ usage: UsagePaths) throws(AdvisorError) -> CommitmentProblem {
    try CommitmentProblem(
      pools: pools, usage: usage, poolInstruments: poolInstruments, computePlan: computePlan, caps: caps)
  }
}

public enum AdvisorError: Error, Equatable, CustomStringConvertible {
  case invalidUsage(String)
  case invalidProblem(String)
  case invalidInput(String)

  public var description: String {
    switch self {
    case .invalidUsage(let message): "invalid usage: \(message)"
    case .invalidProblem(let message): "invalid commitment problem: \(message)"
    case .invalidInput(let message): message
    }
  }
}
