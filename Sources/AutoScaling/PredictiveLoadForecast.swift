import Simulation

/// What one forecast refresh sees: the group's hourly load history up to the refresh.
public struct PredictiveForecastRequest: Sendable, Equatable {
  /// Mean load of each whole hour before the refresh, demand units per minute, oldest
  /// first: the last `min(refreshHour, 336)` hours (at least 24).
  public var history: [Double]
  /// Index of the hour that starts at the refresh (hours since engine time 0). `history`
  /// covers hours `refreshHour - history.count ..< refreshHour`.
  public var refreshHour: Int
  /// Hourly values to return (48).
  public var horizonHours: Int

  public init(history: [Double], refreshHour: Int, horizonHours: Int) {
    self.history = history
    self.refreshHour = refreshHour
    self.horizonHours = horizonHours
  }

  /// Index of the first hour in `history`.
  public var firstHistoryHour: Int { refreshHour - history.count }
}

/// Forecasts hourly load for predictive scaling. Injected so that tests can use exact
/// hand-made forecasts; `SeasonalRegressionLoadForecaster` is the default.
public protocol PredictiveLoadForecaster: Sendable {
  /// Load for hours `request.refreshHour ..< request.refreshHour + request.horizonHours`,
  /// demand units per minute, exactly `horizonHours` values. Negative or non-finite
  /// values are read as 0.
  func forecastLoad(_ request: PredictiveForecastRequest) -> [Double]
}

/// The load forecasts predictive scaling acts on, for one demand series: every 6 hours
/// from engine time 0, once 24 hours of history exist, a forecast of the next 48 hourly
/// loads from the last (up to) 14 days of hourly load (ASG-UG "Predictive scaling").
///
/// The forecast depends only on demand, never on a policy: build it once per demand series
/// and pass it to every variant (`FleetSimulationInput.predictiveForecast`); each variant
/// turns load into capacity with its own metric and target.
///
/// Load is the demand offered to the group (not capped by the fleet's capacity), the
/// "load metric" of AWS's metric pair.
///
/// - Complexity: O(ticks) to bucket the demand, plus one forecaster call per refresh
///   (`ceil((duration - 24 h) / 6 h)` calls).
public struct PredictiveLoadForecast: Sendable, Equatable {
  public static let refreshIntervalSeconds: SimTime = SimTime.hours(6)
  public static let horizonHours = 48
  public static let minimumHistoryHours = 24
  public static let maximumHistoryHours = 14 * 24

  /// One refresh's forecast.
  public struct Issue: Sendable, Equatable {
    /// Engine seconds of the refresh, a whole hour.
    public var issuedAt: SimTime
    /// Load for the hours from `issuedAt` on, demand units per minute (finite, >= 0).
    public var loadPerMinute: [Double]

    public init(issuedAt: SimTime, loadPerMinute: [Double]) {
      self.issuedAt = issuedAt
      self.loadPerMinute = loadPerMinute
    }

    /// Index of the hour that starts at `issuedAt`.
    public var firstHour: Int { Int((issuedAt / 3_600).rounded(.down)) }

    /// The forecast load of hour `hour`, nil outside the issue's horizon.
    public func load(hour: Int) -> Double? {
      let offset = hour - firstHour
      return offset >= 0 && offset < loadPerMinute.count ? loadPerMinute[offset] : nil
    }
  }

  /// Mean demand of each hour the demand touches, units per minute (hour `h` covers
  /// engine seconds `[3600 h, 3600 (h + 1))`; a last partial hour is the mean of its part).
  public var hourlyLoadPerMinute: [Double]
  /// Refreshes in time order.
  public var issues: [Issue]
  /// The demand grid this forecast was built from; a simulation must use the same.
  public var tickSeconds: SimTime
  public var tickCount: Int

  /// A forecast given directly (e.g. computed elsewhere); `issues` sorted by `issuedAt`.
  public init(hourlyLoadPerMinute: [Double], issues: [Issue], tickSeconds: SimTime, tickCount: Int) {
    self.hourlyLoadPerMinute = hourlyLoadPerMinute
    self.issues = issues
    self.tickSeconds = tickSeconds
    self.tickCount = tickCount
  }

  /// Buckets `demandPerMinute` (one value per tick) into hourly load and runs `forecaster`
  /// at every refresh that has at least 24 whole hours of history, giving it only the
  /// history up to the refresh.
  public init(
    demandPerMinute: [Double], tickSeconds: SimTime, forecaster: some PredictiveLoadForecaster
  ) {
    precondition(tickSeconds > 0, "tickSeconds must be > 0, got \(tickSeconds)")
    let durationSeconds = Double(demandPerMinute.count) * tickSeconds
    let hourCount = Int((durationSeconds / 3_600).rounded(.up))
    var sums = [Double](repeating: 0, count: hourCount)
    var covered = [Double](repeating: 0, count: hourCount)
    for (k, value) in demandPerMinute.enumerated() {
      HourlyBuckets.add(value, tickIndex: k, tickSeconds: tickSeconds, to: &sums, weights: &covered)
    }
    let hourly = zip(sums, covered).map { $1 > 0 ? $0 / $1 : 0 }
    var issues: [Issue] = []
    let refreshHours = Int(Self.refreshIntervalSeconds / 3_600)
    var refreshHour = Self.minimumHistoryHours
    while Double(refreshHour) * 3_600 < durationSeconds {
      let historyStart = max(0, refreshHour - Self.maximumHistoryHours)
      let request = PredictiveForecastRequest(
        history: Array(hourly[historyStart..<refreshHour]), refreshHour: refreshHour, horizonHours: Self.horizonHours)
      let values = forecaster.forecastLoad(request)
      precondition(
        values.count == Self.horizonHours,
        "a PredictiveLoadForecaster returned \(values.count) values for a \(Self.horizonHours)-hour horizon")
      issues.append(
        Issue(issuedAt: Double(refreshHour) * 3_600, loadPerMinute: values.map { $0.isFinite && $0 > 0 ? $0 : 0 }))
      refreshHour += refreshHours
    }
    self.init(
      hourlyLoadPerMinute: hourly, issues: issues, tickSeconds: tickSeconds, tickCount: demandPerMinute.count)
  }

  /// The latest issue at or before `time` (index into `issues`), starting the search at
  /// `hint`; nil when none is.
  func latestIssue(atOrBefore time: SimTime, from hint: inout Int) -> Int? {
    while hint < issues.count && issues[hint].issuedAt <= time { hint += 1 }
    return hint > 0 ? hint - 1 : nil
  }
}

/// Time-weighted hourly means of per-tick values (ticks need not divide an hour).
enum HourlyBuckets {
  /// Adds `value` weighted by the seconds tick `tickIndex` overlaps each hour.
  @inline(__always)
  static func add(
    _ value: Double, tickIndex k: Int, tickSeconds: SimTime, to sums: inout [Double], weights: inout [Double]
  ) {
    let start = Double(k) * tickSeconds
    let end = start + tickSeconds
    var hour = Int(start / 3_600)
    while hour < sums.count {
      let overlap = min(end, Double(hour + 1) * 3_600) - max(start, Double(hour) * 3_600)
      if overlap <= 0 { break }
      sums[hour] += value * overlap
      weights[hour] += overlap
      hour += 1
    }
  }
}
