import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Latency of an M/G/N queue, tabulated so that the queueing fidelity pays a few table
/// look-ups per tick.
///
/// Model (N workers, utilization rho, service time S with mean m and squared coefficient
/// of variation cs2):
/// - P(wait) = Erlang C(N, N rho), exact for M/M/N;
/// - a waiting request waits Exp(theta), theta = N (1 - rho) / m x 2 / (1 + cs2): the
///   M/M/N conditional wait with its mean scaled by (1 + cs2) / 2 (Allen-Cunneen's
///   correction for service-time variability);
/// - latency T = wait + S, so P(T > t) = (1 - Pw) P(S > t) + Pw H(theta, t), where
///   H(theta, t) = P(E + S > t) for E ~ Exp(theta) independent of S.
/// N is the workers of one instance when the load balancer splits requests blindly
/// (random, round robin: each instance is its own queue), and the workers of the whole
/// fleet under least outstanding requests (a request waits only when every worker of the
/// fleet is busy, as in one pooled queue). Round robin gives each of n instances every
/// n-th arrival (squared coefficient of variation of its arrivals ca2 = 1/n), so there the
/// scaling is 2 / (ca2 + cs2). Exact for exponential service with random
/// routing (M/M/c per instance); otherwise an approximation (docs/latency.md says where
/// it is weak).
///
/// Tables, built once per service time, SLO and timeout and shared through a
/// process-wide cache: H(theta, t) on a log grid of theta m (200 points from 1e-4 to 1e4)
/// times a log grid of t (320 points from m/1000 to m x 10^5, ratio 1.059), and at the
/// SLO latency and the delay threshold; ln(1 - rho) per fine utilization bin (4,096 over
/// [0, 1)). Erlang C is computed per (N, fine bin) on first use and kept by the server.
final class QueueingLatencyModel: Sendable {
  static let fineBins = 4_096
  static let gridPoints = 320
  static let gridDecades = 8.0
  static let thetaPoints = 200
  static let thetaLogLow = log(1e-4)
  static let thetaLogStep = (log(1e4) - log(1e-4)) / Double(thetaPoints - 1)

  let meanSeconds: Double
  let squaredCV: Double
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
  /// P(S > grid[g]).
  let serviceTailOnGrid: [Double]
  /// thetaTail[b * gridPoints + g] = H(theta_b, grid[g]), theta_b m = exp(thetaLogLow + b step).
  let thetaTail: [Double]
  let thetaTailAtSLO: [Double]
  let thetaTailAtThreshold: [Double]
  let serviceTailAtSLO: Double
  let serviceTailAtThreshold: Double
  /// ln(1 - rho) at each fine bin's rho.
  let logOneMinusRho: [Double]
  /// ln(2 / (1 + cs2)): Allen-Cunneen's scaling of the conditional wait rate.
  let logVariabilityScale: Double

  /// Quantiles of S used for saturated ticks (latency = backlog wait + S).
  let serviceP50: Double
  let serviceP99: Double

  struct Key: Hashable {
    var service: ServingModel.ServiceTime
    var sloSeconds: Double
    var thresholdSeconds: Double
  }

  static let cache = Mutex<[Key: QueueingLatencyModel]>([:])

