import Billing

extension ExistingCommitments {
  /// The scenario's commitments in pool terms. Zonal RIs are counted against their family
  /// like regional ones (an approximation: they cover only their exact type in their zone);
  /// commitments are taken as active over the whole planning period; an EC2 Instance or
  /// Compute plan without a rate in `savingsPlanRates` is left out, with a note.
  /// - Returns: the commitments per pool (in `pools` order) and notes on what was
  ///   approximated or left out.
  public static func owned(
    _ commitments: Commitments, pools: [PoolKey], catalog: PriceCatalog, savingsPlanRates: SavingsPlanRates
  ) -> (ExistingCommitments, [String]) {
    var notes: [String] = []
    let od: [Double] = pools.map { key in
      catalog.recommendedEntry(family: key.family, region: key.region).map { $0.onDemandUSDPerHour / $0.normalizationFactor } ?? 0
    }
    var units = [Double](repeating: 0, count: pools.count)
    var compute = 0.0
    var computeRate = [Double?](repeating: nil, count: pools.count)
    for ri in commitments.reservedInstances {
      guard let entry = catalog.entry(region: ri.region, instanceType: ri.instanceType),
        let p = pools.firstIndex(of: PoolKey(family: entry.family, region: ri.region))
      else { continue }
      units[p] += Double(ri.count) * entry.normalizationFactor
      if !ri.isRegional { notes.append("owned zonal RI \(ri.id) counted against all of \(entry.family) in \(ri.region)") }
    }
    for plan in commitments.savingsPlans {
      switch plan.kind {
      case .ec2Instance(let family, let region):
        guard let p = pools.firstIndex(of: PoolKey(family: family, region: region)) else { continue }
        guard let discount = savingsPlanRates.discountPercent(
          planType: .ec2Instance, family: family, region: region, term: plan.term, payment: plan.payment)
        else {
          notes.append("owned Savings Plan \(plan.id) left out: no rate for \(family) in \(region)")
          continue
        }
        units[p] += plan.commitmentUSDPerHour / (od[p] * (1 - discount / 100))
      case .compute:
        compute += plan.commitmentUSDPerHour
        for (p, key) in pools.enumerated() where computeRate[p] == nil {
          if let discount = savingsPlanRates.discountPercent(
            planType: .compute, family: key.family, region: key.region, term: plan.term, payment: plan.payment)
          {
            computeRate[p] = od[p] * (1 - discount / 100)
          }
        }
      }
    }
    let owned = ExistingCommitments(poolUnits: units, computeCommitment: compute, computeRate: computeRate, onDemandRate: od)
    if !owned.isEmpty {
      notes.insert("recommendations are for purchases on top of the scenario's commitments (\(commitments.reservedInstances.count) RIs, \(commitments.savingsPlans.count) Savings Plans): planned on the usage they leave uncovered", at: 0)
    }
    return (owned, notes)
  }
}
