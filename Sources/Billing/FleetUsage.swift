/// The usage of one service as a simulated fleet produces it: a few pools (instance type,
/// region, zone, purchase option) and many records on them, without a String or tag copy
/// per record. ``FleetBill`` bills it exactly as it bills the same records written out as
/// ``InstanceUsage`` (``instanceUsage``): the same buckets in the same order, the same
/// intervals, so every figure is the same (tested by comparing the two bills).
///
/// ```swift
/// let usage = FleetUsage(
///   service: "orders", pools: [.init(instanceType: "m5.large", region: "us-east-1")],
///   records: [.init(pool: 0, count: 2, startSeconds: 0, endSeconds: 5_400)])
/// let bill = try FleetBill(usage: usage, catalog: try .bundled())
/// ```
public struct FleetUsage: Sendable, Equatable {
  /// What the records of one pool share.
  public struct Pool: Sendable, Equatable {
    public var instanceType: String
    public var region: String
    public var purchaseOption: PurchaseOption
    public var availabilityZone: String?

    public init(
      instanceType: String, region: String, purchaseOption: PurchaseOption = .onDemand, availabilityZone: String? = nil
    ) {
      self.instanceType = instanceType
      self.region = region
      self.purchaseOption = purchaseOption
      self.availabilityZone = availabilityZone
    }
  }

  /// `count` instances of `pools[pool]` that ran from `startSeconds` to `endSeconds`, as in
  /// ``InstanceUsage``.
  public struct Record: Sendable, Equatable {
    public var pool: Int
    public var count: Int
    public var startSeconds: Double
    public var endSeconds: Double

    public init(pool: Int, count: Int, startSeconds: Double, endSeconds: Double) {
      self.pool = pool
      self.count = count
      self.startSeconds = startSeconds
      self.endSeconds = endSeconds
    }
  }

  /// Every record's service (nil reads as ``FleetBill/unnamedService``) and its tags.
  public var service: String?
  public var tags: [String: String]
  /// Pools no record names are allowed (and bill nothing).
  public var pools: [Pool]
  public var records: [Record]

  public init(service: String? = nil, tags: [String: String] = [:], pools: [Pool], records: [Record]) {
    self.service = service
    self.tags = tags
    self.pools = pools
    self.records = records
  }

  /// The records written out one by one, in order.
  /// - Precondition: every record's `pool` is an index into `pools`.
  public var instanceUsage: [InstanceUsage] {
    records.map { record in
      let pool = pools[record.pool]
      return InstanceUsage(
        instanceType: pool.instanceType, region: pool.region, purchaseOption: pool.purchaseOption, count: record.count,
        startSeconds: record.startSeconds, endSeconds: record.endSeconds, service: service, tags: tags,
        availabilityZone: pool.availabilityZone)
    }
  }
}

extension BillingEngine {
  /// `scanRecords` for a ``FleetUsage``: the same validation, buckets (created in the order
  /// records first name them) and intervals as for its ``FleetUsage/instanceUsage``, with the
  /// lookups done once per pool instead of once per record.
  static func scanRecords(_ usage: FleetUsage, catalog: PriceCatalog, options: BillingOptions) throws -> RecordScan {
    var scan = RecordScan()
    scan.intervals.reserveCapacity(usage.records.count)
    var bucketOfPool = [Int?](repeating: nil, count: usage.pools.count)
    var bucketIndexByKey: [BucketKey: Int] = [:]
    for index in usage.records.indices {
      let record = usage.records[index]
      guard usage.pools.indices.contains(record.pool) else {
        throw BillingError.invalidUsage(
          record: index, field: "pool", expected: "an index into the \(usage.pools.count) pools",
          found: "\(record.pool)")
      }
      let pool = usage.pools[record.pool]
      try HourlyAttribution.validateTimesAndCount(
        startSeconds: record.startSeconds, endSeconds: record.endSeconds, count: record.count, index: index)
      let bucket: Int
      if let known = bucketOfPool[record.pool] {
        bucket = known
      } else {
        try HourlyAttribution.validatePurchase(
          pool.purchaseOption, region: pool.region, availabilityZone: pool.availabilityZone, index: index, allowsSpot: true)
        if scan.services.isEmpty {
          scan.services.append(
            Service(
              name: usage.service ?? FleetBill.unnamedService, tags: usage.tags,
              team: usage.tags["team"] ?? FleetBill.untaggedTeam, tagsJSON: TagsJSON.encode(usage.tags),
              firstRecord: index))
        }
        let key = BucketKey(
          service: 0, key: RegionalInstanceType(region: pool.region, instanceType: pool.instanceType),
          zone: pool.availabilityZone, option: pool.purchaseOption)
        if let existing = bucketIndexByKey[key] {
          bucket = existing
        } else {
          bucket = try newBucket(key, catalog: catalog, options: options, scan: &scan)
          bucketIndexByKey[key] = bucket
        }
        bucketOfPool[record.pool] = bucket
      }
      addInterval(count: record.count, start: record.startSeconds, end: record.endSeconds, bucket: bucket, to: &scan)
    }
    return scan
  }
}
