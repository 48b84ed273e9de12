import Foundation

/// The hourly engine behind ``FleetBill``: validates and prepares once (buckets, pools,
/// commitment eligibility and application order), then walks the clock-hours.
///
/// Vocabulary:
/// - a **bucket** is usage of one (service, region, type, zone, purchase option); its billed
///   seconds per hour come from ``HourlyAttribution``;
/// - a **pool** is all on-demand buckets of one (region, type): regional Reserved Instances
///   and Savings Plans see pools, not services or zones;
/// - a **zone pool** is the on-demand buckets of one (region, type, zone): what a zonal
///   Reserved Instance sees.
///
/// When a commitment covers a fraction φ of a pool's remaining usage in an hour, every member
/// bucket gives up the same fraction φ of its remaining usage: services sharing a pool share
/// each commitment in proportion to their usage, and the result does not depend on the order
/// of services.
struct BillingEngine {
  struct Bucket {
    var service: Int
    var key: RegionalInstanceType
    var availabilityZone: String?
    var option: PurchaseOption
    var onDemandUSDPerHour: Double
    /// Spot price for Spot buckets, 0 otherwise.
    var spotUSDPerHour: Double
    var normalizationFactor: Double
    /// Pool index for on-demand buckets, -1 for Spot.
    var pool: Int
    /// Zone pool index for on-demand buckets with a known zone, else -1.
    var zone: Int
    var instanceStarts = 0
    var runningInstanceSeconds = 0.0
    var billedInstanceSeconds = 0.0
  }

  struct Pool {
    var entry: PriceCatalogEntry
    var members: [Int] = []
  }

  struct ZonePool {
    var pool: Int
    var members: [Int] = []
  }

  struct Service {
    var name: String
    var tags: [String: String]
    var team: String
    var tagsJSON: String
    var firstRecord: Int
  }

  enum Scope { case zonalReservedInstance, regionalReservedInstance, ec2InstanceSavingsPlan, computeSavingsPlan }

  /// Usage a commitment may cover, in its order, and how many commitment units one
  /// instance-second of it consumes.
  struct Target {
    var pool: Int
    var unitsPerSecond: Double
  }

  struct Commitment {
    var id: String
    var scope: Scope
    /// Index in `Commitments.reservedInstances` or `.savingsPlans`.
    var inputIndex: Int
    var summary: String
    var regionId: String?
    var startSeconds: Double, endSeconds: Double
    /// Commitment units per full active hour: normalized units (regional RI), instances
    /// (zonal RI) or USD (Savings Plan).
    var unitsPerHour: Double
    var unitName: String
    /// Amortized USD per unit.
    var effectiveUSDPerUnit: Double
    /// FOCUS CommitmentDiscountQuantity per unit (RI hours of its own type, or USD).
    var quantityPerUnit: Double
    var quantityUnit: String
    var recurringUSDPerHour: Double
    var upfrontUSD: Double
    /// The hour of the upfront payment, when it falls inside the bill.
    var purchaseHour: Int?
    var zone: Int
    var zoneUnitsPerSecond: Double
    var targets: [Target]

    var isReservedInstance: Bool {
      scope == .zonalReservedInstance || scope == .regionalReservedInstance
    }
    var discountType: CostLineItem.CommitmentDiscountType {
      isReservedInstance ? .reservedInstance : .savingsPlan
    }
  }

  /// One coverage event of an hour: `seconds` of `bucket` covered by `commitment`,
  /// consuming `units` of it.
  struct Event {
    var bucket: Int32
    var commitment: Int32
    var seconds: Double
    var units: Double
  }

  let hourCount: Int
  let services: [Service]
  let buckets: [Bucket]
  let pools: [Pool]
  let zones: [ZonePool]
  let commitments: [Commitment]
  /// Billed instance-seconds per hour and bucket, replayed hour by hour.
  let schedule: HourlyAttribution.Schedule
  let onDemandBuckets: [Int]
  let spotBuckets: [Int]

  // MARK: - Preparation

