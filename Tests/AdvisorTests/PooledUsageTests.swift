import Testing

@testable import Advisor

@Suite struct PooledUsageTests {
  static let m5 = PoolKey(family: "m5", region: "ap-northeast-2")
  static let c6i = PoolKey(family: "c6i", region: "ap-northeast-2")

  @Test("fleets of one pool add up hour by hour; pools keep the order they were first added in")
  func addsPerPool() throws {
    var usage = PooledUsage()
    usage.add([1, 2, 3], to: Self.m5)
    usage.add([10, 10, 10], to: Self.c6i)
    usage.add([0.5, 0.5, 0.5], to: Self.m5)
    #expect(usage.pools == [Self.m5, Self.c6i])
    #expect(usage[Self.m5] == [1.5, 2.5, 3.5])
    #expect(usage.hourlyByPool == [[1.5, 2.5, 3.5], [10, 10, 10]])
    #expect(PooledUsage()[Self.m5].isEmpty)
  }

  @Test("paths add up path by path; usagePaths lays them out as UsagePaths[path][pool][hour]")
  func pathsPerPool() throws {
    var paths = PooledUsagePaths()
    #expect(paths.pathCount == 0)
    paths.add([[1, 1], [2, 2]], to: Self.c6i)
    paths.add([[5, 6], [7, 8]], to: Self.m5)
    paths.add([[1, 0], [0, 1]], to: Self.c6i)
    #expect(paths.pools == [Self.c6i, Self.m5])
    #expect(paths.pathCount == 2)
    let laidOut = try paths.usagePaths(pathCount: 2)
    #expect(laidOut == (try UsagePaths(paths: [[[2, 1], [5, 6]], [[2, 3], [7, 8]]])))
  }
}
