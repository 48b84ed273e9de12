import Foundation

extension AutoScalingExport {
  /// The `--cli-input-json` documents, in the order to apply them: the group's zones and
  /// Capacity Rebalancing (`update-auto-scaling-group`) and its warm pool (`put-warm-pool`)
  /// when set, then each scaling policy followed by its alarm (step and simple scaling; the
  /// alarm needs the policy's ARN), then the scheduled actions.
  ///
  /// Alarms' `AlarmActions` hold a placeholder ARN
  /// (`arn:aws:autoscaling:<region>:REPLACE-account-id:scalingPolicy:REPLACE-policy-id:...`):
  /// AWS assigns the policy ID only when `put-scaling-policy` runs (it returns `PolicyARN`).
  public func cliDocuments() throws(ReportingError) -> [ExportDocument] {
    var documents: [ExportDocument] = []
    var usedFileNames: Set<String> = []
    func add(_ command: ExportDocument.Command, _ name: String, _ members: [(String, JSONValue)]) {
      let fileName = Self.uniqueFileName("\(command.rawValue)-\(Self.fileSafe(name))", used: &usedFileNames)
      documents.append(ExportDocument(command: command, name: name, fileName: fileName, input: .object(members)))
    }
    if let members = groupRequest() {
      add(.updateAutoScalingGroup, groupName, [("AutoScalingGroupName", .string(groupName))] + members.map { ($0.0, json($0.1)) })
    }
    if let members = try warmPoolRequest() {
      add(.putWarmPool, groupName, [("AutoScalingGroupName", .string(groupName))] + members.map { ($0.0, json($0.1)) })
    }
    for request in try policyRequests() {
      add(
        .putScalingPolicy, request.name,
        [
          ("AutoScalingGroupName", .string(groupName)),
          ("PolicyName", .string(request.name)),
          ("PolicyType", .string(request.policyType)),
        ] + request.members.map { ($0.0, json($0.1)) } + [("Enabled", .bool(true))])
      if let alarm = request.alarm {
        add(.putMetricAlarm, request.name, [("AlarmName", .string(alarmName(policy: request.name)))] + alarm.map { ($0.0, json($0.1)) })
      }
    }
    for request in scheduledRequests() {
      add(
        .putScheduledUpdateGroupAction, request.name,
        [("AutoScalingGroupName", .string(groupName)), ("ScheduledActionName", .string(request.name))]
          + request.members.map { ($0.0, json($0.1)) })
    }
    return documents
  }

  /// All documents as one JSON array for stdout: each entry's `file`, the `command` that
  /// applies it and its `input`.
  public func cliListing() throws(ReportingError) -> String {
    JSONValue.array(
      try cliDocuments().map { document in
        .object([
          ("file", .string(document.fileName)), ("command", .string(document.shellCommand)), ("input", document.input),
        ])
      }
    ).rendered()
  }

  /// `<group>-<policy>`, cut to CloudWatch's 255 characters.
  func alarmName(policy: String) -> String { String("\(groupName)-\(policy)".prefix(255)) }

  /// The ARN shape AWS gives the policy, with the two parts only AWS knows left as
  /// REPLACE-... (AWS rejects it until they are filled in).
  func placeholderPolicyARN(_ policy: String) -> String {
    "arn:aws:autoscaling:\(region):REPLACE-account-id:scalingPolicy:REPLACE-policy-id:"
      + "autoScalingGroupName/\(groupName):policyName/\(policy)"
  }

  func json(_ value: ExportValue) -> JSONValue {
    switch value {
    case .string(let v): .string(v)
    case .integer(let v): .integer(v)
    case .number(let v): .number(v)
    case .bool(let v): .bool(v)
    case .groupName: .string(groupName)
    case .resourceLabel: .string(target.resourceLabel)
    case .targetGroupFullName: .string(target.targetGroupFullName)
    case .policyARN(let policy): .string(placeholderPolicyARN(policy))
    case .list(let items): .array(items.map(json))
    case .map(let members): .object(members.map { ($0.0, json($0.1)) })
    }
  }

  /// Letters, digits, ".", "_" and "-" kept; runs of anything else become one "-".
  static func fileSafe(_ name: String) -> String {
    var out = ""
    for scalar in name.unicodeScalars {
      let isSafe = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
      if isSafe {
        out.unicodeScalars.append(scalar)
      } else if out.last != "-" {
        out += "-"
      }
    }
    return out.isEmpty ? "unnamed" : out
  }

  static func uniqueFileName(_ stem: String, used: inout Set<String>) -> String {
    var candidate = "\(stem).json"
    var n = 2
    while used.contains(candidate) {
      candidate = "\(stem)-\(n).json"
      n += 1
    }
    used.insert(candidate)
    return candidate
  }
}
