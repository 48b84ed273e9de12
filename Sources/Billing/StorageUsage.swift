import Foundation

/// EBS volumes of `count` instances provisioned from `startSeconds` to `endSeconds`, billed
/// per GB-month and prorated per second over the UTC calendar month the seconds fall in
/// (Amazon EBS pricing page: "charged by the amount you provision in GB per month until you
/// release the storage", per-second billing; its gp3 example: price per GB-month × 2,000 GB
/// × 43,200 s / (86,400 s × 30-day month), e.g. $0.08 × 2,000 / 60 = $2.67). capsim bills it
/// for warm pool instances that wait stopped or hibernated, when their compute is not billed.
///
/// No 60-second minimum applies here: the volume exists from the instance's launch, so a
/// stopped interval is a part of its life, not a new volume.
public struct StorageUsage: Sendable, Equatable {
  public var region: String
  /// Instances whose volumes are stored, 0 or more.
  public var count: Int
  public var gibPerInstance: Double
  public var usdPerGBMonth: Double
  public var startSeconds: Double
  public var endSeconds: Double
  /// The service the volumes belong to; nil reads as ``FleetBill/unnamedService``.
  public var service: String?
  public var tags: [String: String]
  public var availabilityZone: String?

  public init(
    region: String, count: Int, gibPerInstance: Double, usdPerGBMonth: Double, startSeconds: Double,
    endSeconds: Double, service: String? = nil, tags: [String: String] = [:], availabilityZone: String? = nil
  ) {
    self.region = region
    self.count = count
    self.gibPerInstance = gibPerInstance
    self.usdPerGBMonth = usdPerGBMonth
    self.startSeconds = startSeconds
    self.endSeconds = endSeconds
    self.service = service
    self.tags = tags
    self.availabilityZone = availabilityZone
  }
}

extension StorageUsage {
  /// What a bill starting at `start` charges for `storage` (its `ebsStorageUSD`), USD: the
  /// same hour-by-hour proration over UTC calendar months, in the same order, so a caller
  /// that does not build a whole bill (the policy search) gets the bill's figure.
  ///
  /// - Throws: `BillingError.invalidInput` for a record with bad numbers or times.
  public static func costUSD(of storage: [StorageUsage], start: Date) throws -> Double {
    let endSeconds = storage.reduce(0.0) { max($0, $1.endSeconds) }
    guard endSeconds.isFinite, endSeconds < 1e10 else {
      throw BillingError.invalidInput(field: "storage.endSeconds", expected: "a finite time", found: "\(endSeconds)")
    }
    let hourCount = Int((endSeconds / HourlyAttribution.secondsPerHour).rounded(.up))
    return try StorageCharges(storage, hourCount: hourCount, start: start, emitsRows: false).totalUSD
  }
}

/// Storage cost per clock-hour and service, and its FOCUS rows.
struct StorageCharges {
  /// Per hour (the bill's `hourCount`).
  var hourlyUSD: [Double]
  /// Per (hour, service name).
  var hourlyServiceUSD: [String: [Double]]
  /// GB-months stored in total.
  var gbMonths = 0.0
  /// Per hour, its rows (empty without storage that hour or without rows requested).
  var rows: [[CostLineItem]]
  var totalUSD: Double { hourlyUSD.reduce(0, +) }

