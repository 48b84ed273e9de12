import Foundation

/// A sharded sweep on an existing batch engine: what `capsim sweep FILE --emit ENGINE` knows,
/// as plain values, and the documents it writes (Kubernetes in `+Kubernetes`, AWS Batch in
/// `+Batch`, Step Functions in `+StepFunctions`).
///
/// Every engine runs the same two commands of the same image: shard `i` of `n` runs
/// `capsim sweep SCENARIO --shard i/n --output PART` (i from 1, computed in the container
/// from the engine's 0-based index: `JOB_COMPLETION_INDEX`, `AWS_BATCH_JOB_ARRAY_INDEX`,
/// or the Distributed Map's item), and after every shard has finished one merge runs
/// `capsim merge PART-1 ... PART-n`, listing the parts by name so a missing one is named.
/// The scripts are POSIX `sh` (the image's `/bin/sh`); every value from the user is
/// single-quoted (`shellQuoted`), and the documents quote every string, so no name or path
/// can change a script's or a document's structure.
public struct SweepDeployment: Sendable, Equatable {
  public enum Engine: String, Sendable, CaseIterable {
    case kubernetes = "k8s"
    case batch
    case stepFunctions = "stepfunctions"
  }

  /// A file the container reads, relative to the scenario's directory (Kubernetes: shipped
  /// in a ConfigMap and mounted at `/scenario`).
  public struct ScenarioFile: Sendable, Equatable {
    public var relativePath: String
    public var contents: Data
    public init(relativePath: String, contents: Data) {
      self.relativePath = relativePath
      self.contents = contents
    }
  }

  /// Where the scenario comes from inside the container.
  public enum ScenarioSource: Sendable, Equatable {
    /// Kubernetes only: the scenario (first) and its data files in a ConfigMap, mounted at
    /// `/scenario` with their relative layout.
    case configMap([ScenarioFile])
    /// A path inside the image (or a volume the user mounts): the files are already there.
    case image(path: String)
  }

  public var engine: Engine
  /// The run's name: the Job, job definition and state machine name, and the prefix of
  /// every other name. 1-40 of `a-z`, `0-9`, `-`, starting with a letter, ending with a
  /// letter or digit (valid as a Kubernetes name and label, a Batch and a Step Functions name).
  public var name: String
  /// n: 1...100,000 on Kubernetes, 1...10,000 on AWS Batch (an array job's largest size)
  /// and Step Functions (the shard list stays far below the 256 KiB state payload limit).
  public var shards: Int
  /// Points of the whole sweep (for the comment; a shard may hold none).
  public var totalPoints: Int
  public var image: String
  public var scenario: ScenarioSource
  /// The merged rows' format: `csv` or `jsonl` (the parts are the same either way).
  public var format: String
  /// `--jobs` of each shard's `capsim sweep` (threads in its container).
  public var threadsPerShard: Int
  /// CPUs each container requests (Kubernetes request, Batch VCPU).
  public var vcpus: Int
  /// Memory each container requests and may use, MiB.
  public var memoryMiB: Int
  /// Shards running at once (Kubernetes `parallelism`, the Map's `MaxConcurrency`); nil:
  /// all (Kubernetes) or no limit (Step Functions). AWS Batch has no such setting.
  public var parallelism: Int?
  /// Retries of a failed shard (Kubernetes `backoffLimitPerIndex`; Batch attempts - 1).
  public var retries: Int
  /// Kubernetes: the PersistentVolumeClaim the parts go to; nil: one named `NAME-parts`
  /// is part of the documents.
  public var volumeClaim: String?
  /// Batch and Step Functions: `s3://bucket/prefix` (no trailing slash) the parts, the rows
  /// and the summary go to.
  public var s3Prefix: String?
  public var jobQueue: String?
  public var jobRoleARN: String?

