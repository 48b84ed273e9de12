import AutoScaling
import Simulation

/// The parameter values one variant sets; nil = the current configuration's value.
public struct PolicyVariantParameters: Sendable, Equatable, Hashable, CustomStringConvertible {
  public var targetValue: Double?
  public var warmupSeconds: SimTime?
  public var stepThresholdScale: Double?
  public var scheduledFloor: ScheduledFloorSetting?
  public var predictive: PredictiveSetting?
  /// The current policies have scheduled actions (kept unless floors before the peaks
  /// replace them): names a `.none` floor setting "current schedule".
  public var hasCurrentSchedule = false

  public init(
    targetValue: Double? = nil, warmupSeconds: SimTime? = nil, stepThresholdScale: Double? = nil,
    scheduledFloor: ScheduledFloorSetting? = nil, predictive: PredictiveSetting? = nil
  ) {
    self.targetValue = targetValue
    self.warmupSeconds = warmupSeconds
    self.stepThresholdScale = stepThresholdScale
    self.scheduledFloor = scheduledFloor
    self.predictive = predictive
  }

  /// E.g. "target 55, warm-up 300 s, predictive buffer 600 s"; "current" when nothing is set.
  public var description: String {
    var parts: [String] = []
    if let targetValue { parts.append("target \(PolicySearchFormat.number(targetValue))") }
    if let warmupSeconds { parts.append("warm-up \(PolicySearchFormat.number(warmupSeconds)) s") }
    if let stepThresholdScale { parts.append("step thresholds x\(PolicySearchFormat.number(stepThresholdScale))") }
    if let scheduledFloor { parts.append(scheduledFloor == .none && hasCurrentSchedule ? "current schedule" : scheduledFloor.description) }
    if let predictive { parts.append(predictive.description) }
    return parts.isEmpty ? "current" : parts.joined(separator: ", ")
  }
}

/// A daily scheduled action a variant adds: set the group's min size at a time of day.
/// `secondOfDay` is relative to the history's start (engine time 0 is second 0 of day 0);
/// add the history's start time of day to get a wall-clock recurrence for export.
public struct DailyScheduledFloor: Sendable, Equatable {
  public var name: String
  /// [0, 86400).
  public var secondOfDay: SimTime
  public var minSize: Int

  public init(name: String, secondOfDay: SimTime, minSize: Int) {
    self.name = name
    self.secondOfDay = secondOfDay
    self.minSize = minSize
  }
}

/// One configuration the search simulates.
public struct PolicyVariant: Sendable, Equatable {
  /// Position in the search's variant order; nil for the current configuration.
  public var index: Int?
  public var parameters: PolicyVariantParameters
  public var group: GroupConfiguration
  /// The dynamic and predictive policies, plus the current scheduled actions.
  public var policies: [ScalingPolicy]
  /// The peak floors, repeated every day (empty without a floor).
  public var dailyFloors: [DailyScheduledFloor]

  public init(
    index: Int?, parameters: PolicyVariantParameters, group: GroupConfiguration, policies: [ScalingPolicy],
    dailyFloors: [DailyScheduledFloor] = []
  ) {
    self.index = index
    self.parameters = parameters
    self.group = group
    self.policies = policies
    self.dailyFloors = dailyFloors
  }

  public var name: String { index.map { "#\($0) \(parameters)" } ?? "current" }

  static func current(group: GroupConfiguration, policies: [ScalingPolicy]) -> PolicyVariant {
    PolicyVariant(index: nil, parameters: PolicyVariantParameters(), group: group, policies: policies)
  }

