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
    /// Pool index of an on-demand bucket with billed seconds; nil for Spot (and idle) buckets.
    var pool: Int?
    /// Zone pool index of an on-demand bucket with a known zone and billed seconds.
    var zone: Int?
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
    /// The zone pool a zonal Reserved Instance covers; nil for other commitments, and for a
    /// zonal one whose zone had no on-demand usage.
    var zone: Int?
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

  /// Validates and prepares, in named steps: the options; one pass over the records
  /// (services, buckets, billing intervals); a stable order by name; pools and zone pools;
  /// the commitments in application order.
  init(
    usage: [InstanceUsage], commitments input: Commitments, catalog: PriceCatalog,
    rates: SavingsPlanRates, options: BillingOptions
  ) throws {
    try Self.validate(options)
    let scan = try Self.scanRecords(usage, catalog: catalog, options: options)
    try self.init(scan: scan, commitments: input, catalog: catalog, rates: rates, options: options)
  }

  /// As `init(usage:...)` for one service's ``FleetUsage`` (the same engine as for its
  /// records written out).
  init(
    usage: FleetUsage, commitments input: Commitments, catalog: PriceCatalog,
    rates: SavingsPlanRates, options: BillingOptions
  ) throws {
    try Self.validate(options)
    let scan = try Self.scanRecords(usage, catalog: catalog, options: options)
    try self.init(scan: scan, commitments: input, catalog: catalog, rates: rates, options: options)
  }

  private init(
    scan: RecordScan, commitments input: Commitments, catalog: PriceCatalog, rates: SavingsPlanRates,
    options: BillingOptions
  ) throws {
    var scan = scan
    Self.sortByName(&scan)
    hourCount = max(options.horizonHours ?? 0, scan.lastUsageHour.map { $0 + 1 } ?? 0)
    schedule = HourlyAttribution.Schedule(scan.intervals, lineCount: scan.buckets.count, hourCount: hourCount)
    let layout = Self.poolLayout(scan.buckets, catalog: catalog)
    services = scan.services
    buckets = layout.buckets
    pools = layout.pools
    zones = layout.zones
    onDemandBuckets = layout.onDemandBuckets
    spotBuckets = layout.spotBuckets
    var builder = CommitmentBuilder(
      pools: layout.pools, zoneIndexByKey: layout.zoneIndexByKey, catalog: catalog, rates: rates,
      horizonSeconds: Double(hourCount) * HourlyAttribution.secondsPerHour)
    let reservedInstances = try builder.reservedInstances(input.reservedInstances)
    let savingsPlans = try builder.savingsPlans(input.savingsPlans)
    // Among commitments of one kind: earliest start first, then id (documented in FleetBill).
    func ordered(_ list: [Commitment]) -> [Commitment] {
      list.sorted { ($0.startSeconds, $0.id) < ($1.startSeconds, $1.id) }
    }
    commitments = ordered(reservedInstances.zonal) + ordered(reservedInstances.regional)
      + ordered(savingsPlans.ec2Instance) + ordered(savingsPlans.compute)
  }

  static func validate(_ options: BillingOptions) throws {
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
  }

  /// Services, buckets and billing intervals in the order the records first name them.
  struct RecordScan {
    var services: [Service] = []
    var buckets: [Bucket] = []
    /// One per record with instances; `line` is the bucket.
    var intervals: [HourlyAttribution.Interval] = []
    /// The last hour any record bills (nil: no record bills any).
    var lastUsageHour: Int?
  }

  /// One pass over the records: validate, find the service (one per name, with the tags of
  /// its first record) and the bucket, and the billing interval. Consecutive records of one
  /// bucket (the usual case) skip the lookups.
  static func scanRecords(_ usage: [InstanceUsage], catalog: PriceCatalog, options: BillingOptions) throws -> RecordScan {
    var serviceIndexByName: [String: Int] = [:]
    var bucketIndexByKey: [BucketKey: Int] = [:]
    var scan = RecordScan()
    scan.intervals.reserveCapacity(usage.count)
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
          let first = scan.services[existing]
          guard first.tags == record.tags else {
            throw BillingError.invalidUsage(
              record: index, field: "tags",
              expected: "the tags of service '\(name)' in record \(first.firstRecord), "
                + TagsJSON.encode(first.tags),
              found: TagsJSON.encode(record.tags))
          }
        } else {
          service = scan.services.count
          serviceIndexByName[name] = service
          scan.services.append(
            Service(
              name: name, tags: record.tags, team: record.tags["team"] ?? FleetBill.untaggedTeam,
              tagsJSON: TagsJSON.encode(record.tags), firstRecord: index))
        }
        let key = BucketKey(
          service: service, key: record.key, zone: record.availabilityZone, option: record.purchaseOption)
        if let existing = bucketIndexByKey[key] {
          bucket = existing
        } else {
          bucket = try newBucket(key, catalog: catalog, options: options, scan: &scan)
          bucketIndexByKey[key] = bucket
        }
      }
      previous = (index, bucket)
      addInterval(
        count: usage[index].count, start: usage[index].startSeconds, end: usage[index].endSeconds, bucket: bucket,
        to: &scan)
    }
    return scan
  }

  /// What makes a bucket: a service's usage of one (region, type, zone, purchase option).
  struct BucketKey: Hashable {
    var service: Int, key: RegionalInstanceType, zone: String?, option: PurchaseOption
  }

  /// Appends the bucket of `key` (its prices from the catalog) and returns its index.
  static func newBucket(
    _ key: BucketKey, catalog: PriceCatalog, options: BillingOptions, scan: inout RecordScan
  ) throws -> Int {
    let entry = try catalog.requireEntry(region: key.key.region, instanceType: key.key.instanceType)
    var spotPrice = 0.0
    if key.option == .spot {
      spotPrice = try Self.spotUSDPerHour(key.key, entry: entry, catalog: catalog, options: options)
    }
    scan.buckets.append(
      Bucket(
        service: key.service, key: key.key, availabilityZone: key.zone, option: key.option,
        onDemandUSDPerHour: entry.onDemandUSDPerHour, spotUSDPerHour: spotPrice,
        normalizationFactor: entry.normalizationFactor, pool: nil, zone: nil))
    return scan.buckets.count - 1
  }

  /// One record's billing interval into `bucket` (nothing for no instances).
  @inline(__always)
  static func addInterval(count: Int, start: Double, end: Double, bucket: Int, to scan: inout RecordScan) {
    guard count > 0 else { return }
    let interval = HourlyAttribution.interval(line: bucket, count: count, start: start, end: end)
    scan.intervals.append(interval)
    scan.buckets[bucket].instanceStarts += count
    scan.buckets[bucket].runningInstanceSeconds += interval.runningInstanceSeconds
    scan.buckets[bucket].billedInstanceSeconds += interval.billedInstanceSeconds
    scan.lastUsageHour = max(scan.lastUsageHour ?? interval.lastHour, interval.lastHour)
  }

  /// Sorts services by name and buckets by (service, region, type, zone, option), and
  /// renumbers the intervals to match (in place: they are one per record), so that results
  /// do not depend on the order of the records.
  static func sortByName(_ scan: inout RecordScan) {
    var unsortedBuckets = scan.buckets
    let serviceOrder = scan.services.indices.sorted { scan.services[$0].name < scan.services[$1].name }
    var serviceRank = [Int](repeating: 0, count: scan.services.count)
    for (rank, index) in serviceOrder.enumerated() { serviceRank[index] = rank }
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
    for i in scan.intervals.indices { scan.intervals[i].line = bucketRank[scan.intervals[i].line] }
    scan.services = serviceOrder.map { scan.services[$0] }
    scan.buckets = bucketOrder.map { unsortedBuckets[$0] }
  }

  struct ZoneKey: Hashable { var key: RegionalInstanceType, zone: String }

  /// Buckets with their pools, and the pools and zone pools of on-demand usage.
  struct PoolLayout {
    var buckets: [Bucket]
    var pools: [Pool] = []
    var zones: [ZonePool] = []
    var zoneIndexByKey: [ZoneKey: Int] = [:]
    var onDemandBuckets: [Int] = []
    var spotBuckets: [Int] = []
  }

  /// Pools (region, type) and zone pools (region, type, zone) of on-demand usage with billed
  /// seconds, sorted by key; each such bucket joins its pool and zone pool.
  static func poolLayout(_ buckets: [Bucket], catalog: PriceCatalog) -> PoolLayout {
    var layout = PoolLayout(buckets: buckets)
    var poolIndexByKey: [RegionalInstanceType: Int] = [:]
    let poolKeys = Set(buckets.filter { $0.option == .onDemand && $0.billedInstanceSeconds > 0 }.map(\.key)).sorted()
    for key in poolKeys {
      poolIndexByKey[key] = layout.pools.count
      layout.pools.append(Pool(entry: catalog.entry(region: key.region, instanceType: key.instanceType)!))
    }
    for b in buckets.indices where buckets[b].billedInstanceSeconds > 0 {
      guard buckets[b].option == .onDemand else {
        layout.spotBuckets.append(b)
        continue
      }
      layout.onDemandBuckets.append(b)
      let pool = poolIndexByKey[buckets[b].key]!
      layout.buckets[b].pool = pool
      layout.pools[pool].members.append(b)
      if let zone = buckets[b].availabilityZone {
        let key = ZoneKey(key: buckets[b].key, zone: zone)
        let index = layout.zoneIndexByKey[key] ?? layout.zones.count
        if index == layout.zones.count {
          layout.zoneIndexByKey[key] = index
          layout.zones.append(ZonePool(pool: pool))
        }
        layout.buckets[b].zone = index
        layout.zones[index].members.append(b)
      }
    }
    return layout
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
      if let catalogRate = entry.savingsPlanNoUpfrontUSDPerHour(planType: type, term: plan.term) {
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
