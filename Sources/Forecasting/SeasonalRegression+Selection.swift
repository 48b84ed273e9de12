import Foundation

extension SeasonalRegression {
  /// Time-series cross-validation over transforms, daily and weekly orders and ridge
  /// penalties. Per fold one design at the largest orders is built and one Gram matrix
  /// computed (syrk); every smaller design's Gram is a submatrix of it, so each candidate
  /// costs only a small Cholesky solve. Score: mean absolute error of the deterministic
  /// part on the fold's validation window, original units (every point counts, spikes
  /// too: the weighted fit must forecast what happened better to be chosen).
  static func select(
    _ series: ObservedSeries, horizon: Int, configuration: SeasonalRegressionConfiguration, robust: RobustPrefit = .none
  ) throws(ForecastingError) -> (ModelSelection, SeasonalDesign) {
    let n = series.count
    let perDay = series.pointsPerDay
    let maxDaily = perDay >= 3 ? max(1, Int((perDay / 2).rounded(.down)) - 1) : 0
    let maxWeekly = max(0, Int((7 * perDay / 2).rounded(.down)) - 1)
    func clamped(_ candidates: [Int], _ limit: Int) -> [Int] {
      let kept = Set(candidates.map { min(max(0, $0), limit) })
      return kept.isEmpty ? [0] : kept.sorted()
    }
    let dailyOrders = clamped(configuration.dailyOrderCandidates, maxDaily)
    let spanDays = Double(n) / perDay
    let weeklyOrders = spanDays < 9 ? [0] : clamped(configuration.weeklyOrderCandidates, maxWeekly)
    let penalties = configuration.ridgePenaltyCandidates.isEmpty ? [1e-4] : configuration.ridgePenaltyCandidates
    let transforms: [Bool] =
      switch configuration.transform {
      case .none: [false]
      case .log: [true]
      case .automatic: series.values.contains { $0.isFinite && $0 < 0 } ? [false] : [false, true]
      }
    let logTransform = ValueTransform.log(for: series.values)
    let full = SeasonalDesign(
      dailyOrder: dailyOrders.last!, weeklyOrder: weeklyOrders.last!, configuration: configuration,
      levelShiftIndex: robust.levelShiftIndex)

    let minimum = minimumObservations(intervalSeconds: series.intervalSeconds)
    let plan = ValidationPlan(
      count: n, horizon: horizon, pointsPerDay: perDay, minimum: minimum, validationFolds: configuration.validationFolds)
    let validationLength = plan.validationLength, folds = plan.folds
    guard !folds.isEmpty else {
      throw .tooShort(what: "Cross-validation with a \(validationLength)-point window", expected: minimum + validationLength, found: n)
    }

    let halfLives = configuration.recencyHalfLifeDaysCandidates.isEmpty ? [nil] : configuration.recencyHalfLifeDaysCandidates
    struct Candidate {
      var isLog: Bool, daily: Int, weekly: Int, penalty: Double, halfLife: Int, isRobust: Bool
      var error = 0.0, count = 0
      var blewUp = false
    }
    // With outliers found, each candidate is scored fitted with and without the robust
    // weights: down-weighting is a choice cross-validation makes, like recency.
    let robustness = robust.weights == nil ? [false] : [false, true]
    var candidates: [Candidate] = []
    for r in robustness { for h in halfLives.indices { for isLog in transforms { for d in dailyOrders { for w in weeklyOrders {
      for p in penalties {
        candidates.append(Candidate(isLog: isLog, daily: d, weekly: w, penalty: p, halfLife: h, isRobust: r))
      }
    } } } } }

    // Fall back to simpler terms on short data: a design needs three training points per
    // term in the shortest fold, or its fit on a shorter calibration prefix extrapolates.
    let shortest = plan.shortestTraining(count: n)
    let affordable = candidates.filter {
      3 * SeasonalDesign(
        dailyOrder: $0.daily, weeklyOrder: $0.weekly, configuration: configuration,
        levelShiftIndex: robust.levelShiftIndex
      ).columnCount <= shortest
    }
    if !affordable.isEmpty { candidates = affordable }

    let startSeconds = series.start.timeIntervalSince1970
    for fold in folds {
      let trainEnd = n - fold * validationLength
      let trainIndices = (0..<trainEnd).filter { series.values[$0].isFinite && logTransform.forward(series.values[$0]).isFinite }
      let validationIndices = (trainEnd..<(trainEnd + validationLength)).filter { series.values[$0].isFinite }
      guard trainIndices.count > full.columnCount, !validationIndices.isEmpty else { continue }
      let x = full.matrix(
        indices: trainIndices, startSeconds: startSeconds, intervalSeconds: series.intervalSeconds,
        trendSpan: trainEnd, holidays: configuration.holidays)
      let xValidation = full.matrix(
        indices: validationIndices, startSeconds: startSeconds, intervalSeconds: series.intervalSeconds,
        trendSpan: trainEnd, holidays: configuration.holidays)
      let actual = validationIndices.map { series.values[$0] }
      // Stability: a candidate that forecasts more than twice the fold history's plausible
      // ceiling anywhere in the window has blown up (an extrapolating trend or weekly
      // shape), however small its mean error; it is rejected.
      let ceiling = PlausibleCeiling(series.prefix(trainEnd))
      let blowUp = validationIndices.map { 2 * (ceiling?.value(step: $0 - trainEnd, mean: 0) ?? .infinity) }
      for isRobust in robustness { for (halfLifeIndex, halfLife) in halfLives.enumerated() {
      let rootWeights = RegressionCore.rootWeights(
        indices: trainIndices, trainEnd: trainEnd, halfLifePoints: halfLife.map { $0 * perDay },
        pointWeights: isRobust ? robust.weights : nil)
      let xw = rootWeights.map { x.scalingRows(by: $0) } ?? x
      let observations = RegressionCore.effectiveCount(rootWeights, trainIndices.count)
      let gram = xw.gram()
      for isLog in transforms {
        let transform = isLog ? logTransform : .identity
        var y = trainIndices.map { transform.forward(series.values[$0]) }
        if let rootWeights { for i in y.indices { y[i] *= rootWeights[i] } }
        let rhs = try xw.multiplied(by: Matrix(column: y), transposingSelf: true)
        for index in candidates.indices
        where candidates[index].isLog == isLog && candidates[index].halfLife == halfLifeIndex
          && candidates[index].isRobust == isRobust {
          let candidate = candidates[index]
          let sub = SeasonalDesign(
            dailyOrder: candidate.daily, weeklyOrder: candidate.weekly, configuration: configuration,
            levelShiftIndex: robust.levelShiftIndex)
          let columns = full.columnIndices(of: sub)
          var subGram = Matrix(rows: columns.count, columns: columns.count)
          for (b, j) in columns.enumerated() { for (a, i) in columns.enumerated() { subGram[a, b] = gram[i, j] } }
          let subRHS = Matrix(column: columns.map { rhs.elements[$0] })
          guard let beta = try? RegressionCore.ridgeSolve(
            gram: subGram, rhs: subRHS, weights: sub.penaltyWeights(changepointWeight: configuration.changepointPenaltyWeight),
            penalty: candidate.penalty, observations: observations)
          else {
            candidates[index].error = .infinity
            continue
          }
          var total = 0.0, blewUp = false
          let rows = validationIndices.count
          for r in 0..<rows {
            var z = 0.0
            for (b, j) in columns.enumerated() { z += xValidation.elements[r + j * rows] * beta[b] }
            let predicted = transform.inverse(z)
            if !(predicted <= blowUp[r]) { blewUp = true }
            total += abs(predicted - actual[r])
          }
          candidates[index].error += total
          candidates[index].blewUp = candidates[index].blewUp || blewUp
          candidates[index].count += rows
        }
      }
      } }
    }
    let finite = candidates.filter { $0.count > 0 && $0.error.isFinite }
    let stable = finite.filter { !$0.blewUp }
    let scored = stable.isEmpty ? finite : stable
    guard let best = scored.min(by: { $0.error / Double($0.count) < $1.error / Double($1.count) }) else {
      throw .tooShort(what: "Cross-validation", expected: minimum + validationLength, found: series.values.filter(\.isFinite).count)
    }
    let selection = ModelSelection(
      dailyOrder: best.daily, weeklyOrder: best.weekly, ridgePenalty: best.penalty, isLogTransformed: best.isLog,
      recencyHalfLifeDays: halfLives[best.halfLife], validationMAE: best.error / Double(best.count),
      levelShiftIndex: robust.levelShiftIndex, downweightedPoints: best.isRobust ? robust.downweightedCount : 0)
    let design = SeasonalDesign(
      dailyOrder: best.daily, weeklyOrder: best.weekly, configuration: configuration,
      levelShiftIndex: robust.levelShiftIndex)
    return (selection, design)
  }

