// The hold model (Jones, "An empirical comparison of priority-queue and event-set
// implementations", CACM 1986): with n events pending, each step pops the earliest event
// and schedules one at its time plus a random increment, so n stays constant. One
// "event" below is one popNext plus one schedule; throughput is events per second.
import Benchmark
import HeapModule
import Simulation

/// Exponential increments (mean 1 s), drawn once so that the loop measures only the queue.
let holdIncrements: [SimTime] = {
  var random = RandomStream(seed: 20_251_125).substream(named: "hold-increments")
  return (0..<4_096).map { _ in random.nextExponential(mean: 1) }
}()

/// `pending` events spread like the hold model's steady state (now + an increment).
func filledEventQueue(pending: Int) -> EventQueue<Int> {
  var queue = EventQueue<Int>(reservingCapacity: pending)
  for index in 0..<pending { queue.schedule(index, at: holdIncrements[index & 4_095]) }
  return queue
}

/// The baseline: the same entries and order (time, then insertion sequence) on
/// swift-collections' Heap, with the same branch-free comparison EventQueue uses
/// (times >= 0, so their bit patterns sort like the numbers).
struct HeapEntry: Comparable {
  var time: SimTime
  var sequence: UInt64
  var payload: Int
  static func < (a: HeapEntry, b: HeapEntry) -> Bool {
    a.time.bitPattern < b.time.bitPattern &+ UInt64(unsafeBitCast(a.sequence < b.sequence, to: UInt8.self))
  }
  static func == (a: HeapEntry, b: HeapEntry) -> Bool { a.sequence == b.sequence }
}

func filledHeap(pending: Int) -> Heap<HeapEntry> {
  var heap = Heap<HeapEntry>()
  for index in 0..<pending {
    heap.insert(HeapEntry(time: holdIncrements[index & 4_095], sequence: UInt64(index), payload: index))
  }
  return heap
}

let benchmarks: @Sendable () -> Void = {
  // Tolerances for `benchmark baseline check` (this run against a stored baseline): the
  // hold loop must not allocate, and the median time and throughput may worsen by at
  // most 30% (wide, because the 2-core machines are shared and runs vary that much).
  Benchmark.defaultConfiguration = .init(
    metrics: [.throughput, .wallClock, .mallocCountTotal],
    warmupIterations: 2,
    scalingFactor: .mega,  // one scaled iteration = one event, so throughput reads M events/s
    maxDuration: .seconds(2),
    maxIterations: 100,
    thresholds: [
      .mallocCountTotal: .init(absolute: [.p100: 0]),
      .throughput: .init(relative: [.p50: 30.0]),
      .wallClock: .init(relative: [.p50: 30.0]),
    ]
  )

  for (label, pending) in [("1k", 1_000), ("100k", 100_000)] {
    Benchmark("EventQueue hold \(label) pending") { benchmark in
      var queue = filledEventQueue(pending: pending)
      let increments = holdIncrements
      var step = 0
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        let (time, payload) = queue.popNext()!
        queue.schedule(payload, at: time + increments[step & 4_095])
        step &+= 1
      }
      benchmark.stopMeasurement()
      precondition(queue.count == pending, "the hold model keeps \(pending) pending, found \(queue.count)")
      blackHole(queue.now)
    }

    Benchmark("Heap (swift-collections) hold \(label) pending") { benchmark in
      var heap = filledHeap(pending: pending)
      let increments = holdIncrements
      var sequence = UInt64(pending)
      var step = 0
      var now: SimTime = 0
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        let entry = heap.popMin()!
        now = entry.time
        heap.insert(HeapEntry(time: now + increments[step & 4_095], sequence: sequence, payload: entry.payload))
        sequence &+= 1
        step &+= 1
      }
      benchmark.stopMeasurement()
      precondition(heap.count == pending, "the hold model keeps \(pending) pending, found \(heap.count)")
      blackHole(now)
    }
  }
}
