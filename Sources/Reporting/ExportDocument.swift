/// One AWS CLI request body, to pass as `aws <service> <command> --cli-input-json file://<fileName>`.
public struct ExportDocument: Sendable, Equatable {
  public enum Command: String, Sendable, CaseIterable {
    case updateAutoScalingGroup = "update-auto-scaling-group"
    case putWarmPool = "put-warm-pool"
    case putScalingPolicy = "put-scaling-policy"
    case putMetricAlarm = "put-metric-alarm"
    case putScheduledUpdateGroupAction = "put-scheduled-update-group-action"

    /// The AWS CLI / botocore service name.
    public var service: String { self == .putMetricAlarm ? "cloudwatch" : "autoscaling" }
    /// The API operation name, as botocore's service model spells it.
    public var operation: String {
      switch self {
      case .updateAutoScalingGroup: "UpdateAutoScalingGroup"
      case .putWarmPool: "PutWarmPool"
      case .putScalingPolicy: "PutScalingPolicy"
      case .putMetricAlarm: "PutMetricAlarm"
      case .putScheduledUpdateGroupAction: "PutScheduledUpdateGroupAction"
      }
    }
  }

  public var command: Command
  /// The policy or scheduled action the document is for (for an alarm: its policy; for
  /// the group's settings and its warm pool: the group).
  public var name: String
  /// `<command>-<name>.json`, with the name reduced to letters, digits, ".", "_" and "-";
  /// unique within one export.
  public var fileName: String
  public var input: JSONValue

  /// The file's contents: pretty-printed JSON, keys in API order, trailing newline.
  public var text: String { input.rendered() }

  /// The command that applies it, run from the directory holding the file.
  public var shellCommand: String { "aws \(command.service) \(command.rawValue) --cli-input-json file://\(fileName)" }
}
