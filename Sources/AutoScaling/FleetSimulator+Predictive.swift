import Simulation

// Predictive scaling in the fluid engine (ASG-UG "Predictive scaling"; reference §5).
//
// The forecast in effect at time t is the latest refresh issued at or before t. The hour a
// ForecastAndScale policy provisions for at t is the hour containing t + buffer: the floor
// for hour H is set at H h - buffer (from the forecast in effect then) and, when a refresh
// lands at H h itself, replaced by that refresh's value for H. The group's effective
// minimum is max(MinSize, floor), the floor capped at MaxSize (HonorMaxCapacity) or MaxSize
// first raised to ceil(floor × (1 + MaxCapacityBuffer / 100)) (IncreaseMaxCapacity; the
// raised maximum stays, as AWS documents). A floor never scales in by itself: only dynamic
// policies remove capacity, and never below the floor.

/// One change of a ForecastAndScale policy's floor.
struct PredictiveFloorStep {
  var time: SimTime
  /// Index into `FleetEngine.predictivePolicies`.
  var slot: Int
  /// Forecast capacity of the hour being provisioned for; 0 without a forecast.
  var floor: Int
}

extension PredictiveScalingPolicy {
  /// Instances that carry `loadPerMinute` at the target: for CPU
  /// `ceil(load / (capacityUnitsPerMinute × target / 100))`, for request count per target
  /// `ceil(load / target)`; at most `GroupConfiguration.maximumSize`.
  public func forecastCapacity(forLoadPerMinute load: Double, capacityUnitsPerMinute: Double) -> Int {
    let perInstance = metric == .averageCPUUtilization ? capacityUnitsPerMinute * targetValue / 100 : targetValue
    let instances = min(load / perInstance, Double(GroupConfiguration.maximumSize))
    guard instances > 0 else { return 0 }
    // ceil, robust to float noise (10.000000001 -> 10), as target tracking rounds.
    return max(0, Int((instances - 1e-9).rounded(.up)))
  }

  /// IncreaseMaxCapacity: the largest maximum the forecast may raise the group to,
  /// `ceil(floor × (1 + MaxCapacityBuffer / 100))` in integers; nil with HonorMaxCapacity.
  func raisedMaximum(forFloor floor: Int) -> Int? {
    guard maxCapacityBreachBehavior == .increaseMaxCapacity else { return nil }
    return min(GroupConfiguration.maximumSize, (floor * (100 + maxCapacityBufferPercent) + 99) / 100)
  }

  /// The floor changes of this policy over `[0, durationSeconds)`, in time order (only
  /// where the value changes; the group starts without a floor).
  func floorSteps(
    slot: Int, forecast: PredictiveLoadForecast, capacityUnitsPerMinute: Double, durationSeconds: SimTime
  ) -> [PredictiveFloorStep] {
    var steps: [PredictiveFloorStep] = []
    var current = 0
    var hint = 0
    func capacity(issue: Int?, hour: Int) -> Int {
      guard let issue, let load = forecast.issues[issue].load(hour: hour) else { return 0 }
      return forecastCapacity(forLoadPerMinute: load, capacityUnitsPerMinute: capacityUnitsPerMinute)
    }
    func emit(_ time: SimTime, _ floor: Int) {
      guard floor != current else { return }
      steps.append(PredictiveFloorStep(time: time, slot: slot, floor: floor))
      current = floor
    }
    var hour = 0
    while true {
      let hourStart = SimTime.hours(Double(hour))
      let actionTime = max(0, hourStart - schedulingBufferSeconds)
      guard actionTime < durationSeconds else { break }
      let issue = forecast.latestIssue(atOrBefore: actionTime, from: &hint)
      emit(actionTime, capacity(issue: issue, hour: hour))
      // A refresh at the hour's start, after the buffered action: its value for the hour.
      if hourStart > actionTime && hourStart < durationSeconds {
        let atStart = forecast.latestIssue(atOrBefore: hourStart, from: &hint)
        if atStart != issue { emit(hourStart, capacity(issue: atStart, hour: hour)) }
      }
      hour += 1
    }
    return steps
  }