  static func shared(_ model: ServingModel, sloSeconds: Double, thresholdSeconds: Double) -> QueueingLatencyModel {
    let key = Key(service: model.serviceTime, sloSeconds: sloSeconds, thresholdSeconds: thresholdSeconds)
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
    service = key.service
    meanSeconds = key.service.meanSeconds
    squaredCV = key.service.squaredCoefficientOfVariation
    logVariabilityScale = log(2 / (1 + key.service.squaredCoefficientOfVariation))
    let m = meanSeconds
    var points: [Double] = []
    var weights: [Double] = []
    var sorted: [Double] = []
    var logMean = 0.0
    var logSigma = 0.0
    switch key.service {
    case .exponential:
      break  // H has a closed form
    case .lognormal:
      (logMean, logSigma) = key.service.logNormalParameters!
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
    let serviceTails = grid.map { Self.serviceTail($0, key.service, logMean, logSigma, sorted) }
    serviceTailOnGrid = serviceTails

    func h(_ thetaIndex: Int, _ t: Double, _ serviceTail: Double) -> Double {
      let theta = exp(Self.thetaLogLow + Double(thetaIndex) * Self.thetaLogStep) / m
      if case .exponential(let mean) = key.service {
        let mu = 1 / mean
        guard t.isFinite else { return 0 }
        if abs(theta - mu) < 1e-9 * mu { return exp(-mu * t) * (1 + mu * t) }
        return min(1, max(0, (theta * exp(-mu * t) - mu * exp(-theta * t)) / (theta - mu)))
      }
      return t.isFinite ? Self.sumTail(t, theta, serviceTail, points, weights) : 0
    }
    var thetaTail = [Double](repeating: 0, count: Self.thetaPoints * Self.gridPoints)
    for b in 0..<Self.thetaPoints {
      for g in 0..<Self.gridPoints { thetaTail[b * Self.gridPoints + g] = h(b, grid[g], serviceTails[g]) }
    }
    self.thetaTail = thetaTail
    let sloTail = Self.serviceTail(key.sloSeconds, key.service, logMean, logSigma, sorted)
    let thresholdTail = Self.serviceTail(key.thresholdSeconds, key.service, logMean, logSigma, sorted)
    serviceTailAtSLO = sloTail
    serviceTailAtThreshold = thresholdTail
    thetaTailAtSLO = (0..<Self.thetaPoints).map { h($0, key.sloSeconds, sloTail) }
    thetaTailAtThreshold = (0..<Self.thetaPoints).map { h($0, key.thresholdSeconds, thresholdTail) }
    logOneMinusRho = (0...Self.fineBins).map { log(1 - min(Double($0) / Double(Self.fineBins), 0.9999)) }

    serviceP50 = Self.serviceQuantile(0.5, key.service, logMean, logSigma, sorted)
    serviceP99 = Self.serviceQuantile(0.99, key.service, logMean, logSigma, sorted)
  }

  /// The theta grid position of theta = N (1 - rho) / m x 2 / (1 + cs2): lower index and
  /// the fraction towards the next (clamped to the grid).
  /// With `arrivalSquaredCV` other than 1 (round robin's more regular arrivals), the
  /// scaling is Allen-Cunneen's 2 / (ca2 + cs2).
  @inline(__always)
  func thetaPosition(logServers: Double, fineBin f: Int, arrivalSquaredCV: Double = 1) -> (Int, Double) {
    let scale = arrivalSquaredCV == 1 ? logVariabilityScale : log(2 / (arrivalSquaredCV + squaredCV))
    let x = logServers + logOneMinusRho[f] + scale
    let position = min(max((x - Self.thetaLogLow) / Self.thetaLogStep, 0), Double(Self.thetaPoints - 1) - 1e-9)
    let lower = Int(position)
    return (lower, position - Double(lower))
  }

  @inline(__always)
  static func interpolate(_ table: [Double], _ position: (Int, Double)) -> Double {
    let a = table[position.0]
    return a + position.1 * (table[position.0 + 1] - a)
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
  ///
  /// Below k0 = a - 6 sqrt(a) the recursion starts from the fluid value B(k0) ~ 1 - k0 / a:
  /// the recursion damps the starting error so fast that the result is within 1e-10
  /// (relative) of the full recursion for every N up to 2,500 with (1 - rho) sqrt(N) <= 8,
  /// measured, at O(sqrt N) instead of O(N) steps.
  static func erlangC(workers c: Int, load a: Double) -> Double {
    guard a > 0 else { return 0 }
    guard a < Double(c) else { return 1 }
    let start = Int(a - 6 * a.squareRoot())
    // The recursion on 1 / B, r_k = 1 + (k / a) r_(k-1): no division per step.
    var r = start >= 1 ? a / (a - Double(start)) : 1.0
    let inverseLoad = 1 / a
    for k in (max(start, 0) + 1)...c { r = 1 + Double(k) * inverseLoad * r }
    let b = 1 / r
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

  /// Percentile of latency with waiting probability `pw` and conditional wait rate at
  /// `position` (no backlog), for the per-tick series.
  func latencyQuantile(_ p: Double, waitProbability pw: Double, position: (Int, Double)) -> Double {
    let (lower, fraction) = position
    return quantile(p) { g in
      let a = self.thetaTail[lower * Self.gridPoints + g]
      let b = self.thetaTail[(lower + 1) * Self.gridPoints + g]
      return (1 - pw) * self.serviceTailOnGrid[g] + pw * (a + fraction * (b - a))
    }
  }
}

/// Erlang C for the queueing fidelity, computed on first use and kept for the run.
/// - Up to 15 workers (one instance, or a small pooled fleet): exact, per worker count and
///   fine utilization bin.
/// - From 16 workers (a pooled fleet): on a grid of the Halfin-Whitt parameter
///   beta = (1 - rho) sqrt(N) in steps of 1/16, interpolated linearly (P(wait) is smooth
///   in beta, ln P(wait) about -beta^2/2 for large beta: the error is under 0.5% where
///   P(wait) > 1e-3, and below 1e-4 in absolute terms beyond); 0 beyond beta = 8, where
///   P(wait) < 1e-15. This
///   keeps a year of ticks over a fleet of hundreds of instances at a few thousand
///   evaluations instead of one per tick.
struct ErlangCCache {
  static let pooledThreshold = 16
  static let betaStep = 0.0625
  static let betaLimit = 8.0
  static let betaPoints = Int(betaLimit / betaStep) + 1
  /// Exact values, (N, fine bin) at N * (fineBins + 1) + f; NaN until computed.
  var exact: [Double] = []
  /// P(wait) on the beta grid, (N, j) at N * betaPoints + j; NaN until computed.
  var onBetaGrid: [Double] = []

  static let inverseFineBins = 1 / Double(QueueingLatencyModel.fineBins)

  mutating func value(servers n: Int, fineBin f: Int) -> Double {
    let rho = min(Double(f) * Self.inverseFineBins, 0.9999)
    if n >= Self.pooledThreshold { return pooled(servers: n, rho: rho) }
    let width = QueueingLatencyModel.fineBins + 1
    if exact.count < (n + 1) * width { exact += Array(repeating: .nan, count: (n + 1) * width - exact.count) }
    let cached = exact[n * width + f]
    if !cached.isNaN { return cached }
    let value = QueueingLatencyModel.erlangC(workers: n, load: Double(n) * rho)
    exact[n * width + f] = value
    return value
  }

  mutating func pooled(servers n: Int, rho: Double) -> Double {
    let root = Double(n).squareRoot()
    let beta = (1 - rho) * root
    guard beta < Self.betaLimit else { return 0 }
    let points = Self.betaPoints
    if onBetaGrid.count < (n + 1) * points {
      onBetaGrid += Array(repeating: .nan, count: (n + 1) * points - onBetaGrid.count)
    }
    let position = beta * (1 / Self.betaStep)
    let lower = min(Int(position), points - 2)
    let fraction = position - Double(lower)
    var a = onBetaGrid[n * points + lower]
    if a.isNaN { a = gridValue(n, lower, root) }
    var b = onBetaGrid[n * points + lower + 1]
    if b.isNaN { b = gridValue(n, lower + 1, root) }
    return a + fraction * (b - a)
  }

  mutating func gridValue(_ n: Int, _ j: Int, _ root: Double) -> Double {
    let gridRho = 1 - Double(j) * Self.betaStep / root
    let value = QueueingLatencyModel.erlangC(workers: n, load: Double(n) * gridRho)
    onBetaGrid[n * Self.betaPoints + j] = value
    return value
  }
}
