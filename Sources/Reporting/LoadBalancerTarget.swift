/// The Application Load Balancer target group a request-count metric is measured on
/// (`ALBRequestCountPerTarget`, `ALBRequestCount`, and the `RequestCountPerTarget` alarm).
///
/// AWS names it two ways: the `ResourceLabel` of scaling policies,
/// `app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>`,
/// and the CloudWatch `TargetGroup` dimension, its `targetgroup/...` half. CloudFormation
/// templates get both halves from `!GetAtt LoadBalancer.LoadBalancerFullName` and
/// `!GetAtt TargetGroup.TargetGroupFullName`.
public struct LoadBalancerTarget: Sendable, Hashable {
  /// `app/<load-balancer-name>/<load-balancer-id>`.
  public var loadBalancerFullName: String
  /// `targetgroup/<target-group-name>/<target-group-id>`.
  public var targetGroupFullName: String

  public init(loadBalancerFullName: String, targetGroupFullName: String) {
    self.loadBalancerFullName = loadBalancerFullName
    self.targetGroupFullName = targetGroupFullName
  }

  /// Reads a scaling policy `ResourceLabel`.
  public init(resourceLabel: String) throws(ReportingError) {
    let parts = resourceLabel.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 6, parts[0] == "app", parts[3] == "targetgroup", parts.allSatisfy({ !$0.isEmpty }),
      resourceLabel.count <= 1_023, resourceLabel.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
    else {
      throw ReportingError(
        subject: "the ALB resource label",
        expected: "app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>",
        found: "'\(resourceLabel)'")
    }
    loadBalancerFullName = parts[0...2].joined(separator: "/")
    targetGroupFullName = parts[3...5].joined(separator: "/")
  }

  /// The scaling policy `ResourceLabel`.
  public var resourceLabel: String { "\(loadBalancerFullName)/\(targetGroupFullName)" }

  /// Written when the caller gives no target group: AWS rejects it, so a forgotten
  /// placeholder fails loudly instead of scaling on the wrong metric.
  public static let placeholder = LoadBalancerTarget(
    loadBalancerFullName: "app/REPLACE-load-balancer-name/REPLACE-load-balancer-id",
    targetGroupFullName: "targetgroup/REPLACE-target-group-name/REPLACE-target-group-id")
}
