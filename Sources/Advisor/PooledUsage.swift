/// Hourly usage (normalized unit-hours) per commitment pool, pools in the order they were
/// first added. Adding to a pool already present sums hour by hour, over the shorter of
/// the two series (fleets of one pool share the demand's grid, so their lengths agree).
///
///     var usage = PooledUsage()
///     usage.add(ordersFleet, to: m5Seoul)
///     usage.add(ridersFleet, to: m5Seoul)   // summed with the orders fleet
///     try UsagePaths(single: usage.hourlyByPool)
public struct PooledUsage: Sendable, Equatable {
  public private(set) var pools: [PoolKey] = []
  private var hourlyUsage: [PoolKey: [Double]] = [:]

  public init() {}

  public mutating func add(_ hourly: [Double], to pool: PoolKey) {
    if let present = hourlyUsage[pool] {
      hourlyUsage[pool] = zip(present, hourly).map(+)
    } else {
      pools.append(pool)
      hourlyUsage[pool] = hourly
    }
  }

  /// The pool's hourly usage; empty for a pool never added.
  public subscript(pool: PoolKey) -> [Double] { hourlyUsage[pool] ?? [] }

  /// `[pool][hour]` in `pools` order: the shape `UsagePaths(single:)` and
  /// `ExistingCommitments.residual` take.
  public var hourlyByPool: [[Double]] { pools.map { hourlyUsage[$0]! } }
}

/// Usage paths (each hourly, normalized unit-hours) per commitment pool, pools in the order
/// they were first added; adding to a pool already present sums path by path and hour by
/// hour. Every pool holds the same number of paths (one per forecast demand path).
public struct PooledUsagePaths: Sendable, Equatable {
  public private(set) var pools: [PoolKey] = []
  private var pathsByPool: [PoolKey: [[Double]]] = [:]

  public init() {}

  public mutating func add(_ paths: [[Double]], to pool: PoolKey) {
    if let present = pathsByPool[pool] {
      pathsByPool[pool] = zip(present, paths).map { zip($0, $1).map(+) }
    } else {
      pools.append(pool)
      pathsByPool[pool] = paths
    }
  }

  /// Paths per pool (the first pool's count); 0 when empty.
  public var pathCount: Int { pools.first.map { pathsByPool[$0]!.count } ?? 0 }

  /// The first `pathCount` paths of every pool as one `UsagePaths` (pools in `pools` order).
  public func usagePaths(pathCount: Int) throws(AdvisorError) -> UsagePaths {
    try UsagePaths(paths: (0..<pathCount).map { k in pools.map { pathsByPool[$0]![k] } })
  }
}
