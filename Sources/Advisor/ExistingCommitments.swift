/// Commitments already owned, in the optimizer's terms, so that recommendations are for
/// additional purchases (Cost Explorer likewise recommends from the On-Demand usage left
/// uncovered). Family-bound ones (regional and zonal RIs, EC2 Instance Savings Plans) are
/// normalized units per pool; Compute Savings Plans a USD/h commitment with per-pool rates.
public struct ExistingCommitments: Sendable, Equatable {
  public var poolUnits: [Double]
  public var computeCommitment: Double
  /// USD of Compute commitment per normalized unit-hour of each pool (nil: not eligible).
  public var computeRate: [Double?]
  public var onDemandRate: [Double]

  public init(poolUnits: [Double], computeCommitment: Double, computeRate: [Double?], onDemandRate: [Double]) {
    self.poolUnits = poolUnits
    self.computeCommitment = computeCommitment
    self.computeRate = computeRate
    self.onDemandRate = onDemandRate
  }

  public var isEmpty: Bool { poolUnits.allSatisfy { $0 <= 0 } && computeCommitment <= 0 }

  /// `usage[pool][hour]` less what the owned commitments cover each hour, in AWS's order
  /// (family-bound first, then the Compute plan where it saves the most).
  public func residual(_ usage: [[Double]]) -> [[Double]] {
    guard !isEmpty else { return usage }
    var out = usage
    let order = computeRate.indices.filter { computeRate[$0] != nil }.sorted { a, b in
      let sa = 1 - computeRate[a]! / onDemandRate[a]
      let sb = 1 - computeRate[b]! / onDemandRate[b]
      return sa != sb ? sa > sb : a < b
    }
    let hours = usage.first?.count ?? 0
    for t in 0..<hours {
      for p in out.indices { out[p][t] = max(0, out[p][t] - poolUnits[p]) }
      var remaining = computeCommitment
      for p in order where remaining > 0 && out[p][t] > 0 {
        let covered = min(out[p][t], remaining / computeRate[p]!)
        out[p][t] -= covered
        remaining -= covered * computeRate[p]!
      }
    }
    return out
  }

  public func residual(_ paths: UsagePaths) throws(AdvisorError) -> UsagePaths {
    guard !isEmpty else { return paths }
    return try UsagePaths(paths: (0..<paths.pathCount).map { s in
      residual((0..<paths.poolCount).map { p in (0..<paths.hours).map { paths.value(path: s, hour: $0, pool: p) } })
    })
  }
}
