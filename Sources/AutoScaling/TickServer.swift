import Simulation

/// What serving one tick produced, in demand units (requests) per minute.
struct TickOutcome {
  /// What arrived during the tick (in requests fidelity: every attempt, retries included).
  var demandPerMinute: Double
  var servedPerMinute: Double
  /// Fluid: demand beyond in-service capacity. Queueing and requests: requests slower than
  /// the latency SLO (or the timeout when no SLO is set) or failed (timed out, rejected).
  var delayedPerMinute: Double
  /// The busy-worker (or demand-over-capacity) fraction, percent, 0...100.
  var cpu: Double
}

/// Serves the demand of each tick against the fleet the engine has in service: the part
/// of the simulation that changes with the fidelity. The engine owns the group, its
/// lifecycle and its policies; a server sees the in-service cohorts at each tick start
/// (after the tick's lifecycle events) and returns the metrics the policies act on.
protocol TickServer {
  mutating func serve(
    tick k: Int, start: SimTime, inService: Int, cohorts: [Cohort], liveCohorts: [Int]
  ) -> TickOutcome
  /// After the last tick: request counts and latency into the statistics.
  mutating func finish(statistics: inout FleetStatistics, timeline: inout FleetTimeline?)
  /// The demand and per-instance capacity of a fluid server whose instances all have the
  /// same capacity (FleetSimulator+FluidTicks.swift); nil for every other server.
  var uniformFluid: (demandPerMinute: [Double], capacityPerInstance: Double)? { get }
}

/// Today's fluid model: demand spread evenly over the instances in service, CPU =
/// demand / capacity (capped at 100%), demand beyond capacity delayed (and gone).
struct FluidServer: TickServer {
  let demandPerMinute: [Double]
  let capacityPerInstance: Double
  /// With several instance types, each type's capacity: the in-service capacity is summed
  /// over the cohorts, and demand is spread in proportion to capacity (every instance at
  /// one CPU), as a least-outstanding-requests balancer tends to.
  var capacityByType: [Double]? = nil

  @inline(__always)
  mutating func serve(
    tick k: Int, start: SimTime, inService: Int, cohorts: [Cohort], liveCohorts: [Int]
  ) -> TickOutcome {
    let demand = demandPerMinute[k]
    var capacity = Double(inService) * capacityPerInstance
    if let capacityByType {
      capacity = 0
      for index in liveCohorts where cohorts[index].stage == .warming || cohorts[index].stage == .warmed {
        capacity += Double(cohorts[index].count) * capacityByType[cohorts[index].type]
      }
    }
    let served = min(demand, capacity)
    let cpu: Double = inService > 0 ? min(1, demand / capacity) * 100 : (demand > 0 ? 100 : 0)
    return TickOutcome(demandPerMinute: demand, servedPerMinute: served, delayedPerMinute: demand - served, cpu: cpu)
  }

  func finish(statistics: inout FleetStatistics, timeline: inout FleetTimeline?) {}
}

/// Request counts and latency of a queueing or requests run.
///
/// Conservation (requests fidelity, exact): `requests == completedRequests +
/// timedOutRequests + rejectedRequests + inFlightAtEnd`, every attempt counted once
/// (`retriedRequests` of them were retries). In queueing fidelity the counts are expected
/// values (fractional) and in-flight is the backlog left at the end.
public struct RequestStatistics: Codable, Sendable, Equatable {
  public var requests: Double = 0
  public var completedRequests: Double = 0
  public var timedOutRequests: Double = 0
  public var rejectedRequests: Double = 0
  public var inFlightAtEnd: Double = 0
  public var retriedRequests: Double = 0
  /// Latency (wait + service) percentiles of the requests that got a worker, seconds;
  /// nil when none did. Requests fidelity: HdrHistogram at 3 significant digits (each
  /// value within 0.1% of the exact order statistic's).
  public var latencyP50Seconds: Double?
  public var latencyP90Seconds: Double?
  public var latencyP99Seconds: Double?
  public var latencyP999Seconds: Double?
  public var latencyMeanSeconds: Double?
  /// The latency SLO's percentile of latency over the whole run, seconds (nil without an
  /// SLO or without latency).
  public var latencyAtSLOPercentileSeconds: Double?
  /// Ticks in which requests arrived, and of those the ticks whose SLO percentile of
  /// request latency (a failed request counts as infinitely slow) met the latency SLO.
  public var ticksWithRequests = 0
  public var ticksMeetingLatencySLO = 0
  /// The latency SLO the ticks were checked against (nil: none set).
  public var latencySLO: LatencySLO?
  /// Requests that found every worker of their instance busy and waited (the empirical
  /// counterpart of Erlang C's P(wait)); timed-out ones included.
  public var waitedRequests: Double = 0

  public init() {}

  /// Percent of minutes (ticks) with requests that met the latency SLO; nil without an
  /// SLO, 100 when no request arrived.
  public var minutesMeetingLatencySLOPercent: Double? {
    guard latencySLO != nil else { return nil }
    return ticksWithRequests > 0 ? 100 * Double(ticksMeetingLatencySLO) / Double(ticksWithRequests) : 100
  }
}
