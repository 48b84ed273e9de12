import CivilCalendar
import Foundation

/// Seeded synthetic demand for a food-delivery service: a quiet night, a lunch peak, a
/// bigger dinner peak, busier weekends, holidays, promotion spikes and lognormal noise.
///
///     let generator = try FoodDeliveryDemandGenerator(
///       start: monday, timeZone: TimeZone(identifier: "Asia/Seoul")!, days: 28,
///       baselineUnitsPerMinute: 400)
///     var rng = SomeSeededGenerator(seed: 7)
///     let orders = generator.generate(using: &rng)      // 40,320 one-minute rates
///
/// The rate of the interval starting at local hour `h` (wall clock in `timeZone`, so peaks
/// stay at noon across DST changes) is
///
///     baselineUnitsPerMinute * shape(h) * weekend * holiday * promotions * noise
///     shape(h) = troughShape + Σ over lunch, dinner: height * exp(-(h - localHour)² / (2 * widthHours²))
///
/// With the defaults, `shape(h) = 0.15 + 5 exp(-(h-12)²/1.2) + 7 exp(-(h-18.5)²/1.8)`, the
/// formula of the peer script `make_demand.py`: `make_demand.py --base B` corresponds to
/// `baselineUnitsPerMinute: B`, so the overnight trough is `troughShape * B` (0.15 B) and
/// the dinner peak about 7.15 B. `weekend` is `weekendMultiplier` on local Saturdays and
/// Sundays; `holiday` is the multiplier of the local date (a holiday on a weekend gets
/// both); each promotion multiplies the intervals it covers, weighted by the covered share
/// of a partly covered interval; `noise` is lognormal with median 1 (`exp(N(0, noiseSigma²))`,
/// like Python's `random.lognormvariate(0, sigma)`), drawn fresh for every interval.
///
/// Same parameters and same generator state give the same series on every platform: the
/// noise uses only `rng.next()` and Box–Muller, not the standard library's distributions.
public struct FoodDeliveryDemandGenerator: Sendable {
  /// One daily peak: a Gaussian bump on the shape.
  public struct Peak: Sendable, Equatable {
    /// Local hour of the top, in [0, 24); 18.5 is 18:30.
    public var localHour: Double
    /// Added to the shape at the top, in the same units as `troughShape` (>= 0).
    public var height: Double
    /// The bump's standard deviation, hours (> 0).
    public var widthHours: Double

    public init(localHour: Double, height: Double, widthHours: Double) {
      self.localHour = localHour
      self.height = height
      self.widthHours = widthHours
    }

    /// 12:00, height 5, width sqrt(0.6) h (the peer's `exp(-(h-12)²/1.2)`).
    public static let lunch = Peak(localHour: 12, height: 5, widthHours: (0.6).squareRoot())
    /// 18:30, height 7, width sqrt(0.9) h (the peer's `exp(-(h-18.5)²/1.8)`).
    public static let dinner = Peak(localHour: 18.5, height: 7, widthHours: (0.9).squareRoot())
  }

  /// A marketing push: demand multiplied by `multiplier` from `start` for `durationSeconds`.
  public struct Promotion: Sendable, Equatable {
    public var start: Date
    /// > 0.
    public var durationSeconds: Double
    /// >= 0; 1.8 means 80% more orders while it runs.
    public var multiplier: Double

    public init(start: Date, durationSeconds: Double, multiplier: Double) {
      self.start = start
      self.durationSeconds = durationSeconds
      self.multiplier = multiplier
    }
  }

  /// A local calendar date whose whole day is multiplied by `multiplier`.
  public struct Holiday: Sendable, Equatable {
    public var year: Int
    public var month: Int
    public var day: Int
    /// >= 0; 0.6 for a quiet public holiday, 1.5 for a big delivery day.
    public var multiplier: Double

    public init(year: Int, month: Int, day: Int, multiplier: Double) {
      self.year = year
      self.month = month
      self.day = day
      self.multiplier = multiplier
    }
  }

  public let start: Date
  /// Where the peaks, weekends and holidays are read.
  public let timeZone: TimeZone
  /// Length of the series, days (> 0).
  public let days: Int
  /// Seconds per interval (> 0); the last interval may run past `days`.
  public let intervalSeconds: Double
  /// Multiplies the shape, units per minute (>= 0); the trough is `troughShape` times this.
  public let baselineUnitsPerMinute: Double
  /// The shape's overnight floor (>= 0; default 0.15).
  public let troughShape: Double
  public let lunchPeak: Peak
  public let dinnerPeak: Peak
  /// Multiplier on local Saturdays and Sundays (>= 0; default 1.3).
  public let weekendMultiplier: Double
  /// Standard deviation of the log of the noise factor (0...10; default 0.05; 0 is none).
  public let noiseSigma: Double
  public let promotions: [Promotion]
  public let holidays: [Holiday]