  /// `policies` plus the daily floors expanded to firing times of a series that starts
  /// `dayOffsetSeconds` into a history day and lasts `durationSeconds`. Scheduled actions
  /// among `policies` (firing at history seconds) are moved onto the series, which starts
  /// `startSeconds` into the history: each keeps its firings inside the series, and the
  /// last firing of each before the series start is applied at its start (in their original
  /// order), so the sizes in force carry over.
  /// With `clock`, the daily floors fire at their local time of day (see `LocalClock`).
  public func policies(
    dayOffsetSeconds: SimTime, durationSeconds: SimTime, startSeconds: SimTime = 0, clock: LocalClock = LocalClock()
  ) -> [ScalingPolicy] {
    var carried: [(time: SimTime, action: ScheduledAction)] = []
    var moved: [ScalingPolicy] = []
    for policy in policies {
      guard case .scheduled(var action) = policy else {
        moved.append(policy)
        continue
      }
      let times = action.firingTimes
      if startSeconds > 0, let last = times.last(where: { $0 < startSeconds }) {
        var inForce = action
        inForce.name = action.name + " (in force at the start)"
        inForce.firingTimes = [0]
        carried.append((last, inForce))
      }
      action.firingTimes = times.compactMap { t in
        let shifted = t - startSeconds
        return shifted >= 0 && shifted < durationSeconds ? shifted : nil
      }
      moved.append(.scheduled(action))
    }
    let atStart = carried.sorted { $0.time < $1.time }.map { ScalingPolicy.scheduled($0.action) }
    return atStart + moved
      + dailyFloors.map { floor in
        // The series' first tick in engine time: its day's start plus `dayOffsetSeconds`.
        let origin = startSeconds - startSeconds.truncatingRemainder(dividingBy: 86_400) + dayOffsetSeconds
        let times = clock.times(ofSecondOfDay: floor.secondOfDay, from: origin, to: origin + durationSeconds)
        return .scheduled(ScheduledAction(name: floor.name, firingTimes: times.map { $0 - origin }, minSize: floor.minSize))
      }
  }
}

extension PolicySearch {
  /// The variants of `space` applied to the input's group and current policies, in the
  /// search's order (the cartesian product, last axis fastest), validated.
  public static func variants(for input: PolicySearchInput, space: PolicySearchSpace) throws(AdvisorError) -> [PolicyVariant] {
    try validate(space, input: input)
    let peaks: [DailyPeak] =
      if let floors = space.scheduledFloors, floors.contains(where: { $0 != .none }) {
        try dailyPeaks(
          demandPerMinute: input.history.demandPerMinute, tickSeconds: input.tickSeconds,
          detection: space.peakDetection, clock: input.clock)
      } else { [] }
    if space.scheduledFloors?.contains(where: { $0 != .none }) == true && peaks.isEmpty {
      throw .invalidInput(
        "policy search: 'scheduledFloors' needs daily peaks, found none: the history's average day has no bucket above its mean")
    }
    let targets: [Double?] = space.targetValues ?? [nil]
    let warmups: [SimTime?] = space.warmupSeconds ?? [nil]
    let scales: [Double?] = space.stepThresholdScales ?? [nil]
    let floors: [ScheduledFloorSetting?] = space.scheduledFloors ?? [nil]
    let predictive: [PredictiveSetting?] = space.predictive ?? [nil]
    let hasSchedule = input.currentPolicies.contains(where: \.isScheduled)
    var variants: [PolicyVariant] = []
    variants.reserveCapacity(space.variantCount)
    for target in targets {
      for warmup in warmups {
        for scale in scales {
          for floor in floors {
            for setting in predictive {
              var parameters = PolicyVariantParameters(
                targetValue: target, warmupSeconds: warmup, stepThresholdScale: scale, scheduledFloor: floor,
                predictive: setting)
              parameters.hasCurrentSchedule = hasSchedule
              variants.append(
                apply(parameters, index: variants.count, group: input.group, policies: input.currentPolicies, peaks: peaks))
            }
          }
        }
      }
    }
    return variants
  }

