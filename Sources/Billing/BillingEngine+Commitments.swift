import Foundation

extension BillingEngine {
  /// Turns the input commitments into the engine's, checking each (ids unique across all
  /// commitments, times within one term, catalog rows, rates) and listing the usage each may
  /// cover in AWS's order: a regional Reserved Instance within its family from the smallest
  /// size up, a Savings Plan from the highest savings percentage down.
  struct CommitmentBuilder {
    let pools: [Pool]
    let zoneIndexByKey: [ZoneKey: Int]
    let catalog: PriceCatalog
    let rates: SavingsPlanRates
    /// The bill's end, seconds from its start.
    let horizonSeconds: Double
    /// Ids seen so far, Reserved Instances and Savings Plans together.
    var ids = Set<String>()

    init(
      pools: [Pool], zoneIndexByKey: [ZoneKey: Int], catalog: PriceCatalog, rates: SavingsPlanRates,
      horizonSeconds: Double
    ) {
      self.pools = pools
      self.zoneIndexByKey = zoneIndexByKey
      self.catalog = catalog
      self.rates = rates
      self.horizonSeconds = horizonSeconds
    }

    mutating func checkId(_ id: String) throws {
      guard !id.isEmpty else {
        throw BillingError.invalidCommitment(
          id: id, field: "id", expected: "a non-empty id", found: "an empty string")
      }
      guard ids.insert(id).inserted else {
        throw BillingError.invalidCommitment(
          id: id, field: "id", expected: "an id unique among all commitments", found: "'\(id)' twice")
      }
    }

    func checkTimes(id: String, start: Double, end: Double, term: CommitmentTerm) throws {
      let limit = OnDemandBill.maximumSeconds
      guard start.isFinite, start >= -term.seconds, start <= limit else {
        throw BillingError.invalidCommitment(
          id: id, field: "startSeconds",
          expected: "a finite time from -\(Int(term.seconds)) (one term before the run) to \(Int(limit))",
          found: "\(start)")
      }
      guard end.isFinite, end > start, end <= start + term.seconds + 1e-6 else {
        throw BillingError.invalidCommitment(
          id: id, field: "endSeconds",
          expected: "a time after startSeconds (\(start)) and at most one term (\(Int(term.seconds)) s) later",
          found: "\(end)")
      }
    }

    func purchaseHour(_ start: Double) -> Int? {
      start >= 0 && start < horizonSeconds ? Int(start / HourlyAttribution.secondsPerHour) : nil
    }

    /// Zonal and regional Reserved Instances, each in input order.
    mutating func reservedInstances(
      _ reservedInstances: [ReservedInstance]
    ) throws -> (zonal: [Commitment], regional: [Commitment]) {
      var zonal: [Commitment] = []
      var regional: [Commitment] = []
      for (index, ri) in reservedInstances.enumerated() {
        try checkId(ri.id)
        let fail = { (field: String, expected: String, found: String) in
          BillingError.invalidCommitment(id: ri.id, field: field, expected: expected, found: found)
        }
        guard (1...OnDemandBill.maximumCountPerRecord).contains(ri.count) else {
          throw fail("count", "an integer from 1 to \(OnDemandBill.maximumCountPerRecord)", "\(ri.count)")
        }
        let end = ri.effectiveEndSeconds
        try checkTimes(id: ri.id, start: ri.startSeconds, end: end, term: ri.term)
        let entry = try catalog.requireEntry(region: ri.region, instanceType: ri.instanceType)
        let fees = try ri.resolvedFees(entry: entry)
        let effectivePerInstanceHour = fees.upfrontUSD / ri.term.hours + fees.recurringUSDPerHour
        let scopeText = ri.isRegional ? "regional" : "zonal \(ri.availabilityZone!)"
        var commitment = Commitment(
          id: ri.id, scope: .regionalReservedInstance, inputIndex: index,
          summary: "\(scopeText) \(ri.offeringClass) \(ri.term) \(ri.payment), \(ri.count) × "
            + "\(ri.instanceType) in \(ri.region)",
          regionId: ri.region, startSeconds: ri.startSeconds, endSeconds: end,
          unitsPerHour: 0, unitName: "", effectiveUSDPerUnit: 0, quantityPerUnit: 1,
          quantityUnit: "Hours", recurringUSDPerHour: Double(ri.count) * fees.recurringUSDPerHour,
          upfrontUSD: Double(ri.count) * fees.upfrontUSD, purchaseHour: purchaseHour(ri.startSeconds),
          zone: nil, zoneUnitsPerSecond: 0, targets: [])
        if let zone = ri.availabilityZone {
          guard zone.count > ri.region.count, zone.hasPrefix(ri.region) else {
            throw fail("availabilityZone", "nil (regional) or a zone of \(ri.region), like \(ri.region)a", "'\(zone)'")
          }
          commitment.scope = .zonalReservedInstance
          commitment.unitsPerHour = Double(ri.count)
          commitment.unitName = "instance-hours"
          commitment.effectiveUSDPerUnit = effectivePerInstanceHour
          let zoneKey = ZoneKey(
            key: RegionalInstanceType(region: ri.region, instanceType: ri.instanceType), zone: zone)
          commitment.zone = zoneIndexByKey[zoneKey]
          commitment.zoneUnitsPerSecond = 1 / HourlyAttribution.secondsPerHour
          zonal.append(commitment)
        } else {
          let factor = entry.normalizationFactor
          guard factor > 0 else {
            throw fail(
              "instanceType", "a type with a normalization factor > 0 (size flexibility needs one)",
              "\(ri.instanceType) with factor \(factor)")
          }
          commitment.unitsPerHour = Double(ri.count) * factor
          commitment.unitName = "normalized unit-hours"
          commitment.effectiveUSDPerUnit = effectivePerInstanceHour / factor
          commitment.quantityPerUnit = 1 / factor
          // EC2-UG: applied within the family and region from the smallest size up.
          commitment.targets = pools.indices
            .filter {
              pools[$0].entry.region == ri.region && pools[$0].entry.family == entry.family
                && pools[$0].entry.normalizationFactor > 0
            }
            .sorted {
              let (x, y) = (pools[$0].entry, pools[$1].entry)
              return x.normalizationFactor != y.normalizationFactor
                ? x.normalizationFactor < y.normalizationFactor : x.instanceType < y.instanceType
            }
            .map {
              Target(
                pool: $0,
                unitsPerSecond: pools[$0].entry.normalizationFactor / HourlyAttribution.secondsPerHour)
            }
          regional.append(commitment)
        }
      }
      return (zonal, regional)
    }

