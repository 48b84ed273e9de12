import Simulation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Queueing fidelity: the fluid model plus a queue, in expected values per tick.
///
/// - While nothing is backlogged and the tick's arrivals fit in-service capacity (rho =
///   arrivals / capacity < 1), the queue is a stationary M/G/N queue at utilization rho
///   (``QueueingLatencyModel``): one per instance under random or round-robin routing,
///   one over the fleet's workers under least outstanding requests. Latency comes from its
///   tables; the requests that would wait past the timeout are dropped.
/// - Otherwise the tick is saturated or working off a backlog: the backlog moves linearly
///   through the tick and an arrival waits the backlog ahead of it over the service rate,
///   then its service; what remains is carried into the next tick (not lost, as in fluid).
///   A backlog older than the timeout is dropped; beyond the queue limit arrivals are
///   rejected.
/// - Failed requests are retried after the backoff, at the tick that backoff lands in (at
///   least the next).
///
/// CPU is the busy fraction (served / capacity), as in requests fidelity.
struct QueueingServer: TickServer {
  let model: ServingModel
  let latency: QueueingLatencyModel
  let demandPerMinute: [Double]
  let tickSeconds: Double
  let workers: Int
  let slo: LatencySLO?
  let sloSeconds: Double
  let thresholdSeconds: Double
  let timeout: Double
  let queueLimit: Double
  let maxAttempts: Int
  let recordsSeries: Bool

  var backlog = 0.0
  /// retries[a - 2][k]: attempt-a requests arriving in tick k (a = 2...maxAttempts).
  var retries: [[Double]]
  var counts = RequestStatistics()
  /// Least outstanding requests: one pooled queue over the fleet's workers.
  let pooled: Bool
  var erlangC = ErlangCCache()
  var logServers: [Double] = [0]
  /// Completed requests that did not wait (stationary ticks): latency = S.
  var serviceOnlyWeight = 0.0
  /// Completed requests that waited, per conditional wait rate (theta grid).
  var thetaWeights: [Double]
  /// Completed requests per grid wait (saturated ticks: latency = wait + S).
  var shiftedWeights: [Double]
  var latencySum = 0.0
  var seriesP50: [Double] = []
  var seriesP99: [Double] = []

  init(input: FleetSimulationInput) {
    let model = input.serving!
    self.model = model
    demandPerMinute = input.demandPerMinute
    tickSeconds = input.tickSeconds
    workers = model.workersPerInstance
    slo = input.latencySLO
    sloSeconds = input.latencySLO?.latencySeconds ?? .infinity
    thresholdSeconds = input.latencySLO?.latencySeconds ?? model.timeoutSeconds ?? .infinity
    timeout = model.timeoutSeconds ?? .infinity
    queueLimit = model.queueLimitPerInstance.map(Double.init) ?? .infinity
    maxAttempts = model.retries?.maxAttempts ?? 1
    recordsSeries = input.recordsTimeline
    latency = QueueingLatencyModel.shared(model, sloSeconds: sloSeconds, thresholdSeconds: thresholdSeconds)
    retries = Array(repeating: Array(repeating: 0, count: input.demandPerMinute.count), count: max(0, maxAttempts - 1))
    thetaWeights = Array(repeating: 0, count: QueueingLatencyModel.thetaPoints)
    pooled = model.loadBalancer == .leastOutstandingRequests
    shiftedWeights = Array(repeating: 0, count: QueueingLatencyModel.gridPoints)
    counts.latencySLO = input.latencySLO
    minutes = input.tickSeconds / 60
    perMinute = 60 / input.tickSeconds
    servicePerSecond = 1 / latency.meanSeconds
    sloTailLimit = 1 - (input.latencySLO?.percentile ?? 0) / 100 + 1e-12
  }

  // Per-tick constants (divisions hoisted out of the per-tick path).
  let minutes: Double
  let perMinute: Double
  let servicePerSecond: Double
  let sloTailLimit: Double