  static func apply(
    _ parameters: PolicyVariantParameters, index: Int, group: GroupConfiguration, policies: [ScalingPolicy],
    peaks: [DailyPeak]
  ) -> PolicyVariant {
    var group = group
    var policies = policies
    if let warmup = parameters.warmupSeconds { group.warmupSeconds = warmup }
    for k in policies.indices {
      switch policies[k] {
      case .targetTracking(var p):
        if let target = parameters.targetValue { p.targetValue = target }
        policies[k] = .targetTracking(p)
      case .step(var p):
        if let scale = parameters.stepThresholdScale {
          p.alarm.threshold *= scale
          p.steps = p.steps.map { step in
            StepAdjustment(
              lowerBound: step.lowerBound.map { $0 * scale }, upperBound: step.upperBound.map { $0 * scale },
              scalingAdjustment: step.scalingAdjustment)
          }
        }
        if let warmup = parameters.warmupSeconds, p.estimatedInstanceWarmupSeconds != nil {
          p.estimatedInstanceWarmupSeconds = warmup
        }
        policies[k] = .step(p)
      case .simple(var p):
        if let scale = parameters.stepThresholdScale { p.alarm.threshold *= scale }
        policies[k] = .simple(p)
      case .scheduled, .predictive: break
      }
    }
    switch parameters.predictive {
    case nil: break
    case .off: policies.removeAll(where: \.isPredictive)
    case .on(let buffer):
      if policies.contains(where: \.isPredictive) {
        policies = policies.map { policy in
          guard case .predictive(var p) = policy else { return policy }
          p.mode = .forecastAndScale
          p.schedulingBufferSeconds = buffer
          return .predictive(p)
        }
      } else if let tracking = policies.lazy.compactMap(\.targetTracking).first {
        policies.append(
          .predictive(
            PredictiveScalingPolicy(
              name: uniqueName("predictive", in: policies), metric: tracking.metric, targetValue: tracking.targetValue,
              mode: .forecastAndScale, schedulingBufferSeconds: buffer)))
      }
    }
    var floors: [DailyScheduledFloor] = []
    if case .beforePeaks(let lead, let share) = parameters.scheduledFloor {
      // Floors before the peaks are an alternative to the current schedule, not an addition.
      policies.removeAll(where: \.isScheduled)
      for (k, peak) in peaks.enumerated() {
        let needed = (share * peak.peakDemandPerMinute / group.capacityUnitsPerMinute - 1e-9).rounded(.up)
        let floor = max(group.minSize, min(group.maxSize, Int(max(0, needed))))
        let raise = (peak.startSecondOfDay - SimTime.minutes(Double(lead))).truncatingRemainder(dividingBy: 86_400)
        floors.append(
          DailyScheduledFloor(
            name: uniqueName("peak-\(k + 1)-floor-raise", in: policies), secondOfDay: raise < 0 ? raise + 86_400 : raise,
            minSize: floor))
        floors.append(
          DailyScheduledFloor(
            name: uniqueName("peak-\(k + 1)-floor-lower", in: policies),
            secondOfDay: (peak.startSecondOfDay + peak.durationSeconds).truncatingRemainder(dividingBy: 86_400),
            minSize: group.minSize))
      }
    }
    return PolicyVariant(index: index, parameters: parameters, group: group, policies: policies, dailyFloors: floors)
  }

  static func uniqueName(_ base: String, in policies: [ScalingPolicy]) -> String {
    var name = base
    var suffix = 2
    while policies.contains(where: { $0.name == name }) {
      name = "\(base)-\(suffix)"
      suffix += 1
    }
    return name
  }

