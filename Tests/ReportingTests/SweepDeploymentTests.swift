import Foundation
import Testing
import Yams

@testable import Reporting

/// The documents of `capsim sweep --emit`: read back by a YAML or JSON parser (Yams,
/// JSONSerialization), their shard wiring checked, and their scripts run by /bin/sh with a
/// stand-in `capsim` that records its arguments, so what a container would run is observed,
/// not inferred from the text.
@Suite struct SweepDeploymentTests {
  static let hostile = "it's \"quoted\" $(touch pwned-by-capsim) `id` ;& 주문 \\ yes"

  static func deployment(
    _ engine: SweepDeployment.Engine, shards: Int = 4, scenario: SweepDeployment.ScenarioSource? = nil,
    format: String = "csv", parallelism: Int? = nil, retries: Int = 2, prefix: String? = "s3://capsim-bucket/sweeps/run 1"
  ) -> SweepDeployment {
    SweepDeployment(
      engine: engine, name: "seoul-sweep", shards: shards, totalPoints: 192, image: "registry.example.com/capsim:1.0",
      scenario: scenario
        ?? (engine == .kubernetes
          ? .configMap([
            .init(relativePath: "sweep.yaml", contents: Data("name: x\n".utf8)),
            .init(relativePath: "data/orders.csv", contents: Data("timestamp,value\n2026-03-02 00:00:00,5\n".utf8)),
          ]) : .image(path: "/opt/capsim/scenarios/sweep.yaml")),
      format: format, threadsPerShard: 2, vcpus: 2, memoryMiB: 4_096, parallelism: parallelism, retries: retries,
      volumeClaim: nil, s3Prefix: engine == .kubernetes ? nil : prefix, jobQueue: engine == .kubernetes ? nil : "capsim-queue",
      jobRoleARN: nil)
  }

