/// Pending events ordered by time; equal times pop in insertion order (FIFO), so a run
/// is deterministic whatever the payloads are.
///
/// ```swift
/// var queue = EventQueue<String>()
/// queue.schedule("evaluate", after: .minutes(1))
/// let launch = queue.schedule("launch", at: 30)
/// queue.cancel(launch)                       // true: it was pending
/// while let (time, event) = queue.popNext() { print(time, event) }   // 60.0 evaluate
/// ```
///
/// Only the queue owns `now`: it is the time of the last event popped (0 before any),
/// and nothing may be scheduled before it. An event's lifecycle is: *pending* from
/// `schedule` until it is popped (*fired*) or cancelled (*cancelled*); neither of the
/// last two is undone.
///
/// Storage: a hand-written implicit 4-ary min-heap keyed by `(time, sequence)`
/// (`_EventHeap`), measured faster than swift-collections' `Heap` on the hold model (one
/// `popNext` plus one `schedule` per event); the figures are in Benchmarks/README.md.
///
/// Deferred pop: `popNext` returns the top event but leaves its slot in the heap. A
/// `schedule` that follows (the common case: a handler schedules the next event) drops
/// the new event into that slot and sifts it down once, instead of one sift to remove
/// and another to insert. Any other operation first fills the slot the usual way. The
/// popped payload is therefore released at the next queue operation, not at once.
///
/// Cancellation is lazy and cheap:
/// - A handle carries its `(time, sequence)` key. Events leave the heap in key order and
///   new events always get a larger key than the last one popped, so "already fired" is
///   one comparison against that last popped key: no per-event state.
/// - A cancelled event stays in the heap, its sequence recorded in a hash table, until it
///   reaches the top; then it is discarded before anything can observe it, so the top is
///   never a cancelled event and `peekNextTime()` stays O(1).
/// - While nothing cancelled is in the heap, `popNext` does no hashing at all.
/// - Records of cancelled events that were discarded ahead of `now` are kept until the
///   clock passes them (so cancelling twice still answers `false`) and are swept out in
///   bulk, amortized O(1) per cancellation.
public struct EventQueue<Payload: Sendable>: Sendable {
  @usableFromInline var heap: _EventHeap<Payload>
  @usableFromInline var nextSequence: UInt64 = 0
  @usableFromInline var currentTime: SimTime = 0

  /// Key of the last event popped (fired); `-infinity` before the first pop.
  @usableFromInline var firedTime: SimTime = -.infinity
  @usableFromInline var firedSequence: UInt64 = 0

  /// Cancelled events not yet passed by the clock: sequence -> scheduled time. Holds
  /// both cancelled events still in the heap and ones already discarded from it.
  @usableFromInline var cancelled: [UInt64: SimTime] = [:]
  /// How many heap entries are cancelled (and not yet discarded).
  @usableFromInline var cancelledInHeap = 0
  /// `cancelled.count` at which stale records are next swept out.
  @usableFromInline var sweepThreshold = 64
  /// Whether the heap's root is the last popped event, kept for the deferred pop. Only
  /// while `cancelledInHeap == 0`, so the least other entry is always pending.
  @usableFromInline var hasVacantRoot = false

  /// An empty queue with `now == 0`.
  ///
  /// - Parameter reservingCapacity: pending events to make room for up front.
  /// - Complexity: O(`reservingCapacity`).
  @inlinable
  public init(reservingCapacity: Int = 0) {
    heap = _EventHeap(reservingCapacity: reservingCapacity)
  }

  /// The time of the last popped event, in seconds since the scenario start (0 before
  /// the first pop; ``Simulator/run(until:_:)`` and ``advance(to:)`` also move it).
  @inlinable
  public var now: SimTime { currentTime }

  /// Pending events: scheduled, not yet popped and not cancelled.
  ///
  /// - Complexity: O(1).
  @inlinable
  public var count: Int { heap.count - (hasVacantRoot ? 1 : 0) - cancelledInHeap }

  /// Whether no event is pending.
  ///
  /// - Complexity: O(1).
  @inlinable
  public var isEmpty: Bool { count == 0 }

  /// Schedules `payload` at an absolute `time`, which must be finite and not before `now`.
  /// Events at the same time pop in the order they were scheduled.
  ///
  /// - Returns: a handle for ``cancel(_:)``; ignoring it is fine.
  /// - Complexity: O(log n) for n pending events (amortized, for storage growth).
  @inlinable
  @discardableResult
  public mutating func schedule(_ payload: Payload, at time: SimTime) -> EventHandle {
    precondition(
      time >= currentTime && time.isFinite,
      "event time must be finite and >= now (\(currentTime) s), got \(time) s")
    let time = time + 0  // -0.0 becomes +0.0, which the heap's integer order needs
    let sequence = nextSequence
    nextSequence &+= 1
    let entry = _EventEntry(time: time, sequence: sequence, payload: payload)
    if hasVacantRoot {
      hasVacantRoot = false
      heap.replaceMin(with: entry)
    } else {
      heap.insert(entry)
    }
    return EventHandle(sequence: sequence, time: time)
  }