  /// Rolling-origin errors for the conformal intervals: the origins of `CalibrationPlan`,
  /// each refitted with the selected design and penalty.
  static func calibrate(
    _ series: ObservedSeries, horizon: Int, design: SeasonalDesign, transform: ValueTransform, selection: ModelSelection,
    configuration: SeasonalRegressionConfiguration, pointWeights: [Double]? = nil
  ) -> ConformalCalibration {
    let plan = CalibrationPlan(
      count: series.count, horizon: horizon, pointsPerDay: series.pointsPerDay, design: design,
      configuration: configuration)
    let steps = plan.steps
    var errorsByStep = [[Double]](repeating: [], count: steps)
    var products = 0.0, squares = 0.0
    for origin in plan.origins {
      guard let core = try? fitCore(
        series, trainCount: origin, design: design, transform: transform, selection: selection,
        configuration: configuration, pointWeights: pointWeights)
      else { continue }
      let predicted = core.predictTransformed(steps: steps)
      var previous = Double.nan
      for h in 0..<steps {
        let actual = transform.forward(series.values[origin + h])
        let error = actual - predicted[h]
        if actual.isFinite { errorsByStep[h].append(error) }
        if error.isFinite && previous.isFinite {
          products += error * previous
          squares += error * error
        }
        previous = error
      }
    }
    return ConformalCalibration(
      errorsByStep: errorsByStep, minimumSamples: configuration.minimumCalibrationSamples,
      lagOneCorrelation: squares > 0 ? products / squares : 0)
  }
}