  mutating func serve(
    tick k: Int, start: SimTime, inService: Int, cohorts: [Cohort], liveCohorts: [Int]
  ) -> TickOutcome {
    let firstAttempts = demandPerMinute[k] * minutes
    var arrivals = firstAttempts
    for a in retries.indices { arrivals += retries[a][k] }
    counts.requests += arrivals
    counts.retriedRequests += arrivals - firstAttempts
    guard arrivals > 0 || backlog > 0 else {
      if recordsSeries { seriesP50.append(.nan); seriesP99.append(.nan) }
      return TickOutcome(demandPerMinute: 0, servedPerMinute: 0, delayedPerMinute: 0, cpu: 0)
    }
    if arrivals > 0 { counts.ticksWithRequests += 1 }
    guard inService > 0 else {
      // No target: the load balancer answers 503 at once; the backlog waits.
      counts.rejectedRequests += arrivals
      retry(failedShare: 1, tick: k)
      if recordsSeries { seriesP50.append(.nan); seriesP99.append(.nan) }
      return TickOutcome(demandPerMinute: arrivals / minutes, servedPerMinute: 0, delayedPerMinute: arrivals / minutes, cpu: 100)
    }
    let rate = Double(inService * workers) * servicePerSecond
    let capacity = rate * tickSeconds
    var failed = 0.0
    var slow = 0.0
    var meets = true
    let cpu: Double
    if backlog == 0 && arrivals < capacity {
      let queue = stationary(rho: arrivals / capacity, inService: inService)
      let timedOut = arrivals * queue.timedOutShare
      let completed = arrivals - timedOut
      counts.waitedRequests += arrivals * queue.waitProbability
      counts.timedOutRequests += timedOut
      counts.completedRequests += completed
      failed = timedOut
      slow = max(0, arrivals * queue.thresholdTail - timedOut)
      if slo != nil { meets = queue.sloTail <= sloTailLimit }
      addLatency(queue, weight: completed)
      if recordsSeries {
        seriesP50.append(latency.latencyQuantile(0.5, waitProbability: queue.waitProbability, position: queue.position))
        seriesP99.append(latency.latencyQuantile(0.99, waitProbability: queue.waitProbability, position: queue.position))
      }
      cpu = arrivals / capacity * 100
      if timedOut > 0 { retry(failedShare: queue.timedOutShare, tick: k) }
    } else {
      // Saturated, or working off a backlog: the backlog moves linearly through the tick
      // (growing while arrivals outpace capacity; else shrinking, and once empty the
      // rest of the tick's arrivals meet the stationary queue). An arrival waits the
      // backlog ahead of it over the service rate, then its service.
      let start = backlog
      let total = backlog + arrivals
      let served = min(total, capacity)
      var remaining = total - served
      let tooOld = max(0, remaining - timeout * rate)
      remaining -= tooOld
      let overLimit = max(0, remaining - queueLimit * Double(inService))
      remaining -= overLimit
      backlog = remaining
      counts.completedRequests += served
      counts.timedOutRequests += tooOld
      counts.rejectedRequests += overLimit
      failed = tooOld + overLimit
      let arrivalRate = arrivals / tickSeconds
      let drainSeconds = arrivalRate < rate ? start / (rate - arrivalRate) : .infinity
      let queuedShare = min(1, drainSeconds / tickSeconds)
      let firstWait = start / rate
      let lastWait = queuedShare < 1 ? 0 : (start + (arrivalRate - rate) * tickSeconds) / rate
      let slices = Self.backlogSlices
      var waits: [Double] = []
      waits.reserveCapacity(slices)
      for j in 0..<slices {
        let wait = firstWait + (lastWait - firstWait) * (Double(j) + 0.5) / Double(slices)
        if wait <= timeout { waits.append(wait) }
      }
      let sliceWeight = arrivals * queuedShare / Double(slices)
      let rest = arrivals * (1 - queuedShare)
      counts.waitedRequests += arrivals * queuedShare
      let queue = rest > 0 ? stationary(rho: arrivalRate / rate, inService: inService) : nil
      var late = 0.0
      var lateAtThreshold = 0.0
      for wait in waits {
        shiftedWeights[latency.gridIndex(wait)] += sliceWeight
        latencySum += sliceWeight * (wait + latency.meanSeconds)
        late += sliceWeight * latency.serviceTail(sloSeconds - wait)
        lateAtThreshold += sliceWeight * latency.serviceTail(thresholdSeconds - wait)
      }
      if let queue {
        counts.waitedRequests += rest * queue.waitProbability
        addLatency(queue, weight: rest)
        late += rest * queue.sloTail
        lateAtThreshold += rest * queue.thresholdTail
      }
      slow = lateAtThreshold
      if let slo { meets = late + failed <= (1 - slo.percentile / 100) * arrivals + 1e-9 }
      if recordsSeries {
        let weight = sliceWeight * Double(waits.count) + rest
        func tail(_ g: Int) -> Double {
          let t = latency.grid[g]
          var sum = 0.0
          for wait in waits { sum += sliceWeight * latency.serviceTail(t - wait) }
          if let queue {
            let (lower, fraction) = queue.position
            let a = latency.thetaTail[lower * QueueingLatencyModel.gridPoints + g]
            let b = latency.thetaTail[(lower + 1) * QueueingLatencyModel.gridPoints + g]
            let pw = queue.waitProbability
            sum += rest * ((1 - pw) * latency.serviceTailOnGrid[g] + pw * (a + fraction * (b - a)))
          }
          return weight > 0 ? sum / weight : 0
        }
        seriesP50.append(weight > 0 ? latency.quantile(0.5, tail: tail) : .nan)
        seriesP99.append(weight > 0 ? latency.quantile(0.99, tail: tail) : .nan)
      }
      cpu = 100 * served / capacity
      if failed > 0 { retry(failedShare: failed / total, tick: k) }
    }
    if arrivals > 0 && meets { counts.ticksMeetingLatencySLO += 1 }
    let delayed = min(arrivals, failed + slow)
    return TickOutcome(
      demandPerMinute: arrivals * perMinute, servedPerMinute: (arrivals - delayed) * perMinute,
      delayedPerMinute: delayed * perMinute, cpu: cpu)
  }

