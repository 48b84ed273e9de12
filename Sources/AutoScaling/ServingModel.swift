import Simulation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the fleet simulation serves demand.
///
/// - `fluid`: demand per tick in aggregate; demand beyond capacity is *delayed* and vanishes.
/// - `queueing`: the fluid model plus a queue: per tick an M/G/c approximation per instance
///   gives latency percentiles, and demand beyond capacity is carried as backlog.
/// - `requests`: every request is simulated, one at a time (``ServingModel`` says how).
public enum Fidelity: String, Codable, Sendable, Equatable, CaseIterable {
  case fluid, queueing, requests
}

/// How one instance serves requests: the model behind the `queueing` and `requests`
/// fidelities. One demand unit is one request.
///
/// Each instance has `workersPerInstance` identical workers and one FIFO queue; a request
/// that has waited `timeoutSeconds` without a worker is dropped (a 5xx); arrivals that
/// find `queueLimitPerInstance` requests waiting are rejected at once; dropped and rejected
/// requests may be retried by the client (`retries`). CPU is the busy-worker fraction, so
/// one instance serves `workersPerInstance / meanServiceSeconds` requests per second at
/// 100% CPU (``capacityUnitsPerMinute``).
public struct ServingModel: Sendable, Hashable {
  public enum LoadBalancer: String, Sendable, Hashable, CaseIterable {
    /// ALB's least outstanding requests: the target with the fewest requests in flight
    /// (ties to the lowest-numbered target).
    case leastOutstandingRequests
    /// ALB's default: targets in turn.
    case roundRobin
    /// Uniformly at random (seeded).
    case random
  }

  public enum ServiceTime: Sendable, Hashable {
    case exponential(meanSeconds: Double)
    /// Lognormal with the given mean and coefficient of variation (standard deviation / mean).
    case lognormal(meanSeconds: Double, coefficientOfVariation: Double)
    /// Draws uniformly from these samples (seconds, each > 0 and finite).
    case empirical(samplesSeconds: [Double])

    public var meanSeconds: Double {
      switch self {
      case .exponential(let mean), .lognormal(let mean, _): mean
      case .empirical(let samples): samples.isEmpty ? .nan : samples.reduce(0, +) / Double(samples.count)
      }
    }

    /// Lognormal only: mu and sigma of the service time's logarithm, so that the mean is
    /// `meanSeconds` and the coefficient of variation `cv` (sigma^2 = ln(1 + cv^2)).
    public var logNormalParameters: (mu: Double, sigma: Double)? {
      guard case .lognormal(let mean, let cv) = self else { return nil }
      let sigma2 = log(1 + cv * cv)
      return (log(mean) - sigma2 / 2, sigma2.squareRoot())
    }

