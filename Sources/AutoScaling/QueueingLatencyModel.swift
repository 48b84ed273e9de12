import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Latency of one instance as an M/G/c queue, tabulated over utilization so that the
/// queueing fidelity pays a table look-up per tick.
///
/// Model (per instance, `c` workers, utilization rho, service time S with mean m and
/// squared coefficient of variation cs2):
/// - P(wait) = Erlang C(c, c rho), exact for M/M/c;
/// - a waiting request waits Exp(theta), theta = c (1 - rho) / m x 2 / (1 + cs2): the
///   M/M/c conditional wait with its mean scaled by (1 + cs2) / 2 (Allen-Cunneen's
///   correction for service-time variability);
/// - latency T = wait + S, so P(T > t) = (1 - Pw) P(S > t) + Pw P(E + S > t).
/// Exact for exponential service (M/M/c); for other service times it is the usual
/// two-moment approximation (docs/latency.md says where it is weak).
///
/// Tables (built once per model, SLO and timeout, and shared through a process-wide cache):
/// - per fine utilization bin (4,096 bins over [0, 1)): P(wait), P(T > SLO latency),
///   P(T > delay threshold), P(wait > timeout), and the coarse bins it spreads over;
/// - per coarse bin (x = -ln(1 - rho) in steps of 0.05, up to rho = 0.9999): the tail
///   P(T > t) on a log grid of t (320 points from m/1000 to m x 10^5, ratio 1.059),
///   from which the run's and each tick's percentiles are read.
final class QueueingLatencyModel: Sendable {
  static let fineBins = 4_096
  static let coarseStep = 0.05
  static let coarseBins = 185
  static let gridPoints = 320
  static let gridDecades = 8.0

  let workers: Int
  let meanSeconds: Double
  let service: ServingModel.ServiceTime
  /// S as weighted points (for P(E + S > t)); exact tails use ``serviceTail(_:)``.
  let points: [Double]
  let weights: [Double]
  let sortedSamples: [Double]
  let logMean: Double
  let logSigma: Double

  let grid: [Double]
  let gridLogStart: Double
  let gridLogStep: Double
  /// coarseTail[b * gridPoints + g] = P(T > grid[g]) at coarse utilization b.
  let coarseTail: [Double]
  let coarseRho: [Double]

  let waitProbability: [Double]
  let tailAtSLO: [Double]
  let tailAtThreshold: [Double]
  let timeoutProbability: [Double]
  let coarseLower: [Int32]
  let coarseFraction: [Double]

  /// Quantiles of S used for saturated ticks (latency = backlog wait + S).
  let serviceP50: Double
  let serviceP99: Double

  struct Key: Hashable {
    var service: ServingModel.ServiceTime
    var workers: Int
    var sloSeconds: Double
    var thresholdSeconds: Double
    var timeoutSeconds: Double
  }

  static let cache = Mutex<[Key: QueueingLatencyModel]>([:])

  static func shared(_ model: ServingModel, sloSeconds: Double, thresholdSeconds: Double) -> QueueingLatencyModel {
    let key = Key(
      service: model.serviceTime, workers: model.workersPerInstance, sloSeconds: sloSeconds,
      thresholdSeconds: thresholdSeconds, timeoutSeconds: model.timeoutSeconds ?? .infinity)
    if let found = cache.withLock({ $0[key] }) { return found }
    let built = QueueingLatencyModel(key)
    return cache.withLock { cache in
      if cache.count > 64 { cache.removeAll() }
      if let found = cache[key] { return found }
      cache[key] = built
      return built
    }
  }