  static func yamlDocuments(_ text: String) throws -> [[String: Any]] {
    try Yams.load_all(yaml: text).compactMap { $0 as? [String: Any] }
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// Runs `script` with /bin/sh, `capsim` and `aws` replaced by recorders (each call's
  /// arguments, one per line, then a `--` line) and `replacements` applied to its text; returns
  /// the calls and the exit status.
  static func run(_ script: String, environment: [String: String], replacements: [(String, String)] = [])
    throws -> (calls: [[String]], status: Int32)
  {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-emit-\(UUID().uuidString)")
    let bin = directory.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let log = directory.appendingPathComponent("calls").path
    for tool in ["capsim", "aws"] {
      let recorder = "#!/bin/sh\nprintf '%s\\n' \(tool) \"$@\" -- >> \(SweepDeployment.shellQuoted(log))\n"
        + (tool == "capsim" ? "while [ $# -gt 0 ]; do if [ \"$1\" = --output ]; then touch \"$2\" 2>/dev/null || true; fi; shift; done\n" : "")
      let url = bin.appendingPathComponent(tool)
      try recorder.write(to: url, atomically: true, encoding: .utf8)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }
    var text = script
    for (old, new) in replacements { text = text.replacingOccurrences(of: old, with: new.replacingOccurrences(of: "$DIR", with: directory.path)) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", text]
    process.environment = environment.merging(["PATH": bin.path + ":/usr/bin:/bin"]) { $1 }
    try process.run()
    process.waitUntilExit()
    let lines = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n", omittingEmptySubsequences: false) ?? []
    var calls: [[String]] = []
    var current: [String] = []
    for line in lines where !line.isEmpty || !current.isEmpty {
      if line == "--" { calls.append(current); current = [] } else { current.append(String(line)) }
    }
    return (calls, process.terminationStatus)
  }

  // MARK: Kubernetes

  @Test("the Indexed Job runs shard k+1 of n for completion index k, into the claim, and the merge Job waits suspended",
        arguments: [1, 3, 7])
  func kubernetesShardWiring(shards: Int) throws {
    let deployment = Self.deployment(.kubernetes, shards: shards)
    let documents = try Self.yamlDocuments(try deployment.documents())
    #expect(documents.map { $0["kind"] as? String } == ["ConfigMap", "PersistentVolumeClaim", "Job", "Job"])
    let job = documents[2]
    let spec = try #require(job["spec"] as? [String: Any])
    #expect(spec["completionMode"] as? String == "Indexed")
    #expect(spec["completions"] as? Int == shards)
    #expect(spec["parallelism"] as? Int == shards)
    #expect(spec["backoffLimitPerIndex"] as? Int == 2)
    let merge = try #require(documents[3]["spec"] as? [String: Any])
    #expect(merge["suspend"] as? Bool == true)

    let container = try #require(((spec["template"] as? [String: Any])?["spec"] as? [String: Any])?["containers"] as? [[String: Any]]).first
    let command = try #require(container?["command"] as? [String])
    #expect(command.prefix(2) == ["/bin/sh", "-c"])
    #expect(command[2] == deployment.kubernetesShardScript)
    #expect(container?["image"] as? String == "registry.example.com/capsim:1.0")
    for index in 0..<shards {
      let (calls, status) = try Self.run(
        command[2], environment: ["JOB_COMPLETION_INDEX": String(index)], replacements: [("'/parts/", "'$DIR/parts/")])
      #expect(status == 0)
      #expect(calls.count == 1)
      #expect(calls.first.map { Array($0.prefix(6)) } == ["capsim", "sweep", "/scenario/sweep.yaml", "--shard", "\(index + 1)/\(shards)", "--jobs"])
      #expect(calls.first?.last?.hasSuffix("/parts/seoul-sweep/part-\(index + 1).tmp") == true)
    }
  }

  @Test("the merge lists parts 1...n by name, with the format and the summary beside them")
  func kubernetesMerge() throws {
    let deployment = Self.deployment(.kubernetes, shards: 3, format: "jsonl")
    let (calls, status) = try Self.run(deployment.kubernetesMergeScript, environment: [:])
    #expect(status == 0)
    #expect(
      calls == [
        ["capsim", "merge", "/parts/seoul-sweep/part-1", "/parts/seoul-sweep/part-2", "/parts/seoul-sweep/part-3", "--format", "jsonl",
         "--output", "/parts/seoul-sweep/points.jsonl", "--summary", "/parts/seoul-sweep/summary.txt"]
      ])
  }

  @Test("the ConfigMap holds each file's exact bytes and the volume mounts them at their relative paths")
  func configMapContents() throws {
    let tricky = "timestamp,value\r\n2026-03-02 00:00:00,5\r\n  indented\tyes\n\u{2028}no\n# not a comment\n- not a list\n"
    let files: [SweepDeployment.ScenarioFile] = [
      .init(relativePath: "s.yaml", contents: Data("name: x\nsweep: {}\n".utf8)),
      .init(relativePath: "data/it's a file.csv", contents: Data(tricky.utf8)),
      .init(relativePath: "data/it_s a file.csv", contents: Data("other\n".utf8)),
      .init(relativePath: "bin/blob", contents: Data([0xFF, 0x00, 0xFE])),
    ]
    let documents = try Self.yamlDocuments(try Self.deployment(.kubernetes, scenario: .configMap(files)).documents())
    let data = try #require(documents[0]["data"] as? [String: String])
    let binary = try #require(documents[0]["binaryData"] as? [String: String])
    let spec = try #require(((documents[2]["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
    let volume = try #require((spec["volumes"] as? [[String: Any]])?.first?["configMap"] as? [String: Any])
    let items = try #require(volume["items"] as? [[String: String]])
    #expect(items.map { $0["path"] } == files.map(\.relativePath))
    for (item, file) in zip(items, files) {
      let key = try #require(item["key"])
      #expect(key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) })
      if let text = data[key] {
        #expect(Data(text.utf8) == file.contents)
      } else {
        #expect(Data(base64Encoded: try #require(binary[key])) == file.contents)
      }
    }
    #expect(Set(items.compactMap { $0["key"] }).count == 4)
  }

  @Test("hostile paths and names reach the container as one argument each, never as shell or YAML syntax")
  func hostileValues() throws {
    let path = "/data/\(Self.hostile)/s.yaml"
    let deployment = Self.deployment(.kubernetes, scenario: .image(path: path))
    let documents = try Self.yamlDocuments(try deployment.documents())
    #expect(documents.map { $0["kind"] as? String } == ["PersistentVolumeClaim", "Job", "Job"])
    let (calls, status) = try Self.run(
      deployment.kubernetesShardScript, environment: ["JOB_COMPLETION_INDEX": "0"], replacements: [("'/parts/", "'$DIR/parts/")])
    #expect(status == 0)
    #expect(calls.first?[2] == path)
    #expect(!FileManager.default.fileExists(atPath: "pwned-by-capsim"))

    let prefix = "s3://capsim-bucket/\(Self.hostile)"
    let batch = Self.deployment(.batch, prefix: prefix)
    let json = try Self.json(try batch.documents())
    let merge = try #require((json["submitMergeJob"] as? [String: Any])?["containerOverrides"] as? [String: Any])
    let script = try #require((merge["command"] as? [String])?.last)
    let run = try Self.run(script, environment: [:], replacements: [("/tmp/", "$DIR/")])
    #expect(run.status == 0)
    #expect(run.calls.first?.suffix(2).first == prefix + "/")
    #expect(run.calls.last?.last == prefix + "/summary.txt")
  }

  @Test("YAML keeps every string a string: reserved words, numbers, markers and control characters round-trip")
  func yamlScalars() throws {
    let texts = ["yes", "No", "on", "null", "~", "0x1F", "1e3", "- x", "a: b", "#c", "", " lead", "trail ", "tab\tin", "\u{85}nel",
                 "two\nlines\n", "\r\n", "emoji 🚀", "multi\nline\nwith: colon\n"]
    let value = JSONValue.object(texts.enumerated().map { ("k\($0.offset)", .string($0.element)) } + [("yes", .string("key"))])
    let read = try #require(try Yams.load(yaml: value.renderedAsYAML()) as? [String: Any])
    for (offset, text) in texts.enumerated() { #expect(read["k\(offset)"] as? String == text) }
    #expect(read["yes"] as? String == "key")
  }

  // MARK: AWS Batch

  @Test("the array job has n children (a plain job for n = 1); child k runs shard k+1 and copies its part", arguments: [1, 2, 5])
  func batchShardWiring(shards: Int) throws {
    let deployment = Self.deployment(.batch, shards: shards, retries: 3)
    let json = try Self.json(try deployment.documents())
    let submit = try #require(json["submitJob"] as? [String: Any])
    #expect((submit["arrayProperties"] as? [String: Any])?["size"] as? Int == (shards == 1 ? nil : shards))
    #expect(submit["jobQueue"] as? String == "capsim-queue")
    let definition = try #require(json["registerJobDefinition"] as? [String: Any])
    #expect((definition["retryStrategy"] as? [String: Any])?["attempts"] as? Int == 4)
    let container = try #require(definition["containerProperties"] as? [String: Any])
    let requirements = try #require(container["resourceRequirements"] as? [[String: String]])
    #expect(requirements == [["type": "VCPU", "value": "2"], ["type": "MEMORY", "value": "4096"]])
    let merge = try #require(json["submitMergeJob"] as? [String: Any])
    #expect(merge["dependsOn"] as? [[String: String]] == [["jobId": "ARRAY_JOB_ID"]])
    #expect(merge["jobDefinition"] as? String == definition["jobDefinitionName"] as? String)

    let script = try #require((container["command"] as? [String])?.last)
    for index in 0..<shards {
      let environment = shards == 1 ? [:] : ["AWS_BATCH_JOB_ARRAY_INDEX": String(index)]
      let (calls, status) = try Self.run(script, environment: environment, replacements: [("/tmp/", "$DIR/")])
      #expect(status == 0)
      #expect(calls.count == 2)
      #expect(calls.first.map { Array($0.prefix(5)) } == ["capsim", "sweep", "/opt/capsim/scenarios/sweep.yaml", "--shard", "\(index + 1)/\(shards)"])
      #expect(calls.last?.last == "s3://capsim-bucket/sweeps/run 1/part-\(index + 1)")
    }
  }

  // MARK: Step Functions

  @Test("the Distributed Map runs one Batch job per shard 1...n with CAPSIM_SHARD, then the merge")
  func stepFunctionsWiring() throws {
    let deployment = Self.deployment(.stepFunctions, shards: 5, parallelism: 2)
    let json = try Self.json(try deployment.documents())
    let machine = try #require(json["stateMachineDefinition"] as? [String: Any])
    let states = try #require(machine["States"] as? [String: Any])
    #expect((states["Shards"] as? [String: Any])?["Result"] as? [String] == ["1", "2", "3", "4", "5"])
    let map = try #require(states["RunShards"] as? [String: Any])
    #expect(map["MaxConcurrency"] as? Int == 2)
    #expect(map["Next"] as? String == "Merge")
    let processor = try #require(map["ItemProcessor"] as? [String: Any])
    #expect((processor["ProcessorConfig"] as? [String: Any])?["Mode"] as? String == "DISTRIBUTED")
    let definition = try #require(json["registerJobDefinition"] as? [String: Any])
    let script = try #require(((definition["containerProperties"] as? [String: Any])?["command"] as? [String])?.last)
    // CAPSIM_SHARD (the Map's item) wins over an array index.
    let (calls, status) = try Self.run(
      script, environment: ["CAPSIM_SHARD": "4", "AWS_BATCH_JOB_ARRAY_INDEX": "0"], replacements: [("/tmp/", "$DIR/")])
    #expect(status == 0)
    #expect(calls.first?[4] == "4/5")
  }

  // MARK: Errors

  @Test("options an engine cannot take are errors naming the option, what it takes and what it was given", arguments: [
    ({ @Sendable (d: inout SweepDeployment) in d.name = "Seoul_Sweep" }, "--name: expected 1-40 of a-z"),
    ({ @Sendable (d: inout SweepDeployment) in d.shards = 0 }, "--shards: expected 1 to 100000 for --emit k8s, found 0"),
    ({ @Sendable (d: inout SweepDeployment) in d.image = "capsim latest" }, "--image: expected an image reference"),
    ({ @Sendable (d: inout SweepDeployment) in d.format = "xml" }, "--format: expected csv or jsonl, found 'xml'"),
    ({ @Sendable (d: inout SweepDeployment) in d.parallelism = 9 }, "--parallelism: expected 1 to the number of shards (4), found 9"),
    ({ @Sendable (d: inout SweepDeployment) in d.volumeClaim = "Parts!" }, "--volume-claim: expected a PersistentVolumeClaim name"),
    ({ @Sendable (d: inout SweepDeployment) in d.jobQueue = "q" }, "--job-queue: expected no value with --emit k8s"),
    ({ @Sendable (d: inout SweepDeployment) in d.memoryMiB = 64 }, "--memory-mib: expected 128 to 1048576 (1 TiB), found 64"),
    ({ @Sendable (d: inout SweepDeployment) in d.scenario = .configMap([.init(relativePath: "../x.csv", contents: Data())]) },
     "--emit k8s: expected data files inside the scenario's directory"),
    ({ @Sendable (d: inout SweepDeployment) in d.scenario = .configMap([.init(relativePath: "big.csv", contents: Data(count: 1_000_001))]) },
     "found 1000001 bytes"),
    ({ @Sendable (d: inout SweepDeployment) in d.engine = .batch; d.s3Prefix = "s3://b"; d.jobQueue = "q"; d.scenario = .image(path: "/s.yaml"); d.shards = 10_001 },
     "--shards: expected 1 to 10000 for --emit batch (an AWS Batch array job's largest size), found 10001"),
    ({ @Sendable (d: inout SweepDeployment) in d.engine = .batch; d.jobQueue = "q"; d.scenario = .image(path: "/s.yaml") },
     "--parts: expected an s3://bucket/prefix for the part files with --emit batch, found none"),
    ({ @Sendable (d: inout SweepDeployment) in d.engine = .batch; d.s3Prefix = "s3://B/x/"; d.jobQueue = "q"; d.scenario = .image(path: "/s.yaml") },
     "--parts: expected s3://BUCKET or s3://BUCKET/PREFIX"),
    ({ @Sendable (d: inout SweepDeployment) in d.engine = .batch; d.s3Prefix = "s3://bucket"; d.scenario = .image(path: "/s.yaml") },
     "--job-queue: expected the AWS Batch job queue (name or ARN) with --emit batch, found none"),
    ({ @Sendable (d: inout SweepDeployment) in d.engine = .stepFunctions; d.s3Prefix = "s3://bucket"; d.jobQueue = "q" },
     "--scenario-path: expected the scenario's path inside the image with --emit stepfunctions"),
    ({ @Sendable (d: inout SweepDeployment) in d.engine = .batch; d.s3Prefix = "s3://bucket"; d.jobQueue = "q"; d.scenario = .image(path: "/s.yaml"); d.parallelism = 2 },
     "--parallelism: expected no value with --emit batch"),
    ({ @Sendable (d: inout SweepDeployment) in d.engine = .batch; d.s3Prefix = "s3://bucket"; d.jobQueue = "q"; d.scenario = .image(path: "/s.yaml"); d.jobRoleARN = "role" },
     "--job-role-arn: expected an IAM role ARN"),
  ])
  func errors(change: @Sendable (inout SweepDeployment) -> Void, message: String) throws {
    var deployment = Self.deployment(.kubernetes)
    change(&deployment)
    let error = try #require(throws: SweepDeploymentError.self) { try deployment.documents() }
    #expect(error.description.contains(message), "\(error.description)")
  }

  @Test("a default run name is the scenario's name as a DNS label", arguments: [
    ("seoul-sweep", "seoul-sweep"), ("Seoul sweep (v2)", "seoul-sweep-v2"), ("2026 plan", "capsim-2026-plan"), ("주문", "capsim"),
    (String(repeating: "a", count: 39) + "-b", String(repeating: "a", count: 39)),
  ])
  func defaultName(scenario: String, name: String) {
    #expect(SweepDeployment.defaultName(scenarioName: scenario) == name)
    #expect(SweepDeployment.isRunName(name))
  }

  @Test("the same deployment gives the same bytes", arguments: SweepDeployment.Engine.allCases)
  func deterministic(engine: SweepDeployment.Engine) throws {
    #expect(try Self.deployment(engine).documents() == (try Self.deployment(engine).documents()))
  }
}
