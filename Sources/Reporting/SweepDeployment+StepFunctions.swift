import Foundation

/// Step Functions: one JSON object with
/// - `registerJobDefinition`: the AWS Batch job definition of `+Batch` (register it first);
/// - `stateMachineDefinition`: the Amazon States Language document for
///   `aws stepfunctions create-state-machine --definition`:
///   1. `Shards` (Pass) puts the shard numbers `"1"` ... `"n"` in `$.shards` (strings: they
///      become a container environment value);
///   2. `RunShards` (Map, `ItemProcessor.ProcessorConfig.Mode: DISTRIBUTED`): one child
///      workflow per shard runs the Batch job with `CAPSIM_SHARD` set to its number
///      (`batch:submitJob.sync`: the child ends when the job does; Batch retries it per the
///      job definition). `MaxConcurrency` is `--parallelism` (0: no limit);
///      `ToleratedFailurePercentage: 0`: one failed shard fails the map, and the merge never
///      runs on an incomplete set. Children and the map discard their results
///      (`ResultPath: null`), so n shards stay far below the 256 KiB payload limit;
///   3. `Merge` (Task, `batch:submitJob.sync`): the same job definition with the merge
///      script as its command.
extension SweepDeployment {
  func stepFunctionsDocuments() -> JSONValue {
    .object([("registerJobDefinition", batchJobDefinition), ("stateMachineDefinition", stateMachineDefinition)])
  }

  var stateMachineDefinition: JSONValue {
    let shardJob = JSONValue.object([
      ("Type", .string("Task")), ("Resource", .string("arn:aws:states:::batch:submitJob.sync")),
      (
        "Parameters",
        .object([
          ("JobName.$", .string("States.Format('\(name)-shard-{}', $.shard)")), ("JobQueue", .string(jobQueue ?? "")),
          ("JobDefinition", .string(name)),
          (
            "ContainerOverrides",
            .object([("Environment", .array([.object([("Name", .string("CAPSIM_SHARD")), ("Value.$", .string("$.shard"))])]))])
          ),
        ])
      ),
      ("ResultPath", .null), ("End", .bool(true)),
    ])
    let map = JSONValue.object([
      ("Type", .string("Map")), ("ItemsPath", .string("$.shards")),
      ("ItemSelector", .object([("shard.$", .string("$$.Map.Item.Value"))])),
      (
        "ItemProcessor",
        .object([
          ("ProcessorConfig", .object([("Mode", .string("DISTRIBUTED")), ("ExecutionType", .string("STANDARD"))])),
          ("StartAt", .string("RunShard")), ("States", .object([("RunShard", shardJob)])),
        ])
      ),
      ("MaxConcurrency", .integer(parallelism ?? 0)), ("ToleratedFailurePercentage", .integer(0)),
      ("ResultPath", .null), ("Next", .string("Merge")),
    ])
    let merge = JSONValue.object([
      ("Type", .string("Task")), ("Resource", .string("arn:aws:states:::batch:submitJob.sync")),
      (
        "Parameters",
        .object([
          ("JobName", .string("\(name)-merge")), ("JobQueue", .string(jobQueue ?? "")), ("JobDefinition", .string(name)),
          ("ContainerOverrides", .object([("Command", Self.shellCommand(batchMergeScript))])),
        ])
      ),
      ("End", .bool(true)),
    ])
    return .object([
      (
        "Comment",
        .string("capsim sweep '\(name)': \(shards) shard\(shards == 1 ? "" : "s") of \(totalPoints) points on AWS Batch, then capsim merge")
      ),
      ("StartAt", .string("Shards")),
      (
        "States",
        .object([
          (
            "Shards",
            .object([
              ("Type", .string("Pass")), ("Result", .inlineArray((1...shards).map { .string(String($0)) })),
              ("ResultPath", .string("$.shards")), ("Next", .string("RunShards")),
            ])
          ),
          ("RunShards", map), ("Merge", merge),
        ])
      ),
    ])
  }
}