  private init(_ key: Key) {
    workers = key.workers
    service = key.service
    meanSeconds = key.service.meanSeconds
    let m = meanSeconds
    var points: [Double] = []
    var weights: [Double] = []
    var sorted: [Double] = []
    var logMean = 0.0
    var logSigma = 0.0
    switch key.service {
    case .exponential(let mean):
      // Points on a uniform grid of u = -ln(1 - p), weights the probability of each cell.
      for i in 0..<160 {
        let u0 = Double(i) * 0.1
        let u1 = u0 + 0.1
        points.append(mean * (u0 + 0.05))
        weights.append(exp(-u0) - (i == 159 ? 0 : exp(-u1)))
      }
    case .lognormal(let mean, let cv):
      let sigma2 = log(1 + cv * cv)
      logSigma = sigma2.squareRoot()
      logMean = log(mean) - sigma2 / 2
      var total = 0.0
      for i in 0...160 {
        let z = -8 + Double(i) * 0.1
        points.append(exp(logMean + logSigma * z))
        let w = exp(-z * z / 2)
        weights.append(w)
        total += w
      }
      weights = weights.map { $0 / total }
    case .empirical(let samples):
      sorted = samples.sorted()
      let count = min(sorted.count, 400)
      for i in 0..<count {
        let lo = i * sorted.count / count
        let hi = (i + 1) * sorted.count / count
        points.append(sorted[lo..<hi].reduce(0, +) / Double(hi - lo))
        weights.append(Double(hi - lo) / Double(sorted.count))
      }
    }
    self.points = points
    self.weights = weights
    self.sortedSamples = sorted
    self.logMean = logMean
    self.logSigma = logSigma

    let logStart = log(m) - 3 * log(10)
    let logStep = Self.gridDecades * log(10) / Double(Self.gridPoints - 1)
    gridLogStart = logStart
    gridLogStep = logStep
    let grid = (0..<Self.gridPoints).map { exp(logStart + Double($0) * logStep) }
    self.grid = grid

    let c = key.workers
    let cs2 = key.service.squaredCoefficientOfVariation
    func theta(_ rho: Double) -> Double { Double(c) * (1 - rho) / m * 2 / (1 + cs2) }

    coarseRho = (0..<Self.coarseBins).map { 1 - exp(-Double($0) * Self.coarseStep) }
    var coarseTail = [Double](repeating: 0, count: Self.coarseBins * Self.gridPoints)
    let serviceTails = grid.map { Self.serviceTail($0, key.service, logMean, logSigma, sorted) }
    for b in 0..<Self.coarseBins {
      let rho = coarseRho[b]
      let pw = Self.erlangC(workers: c, load: Double(c) * rho)
      let th = theta(rho)
      for g in 0..<Self.gridPoints {
        let t = grid[g]
        coarseTail[b * Self.gridPoints + g] =
          pw > 0 ? (1 - pw) * serviceTails[g] + pw * Self.sumTail(t, th, serviceTails[g], points, weights)
          : serviceTails[g]
      }
    }
    self.coarseTail = coarseTail

    var waitProbability = [Double](repeating: 0, count: Self.fineBins + 1)
    var tailAtSLO = waitProbability
    var tailAtThreshold = waitProbability
    var timeoutProbability = waitProbability
    var coarseLower = [Int32](repeating: 0, count: Self.fineBins + 1)
    var coarseFraction = waitProbability
    let sloTail = Self.serviceTail(key.sloSeconds, key.service, logMean, logSigma, sorted)
    let thresholdTail = Self.serviceTail(key.thresholdSeconds, key.service, logMean, logSigma, sorted)
    for f in 0...Self.fineBins {
      let rho = min(Double(f) / Double(Self.fineBins), 0.9999)
      let pw = Self.erlangC(workers: c, load: Double(c) * rho)
      let th = theta(rho)
      waitProbability[f] = pw
      func tail(_ t: Double, _ st: Double) -> Double {
        t.isFinite ? (1 - pw) * st + pw * Self.sumTail(t, th, st, points, weights) : 0
      }
      tailAtSLO[f] = tail(key.sloSeconds, sloTail)
      tailAtThreshold[f] = tail(key.thresholdSeconds, thresholdTail)
      timeoutProbability[f] = key.timeoutSeconds.isFinite ? pw * exp(-th * key.timeoutSeconds) : 0
      let x = min(-log(1 - rho) / Self.coarseStep, Double(Self.coarseBins - 1))
      let lower = min(Int(x), Self.coarseBins - 2)
      coarseLower[f] = Int32(lower)
      coarseFraction[f] = x - Double(lower)
    }
    self.waitProbability = waitProbability
    self.tailAtSLO = tailAtSLO
    self.tailAtThreshold = tailAtThreshold
    self.timeoutProbability = timeoutProbability
    self.coarseLower = coarseLower
    self.coarseFraction = coarseFraction

    serviceP50 = Self.serviceQuantile(0.5, key.service, logMean, logSigma, sorted)
    serviceP99 = Self.serviceQuantile(0.99, key.service, logMean, logSigma, sorted)
  }

