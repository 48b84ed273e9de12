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
/// Hour attribution: hour `h` covers `[3600·h, 3600·(h+1))` seconds since scenario start.
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
  ///   0...`maximumCountPerRecord`, or a Spot record (not billed yet);
  ///   `BillingError.missingPrice` when the catalog has no row for a record's type and region
  ///   (also for records with count 0).
  /// - Complexity: O(records + lines × hours): each record touches at most two hours plus
  ///   one difference-array entry for the full hours between them.
  public init(usage: [InstanceUsage], catalog: PriceCatalog) throws {
    let hour = Self.secondsPerHour
    // One instance-group's billing interval [start, billedEnd) plus its minimum top-up.
    struct Interval {
      var line: Int, count: Int
      var start: Double, billedEnd: Double, topUpSeconds: Double
      var firstHour: Int, lastHour: Int
    }
    struct Accumulator {
      var key: RegionalInstanceType, usdPerHour: Double
      var instanceStarts = 0
      var runningSeconds = 0.0, billedSeconds = 0.0
    }
    var lineIndexByKey: [RegionalInstanceType: Int] = [:]
    var accumulators: [Accumulator] = []
    var intervals: [Interval] = []
    intervals.reserveCapacity(usage.count)
    var hourCount = 0

    // Pass 1: validate, price, and find each record's billing interval and hours.
    for (index, record) in usage.enumerated() {
      try Self.validate(record, index: index)
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
      let runningSeconds = record.endSeconds - record.startSeconds
      let wholeSeconds = PerSecondBilling.wholeSeconds(runningSeconds: runningSeconds)
      let billedSeconds = max(PerSecondBilling.minimumSeconds, wholeSeconds)
      let billedEnd = record.startSeconds + wholeSeconds
      let firstHour = Int((record.startSeconds / hour).rounded(.down))
      let lastHour = max(firstHour, Int((billedEnd / hour).rounded(.up)) - 1)
      intervals.append(
        Interval(
          line: line, count: record.count, start: record.startSeconds, billedEnd: billedEnd,
          topUpSeconds: billedSeconds - wholeSeconds, firstHour: firstHour, lastHour: lastHour))
      accumulators[line].instanceStarts += record.count
      accumulators[line].runningSeconds += Double(record.count) * runningSeconds
      accumulators[line].billedSeconds += Double(record.count) * billedSeconds
      hourCount = max(hourCount, lastHour + 1)
    }

    // Pass 2: partial hours directly, full hours through a difference array of instance
    // counts (whole numbers, so the prefix sum is exact).
    var partialSeconds = Array(
      repeating: [Double](repeating: 0, count: hourCount), count: accumulators.count)
    var fullHourCountDelta = Array(
      repeating: [Double](repeating: 0, count: hourCount + 1), count: accumulators.count)
    for interval in intervals {
      let (line, first, last) = (interval.line, interval.firstHour, interval.lastHour)
      let count = Double(interval.count)
      partialSeconds[line][first] += count * interval.topUpSeconds
      if first == last {
        partialSeconds[line][first] += count * (interval.billedEnd - interval.start)
      } else {
        partialSeconds[line][first] += count * (Double(first + 1) * hour - interval.start)
        partialSeconds[line][last] += count * (interval.billedEnd - Double(last) * hour)
        fullHourCountDelta[line][first + 1] += count
        fullHourCountDelta[line][last] -= count
      }
    }

    var lines: [OnDemandBillLine] = []
    lines.reserveCapacity(accumulators.count)
    for (line, accumulator) in accumulators.enumerated() {
      var hourlySeconds = partialSeconds[line]
      var fullHourInstances = 0.0
      for h in 0..<hourCount {
        fullHourInstances += fullHourCountDelta[line][h]
        hourlySeconds[h] += fullHourInstances * hour
      }
      let usdPerSecond = accumulator.usdPerHour / hour
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

  private static func validate(_ record: InstanceUsage, index: Int) throws {
    let start = record.startSeconds
    let end = record.endSeconds
    guard start.isFinite, start >= 0, start <= maximumSeconds else {
      throw BillingError.invalidUsage(
        record: index, field: "startSeconds",
        expected: "a finite number of seconds from 0 to \(Int(maximumSeconds))", found: "\(start)")
    }
    guard end.isFinite, end >= start, end <= maximumSeconds else {
      throw BillingError.invalidUsage(
        record: index, field: "endSeconds",
        expected: "a finite number of seconds from startSeconds (\(start)) to "
          + "\(Int(maximumSeconds))",
        found: "\(end)")
    }
    guard (0...maximumCountPerRecord).contains(record.count) else {
      throw BillingError.invalidUsage(
        record: index, field: "count", expected: "an integer from 0 to \(maximumCountPerRecord)",
        found: "\(record.count)")
    }
    guard record.purchaseOption == .onDemand else {
      throw BillingError.invalidUsage(
        record: index, field: "purchaseOption",
        expected: "onDemand (Spot billing is not implemented yet)",
        found: "\(record.purchaseOption)")
    }
  }
}