  private let holidayMultipliers: [Int: Double]

  /// Validates every parameter; an error names the parameter, the range and the value.
  public init(
    start: Date,
    timeZone: TimeZone,
    days: Int,
    intervalSeconds: Double = 60,
    baselineUnitsPerMinute: Double,
    troughShape: Double = 0.15,
    lunchPeak: Peak = .lunch,
    dinnerPeak: Peak = .dinner,
    weekendMultiplier: Double = 1.3,
    noiseSigma: Double = 0.05,
    promotions: [Promotion] = [],
    holidays: [Holiday] = []
  ) throws(WorkloadError) {
    func check(_ ok: Bool, _ name: String, _ expected: String, _ found: Any) throws(WorkloadError) {
      guard ok else {
        throw WorkloadError(
          source: "FoodDeliveryDemandGenerator", location: .parameter(name),
          problem: .invalidArgument(expected: expected, found: "\(found)"))
      }
    }
    try check(days > 0, "days", "a whole number of days > 0", days)
    try check(
      intervalSeconds.isFinite && intervalSeconds > 0, "intervalSeconds", "a finite number > 0", intervalSeconds)
    let count = Double(days) * 86_400 / intervalSeconds
    try check(
      count <= Double(DemandSeries.maximumCount), "intervalSeconds",
      "long enough for at most \(DemandSeries.maximumCount) intervals over \(days) days", intervalSeconds)
    try check(
      baselineUnitsPerMinute.isFinite && baselineUnitsPerMinute >= 0, "baselineUnitsPerMinute",
      "a finite number >= 0", baselineUnitsPerMinute)
    try check(troughShape.isFinite && troughShape >= 0, "troughShape", "a finite number >= 0", troughShape)
    for (name, peak) in [("lunchPeak", lunchPeak), ("dinnerPeak", dinnerPeak)] {
      try check(
        peak.localHour.isFinite && peak.localHour >= 0 && peak.localHour < 24, "\(name).localHour",
        "an hour in [0, 24)", peak.localHour)
      try check(peak.height.isFinite && peak.height >= 0, "\(name).height", "a finite number >= 0", peak.height)
      try check(
        peak.widthHours.isFinite && peak.widthHours > 0, "\(name).widthHours", "a finite number of hours > 0",
        peak.widthHours)
    }
    try check(
      weekendMultiplier.isFinite && weekendMultiplier >= 0, "weekendMultiplier", "a finite number >= 0",
      weekendMultiplier)
    try check(
      noiseSigma.isFinite && noiseSigma >= 0 && noiseSigma <= 10, "noiseSigma", "a number in 0...10", noiseSigma)
    for (index, promotion) in promotions.enumerated() {
      try check(
        promotion.durationSeconds.isFinite && promotion.durationSeconds > 0, "promotions[\(index)].durationSeconds",
        "a finite number of seconds > 0", promotion.durationSeconds)
      try check(
        promotion.multiplier.isFinite && promotion.multiplier >= 0, "promotions[\(index)].multiplier",
        "a finite number >= 0", promotion.multiplier)
    }
    var multipliers: [Int: Double] = [:]
    for (index, holiday) in holidays.enumerated() {
      let name = "holidays[\(index)]"
      let validDate =
        (1...12).contains(holiday.month)
        && holiday.day >= 1 && holiday.day <= CivilTime.daysInMonth(year: holiday.year, month: holiday.month)
        && (1...9999).contains(holiday.year)
      try check(validDate, name, "a real calendar date", "\(holiday.year)-\(holiday.month)-\(holiday.day)")
      try check(
        holiday.multiplier.isFinite && holiday.multiplier >= 0, "\(name).multiplier", "a finite number >= 0",
        holiday.multiplier)
      let day = CivilTime.daysFromCivil(year: holiday.year, month: holiday.month, day: holiday.day)
      try check(
        multipliers[day] == nil, name, "a date listed once",
        "\(holiday.year)-\(CivilTime.pad(holiday.month, 2))-\(CivilTime.pad(holiday.day, 2)) again")
      multipliers[day] = holiday.multiplier
    }
    // Every factor at its largest must still give a finite rate (noise: |z| < 9 always).
    var largest = baselineUnitsPerMinute * (troughShape + lunchPeak.height + dinnerPeak.height)
    largest *= max(1, weekendMultiplier) * max(1, multipliers.values.max() ?? 1) * exp(9 * noiseSigma)
    for promotion in promotions { largest *= max(1, promotion.multiplier) }
    try check(
      largest.isFinite, "baselineUnitsPerMinute", "parameters whose product stays finite",
      "a peak rate that overflows Double")

    self.start = start
    self.timeZone = timeZone
    self.days = days
    self.intervalSeconds = intervalSeconds
    self.baselineUnitsPerMinute = baselineUnitsPerMinute
    self.troughShape = troughShape
    self.lunchPeak = lunchPeak
    self.dinnerPeak = dinnerPeak
    self.weekendMultiplier = weekendMultiplier
    self.noiseSigma = noiseSigma
    self.promotions = promotions
    self.holidays = holidays
    self.holidayMultipliers = multipliers
  }

