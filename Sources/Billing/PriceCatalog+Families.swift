extension PriceCatalog {
  /// The size Cost Explorer recommends RIs in: the family's smallest size in the region
  /// with a Standard RI price (else the smallest size).
  public func recommendedEntry(family: String, region: String) -> PriceCatalogEntry? {
    let sizes = entries.filter { $0.family == family && $0.region == region }
      .sorted { ($0.normalizationFactor, $0.instanceType) < ($1.normalizationFactor, $1.instanceType) }
    return sizes.first { $0.standardRIOneYearNoUpfrontUSDPerHour != nil } ?? sizes.first
  }
}