  init(
    usage: [InstanceUsage], commitments input: Commitments, catalog: PriceCatalog,
    rates: SavingsPlanRates, options: BillingOptions
  ) throws {
    if let horizon = options.horizonHours,
      !(0...BillingOptions.maximumHorizonHours).contains(horizon)
    {
      throw BillingError.invalidInput(
        field: "horizonHours", expected: "an integer from 0 to \(BillingOptions.maximumHorizonHours)",
        found: "\(horizon)")
    }
    for (key, price) in options.spotUSDPerHour.sorted(by: { $0.key < $1.key })
    where !(price.isFinite && price >= 0) {
      throw BillingError.invalidInput(
        field: "spotUSDPerHour[\(key)]", expected: "a finite price >= 0 USD per hour", found: "\(price)")
    }

    // One pass over the records: validate, find the service (one per name, with the tags of
    // its first record) and the bucket, and the billing interval. Consecutive records of one
    // bucket (the usual case) skip the lookups.
    struct BucketKey: Hashable {
      var service: Int, key: RegionalInstanceType, zone: String?, option: PurchaseOption
    }
    var serviceIndexByName: [String: Int] = [:]
    var unsortedServices: [Service] = []
    var bucketIndexByKey: [BucketKey: Int] = [:]
    var unsortedBuckets: [Bucket] = []
    var intervals: [HourlyAttribution.Interval] = []
    intervals.reserveCapacity(usage.count)
    var lastUsageHour = -1
    var previous: (index: Int, bucket: Int)?
    for index in usage.indices {
      try HourlyAttribution.validate(usage[index], index: index, allowsSpot: true)
      let bucket: Int
      if let previous, Self.sameBucket(usage[previous.index], usage[index]) {
        bucket = previous.bucket
      } else {
        let record = usage[index]
        let name = record.service ?? FleetBill.unnamedService
        let service: Int
        if let existing = serviceIndexByName[name] {
          service = existing
          let first = unsortedServices[existing]
          guard first.tags == record.tags else {
            throw BillingError.invalidUsage(
              record: index, field: "tags",
              expected: "the tags of service '\(name)' in record \(first.firstRecord), "
                + TagsJSON.encode(first.tags),
              found: TagsJSON.encode(record.tags))
          }
        } else {
          service = unsortedServices.count
          serviceIndexByName[name] = service
          unsortedServices.append(
            Service(
              name: name, tags: record.tags, team: record.tags["team"] ?? FleetBill.untaggedTeam,
              tagsJSON: TagsJSON.encode(record.tags), firstRecord: index))
        }
        let key = BucketKey(
          service: service, key: record.key, zone: record.availabilityZone, option: record.purchaseOption)
        if let existing = bucketIndexByKey[key] {
          bucket = existing
        } else {
          let entry = try catalog.requireEntry(region: record.region, instanceType: record.instanceType)
          var spotPrice = 0.0
          if record.purchaseOption == .spot {
            spotPrice = try Self.spotUSDPerHour(record.key, entry: entry, catalog: catalog, options: options)
          }
          bucket = unsortedBuckets.count
          bucketIndexByKey[key] = bucket
          unsortedBuckets.append(
            Bucket(
              service: service, key: record.key, availabilityZone: record.availabilityZone,
              option: record.purchaseOption, onDemandUSDPerHour: entry.onDemandUSDPerHour,
              spotUSDPerHour: spotPrice, normalizationFactor: entry.normalizationFactor, pool: -1, zone: -1))
        }
      }
      previous = (index, bucket)
      let count = usage[index].count
      guard count > 0 else { continue }
      let interval = HourlyAttribution.interval(
        line: bucket, count: count, start: usage[index].startSeconds, end: usage[index].endSeconds)
      intervals.append(interval)
      unsortedBuckets[bucket].instanceStarts += count
      unsortedBuckets[bucket].runningInstanceSeconds += interval.runningInstanceSeconds
      unsortedBuckets[bucket].billedInstanceSeconds += interval.billedInstanceSeconds
      lastUsageHour = max(lastUsageHour, interval.lastHour)
    }

    // Sort services by name and buckets by (service, region, type, zone, option), so that
    // results do not depend on the order of the records.
    let serviceOrder = unsortedServices.indices.sorted { unsortedServices[$0].name < unsortedServices[$1].name }
    var serviceRank = [Int](repeating: 0, count: unsortedServices.count)
    for (rank, index) in serviceOrder.enumerated() { serviceRank[index] = rank }
    services = serviceOrder.map { unsortedServices[$0] }
    for b in unsortedBuckets.indices { unsortedBuckets[b].service = serviceRank[unsortedBuckets[b].service] }
    let bucketOrder = unsortedBuckets.indices.sorted { a, b in
      let x = unsortedBuckets[a]
      let y = unsortedBuckets[b]
      if x.service != y.service { return x.service < y.service }
      if x.key != y.key { return x.key < y.key }
      if x.availabilityZone != y.availabilityZone {
        return (x.availabilityZone ?? "") < (y.availabilityZone ?? "")
      }
      return x.option == .onDemand && y.option == .spot
    }
    var bucketRank = [Int](repeating: 0, count: unsortedBuckets.count)
    for (rank, index) in bucketOrder.enumerated() { bucketRank[index] = rank }
    var buckets = bucketOrder.map { unsortedBuckets[$0] }
    for i in intervals.indices { intervals[i].line = bucketRank[intervals[i].line] }
    hourCount = max(options.horizonHours ?? 0, lastUsageHour + 1)
    schedule = HourlyAttribution.Schedule(intervals, lineCount: buckets.count, hourCount: hourCount)

    // Pools (region, type) and zone pools (region, type, zone) of on-demand usage with billed
    // seconds; sorted by key.
    var pools: [Pool] = []
    var zones: [ZonePool] = []
    var poolIndexByKey: [RegionalInstanceType: Int] = [:]
    struct ZoneKey: Hashable { var key: RegionalInstanceType, zone: String }
    var zoneIndexByKey: [ZoneKey: Int] = [:]
    let poolKeys = Set(buckets.filter { $0.option == .onDemand && $0.billedInstanceSeconds > 0 }.map(\.key)).sorted()
    for key in poolKeys {
      poolIndexByKey[key] = pools.count
      pools.append(Pool(entry: catalog.entry(region: key.region, instanceType: key.instanceType)!))
    }
    var onDemandBuckets: [Int] = []
    var spotBuckets: [Int] = []
    for b in buckets.indices where buckets[b].billedInstanceSeconds > 0 {
      guard buckets[b].option == .onDemand else {
        spotBuckets.append(b)
        continue
      }
      onDemandBuckets.append(b)
      let pool = poolIndexByKey[buckets[b].key]!
      buckets[b].pool = pool
      pools[pool].members.append(b)
      if let zone = buckets[b].availabilityZone {
        let key = ZoneKey(key: buckets[b].key, zone: zone)
        let index = zoneIndexByKey[key] ?? zones.count
        if index == zones.count {
          zoneIndexByKey[key] = index
          zones.append(ZonePool(pool: pool))
        }
        buckets[b].zone = index
        zones[index].members.append(b)
      }
    }
    self.buckets = buckets
    self.pools = pools
    self.zones = zones
    self.onDemandBuckets = onDemandBuckets
    self.spotBuckets = spotBuckets

    // Commitments in application order.
    let horizonSeconds = Double(hourCount) * HourlyAttribution.secondsPerHour
    var ids = Set<String>()
    func checkId(_ id: String) throws {
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

    var zonal: [Commitment] = []
    var regional: [Commitment] = []
    for (index, ri) in input.reservedInstances.enumerated() {
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
        zone: -1, zoneUnitsPerSecond: 0, targets: [])
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
        commitment.zone = zoneIndexByKey[zoneKey] ?? -1
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

    var ec2Plans: [Commitment] = []
    var computePlans: [Commitment] = []
    for (index, plan) in input.savingsPlans.enumerated() {
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
          let rate = try Self.savingsPlanUSDPerHour(plan, pool: pools[p].entry, rates: rates)
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
        upfrontUSD: fees.upfrontUSD, purchaseHour: purchaseHour(plan.startSeconds), zone: -1,
        zoneUnitsPerSecond: 0, targets: targets.map(\.target))
      if plan.kind == .compute { computePlans.append(commitment) } else { ec2Plans.append(commitment) }
    }
    // Among commitments of one kind: earliest start first, then id (documented in FleetBill).
    func ordered(_ list: [Commitment]) -> [Commitment] {
      list.sorted { ($0.startSeconds, $0.id) < ($1.startSeconds, $1.id) }
    }
    commitments = ordered(zonal) + ordered(regional) + ordered(ec2Plans) + ordered(computePlans)
  }

