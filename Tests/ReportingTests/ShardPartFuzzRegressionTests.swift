import AutoScaling
import Billing
import Foundation
import Results
import Testing

@testable import Reporting

/// Part files that trapped `capsim merge` (or made it write an invalid line) before the
/// readers checked them, found by `Fuzz/run.sh 300 FuzzShardParts` (docs/fuzzing.md) or
/// seen while writing that target; each is now an error naming the part.
@Suite struct ShardPartFuzzRegressionTests {
  static let schema = SweepTableTests.schema

  static func header(
    command: String = "sweep", shard: Int = 1, shards: Int = 1, totalPoints: Int = 3, sweep: SweepSchema? = schema
  ) -> String {
    // Written as text: `Shard(index:count:)` itself refuses the counts these parts carry.
    var object: [String: Any] = [
      "format": ShardPartHeader.currentFormat, "command": command, "arguments": [String](), "scenarioSHA256": "h",
      "shard": shard, "shards": shards, "totalPoints": totalPoints, "capsimVersion": "t",
    ]
    if let sweep { object["sweep"] = try! JSONSerialization.jsonObject(with: JSONEncoder().encode(sweep)) }
    return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) + "\n"
  }

  static let rows = (0..<3).map { SweepTableTests.row($0, scale: "1", label: "l\($0)", cost: Double($0), delayed: 0) }

  static func sweepRows(_ text: String) throws(ShardPartError) -> [SweepTable.Cells] {
    try ShardMerge.sweepRows(try ShardMerge.read([("p", text)])).rows
  }

  @Test("a shard count of 0 or below is an error, not a trap on the range 1...0 (fuzzing)", arguments: [0, -1])
  func shardCountZero(shards: Int) {
    #expect(throws: ShardPartError(file: "p", message: "shard 1/\(shards) is not a valid shard (1 <= i <= n <= 100000)")) {
      try ShardMerge.read([("p", Self.header(shards: shards))])
    }
  }

  @Test("a header's huge or negative item count is an error before anything is allocated")
  func itemCounts() {
    var huge = Self.schema
    huge.totalPoints = Int.max
    #expect(throws: ShardPartError(file: "p", message: "shard 1/1 of \(Int.max) points should hold \(Int.max) rows, found 3")) {
      try Self.sweepRows(Self.header(totalPoints: Int.max, sweep: huge) + Self.rows.map(SweepTable.partLine).joined())
    }
    #expect(throws: ShardPartError(file: "p", message: "totalPoints should be a count of items (0 or more), found -2")) {
      try ShardMerge.read([("p", Self.header(totalPoints: -2))])
    }
    #expect(Shard(index: 3, count: 7).itemCount(of: 10) == Shard(index: 3, count: 7).items(of: 10).count)
    #expect(Shard(index: 7, count: 7).itemCount(of: 5) == 0)
    #expect(Shard(index: 1, count: 100_000).itemCount(of: Int.max) == (Int.max - 1) / 100_000 + 1)
  }

  @Test("a figure that is not what the sweep writes (9'4, 1e3086..., 3.0 in an integer column) is an error at its cell")
  func cellsAreCheckedByKind() throws {
    #expect(try Self.sweepRows(Self.header() + Self.rows.map(SweepTable.partLine).joined()) == Self.rows)
    // Column 3 is cost_usd, 5 peak_instances, the last meets_p99.
    let cases: [(column: Int, text: String, message: String)] = [
      (3, "9'490277777777777", "column 'cost_usd': expected a finite number in Swift's shortest form"),
      (3, "1e3086466666666666", "column 'cost_usd': expected a finite number in Swift's shortest form"),
      (3, "1.50", "column 'cost_usd': expected a finite number in Swift's shortest form"),
      (5, "3.0", "column 'peak_instances': expected an integer"),
      (15, "yes", "column 'meets_p99': expected true or false"),
      (1, "1.", "column 'scale': expected a JSON number"),
    ]
    for (column, text, message) in cases {
      var rows = Self.rows
      rows[1][column] = text
      #expect(throws: ShardPartError(file: "p", message: "row 3, \(message) as capsim writes it, found '\(text)'")) {
        try Self.sweepRows(Self.header() + rows.map(SweepTable.partLine).joined())
      }
    }
    // A numeric axis keeps the scenario's text, as the unsharded sweep writes it.
    var rows = Self.rows
    rows[0][1] = "1e400"
    #expect(try Self.sweepRows(Self.header() + rows.map(SweepTable.partLine).joined()) == rows)
  }

  @Test("a sweep table the writers cannot render is an error: kinds missing for columns, repeated names, another count")
  func schemaShape() {
    var short = Self.schema
    short.axes[0].isNumeric = []
    var repeated = Self.schema
    repeated.axes[1].columns = ["cost_usd"]
    var other = Self.schema
    other.totalPoints = 2
    let cases: [(SweepSchema, String)] = [
      (short, "axis 'scale' has 1 columns and 0 column kinds"),
      (repeated, "two columns are named 'cost_usd'"),
      (other, "2 points, but the header says 3"),
    ]
    for (schema, problem) in cases {
      #expect(throws: ShardPartError(file: "p", message: "the header's sweep table is not one capsim writes: \(problem)")) {
        try Self.sweepRows(Self.header(sweep: schema) + Self.rows.map(SweepTable.partLine).joined())
      }
    }
  }

  static func result(services: Int, bill: FleetBill?) -> ScenarioResult {
    let variant = VariantResult(
      name: "v", description: nil, instanceType: "m5.large", policySummaries: [], statistics: FleetStatistics(),
      billedInstanceHours: 0, onDemandUSDPerHour: 0.118, costUSD: 0, activities: [])
    var result = ScenarioResult(
      scenarioName: "s", scenarioDescription: nil, file: "s.yaml", timeZone: "UTC", region: "us-east-1",
      start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 3_600), tickSeconds: 60, seed: 1,
      demandSource: "synthetic", demandUnits: 0, variants: bill == nil ? [variant] : [])
    if let bill {
      result.services = Array(repeating: variant, count: services)
      result.accountBill = bill
    }
    return result
  }

  static func runParts(_ items: [RunShardItem]) throws -> [(path: String, text: String)] {
    try items.indices.map { index in
      ("part-\(index + 1)", Self.header(command: "run", shard: index + 1, shards: items.count, totalPoints: items.count, sweep: nil)
        + (try ShardRecordCoding.line(items[index])))
    }
  }

  @Test("run items that do not belong together are an error naming the part, not a trap in the merge (fuzzing)")
  func runItemsBelongTogether() throws {
    let bill = try FleetBill(usage: [], catalog: try PriceCatalog.bundled())
    let lost = DisruptionEffect.LeftOut(name: "zone", kind: .zoneOutage, touches: [true, false])
    let services = Self.result(services: 2, bill: bill)
    // As capsim writes them: merges.
    let good = [RunShardItem(item: 0, result: services), RunShardItem(item: 1, result: services, leftOut: lost)]
    #expect(try ShardMerge.runResult(ShardMerge.read(Self.runParts(good))).services.count == 2)
    let cases: [([RunShardItem], String)] = [
      // The disruption's touches for one service of two: indexed by service in the merge.
      (
        [good[0], RunShardItem(item: 1, result: services, leftOut: .init(name: "zone", kind: .zoneOutage, touches: [true]))],
        "part-2: item 1 does not merge with the others: a run without a disruption should name the disruption and, for "
          + "each of the 2 services, whether it touches it"
      ),
      // A run of one service among runs of two.
      (
        [good[0], RunShardItem(item: 1, result: Self.result(services: 1, bill: bill), leftOut: lost)],
        "part-2: item 1 does not merge with the others: a run of 1 services (and an account bill) among runs of 2 "
          + "services with one account bill"
      ),
      // A variant's item after a run of services, and the reverse.
      (
        [good[0], RunShardItem(item: 1, result: Self.result(services: 0, bill: nil))],
        "part-2: item 1 does not merge with the others: a run of 0 services (and no account bill) among runs of 2 "
          + "services with one account bill"
      ),
      (
        [RunShardItem(item: 0, result: Self.result(services: 0, bill: nil)), good[1]],
        "part-2: item 1 does not merge with the others: a run of services among the items of variants"
      ),
      ([RunShardItem(item: 0, result: services, leftOut: lost)], "part-1: item 0 does not merge with the others: the run as written leaves out a disruption"),
    ]
    for (items, message) in cases {
      #expect(throws: ShardPartError(file: String(message.prefix(6)), message: String(message.dropFirst(8)))) {
        try ShardMerge.runResult(ShardMerge.read(Self.runParts(items)))
      }
    }
    #expect(throws: ShardPartError(file: "p", message: "a run of no items (its header's totalPoints is 0)")) {
      try ShardMerge.runResult(ShardMerge.read([("p", Self.header(command: "run", totalPoints: 0, sweep: nil))]))
    }
  }
}
