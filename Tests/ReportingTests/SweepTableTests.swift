import Foundation
import Results
import Testing

@testable import Reporting

@Suite struct SweepTableTests {
  static let schema = SweepSchema(
    scenarioName: "s", baseVariant: "v",
    axes: [
      SweepAxisColumns(name: "scale", columns: ["scale"], isNumeric: [true], isWhatIf: true),
      SweepAxisColumns(name: "label", columns: ["label"], isNumeric: [false], isWhatIf: false),
    ],
    objectives: [SweepObjective(name: "delayed", metric: .delayedPercent, limit: 0.1),
      SweepObjective(name: "p99", metric: .latencyP99Milliseconds, limit: 250)],
    totalPoints: 3)

  static func row(_ point: Int, scale: String, label: String, cost: Double, delayed: Double) -> SweepTable.Cells {
    SweepTable.cells(
      of: SweepPointResult(
        point: point, axisCells: [scale, label],
        metrics: SweepMetrics(
          costUSD: cost, billedInstanceHours: 10, peakInstances: 3, meanInstances: 2.5, meanCPUPercent: 41,
          delayedPercent: delayed, minutesAboveCPU80: 0, minutesAboveCPU80PerDay: 0, latencyP99Milliseconds: nil,
          scaleOutActions: 1, scaleInActions: 2)),
      schema: schema)
  }

  @Test("the Pareto front keeps exactly the undominated points, cheapest first", arguments: [
    // (cost, metric) -> front, worked by hand: sorted by cost (9,9) (10,5) (10,5) (11,6)
    // (12,1) (20,0); each kept point improves the best metric so far.
    ([(10.0, 5.0), (12, 1), (11, 6), (10, 5), (9, 9), (20, 0)], [4, 0, 1, 5]),
    ([(1.0, 1.0)], [0]),
    ([(5.0, 0.0), (5, 0), (4, 0)], [2]),
  ])
  func pareto(points: [(Double, Double)], front: [Int]) {
    #expect(SweepSummary.paretoFront(points.map { (cost: $0.0, metric: $0.1) }) == front)
  }

  @Test("CSV quotes only what needs it; JSON Lines types numbers, text, booleans and null")
  func rendering() {
    let cells = Self.row(0, scale: "1.5", label: "a, \"b\"", cost: 12.25, delayed: 0.05)
    #expect(SweepTable.csvHeader(Self.schema).hasPrefix("point,scale,label,cost_usd,"))
    #expect(SweepTable.csvLine(cells) == "0,1.5,\"a, \"\"b\"\"\",12.25,10.0,3,2.5,41.0,0.05,0.0,0.0,,1,2,true,false\n")
    #expect(
      SweepTable.jsonLine(cells, schema: Self.schema)
        == "{\"point\":0,\"scale\":1.5,\"label\":\"a, \\\"b\\\"\",\"cost_usd\":12.25,\"billed_instance_hours\":10.0,"
        + "\"peak_instances\":3,\"mean_instances\":2.5,\"mean_cpu_percent\":41.0,\"delayed_percent\":0.05,"
        + "\"minutes_above_cpu_80\":0.0,\"minutes_above_cpu_80_per_day\":0.0,\"latency_p99_ms\":null,"
        + "\"scale_out_actions\":1,\"scale_in_actions\":2,\"meets_delayed\":true,\"meets_p99\":false}\n")
    // Every JSON line parses, with the column names as keys in order.
    let object = try? JSONSerialization.jsonObject(with: Data(SweepTable.jsonLine(cells, schema: Self.schema).utf8)) as? [String: Any]
    #expect(object?["label"] as? String == "a, \"b\"")
    #expect(object?.count == SweepTable.columns(Self.schema).count)
  }

  @Test("the summary names each scenario's front and the cheapest point meeting each SLO")
  func summary() {
    let rows = [
      Self.row(0, scale: "1", label: "x", cost: 10, delayed: 0.5),
      Self.row(1, scale: "1", label: "y", cost: 12, delayed: 0.01),
      Self.row(2, scale: "2", label: "x", cost: 30, delayed: 0.2),
    ]
    let text = SweepSummary.text(rows, schema: Self.schema)
    #expect(text.contains("scenario scale=1 (2 points)"))
    #expect(text.contains("cheapest meeting delayed (delayed_percent <= 0.1): point 1 (label=y), 12.00 USD"))
    #expect(text.contains("scenario scale=2 (1 point)"))
    #expect(text.contains("cheapest meeting delayed (delayed_percent <= 0.1): none of the 1 points"))
    #expect(text.contains("cheapest meeting p99 (latency_p99_ms <= 250): none of the 2 points"))
  }

  static func part(_ shard: Int, of count: Int, hash: String = "h", rows: [SweepTable.Cells]) -> String {
    ShardPartHeader(
      command: "sweep", arguments: [], scenarioSHA256: hash, shard: Shard(index: shard, count: count), totalPoints: 3,
      capsimVersion: "t", sweep: schema).line() + rows.map(SweepTable.partLine).joined()
  }

  @Test("parts merge into point order; missing, repeated, foreign and truncated parts are errors naming them")
  func merging() throws {
    let rows = (0..<3).map { Self.row($0, scale: "1", label: "l\($0)", cost: Double($0), delayed: 0) }
    let p1 = ("p1", Self.part(1, of: 2, rows: [rows[0], rows[2]]))
    let p2 = ("p2", Self.part(2, of: 2, rows: [rows[1]]))
    let merged = try ShardMerge.sweepRows(try ShardMerge.read([p2, p1]))
    #expect(merged.rows == rows)
    #expect(throws: ShardPartError(file: "", message: "missing part: shard 2 of 2 (given: p1)")) { try ShardMerge.read([p1]) }
    #expect(throws: ShardPartError(file: "p1b", message: "shard 1/2 is given twice (also p1)")) {
      try ShardMerge.read([p1, ("p1b", p1.1), p2])
    }
    #expect(throws: ShardPartError(file: "x", message: "a part of a different run: its scenario hash is 'other', but p1 has 'h'")) {
      try ShardMerge.read([p1, ("x", Self.part(2, of: 2, hash: "other", rows: [rows[1]]))])
    }
    #expect(throws: ShardPartError(file: "p1", message: "shard 1/2 of 3 points should hold 2 rows, found 1")) {
      try ShardMerge.sweepRows(try ShardMerge.read([("p1", Self.part(1, of: 2, rows: [rows[0]])), p2]))
    }
    let notPart = ShardPartError(
      file: "n", message: "not a capsim part file: expected a first line {\"format\":\"capsim-part-1\",...} as capsim sweep, run or recommend --shard writes, found 'point,scale'")
    #expect(throws: notPart) { try ShardMerge.read([("n", "point,scale\n")]) }
  }

  @Test("shard i of n holds points i-1, i-1+n, ...; shards past the points are empty", arguments: [1, 2, 3, 7])
  func slices(count: Int) {
    let all = (1...count).flatMap { Shard(index: $0, count: count).items(of: 5) }
    #expect(all.sorted() == [0, 1, 2, 3, 4])
    #expect(Shard(index: 2, count: 3).items(of: 5) == [1, 4])
    #expect(Shard(index: 7, count: 7).items(of: 5) == [])
    #expect(Shard(parsing: "0/3") == nil && Shard(parsing: "4/3") == nil && Shard(parsing: "1/") == nil && Shard(parsing: "2/3") != nil)
  }
}
