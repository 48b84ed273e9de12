/// A thin run loop over an ``EventQueue``, like SimPy's `Environment.run(until:)`.
///
/// ```swift
/// var simulator = Simulator<Tick>()
/// simulator.queue.schedule(.tick, at: 0)
/// simulator.run(until: .hours(1)) { queue, time, event in
///   queue.schedule(.tick, after: .minutes(1))      // handlers schedule follow-ups
/// }
/// // simulator.queue.now == 3_600
/// ```
public struct Simulator<Payload: Sendable>: Sendable {
  /// The pending events and the clock (`queue.now`).
  public var queue: EventQueue<Payload>

  /// A simulator with an empty queue at time 0.
  @inlinable
  public init() {
    queue = EventQueue()
  }

  /// A simulator over an existing queue, e.g. one pre-filled with arrivals.
  @inlinable
  public init(queue: EventQueue<Payload>) {
    self.queue = queue
  }

  /// Pops and handles, in order, every event with time `<= until`, including events the
  /// handler schedules at or before `until`; later events stay pending. Afterwards
  /// `queue.now == until`, even if no event was due.
  ///
  /// Precondition: `until` is finite and not earlier than `queue.now`.
  ///
  /// - Parameter handle: called with the queue (to schedule or cancel), the event's
  ///   time (equal to `queue.now`) and its payload.
  /// - Complexity: O(k log n) for k handled events and n pending, plus the handler.
  @inlinable
  public mutating func run(
    until: SimTime, _ handle: (inout EventQueue<Payload>, SimTime, Payload) -> Void
  ) {
    precondition(
      until >= queue.now && until.isFinite,
      "run(until: \(until)) must be finite and not earlier than now (\(queue.now) s)")
    while let next = queue.peekNextTime(), next <= until {
      guard let (time, payload) = queue.popNext() else { break }
      handle(&queue, time, payload)
    }
    queue.advance(to: until)
  }
}
