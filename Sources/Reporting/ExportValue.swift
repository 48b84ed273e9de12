/// A request value common to the AWS CLI and CloudFormation exports, with the few values
/// the two write differently left symbolic: the CLI writes the group name, the target group
/// and a placeholder policy ARN as strings; CloudFormation writes `!Ref`s and `!Sub`s.
indirect enum ExportValue: Sendable {
  case string(String)
  case integer(Int)
  case number(Double)
  case bool(Bool)
  /// The Auto Scaling group's name.
  case groupName
  /// The ALB target group's scaling policy `ResourceLabel`.
  case resourceLabel
  /// The ALB target group's CloudWatch `TargetGroup` dimension value.
  case targetGroupFullName
  /// The ARN of the scaling policy named here (known only once it exists).
  case policyARN(String)
  case list([ExportValue])
  case map([(String, ExportValue)])
}
