import Histogram
import Simulation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Requests fidelity: every request is simulated on its own.
///
/// Arrivals are a Poisson process whose rate is the tick's demand (piecewise constant),
/// or the arrival log. On arrival the load balancer picks an in-service instance
/// (warming ones included). Each instance serves FIFO with `workersPerInstance` workers:
/// a request starts when the earliest-free worker frees (Kiefer-Wolfowitz workload
/// recursion, exact for FIFO multi-server queues), so its start and end are known when it
/// arrives. A request that would wait longer than the timeout is dropped when its wait
/// reaches the timeout; one that finds `queueLimitPerInstance` requests waiting is
/// rejected at once; either may be retried after a backoff.
///
/// Events on the Simulation kernel's ``EventQueue``: each accepted request's departure
/// (completion, or drop at its timeout) and each retry. Departures keep every instance's
/// outstanding count exact at every arrival (least outstanding requests routes on it;
/// queue limits and the drain of removed instances use it).
///
/// Metrics for the policies, with the fluid model's CloudWatch semantics: CPU = busy
/// worker-seconds in the tick / (workers x in-service instances x tick seconds), each
/// request's service interval split over the ticks it runs in; request count per target
/// = attempts arrived in the tick / in-service instances (per minute).
///
/// Instances the group removes take no new requests and finish what they hold (the load
/// balancer's deregistration delay); their billing ends at the scale-in, as the fluid model's.
struct RequestServer: TickServer {
  let workers: Int
  let sampler: ServiceTimeSampler
  let loadBalancer: ServingModel.LoadBalancer
  let timeout: Double
  let queueLimit: Int
  let maxAttempts: Int
  let model: ServingModel
  let demandPerMinute: [Double]
  let arrivalTimes: [Double]?
  var arrivalCursor = 0
  let tickSeconds: Double
  let slo: LatencySLO?
  /// Latency above which a request counts as delayed.
  let delayThreshold: Double
  let recordsSeries: Bool

  var arrivalRandom: RandomStream
  var serviceRandom: RandomStream
  var routeRandom: RandomStream
  var events = EventQueue<Int>(reservingCapacity: 1_024)

  // Instances ("slots"; a drained slot is reused).
  var workerFree: [Double] = []
  var outstanding: [Int32] = []
  var isActive: [Bool] = []
  var freeSlots: [Int] = []
  /// By cohort index: the slots serving for it.
  var cohortSlots: [[Int]] = []
  var cohortsWithSlots: [Int] = []
  /// Active slots, ascending.
  var activeSlots: [Int] = []
  var roundRobinNext = 0
  var leastOutstanding = LeastOutstandingTree()

  // Accounting.
  var busyByTick: [Double]
  var counts = RequestStatistics()
  var inFlight = 0
  var histogram = Histogram<UInt64>(
    lowestDiscernibleValue: 1, highestTrackableValue: RequestServer.highestMicroseconds,
    numberOfSignificantValueDigits: .three)
  var latencySum = 0.0
  var tickLatencies: [Double] = []
  var tickRequests = 0
  var tickSlow = 0
  var tickFailed = 0
  var seriesP50: [Double] = []
  var seriesP99: [Double] = []

  /// Latencies are recorded in microseconds up to about 12.7 days (2^40 us).
  static let highestMicroseconds: UInt64 = 1 << 40

  // Event payloads: kind in the low 2 bits, attempt in the next 4, slot above.
  static let completion = 0
  static let drop = 1
  static let retry = 2

  init(input: FleetSimulationInput) {
    let model = input.serving!
    self.model = model
    workers = model.workersPerInstance
    sampler = ServiceTimeSampler(model.serviceTime)
    loadBalancer = model.loadBalancer
    timeout = model.timeoutSeconds ?? .infinity
    queueLimit = model.queueLimitPerInstance ?? .max
    maxAttempts = model.retries?.maxAttempts ?? 1
    demandPerMinute = input.demandPerMinute
    arrivalTimes = input.arrivalTimes
    tickSeconds = input.tickSeconds
    slo = input.latencySLO
    delayThreshold = input.latencySLO?.latencySeconds ?? model.timeoutSeconds ?? .infinity
    recordsSeries = input.recordsTimeline
    let root = input.random.substream(named: "requests")
    arrivalRandom = root.substream(named: "arrivals")
    serviceRandom = root.substream(named: "service")
    routeRandom = root.substream(named: "routing")
    busyByTick = Array(repeating: 0, count: input.demandPerMinute.count + 1)
    counts.latencySLO = input.latencySLO
  }

