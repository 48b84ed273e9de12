import Foundation

/// One fitted regression on the transformed scale: deterministic part (trend, holidays,
/// Fourier terms) plus an AR(p) model of its residuals for short horizons.
struct RegressionCore: Sendable {
  var design: SeasonalDesign
  var transform: ValueTransform
  var coefficients: [Double]
  var autoregressive: [Double]
  /// The lag (in points) of each AR coefficient.
  var autoregressiveLags: [Int]
  /// How many of the last `autoregressiveLags` are seasonal (a day, a week) and fitted in
  /// a first stage; the short lags then model what the seasonal stage leaves.
  var seasonalLagCount: Int = 0
  /// Residuals of the last training points (as many as the lags need), oldest first.
  var lastResiduals: [Double]
  /// Number of training points (the forecast starts at this index).
  var trainCount: Int
  var startSeconds: Double
  var intervalSeconds: Double
  var holidays: HolidayCalendar?

  /// Solves `(G + λ n diag(w) + jitter) β = b` by Cholesky; when that fails, by QR on the
  /// augmented system `[X; sqrt(λ n w + jitter) I] β ≈ [y; 0]` if `x` is given.
  static func ridgeSolve(
    gram: Matrix, rhs: Matrix, weights: [Double], penalty: Double, observations: Int,
    x: Matrix? = nil, y: [Double]? = nil
  ) throws(ForecastingError) -> [Double] {
    let p = gram.columns
    var trace = 0.0
    for j in 0..<p { trace += gram[j, j] }
    let jitter = 1e-10 * max(trace / Double(max(1, p)), 1e-12)
    var a = gram
    for j in 0..<p { a[j, j] += penalty * Double(observations) * weights[j] + jitter }
    do {
      return try a.choleskySolve(rhs).elements
    } catch {
      guard let x, let y else { throw error }
      var augmented = Matrix(rows: x.rows + p, columns: p)
      for j in 0..<p {
        for i in 0..<x.rows { augmented[i, j] = x[i, j] }
        augmented[x.rows + j, j] = (penalty * Double(observations) * weights[j] + jitter).squareRoot()
      }
      let target = Matrix(column: y + [Double](repeating: 0, count: p))
      return try augmented.leastSquares(target).elements
    }
  }

  /// Fits on the first `trainCount` values of `series` (NaN rows skipped).
  static func fit(
    series: ObservedSeries, trainCount: Int, design: SeasonalDesign, transform: ValueTransform,
    penalty: Double, changepointWeight: Double, autoregressiveLags: (short: [Int], seasonal: [Int]),
    holidays: HolidayCalendar?,
    recencyHalfLifePoints: Double? = nil, pointWeights: [Double]? = nil
  ) throws(ForecastingError) -> RegressionCore {
    let startSeconds = series.start.timeIntervalSince1970
    var indices: [Int] = []
    var y: [Double] = []
    indices.reserveCapacity(trainCount)
    for i in 0..<trainCount {
      let z = transform.forward(series.values[i])
      if z.isFinite { indices.append(i); y.append(z) }
    }
    guard indices.count > design.columnCount else {
      throw .tooShort(what: "A regression with \(design.columnCount) terms", expected: design.columnCount + 1, found: indices.count)
    }
    let x = design.matrix(
      indices: indices, startSeconds: startSeconds, intervalSeconds: series.intervalSeconds,
      trendSpan: trainCount, holidays: holidays)
    let weights = rootWeights(
      indices: indices, trainEnd: trainCount, halfLifePoints: recencyHalfLifePoints, pointWeights: pointWeights)
    let xw = weights.map { x.scalingRows(by: $0) } ?? x
    let yw = weights.map { w in zip(y, w).map { $0 * $1 } } ?? y
    let rhs = try xw.multiplied(by: Matrix(column: yw), transposingSelf: true)
    let beta = try ridgeSolve(
      gram: xw.gram(), rhs: rhs, weights: design.penaltyWeights(changepointWeight: changepointWeight),
      penalty: penalty, observations: effectiveCount(weights, indices.count), x: xw, y: yw)
    let fitted = try x.multiplied(by: Matrix(column: beta)).elements
    var residuals = [Double](repeating: 0, count: trainCount)  // missing points count as 0
    for (row, i) in indices.enumerated() { residuals[i] = y[row] - fitted[row] }
    let model = try fitResidualModel(
      residuals, lags: usableLags(autoregressiveLags, trainCount: trainCount),
      window: autoregressionWindow(intervalSeconds: series.intervalSeconds))
    return RegressionCore(
      design: design, transform: transform, coefficients: beta, autoregressive: model.coefficients,
      autoregressiveLags: model.lags, seasonalLagCount: model.seasonalCount,
      lastResiduals: Array(residuals.suffix(model.historyCount)), trainCount: trainCount, startSeconds: startSeconds,
      intervalSeconds: series.intervalSeconds, holidays: holidays)
  }

