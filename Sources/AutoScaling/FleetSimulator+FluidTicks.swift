import Simulation

// The tick loop specialised for the common case, which is what a sweep point costs.
//
// `serveTicks(server:)` serves any fidelity, any number of policies of every kind, Spot
// exposure and several instance types; its per-tick policy evaluation visits an array of
// runtimes through `self` (uniqueness checks, bounds checks, a 6.7 KB stack frame from what
// `setDesired` inlines) and was 54% of a year-point (issue 14, Benchmarks/README.md
// "SweepThroughput"). When the run is fluid with one instance type, has no Spot exposure
// to accrue, and reads at most one metric policy, a target tracking policy evaluated every
// tick, this loop keeps the counts the tick reads and the policy's alarm state in locals
// and leaves them only for the rare tick that changes the fleet (an event due, a scaling
// decision), through the same `applyEvents` and `setDesired` the general loop calls.
//
// It performs the same floating-point operations in the same order as the general loop,
// so every figure is bit-identical (FluidFastPathTests runs both on the same inputs).

/// The one target tracking policy the specialised loop evaluates, with its constants.
struct FluidFastPathRule {
  /// Index into `FleetEngine.runtimes` and `input.policies`.
  let policyIndex: Int
  let rule: TargetTrackingRule
  let readsCPU: Bool
}

/// The fleet's counts the specialised loop reads every tick, copied out of the engine after
/// anything that may change them (an event, a scaling decision).
struct FluidTickCounts {
  /// The earliest event's time (infinity: none).
  var nextEvent: SimTime
  var warmed: Int
  var serving: Int
  var running: Int
  /// Pending and warming: target tracking does not scale in while any are.
  var busy: Int
  var desired: Int
  var lowerBound: Int
  var maxSize: Int
}

extension TickServer {
  /// The fluid server's demand and per-instance capacity when every instance has the same
  /// capacity (one type); nil for every other server.
  var uniformFluid: (demandPerMinute: [Double], capacityPerInstance: Double)? { nil }
}

extension FluidServer {
  var uniformFluid: (demandPerMinute: [Double], capacityPerInstance: Double)? {
    capacityByType == nil ? (demandPerMinute, capacityPerInstance) : nil
  }
}

extension FleetEngine {
  /// Whether the run fits the specialised loop, and its policy if it has one: nil when it
  /// does not fit; `.some(nil)` when it fits without a metric policy.
  func fastPathRule() -> FluidFastPathRule?? {
    guard usesFastPath, !disruptions.accruesSpot, metricPolicies.count <= 1 else { return nil }
    guard let index = metricPolicies.first else { return .some(nil) }
    guard case .targetTracking(let j) = runtimes[index].kind, runtimes[index].periodTicks == 1 else { return nil }
    return FluidFastPathRule(
      policyIndex: index, rule: targetTrackingRules[j], readsCPU: runtimes[index].metric == .averageCPUUtilization)
  }

  /// The ticks of a fluid run with one instance type (see the top of this file); the same
  /// figures as `serveTicks(server:)` with a `FluidServer`. Returns the sums of running
  /// instances and of CPU over the ticks.
  mutating func runFluidTicks(
    demandPerMinute demand: [Double], capacityPerInstance: Double, rule fast: FluidFastPathRule?
  ) -> (runningTicks: Double, cpu: Double) {
    guard !hourlyInServiceSeconds.isEmpty || timeline != nil else {
      var none = NoTickRecording()
      return runFluidTicks(demandPerMinute: demand, capacityPerInstance: capacityPerInstance, rule: fast, recorder: &none)
    }
    // The recorder owns the arrays while the loop runs (no aliasing with the engine).
    var recording = TickRecording(
      tickSeconds: tick, recordedTicks: input.timelineTicks ?? 0..<demand.count,
      hourlyInServiceSeconds: hourlyInServiceSeconds, hourlyCoveredSeconds: hourlyCoveredSeconds, timeline: timeline)
    hourlyInServiceSeconds = []
    hourlyCoveredSeconds = []
    timeline = nil
    let sums = runFluidTicks(
      demandPerMinute: demand, capacityPerInstance: capacityPerInstance, rule: fast, recorder: &recording)
    hourlyInServiceSeconds = recording.hourlyInServiceSeconds
    hourlyCoveredSeconds = recording.hourlyCoveredSeconds
    timeline = recording.timeline
    return sums
  }

