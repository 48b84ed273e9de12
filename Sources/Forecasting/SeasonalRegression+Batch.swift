import Foundation

extension SeasonalRegression {
  /// Fits many series on one grid (same start, interval and count) in one pass.
  ///
  /// The batch shares one model choice and one design matrix `X`: orders, penalty,
  /// transform and recency weighting are chosen by cross-validation on the batch's sum
  /// (unless `selection` is given); then per training window one Gram matrix (syrk), one
  /// GEMM for `X^T Y` over all series, one Cholesky factorization solved for every series
  /// at once, and one GEMM for the fitted values. Residual AR models and forecasts run in
  /// parallel across cores. Each series keeps its own coefficients, AR terms, log offset
  /// and conformal calibration (from the same rolling origins as `fit`). A series with a
  /// missing value (NaN) is fitted on its own with `fit`.
  /// - Complexity: per window O(n p^2 + n p m), n points, p columns, m series.
  public static func fitBatch(
    _ batch: [ObservedSeries], horizon: Int, selection: ModelSelection? = nil,
    configuration: SeasonalRegressionConfiguration = .init()
  ) throws(ForecastingError) -> [SeasonalRegression] {
    guard let first = batch.first else { return [] }
    for (index, series) in batch.enumerated()
    where series.count != first.count || series.start != first.start || series.intervalSeconds != first.intervalSeconds {
      throw .dimensionMismatch(
        operation: "batch fit", expected: "every series on the grid of series 0 (\(first.count) points from \(first.start), \(first.intervalSeconds) s)",
        found: "series \(index) with \(series.count) points from \(series.start), \(series.intervalSeconds) s")
    }
    for series in batch { try validate(series, horizon: horizon) }
    let complete = batch.indices.filter { batch[$0].values.allSatisfy(\.isFinite) }
    var total = first
    total.values = [Double](repeating: 0, count: first.count)
    for i in complete { for t in 0..<first.count { total.values[t] += batch[i].values[t] } }
    let chosen: ModelSelection
    if let selection { chosen = selection } else { chosen = try select(complete.isEmpty ? first : total, horizon: horizon, configuration: configuration).0 }
    let design = SeasonalDesign(dailyOrder: chosen.dailyOrder, weeklyOrder: chosen.weeklyOrder, configuration: configuration)
    let members = complete.map { batch[$0] }
    let transforms = members.map { chosen.isLogTransformed ? ValueTransform.log(for: $0.values) : .identity }

    let transformed = try transformedColumns(members, transforms: transforms)
    let cores = try batchCores(
      members, transformed: transformed, transforms: transforms, trainCount: first.count, design: design,
      selection: chosen, configuration: configuration
    ).cores
    // Calibration: the same origins as `calibrate`, each a batched refit.
    let n = first.count
    let plan = CalibrationPlan(
      count: n, horizon: horizon, pointsPerDay: first.pointsPerDay, design: design, configuration: configuration)
    let steps = plan.steps
    var errors = [[[Double]]](repeating: [[Double]](repeating: [], count: steps), count: members.count)
    var products = [Double](repeating: 0, count: members.count), squares = products
    for origin in plan.origins {
      guard let (originCores, beta) = try? batchCores(
        members, transformed: transformed, transforms: transforms, trainCount: origin, design: design,
        selection: chosen, configuration: configuration)
      else { continue }
      // One design for the window ahead, one GEMM for every series' deterministic part.
      let ahead = design.matrix(
        indices: Array(origin..<(origin + steps)), startSeconds: first.start.timeIntervalSince1970,
        intervalSeconds: first.intervalSeconds, trendSpan: origin, holidays: configuration.holidays)
      let deterministic = try ahead.multiplied(by: beta)
      let predictions = try parallelMap(Array(originCores.indices)) { s in
        originCores[s].addingAutoregression(to: deterministic.column(s))
      }
      for s in members.indices {
        var previous = Double.nan
        for h in 0..<steps {
          let error = transformed.elements[origin + h + s * n] - predictions[s][h]
          if error.isFinite { errors[s][h].append(error) }
          if error.isFinite && previous.isFinite { products[s] += error * previous; squares[s] += error * error }
          previous = error
        }
      }
    }
    var results = [SeasonalRegression?](repeating: nil, count: batch.count)
    for (s, index) in complete.enumerated() {
      let calibration = ConformalCalibration(
        errorsByStep: errors[s], minimumSamples: configuration.minimumCalibrationSamples,
        lagOneCorrelation: squares[s] > 0 ? products[s] / squares[s] : 0)
      results[index] = SeasonalRegression(
        configuration: configuration, selection: chosen, calibration: calibration, core: cores[s], series: batch[index])
    }
    for index in batch.indices where results[index] == nil {
      results[index] = try fit(batch[index], horizon: horizon, configuration: configuration)
    }
    return results.map { $0! }
  }

