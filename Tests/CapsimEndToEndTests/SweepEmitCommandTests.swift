import Foundation
import Testing

/// `capsim sweep FILE --emit ...` as a user runs it: the scenario's data files reach the
/// ConfigMap, defaults follow the grid, and bad combinations are errors that name the option.
/// (The documents themselves: ReportingTests/SweepDeploymentTests; validated and executed in
/// .ci/run by Tests/tools/check_sweep_deployment.py.)
@Suite struct SweepEmitCommandTests {
  /// The SweepCommandTests scenario (6 points) reading its demand from data/demand.csv.
  static func directory(dataPath: String = "data/demand.csv") throws -> URL {
    let dir = try SweepCommandTests.directory()
    var rows = "timestamp,value\n"
    for hour in 0..<48 { rows += "2026-03-0\(2 + hour / 24) \(hour % 24 < 10 ? "0" : "")\(hour % 24):00:00,\(300 + hour)\n" }
    let data = dir.appendingPathComponent(dataPath)
    try FileManager.default.createDirectory(at: data.deletingLastPathComponent(), withIntermediateDirectories: true)
    try rows.write(to: data, atomically: true, encoding: .utf8)
    let scenario = SweepCommandTests.scenario.replacingOccurrences(
      of: "synthetic: {start: 2026-03-02T00:00:00, days: 2, baselinePerMinute: 300, noiseSigma: 0.05}",
      with: "csv: \"\(dataPath)\"")
    try scenario.write(to: dir.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
    return dir
  }

  @Test("--emit k8s ships the scenario and its data file in the ConfigMap, one shard per point by default, same bytes each time")
  func kubernetes() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("s.yaml").path
    let output = try SweepCommandTests.run(["sweep", file, "--emit", "k8s"]).stdout
    #expect(output.contains("  completions: 6\n"))
    #expect(output.contains("kind: \"ConfigMap\"\n"))
    #expect(output.contains("\n            path: \"data/demand.csv\"\n"))
    #expect(output.contains("  data_demand.csv: |\n    timestamp,value\n    2026-03-02 00:00:00,300\n"))
    #expect(output.contains("capsim sweep '/scenario/s.yaml' --shard \"$shard/6\" --jobs 1"))
    let written = dir.appendingPathComponent("sweep.yaml")
    _ = try SweepCommandTests.run(["sweep", file, "--emit", "k8s", "--output", written.path])
    #expect(try SweepCommandTests.read(written) == output)
  }

  @Test("--emit batch runs the scenario from the image's /opt/capsim for a relative FILE")
  func batch() throws {
    let output = try SweepCommandTests.run([
      "sweep", "scenarios/seoul-sweep.yaml", "--emit", "batch", "--shards", "8", "--image", "capsim:1", "--parts", "s3://my-bucket/p",
      "--job-queue", "q", "--format", "jsonl",
    ]).stdout
    #expect(output.contains("capsim sweep '/opt/capsim/scenarios/seoul-sweep.yaml' --shard \\\"$shard/8\\\""))
    #expect(output.contains("\"size\": 8"))
    #expect(output.contains("--format jsonl --output \\\"/tmp/points.jsonl\\\""))
  }

  @Test("bad combinations are errors naming the option", arguments: [
    (["--emit", "batch", "--scenario-path", "/s.yaml"], "--image: expected the capsim image in your registry with --emit batch"),
    (["--shards", "3"], "--shards is an option of --emit"),
    (["--emit", "k8s", "--shard", "1/2"], "--shard is for one shard"),
    (["--emit", "stepfunctions", "--image", "c:1", "--parts", "s3://bucket", "--job-queue", "q"],
     "--scenario-path: expected the scenario's path inside the image with --emit stepfunctions for a FILE outside the working directory"),
    (["--emit", "k8s", "--job-queue", "q"], "--job-queue: expected no value with --emit k8s"),
    (["--vcpus", "4"], "--vcpus is an option of --emit"),
    (["--emit", "k8s", "--memory-mib", "64"], "--memory-mib: expected 128 to 1048576 (1 TiB), found 64"),
  ])
  func errors(arguments: [String], message: String) throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try CapsimCommandTests.capsim(["sweep", dir.appendingPathComponent("s.yaml").path] + arguments)
    #expect(result.status != 0)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }

  @Test("a data file outside the scenario's directory cannot go in the ConfigMap: the error says to use --scenario-path")
  func dataOutsideDirectory() throws {
    let outside = "../capsim-emit-\(UUID().uuidString).csv"
    let dir = try Self.directory(dataPath: outside)
    defer {
      try? FileManager.default.removeItem(at: dir.appendingPathComponent(outside).standardizedFileURL)
      try? FileManager.default.removeItem(at: dir)
    }
    let result = try CapsimCommandTests.capsim(["sweep", dir.appendingPathComponent("s.yaml").path, "--emit", "k8s"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("--emit k8s: expected data files inside the scenario's directory"))
    #expect(result.stderr.contains("--scenario-path"))
    let inImage = try SweepCommandTests.run([
      "sweep", dir.appendingPathComponent("s.yaml").path, "--emit", "k8s", "--scenario-path", "/srv/s.yaml",
    ]).stdout
    #expect(!inImage.contains("ConfigMap"))
    #expect(inImage.contains("capsim sweep '/srv/s.yaml'"))
  }
}
