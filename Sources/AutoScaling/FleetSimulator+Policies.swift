import Simulation

/// A policy's wish at one evaluation: the desired capacity it asks for.
struct Proposal {
  var policyIndex: Int
  var desired: Int
}

extension FleetEngine {
  /// Feeds the tick's metric values to every policy, and at the end of each policy's
  /// period evaluates its alarms. When several policies act at once, the largest resulting
  /// capacity wins (ASG-UG "multiple scaling policies"); target tracking scales in only
  /// when every target tracking policy that may scale in agrees.
  mutating func evaluatePolicies(tickIndex: Int, at time: SimTime, cpu: Double?, requestsPerTarget: Double?) {
    var proposals: [Proposal] = []
    var targetTrackingWantsScaleIn = false
    for index in input.policies.indices {
      let policy = input.policies[index]
      let metric: ScalingMetric
      switch policy {
      case .targetTracking(let p): metric = p.metric
      case .step(let p): metric = p.alarm.metric
      case .simple(let p): metric = p.alarm.metric
      case .scheduled: continue
      }
      if let value = metric == .averageCPUUtilization ? cpu : requestsPerTarget {
        runtimes[index].periodSum += value
        runtimes[index].periodSamples += 1
      }
      guard (tickIndex + 1) % runtimes[index].periodTicks == 0 else { continue }
      let datapoint: Double? =
        runtimes[index].periodSamples > 0
        ? runtimes[index].periodSum / Double(runtimes[index].periodSamples) : nil
      runtimes[index].periodSum = 0
      runtimes[index].periodSamples = 0

      switch policy {
      case .targetTracking(let p):
        if let proposal = evaluateTargetTracking(p, index: index, datapoint: datapoint) {
          proposals.append(proposal)
        }
        if runtimes[index].isLowAlarm { targetTrackingWantsScaleIn = true }
      case .step(let p):
        let inAlarm = runtimes[index].recordAlarmDatapoint(
          breaching: datapoint.map { p.alarm.comparison.isBreached($0, threshold: p.alarm.threshold) } ?? false,
          datapointsToAlarm: p.alarm.datapointsToAlarm)
        if inAlarm, let value = datapoint, let step = p.step(forBreach: value) {
          let warmup = p.estimatedInstanceWarmupSeconds ?? group.warmupSeconds
          let target = stepDesired(
            adjustment: step.scalingAdjustment, type: p.adjustmentType,
            minAdjustmentMagnitude: p.minAdjustmentMagnitude,
            alreadyAdding: instancesStillWarming(warmupSeconds: warmup, at: time))
          proposals.append(Proposal(policyIndex: index, desired: target))
        }
      case .simple(let p):
        let inAlarm = runtimes[index].recordAlarmDatapoint(
          breaching: datapoint.map { p.alarm.comparison.isBreached($0, threshold: p.alarm.threshold) } ?? false,
          datapointsToAlarm: p.alarm.datapointsToAlarm)
        if inAlarm && time >= runtimes[index].lockedUntil {
          let target = adjustedCapacity(
            from: desired, adjustment: p.scalingAdjustment, type: p.adjustmentType,
            minAdjustmentMagnitude: p.minAdjustmentMagnitude)
          proposals.append(Proposal(policyIndex: index, desired: target))
        }
      case .scheduled:
        break
      }
    }

    if targetTrackingWantsScaleIn && pending + warming == 0
      && participatingTargetTracking.allSatisfy({ runtimes[$0].isLowAlarm })
    {
      // All agree: the largest of their proposals wins.
      let best = participatingTargetTracking.max { runtimes[$0].lowProposal < runtimes[$1].lowProposal }!
      proposals.append(Proposal(policyIndex: best, desired: runtimes[best].lowProposal))
    }
    guard !proposals.isEmpty else { return }
    let clamped = proposals.map { Proposal(policyIndex: $0.policyIndex, desired: min(max($0.desired, minSize), maxSize)) }
    let chosen: Proposal
    if let out = clamped.filter({ $0.desired > desired }).max(by: { $0.desired < $1.desired }) {
      chosen = out
    } else if let scaleIn = clamped.filter({ $0.desired < desired }).max(by: { $0.desired < $1.desired }) {
      chosen = scaleIn
    } else {
      return
    }
    let policy = input.policies[chosen.policyIndex]
    let before = desired
    setDesired(chosen.desired, at: time, cause: policy.name)
    if case .simple(let p) = policy, desired != before {
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
  mutating func evaluateTargetTracking(_ p: TargetTrackingPolicy, index: Int, datapoint: Double?) -> Proposal? {
    runtimes[index].isLowAlarm = false
    guard let value = datapoint else {
      runtimes[index].highCount = 0
      runtimes[index].lowCount = 0
      return nil
    }
    runtimes[index].highCount = value > p.targetValue ? runtimes[index].highCount + 1 : 0
    runtimes[index].lowCount = value < p.scaleInThresholdRatio * p.targetValue ? runtimes[index].lowCount + 1 : 0
    let needed = capacityForTarget(load: Double(inService) * value / p.targetValue)
    if runtimes[index].highCount >= p.scaleOutDatapoints {
      return Proposal(policyIndex: index, desired: needed)
    }
    if !p.disableScaleIn && runtimes[index].lowCount >= p.scaleInDatapoints {
      let largestStep = max(1, Int(Double(desired) * p.scaleInMaxFraction))
      runtimes[index].isLowAlarm = true
      runtimes[index].lowProposal = max(needed, desired - largestStep)
    }
    return nil
  }

  /// ceil(x) as an instance count, robust to float noise (10.000000001 -> 10) and bounded
  /// by maxSize before conversion (never traps).
  func capacityForTarget(load: Double) -> Int {
    let bounded = min(load, Double(GroupConfiguration.maximumSize))
    return Int((bounded - 1e-9).rounded(.up))
  }

  /// Step scaling's target: scale-out steps start from the capacity not still warming up,
  /// so a breach during warm-up adds only what exceeds the capacity already being added
  /// (ASG-UG "Step scaling"); scale-in steps start from desired capacity.
  func stepDesired(adjustment: Int, type: AdjustmentType, minAdjustmentMagnitude: Int?, alreadyAdding: Int) -> Int {
    let isScaleOut = type == .exactCapacity ? adjustment > desired : adjustment > 0
    let base = isScaleOut ? max(0, desired - alreadyAdding) : desired
    let target = adjustedCapacity(
      from: base, adjustment: adjustment, type: type, minAdjustmentMagnitude: minAdjustmentMagnitude)
    return isScaleOut ? max(target, desired) : target
  }

  /// Applies one adjustment (ASG-UG "Scaling adjustment types"): percent results in
  /// (0, 1) become 1, above 1 round down, in (-1, 0) become -1, below -1 round toward
  /// zero; MinAdjustmentMagnitude floors the absolute change of percent adjustments.
  func adjustedCapacity(from base: Int, adjustment: Int, type: AdjustmentType, minAdjustmentMagnitude: Int?) -> Int {
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