  /// True when two records fall in the same bucket and service with the same tags (the
  /// tags check keeps the one-set-of-tags-per-service rule on the fast path).
  static func sameBucket(_ a: InstanceUsage, _ b: InstanceUsage) -> Bool {
    a.instanceType == b.instanceType && a.region == b.region && a.service == b.service
      && a.availabilityZone == b.availabilityZone && a.purchaseOption == b.purchaseOption && a.tags == b.tags
  }

  /// The Spot price: scenario, then catalog average, then Spot Advisor savings estimate.
  static func spotUSDPerHour(
    _ key: RegionalInstanceType, entry: PriceCatalogEntry, catalog: PriceCatalog,
    options: BillingOptions
  ) throws -> Double {
    if let price = options.spotUSDPerHour[key] { return price }
    if let price = catalog.spotUSDPerHour(region: key.region, instanceType: key.instanceType) { return price }
    throw BillingError.missingSpotPrice(region: key.region, instanceType: key.instanceType)
  }

  /// A plan's rate for one (region, type): the rates table, then the catalog's No Upfront
  /// columns.
  static func savingsPlanUSDPerHour(
    _ plan: SavingsPlan, pool entry: PriceCatalogEntry, rates: SavingsPlanRates
  ) throws -> Double {
    let type = plan.kind.planType
    if let percent = rates.discountPercent(
      planType: type, family: entry.family, region: entry.region, term: plan.term, payment: plan.payment)
    {
      return entry.onDemandUSDPerHour * (1 - percent / 100)
    }
    if plan.payment == .noUpfront {
      let catalogRate: Double? =
        switch (type, plan.term) {
        case (.compute, .oneYear): entry.computeSavingsPlanOneYearNoUpfrontUSDPerHour
        case (.compute, .threeYears): entry.computeSavingsPlanThreeYearNoUpfrontUSDPerHour
        case (.ec2Instance, .oneYear): entry.ec2InstanceSavingsPlanOneYearNoUpfrontUSDPerHour
        case (.ec2Instance, .threeYears): entry.ec2InstanceSavingsPlanThreeYearNoUpfrontUSDPerHour
        }
      if let catalogRate {
        guard catalogRate > 0 else {
          throw BillingError.invalidInput(
            field: "catalog Savings Plans rate of \(entry.key)", expected: "a rate above 0 USD per hour",
            found: "\(catalogRate)")
        }
        return catalogRate
      }
    }
    throw BillingError.missingSavingsPlanRate(
      plan: plan.id, planType: type.rawValue, family: entry.family, region: entry.region,
      term: plan.term.rawValue, payment: plan.payment.rawValue)
  }
}
