import Foundation
import Testing

/// `capsim run --shard` and `capsim recommend --shard` with `capsim merge`, as a user runs
/// them: merged parts are the bytes of the unsharded command for any shard count (more
/// shards than items included), and bad parts are errors naming them.
@Suite struct ShardRunCommandTests {
  /// Three variants (three items), Spot interruptions and a zone outage (each variant's
  /// counterfactuals), and a second type in the capacity (the cost report's alternatives).
  static let variants = """
    name: shard-run-e2e
    timeZone: Asia/Seoul
    demand:
      synthetic: {start: 2026-03-02T00:00:00, days: 2, baselinePerMinute: 400, noiseSigma: 0.05}
    capacity:
      unitsPerMinute: {m5.large: 120, c6i.large: 150}
    fleet:
      region: ap-northeast-2
      availabilityZones: [ap-northeast-2a, ap-northeast-2b]
      instanceType: m5.large
      minSize: 4
      maxSize: 60
      purchaseOptions:
        onDemandBaseCapacity: 2
        onDemandPercentageAboveBaseCapacity: 50
        spotInterruptions: {monthlyPercent: 20}
    faults:
      - {name: lose-2a, zoneOutage: ap-northeast-2a, start: 2026-03-03T18:00:00, duration: 1h}
    variants:
      - name: cpu-40
        policies:
          - targetTracking: {name: cpu, metric: cpu, target: 40}
      - name: cpu-55
        policies:
          - targetTracking: {name: cpu, metric: cpu, target: 55}
      - name: cpu-70
        policies:
          - targetTracking: {name: cpu, metric: cpu, target: 70}
    simulation: {seed: 11}

    """

  /// Two services on one account bill: three items (the run, without Spot interruptions,
  /// without the outage); the outage and Spot touch only `orders`.
  static let services = """
    name: shard-services-e2e
    timeZone: Asia/Seoul
    capacity:
      unitsPerMinute: {m5.large: 120}
    faults:
      - {name: lose-2a, zoneOutage: ap-northeast-2a, start: 2026-03-03T18:00:00, duration: 1h}
    services:
      - name: orders
        team: orders
        demand:
          synthetic: {start: 2026-03-02T00:00:00, days: 2, baselinePerMinute: 300, noiseSigma: 0.05}
        fleet:
          region: ap-northeast-2
          availabilityZones: [ap-northeast-2a, ap-northeast-2b]
          instanceType: m5.large
          minSize: 2
          maxSize: 40
          purchaseOptions:
            onDemandBaseCapacity: 2
            onDemandPercentageAboveBaseCapacity: 50
            spotInterruptions: {monthlyPercent: 20}
        policies:
          - targetTracking: {name: cpu, metric: cpu, target: 50}
      - name: search
        team: discovery
        demand:
          synthetic: {start: 2026-03-02T00:00:00, days: 2, baselinePerMinute: 150, noiseSigma: 0.05}
        fleet:
          region: ap-northeast-2
          availabilityZone: ap-northeast-2b
          instanceType: m5.large
          minSize: 2
          maxSize: 20
        policies:
          - targetTracking: {name: cpu, metric: cpu, target: 60}
    simulation: {seed: 3}

    """

  /// Five days: enough for a recommendation with a one-day backtest from two origins.
  static let recommend = """
    name: shard-recommend-e2e
    timeZone: Asia/Seoul
    demand:
      synthetic: {start: 2026-03-02T00:00:00, days: 5, baselinePerMinute: 300, noiseSigma: 0.05}
    capacity:
      unitsPerMinute: {m5.large: 120}
    fleet: {region: ap-northeast-2, instanceType: m5.large, minSize: 2, maxSize: 40}
    variants:
      - name: tt
        policies:
          - targetTracking: {name: cpu, metric: cpu, target: 50}
    simulation: {seed: 5}

    """

  /// The narrowed search: 2 targets x 1 warm-up x 2 floors x 3 predictive = 12 variants and
  /// the current policies, on the history and 2 paths: 39 ranking runs.
  static let narrowed = ["--targets", "50,70", "--warmups", "300", "--paths", "2", "--forecast-days", "1"]

  static func directory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-shardrun-e2e-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in [("v.yaml", variants), ("s.yaml", services), ("r.yaml", recommend)] {
      try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return url
  }