  /// Schedules `payload` `delaySeconds` after `now`; the delay must be finite and >= 0.
  ///
  /// - Complexity: O(log n) for n pending events (amortized, for storage growth).
  @inlinable
  @discardableResult
  public mutating func schedule(_ payload: Payload, after delaySeconds: SimTime) -> EventHandle {
    precondition(
      delaySeconds >= 0 && delaySeconds.isFinite,
      "delay must be finite and >= 0 s, got \(delaySeconds) s")
    return schedule(payload, at: currentTime + delaySeconds)
  }

  /// Cancels a pending event so that it never pops.
  ///
  /// - Returns: `true` if the event was pending; `false` if it already fired, was
  ///   already cancelled, or the handle was never issued by this queue.
  /// - Complexity: O(1) expected (a hash insert), plus O(log n) to finish a deferred pop
  ///   if one is outstanding. When the event is the next to pop it is removed at once,
  ///   O(log n) per event removed, with any cancelled events right behind it.
  @discardableResult
  public mutating func cancel(_ handle: EventHandle) -> Bool {
    fillVacantRoot()
    guard handle.sequence < nextSequence,
      !hasFired(time: handle.time, sequence: handle.sequence),
      cancelled[handle.sequence] == nil
    else { return false }
    cancelled[handle.sequence] = handle.time
    cancelledInHeap += 1
    discardCancelledAtTop()
    if cancelled.count >= sweepThreshold { sweepPassedCancellations() }
    return true
  }

  /// Removes the earliest pending event (ties: the one scheduled first) and moves `now`
  /// to its time.
  ///
  /// - Returns: the event's time and payload, or `nil` if nothing is pending.
  /// - Complexity: O(log n) for n events in the heap, paid by the next operation (a
  ///   following `schedule` does both in one sift); no hashing unless some pending event
  ///   is cancelled.
  @inlinable
  public mutating func popNext() -> (time: SimTime, payload: Payload)? {
    fillVacantRoot()
    guard let entry = heap.min else { return nil }
    hasVacantRoot = true
    currentTime = entry.time
    firedTime = entry.time
    firedSequence = entry.sequence
    if cancelledInHeap != 0 {
      fillVacantRoot()
      discardCancelledAtTop()
    }
    return (entry.time, entry.payload)
  }

  /// The time of the next pending event, without removing it; `nil` if none.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func peekNextTime() -> SimTime? {
    hasVacantRoot ? heap.minBelowRoot?.time : heap.min?.time
  }

  /// Moves `now` forward to `time` without popping anything, e.g. to the end of a run.
  ///
  /// Precondition: `now <= time <=` the next pending event's time, `time` finite.
  ///
  /// - Complexity: O(1).
  @inlinable
  public mutating func advance(to time: SimTime) {
    precondition(
      time >= currentTime && time.isFinite,
      "cannot move the clock from \(currentTime) s to \(time) s")
    if let next = peekNextTime() {
      precondition(
        time <= next, "cannot move the clock to \(time) s past a pending event at \(next) s")
    }
    currentTime = time
  }

  /// Whether the event keyed `(time, sequence)` already left the queue by popping.
  /// Valid because pops happen in key order and every later event gets a larger key.
  @inlinable
  func hasFired(time: SimTime, sequence: UInt64) -> Bool {
    time < firedTime || (time == firedTime && sequence <= firedSequence)
  }

  /// Completes a deferred pop: removes the popped event still at the root.
  @inlinable
  mutating func fillVacantRoot() {
    if hasVacantRoot {
      hasVacantRoot = false
      heap.removeMin()
    }
  }

  /// Pops cancelled events off the top so that the top, if any, is pending.
  /// Their records stay in `cancelled` (the clock has not passed them yet).
  @usableFromInline
  mutating func discardCancelledAtTop() {
    while cancelledInHeap != 0, let top = heap.min, cancelled[top.sequence] != nil {
      heap.removeMin()
      cancelledInHeap -= 1
    }
  }

  /// Drops records of cancelled events the clock has passed; they can answer
  /// `hasFired` now. Runs when the table doubles, so amortized O(1) per cancel.
  @usableFromInline
  mutating func sweepPassedCancellations() {
    cancelled = cancelled.filter { !hasFired(time: $0.value, sequence: $0.key) }
    sweepThreshold = Swift.max(64, 2 * cancelled.count)
  }
}
