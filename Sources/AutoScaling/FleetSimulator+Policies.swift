import Simulation

/// A policy's wish at one evaluation: the desired capacity it asks for.
struct Proposal {
  var policyIndex: Int
  var desired: Int
}

/// Picks among simultaneous proposals: any scale-out beats every scale-in, and within a
/// direction the largest resulting capacity wins (the earliest policy on ties).
struct ProposalChoice {
  let current: Int
  let minSize: Int
  let maxSize: Int
  var bestOut: Proposal?
  var bestIn: Proposal?

  init(current: Int, minSize: Int, maxSize: Int) {
    self.current = current
    self.minSize = minSize
    self.maxSize = maxSize
  }

  mutating func consider(_ proposal: Proposal) {
    let clamped = Proposal(policyIndex: proposal.policyIndex, desired: min(max(proposal.desired, minSize), maxSize))
    if clamped.desired > current {
      if clamped.desired > bestOut?.desired ?? Int.min { bestOut = clamped }
    } else if clamped.desired < current {
      if clamped.desired > bestIn?.desired ?? Int.min { bestIn = clamped }
    }
    // Proposals arrive in policy order, so `>` keeps the earliest policy on ties.
  }

  var winner: Proposal? { bestOut ?? bestIn }
}

extension FleetEngine {
  /// Feeds the tick's metric values to every policy, and at the end of each policy's
  /// period evaluates its alarms. When several policies act at once, the largest resulting
  /// capacity wins (ASG-UG "multiple scaling policies"); target tracking scales in only
  /// when every target tracking policy that may scale in agrees.
  mutating func evaluatePolicies(tickIndex: Int, at time: SimTime, cpu: Double?, requestsPerTarget: Double?) {
    // The largest scale-out and the largest scale-in asked for at this instant (no
    // per-tick allocation: this runs once per tick for a year of minutes).
    var choice = ProposalChoice(current: desired, minSize: lowerBound, maxSize: maxSize)
    var targetTrackingWantsScaleIn = false
    // Runtimes are updated in place (`runtimes[index].field`): copying a runtime out of
    // the array and back (its enum payload and flags packed at odd offsets) stalled on every
    // tick (measured: about a tenth of a year-long sweep point). Only the metric policies
    // are visited; scheduled actions and predictive scaling act through events.
    for index in metricPolicies {
      if let value = runtimes[index].metric == .averageCPUUtilization ? cpu : requestsPerTarget {
        runtimes[index].periodSum += value
        runtimes[index].periodSamples += 1
      }
      let periodTicks = runtimes[index].periodTicks
      guard periodTicks == 1 || (tickIndex + 1) % periodTicks == 0 else { continue }
      let samples = runtimes[index].periodSamples
      // The mean of the period's values (one value: itself, without the division's latency).
      let sum = runtimes[index].periodSum
      let datapoint: Double? = samples > 1 ? sum / Double(samples) : (samples == 1 ? sum : nil)
      runtimes[index].periodSum = 0
      runtimes[index].periodSamples = 0

      switch runtimes[index].kind {
      case .targetTracking(let j):
        if let proposal = Self.evaluateTargetTracking(
          targetTrackingRules[j], &runtimes[index], policyIndex: index, datapoint: datapoint, inService: inService,
          desired: desired)
        {
          choice.consider(proposal)
        }
        if runtimes[index].isLowAlarm { targetTrackingWantsScaleIn = true }
      case .step(let j):
        let alarm = stepPolicies[j].alarm
        let breaching = datapoint.map { alarm.comparison.isBreached($0, threshold: alarm.threshold) } ?? false
        let inAlarm = Self.recordAlarmDatapoint(
          &runtimes[index], history: &alarmHistory, breaching: breaching, datapointsToAlarm: alarm.datapointsToAlarm)
        if inAlarm, let value = datapoint, let step = stepPolicies[j].step(forBreach: value) {
          let warmup = stepPolicies[j].estimatedInstanceWarmupSeconds ?? group.warmupSeconds
          let target = Self.stepDesired(
            desired: desired, adjustment: step.scalingAdjustment, type: stepPolicies[j].adjustmentType,
            minAdjustmentMagnitude: stepPolicies[j].minAdjustmentMagnitude,
            alreadyAdding: Self.instancesStillWarming(
              warmupSeconds: warmup, at: time, cohorts: cohorts, liveCohorts: liveCohorts))
          choice.consider(Proposal(policyIndex: index, desired: target))
        }
      case .simple(let j):
        let alarm = simplePolicies[j].alarm
        let breaching = datapoint.map { alarm.comparison.isBreached($0, threshold: alarm.threshold) } ?? false
        let inAlarm = Self.recordAlarmDatapoint(
          &runtimes[index], history: &alarmHistory, breaching: breaching, datapointsToAlarm: alarm.datapointsToAlarm)
        if inAlarm && time >= runtimes[index].lockedUntil {
          let target = Self.adjustedCapacity(
            from: desired, adjustment: simplePolicies[j].scalingAdjustment, type: simplePolicies[j].adjustmentType,
            minAdjustmentMagnitude: simplePolicies[j].minAdjustmentMagnitude)
          choice.consider(Proposal(policyIndex: index, desired: target))
        }
      case .scheduled, .predictive:
        break
      }
    }

    if targetTrackingWantsScaleIn && pending + warming == 0
      && participatingTargetTracking.allSatisfy({ runtimes[$0].isLowAlarm })
    {
      // All agree: the largest of their proposals wins.
      let best = participatingTargetTracking.max { runtimes[$0].lowProposal < runtimes[$1].lowProposal }!
      choice.consider(Proposal(policyIndex: best, desired: runtimes[best].lowProposal))
    }
    guard let chosen = choice.winner else { return }
    let before = desired
    setDesired(chosen.desired, at: time, cause: input.policies[chosen.policyIndex].name)
    if case .simple(let j) = runtimes[chosen.policyIndex].kind, desired != before {
      let p = simplePolicies[j]
      // The activity finishes when launched instances are in service; then the cooldown.
      let activitySeconds = desired > before ? group.launchSeconds + group.launchJitterSeconds : 0
      runtimes[chosen.policyIndex].lockedUntil = time + activitySeconds + p.cooldownSeconds
    }
  }

