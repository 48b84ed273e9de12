import Foundation

extension AutoScalingExport {
  /// A CloudFormation template (YAML) with the group's `AWS::AutoScaling::WarmPool` (when it
  /// has one), one `AWS::AutoScaling::ScalingPolicy` per policy, an `AWS::CloudWatch::Alarm`
  /// for each step and simple policy (its `AlarmActions` is `!Ref` of the policy, which is
  /// the policy ARN) and one `AWS::AutoScaling::ScheduledAction` per scheduled action.
  /// The group's Availability Zones and Capacity Rebalancing are properties of its
  /// `AWS::AutoScaling::AutoScalingGroup`, which this template does not own: they are a
  /// comment above the resources, in the resource's property names, to paste there.
  ///
  /// The group is a parameter (`AutoScalingGroupName`, defaulting to `groupName`), so the
  /// template lints and deploys on its own, or pastes into the group's stack with the
  /// parameter replaced by `!Ref` of the group. Request-count metrics add the parameters
  /// `LoadBalancerFullName` and `TargetGroupFullName` (`!GetAtt` of the load balancer and
  /// target group). CloudFormation names the resources itself (`PolicyName` and
  /// `ScheduledActionName` are read-only there), so capsim's names become logical IDs
  /// (`out` -> `OutPolicy`), and alarms get generated names.
  ///
  /// Written by hand, not through a YAML library: the short `!Ref`/`!Sub` tags need custom
  /// tag output, and fixed formatting (every string double-quoted with JSON escapes, which
  /// YAML reads identically) keeps the bytes stable and reviewable.
  public func cloudFormationTemplate() throws(ReportingError) -> String {
    let policies = try policyRequests()
    let scheduled = scheduledRequests()
    let pool = try warmPoolRequest()
    guard !policies.isEmpty || !scheduled.isEmpty || pool != nil else {
      throw ReportingError(
        subject: "the export of \(source)", expected: "at least one policy, scheduled action or warm pool", found: "none")
    }
    var usedIDs: Set<String> = ["AutoScalingGroupName", "LoadBalancerFullName", "TargetGroupFullName", "WarmPool"]
    let policyIDs = policies.map { Self.uniqueLogicalID(Self.pascalCase($0.name) + "Policy", used: &usedIDs) }
    var idOfPolicy: [String: String] = [:]
    for (request, id) in zip(policies, policyIDs) { idOfPolicy[request.name] = id }

    var out = "# Exported by capsim from \(Self.commentSafe(source)). Check with: cfn-lint template.yaml\n"
    out += "AWSTemplateFormatVersion: \"2010-09-09\"\n"
    out += "Description: \(Self.quoted(String("Scaling policies and scheduled actions exported by capsim from \(source).".prefix(1_024))))\n"
    var parameters: [(String, ExportValue)] = [
      (
        "AutoScalingGroupName",
        .map([
          ("Type", .string("String")),
          ("Description", .string("The Auto Scaling group the policies and scheduled actions apply to.")),
          ("Default", .string(groupName)),
          ("MinLength", .integer(1)),
          ("MaxLength", .integer(255)),
        ])
      )
    ]
    if usesLoadBalancer {
      let target = loadBalancerTarget
      var lb: [(String, ExportValue)] = [
        ("Type", .string("String")),
        ("Description", .string("The ALB's full name, app/<name>/<id> (!GetAtt LoadBalancer.LoadBalancerFullName).")),
      ]
      var tg: [(String, ExportValue)] = [
        ("Type", .string("String")),
        ("Description", .string("The target group's full name, targetgroup/<name>/<id> (!GetAtt TargetGroup.TargetGroupFullName).")),
      ]
      if let target {
        lb.append(("Default", .string(target.loadBalancerFullName)))
        tg.append(("Default", .string(target.targetGroupFullName)))
      }
      parameters.append(("LoadBalancerFullName", .map(lb)))
      parameters.append(("TargetGroupFullName", .map(tg)))
    }
    out += "Parameters:\n"
    render(.map(parameters), indent: 1, idOfPolicy: idOfPolicy, into: &out)
    if let group = groupRequest() {
      out += "# The group's own properties (AWS::AutoScaling::AutoScalingGroup, not in this template): set in its resource\n"
      var lines = ""
      render(.map(group), indent: 0, idOfPolicy: idOfPolicy, into: &lines)
      for line in lines.split(separator: "\n") { out += "#   \(line)\n" }
    }
    out += "Resources:\n"
    func resource(_ comment: String, _ id: String, _ type: String, _ properties: [(String, ExportValue)]) {
      out += "  # \(Self.commentSafe(comment))\n"
      render(
        .map([(id, .map([("Type", .string(type)), ("Properties", .map(properties))]))]), indent: 1,
        idOfPolicy: idOfPolicy, into: &out)
    }
    if let pool {
      resource(
        "the group's warm pool", "WarmPool", "AWS::AutoScaling::WarmPool", [("AutoScalingGroupName", .groupName)] + pool)
    }
    for (request, id) in zip(policies, policyIDs) {
      resource(
        "scaling policy '\(request.name)' (\(request.policyType))", id, "AWS::AutoScaling::ScalingPolicy",
        [("AutoScalingGroupName", .groupName), ("PolicyType", .string(request.policyType))] + request.members)
      if let alarm = request.alarm {
        let alarmID = Self.uniqueLogicalID(Self.pascalCase(request.name) + "Alarm", used: &usedIDs)
        resource("the CloudWatch alarm that invokes '\(request.name)'", alarmID, "AWS::CloudWatch::Alarm", alarm)
      }
    }
    for request in scheduled {
      let id = Self.uniqueLogicalID(Self.pascalCase(request.name) + "ScheduledAction", used: &usedIDs)
      resource(
        "scheduled action '\(request.name)'", id, "AWS::AutoScaling::ScheduledAction",
        [("AutoScalingGroupName", .groupName)] + request.members)
    }
    return out
  }

