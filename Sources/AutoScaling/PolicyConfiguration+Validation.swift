import Simulation

// Range and consistency checks run before any simulation arithmetic (Swift traps on
// overflow); Scenario runs them and attaches file:line:column to the error.

extension GroupConfiguration {
  /// Largest group capsim accepts; keeps every instance count far from Int overflow.
  public static let maximumSize = 1_000_000

  public func validate() throws(AutoScalingError) {
    func fail(_ field: String, _ expected: String, _ found: Any) throws(AutoScalingError) {
      throw AutoScalingError(field: field, expected: expected, found: "\(found)")
    }
    if minSize < 0 || minSize > Self.maximumSize {
      try fail("minSize", "0...\(Self.maximumSize)", minSize)
    }
    if maxSize < minSize || maxSize > Self.maximumSize {
      try fail("maxSize", ">= minSize (\(minSize)) and <= \(Self.maximumSize)", maxSize)
    }
    if initialCapacity < minSize || initialCapacity > maxSize {
      try fail("initialCapacity", "within minSize...maxSize (\(minSize)...\(maxSize))", initialCapacity)
    }
    if !(launchSeconds >= 0 && launchSeconds <= 86_400) {
      try fail("launchSeconds", "0...86400 seconds", launchSeconds)
    }
    if !(launchJitterSeconds >= 0 && launchJitterSeconds <= launchSeconds) {
      try fail("launchJitterSeconds", "0...launchSeconds (\(launchSeconds))", launchJitterSeconds)
    }
    if !(warmupSeconds >= 0 && warmupSeconds <= 86_400) {
      try fail("warmupSeconds", "0...86400 seconds", warmupSeconds)
    }
    if !(capacityUnitsPerMinute > 0 && capacityUnitsPerMinute.isFinite) {
      try fail("capacityUnitsPerMinute", "a positive finite number", capacityUnitsPerMinute)
    }
    if onDemandBaseCapacity < 0 || onDemandBaseCapacity > Self.maximumSize {
      try fail("onDemandBaseCapacity", "0...\(Self.maximumSize)", onDemandBaseCapacity)
    }
    if onDemandPercentageAboveBaseCapacity < 0 || onDemandPercentageAboveBaseCapacity > 100 {
      try fail("onDemandPercentageAboveBaseCapacity", "0...100", onDemandPercentageAboveBaseCapacity)
    }
    if availabilityZoneCount < 1 || availabilityZoneCount > 32 {
      try fail("availabilityZoneCount", "1...32", availabilityZoneCount)
    }
    try warmPool?.validate(group: self)
    try validateInstanceTypes()
  }
}

extension AlarmConfiguration {
  func validate(policy: String) throws(AutoScalingError) {
    func fail(_ field: String, _ expected: String, _ found: Any) throws(AutoScalingError) {
      throw AutoScalingError(policy: policy, field: "alarm.\(field)", expected: expected, found: "\(found)")
    }
    if !threshold.isFinite { try fail("threshold", "a finite number", threshold) }
    if !(periodSeconds >= 10 && periodSeconds <= 86_400) {
      try fail("periodSeconds", "10...86400 seconds", periodSeconds)
    }
    if evaluationPeriods < 1 || evaluationPeriods > 1_440 {
      try fail("evaluationPeriods", "1...1440", evaluationPeriods)
    }
    if datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods {
      try fail("datapointsToAlarm", "1...evaluationPeriods (\(evaluationPeriods))", datapointsToAlarm)
    }
  }
}

/// Adjustments are bounded so that desired ± adjustment never overflows.
let maximumAdjustment = GroupConfiguration.maximumSize

func validateAdjustment(
  _ value: Int, type: AdjustmentType, field: String, policy: String
) throws(AutoScalingError) {
  let bound = type == .percentChangeInCapacity ? 10_000 : maximumAdjustment
  if value < -bound || value > bound {
    throw AutoScalingError(policy: policy, field: field, expected: "-\(bound)...\(bound)", found: "\(value)")
  }
  if type == .exactCapacity && value < 0 {
    throw AutoScalingError(policy: policy, field: field, expected: ">= 0 for ExactCapacity", found: "\(value)")
  }
}