  // MARK: Ticks

  mutating func serve(
    tick k: Int, start: SimTime, inService: Int, cohorts: [Cohort], liveCohorts: [Int]
  ) -> TickOutcome {
    syncInstances(cohorts: cohorts, liveCohorts: liveCohorts)
    let end = start + tickSeconds
    tickRequests = 0
    tickSlow = 0
    tickFailed = 0
    tickLatencies.removeAll(keepingCapacity: true)

    var nextArrival = firstArrival(tick: k, start: start, end: end)
    while true {
      let nextEvent = events.peekNextTime() ?? .infinity
      if nextArrival < end && nextArrival <= nextEvent {
        arrive(at: nextArrival, attempt: 1)
        nextArrival = followingArrival(after: nextArrival, tick: k, end: end)
      } else if nextEvent < end {
        let (time, payload) = events.popNext()!
        handle(payload, at: time)
      } else {
        break
      }
    }
    return closeTick(k, inService: inService)
  }

  @inline(__always)
  mutating func firstArrival(tick k: Int, start: SimTime, end: SimTime) -> Double {
    if let arrivalTimes {
      return arrivalCursor < arrivalTimes.count ? arrivalTimes[arrivalCursor] : .infinity
    }
    let ratePerSecond = demandPerMinute[k] / 60
    guard ratePerSecond > 0 else { return .infinity }
    return start - log(1 - arrivalRandom.nextUnitDouble()) / ratePerSecond
  }

  @inline(__always)
  mutating func followingArrival(after time: Double, tick k: Int, end: SimTime) -> Double {
    if let arrivalTimes {
      arrivalCursor += 1
      return arrivalCursor < arrivalTimes.count ? arrivalTimes[arrivalCursor] : .infinity
    }
    return time - log(1 - arrivalRandom.nextUnitDouble()) / (demandPerMinute[k] / 60)
  }

  mutating func closeTick(_ k: Int, inService: Int) -> TickOutcome {
    let minutes = tickSeconds / 60
    if tickRequests > 0 {
      counts.ticksWithRequests += 1
      if let slo {
        // Nearest-rank percentile <= SLO latency <=> at least ceil(p n / 100) requests
        // completed within it (failures count as infinitely slow).
        let needed = Int((slo.percentile / 100 * Double(tickRequests) - 1e-9).rounded(.up))
        if tickRequests - tickSlow - tickFailed >= needed { counts.ticksMeetingLatencySLO += 1 }
      }
    }
    if recordsSeries {
      seriesP50.append(Self.nearestRank(&tickLatencies, percentile: 50))
      seriesP99.append(Self.nearestRank(&tickLatencies, percentile: 99))
    }
    let capacity = Double(workers * inService) * tickSeconds
    let cpu = inService > 0 ? min(100, 100 * busyByTick[k] / capacity) : (tickRequests > 0 ? 100 : 0)
    let arrived = Double(tickRequests) / minutes
    let delayed = Double(tickSlow + tickFailed) / minutes
    return TickOutcome(demandPerMinute: arrived, servedPerMinute: arrived - delayed, delayedPerMinute: delayed, cpu: cpu)
  }

  mutating func finish(statistics: inout FleetStatistics, timeline: inout FleetTimeline?) {
    counts.inFlightAtEnd = Double(inFlight)
    let recorded = histogram.totalCount
    if recorded > 0 {
      func seconds(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1e6 }
      counts.latencyP50Seconds = seconds(50)
      counts.latencyP90Seconds = seconds(90)
      counts.latencyP99Seconds = seconds(99)
      counts.latencyP999Seconds = seconds(99.9)
      counts.latencyMeanSeconds = latencySum / Double(recorded)
      if let slo { counts.latencyAtSLOPercentileSeconds = seconds(slo.percentile) }
    }
    statistics.requests = counts
    if timeline != nil {
      timeline!.latencyP50Seconds = seriesP50
      timeline!.latencyP99Seconds = seriesP99
    }
  }

  // MARK: Requests