  static func validate(_ space: PolicySearchSpace, input: PolicySearchInput) throws(AdvisorError) {
    func fail(_ field: String, _ expected: String, _ found: String) -> AdvisorError {
      .invalidInput("policy search: 'searchSpace.\(field)' should be \(expected), found \(found)")
    }
    let axes: [(String, Int?)] = [
      ("targetValues", space.targetValues?.count), ("warmupSeconds", space.warmupSeconds?.count),
      ("stepThresholdScales", space.stepThresholdScales?.count), ("scheduledFloors", space.scheduledFloors?.count),
      ("predictive", space.predictive?.count),
    ]
    if axes.allSatisfy({ $0.1 == nil }) {
      throw .invalidInput(
        "policy search: the search space is empty: give at least one of targetValues, warmupSeconds, stepThresholdScales, scheduledFloors, predictive")
    }
    for (name, count) in axes where count == 0 { throw fail(name, "at least one value (leave it out to keep the current value)", "an empty list") }
    let count = axes.reduce(1.0) { $0 * Double($1.1 ?? 1) }
    if count > Double(PolicySearchSpace.maximumVariantCount) {
      throw .invalidInput(
        "policy search: the search space has \(Int(count)) variants, more than the \(PolicySearchSpace.maximumVariantCount) allowed; give fewer values per axis")
    }
    let policies = input.currentPolicies
    let tracking = policies.compactMap(\.targetTracking)
    if let targets = space.targetValues {
      if tracking.isEmpty {
        throw fail("targetValues", "used with current policies that include a target tracking policy", "none")
      }
      for (k, target) in targets.enumerated() {
        for policy in tracking {
          switch policy.metric {
          case .averageCPUUtilization where !(target >= 1 && target <= 100 && target < 100):
            throw fail("targetValues[\(k)]", "a CPU percentage in 1...100 (below 100) for policy '\(policy.name)'", PolicySearchFormat.number(target))
          case .requestCountPerTarget where !(target > 0 && target.isFinite):
            throw fail("targetValues[\(k)]", "a positive request count per target for policy '\(policy.name)'", "\(target)")
          default: break
          }
        }
      }
    }
    for (k, warmup) in (space.warmupSeconds ?? []).enumerated() where !(warmup >= 0 && warmup <= 86_400) {
      throw fail("warmupSeconds[\(k)]", "seconds in 0...86400", "\(warmup)")
    }
    if let scales = space.stepThresholdScales {
      let alarms: [(String, AlarmConfiguration)] = policies.compactMap { policy in
        switch policy {
        case .step(let p): (p.name, p.alarm)
        case .simple(let p): (p.name, p.alarm)
        default: nil
        }
      }
      if alarms.isEmpty { throw fail("stepThresholdScales", "used with current policies that include a step or simple policy", "none") }
      for (k, scale) in scales.enumerated() {
        if !(scale > 0 && scale.isFinite) { throw fail("stepThresholdScales[\(k)]", "a factor > 0", "\(scale)") }
        for (name, alarm) in alarms where alarm.metric == .averageCPUUtilization && alarm.threshold * scale > 100 {
          throw fail(
            "stepThresholdScales[\(k)]",
            "a factor that keeps policy '\(name)''s CPU threshold \(PolicySearchFormat.number(alarm.threshold)) within 100%",
            "\(scale) (threshold \(alarm.threshold * scale))")
        }
      }
    }
    for (k, floor) in (space.scheduledFloors ?? []).enumerated() {
      guard case .beforePeaks(let lead, let share) = floor else { continue }
      if !(lead >= 0 && lead <= 720) { throw fail("scheduledFloors[\(k)].leadMinutes", "minutes in 0...720", "\(lead)") }
      if !(share > 0 && share <= 2) { throw fail("scheduledFloors[\(k)].peakShare", "a share of the peak in (0, 2]", "\(share)") }
    }
    if let settings = space.predictive {
      for (k, setting) in settings.enumerated() {
        guard case .on(let buffer) = setting else { continue }
        if !(buffer >= 0 && buffer <= 3_600) {
          throw fail("predictive[\(k)].schedulingBufferSeconds", "seconds in 0...3600", "\(buffer)")
        }
        if tracking.isEmpty && !policies.contains(where: \.isPredictive) {
          throw fail(
            "predictive[\(k)]",
            "used with current policies that include a predictive or a target tracking policy (whose metric and target it takes)",
            "neither")
        }
      }
    }
    let detection = space.peakDetection
    if !(1...6).contains(detection.peakCount) { throw fail("peakDetection.peakCount", "1...6", "\(detection.peakCount)") }
    if !(detection.bucketMinutes >= 1 && 1_440 % detection.bucketMinutes == 0) {
      throw fail("peakDetection.bucketMinutes", "minutes dividing 1440 (5, 15, 30, 60...)", "\(detection.bucketMinutes)")
    }
    if !(detection.windowShareOfPeak > 0 && detection.windowShareOfPeak < 1) {
      throw fail("peakDetection.windowShareOfPeak", "a share in (0, 1)", "\(detection.windowShareOfPeak)")
    }
  }
}

extension ScalingPolicy {
  var targetTracking: TargetTrackingPolicy? {
    if case .targetTracking(let p) = self { p } else { nil }
  }
}
