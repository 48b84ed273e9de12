/// Where cross-validation and the rolling-origin calibration refit, shared by `fit` and
/// `fitBatch` so that both calibrate on the same origins.
struct ValidationPlan: Sendable, Equatable {
  /// Points in each validation window.
  var validationLength: Int
  /// Fold numbers `k` (training ends `k * validationLength` points before the end).
  var folds: [Int]

  init(count n: Int, horizon: Int, pointsPerDay: Double, minimum: Int, validationFolds: Int) {
    validationLength = max(1, min(max(horizon, Int(pointsPerDay.rounded())), n / 4))
    let length = validationLength
    folds = (1...max(1, validationFolds)).filter { n - $0 * length >= minimum }
  }

  /// The shortest training window cross-validation scored a model on.
  func shortestTraining(count n: Int) -> Int { n - (folds.max() ?? 0) * validationLength }
}

/// Rolling origins for the conformal calibration: each origin refits the chosen model on
/// the points before it and forecasts `steps` points.
///
/// A refit on a much shorter prefix than the model was chosen on does not measure the
/// model's error: with few points per term it extrapolates wildly (on 28 days, a prefix of
/// 5 days fitting 48 weekly harmonics missed by 20 times the peak), and those errors become
/// the intervals and the sample paths. So every origin keeps at least `minimumTraining`
/// points: three per regression term (model selection only offers designs that the
/// shortest cross-validation fold can afford at that rate), and never more than the
/// shortest training window cross-validation scored the model on (that length is known
/// to work). When the data cannot give `calibrationOrigins` origins of the full
/// horizon above that floor, the calibrated horizon is shortened first (later steps use
/// the last bucket's errors) so that at least `minimumOrigins` origins remain.
struct CalibrationPlan: Sendable, Equatable {
  /// Forecast steps each origin scores.
  var steps: Int
  /// Training lengths of the refits, latest first.
  var origins: [Int]
  /// The fewest training points of any origin.
  var minimumTraining: Int

  static let minimumOrigins = 5

  init(
    count n: Int, horizon: Int, pointsPerDay: Double, design: SeasonalDesign,
    configuration: SeasonalRegressionConfiguration
  ) {
    let minimum = SeasonalRegression.minimumObservations(intervalSeconds: 86_400 / pointsPerDay)
    let validation = ValidationPlan(
      count: n, horizon: horizon, pointsPerDay: pointsPerDay, minimum: minimum,
      validationFolds: configuration.validationFolds)
    let day = max(1, Int(pointsPerDay.rounded()))
    let floor = max(minimum, 3 * design.columnCount)
    let scored = validation.folds.isEmpty ? minimum : validation.shortestTraining(count: n)
    let minimumTraining = max(minimum, min(floor, scored))
    self.minimumTraining = minimumTraining
    let room = max(0, n - minimumTraining)
    // Daily spacing when a day's steps fit beside `minimumOrigins - 1` days; otherwise
    // back-to-back windows.
    var steps = max(1, min(horizon, room))
    if steps >= day {
      let spared = room - (Self.minimumOrigins - 1) * day
      steps = spared >= day ? min(steps, spared) : max(1, room / Self.minimumOrigins)
    }
    let spacing = steps >= day ? day : steps
    let needed = (configuration.minimumCalibrationSamples + steps - 1) / steps
    let originCount =
      steps >= day ? configuration.calibrationOrigins : min(200, max(configuration.calibrationOrigins, needed))
    self.steps = steps
    origins = (0..<max(0, originCount)).map { n - steps - $0 * spacing }.filter { $0 >= minimumTraining }
  }
}
