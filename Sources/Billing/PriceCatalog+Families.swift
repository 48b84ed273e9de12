extension PriceCatalog {
  /// The size Cost Explorer recommends RIs in: the family's smallest size in the region
  /// with a Standard RI price (else the smallest size).
  public func recommendedEntry(family: String, region: String) -> PriceCatalogEntry? {
    let sizes = entries.filter { $0.family == family && $0.region == region }
      .sorted { ($0.normalizationFactor, $0.instanceType) < ($1.normalizationFactor, $1.instanceType) }
    return sizes.first { $0.standardRIOneYearNoUpfrontUSDPerHour != nil } ?? sizes.first
  }
}

extension PriceCatalog {
  /// The catalog's Spot price: the average Spot price, else the On-Demand price less the
  /// Spot Instance Advisor's savings estimate; nil when neither is known (the order the
  /// billing engine uses after a scenario's own Spot price).
  public func spotUSDPerHour(region: String, instanceType: String) -> Double? {
    guard let entry = entry(region: region, instanceType: instanceType) else { return nil }
    if let price = entry.spotAverageUSDPerHour { return price }
    if let advisor = spotAdvisor(region: region, instanceType: instanceType) {
      return entry.onDemandUSDPerHour * (1 - advisor.savingsVersusOnDemandPercent / 100)
    }
    return nil
  }
}
