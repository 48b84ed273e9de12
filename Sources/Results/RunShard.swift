/// One work item of a sharded `capsim run` (`--shard i/n`), as a part file carries it.
///
/// The items: for a single-service scenario, each selected variant (simulated, billed and
/// its disruption counterfactuals run, exactly as the unsharded run does it, since a
/// variant's figures depend on nothing but its own definition and stream); for a scenario
/// with services, which share one account bill, each whole run: item 0 the run as written,
/// item k the run without the k-th disruption (`DisruptionEffect.LeftOut`), from which
/// the merge computes the services' disruption effects. `RunShardItem.merged` puts the
/// items back together into the unsharded `ScenarioResult`.
public struct RunShardItem: Codable, Sendable, Equatable {
  /// 0-based index among the run's items.
  public var item: Int
  /// Variants: the run of this one variant (item 0 also carries the frame's purchase
  /// advice and instance-type alternatives, which the first variant heads). Services: item
  /// 0 the run as written, item k >= 1 the run without `leftOut`.
  public var result: ScenarioResult
  /// Services, items k >= 1: the disruption the run leaves out.
  public var leftOut: DisruptionEffect.LeftOut?

  public init(item: Int, result: ScenarioResult, leftOut: DisruptionEffect.LeftOut? = nil) {
    self.item = item
    self.result = result
    self.leftOut = leftOut
  }

  /// Why these items (in item order) cannot be merged, naming the first item at fault, or
  /// nil: `merged` then holds. Items of variants carry no account bill and leave nothing
  /// out; items of services all carry the account's services, and every item after the
  /// first leaves out one disruption, saying which of those services it touches.
  public static func inconsistency(_ items: [RunShardItem]) -> (item: Int, problem: String)? {
    guard let first = items.first else { return nil }
    if first.leftOut != nil { return (0, "the run as written leaves out a disruption") }
    let services = first.result.services.count
    for (index, item) in items.enumerated() {
      if first.result.accountBill == nil {
        if item.result.accountBill != nil || item.leftOut != nil || !item.result.services.isEmpty {
          return (index, "a run of services among the items of variants")
        }
        continue
      }
      guard index > 0 else { continue }
      guard item.result.accountBill != nil, item.result.services.count == services else {
        return (index, "a run of \(item.result.services.count) services (and \(item.result.accountBill == nil ? "no" : "an") "
          + "account bill) among runs of \(services) services with one account bill")
      }
      guard let leftOut = item.leftOut, leftOut.touches.count == services else {
        return (index, "a run without a disruption should name the disruption and, for each of the \(services) services, "
          + "whether it touches it")
      }
    }
    return nil
  }

  /// The unsharded result from every item, in item order (`items[k].item == k`): item 0's
  /// frame with every item's variant in order, or, with services, item 0's run with each
  /// service's disruption effects computed from the other items.
  public static func merged(_ items: [RunShardItem]) -> ScenarioResult {
    precondition(!items.isEmpty && items.indices.allSatisfy { items[$0].item == $0 }, "run items out of order")
    precondition(inconsistency(items) == nil, "run items that do not merge: \(inconsistency(items)!.problem)")
    var result = items[0].result
    if result.accountBill == nil {
      result.variants = items.flatMap(\.result.variants)
      return result
    }
    let runs = items.dropFirst()
    let leftOut = runs.compactMap(\.leftOut)
    for fleet in result.services.indices {
      result.services[fleet].disruptionEffects = DisruptionEffect.effects(
        full: result.services[fleet], without: runs.map { $0.result.services[fleet] }, leftOut: leftOut, fleet: fleet)
    }
    return result
  }
}