func validateMinAdjustmentMagnitude(
  _ value: Int?, type: AdjustmentType, policy: String
) throws(AutoScalingError) {
  guard let value else { return }
  if type != .percentChangeInCapacity {
    throw AutoScalingError(
      policy: policy, field: "minAdjustmentMagnitude",
      expected: "absent unless adjustmentType is PercentChangeInCapacity", found: "\(value)")
  }
  if value < 1 || value > maximumAdjustment {
    throw AutoScalingError(
      policy: policy, field: "minAdjustmentMagnitude", expected: "1...\(maximumAdjustment)", found: "\(value)")
  }
}

extension TargetTrackingPolicy {
  public func validate() throws(AutoScalingError) {
    func fail(_ field: String, _ expected: String, _ found: Any) throws(AutoScalingError) {
      throw AutoScalingError(policy: name, field: field, expected: expected, found: "\(found)")
    }
    switch metric {
    case .averageCPUUtilization:
      if !(targetValue > 0 && targetValue < 100) { try fail("targetValue", "a CPU percentage in (0, 100)", targetValue) }
    case .requestCountPerTarget:
      if !(targetValue > 0 && targetValue.isFinite) { try fail("targetValue", "a positive number of requests per target per minute", targetValue) }
    }
    if scaleOutDatapoints < 1 || scaleOutDatapoints > 1_440 { try fail("scaleOutDatapoints", "1...1440", scaleOutDatapoints) }
    if scaleInDatapoints < 1 || scaleInDatapoints > 1_440 { try fail("scaleInDatapoints", "1...1440", scaleInDatapoints) }
    if !(scaleInThresholdRatio > 0 && scaleInThresholdRatio <= 1) { try fail("scaleInThresholdRatio", "in (0, 1]", scaleInThresholdRatio) }
    if !(metricPeriodSeconds >= 10 && metricPeriodSeconds <= 3_600) { try fail("metricPeriodSeconds", "10...3600 seconds", metricPeriodSeconds) }
    if !(scaleInMaxFraction > 0 && scaleInMaxFraction <= 1) { try fail("scaleInMaxFraction", "in (0, 1]", scaleInMaxFraction) }
  }
}

extension StepScalingPolicy {
  /// AWS's rules for step adjustments (ASG-UG "Step adjustments"): no gaps or overlaps, at
  /// most one unbounded lower and one unbounded upper end, all steps on one side of the
  /// threshold's sign convention.
  public func validate() throws(AutoScalingError) {
    func fail(_ field: String, _ expected: String, _ found: Any) throws(AutoScalingError) {
      throw AutoScalingError(policy: name, field: field, expected: expected, found: "\(found)")
    }
    try alarm.validate(policy: name)
    try validateMinAdjustmentMagnitude(minAdjustmentMagnitude, type: adjustmentType, policy: name)
    if steps.isEmpty { try fail("steps", "at least one step adjustment", "none") }
    for (i, step) in steps.enumerated() {
      try validateAdjustment(step.scalingAdjustment, type: adjustmentType, field: "steps[\(i)].scalingAdjustment", policy: name)
      if let lower = step.lowerBound, !lower.isFinite { try fail("steps[\(i)].lowerBound", "a finite number", lower) }
      if let upper = step.upperBound, !upper.isFinite { try fail("steps[\(i)].upperBound", "a finite number", upper) }
      if let lower = step.lowerBound, let upper = step.upperBound, !(lower < upper) {
        try fail("steps[\(i)].upperBound", "greater than lowerBound (\(lower))", upper)
      }
      if step.lowerBound == nil && step.upperBound == nil && steps.count > 1 {
        try fail("steps[\(i)]", "bounded when there are several steps", "both bounds absent")
      }
    }
    // Sorted by lower bound (nil = -infinity), consecutive steps must touch exactly.
    let sorted = steps.enumerated().sorted { ($0.element.lowerBound ?? -.infinity) < ($1.element.lowerBound ?? -.infinity) }
    for k in 1..<max(1, sorted.count) {
      let previous = sorted[k - 1], current = sorted[k]
      let end = previous.element.upperBound ?? .infinity
      let begin = current.element.lowerBound ?? -.infinity
      if end != begin {
        let what = end < begin ? "a gap" : "an overlap"
        try fail(
          "steps[\(current.offset)].lowerBound",
          "equal to steps[\(previous.offset)].upperBound (\(end)) so the intervals neither gap nor overlap",
          "\(begin) (\(what))")
      }
    }
    if let warmup = estimatedInstanceWarmupSeconds, !(warmup >= 0 && warmup <= 86_400) {
      try fail("estimatedInstanceWarmupSeconds", "0...86400 seconds", warmup)
    }
  }