  /// Square roots of exponential-decay observation weights (1 at the end of training,
  /// 1/2 one half-life earlier); nil without a half-life.
  static func recencyWeights(indices: [Int], trainEnd: Int, halfLifePoints: Double?) -> [Double]? {
    guard let halfLifePoints, halfLifePoints > 0 else { return nil }
    return indices.map { (pow(0.5, Double(trainEnd - 1 - $0) / halfLifePoints)).squareRoot() }
  }

  /// Row scales: the square roots of the recency weight times the point's robust weight
  /// (`pointWeights`, by series index, see `RobustPrefit`); nil when both are absent.
  static func rootWeights(indices: [Int], trainEnd: Int, halfLifePoints: Double?, pointWeights: [Double]?) -> [Double]? {
    let recency = recencyWeights(indices: indices, trainEnd: trainEnd, halfLifePoints: halfLifePoints)
    guard let pointWeights else { return recency }
    return indices.enumerated().map { row, index in
      (recency?[row] ?? 1) * pointWeights[index].squareRoot()
    }
  }

  /// The sum of weights (squares of the row scales), for the ridge penalty's scale.
  static func effectiveCount(_ rootWeights: [Double]?, _ count: Int) -> Int {
    guard let rootWeights else { return count }
    return max(1, Int(rootWeights.reduce(0) { $0 + $1 * $1 }.rounded()))
  }

  /// The lags a `trainCount`-point fit can estimate (each under a third of the data).
  static func usableLags(_ lags: (short: [Int], seasonal: [Int]), trainCount: Int) -> (short: [Int], seasonal: [Int]) {
    (lags.short.filter { $0 >= 1 && 3 * $0 < trainCount }, lags.seasonal.filter { $0 >= 1 && 3 * $0 < trainCount })
  }

  /// The residual model, in two stages (a multiplicative seasonal AR): first an AR on the
  /// seasonal lags alone, so that their coefficients are the ones that matter many steps
  /// ahead, where the short lags have decayed (fitted jointly with lag 1, a one-step
  /// criterion, they come out near zero); then an AR on the short lags of what the
  /// seasonal stage leaves. `historyCount` residuals are needed to forecast.
  static func fitResidualModel(
    _ residuals: [Double], lags: (short: [Int], seasonal: [Int]), window: Int
  ) throws(ForecastingError) -> (lags: [Int], coefficients: [Double], seasonalCount: Int, historyCount: Int) {
    let short = lags.short, seasonal = lags.seasonal
    let psi = try fitAutoregression(residuals, lags: seasonal, window: window)
    let keptSeasonal = psi.isEmpty ? [] : seasonal
    var remainder = residuals
    if !psi.isEmpty {
      for t in residuals.indices {
        var s = 0.0
        for (j, lag) in keptSeasonal.enumerated() where t >= lag { s += psi[j] * residuals[t - lag] }
        remainder[t] = residuals[t] - s
      }
    }
    let phi = try fitAutoregression(remainder, lags: short, window: window)
    let keptShort = phi.isEmpty ? [] : short
    let maxSeasonal = keptSeasonal.max() ?? 0
    return (keptShort + keptSeasonal, phi + psi, keptSeasonal.count, maxSeasonal + (keptShort.max() ?? 0))
  }