  /// The policy's hourly forecast next to the hour's actual load and in-service mean.
  func record(
    forecast: PredictiveLoadForecast, capacityUnitsPerMinute: Double, meanInServiceInstances: [Double]
  ) -> PredictiveForecastRecord {
    var hint = 0
    var loads: [Double?] = []
    var capacities: [Int?] = []
    for hour in forecast.hourlyLoadPerMinute.indices {
      let issue = forecast.latestIssue(atOrBefore: SimTime.hours(Double(hour)), from: &hint)
      let load = issue.flatMap { forecast.issues[$0].load(hour: hour) }
      loads.append(load)
      capacities.append(load.map { forecastCapacity(forLoadPerMinute: $0, capacityUnitsPerMinute: capacityUnitsPerMinute) })
    }
    return PredictiveForecastRecord(
      policyName: name, mode: mode, forecastLoadPerMinute: loads, forecastCapacity: capacities,
      actualLoadPerMinute: forecast.hourlyLoadPerMinute, meanInServiceInstances: meanInServiceInstances)
  }
}

extension FleetEngine {
  /// The lowest desired capacity allowed now: MinSize, or the predictive floor capped at
  /// MaxSize when higher.
  var lowerBound: Int { max(minSize, min(predictiveFloor, maxSize)) }

  /// Collects the predictive policies and merges their floor steps; the first step is
  /// scheduled, each applied step schedules the next (a small event heap).
  mutating func preparePredictive(forecast: PredictiveLoadForecast?) {
    for policy in input.policies {
      if case .predictive(let p) = policy { predictivePolicies.append(p) }
    }
    guard let forecast, !predictivePolicies.isEmpty else { return }
    predictiveForecast = forecast
    predictiveFloors = Array(repeating: 0, count: predictivePolicies.count)
    for (slot, policy) in predictivePolicies.enumerated() where policy.mode == .forecastAndScale {
      predictiveSteps += policy.floorSteps(
        slot: slot, forecast: forecast, capacityUnitsPerMinute: group.capacityUnitsPerMinute,
        durationSeconds: input.durationSeconds)
    }
    // Stable: equal times keep policy order.
    predictiveSteps = predictiveSteps.enumerated()
      .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
      .map(\.element)
    if let first = predictiveSteps.first { events.schedule(.predictive(step: 0), at: first.time) }
    let hours = forecast.hourlyLoadPerMinute.count
    hourlyInServiceSeconds = Array(repeating: 0, count: hours)
    hourlyCoveredSeconds = Array(repeating: 0, count: hours)
  }

  /// Applies one floor change: raises the maximum if the policy may, then scales out to
  /// the new lower bound if desired capacity is below it (never in).
  mutating func applyPredictiveStep(_ index: Int, at time: SimTime) {
    let step = predictiveSteps[index]
    if index + 1 < predictiveSteps.count { events.schedule(.predictive(step: index + 1), at: predictiveSteps[index + 1].time) }
    let policy = predictivePolicies[step.slot]
    predictiveFloors[step.slot] = step.floor
    if let raised = policy.raisedMaximum(forFloor: step.floor), raised > maxSize { maxSize = raised }
    predictiveFloor = predictiveFloors.max() ?? 0
    if desired < lowerBound { setDesired(lowerBound, at: time, cause: policy.name) }
  }

  /// One record per predictive policy, from the hourly in-service sums of the run.
  func predictiveRecords() -> [PredictiveForecastRecord] {
    guard let forecast = predictiveForecast else { return [] }
    let meanInService = zip(hourlyInServiceSeconds, hourlyCoveredSeconds).map { $1 > 0 ? $0 / $1 : 0 }
    return predictivePolicies.map {
      $0.record(
        forecast: forecast, capacityUnitsPerMinute: group.capacityUnitsPerMinute, meanInServiceInstances: meanInService)
    }
  }
}
