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
    var runningTicksSum = 0.0
    var cpuSum = 0.0
    let tickMinutes = tick / 60
    let tickCount = demand.count
    let recordsHourly = !hourlyInServiceSeconds.isEmpty
    let recordedTicks = input.timelineTicks ?? 0..<tickCount
    let recordsTimeline = timeline != nil

    // The policy's constants and alarm state.
    let hasPolicy = fast != nil
    let policyIndex = fast?.policyIndex ?? 0
    let readsCPU = fast?.readsCPU ?? true
    let rule = fast?.rule
    let target = rule?.targetValue ?? 1
    let lowThreshold = (rule?.scaleInThresholdRatio ?? 0) * target
    let scaleOutDatapoints = rule?.scaleOutDatapoints ?? Int.max
    let scaleInDatapoints = rule?.scaleInDatapoints ?? Int.max
    let mayScaleIn = !(rule?.disableScaleIn ?? true)
    let scaleInMaxFraction = rule?.scaleInMaxFraction ?? 0
    var highCount = hasPolicy ? runtimes[policyIndex].highCount : 0
    var lowCount = hasPolicy ? runtimes[policyIndex].lowCount : 0
    var isLowAlarm = false
    var lowProposal = 0

    // The fleet's counts, read from `self` again after anything that may change them.
    var fleet = fluidTickCounts()
    // Statistics in locals; written back after the loop.
    var demandUnits = statistics.demandUnits
    var servedUnits = statistics.servedUnits
    var delayedUnits = statistics.delayedUnits
    var peakInstances = statistics.peakInstances
    var minutesAboveCPU80 = statistics.minutesAboveCPU80

    for k in 0..<tickCount {
      let now = Double(k) * tick
      if fleet.nextEvent <= now {
        applyEvents(through: now)
        fleet = fluidTickCounts()
      }

      let serving = fleet.serving
      let demandNow = demand[k]
      let capacity = Double(serving) * capacityPerInstance
      let served = min(demandNow, capacity)
      let cpu: Double = serving > 0 ? min(1, demandNow / capacity) * 100 : (demandNow > 0 ? 100 : 0)
      let delayed = demandNow - served
      demandUnits += demandNow * tickMinutes
      servedUnits += served * tickMinutes
      delayedUnits += delayed * tickMinutes
      peakInstances = max(peakInstances, fleet.running)
      runningTicksSum += Double(fleet.running)
      cpuSum += cpu
      if cpu > 80 { minutesAboveCPU80 += tickMinutes }
      if recordsHourly {
        HourlyBuckets.add(
          Double(serving), tickIndex: k, tickSeconds: tick, to: &hourlyInServiceSeconds,
          weights: &hourlyCoveredSeconds)
      }
      if recordsTimeline, recordedTicks.contains(k) {
        timeline!.desired.append(fleet.desired)
        timeline!.running.append(fleet.running)
        timeline!.inService.append(serving)
        timeline!.cpuUtilization.append(cpu)
        timeline!.delayedPerMinute.append(delayed)
      }
      guard hasPolicy else { continue }

      // `evaluateTargetTracking` with this tick as the period's one datapoint (warming
      // instances stay out of the metric; with none warmed it is missing).
      isLowAlarm = false
      guard fleet.warmed > 0 else {
        highCount = 0
        lowCount = 0
        continue
      }
      let value = readsCPU ? cpu : demandNow / Double(serving)
      highCount = value > target ? highCount + 1 : 0
      lowCount = value < lowThreshold ? lowCount + 1 : 0
      var proposal: Int
      if highCount >= scaleOutDatapoints {
        proposal = Self.capacityForTarget(load: Double(serving) * value / target)
      } else if mayScaleIn && lowCount >= scaleInDatapoints {
        isLowAlarm = true
        // Target tracking scales in only with nothing launching or warming. At the floor
        // with no more in service than desired, no proposal changes desired: the
        // datapoint is below ratio × target <= target, so serving × value / target is
        // below serving (2 ulps at most above it, inside the 1e-9 the ceiling drops) and
        // the proposal, at most desired, clamps to the floor. Skipping the division and
        // conversions there is exact (the general loop computes the same unused proposal).
        guard fleet.busy == 0, !(fleet.desired == fleet.lowerBound && fleet.serving <= fleet.desired) else { continue }
        let needed = Self.capacityForTarget(load: Double(serving) * value / target)
        let largestStep = max(1, Int(Double(fleet.desired) * scaleInMaxFraction))
        lowProposal = max(needed, fleet.desired - largestStep)
        proposal = lowProposal
      } else {
        continue
      }
      // `ProposalChoice` with one proposal: it wins when, clamped, it changes desired.
      proposal = min(max(proposal, fleet.lowerBound), fleet.maxSize)
      guard proposal != fleet.desired else { continue }
      syncFastPathPolicy(policyIndex, highCount: highCount, lowCount: lowCount, isLowAlarm: isLowAlarm, lowProposal: lowProposal)
      setDesired(proposal, at: now + tick, cause: input.policies[policyIndex].name)
      fleet = fluidTickCounts()
    }
    if hasPolicy {
      syncFastPathPolicy(policyIndex, highCount: highCount, lowCount: lowCount, isLowAlarm: isLowAlarm, lowProposal: lowProposal)
    }
    statistics.demandUnits = demandUnits
    statistics.servedUnits = servedUnits
    statistics.delayedUnits = delayedUnits
    statistics.peakInstances = peakInstances
    statistics.minutesAboveCPU80 = minutesAboveCPU80
    return (runningTicksSum, cpuSum)
  }

  /// What the specialised loop reads of the fleet on every tick. `mutating` only so that
  /// `self` is passed by reference, not copied (see `nextToTerminate`).
  mutating func fluidTickCounts() -> FluidTickCounts {
    FluidTickCounts(
      nextEvent: events.peekNextTime() ?? .infinity, warmed: warmed, serving: inService, running: running,
      busy: pending + warming, desired: desired, lowerBound: lowerBound, maxSize: maxSize)
  }

  /// The policy's alarm state back into its runtime (for anything reading it later).
  private mutating func syncFastPathPolicy(
    _ index: Int, highCount: Int, lowCount: Int, isLowAlarm: Bool, lowProposal: Int
  ) {
    runtimes[index].highCount = highCount
    runtimes[index].lowCount = lowCount
    runtimes[index].isLowAlarm = isLowAlarm
    runtimes[index].lowProposal = lowProposal
  }
}
