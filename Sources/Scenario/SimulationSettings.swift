import AutoScaling
import Foundation

/// The simulated window, the engine tick and the random seed.
public struct SimulationSettings: Sendable, Equatable {
  /// nil = the demand's first timestamp.
  public var start: Date?
  /// nil = `start + durationSeconds`, or the demand's end when that is nil too. At most one
  /// of `end` and `durationSeconds` is set.
  public var end: Date?
  public var durationSeconds: Double?
  /// Seconds per engine tick, 1...3600 (default 60).
  public var tickSeconds: Double
  /// Seed of every random stream of the run (default 1).
  public var seed: UInt64
  /// How demand is served (default fluid); queueing and requests need `serving:`.
  public var fidelity: Fidelity = .fluid

  public init(start: Date? = nil, end: Date? = nil, durationSeconds: Double? = nil, tickSeconds: Double = 60, seed: UInt64 = 1) {
    self.start = start
    self.end = end
    self.durationSeconds = durationSeconds
    self.tickSeconds = tickSeconds
    self.seed = seed
  }

  /// The window to simulate given the demand's extent: explicit values win, then
  /// `durationSeconds` after the start, then the demand's own start and end.
  public func window(demandStart: Date, demandEnd: Date) -> (start: Date, end: Date) {
    let start = self.start ?? demandStart
    if let end { return (start, end) }
    if let durationSeconds { return (start, start.addingTimeInterval(durationSeconds)) }
    return (start, demandEnd)
  }
}
