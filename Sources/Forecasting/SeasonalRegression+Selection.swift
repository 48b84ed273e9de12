import Foundation

extension SeasonalRegression {
  /// Time-series cross-validation over transforms, daily and weekly orders and ridge
  /// penalties. Per fold one design at the largest orders is built and one Gram matrix
  /// computed (syrk); every smaller design's Gram is a submatrix of it, so each candidate
  /// costs only a small Cholesky solve. Score: mean absolute error of the deterministic
  /// part on the fold's validation window, original units.
  static func select(
    _ series: ObservedSeries, horizon: Int, configuration: SeasonalRegressionConfiguration
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
    let full = SeasonalDesign(dailyOrder: dailyOrders.last!, weeklyOrder: weeklyOrders.last!, configuration: configuration)

    let minimum = minimumObservations(intervalSeconds: series.intervalSeconds)
    let validationLength = max(1, min(max(horizon, Int(perDay.rounded())), n / 4))
    let folds = (1...max(1, configuration.validationFolds)).filter { n - $0 * validationLength >= minimum }
    guard !folds.isEmpty else {
      throw .tooShort(what: "Cross-validation with a \(validationLength)-point window", expected: minimum + validationLength, found: n)
    }

    let halfLives = configuration.recencyHalfLifeDaysCandidates.isEmpty ? [nil] : configuration.recencyHalfLifeDaysCandidates
    struct Candidate {
      var isLog: Bool, daily: Int, weekly: Int, penalty: Double, halfLife: Int
      var error = 0.0, count = 0
    }
    var candidates: [Candidate] = []
    for h in halfLives.indices { for isLog in transforms { for d in dailyOrders { for w in weeklyOrders { for p in penalties {
      candidates.append(Candidate(isLog: isLog, daily: d, weekly: w, penalty: p, halfLife: h))
    } } } } }

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
      for (halfLifeIndex, halfLife) in halfLives.enumerated() {
      let rootWeights = RegressionCore.recencyWeights(
        indices: trainIndices, trainEnd: trainEnd, halfLifePoints: halfLife.map { $0 * perDay })
      let xw = rootWeights.map { x.scalingRows(by: $0) } ?? x
      let observations = RegressionCore.effectiveCount(rootWeights, trainIndices.count)
      let gram = xw.gram()
      for isLog in transforms {
        let transform = isLog ? logTransform : .identity
        var y = trainIndices.map { transform.forward(series.values[$0]) }
        if let rootWeights { for i in y.indices { y[i] *= rootWeights[i] } }
        let rhs = try xw.multiplied(by: Matrix(column: y), transposingSelf: true)
        for index in candidates.indices where candidates[index].isLog == isLog && candidates[index].halfLife == halfLifeIndex {
          let candidate = candidates[index]
          let sub = SeasonalDesign(dailyOrder: candidate.daily, weeklyOrder: candidate.weekly, configuration: configuration)
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
          var total = 0.0
          let rows = validationIndices.count
          for r in 0..<rows {
            var z = 0.0
            for (b, j) in columns.enumerated() { z += xValidation.elements[r + j * rows] * beta[b] }
            total += abs(transform.inverse(z) - actual[r])
          }
          candidates[index].error += total
          candidates[index].count += rows
        }
      }
      }
    }
    let scored = candidates.filter { $0.count > 0 && $0.error.isFinite }
    guard let best = scored.min(by: { $0.error / Double($0.count) < $1.error / Double($1.count) }) else {
      throw .tooShort(what: "Cross-validation", expected: minimum + validationLength, found: series.values.filter(\.isFinite).count)
    }
    let selection = ModelSelection(
      dailyOrder: best.daily, weeklyOrder: best.weekly, ridgePenalty: best.penalty, isLogTransformed: best.isLog,
      recencyHalfLifeDays: halfLives[best.halfLife], validationMAE: best.error / Double(best.count))
    let design = SeasonalDesign(dailyOrder: best.daily, weeklyOrder: best.weekly, configuration: configuration)
    return (selection, design)
  }

  /// Rolling-origin errors for the conformal intervals: origins ending `horizon` points
  /// before the end (or as far as the data allows), each refitted with the selected design
  /// and penalty. Origins are one day apart for horizons of a day or more; shorter
  /// horizons use back-to-back windows, enough of them for one full bucket (at most 200).
  static func calibrate(
    _ series: ObservedSeries, horizon: Int, design: SeasonalDesign, transform: ValueTransform, selection: ModelSelection,
    configuration: SeasonalRegressionConfiguration
  ) -> ConformalCalibration {
    let n = series.count
    let minimum = minimumObservations(intervalSeconds: series.intervalSeconds)
    let steps = max(1, min(horizon, n - minimum))
    let day = max(1, Int(series.pointsPerDay.rounded()))
    let spacing = steps >= day ? day : steps
    let needed = (configuration.minimumCalibrationSamples + steps - 1) / steps
    let originCount = steps >= day ? configuration.calibrationOrigins : min(200, max(configuration.calibrationOrigins, needed))
    var errorsByStep = [[Double]](repeating: [], count: steps)
    var products = 0.0, squares = 0.0
    for j in 0..<max(0, originCount) {
      let origin = n - steps - j * spacing
      guard origin >= minimum else { break }
      guard let core = try? fitCore(
        series, trainCount: origin, design: design, transform: transform, selection: selection,
        configuration: configuration)
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