  /// The ticks, a stretch at a time: `serveStretch` serves ticks with no call in its loop
  /// until an event is due or the policy changes desired capacity; this loop applies the
  /// event or the change (through the engine's own `applyEvents` and `setDesired`) and
  /// goes on. Keeping the calls out of the per-tick loop keeps its numbers in registers.
  mutating func runFluidTicks<Recorder: FluidTickRecorder>(
    demandPerMinute demand: [Double], capacityPerInstance: Double, rule fast: FluidFastPathRule?,
    recorder: inout Recorder
  ) -> (runningTicks: Double, cpu: Double) {
    let policyIndex = fast?.policyIndex ?? 0
    let constants = FluidTickConstants(
      tickSeconds: tick, capacityPerInstance: capacityPerInstance, rule: fast?.rule, readsCPU: fast?.readsCPU ?? true)
    var state = FluidTickState(
      demandUnits: statistics.demandUnits, servedUnits: statistics.servedUnits, delayedUnits: statistics.delayedUnits,
      minutesAboveCPU80: statistics.minutesAboveCPU80, peakInstances: statistics.peakInstances,
      highCount: fast != nil ? runtimes[policyIndex].highCount : 0,
      lowCount: fast != nil ? runtimes[policyIndex].lowCount : 0)
    // The fleet's counts, read from `self` again after anything that may change them.
    var fleet = fluidTickCounts()
    let tickCount = demand.count
    demand.withUnsafeBufferPointer { demand in
      while state.tick < tickCount {
        let now = Double(state.tick) * tick
        if fleet.nextEvent <= now {
          applyEvents(through: now)
          fleet = fluidTickCounts()
        }
        guard let change = Self.serveStretch(&state, fleet: fleet, demand: demand, constants: constants, recorder: &recorder)
        else { continue }
        setDesired(change.desired, at: change.time, cause: input.policies[policyIndex].name)
        fleet = fluidTickCounts()
      }
    }
    statistics.demandUnits = state.demandUnits
    statistics.servedUnits = state.servedUnits
    statistics.delayedUnits = state.delayedUnits
    statistics.peakInstances = state.peakInstances
    statistics.minutesAboveCPU80 = state.minutesAboveCPU80
    return (state.runningTicksSum, state.cpuSum)
  }

  /// Serves ticks from `state.tick` (its events already applied) with the fleet as
  /// `fleet` says, until the tick count, a tick whose start has an event due, or a tick at
  /// whose end the policy changes desired capacity: that change is returned (the desired
  /// capacity, clamped, and its time), `state.tick` then being the next tick.
  @inline(__always)
  static func serveStretch<Recorder: FluidTickRecorder>(
    _ stateInOut: inout FluidTickState, fleet: FluidTickCounts, demand: UnsafeBufferPointer<Double>,
    constants c: FluidTickConstants, recorder: inout Recorder
  ) -> (desired: Int, time: SimTime)? {
    // A local copy, so that the numbers live in registers, not behind the inout pointer.
    var state = stateInOut
    let first = state.tick
    defer { stateInOut = state }
    let serving = fleet.serving
    let capacity = Double(serving) * c.capacityPerInstance
    let running = fleet.running
    let runningDouble = Double(running)
    while state.tick < demand.count {
      let k = state.tick
      let now = Double(k) * c.tickSeconds
      if k > first && fleet.nextEvent <= now { return nil }
      let demandNow = demand[k]
      let served = min(demandNow, capacity)
      let cpu: Double = serving > 0 ? min(1, demandNow / capacity) * 100 : (demandNow > 0 ? 100 : 0)
      let delayed = demandNow - served
      state.demandUnits += demandNow * c.tickMinutes
      state.servedUnits += served * c.tickMinutes
      state.delayedUnits += delayed * c.tickMinutes
      state.peakInstances = max(state.peakInstances, running)
      state.runningTicksSum += runningDouble
      state.cpuSum += cpu
      // A select, not a branch (CPU crosses 80% at random in peaks): adding +0.0 leaves
      // the sum, which starts at +0.0 and only grows, bit for bit the same.
      state.minutesAboveCPU80 += cpu > 80 ? c.tickMinutes : 0
      recorder.record(tick: k, serving: serving, running: running, desired: fleet.desired, cpu: cpu, delayed: delayed)
      state.tick = k + 1
      guard c.hasPolicy else { continue }

      // `evaluateTargetTracking` with this tick as the period's one datapoint (warming
      // instances stay out of the metric; with none warmed it is missing).
      guard fleet.warmed > 0 else {
        state.highCount = 0
        state.lowCount = 0
        continue
      }
      let value = c.readsCPU ? cpu : demandNow / Double(serving)
      state.highCount = value > c.target ? state.highCount + 1 : 0
      state.lowCount = value < c.lowThreshold ? state.lowCount + 1 : 0
      var proposal: Int
      if state.highCount >= c.scaleOutDatapoints {
        proposal = capacityForTarget(load: Double(serving) * value / c.target)
      } else if c.mayScaleIn && state.lowCount >= c.scaleInDatapoints {
        // Target tracking scales in only with nothing launching or warming. At the floor
        // with no more in service than desired, no proposal changes desired: the
        // datapoint is below ratio × target <= target, so serving × value / target is
        // below serving (2 ulps at most above it, inside the 1e-9 the ceiling drops) and
        // the proposal, at most desired, clamps to the floor. Skipping the division and
        // conversions there is exact (the general loop computes the same unused proposal).
        guard fleet.busy == 0, !(fleet.desired == fleet.lowerBound && serving <= fleet.desired) else { continue }
        let needed = capacityForTarget(load: Double(serving) * value / c.target)
        let largestStep = max(1, Int(Double(fleet.desired) * c.scaleInMaxFraction))
        proposal = max(needed, fleet.desired - largestStep)
      } else {
        continue
      }
      // `ProposalChoice` with one proposal: it wins when, clamped, it changes desired.
      proposal = min(max(proposal, fleet.lowerBound), fleet.maxSize)
      if proposal != fleet.desired { return (proposal, now + c.tickSeconds) }
    }
    return nil
  }

