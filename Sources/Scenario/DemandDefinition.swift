import Foundation

/// Where the demand comes from and the what-if transforms applied to it.
public struct DemandDefinition: Sendable, Equatable {
  public var source: DemandSourceDefinition
  /// How the numbers in a file are to be read (default `.totalPerInterval`).
  public var values: DemandValueKind
  /// The data's interval in seconds; nil = inferred from the data. Always nil for synthetic
  /// demand (its interval is `SyntheticDemandDefinition.intervalSeconds`).
  public var intervalSeconds: Double?
  public var gaps: DemandGapHandling
  /// What-if multiplier on every value, > 0 (default 1).
  public var scale: Double
  /// What-if time shift in seconds, may be negative (default 0).
  public var shiftSeconds: Double
  /// Compound growth per year applied over the series, in percent (default 0).
  public var growthPercentPerYear: Double
  /// Where the source key (`csv:`, `cloudwatch:` or `synthetic:`) is written, for errors
  /// found when the data is loaded.
  public var location: SourceLocation

  public init(
    source: DemandSourceDefinition, values: DemandValueKind = .totalPerInterval, intervalSeconds: Double? = nil,
    gaps: DemandGapHandling = .error, scale: Double = 1, shiftSeconds: Double = 0, growthPercentPerYear: Double = 0,
    location: SourceLocation
  ) {
    self.source = source
    self.values = values
    self.intervalSeconds = intervalSeconds
    self.gaps = gaps
    self.scale = scale
    self.shiftSeconds = shiftSeconds
    self.growthPercentPerYear = growthPercentPerYear
    self.location = location
  }
}

public enum DemandSourceDefinition: Sendable, Equatable {
  /// A `timestamp,value` CSV file (absolute URL, checked to exist when the scenario was read).
  case csv(URL)
  /// JSON printed by `aws cloudwatch get-metric-data` or `get-metric-statistics`.
  /// `statistic` is one of Sum, Average, Maximum, Minimum, SampleCount.
  case cloudWatch(URL, metricId: String?, statistic: String?)
  case synthetic(SyntheticDemandDefinition)
  /// One timestamp per request, sorted (e.g. cut from ALB access logs): requests fidelity
  /// replays them as they are; other fidelities use their count per tick.
  case arrivals(URL)
}

/// How each number in the demand data is expressed.
public enum DemandValueKind: String, Sendable, Equatable, CaseIterable {
  /// The total over the value's interval (a CloudWatch Sum, orders per 30 minutes).
  case totalPerInterval
  case perMinute
  case perSecond
}

/// What to do where the data skips an interval.
public enum DemandGapHandling: String, Sendable, Equatable, CaseIterable {
  /// Stop with an error naming the first missing slot.
  case error
  /// Linear interpolation between the neighbours.
  case interpolate
  /// Treat missing slots as zero demand.
  case zero
}

/// The seeded synthetic food-delivery curve: a baseline shaped by lunch and dinner peaks,
/// busier weekends, holidays and promotions, with multiplicative noise. The generator lives
/// in Workload; this is its configuration, with calendar times already resolved in the
/// scenario's time zone.
public struct SyntheticDemandDefinition: Sendable, Equatable {
  public struct Promotion: Sendable, Equatable {
    public var start: Date
    public var durationSeconds: Double
    /// Demand multiplier while the promotion runs, 0...1000.
    public var multiplier: Double
    public var location: SourceLocation

    public init(start: Date, durationSeconds: Double, multiplier: Double, location: SourceLocation) {
      self.start = start
      self.durationSeconds = durationSeconds
      self.multiplier = multiplier
      self.location = location
    }
  }

  public struct Holiday: Sendable, Equatable {
    /// A local calendar day in the scenario's time zone.
    public var date: LocalDate
    /// Demand multiplier for the whole day, 0...1000.
    public var multiplier: Double

    public init(date: LocalDate, multiplier: Double) {
      self.date = date
      self.multiplier = multiplier
    }
  }

  public var start: Date
  /// Number of days generated, 1...3660.
  public var days: Int
  /// Seconds between generated values, 1 s...1 d (default 60).
  public var intervalSeconds: Double
  /// Demand units per minute the curve is scaled to, > 0.
  public var baselinePerMinute: Double
  /// Local hour of the lunch peak, 0..<24 (default 12).
  public var lunchPeakHour: Double
  /// Local hour of the dinner peak, 0..<24 (default 18.5).
  public var dinnerPeakHour: Double
  /// Saturday and Sunday multiplier, 0...100 (default 1).
  public var weekendMultiplier: Double
  /// Standard deviation of the multiplicative noise, 0...2 (default 0: no noise).
  public var noiseSigma: Double
  public var promotions: [Promotion]
  public var holidays: [Holiday]

  public init(
    start: Date, days: Int, intervalSeconds: Double = 60, baselinePerMinute: Double, lunchPeakHour: Double = 12,
    dinnerPeakHour: Double = 18.5, weekendMultiplier: Double = 1, noiseSigma: Double = 0,
    promotions: [Promotion] = [], holidays: [Holiday] = []
  ) {
    self.start = start
    self.days = days
    self.intervalSeconds = intervalSeconds
    self.baselinePerMinute = baselinePerMinute
    self.lunchPeakHour = lunchPeakHour
    self.dinnerPeakHour = dinnerPeakHour
    self.weekendMultiplier = weekendMultiplier
    self.noiseSigma = noiseSigma
    self.promotions = promotions
    self.holidays = holidays
  }
}
