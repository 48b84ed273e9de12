/// Names one scheduled event so that it can be cancelled.
///
/// A handle is only meaningful for the queue that returned it (or a copy of that queue
/// made after scheduling). `sequence` is the insertion counter that breaks time ties;
/// `time` is the event's scheduled time, which lets ``EventQueue/cancel(_:)`` tell an
/// event that already fired from one still pending without per-event bookkeeping.
public struct EventHandle: Hashable, Sendable {
  /// Insertion order within the queue: 0 for the first event scheduled, then 1, 2, ...
  public let sequence: UInt64
  /// The time the event was scheduled for, in seconds since the scenario start.
  public let time: SimTime

  @inlinable
  init(sequence: UInt64, time: SimTime) {
    self.sequence = sequence
    self.time = time
  }
}