  /// What the specialised loop reads of the fleet on every tick. `mutating` only so that
  /// `self` is passed by reference, not copied (see `nextToTerminate`).
  mutating func fluidTickCounts() -> FluidTickCounts {
    FluidTickCounts(
      nextEvent: events.peekNextTime() ?? .infinity, warmed: warmed, serving: inService, running: running,
      busy: pending + warming, desired: desired, lowerBound: lowerBound, maxSize: maxSize)
  }
}

/// What the specialised loop carries from tick to tick.
struct FluidTickState {
  /// The next tick to serve.
  var tick = 0
  var demandUnits: Double
  var servedUnits: Double
  var delayedUnits: Double
  var minutesAboveCPU80: Double
  var peakInstances: Int
  var runningTicksSum = 0.0
  var cpuSum = 0.0
  // The target tracking policy's alarm state.
  var highCount: Int
  var lowCount: Int
}

/// The specialised loop's constants: the tick and the target tracking policy's numbers
/// (a policy that never acts without one).
struct FluidTickConstants {
  let tickSeconds: SimTime
  let tickMinutes: Double
  let capacityPerInstance: Double
  let hasPolicy: Bool
  let readsCPU: Bool
  let target: Double
  let lowThreshold: Double
  let scaleOutDatapoints: Int
  let scaleInDatapoints: Int
  let mayScaleIn: Bool
  let scaleInMaxFraction: Double

  init(tickSeconds: SimTime, capacityPerInstance: Double, rule: TargetTrackingRule?, readsCPU: Bool) {
    self.tickSeconds = tickSeconds
    tickMinutes = tickSeconds / 60
    self.capacityPerInstance = capacityPerInstance
    hasPolicy = rule != nil
    self.readsCPU = readsCPU
    target = rule?.targetValue ?? 1
    lowThreshold = (rule?.scaleInThresholdRatio ?? 0) * target
    scaleOutDatapoints = rule?.scaleOutDatapoints ?? Int.max
    scaleInDatapoints = rule?.scaleInDatapoints ?? Int.max
    mayScaleIn = !(rule?.disableScaleIn ?? true)
    scaleInMaxFraction = rule?.scaleInMaxFraction ?? 0
  }
}

/// What the specialised loop records per tick, when the run asks for it: a sweep point
/// records nothing (`NoTickRecording`, compiled away), `run` the busiest day's timeline
/// and predictive scaling's hourly in-service means (`TickRecording`).
protocol FluidTickRecorder {
  mutating func record(tick k: Int, serving: Int, running: Int, desired: Int, cpu: Double, delayed: Double)
}

struct NoTickRecording: FluidTickRecorder {
  @inline(__always)
  func record(tick k: Int, serving: Int, running: Int, desired: Int, cpu: Double, delayed: Double) {}
}

/// The general loop's recording (`serveTicks`), on arrays it holds while the loop runs.
struct TickRecording: FluidTickRecorder {
  let tickSeconds: SimTime
  let recordedTicks: Range<Int>
  var hourlyInServiceSeconds: [Double]
  var hourlyCoveredSeconds: [Double]
  var timeline: FleetTimeline?
  let recordsHourly: Bool
  /// A Bool, not `timeline != nil` per tick (Optional's `!=` would compare the arrays).
  let recordsTimeline: Bool

  init(
    tickSeconds: SimTime, recordedTicks: Range<Int>, hourlyInServiceSeconds: [Double], hourlyCoveredSeconds: [Double],
    timeline: FleetTimeline?
  ) {
    self.tickSeconds = tickSeconds
    self.recordedTicks = recordedTicks
    self.hourlyInServiceSeconds = hourlyInServiceSeconds
    self.hourlyCoveredSeconds = hourlyCoveredSeconds
    self.timeline = timeline
    recordsHourly = !hourlyInServiceSeconds.isEmpty
    recordsTimeline = timeline != nil
  }

  mutating func record(tick k: Int, serving: Int, running: Int, desired: Int, cpu: Double, delayed: Double) {
    if recordsHourly {
      HourlyBuckets.add(
        Double(serving), tickIndex: k, tickSeconds: tickSeconds, to: &hourlyInServiceSeconds,
        weights: &hourlyCoveredSeconds)
    }
    if recordsTimeline, recordedTicks.contains(k) {
      timeline!.desired.append(desired)
      timeline!.running.append(running)
      timeline!.inService.append(serving)
      timeline!.cpuUtilization.append(cpu)
      timeline!.delayedPerMinute.append(delayed)
    }
  }
}
