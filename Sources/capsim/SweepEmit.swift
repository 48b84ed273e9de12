import ArgumentParser
import Foundation
import Reporting
import Scenario

/// `capsim sweep FILE --emit k8s|batch|stepfunctions`: the documents that run the sweep's
/// shards on an existing engine and merge them (`Reporting.SweepDeployment`).
struct SweepEmitOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Instead of running the sweep, write the documents that run its shards and the merge on k8s (Kubernetes), batch (AWS Batch) or stepfunctions (Step Functions over AWS Batch). See docs/sweeps.md.",
      valueName: "engine"))
  var emit: SweepDeployment.Engine?

  @Option(help: ArgumentHelp("With --emit: the number of shards (default: the points, at most 16).", valueName: "n"))
  var shards: Int?

  @Option(help: ArgumentHelp("With --emit: the capsim image (default for k8s: capsim:latest; required for batch and stepfunctions).", valueName: "image"))
  var image: String?

  @Option(help: ArgumentHelp("With --emit: the run's name, prefix of every object's name (default: from the scenario's name).", valueName: "name"))
  var name: String?

  @Option(
    help: ArgumentHelp(
      "With --emit: the scenario's path inside the image (the image holds it and its data files). Default for k8s: a ConfigMap holds them; for batch and stepfunctions: /opt/capsim/FILE for a relative FILE (the image's scenarios).",
      valueName: "path"))
  var scenarioPath: String?

  @Option(help: ArgumentHelp("With --emit: CPUs per shard's container; also its --jobs unless --jobs is given (default 1).", valueName: "n"))
  var vcpus: Int?

  @Option(name: .customLong("memory-mib"), help: ArgumentHelp("With --emit: memory per container, MiB (default 2048).", valueName: "mib"))
  var memoryMiB: Int?

  @Option(help: ArgumentHelp("With --emit k8s or stepfunctions: shards running at once (default: all).", valueName: "n"))
  var parallelism: Int?

  @Option(help: ArgumentHelp("With --emit: retries of a failed shard (default 2).", valueName: "n"))
  var retries: Int?

  @Option(help: ArgumentHelp("With --emit k8s: an existing PersistentVolumeClaim for the parts (default: one named NAME-parts is emitted).", valueName: "claim"))
  var volumeClaim: String?

  @Option(help: ArgumentHelp("With --emit batch or stepfunctions: the s3://bucket/prefix the parts, rows and summary go to.", valueName: "s3-uri"))
  var parts: String?

  @Option(help: ArgumentHelp("With --emit batch or stepfunctions: the AWS Batch job queue.", valueName: "queue"))
  var jobQueue: String?

  @Option(help: ArgumentHelp("With --emit batch or stepfunctions: the IAM role the containers use (it needs the S3 prefix).", valueName: "arn"))
  var jobRoleArn: String?
}

extension SweepDeployment.Engine: ExpressibleByArgument {}

extension SweepEmitOptions {
  /// The options that only mean something with --emit, when given without it.
  var givenWithoutEmit: String? {
    let given: [(String, Bool)] = [
      ("--shards", shards != nil), ("--image", image != nil), ("--name", name != nil), ("--scenario-path", scenarioPath != nil),
      ("--vcpus", vcpus != nil), ("--memory-mib", memoryMiB != nil), ("--retries", retries != nil), ("--parallelism", parallelism != nil), ("--volume-claim", volumeClaim != nil), ("--parts", parts != nil),
      ("--job-queue", jobQueue != nil), ("--job-role-arn", jobRoleArn != nil),
    ]
    return given.first { $0.1 }?.0
  }

  /// The deployment of `plan` (read from `file`) on `engine`.
  func deployment(engine: SweepDeployment.Engine, plan: SweepPlan, file: String, format: String, jobs: Int?) throws -> SweepDeployment {
    let source: SweepDeployment.ScenarioSource
    if let scenarioPath {
      source = .image(path: scenarioPath)
    } else if engine == .kubernetes {
      source = .configMap(try Self.scenarioFiles(plan: plan, file: file))
    } else {
      guard !file.hasPrefix("/"), !file.split(separator: "/").contains("..") else {
        throw ValidationError(
          "--scenario-path: expected the scenario's path inside the image with --emit \(engine.rawValue) for a FILE outside the "
            + "working directory, found none (FILE is '\(file)')")
      }
      source = .image(path: "/opt/capsim/" + file.split(separator: "/").filter { $0 != "." }.joined(separator: "/"))
    }
    return SweepDeployment(
      engine: engine, name: name ?? SweepDeployment.defaultName(scenarioName: plan.definition.name),
      shards: shards ?? max(1, min(plan.pointCount, 16)), totalPoints: plan.pointCount,
      image: image ?? (engine == .kubernetes ? "capsim:latest" : ""), scenario: source, format: format,
      threadsPerShard: jobs ?? vcpus ?? 1, vcpus: vcpus ?? 1, memoryMiB: memoryMiB ?? 2_048, parallelism: parallelism,
      retries: retries ?? 2,
      volumeClaim: volumeClaim, s3Prefix: parts, jobQueue: jobQueue, jobRoleARN: jobRoleArn)
  }

  /// The scenario file and the data files it names, by their path relative to the
  /// scenario's directory (each once, in file order).
  static func scenarioFiles(plan: SweepPlan, file: String) throws -> [SweepDeployment.ScenarioFile] {
    let scenarioURL = URL(fileURLWithPath: file).standardizedFileURL
    let directory = scenarioURL.deletingLastPathComponent().path
    var files: [SweepDeployment.ScenarioFile] = []
    for url in [scenarioURL] + plan.definition.dataFiles.map(\.standardizedFileURL) {
      let path = url.path
      let relative = path.hasPrefix(directory + "/") ? String(path.dropFirst(directory.count + 1)) : path
      guard !files.contains(where: { $0.relativePath == relative }) else { continue }
      guard let contents = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read '\(path)'") }
      files.append(SweepDeployment.ScenarioFile(relativePath: relative, contents: contents))
    }
    return files
  }
}