  static func run(_ arguments: [String]) throws -> String {
    let output = try CapsimCommandTests.capsim(arguments)
    #expect(output.status == 0, "capsim \(arguments.joined(separator: " ")): \(output.stderr)")
    return output.stdout
  }

  /// Writes `command FILE options --shard i/n` for i in 1...n; the part paths, in order.
  static func parts(_ command: String, _ file: String, _ options: [String], shards: Int, in dir: URL, name: String) throws -> [String] {
    try (1...shards).map { i in
      let part = dir.appendingPathComponent("\(name)-\(i)-of-\(shards)").path
      _ = try run([command, file] + options + ["--shard", "\(i)/\(shards)", "--output", part])
      return part
    }
  }

  @Test("merged run parts give the unsharded run's JSON byte for byte (table and HTML at 3)", arguments: [1, 2, 3, 7])
  func runMergeEqualsSingleRun(shards: Int) throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("v.yaml").path
    let options = ["--max-delayed-percent", "0.5"]
    let json = try Self.run(["run", file, "--format", "json"] + options)
    let parts = try Self.parts("run", file, options, shards: shards, in: dir, name: "run")
    #expect(try Self.run(["merge"] + parts.reversed() + ["--format", "json"]) == json)
    // Each variant once, with its disruption counterfactuals, and the type alternative.
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let variants = try #require(object["variants"] as? [[String: Any]])
    #expect(variants.map { $0["name"] as? String } == ["cpu-40", "cpu-55", "cpu-70"])
    #expect(variants.allSatisfy { ($0["disruptions"] as? [Any])?.count == 2 })
    #expect(json.contains("c6i.large"))
    if shards == 3 {
      #expect(try Self.run(["merge"] + parts + ["--format", "html"]) == (try Self.run(["run", file, "--format", "html"] + options)))
      #expect(try Self.run(["merge"] + parts) == (try Self.run(["run", file] + options)))
      // --output DIR: the same report files.
      let single = dir.appendingPathComponent("single-out")
      let merged = dir.appendingPathComponent("merged-out")
      _ = try Self.run(["run", file, "--output", single.path] + options)
      _ = try Self.run(["merge"] + parts + ["--output", merged.path])
      for name in ["report.json", "report.html"] {
        #expect(
          try Data(contentsOf: merged.appendingPathComponent(name)) == (try Data(contentsOf: single.appendingPathComponent(name))))
      }
    }
  }

  @Test("merged run parts of a scenario with services (one account bill) give the unsharded bytes", arguments: [1, 2, 3, 7])
  func servicesMergeEqualsSingleRun(shards: Int) throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("s.yaml").path
    let json = try Self.run(["run", file, "--format", "json"])
    let parts = try Self.parts("run", file, [], shards: shards, in: dir, name: "services")
    #expect(try Self.run(["merge"] + parts + ["--format", "json"]) == json)
    // The outage and Spot touch orders only: its two effects, none for search.
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let services = try #require(object["services"] as? [[String: Any]])
    #expect((services[0]["disruptions"] as? [[String: Any]])?.map { $0["name"] as? String } == ["spot interruptions", "lose-2a"])
    #expect(services[1]["disruptions"] is NSNull || services[1]["disruptions"] == nil || (services[1]["disruptions"] as? [Any])?.isEmpty == true)
    if shards == 2 {
      #expect(try Self.run(["merge"] + parts) == (try Self.run(["run", file])))
    }
  }

  @Test("merged recommend parts give the unsharded recommendation byte for byte (table and HTML at 2)", arguments: [1, 2, 3, 7])
  func recommendMergeEqualsSingleRun(shards: Int) throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("r.yaml").path
    let json = try Self.run(["recommend", file, "--format", "json"] + Self.narrowed)
    let parts = try Self.parts("recommend", file, Self.narrowed, shards: shards, in: dir, name: "recommend")
    // 39 ranking runs over the shards, one line each after the header.
    let lines = try parts.map { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n").count - 1 }
    #expect(lines.reduce(0, +) == 39)
    #expect(lines == (1...shards).map { i in Array(stride(from: i - 1, to: 39, by: shards)).count })
    #expect(try Self.run(["merge"] + parts + ["--scenario", file, "--format", "json"]) == json)
    if shards == 2 {
      let html = try Self.run(["recommend", file, "--format", "html"] + Self.narrowed)
      #expect(try Self.run(["merge"] + parts + ["--scenario", file, "--format", "html"]) == html)
      let table = try Self.run(["recommend", file] + Self.narrowed)
      #expect(try Self.run(["merge"] + parts + ["--scenario", file]) == table)
    }
  }

  @Test("--processes runs run and recommend as local shard processes: the unsharded bytes; bad input reported once")
  func localProcesses() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let variants = dir.appendingPathComponent("v.yaml").path
    let options = ["--max-delayed-percent", "0.5"]
    #expect(
      try Self.run(["run", variants, "--processes", "2", "--format", "json"] + options)
        == (try Self.run(["run", variants, "--format", "json"] + options)))
    // More processes than items (3 variants): empty parts are valid.
    #expect(try Self.run(["run", variants, "--processes", "5"] + options) == (try Self.run(["run", variants] + options)))
    let services = dir.appendingPathComponent("s.yaml").path
    #expect(try Self.run(["run", services, "--processes", "2", "--format", "json"]) == (try Self.run(["run", services, "--format", "json"])))
    let recommend = dir.appendingPathComponent("r.yaml").path
    #expect(
      try Self.run(["recommend", recommend, "--processes", "3", "--format", "json"] + Self.narrowed)
        == (try Self.run(["recommend", recommend, "--format", "json"] + Self.narrowed)))

    let badFault = try CapsimCommandTests.capsim([
      "run", variants, "--processes", "2", "--fault", "zoneOutage: nowhere, start: 2026-03-03T18:00:00, duration: 1h",
    ])
    #expect(badFault.status == 1)
    #expect(badFault.stdout.isEmpty)
    #expect(badFault.stderr.contains("--fault #1"))
    #expect(!badFault.stderr.contains("shard 1/2 failed"))
    let both = try CapsimCommandTests.capsim(["recommend", recommend, "--processes", "2", "--shard", "1/2"])
    #expect(both.status == 1)
    #expect(both.stderr.contains("--processes runs every shard itself"))
  }

  @Test("recommend parts with a backtest from two origins merge to the unsharded bytes")
  func recommendWithOriginsMerges() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("r.yaml").path
    let options = Self.narrowed + ["--backtest-days", "1", "--backtest-origins", "2", "--backtest-step-days", "1"]
    let json = try Self.run(["recommend", file, "--format", "json"] + options)
    let parts = try Self.parts("recommend", file, options, shards: 3, in: dir, name: "origins")
    #expect(try Self.run(["merge"] + parts + ["--scenario", file, "--format", "json"]) == json)
    // Both origins' searches are in the parts: twice the single origin's 39 runs.
    let header = try #require(try String(contentsOfFile: parts[0], encoding: .utf8).split(separator: "\n").first)
    #expect(header.contains("\"totalPoints\":78"))
  }

  @Test("missing, repeated, foreign and truncated parts are errors naming them; merge writes nothing")
  func badParts() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("v.yaml").path
    let part = try Self.parts("run", file, [], shards: 3, in: dir, name: "run")

    let missing = try CapsimCommandTests.capsim(["merge", part[0], part[2], "--format", "json"])
    #expect(missing.status == 1)
    #expect(missing.stdout.isEmpty)
    #expect(missing.stderr.contains("missing part: shard 2 of 3"))

    let repeated = try CapsimCommandTests.capsim(["merge", part[0], part[1], part[2], part[1]])
    #expect(repeated.status == 1)
    #expect(repeated.stderr.contains("\(part[1]): shard 2/3 is given twice"))

    // Other options: a foreign part, by its arguments.
    let other = dir.appendingPathComponent("other-options").path
    _ = try Self.run(["run", file, "--max-delayed-percent", "1", "--shard", "2/3", "--output", other])
    let options = try CapsimCommandTests.capsim(["merge", part[0], other, part[2]])
    #expect(options.status == 1)
    #expect(options.stderr.contains("\(other): a part of a different run: its arguments is '--max-delayed-percent 1.0'"))

    // Another scenario: a foreign part, by its hash.
    let changed = dir.appendingPathComponent("changed.yaml")
    try Self.variants.replacingOccurrences(of: "seed: 11", with: "seed: 12").write(to: changed, atomically: true, encoding: .utf8)
    let foreign = dir.appendingPathComponent("foreign").path
    _ = try Self.run(["run", changed.path, "--shard", "3/3", "--output", foreign])
    let mixed = try CapsimCommandTests.capsim(["merge", part[0], part[1], foreign])
    #expect(mixed.status == 1)
    #expect(mixed.stderr.contains("\(foreign): a part of a different run: its scenario hash is"))

    // Another command: a recommend part among run parts.
    let recommendFile = dir.appendingPathComponent("r.yaml").path
    let recommendPart = dir.appendingPathComponent("recommend-part").path
    _ = try Self.run(["recommend", recommendFile] + Self.narrowed + ["--shard", "1/3", "--output", recommendPart])
    let commands = try CapsimCommandTests.capsim(["merge", part[0], part[1], recommendPart])
    #expect(commands.status == 1)
    #expect(commands.stderr.contains("\(recommendPart): a part of a different run: its command is 'recommend'"))

    // A part cut short (its last record lost) and a part with a record edited.
    let text = try String(contentsOfFile: part[0], encoding: .utf8)
    let truncated = dir.appendingPathComponent("truncated").path
    try text.split(separator: "\n").dropLast().joined(separator: "\n").appending("\n").write(toFile: truncated, atomically: true, encoding: .utf8)
    let short = try CapsimCommandTests.capsim(["merge", truncated, part[1], part[2]])
    #expect(short.status == 1)
    #expect(short.stderr.contains("\(truncated): shard 1/3 of 3 items should hold 1 records, found 0 (truncated?)"))
    let edited = dir.appendingPathComponent("edited").path
    try text.replacingOccurrences(of: "{\"item\":0,", with: "{\"item\":3,").write(toFile: edited, atomically: true, encoding: .utf8)
    let wrong = try CapsimCommandTests.capsim(["merge", edited, part[1], part[2]])
    #expect(wrong.status == 1)
    #expect(wrong.stderr.contains("\(edited): line 2 should be item 0, found item 3"))
    let garbled = dir.appendingPathComponent("garbled").path
    try String(text.split(separator: "\n")[0] + "\n{\"item\":0}\n").write(toFile: garbled, atomically: true, encoding: .utf8)
    let unreadable = try CapsimCommandTests.capsim(["merge", garbled, part[1], part[2]])
    #expect(unreadable.status == 1)
    #expect(unreadable.stderr.contains("\(garbled): line 2: not a run record"))

    let format = try CapsimCommandTests.capsim(["merge"] + part + ["--format", "csv"])
    #expect(format.status == 1)
    #expect(format.stderr.contains("--format: expected table, json, html for these parts, found 'csv'"))
    let lineItems = try CapsimCommandTests.capsim(["run", file, "--shard", "1/2", "--line-items", dir.appendingPathComponent("x.csv").path])
    #expect(lineItems.status == 1)
    #expect(lineItems.stderr.contains("--line-items cannot be sharded"))
  }

  @Test("recommend parts need their own scenario at the merge, checked by its hash")
  func recommendMergeNeedsItsScenario() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("r.yaml").path
    let parts = try Self.parts("recommend", file, Self.narrowed, shards: 2, in: dir, name: "recommend")

    let without = try CapsimCommandTests.capsim(["merge"] + parts)
    #expect(without.status == 1)
    #expect(without.stderr.contains("recommend parts are merged with their scenario: give --scenario FILE"))

    let changed = dir.appendingPathComponent("changed.yaml")
    try Self.recommend.replacingOccurrences(of: "seed: 5", with: "seed: 6").write(to: changed, atomically: true, encoding: .utf8)
    let wrong = try CapsimCommandTests.capsim(["merge"] + parts + ["--scenario", changed.path])
    #expect(wrong.status == 1)
    #expect(wrong.stdout.isEmpty)
    #expect(wrong.stderr.contains("\(changed.path): not the scenario of these parts: its SHA-256"))

    let shardFormat = try CapsimCommandTests.capsim(["recommend", file, "--shard", "1/2", "--format", "json"])
    #expect(shardFormat.status == 1)
    #expect(shardFormat.stderr.contains("--shard writes a part file; give --format to capsim merge instead"))
  }
}
