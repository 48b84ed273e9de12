/// The on-demand cost of a set of instance lifetimes, in total, per (region, instance type)
/// and per clock-hour.
///
/// ```swift
/// let usage = [InstanceUsage(instanceType: "m5.large", region: "us-east-1",
///                            count: 3, startSeconds: 0, endSeconds: 7_200)]
/// let bill = try OnDemandBill(usage: usage, catalog: .bundled())
/// bill.costUSD                // 0.576 = 3 × 2 h × 0.096 USD/h
/// bill.hourlyCostUSD          // [0.288, 0.288]
/// ```
///
/// Billing follows EC2 Linux: per-second, 60-second minimum per instance start (see
/// ``PerSecondBilling`` for the rounding to whole seconds).
///
/// Hour attribution (``HourlyAttribution``, shared with ``FleetBill``): hour `h` covers
/// `[3600·h, 3600·(h+1))` seconds since scenario start.
/// Each instance is billed as running over `[start, start + ceil(end - start))`, i.e. the
/// round-up to a whole second extends its last second; the seconds of that interval fall
/// into the hours they overlap. The top-up of the 60-second minimum (`60 - ceil(end -
/// start)` when positive) is charged in the hour the instance started. So one instance
/// never has more than 3600 billed seconds in an hour, and the hours add up to the total.
///
/// Invariants (conservation): `billedInstanceSeconds` = Σ count × max(60, ceil(end - start));
/// `costUSD` = Σ `lines.costUSD`; Σ `hourlyCostUSD` = `costUSD` and Σ
/// `hourlyBilledInstanceSeconds` = `billedInstanceSeconds` up to floating-point rounding.
public struct OnDemandBill: Sendable, Equatable {
  /// Usage times must not exceed this many seconds since scenario start (ten 365-day years).
  /// It bounds the per-hour arrays and keeps the rounding tolerance far above Double noise.
  public static let maximumSeconds: Double = 315_360_000
  /// The largest `count` one usage record may carry.
  public static let maximumCountPerRecord = 1_000_000_000

  static let secondsPerHour: Double = 3_600

  /// One line per (region, instance type) with usage, sorted by region, then instance type.
  public let lines: [OnDemandBillLine]
  /// Σ count over the usage records.
  public let instanceStarts: Int
  /// Σ count × (end - start): lifetimes before rounding and the 60-second minimum.
  public let runningInstanceSeconds: Double
  /// Σ count × max(60, ceil(end - start)); a whole number.
  public let billedInstanceSeconds: Double
  public let costUSD: Double
  /// Number of clock-hours from hour 0 through the last hour with billed seconds.
  public let hourCount: Int
  /// Billed instance-seconds per clock-hour, `hourCount` entries.
  public let hourlyBilledInstanceSeconds: [Double]
  /// Cost per clock-hour in USD, `hourCount` entries.
  public let hourlyCostUSD: [Double]

  /// `billedInstanceSeconds` in hours.
  public var billedInstanceHours: Double { billedInstanceSeconds / Self.secondsPerHour }

  /// `hourlyCostUSD` followed by zeros up to `hours` entries (e.g. the scenario length).
  /// Never shorter than `hourCount`, so no billed cost is cut off.
  public func hourlyCostUSD(paddedToHours hours: Int) -> [Double] {
    hourlyCostUSD + Array(repeating: 0, count: max(0, hours - hourCount))
  }

  /// Prices `usage` at the catalog's on-demand rates.
  /// - Throws: `BillingError.invalidUsage` for a negative or non-finite time, an end before
  ///   its start, a time beyond `maximumSeconds`, a count outside
  ///   0...`maximumCountPerRecord`, a Spot record (``FleetBill`` prices Spot), or an
  ///   availability zone outside the record's region;
  ///   `BillingError.missingPrice` when the catalog has no row for a record's type and region
  ///   (also for records with count 0).
  /// - Complexity: O(records + lines × hours): each record touches at most two hours plus
  ///   one difference-array entry for the full hours between them.
  public init(usage: [InstanceUsage], catalog: PriceCatalog) throws {
    struct Accumulator {
      var key: RegionalInstanceType, usdPerHour: Double
      var instanceStarts = 0
      var runningSeconds = 0.0, billedSeconds = 0.0
    }
    var lineIndexByKey: [RegionalInstanceType: Int] = [:]
    var accumulators: [Accumulator] = []
    var intervals: [HourlyAttribution.Interval] = []
    intervals.reserveCapacity(usage.count)
    var hourCount = 0

    // Pass 1: validate, price, and find each record's billing interval and hours.
    for (index, record) in usage.enumerated() {
      try HourlyAttribution.validate(record, index: index, allowsSpot: false)
      let usdPerHour = try catalog.onDemandUSDPerHour(
        region: record.region, instanceType: record.instanceType)
      guard record.count > 0 else { continue }
      let line: Int
      if let existing = lineIndexByKey[record.key] {
        line = existing
      } else {
        line = accumulators.count
        lineIndexByKey[record.key] = line
        accumulators.append(Accumulator(key: record.key, usdPerHour: usdPerHour))
      }
      let interval = HourlyAttribution.interval(
        line: line, count: record.count, start: record.startSeconds, end: record.endSeconds)
      intervals.append(interval)
      accumulators[line].instanceStarts += record.count
      accumulators[line].runningSeconds += interval.runningInstanceSeconds
      accumulators[line].billedSeconds += interval.billedInstanceSeconds
      hourCount = max(hourCount, interval.lastHour + 1)
    }

    // Pass 2: seconds per (hour, line), shared with FleetBill.
    let lineCount = accumulators.count
    let hourMajor = HourlyAttribution.hourlySeconds(
      intervals, lineCount: lineCount, hourCount: hourCount)

    var lines: [OnDemandBillLine] = []
    lines.reserveCapacity(lineCount)
    for (line, accumulator) in accumulators.enumerated() {
      let hourlySeconds = (0..<hourCount).map { hourMajor[$0 * lineCount + line] }
      let usdPerSecond = accumulator.usdPerHour / Self.secondsPerHour
      lines.append(
        OnDemandBillLine(
          region: accumulator.key.region, instanceType: accumulator.key.instanceType,
          onDemandUSDPerHour: accumulator.usdPerHour,
          instanceStarts: accumulator.instanceStarts,
          runningInstanceSeconds: accumulator.runningSeconds,
          billedInstanceSeconds: accumulator.billedSeconds,
          costUSD: accumulator.billedSeconds * usdPerSecond,
          hourlyBilledInstanceSeconds: hourlySeconds,
          hourlyCostUSD: hourlySeconds.map { $0 * usdPerSecond }))
    }
    lines.sort { $0.key < $1.key }

    var hourlySeconds = [Double](repeating: 0, count: hourCount)
    var hourlyCost = [Double](repeating: 0, count: hourCount)
    for line in lines {
      for h in 0..<hourCount {
        hourlySeconds[h] += line.hourlyBilledInstanceSeconds[h]
        hourlyCost[h] += line.hourlyCostUSD[h]
      }
    }
    self.lines = lines
    self.instanceStarts = lines.reduce(0) { $0 + $1.instanceStarts }
    self.runningInstanceSeconds = lines.reduce(0) { $0 + $1.runningInstanceSeconds }
    self.billedInstanceSeconds = lines.reduce(0) { $0 + $1.billedInstanceSeconds }
    self.costUSD = lines.reduce(0) { $0 + $1.costUSD }
    self.hourCount = hourCount
    self.hourlyBilledInstanceSeconds = hourlySeconds
    self.hourlyCostUSD = hourlyCost
  }
}