  /// Number of intervals `generate` returns: `days * 86400 / intervalSeconds`, rounded up.
  public var count: Int {
    let exact = Double(days) * 86_400 / intervalSeconds
    let nearest = exact.rounded()
    return max(1, abs(exact - nearest) <= 1e-9 * exact ? Int(nearest) : Int(exact.rounded(.up)))
  }

  /// The shape at local hour `hour` (0..<24), before the baseline and the multipliers.
  public func shape(atLocalHour hour: Double) -> Double {
    func bump(_ peak: Peak) -> Double {
      let distance = hour - peak.localHour
      return peak.height * exp(-(distance * distance) / (2 * peak.widthHours * peak.widthHours))
    }
    return troughShape + bump(lunchPeak) + bump(dinnerPeak)
  }

  /// One series of `count` intervals from `start`, advancing `rng` (two draws per two
  /// intervals when `noiseSigma > 0`, none otherwise).
  /// - Complexity: O(count × (1 + promotions)).
  public func generate(using rng: inout some RandomNumberGenerator) -> DemandSeries {
    let n = count
    var values = [Double](repeating: 0, count: n)
    var offsets = UTCOffsetCache(timeZone: timeZone)
    let origin = start.timeIntervalSince1970
    let promotionSpans = promotions.map {
      (start: $0.start.timeIntervalSince1970, end: $0.start.timeIntervalSince1970 + $0.durationSeconds, $0.multiplier)
    }
    var spareNormal: Double?
    for i in 0..<n {
      let low = origin + Double(i) * intervalSeconds
      let local = low + Double(offsets.offsetSeconds(atUTC: low))
      let day = Int((local / CivilTime.secondsPerDay).rounded(.down))
      let hour = (local - Double(day) * CivilTime.secondsPerDay) / 3600
      var rate = baselineUnitsPerMinute * shape(atLocalHour: hour)
      let weekday = CivilTime.weekday(ofDay: day)
      if weekday == 0 || weekday == 6 { rate *= weekendMultiplier }
      if let holiday = holidayMultipliers[day] { rate *= holiday }
      let high = low + intervalSeconds
      for span in promotionSpans {
        let covered = min(high, span.end) - max(low, span.start)
        if covered > 0 { rate *= 1 + (span.2 - 1) * covered / intervalSeconds }
      }
      if noiseSigma > 0 {
        let z: Double
        if let spare = spareNormal {
          z = spare
          spareNormal = nil
        } else {
          let (first, second) = Self.standardNormalPair(using: &rng)
          z = first
          spareNormal = second
        }
        rate *= exp(noiseSigma * z)
      }
      values[i] = rate
    }
    return DemandSeries(unchecked: start, intervalSeconds: intervalSeconds, valuesPerMinute: values)
  }

  /// Box–Muller on two uniforms in (0, 1) built from the top 53 bits of `next()`.
  static func standardNormalPair(using rng: inout some RandomNumberGenerator) -> (Double, Double) {
    let u1 = (Double(rng.next() >> 11) + 0.5) * 0x1p-53
    let u2 = (Double(rng.next() >> 11) + 0.5) * 0x1p-53
    let radius = (-2 * log(u1)).squareRoot()
    let angle = 2 * Double.pi * u2
    return (radius * cos(angle), radius * sin(angle))
  }
}
