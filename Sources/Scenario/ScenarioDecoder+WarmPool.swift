import AutoScaling

extension ScenarioDecoder {
  static let warmPoolKeys = [
    "state", "minSize", "maxGroupPreparedCapacity", "reuseOnScaleIn", "warmLaunchTime", "volumeGiB", "usdPerGBMonth",
  ]

  /// `warmPool:` (fleet, or a variant's `fleet:` where `none` removes the fleet's pool):
  /// a whole block, not merged with the fleet's. `warmLaunchTime` is required: no AWS
  /// document gives it.
  static func decodeWarmPool(_ value: YAMLValue, allowsNone: Bool) throws(ScenarioError) -> WarmPoolConfiguration? {
    if allowsNone, (try? value.string()) == "none" { return nil }
    let mapping = try value.mapping(allowedKeys: warmPoolKeys)
    var pool = WarmPoolConfiguration(warmLaunchSeconds: 0)
    if let v = mapping["state"] {
      pool.poolState = try v.choice([("stopped", .stopped), ("hibernated", .hibernated), ("running", .running)])
    }
    if let v = mapping["minSize"] { pool.minSize = try v.int(in: 0...GroupConfiguration.maximumSize) }
    if let v = mapping["maxGroupPreparedCapacity"] {
      pool.maxGroupPreparedCapacity = try v.int(in: 0...GroupConfiguration.maximumSize)
    }
    if let v = mapping["reuseOnScaleIn"] { pool.reuseOnScaleIn = try v.bool() }
    pool.warmLaunchSeconds = try mapping.required("warmLaunchTime").duration(in: .closed(0, 86_400))
    if let v = mapping["volumeGiB"] { pool.volumeGiBPerInstance = try v.double(in: .above(0, atMost: 1_048_576)) }
    if let v = mapping["usdPerGBMonth"] { pool.usdPerGBMonth = try v.double(in: .closed(0, 100)) }
    return pool
  }

  /// AWS's rule (PutWarmPool): no warm pool on a group with Spot or a mixed instances
  /// policy. Checked after purchase options, at the `warmPool:` block.
  static func checkWarmPoolPurchaseOptions(
    _ group: GroupConfiguration, spotPriceUSDPerHour: Double?, at location: SourceLocation?, owner: String
  ) throws(ScenarioError) {
    guard group.warmPool != nil, let location else { return }
    let found: String? =
      group.onDemandPercentageAboveBaseCapacity < 100
      ? "onDemandPercentageAboveBaseCapacity \(group.onDemandPercentageAboveBaseCapacity) (Spot instances)"
      : spotPriceUSDPerHour != nil ? "spotPriceUSDPerHour (a Spot price)" : nil
    if let found {
      throw location.error(.policy(
        "\(owner)'warmPool' needs an all On-Demand group without a Spot price (AWS allows no warm pool on a group with "
          + "Spot instances or a mixed instances policy), found \(found)"))
    }
  }
}