  /// - Throws: `BillingError.invalidInput` for a record with bad numbers or times outside
  ///   `0...hourCount` hours.
  init(_ storage: [StorageUsage], hourCount: Int, start: Date, emitsRows: Bool) throws {
    hourlyUSD = Array(repeating: 0, count: hourCount)
    hourlyServiceUSD = [:]
    rows = Array(repeating: [], count: emitsRows ? hourCount : 0)
    let secondsPerHour = HourlyAttribution.secondsPerHour
    let horizon = Double(hourCount) * secondsPerHour
    for (index, record) in storage.enumerated() {
      func fail(_ field: String, _ expected: String, _ found: Any) -> BillingError {
        .invalidInput(field: "storage[\(index)].\(field)", expected: expected, found: "\(found)")
      }
      guard record.count >= 0 && record.count <= 1_000_000 else { throw fail("count", "0...1000000", record.count) }
      guard record.gibPerInstance > 0 && record.gibPerInstance <= 1_048_576 else {
        throw fail("gibPerInstance", "a size in (0, 1048576] GiB", record.gibPerInstance)
      }
      guard record.usdPerGBMonth >= 0 && record.usdPerGBMonth <= 100 else {
        throw fail("usdPerGBMonth", "0...100", record.usdPerGBMonth)
      }
      guard record.startSeconds >= 0 && record.endSeconds >= record.startSeconds && record.endSeconds <= horizon else {
        throw fail("endSeconds", "startSeconds (>= 0) ... the bill's end (\(horizon) s)", "\(record.startSeconds)...\(record.endSeconds)")
      }
      guard record.count > 0, record.endSeconds > record.startSeconds else { continue }
      let service = record.service ?? FleetBill.unnamedService
      var serviceHours = hourlyServiceUSD[service] ?? Array(repeating: 0, count: hourCount)
      let gib = Double(record.count) * record.gibPerInstance
      var hour = Int(record.startSeconds / secondsPerHour)
      while hour < hourCount && Double(hour) * secondsPerHour < record.endSeconds {
        let hourStart = Double(hour) * secondsPerHour
        let seconds = min(record.endSeconds, hourStart + secondsPerHour) - max(record.startSeconds, hourStart)
        if seconds > 0 {
          let chargeStart = start.addingTimeInterval(hourStart)
          let month = UTCTime.monthBounds(containing: chargeStart)
          let monthSeconds = month.end.timeIntervalSince(month.start)
          let gbMonths = gib * seconds / monthSeconds
          let cost = gbMonths * record.usdPerGBMonth
          hourlyUSD[hour] += cost
          serviceHours[hour] += cost
          self.gbMonths += gbMonths
          if emitsRows {
            rows[hour].append(
              CostLineItem(
                hour: hour, billingPeriodStart: month.start, billingPeriodEnd: month.end, chargePeriodStart: chargeStart,
                chargePeriodEnd: chargeStart.addingTimeInterval(secondsPerHour), chargeCategory: .usage,
                chargeFrequency: .usageBased, chargeDescription: "EBS storage of stopped warm pool instances",
                pricingCategory: .standard, billedCost: cost, effectiveCost: cost, listCost: cost,
                listUnitPrice: record.usdPerGBMonth, pricingQuantity: gbMonths, pricingUnit: "GB-Mo",
                consumedQuantity: gbMonths, consumedUnit: "GB-Mo", commitmentDiscountId: nil, commitmentDiscountType: nil,
                commitmentDiscountStatus: nil, commitmentDiscountQuantity: nil, commitmentDiscountUnit: nil,
                resourceId: service, resourceName: service, resourceType: "Volume", regionId: record.region,
                availabilityZone: record.availabilityZone, skuId: "EBS:VolumeUsage", skuPriceId: "\(record.region)/EBS/VolumeUsage",
                tagsJSON: TagsJSON.encode(record.tags), service: service, instanceType: nil))
          }
        }
        hour += 1
      }
      hourlyServiceUSD[service] = serviceHours
    }
  }
}

/// Passes the engine's hourly rows on with the hour's storage rows appended; hours with
/// storage but no instance rows go out on their own, in hour order.
struct StorageRowSink<Base: LineItemSink>: LineItemSink {
  var base: Base
  let storageRows: [[CostLineItem]]
  var nextHour = 0

  mutating func flush(before hour: Int) throws {
    while nextHour < min(hour, storageRows.count) {
      if !storageRows[nextHour].isEmpty { try base.consume(hourRows: storageRows[nextHour]) }
      nextHour += 1
    }
  }

  mutating func consume(hourRows rows: [CostLineItem]) throws {
    let hour = rows[0].hour
    try flush(before: hour)
    if hour < storageRows.count && !storageRows[hour].isEmpty {
      try base.consume(hourRows: rows + storageRows[hour])
    } else {
      try base.consume(hourRows: rows)
    }
    nextHour = max(nextHour, hour + 1)
  }
}

extension StorageRowSink {
  mutating func finish() throws {
    try flush(before: storageRows.count)
    try base.finish()
  }
}