  // MARK: YAML

  /// Block-style YAML at `indent` levels of two spaces. Maps and lists nest on new lines;
  /// a list item that is a map starts on the dash line.
  func render(_ value: ExportValue, indent: Int, idOfPolicy: [String: String], into out: inout String) {
    let pad = String(repeating: "  ", count: indent)
    switch value {
    case .map(let members):
      for (key, member) in members {
        out += pad + key + ":"
        appendValue(member, indent: indent, idOfPolicy: idOfPolicy, into: &out)
      }
    case .list(let items):
      for item in items {
        out += pad + "-"
        if case .map(let members) = item, !members.isEmpty {
          // First member on the dash line, the rest aligned under it.
          var first = ""
          render(.map([members[0]]), indent: indent + 1, idOfPolicy: idOfPolicy, into: &first)
          out += " " + first.dropFirst(pad.count + 2)
          render(.map(Array(members.dropFirst())), indent: indent + 1, idOfPolicy: idOfPolicy, into: &out)
        } else {
          appendValue(item, indent: indent, idOfPolicy: idOfPolicy, into: &out)
        }
      }
    default:
      out += pad + scalar(value, idOfPolicy: idOfPolicy) + "\n"
    }
  }

  /// After "key:" or "-": a scalar on the same line, or a nested block on the next lines.
  private func appendValue(_ value: ExportValue, indent: Int, idOfPolicy: [String: String], into out: inout String) {
    switch value {
    case .map(let members) where !members.isEmpty:
      out += "\n"
      render(value, indent: indent + 1, idOfPolicy: idOfPolicy, into: &out)
    case .list(let items) where !items.isEmpty:
      out += "\n"
      render(value, indent: indent + 1, idOfPolicy: idOfPolicy, into: &out)
    default:
      out += " " + scalar(value, idOfPolicy: idOfPolicy) + "\n"
    }
  }

  private func scalar(_ value: ExportValue, idOfPolicy: [String: String]) -> String {
    switch value {
    case .string(let v): Self.quoted(v)
    case .integer(let v): String(v)
    case .number(let v): Self.plainDecimal(v)
    case .bool(let v): v ? "true" : "false"
    case .groupName: "!Ref AutoScalingGroupName"
    case .resourceLabel: "!Sub \"${LoadBalancerFullName}/${TargetGroupFullName}\""
    case .targetGroupFullName: "!Ref TargetGroupFullName"
    case .policyARN(let policy): "!Ref \(idOfPolicy[policy] ?? Self.pascalCase(policy) + "Policy")"
    case .map: "{}"
    case .list: "[]"
    }
  }

  /// A YAML double-quoted scalar; its escapes are JSON's, so JSONValue writes it.
  static func quoted(_ text: String) -> String {
    var rendered = JSONValue.string(text).rendered()
    rendered.removeLast()  // the trailing newline
    return rendered
  }

  /// Shortest round-trip digits, never in exponent form (YAML 1.1 readers such as
  /// cfn-lint's take "1e-05" for a string).
  static func plainDecimal(_ value: Double) -> String {
    var rendered = JSONValue.number(value).rendered()
    rendered.removeLast()
    guard let e = rendered.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(rendered[rendered.index(after: e)...])
    else { return rendered }
    var mantissa = String(rendered[..<e])
    let isNegative = mantissa.hasPrefix("-")
    if isNegative { mantissa.removeFirst() }
    let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
    let whole = String(parts[0])
    let fraction = parts.count > 1 ? String(parts[1]) : ""
    let digits = whole + fraction
    let point = whole.count + exponent  // position of the decimal point in `digits`
    var text: String
    if point <= 0 {
      text = "0." + String(repeating: "0", count: -point) + digits
    } else if point >= digits.count {
      text = digits + String(repeating: "0", count: point - digits.count)
    } else {
      text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
    }
    while text.count > 1, text.hasPrefix("0"), !text.hasPrefix("0.") { text.removeFirst() }
    return (isNegative ? "-" : "") + text
  }

  /// `lunch-floor` -> `LunchFloor`: ASCII letters and digits only, as logical IDs require.
  static func pascalCase(_ name: String) -> String {
    let words = name.unicodeScalars.split { !($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    let text = words.map { word in
      let s = String(String.UnicodeScalarView(word))
      return s.prefix(1).uppercased() + s.dropFirst()
    }.joined()
    return text.isEmpty ? "Unnamed" : String(text.prefix(200))
  }

  static func uniqueLogicalID(_ id: String, used: inout Set<String>) -> String {
    var candidate = id
    var n = 2
    while used.contains(candidate) {
      candidate = "\(id)\(n)"
      n += 1
    }
    used.insert(candidate)
    return candidate
  }

  /// Names in comments keep to one line.
  static func commentSafe(_ text: String) -> String {
    String(text.map { $0.isNewline ? " " : $0 })
  }
}