  /// Target tracking: high alarm after `scaleOutDatapoints` datapoints above the target,
  /// low alarm after `scaleInDatapoints` below ratio × target. The load the fleet carries
  /// is inServiceCount × metric; the capacity that brings the metric to target is
  /// ceil(inService × metric / target). Capacity already launching counts (desired
  /// includes it), so a breach during warm-up adds only what is still missing.
  static func evaluateTargetTracking(
    _ policy: TargetTrackingRule, _ runtime: inout PolicyRuntime, policyIndex: Int, datapoint: Double?,
    inService: Int, desired: Int
  ) -> Proposal? {
    runtime.isLowAlarm = false
    guard let value = datapoint else {
      runtime.highCount = 0
      runtime.lowCount = 0
      return nil
    }
    let target = policy.targetValue
    runtime.highCount = value > target ? runtime.highCount + 1 : 0
    runtime.lowCount = value < policy.scaleInThresholdRatio * target ? runtime.lowCount + 1 : 0
    if runtime.highCount >= policy.scaleOutDatapoints {
      return Proposal(policyIndex: policyIndex, desired: capacityForTarget(load: Double(inService) * value / target))
    }
    if !policy.disableScaleIn && runtime.lowCount >= policy.scaleInDatapoints {
      let needed = capacityForTarget(load: Double(inService) * value / target)
      let largestStep = max(1, Int(Double(desired) * policy.scaleInMaxFraction))
      runtime.isLowAlarm = true
      runtime.lowProposal = max(needed, desired - largestStep)
    }
    return nil
  }

  /// Records a datapoint's breach flag in the policy's ring of the last evaluationPeriods
  /// datapoints; returns whether the alarm is in ALARM (datapointsToAlarm of them breach).
  static func recordAlarmDatapoint(
    _ runtime: inout PolicyRuntime, history alarmHistory: inout [Bool], breaching: Bool, datapointsToAlarm: Int
  ) -> Bool {
    let slot = runtime.historyStart + runtime.ringNext
    if alarmHistory[slot] { runtime.breachingInRing -= 1 }
    alarmHistory[slot] = breaching
    if breaching { runtime.breachingInRing += 1 }
    runtime.ringNext += 1
    if runtime.ringNext == runtime.evaluationPeriods { runtime.ringNext = 0 }
    return runtime.breachingInRing >= datapointsToAlarm
  }

  /// ceil(x) as an instance count, robust to float noise (10.000000001 -> 10) and bounded
  /// by maxSize before conversion (never traps).
  static func capacityForTarget(load: Double) -> Int {
    let bounded = min(load, Double(GroupConfiguration.maximumSize))
    return ExactRounding.ceilingInt(bounded - 1e-9)
  }

  /// Step scaling's target: scale-out steps start from the capacity not still warming up,
  /// so a breach during warm-up adds only what exceeds the capacity already being added
  /// (ASG-UG "Step scaling"); scale-in steps start from desired capacity.
  ///
  /// Static, as `adjustedCapacity` and `instancesStillWarming` are: a non-mutating method
  /// called from the mutating `evaluatePolicies` got a copy of the whole engine on every
  /// call, every tick an alarm stayed in ALARM (measured: three quarters of a step scaling
  /// year, in retain, release and memmove).
  static func stepDesired(
    desired: Int, adjustment: Int, type: AdjustmentType, minAdjustmentMagnitude: Int?, alreadyAdding: Int
  ) -> Int {
    let isScaleOut = type == .exactCapacity ? adjustment > desired : adjustment > 0
    let base = isScaleOut ? max(0, desired - alreadyAdding) : desired
    let target = adjustedCapacity(
      from: base, adjustment: adjustment, type: type, minAdjustmentMagnitude: minAdjustmentMagnitude)
    return isScaleOut ? max(target, desired) : target
  }

  /// Applies one adjustment (ASG-UG "Scaling adjustment types"): percent results in
  /// (0, 1) become 1, above 1 round down, in (-1, 0) become -1, below -1 round toward
  /// zero; MinAdjustmentMagnitude floors the absolute change of percent adjustments.
  static func adjustedCapacity(
    from base: Int, adjustment: Int, type: AdjustmentType, minAdjustmentMagnitude: Int?
  ) -> Int {
    switch type {
    case .exactCapacity:
      return adjustment
    case .changeInCapacity:
      return base + adjustment
    case .percentChangeInCapacity:
      let raw = Double(base) * Double(adjustment) / 100
      var change: Int
      if raw > 0 {
        change = raw < 1 ? 1 : Int(raw.rounded(.down))
      } else if raw < 0 {
        change = raw > -1 ? -1 : Int(raw.rounded(.up))
      } else {
        change = 0
      }
      if let floor = minAdjustmentMagnitude, change != 0, abs(change) < floor {
        change = change > 0 ? floor : -floor
      }
      return base + change
    }
  }
}