  @inline(__always)
  mutating func arrive(at time: Double, attempt: Int) {
    counts.requests += 1
    if attempt > 1 { counts.retriedRequests += 1 }
    tickRequests += 1
    guard let slot = route() else {
      reject(at: time, attempt: attempt)
      return
    }
    let base = slot * workers
    // The earliest-free worker (FIFO: the next request in line takes it).
    var chosen = base
    var earliest = workerFree[base]
    if workers > 1 {
      for w in (base + 1)..<(base + workers) where workerFree[w] < earliest {
        earliest = workerFree[w]
        chosen = w
      }
    }
    if queueLimit != .max && earliest > time {
      var busy = 0
      for w in base..<(base + workers) where workerFree[w] > time { busy += 1 }
      if Int(outstanding[slot]) - busy >= queueLimit {
        reject(at: time, attempt: attempt)
        return
      }
    }
    let startService = max(time, earliest)
    if earliest > time { counts.waitedRequests += 1 }
    outstanding[slot] += 1
    inFlight += 1
    if loadBalancer == .leastOutstandingRequests { leastOutstanding.set(slot, Int(outstanding[slot])) }
    if startService - time > timeout {
      tickFailed += 1
      events.schedule(slot << 6 | attempt << 2 | Self.drop, at: time + timeout)
      return
    }
    let finish = startService + sampler.draw(&serviceRandom)
    workerFree[chosen] = finish
    events.schedule(slot << 6 | Self.completion, at: finish)
    addBusy(from: startService, to: finish)
    let latency = finish - time
    latencySum += latency
    let micros = latency * 1e6
    histogram.record(micros >= 1 ? min(UInt64(micros.rounded()), Self.highestMicroseconds) : 1)
    if latency > delayThreshold { tickSlow += 1 }
    if recordsSeries { tickLatencies.append(latency) }
  }

  mutating func reject(at time: Double, attempt: Int) {
    counts.rejectedRequests += 1
    tickFailed += 1
    scheduleRetry(after: attempt, at: time)
  }

  mutating func scheduleRetry(after attempt: Int, at time: Double) {
    guard attempt < maxAttempts else { return }
    events.schedule((attempt + 1) << 2 | Self.retry, at: time + model.backoffSeconds(afterAttempt: attempt))
  }

  mutating func handle(_ payload: Int, at time: Double) {
    let kind = payload & 3
    if kind == Self.retry {
      arrive(at: time, attempt: (payload >> 2) & 15)
      return
    }
    let slot = payload >> 6
    inFlight -= 1
    outstanding[slot] -= 1
    if kind == Self.drop {
      counts.timedOutRequests += 1
      scheduleRetry(after: (payload >> 2) & 15, at: time)
    } else {
      counts.completedRequests += 1
    }
    if isActive[slot] {
      if loadBalancer == .leastOutstandingRequests { leastOutstanding.set(slot, Int(outstanding[slot])) }
    } else if outstanding[slot] == 0 {
      freeSlots.append(slot)
    }
  }

  /// The instance the load balancer sends the next request to; nil when none is in service.
  @inline(__always)
  mutating func route() -> Int? {
    let count = activeSlots.count
    guard count > 0 else { return nil }
    switch loadBalancer {
    case .leastOutstandingRequests:
      return leastOutstanding.minimumSlot
    case .roundRobin:
      if roundRobinNext >= count { roundRobinNext = 0 }
      defer { roundRobinNext += 1 }
      return activeSlots[roundRobinNext]
    case .random:
      return activeSlots[Int(routeRandom.next() % UInt64(count))]
    }
  }

  /// Adds a service interval's busy time to the ticks it overlaps.
  @inline(__always)
  mutating func addBusy(from start: Double, to end: Double) {
    let last = busyByTick.count - 1
    var k = min(Int(start / tickSeconds), last)
    var from = start
    while true {
      let boundary = Double(k + 1) * tickSeconds
      if end <= boundary || k == last {
        busyByTick[k] += end - from
        return
      }
      busyByTick[k] += boundary - from
      from = boundary
      k += 1
    }
  }

  // MARK: Instances

