import AutoScaling
import Foundation
import Simulation
import Testing

@testable import Advisor

/// The policy search prices a stopped warm pool's EBS storage as the run's bill does
/// (Billing's `StorageUsage`: per GB-month, prorated per second over the UTC month).
@Suite struct PolicySearchWarmPoolTests {
  typealias F = PolicySearchFixtures

  /// A fixed group of 2 (min = max = 2) beside a stopped pool of 3 (its minSize: the
  /// prepared capacity, the max size 2, leaves no room above the desired 2), 10 GiB per
  /// instance at 0.08 USD per GB-month; one day of 100 units/min (50% CPU, no scaling).
  func search(pool: WarmPoolConfiguration?, start: Date) throws -> PolicySearchResult {
    var group = F.group(minSize: 2, maxSize: 2, initial: 2)
    group.warmPool = pool
    let day = Array(repeating: 100.0, count: 1_440)
    var input = PolicySearchInput(
      group: group, currentPolicies: [F.cpuTracking(50)], history: PolicySearchDemand(demandPerMinute: day),
      forecastPaths: [PolicySearchDemand(demandPerMinute: day, startSeconds: 86_400)], pricing: F.pricing, seed: 5)
    input.start = start
    return try PolicySearch.run(
      input,
      configuration: PolicySearchConfiguration(
        objective: F.minimumCost(.minutesAboveCPU(thresholdPercent: 80), limit: 1),
        space: PolicySearchSpace(targetValues: [50, 70]), workerCount: 2))
  }

  static let pool = WarmPoolConfiguration(
    poolState: .stopped, minSize: 3, warmLaunchSeconds: 30, volumeGiBPerInstance: 10, usdPerGBMonth: 0.08)

  @Test("a stopped pool's EBS is in every variant's cost: 3 x 10 GB x 0.08 USD x 1 day / 28 days in February 2026")
  func storageIsInTheCost() throws {
    let february = Date(timeIntervalSince1970: 1_769_904_000)  // 2026-02-01 00:00 UTC
    let withPool = try search(pool: Self.pool, start: february)
    let without = try search(pool: nil, start: february)
    // 30 GB stored for 86,400 s of a 28 x 86,400 s month: 30/28 GB-months x 0.08 USD.
    let storageUSD = 3 * 10 * 0.08 / 28  // 0.0857142...
    // The group itself: 2 instances x 24 h x 0.096 USD.
    let instancesUSD = 2 * 24 * 0.096  // 4.608
    #expect(withPool.variants.count == without.variants.count && !withPool.variants.isEmpty)
    for (pooled, plain) in zip(withPool.variants, without.variants) {
      #expect(abs(pooled.history.ebsStorageCostUSD - storageUSD) < 1e-12)
      #expect(abs(pooled.costUSD - (instancesUSD + storageUSD)) < 1e-9)
      #expect(abs(plain.costUSD - instancesUSD) < 1e-9)
      #expect(plain.history.ebsStorageCostUSD == 0)
      // The path (2026-02-02) is in the same month: the same storage.
      #expect(abs(try #require(pooled.paths.first).ebsStorageCostUSD - storageUSD) < 1e-12)
    }
    #expect(abs(withPool.comparison.currentCostUSD - (instancesUSD + storageUSD)) < 1e-9)
  }

  @Test("the storage is prorated over the month the run falls in (January: 31 days); a Running pool has no EBS charge")
  func prorationFollowsTheStart() throws {
    let january = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00 UTC
    let result = try search(pool: Self.pool, start: january)
    #expect(abs(result.variants[0].history.ebsStorageCostUSD - 3 * 10 * 0.08 / 31) < 1e-12)
    var running = Self.pool
    running.poolState = .running
    let runningResult = try search(pool: running, start: january)
    #expect(runningResult.variants[0].history.ebsStorageCostUSD == 0)
    // Running pool instances are billed as On-Demand instances: 5 x 24 h x 0.096 USD.
    #expect(abs(runningResult.variants[0].costUSD - 5 * 24 * 0.096) < 1e-9)
  }
}