  /// Backlog waits within a saturated tick are taken at this many evenly spaced arrivals.
  static let backlogSlices = 8

  /// The stationary M/G/N queue at utilization `rho` < 1 with `inService` instances.
  struct StationaryQueue {
    var waitProbability: Double
    var position: (Int, Double)
    var theta: Double
    var timedOutShare: Double
    var sloTail: Double
    var thresholdTail: Double
  }

  @inline(__always)
  mutating func stationary(rho: Double, inService: Int) -> StationaryQueue {
    let f = latency.fineBin(rho)
    // Blind splitting: each instance is its own M/G/c queue; least outstanding requests:
    // the fleet's workers as one pooled queue.
    let servers = pooled ? inService * workers : workers
    if servers >= logServers.count {
      logServers += (logServers.count...servers).map { log(Double(max($0, 1))) }
    }
    let pw = erlangC.value(servers: servers, fineBin: f)
    if pw == 0 {
      return StationaryQueue(
        waitProbability: 0, position: (0, 0), theta: .infinity, timedOutShare: 0, sloTail: latency.serviceTailAtSLO,
        thresholdTail: latency.serviceTailAtThreshold)
    }
    let arrivalSquaredCV = model.loadBalancer == .roundRobin ? 1 / Double(inService) : 1
    let position = latency.thetaPosition(
      logServers: logServers[servers], fineBin: f, arrivalSquaredCV: arrivalSquaredCV)
    let fineRho = min(Double(f) / Double(QueueingLatencyModel.fineBins), 0.9999)
    let theta =
      Double(servers) * (1 - fineRho) / latency.meanSeconds * 2 / (arrivalSquaredCV + latency.squaredCV)
    return StationaryQueue(
      waitProbability: pw, position: position, theta: theta,
      timedOutShare: timeout.isFinite && pw > 0 ? pw * exp(-theta * timeout) : 0,
      sloTail: (1 - pw) * latency.serviceTailAtSLO + pw * QueueingLatencyModel.interpolate(latency.thetaTailAtSLO, position),
      thresholdTail: (1 - pw) * latency.serviceTailAtThreshold
        + pw * QueueingLatencyModel.interpolate(latency.thetaTailAtThreshold, position))
  }

  /// `weight` requests with the stationary queue's latency, into the run's distribution.
  @inline(__always)
  mutating func addLatency(_ queue: StationaryQueue, weight: Double) {
    let pw = queue.waitProbability
    serviceOnlyWeight += weight * (1 - pw)
    thetaWeights[queue.position.0] += weight * pw * (1 - queue.position.1)
    thetaWeights[queue.position.0 + 1] += weight * pw * queue.position.1
    latencySum += weight * (latency.meanSeconds + (pw > 0 ? pw / queue.theta : 0))
  }

  /// Sends `failedShare` of each attempt level's arrivals of tick `k` back as retries.
  mutating func retry(failedShare: Double, tick k: Int) {
    guard maxAttempts > 1 else { return }
    let ticks = demandPerMinute.count
    // Attempt a's failures (a = 1...maxAttempts-1) come back as attempt a + 1.
    for attempt in stride(from: maxAttempts - 1, through: 1, by: -1) {
      let arrived = attempt == 1 ? demandPerMinute[k] * tickSeconds / 60 : retries[attempt - 2][k]
      guard arrived > 0 else { continue }
      let delay = max(1, Int((model.backoffSeconds(afterAttempt: attempt) / tickSeconds).rounded(.up)))
      if k + delay < ticks { retries[attempt - 1][k + delay] += arrived * failedShare }
    }
  }

  mutating func finish(statistics: inout FleetStatistics, timeline: inout FleetTimeline?) {
    counts.inFlightAtEnd = backlog
    let total = serviceOnlyWeight + thetaWeights.reduce(0, +) + shiftedWeights.reduce(0, +)
    if total > 0 {
      let points = QueueingLatencyModel.gridPoints
      var tail = latency.serviceTailOnGrid.map { $0 * serviceOnlyWeight / total }
      for b in thetaWeights.indices where thetaWeights[b] > 0 {
        let w = thetaWeights[b] / total
        for g in 0..<points { tail[g] += w * latency.thetaTail[b * points + g] }
      }
      for d in shiftedWeights.indices where shiftedWeights[d] > 0 {
        let w = shiftedWeights[d] / total
        let wait = latency.grid[d]
        for g in 0..<points { tail[g] += w * latency.serviceTail(latency.grid[g] - wait) }
      }
      func at(_ p: Double) -> Double { latency.quantile(p / 100) { tail[$0] } }
      counts.latencyP50Seconds = at(50)
      counts.latencyP90Seconds = at(90)
      counts.latencyP99Seconds = at(99)
      counts.latencyP999Seconds = at(99.9)
      counts.latencyMeanSeconds = latencySum / total
      if let slo { counts.latencyAtSLOPercentileSeconds = at(slo.percentile) }
    }
    statistics.requests = counts
    if timeline != nil {
      timeline!.latencyP50Seconds = seriesP50
      timeline!.latencyP99Seconds = seriesP99
    }
  }
}