  /// Makes the active slots match the in-service cohorts: new instances get a slot (the
  /// lowest free one), removed ones stop taking requests and drain.
  mutating func syncInstances(cohorts: [Cohort], liveCohorts: [Int]) {
    if cohortSlots.count < cohorts.count {
      cohortSlots += Array(repeating: [], count: cohorts.count - cohortSlots.count)
    }
    // Shrink: cohorts whose count dropped (scale-in) lose their newest slots.
    var kept: [Int] = []
    for c in cohortsWithSlots {
      let target = cohorts[c].stage == .impaired ? 0 : cohorts[c].count
      while cohortSlots[c].count > target { deactivate(cohortSlots[c].removeLast()) }
      if !cohortSlots[c].isEmpty { kept.append(c) }
    }
    cohortsWithSlots = kept
    // Grow: cohorts in service with fewer slots than instances.
    for c in liveCohorts
    where (cohorts[c].stage == .warming || cohorts[c].stage == .warmed) && cohortSlots[c].count < cohorts[c].count
    {
      if cohortSlots[c].isEmpty { cohortsWithSlots.append(c) }
      while cohortSlots[c].count < cohorts[c].count { cohortSlots[c].append(activate()) }
    }
  }

  mutating func activate() -> Int {
    let slot: Int
    if let lowest = freeSlots.indices.min(by: { freeSlots[$0] < freeSlots[$1] }) {
      slot = freeSlots.remove(at: lowest)
      for w in (slot * workers)..<(slot * workers + workers) { workerFree[w] = 0 }
    } else {
      slot = outstanding.count
      outstanding.append(0)
      isActive.append(false)
      workerFree += Array(repeating: 0, count: workers)
    }
    isActive[slot] = true
    let position = activeSlots.firstIndex { $0 > slot } ?? activeSlots.count
    activeSlots.insert(slot, at: position)
    leastOutstanding.set(slot, Int(outstanding[slot]))
    return slot
  }

  mutating func deactivate(_ slot: Int) {
    isActive[slot] = false
    activeSlots.removeAll { $0 == slot }
    leastOutstanding.set(slot, nil)
    if outstanding[slot] == 0 { freeSlots.append(slot) }
  }

  // MARK: Percentiles

  /// The nearest-rank percentile of `values` (reordered), NaN when empty.
  static func nearestRank(_ values: inout [Double], percentile: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let rank = max(1, Int((percentile / 100 * Double(values.count) - 1e-9).rounded(.up)))
    return select(&values, rank - 1)
  }

  /// The `index`-th smallest of `values` (quickselect, median-of-three pivot; reorders).
  static func select(_ values: inout [Double], _ index: Int) -> Double {
    var low = 0
    var high = values.count - 1
    while low < high {
      let mid = (low + high) / 2
      if values[mid] < values[low] { values.swapAt(mid, low) }
      if values[high] < values[low] { values.swapAt(high, low) }
      if values[high] < values[mid] { values.swapAt(high, mid) }
      let pivot = values[mid]
      var i = low
      var j = high
      while i <= j {
        while values[i] < pivot { i += 1 }
        while values[j] > pivot { j -= 1 }
        if i <= j {
          values.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      if index <= j {
        high = j
      } else if index >= i {
        low = i
      } else {
        return values[index]
      }
    }
    return values[index]
  }
}

/// Least outstanding requests: a tournament tree over instance slots whose root is the
/// active slot with the fewest outstanding requests, ties to the lowest slot. O(log n) per
/// change, O(1) to read.
struct LeastOutstandingTree {
  /// Outstanding requests per slot; Int.max for slots not taking requests.
  var values: [Int] = [.max]
  /// nodes[1] is the root; the leaves are nodes[capacity + slot] = slot.
  var nodes: [Int32] = [0, 0]
  var capacity = 1

  var minimumSlot: Int { Int(nodes[1]) }

  mutating func set(_ slot: Int, _ value: Int?) {
    if slot >= capacity { grow(toInclude: slot) }
    values[slot] = value ?? .max
    var node = (capacity + slot) >> 1
    while node >= 1 {
      let left = nodes[2 * node]
      let right = nodes[2 * node + 1]
      nodes[node] = values[Int(right)] < values[Int(left)] ? right : left
      node >>= 1
    }
  }

  mutating func grow(toInclude slot: Int) {
    while capacity <= slot { capacity *= 2 }
    values += Array(repeating: .max, count: capacity - values.count)
    nodes = Array(repeating: 0, count: 2 * capacity)
    for s in 0..<capacity { nodes[capacity + s] = Int32(s) }
    for node in stride(from: capacity - 1, through: 1, by: -1) {
      let left = nodes[2 * node]
      let right = nodes[2 * node + 1]
      nodes[node] = values[Int(right)] < values[Int(left)] ? right : left
    }
  }
}