  /// Least-squares AR on `residuals` at the given lags (the last `window` targets),
  /// shrunk if needed so that the sum of |φ| stays below 0.98 and the recursive forecast
  /// decays to zero.
  static func fitAutoregression(_ residuals: [Double], lags: [Int], window: Int) throws(ForecastingError) -> [Double] {
    let p = lags.count
    guard let maxLag = lags.max(), residuals.count > maxLag + 4 * p + 10 else { return [] }
    let first = max(maxLag, residuals.count - max(1, window))
    let rows = residuals.count - first
    // p is a handful of lags: plain loops beat BLAS calls here, and stay off OpenBLAS's
    // thread pool when many series fit in parallel.
    var gramValues = [Double](repeating: 0, count: p * p)
    var rhsValues = [Double](repeating: 0, count: p)
    residuals.withUnsafeBufferPointer { r in
      gramValues.withUnsafeMutableBufferPointer { g in
        rhsValues.withUnsafeMutableBufferPointer { c in
          lags.withUnsafeBufferPointer { lag in
            for t in first..<r.count {
              let target = r[t]
              for a in 0..<p {
                let x = r[t - lag[a]]
                c[a] += x * target
                for b in 0...a { g[a + b * p] += x * r[t - lag[b]] }
              }
            }
          }
        }
      }
    }
    var gram = Matrix(rows: p, columns: p)
    gram.elements = gramValues
    gram.mirrorLowerTriangle()
    let rhs = Matrix(column: rhsValues)
    var phi: [Double]
    do {
      phi = try ridgeSolve(
        gram: gram, rhs: rhs, weights: [Double](repeating: 1, count: p), penalty: 1e-6,
        observations: rows)
    } catch {
      return []  // residuals all zero or degenerate: no autoregression
    }
    let total = phi.reduce(0) { $0 + abs($1) }
    if total > 0.98 { phi = phi.map { $0 * 0.98 / total } }
    return phi
  }

  /// Residuals the AR model is fitted on: the last eight weeks, and at least 1,000 points
  /// (recent dynamics matter for short horizons; older residuals add cost, not accuracy).
  static func autoregressionWindow(intervalSeconds: Double) -> Int {
    max(1_000, Int((56 * 86_400 / intervalSeconds).rounded()))
  }

  /// Deterministic-part predictions (transformed scale) at the given indices.
  func deterministic(at indices: [Int]) -> [Double] {
    let x = design.matrix(
      indices: indices, startSeconds: startSeconds, intervalSeconds: intervalSeconds, trendSpan: trainCount,
      holidays: holidays)
    var out = [Double](repeating: 0, count: indices.count)
    for j in 0..<coefficients.count {
      let b = coefficients[j]
      for i in 0..<indices.count { out[i] += x.elements[i + j * indices.count] * b }
    }
    return out
  }

  /// Forecast of the next `steps` points on the transformed scale: deterministic part plus
  /// the AR residual forecast.
  func predictTransformed(steps: Int) -> [Double] {
    addingAutoregression(to: deterministic(at: Array(trainCount..<(trainCount + steps))))
  }

  /// `deterministic` plus the recursive AR forecast of the residuals.
  func addingAutoregression(to deterministic: [Double]) -> [Double] {
    var out = deterministic
    guard !autoregressive.isEmpty else { return out }
    if seasonalLagCount > 0 {
      let shortCount = autoregressiveLags.count - seasonalLagCount
      let shortLags = Array(autoregressiveLags[..<shortCount]), seasonalLags = Array(autoregressiveLags[shortCount...])
      let phi = Array(autoregressive[..<shortCount]), psi = Array(autoregressive[shortCount...])
      // r: residuals; e: what the seasonal stage leaves (known where the history reaches back).
      var r = lastResiduals
      let maxSeasonal = seasonalLags.max() ?? 0
      var e = [Double](repeating: 0, count: r.count)
      for t in stride(from: maxSeasonal, to: r.count, by: 1) {
        var s = 0.0
        for (j, lag) in seasonalLags.enumerated() { s += psi[j] * r[t - lag] }
        e[t] = r[t] - s
      }
      for h in out.indices {
        var s = 0.0, next = 0.0
        for (j, lag) in seasonalLags.enumerated() { s += psi[j] * r[r.count - lag] }
        for (j, lag) in shortLags.enumerated() { next += phi[j] * e[e.count - lag] }
        out[h] += s + next
        r.append(s + next)
        e.append(next)
      }
      return out
    }
    var history = lastResiduals
    history.reserveCapacity(history.count + out.count)
    for h in out.indices {
      var next = 0.0
      for (j, lag) in autoregressiveLags.enumerated() { next += autoregressive[j] * history[history.count - lag] }
      out[h] += next
      history.append(next)
    }
    return out
  }
}
