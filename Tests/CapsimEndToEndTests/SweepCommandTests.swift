import Foundation
import Testing

/// `capsim sweep` and `capsim merge` as a user runs them: the merged shards are the bytes of
/// the single run, the number of threads changes nothing, and bad parts are named.
@Suite struct SweepCommandTests {
  /// Two days of demand, 2 x 3 = 6 points (fewer than 7 shards).
  static let scenario = """
    name: sweep-e2e
    timeZone: Asia/Seoul
    demand:
      synthetic: {start: 2026-03-02T00:00:00, days: 2, baselinePerMinute: 300, noiseSigma: 0.05}
    capacity:
      unitsPerMinute: {m5.large: 120, c6i.large: 150}
    fleet: {region: ap-northeast-2, instanceType: m5.large, minSize: 2, maxSize: 40}
    variants:
      - name: tt
        policies:
          - targetTracking: {name: cpu, metric: cpu, target: 50}
    simulation: {seed: 5}
    sweep:
      axes:
        - {name: scale, set: demand.scale, values: [1.0, 1.4]}
        - {name: target, set: "variant.policies[cpu].target", values: [40, 55, 70]}
      slos:
        - {name: delayed, maxDelayedPercent: 0.05}

    """

  static func directory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-sweep-e2e-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try scenario.write(to: url.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
    return url
  }

  static func run(_ arguments: [String]) throws -> CapsimCommandTests.Output {
    let output = try CapsimCommandTests.capsim(arguments)
    #expect(output.status == 0, "capsim \(arguments.joined(separator: " ")): \(output.stderr)")
    return output
  }

  static func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

  @Test("merged shards give the single run's CSV, JSON Lines and summary byte for byte", arguments: [1, 2, 3, 7])
  func mergeEqualsSingleRun(shards: Int) throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("s.yaml").path
    let csv = dir.appendingPathComponent("single.csv")
    let summary = try Self.run(["sweep", file, "--output", csv.path]).stdout
    let jsonl = try Self.run(["sweep", file, "--format", "jsonl", "--jobs", "1"]).stdout
    var parts: [String] = []
    for i in 1...shards {
      let part = dir.appendingPathComponent("part-\(i)").path
      _ = try Self.run(["sweep", file, "--shard", "\(i)/\(shards)", "--output", part])
      parts.append(part)
    }
    let mergedCSV = dir.appendingPathComponent("merged.csv")
    let mergedSummary = try Self.run(["merge"] + parts.reversed() + ["--output", mergedCSV.path]).stdout
    #expect(try Self.read(mergedCSV) == (try Self.read(csv)))
    #expect(mergedSummary == summary)
    #expect(try Self.run(["merge"] + parts + ["--format", "jsonl"]).stdout == jsonl)
    let summaryFile = dir.appendingPathComponent("summary.txt")
    _ = try Self.run(["merge"] + parts + ["--summary", summaryFile.path])
    #expect(try Self.read(summaryFile) == summary)

    // The rows themselves: 6 points in order, each JSON line an object with every column.
    let lines = jsonl.split(separator: "\n")
    #expect(lines.count == 6)
    for (index, line) in lines.enumerated() {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      #expect(object["point"] as? Int == index)
      #expect((object["cost_usd"] as? Double ?? 0) > 0)
    }
    #expect(try Self.read(csv).split(separator: "\n").first?.hasPrefix("point,scale,target,cost_usd,billed_instance_hours") == true)
    #expect(summary.contains("scenario scale=1.0 (3 points)"))
  }

  @Test("the rows do not depend on the number of threads")
  func jobsDoNotMatter() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("s.yaml").path
    let one = try Self.run(["sweep", file, "--jobs", "1"]).stdout
    let three = try Self.run(["sweep", file, "--jobs", "3"]).stdout
    #expect(one == three)
    #expect(one.split(separator: "\n").count == 7)
  }

  @Test("--processes n runs the shards as local processes: the single run's bytes, for n above the point count too", arguments: [2, 7])
  func localProcesses(processes: Int) throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("s.yaml").path
    let csv = dir.appendingPathComponent("single.csv")
    let summary = try Self.run(["sweep", file, "--jobs", "1", "--output", csv.path]).stdout
    let viaProcesses = dir.appendingPathComponent("processes.csv")
    let processSummary = try Self.run(["sweep", file, "--processes", String(processes), "--output", viaProcesses.path]).stdout
    #expect(try Self.read(viaProcesses) == (try Self.read(csv)))
    #expect(processSummary == summary)
    #expect(
      try Self.run(["sweep", file, "--processes", String(processes), "--jobs", "1", "--format", "jsonl"]).stdout
        == (try Self.run(["sweep", file, "--format", "jsonl"]).stdout))
  }

  @Test("--processes: a shard that fails is an error naming it; bad counts and --shard together are refused")
  func localProcessErrors() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("s.yaml").path
    let both = try CapsimCommandTests.capsim(["sweep", file, "--processes", "2", "--shard", "1/2"])
    #expect(both.status == 1)
    #expect(both.stderr.contains("--processes runs every shard itself"))
    let zero = try CapsimCommandTests.capsim(["sweep", file, "--processes", "0"])
    #expect(zero.status == 1)
    #expect(zero.stderr.contains("--processes: expected 1 to 256, found 0"))
    // A bad point is found by the parent before any process starts.
    let bad = dir.appendingPathComponent("bad.yaml")
    try Self.scenario.replacingOccurrences(of: "values: [40, 55, 70]", with: "values: [40, -1, 70]")
      .write(to: bad, atomically: true, encoding: .utf8)
    for extra in [["--processes", "2"], []] {
      let invalid = try CapsimCommandTests.capsim(["sweep", bad.path] + extra)
      #expect(invalid.status == 1)
      #expect(invalid.stdout.isEmpty)
      #expect(invalid.stderr.contains("bad.yaml:"))
    }
  }

  @Test("missing, repeated and foreign parts are errors naming them")
  func badParts() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("s.yaml").path
    let part = { (i: Int) in dir.appendingPathComponent("part-\(i)").path }
    for i in 1...3 { _ = try Self.run(["sweep", file, "--shard", "\(i)/3", "--output", part(i)]) }

    let missing = try CapsimCommandTests.capsim(["merge", part(1), part(3)])
    #expect(missing.status == 1)
    #expect(missing.stdout.isEmpty)
    #expect(missing.stderr.contains("missing part: shard 2 of 3"))

    let repeated = try CapsimCommandTests.capsim(["merge", part(1), part(2), part(3), part(2)])
    #expect(repeated.status == 1)
    #expect(repeated.stderr.contains("\(part(2)): shard 2/3 is given twice"))

    // The same grid on a changed scenario: a foreign part.
    let other = dir.appendingPathComponent("other.yaml")
    try Self.scenario.replacingOccurrences(of: "seed: 5", with: "seed: 6").write(to: other, atomically: true, encoding: .utf8)
    let foreign = dir.appendingPathComponent("foreign").path
    _ = try Self.run(["sweep", other.path, "--shard", "2/3", "--output", foreign])
    let mixed = try CapsimCommandTests.capsim(["merge", part(1), foreign, part(3)])
    #expect(mixed.status == 1)
    #expect(mixed.stderr.contains("\(foreign): a part of a different run: its scenario hash is"))

    let shardFlag = try CapsimCommandTests.capsim(["sweep", file, "--shard", "4/3"])
    #expect(shardFlag.status == 1)
    #expect(shardFlag.stderr.contains("--shard: expected i/n with 1 <= i <= n"))
  }
}