    /// Squared coefficient of variation (variance / mean^2): 1 for exponential.
    public var squaredCoefficientOfVariation: Double {
      switch self {
      case .exponential: return 1
      case .lognormal(_, let cv): return cv * cv
      case .empirical(let samples):
        let mean = meanSeconds
        guard samples.count > 1, mean > 0 else { return 0 }
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count)
        return variance / (mean * mean)
      }
    }
  }

  /// Client retries: `maxAttempts` counts the first attempt (AWS SDK semantics: 1 = none).
  /// Attempt k + 1 starts `backoffSeconds * 2^(k-1)` after attempt k failed (no jitter).
  public struct Retries: Sendable, Hashable {
    public var maxAttempts: Int
    public var backoffSeconds: Double
    public init(maxAttempts: Int, backoffSeconds: Double) {
      self.maxAttempts = maxAttempts
      self.backoffSeconds = backoffSeconds
    }
  }

  public var workersPerInstance: Int
  public var serviceTime: ServiceTime
  public var loadBalancer: LoadBalancer
  /// Longest wait for a worker before the request is dropped; nil = never dropped.
  public var timeoutSeconds: Double?
  /// Most requests waiting (not in service) per instance; nil = unbounded.
  public var queueLimitPerInstance: Int?
  public var retries: Retries?

  public static let maximumWorkers = 4_096
  public static let maximumAttempts = 10

  public init(
    workersPerInstance: Int, serviceTime: ServiceTime, loadBalancer: LoadBalancer = .leastOutstandingRequests,
    timeoutSeconds: Double? = nil, queueLimitPerInstance: Int? = nil, retries: Retries? = nil
  ) {
    self.workersPerInstance = workersPerInstance
    self.serviceTime = serviceTime
    self.loadBalancer = loadBalancer
    self.timeoutSeconds = timeoutSeconds
    self.queueLimitPerInstance = queueLimitPerInstance
    self.retries = retries
  }

  /// Requests per minute one instance serves with every worker busy (100% CPU).
  public var capacityUnitsPerMinute: Double { Double(workersPerInstance) * 60 / serviceTime.meanSeconds }

  public func validate() throws(AutoScalingError) {
    if !(1...Self.maximumWorkers).contains(workersPerInstance) {
      throw AutoScalingError(
        field: "serving.workersPerInstance", expected: "1...\(Self.maximumWorkers)", found: "\(workersPerInstance)")
    }
    func positive(_ x: Double, _ field: String, max: Double) throws(AutoScalingError) {
      if !(x > 0 && x <= max && x.isFinite) {
        throw AutoScalingError(field: field, expected: "a number > 0 and <= \(max)", found: "\(x)")
      }
    }
    switch serviceTime {
    case .exponential(let mean):
      try positive(mean, "serving.serviceTime.meanMs", max: 3_600)
    case .lognormal(let mean, let cv):
      try positive(mean, "serving.serviceTime.meanMs", max: 3_600)
      try positive(cv, "serving.serviceTime.cv", max: 100)
    case .empirical(let samples):
      if samples.isEmpty {
        throw AutoScalingError(field: "serving.serviceTime.csv", expected: "at least one sample", found: "none")
      }
      if let bad = samples.firstIndex(where: { !($0 > 0 && $0 <= 3_600 && $0.isFinite) }) {
        throw AutoScalingError(
          field: "serving.serviceTime.csv[\(bad)]", expected: "a service time > 0 and <= 3600000 ms",
          found: "\(samples[bad] * 1000) ms")
      }
    }
    if let timeoutSeconds { try positive(timeoutSeconds, "serving.timeoutMs", max: 3_600) }
    if let queueLimitPerInstance, !(1...100_000_000).contains(queueLimitPerInstance) {
      throw AutoScalingError(
        field: "serving.queueLimitPerInstance", expected: "1...100000000", found: "\(queueLimitPerInstance)")
    }
    if let retries {
      if !(1...Self.maximumAttempts).contains(retries.maxAttempts) {
        throw AutoScalingError(
          field: "serving.retries.maxAttempts", expected: "1...\(Self.maximumAttempts)", found: "\(retries.maxAttempts)")
      }
      if !(retries.backoffSeconds >= 0 && retries.backoffSeconds <= 3_600) {
        throw AutoScalingError(
          field: "serving.retries.backoffMs", expected: "0...3600000", found: "\(retries.backoffSeconds * 1000)")
      }
    }
  }

  /// Delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed.
  @inlinable
  public func backoffSeconds(afterAttempt attempt: Int) -> Double {
    guard let retries else { return 0 }
    return retries.backoffSeconds * Double(1 << min(attempt - 1, 20))
  }
}

/// A latency objective: the `percentile`-th percentile of request latency at most `latencySeconds`.
public struct LatencySLO: Codable, Sendable, Equatable {
  public var latencySeconds: Double
  /// In (0, 100), e.g. 99 or 99.9.
  public var percentile: Double

  public init(latencySeconds: Double, percentile: Double) {
    self.latencySeconds = latencySeconds
    self.percentile = percentile
  }

  public func validate() throws(AutoScalingError) {
    if !(latencySeconds > 0 && latencySeconds <= 3_600) {
      throw AutoScalingError(field: "slo.latencyMs", expected: "a number > 0 and <= 3600000", found: "\(latencySeconds * 1000)")
    }
    if !(percentile > 0 && percentile < 100) {
      throw AutoScalingError(field: "slo.percentile", expected: "a number > 0 and < 100", found: "\(percentile)")
    }
  }
}

/// Service-time draws for the request-level engine.
struct ServiceTimeSampler {
  enum Kind { case exponential, lognormal, empirical }
  let kind: Kind
  let mean: Double
  let logMean: Double
  let logSigma: Double
  let samples: [Double]

  init(_ time: ServingModel.ServiceTime) {
    switch time {
    case .exponential(let mean):
      kind = .exponential; self.mean = mean; logMean = 0; logSigma = 0; samples = []
    case .lognormal(let mean, _):
      kind = .lognormal; self.mean = mean
      (logMean, logSigma) = time.logNormalParameters!; samples = []
    case .empirical(let values):
      kind = .empirical; mean = time.meanSeconds; logMean = 0; logSigma = 0; samples = values
    }
  }

  @inline(__always)
  func draw(_ random: inout RandomStream) -> Double {
    switch kind {
    case .exponential:
      return -mean * log(1 - random.nextUnitDouble())
    case .lognormal:
      return exp(logMean + logSigma * random.nextNormal())
    case .empirical:
      let index = Int(random.next() % UInt64(samples.count))
      return samples[index]
    }
  }
}