  public init(
    engine: Engine, name: String, shards: Int, totalPoints: Int, image: String, scenario: ScenarioSource, format: String,
    threadsPerShard: Int, vcpus: Int, memoryMiB: Int, parallelism: Int?, retries: Int, volumeClaim: String?, s3Prefix: String?,
    jobQueue: String?, jobRoleARN: String?
  ) {
    self.engine = engine
    self.name = name
    self.shards = shards
    self.totalPoints = totalPoints
    self.image = image
    self.scenario = scenario
    self.format = format
    self.threadsPerShard = threadsPerShard
    self.vcpus = vcpus
    self.memoryMiB = memoryMiB
    self.parallelism = parallelism
    self.retries = retries
    self.volumeClaim = volumeClaim
    self.s3Prefix = s3Prefix
    self.jobQueue = jobQueue
    self.jobRoleARN = jobRoleARN
  }

  /// The documents for the engine, after `validate()`.
  public func documents() throws(SweepDeploymentError) -> String {
    try validate()
    switch engine {
    case .kubernetes: return kubernetesManifests()
    case .batch: return batchDocuments().rendered()
    case .stepFunctions: return stepFunctionsDocuments().rendered()
    }
  }

  // MARK: Names and paths

  /// The largest `shards` the engine takes.
  public var maximumShards: Int {
    switch engine {
    case .kubernetes: return Shard.maximumCount
    case .batch, .stepFunctions: return 10_000
    }
  }

  /// The scenario's path inside the container.
  public var scenarioPathInContainer: String {
    switch scenario {
    case .configMap(let files): return Self.configMapMountPath + "/" + (files.first?.relativePath ?? "")
    case .image(let path): return path
    }
  }

  static let configMapMountPath = "/scenario"
  static let partsMountPath = "/parts"

  /// `points.csv` or `points.jsonl`.
  var rowsFileName: String { "points.\(format)" }

  /// A default run name from a scenario's name: lower case, runs of anything but letters
  /// and digits as one `-`, at most 40 characters, `capsim-` in front when it would not
  /// start with a letter ("Seoul sweep (v2)" -> "seoul-sweep-v2").
  public static func defaultName(scenarioName: String) -> String {
    var name = ""
    for scalar in scenarioName.lowercased().unicodeScalars {
      if scalar.isASCII, ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
        name.unicodeScalars.append(scalar)
      } else if !name.isEmpty, !name.hasSuffix("-") {
        name += "-"
      }
    }
    if name.first.map({ !$0.isLetter }) ?? true { name = "capsim-" + name }
    name = String(name.prefix(40))
    while name.hasSuffix("-") { name.removeLast() }
    return name
  }

  /// `text` as one POSIX shell word: single quotes, each `'` written as `'\''`.
  public static func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// The shard script's common part: `capsim sweep` of shard "$shard" into `partPath`
  /// (a shell expression).
  func sweepCommand(output partPath: String) -> String {
    "capsim sweep \(Self.shellQuoted(scenarioPathInContainer)) --shard \"$shard/\(shards)\" --jobs \(threadsPerShard) --output \(partPath)"
  }

  /// Lines listing the parts 1...n in "$@" (by name: merge then names a missing one), then
  /// the merge into `directory` (a shell expression, quoted by the caller).
  func mergeCommand(parts directory: String, output: String) -> [String] {
    [
      "set --",
      "i=1",
      "while [ \"$i\" -le \(shards) ]; do set -- \"$@\" \"\(directory)/part-$i\"; i=$((i + 1)); done",
      "capsim merge \"$@\" --format \(format) --output \"\(output)/\(rowsFileName)\" --summary \"\(output)/summary.txt\"",
    ]
  }
}

/// An option of `--emit` that cannot make a valid document: the option, what it takes and
/// what it was given.
public struct SweepDeploymentError: Error, Equatable, Sendable, CustomStringConvertible {
  public var option: String
  public var expected: String
  public var found: String

  public init(option: String, expected: String, found: String) {
    self.option = option
    self.expected = expected
    self.found = found
  }

  public var description: String { "\(option): expected \(expected), found \(found)" }
}
