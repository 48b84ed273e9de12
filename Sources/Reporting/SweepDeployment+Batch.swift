import Foundation

/// AWS Batch: one JSON object holding three request documents, each the input of an AWS
/// API call as `aws ... --cli-input-json` takes it (botocore's shapes, checked in CI):
/// - `registerJobDefinition` (RegisterJobDefinition): the image, `/bin/sh -c` the shard
///   script, VCPU and MEMORY, `retryStrategy.attempts` = retries + 1, the job role;
/// - `submitJob` (SubmitJob): the array job, `arrayProperties.size` = n (a plain job when
///   n = 1: Batch arrays have 2 to 10,000 children); child `k` runs shard `k + 1`
///   (`AWS_BATCH_JOB_ARRAY_INDEX + 1`) and copies its part to `PREFIX/part-(k+1)`;
/// - `submitMergeJob` (SubmitJob): the same job definition with the merge script as its
///   command, depending on the array job (`dependsOn: [{jobId}]` with no type: it starts
///   when every child has succeeded). Its `jobId` is the placeholder `ARRAY_JOB_ID`, to be
///   replaced by the id `submit-job` returned (docs/sweeps.md shows the `jq` line).
///
/// The image needs the AWS CLI for the copies (deploy/Dockerfile installs Debian's).
/// Step Functions reuses the job definition and the merge command.
extension SweepDeployment {
  static let arrayJobIDPlaceholder = "ARRAY_JOB_ID"

  func batchDocuments() -> JSONValue {
    var arrayJob: [(String, JSONValue)] = [
      ("jobName", .string(name)), ("jobQueue", .string(jobQueue ?? "")), ("jobDefinition", .string(name)),
    ]
    if shards > 1 { arrayJob.append(("arrayProperties", .object([("size", .integer(shards))]))) }
    return .object([
      ("registerJobDefinition", batchJobDefinition),
      ("submitJob", .object(arrayJob)),
      (
        "submitMergeJob",
        .object([
          ("jobName", .string("\(name)-merge")), ("jobQueue", .string(jobQueue ?? "")), ("jobDefinition", .string(name)),
          ("dependsOn", .array([.object([("jobId", .string(Self.arrayJobIDPlaceholder))])])),
          ("containerOverrides", .object([("command", Self.shellCommand(batchMergeScript))])),
        ])
      ),
    ])
  }

  static func shellCommand(_ script: String) -> JSONValue { .array([.string("/bin/sh"), .string("-c"), .string(script)]) }

  /// RegisterJobDefinition's input: the shard command by default, the merge by override.
  var batchJobDefinition: JSONValue {
    var container: [(String, JSONValue)] = [
      ("image", .string(image)),
      ("command", Self.shellCommand(batchShardScript)),
      (
        "resourceRequirements",
        .array([
          .object([("type", .string("VCPU")), ("value", .string(String(vcpus)))]),
          .object([("type", .string("MEMORY")), ("value", .string(String(memoryMiB)))]),
        ])
      ),
    ]
    if let jobRoleARN { container.append(("jobRoleArn", .string(jobRoleARN))) }
    return .object([
      ("jobDefinitionName", .string(name)), ("type", .string("container")), ("platformCapabilities", .array([.string("EC2")])),
      ("containerProperties", .object(container)),
      ("retryStrategy", .object([("attempts", .integer(retries + 1))])),
      ("tags", .object([("capsim-sweep", .string(name))])),
    ])
  }

  /// The shard: `CAPSIM_SHARD` when set (the Step Functions Map sets it), else the array
  /// index + 1 (1 for a plain job); the part is copied to the prefix once whole.
  var batchShardScript: String {
    [
      "set -eu",
      "prefix=\(Self.shellQuoted(s3Prefix ?? ""))",
      "shard=\"${CAPSIM_SHARD:-$((${AWS_BATCH_JOB_ARRAY_INDEX:-0} + 1))}\"",
      sweepCommand(output: "\"/tmp/part-$shard\""),
      "aws s3 cp --only-show-errors \"/tmp/part-$shard\" \"$prefix/part-$shard\"",
    ].joined(separator: "\n") + "\n"
  }

  /// The merge: the parts copied down, merged, the rows and summary copied up.
  var batchMergeScript: String {
    (["set -eu", "prefix=\(Self.shellQuoted(s3Prefix ?? ""))", "mkdir -p /tmp/parts",
      "aws s3 cp --only-show-errors --recursive --exclude '*' --include 'part-*' \"$prefix/\" /tmp/parts/"]
      + mergeCommand(parts: "/tmp/parts", output: "/tmp")
      + [
        "aws s3 cp --only-show-errors \"/tmp/\(rowsFileName)\" \"$prefix/\(rowsFileName)\"",
        "aws s3 cp --only-show-errors /tmp/summary.txt \"$prefix/summary.txt\"",
      ]).joined(separator: "\n") + "\n"
  }
}