  /// The batch's values on each series' model scale, one column per series (all points).
  static func transformedColumns(_ members: [ObservedSeries], transforms: [ValueTransform]) throws(ForecastingError) -> Matrix {
    let n = members.first?.count ?? 0
    var y = Matrix(rows: n, columns: members.count)
    for (s, series) in members.enumerated() {
      for t in 0..<n {
        let z = transforms[s].forward(series.values[t])
        guard z.isFinite else {
          throw .invalidArgument(
            name: "batch series \(s) value \(t)", expected: "a finite value on the model's scale", found: "\(series.values[t])")
        }
        y.elements[t + s * n] = z
      }
    }
    return y
  }

  /// One shared design for all `members`' first `trainCount` points (`transformed` holds
  /// every point on the model scale, one column per series): one syrk, one GEMM for
  /// `X^T Y` reading the first `trainCount` rows of `transformed` in place, one Cholesky
  /// with every series as a right-hand side; fitted values only for the rows the AR
  /// models need.
  static func batchCores(
    _ members: [ObservedSeries], transformed: Matrix, transforms: [ValueTransform], trainCount: Int,
    design: SeasonalDesign, selection: ModelSelection, configuration: SeasonalRegressionConfiguration
  ) throws(ForecastingError) -> (cores: [RegressionCore], coefficients: Matrix) {
    guard let first = members.first else { return ([], Matrix(rows: 0, columns: 0)) }
    let startSeconds = first.start.timeIntervalSince1970
    let indices = Array(0..<trainCount)
    let x = design.matrix(
      indices: indices, startSeconds: startSeconds, intervalSeconds: first.intervalSeconds,
      trendSpan: trainCount, holidays: configuration.holidays)
    let rootWeights = RegressionCore.recencyWeights(
      indices: indices, trainEnd: trainCount, halfLifePoints: selection.recencyHalfLifeDays.map { $0 * first.pointsPerDay })
    let rhs: Matrix
    let gramBase: Matrix
    if let rootWeights {
      let xw = x.scalingRows(by: rootWeights)
      var y = Matrix(rows: trainCount, columns: members.count)
      for s in members.indices {
        for t in 0..<trainCount { y.elements[t + s * trainCount] = transformed.elements[t + s * transformed.rows] * rootWeights[t] }
      }
      rhs = try xw.multiplied(by: y, transposingSelf: true)
      gramBase = xw.gram()
    } else {
      rhs = try x.transposedProduct(withLeadingRowsOf: transformed)
      gramBase = x.gram()
    }
    var gram = gramBase
    let p = design.columnCount
    var trace = 0.0
    for j in 0..<p { trace += gram[j, j] }
    let jitter = 1e-10 * max(trace / Double(max(1, p)), 1e-12)
    let weights = design.penaltyWeights(changepointWeight: configuration.changepointPenaltyWeight)
    let observations = RegressionCore.effectiveCount(rootWeights, trainCount)
    for j in 0..<p { gram[j, j] += selection.ridgePenalty * Double(observations) * weights[j] + jitter }
    let beta = try gram.choleskySolve(rhs)

    let lags = RegressionCore.usableLags(autoregressiveLags(first, configuration), trainCount: trainCount)
    let window = RegressionCore.autoregressionWindow(intervalSeconds: first.intervalSeconds)
    let tailStart = max(0, trainCount - window - (lags.short.max() ?? 0) - (lags.seasonal.max() ?? 0))
    let tail = design.matrix(
      indices: Array(tailStart..<trainCount), startSeconds: startSeconds, intervalSeconds: first.intervalSeconds,
      trendSpan: trainCount, holidays: configuration.holidays)
    let fitted = try tail.multiplied(by: beta)
    let tailCount = trainCount - tailStart
    let cores = try parallelMap(Array(members.indices)) { s throws(ForecastingError) -> RegressionCore in
      var residuals = [Double](repeating: 0, count: tailCount)
      for t in 0..<tailCount {
        residuals[t] = transformed.elements[tailStart + t + s * transformed.rows] - fitted.elements[t + s * tailCount]
      }
      let model = try RegressionCore.fitResidualModel(residuals, lags: lags, window: window)
      return RegressionCore(
        design: design, transform: transforms[s], coefficients: beta.column(s), autoregressive: model.coefficients,
        autoregressiveLags: model.lags, seasonalLagCount: model.seasonalCount,
        lastResiduals: Array(residuals.suffix(model.historyCount)),
        trainCount: trainCount, startSeconds: startSeconds,
        intervalSeconds: first.intervalSeconds, holidays: configuration.holidays)
    }
    return (cores, beta)
  }
}