  /// P(E + S > t) for E ~ Exp(theta): P(S > t) + E[exp(-theta (t - S)); S <= t].
  static func sumTail(_ t: Double, _ theta: Double, _ serviceTail: Double, _ points: [Double], _ weights: [Double]) -> Double {
    var sum = serviceTail
    for j in points.indices where points[j] <= t {
      sum += weights[j] * exp(-theta * (t - points[j]))
    }
    return min(1, sum)
  }

  /// P(S > t), exact for each distribution.
  static func serviceTail(
    _ t: Double, _ service: ServingModel.ServiceTime, _ logMean: Double, _ logSigma: Double, _ sorted: [Double]
  ) -> Double {
    guard t.isFinite else { return 0 }
    guard t > 0 else { return 1 }
    switch service {
    case .exponential(let mean):
      return exp(-t / mean)
    case .lognormal:
      return 0.5 * erfc((log(t) - logMean) / (logSigma * 2.0.squareRoot()))
    case .empirical:
      var low = 0
      var high = sorted.count
      while low < high {
        let mid = (low + high) / 2
        if sorted[mid] <= t { low = mid + 1 } else { high = mid }
      }
      return Double(sorted.count - low) / Double(sorted.count)
    }
  }

  func serviceTail(_ t: Double) -> Double {
    Self.serviceTail(t, service, logMean, logSigma, sortedSamples)
  }

  static func serviceQuantile(
    _ p: Double, _ service: ServingModel.ServiceTime, _ logMean: Double, _ logSigma: Double, _ sorted: [Double]
  ) -> Double {
    switch service {
    case .exponential(let mean):
      return -mean * log(1 - p)
    case .lognormal:
      // z = the standard normal p-quantile, by bisection on erfc.
      var low = -10.0
      var high = 10.0
      for _ in 0..<100 {
        let mid = (low + high) / 2
        if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { low = mid } else { high = mid }
      }
      return exp(logMean + logSigma * (low + high) / 2)
    case .empirical:
      let rank = max(1, Int((p * Double(sorted.count) - 1e-9).rounded(.up)))
      return sorted[rank - 1]
    }
  }

  /// Erlang C: the probability that an arrival waits in M/M/c with offered load `load`
  /// (Erlangs, < workers), from the stable Erlang B recursion.
  static func erlangC(workers c: Int, load a: Double) -> Double {
    guard a > 0 else { return 0 }
    guard a < Double(c) else { return 1 }
    var b = 1.0
    for k in 1...c { b = a * b / (Double(k) + a * b) }
    let rho = a / Double(c)
    return b / (1 - rho * (1 - b))
  }

  /// The fine bin of utilization `rho` in [0, 1).
  @inline(__always)
  func fineBin(_ rho: Double) -> Int { min(Int(rho * Double(Self.fineBins)), Self.fineBins) }

  /// The grid index nearest to `seconds` (clamped).
  @inline(__always)
  func gridIndex(_ seconds: Double) -> Int {
    guard seconds > grid[0] else { return 0 }
    let x = ((log(seconds) - gridLogStart) / gridLogStep).rounded()
    return min(Int(x), Self.gridPoints - 1)
  }

  /// The `p` quantile (0...1) of a tail curve given on the grid: the first grid time with
  /// tail <= 1 - p, interpolated linearly in log time from the point before.
  func quantile(_ p: Double, tail: (Int) -> Double) -> Double {
    let target = 1 - p
    var previous = 1.0
    for g in 0..<Self.gridPoints {
      let value = tail(g)
      if value <= target {
        guard g > 0, previous > value else { return grid[g] }
        let fraction = (previous - target) / (previous - value)
        return exp(gridLogStart + (Double(g - 1) + fraction) * gridLogStep)
      }
      previous = value
    }
    return grid[Self.gridPoints - 1]
  }

  /// Percentile of latency at utilization `rho` (no backlog), for the per-tick series.
  func latencyQuantile(_ p: Double, rho: Double) -> Double {
    let f = fineBin(rho)
    let lower = Int(coarseLower[f])
    let fraction = coarseFraction[f]
    return quantile(p) { g in
      let a = self.coarseTail[lower * Self.gridPoints + g]
      let b = self.coarseTail[(lower + 1) * Self.gridPoints + g]
      return a + fraction * (b - a)
    }
  }
}