    /// EC2 Instance and Compute Savings Plans, each in input order.
    mutating func savingsPlans(_ savingsPlans: [SavingsPlan]) throws -> (ec2Instance: [Commitment], compute: [Commitment]) {
      var ec2Plans: [Commitment] = []
      var computePlans: [Commitment] = []
      for (index, plan) in savingsPlans.enumerated() {
        try checkId(plan.id)
        let fail = { (field: String, expected: String, found: String) in
          BillingError.invalidCommitment(id: plan.id, field: field, expected: expected, found: found)
        }
        guard plan.commitmentUSDPerHour.isFinite, plan.commitmentUSDPerHour > 0,
          plan.commitmentUSDPerHour <= 1e9
        else {
          throw fail(
            "commitmentUSDPerHour", "a finite amount above 0 and at most 1e9 USD",
            "\(plan.commitmentUSDPerHour)")
        }
        let end = plan.effectiveEndSeconds
        try checkTimes(id: plan.id, start: plan.startSeconds, end: end, term: plan.term)
        let fees = try plan.resolvedFees()
        var eligible = Array(pools.indices)
        var regionId: String?
        if case .ec2Instance(let family, let region) = plan.kind {
          guard catalog.entries.contains(where: { $0.region == region && $0.family == family }) else {
            throw fail(
              "kind", "an EC2 Instance plan for a family the catalog lists in its region",
              "family '\(family)' in '\(region)' (no such catalog rows)")
          }
          eligible = eligible.filter { pools[$0].entry.region == region && pools[$0].entry.family == family }
          regionId = region
        }
        let isActive = end > 0 && plan.startSeconds < horizonSeconds
        var targets: [(target: Target, savings: Double, rate: Double)] = []
        if isActive {
          for p in eligible {
            let rate = try BillingEngine.savingsPlanUSDPerHour(plan, pool: pools[p].entry, rates: rates)
            let onDemand = pools[p].entry.onDemandUSDPerHour
            let savings = onDemand > 0 ? 1 - rate / onDemand : 0
            targets.append((Target(pool: p, unitsPerSecond: rate / HourlyAttribution.secondsPerHour), savings, rate))
          }
        }
        // SP-UG: highest savings percentage first; equal percentages, lowest rate first; then
        // by (region, type) for determinism.
        targets.sort { a, b in
          if a.savings != b.savings { return a.savings > b.savings }
          if a.rate != b.rate { return a.rate < b.rate }
          return pools[a.target.pool].entry.key < pools[b.target.pool].entry.key
        }
        let commitment = Commitment(
          id: plan.id, scope: plan.kind == .compute ? .computeSavingsPlan : .ec2InstanceSavingsPlan,
          inputIndex: index,
          summary: "\(plan.kind) \(plan.term) \(plan.payment), \(plan.commitmentUSDPerHour) USD/h",
          regionId: regionId, startSeconds: plan.startSeconds, endSeconds: end,
          unitsPerHour: plan.commitmentUSDPerHour, unitName: "USD", effectiveUSDPerUnit: 1,
          quantityPerUnit: 1, quantityUnit: "USD", recurringUSDPerHour: fees.recurringUSDPerHour,
          upfrontUSD: fees.upfrontUSD, purchaseHour: purchaseHour(plan.startSeconds), zone: nil,
          zoneUnitsPerSecond: 0, targets: targets.map(\.target))
        if plan.kind == .compute { computePlans.append(commitment) } else { ec2Plans.append(commitment) }
      }
      return (ec2Plans, computePlans)
    }
  }
}