  /// The step whose interval holds `metric - threshold`, if any.
  func step(forBreach value: Double) -> StepAdjustment? {
    let offset = value - alarm.threshold
    return steps.first { step in
      (step.lowerBound.map { offset >= $0 } ?? true) && (step.upperBound.map { offset < $0 } ?? true)
    }
  }
}

extension SimpleScalingPolicy {
  public func validate() throws(AutoScalingError) {
    try alarm.validate(policy: name)
    try validateMinAdjustmentMagnitude(minAdjustmentMagnitude, type: adjustmentType, policy: name)
    try validateAdjustment(scalingAdjustment, type: adjustmentType, field: "scalingAdjustment", policy: name)
    if !(cooldownSeconds >= 0 && cooldownSeconds <= 86_400) {
      throw AutoScalingError(policy: name, field: "cooldownSeconds", expected: "0...86400 seconds", found: "\(cooldownSeconds)")
    }
  }
}

extension ScheduledAction {
  public func validate() throws(AutoScalingError) {
    func fail(_ field: String, _ expected: String, _ found: Any) throws(AutoScalingError) {
      throw AutoScalingError(policy: name, field: field, expected: expected, found: "\(found)")
    }
    if minSize == nil && maxSize == nil && desiredCapacity == nil {
      try fail("minSize/maxSize/desiredCapacity", "at least one of them", "none")
    }
    for (field, value) in [("minSize", minSize), ("maxSize", maxSize), ("desiredCapacity", desiredCapacity)] {
      if let value, value < 0 || value > GroupConfiguration.maximumSize {
        try fail(field, "0...\(GroupConfiguration.maximumSize)", value)
      }
    }
    if let minSize, let maxSize, minSize > maxSize { try fail("maxSize", ">= minSize (\(minSize))", maxSize) }
    if let bad = firingTimes.first(where: { !($0.isFinite && $0 >= 0) }) {
      try fail("firingTimes", "finite times >= 0 s", bad)
    }
  }
}

extension PredictiveScalingPolicy {
  /// AWS's ranges (ASG-UG "Predictive scaling"; PredictiveScalingConfiguration): buffer
  /// time 0...3600 s, MaxCapacityBuffer 0...100 and only with IncreaseMaxCapacity.
  public func validate() throws(AutoScalingError) {
    func fail(_ field: String, _ expected: String, _ found: Any) throws(AutoScalingError) {
      throw AutoScalingError(policy: name, field: field, expected: expected, found: "\(found)")
    }
    switch metric {
    case .averageCPUUtilization:
      if !(targetValue > 0 && targetValue < 100) { try fail("targetValue", "a CPU percentage in (0, 100)", targetValue) }
    case .requestCountPerTarget:
      if !(targetValue > 0 && targetValue.isFinite) {
        try fail("targetValue", "a positive number of requests per target per minute", targetValue)
      }
    }
    if !(schedulingBufferSeconds >= 0 && schedulingBufferSeconds <= 3_600) {
      try fail("schedulingBufferSeconds", "0...3600 seconds", schedulingBufferSeconds)
    }
    if maxCapacityBufferPercent < 0 || maxCapacityBufferPercent > 100 {
      try fail("maxCapacityBufferPercent", "0...100 (percent above the forecast capacity)", maxCapacityBufferPercent)
    }
    if maxCapacityBreachBehavior == .honorMaxCapacity && maxCapacityBufferPercent != 0 {
      try fail(
        "maxCapacityBufferPercent", "0 unless maxCapacityBreachBehavior is IncreaseMaxCapacity",
        maxCapacityBufferPercent)
    }
  }
}

extension ScalingPolicy {
  public func validate() throws(AutoScalingError) {
    switch self {
    case .targetTracking(let p): try p.validate()
    case .step(let p): try p.validate()
    case .simple(let p): try p.validate()
    case .scheduled(let p): try p.validate()
    case .predictive(let p): try p.validate()
    }
  }
}
