import Foundation

/// The bill of a simulated fleet as AWS would compute it: on-demand and Spot usage, Reserved
/// Instances and Savings Plans applied hour by hour, with utilization, coverage, waste,
/// savings and showback per service and team; optionally streamed as FOCUS rows.
///
/// ```swift
/// let bill = try FleetBill(
///   usage: lifetimes,                       // [InstanceUsage], one service or many
///   commitments: Commitments(reservedInstances: [ri], savingsPlans: [plan]),
///   catalog: try .bundled(), savingsPlanRates: rates,
///   options: BillingOptions(horizonHours: 24 * 365))
/// bill.effectiveCostUSD, bill.effectiveSavingsRate, bill.showback.services.first?.name
///
/// var writer = FOCUSCSVWriter(fileHandle: handle)     // or any LineItemSink
/// _ = try FleetBill(usage: lifetimes, commitments: commitments, catalog: catalog,
///                   savingsPlanRates: rates, options: options, start: scenarioStart,
///                   lineItems: &writer)
/// ```
///
/// **Usage.** Per second with a 60-second minimum per instance start, attributed to
/// clock-hours like ``OnDemandBill`` (``HourlyAttribution``). Spot usage is priced at the
/// scenario's Spot price, else the catalog's average, else on-demand × (1 − the Spot
/// Advisor's savings %) (an estimate), and is never covered by a commitment.
///
/// **Each clock-hour** (EC2-UG, "How Reserved Instances are applied"; SP-UG, "How Savings
/// Plans apply to your AWS usage"):
/// 1. zonal Reserved Instances cover their exact type in their zone;
/// 2. regional Reserved Instances cover their family in their region with size
///    flexibility: `count × normalization factor` normalized units per hour, applied from
///    the smallest size up; a partial fit covers part of a larger instance's hour;
/// 3. EC2 Instance Savings Plans, then 4. Compute Savings Plans: each plan spends its hourly
///    commitment at its rates on eligible remaining usage, highest savings percentage first,
///    equal percentages lowest rate first (then region and type);
/// 5. what is left is on-demand.
/// Several commitments of one step apply one after another, earliest `startSeconds` first,
/// then by id. A commitment active for part of an hour (bought or expiring mid-hour) brings
/// that share of its hourly capacity and fee. Services sharing a (region, type) share each
/// commitment in proportion to their usage in that hour.
///
/// **Money.** Billed (cash) counts recurring fees and upfront payments made inside the bill;
/// effective (amortized) counts `upfront / term hours + recurring` per active hour, split into
/// covered usage and waste (unused commitment, still paid). List cost prices all usage,
/// Spot included, on demand; `effectiveSavingsRate = 1 - effective / list`.
///
/// Invariants: Σ line items' `BilledCost` / `EffectiveCost` / `ListCost` = `billedCostUSD` /
/// `effectiveCostUSD` / `listCostUSD`; per hour and (service, region, type, zone), covered +
/// on-demand seconds = billed seconds; coverage and utilization are in 0...1; Σ showback
/// services + unallocated commitment = `effectiveCostUSD`.
public struct FleetBill: Codable, Sendable, Equatable {
  /// The service name of usage records without one.
  public static let unnamedService = "(unnamed)"
  /// The team of services without a `team` tag.
  public static let untaggedTeam = "(no team)"

  /// Clock-hours billed: the horizon, extended to the last hour with usage.
  public let hourCount: Int
  /// Cash view.
  public let billed: CostByPurchaseOption
  /// Amortized view (FOCUS EffectiveCost).
  public let effective: CostByPurchaseOption
  /// All usage at on-demand prices: the "all on-demand" bill.
  public let listCostUSD: Double
  /// Effective cost of unused commitment, summed over commitments.
  public let wasteUSD: Double
  /// In input order.
  public let reservedInstances: [CommitmentReport]
  /// In input order.
  public let savingsPlans: [CommitmentReport]
  public let coverage: CoverageReport
  public let showback: Showback
  /// Σ count over the usage records.
  public let instanceStarts: Int
  /// Σ count × (end - start).
  public let runningInstanceSeconds: Double
  /// Σ count × max(60, ceil(end - start)).
  public let billedInstanceSeconds: Double
  /// EBS storage billed (stopped warm pool instances), GB-months; its cost is
  /// `billed.ebsStorageUSD`.
  public let ebsStorageGBMonths: Double
  /// Cash per clock-hour (upfront fees in their purchase hour), `hourCount` entries.
  public let hourlyBilledCostUSD: [Double]
  /// Amortized cost per clock-hour, `hourCount` entries.
  public let hourlyEffectiveCostUSD: [Double]
  /// Each clock-hour's amortized cost by purchase option and its coverage, `hourCount` entries.
  public let hourlyBreakdown: [HourlyCostBreakdown]
  /// Per service (the engine's order, by name), its usage cost per clock-hour.
  public let hourlyServiceCosts: [ServiceHourlyCost]

  public var billedCostUSD: Double { billed.totalUSD }
  public var effectiveCostUSD: Double { effective.totalUSD }
  /// `1 - effectiveCostUSD / listCostUSD`; nil without usage. Negative when commitments
  /// cost more than they save.
  public var effectiveSavingsRate: Double? {
    listCostUSD > 0 ? 1 - effectiveCostUSD / listCostUSD : nil
  }

  /// Bills `usage` against `commitments` without line items.
  /// - Throws: `BillingError`: `invalidUsage` (times, counts, zones, inconsistent tags of a
  ///   service), `missingPrice`, `missingSpotPrice`, `invalidCommitment` (ids, counts, times,
  ///   fees the catalog lacks), `missingSavingsPlanRate`, `invalidInput` (options).
  /// - Complexity: O(records + hours × (buckets + Σ eligible pools of the commitments)).
  /// - Parameters:
  ///   - storage: EBS volumes billed per GB-month (stopped warm pool instances); each
  ///     hour's month length is that of the UTC month of `start` + the hour.
  ///   - start: when hour 0 begins; only storage pricing (month lengths) depends on it.
  public init(
    usage: [InstanceUsage], commitments: Commitments = Commitments(), catalog: PriceCatalog,
    savingsPlanRates: SavingsPlanRates = SavingsPlanRates(), options: BillingOptions = BillingOptions(),
    storage: [StorageUsage] = [], start: Date = Date(timeIntervalSince1970: 0)
  ) throws {
    var none = BillingEngine.NoLineItems()
    try self.init(
      usage: usage, commitments: commitments, catalog: catalog, rates: savingsPlanRates,
      options: options, storage: storage, start: start, emitsRows: false, sink: &none)
  }

  /// Bills `usage` and streams one hour of FOCUS rows at a time to `lineItems`; hour 0 starts
  /// at `start` (UTC timestamps).
  /// - Throws: as the other initializer, and whatever `lineItems` throws.
  public init<Sink: LineItemSink>(
    usage: [InstanceUsage], commitments: Commitments = Commitments(), catalog: PriceCatalog,
    savingsPlanRates: SavingsPlanRates = SavingsPlanRates(), options: BillingOptions = BillingOptions(),
    storage: [StorageUsage] = [], start: Date, lineItems: inout Sink
  ) throws {
    guard start.timeIntervalSince1970.isFinite else {
      throw BillingError.invalidInput(field: "start", expected: "a finite date", found: "\(start)")
    }
    try self.init(
      usage: usage, commitments: commitments, catalog: catalog, rates: savingsPlanRates,
      options: options, storage: storage, start: start, emitsRows: true, sink: &lineItems)
  }

  /// Bills one service's ``FleetUsage`` without line items: the bill its records written out
  /// (`usage.instanceUsage`) get, without a String or tag copy per record (sweeps bill a
  /// fleet per point this way).
  /// - Throws: as `init(usage:...)` for those records, and `invalidUsage` for a record whose
  ///   `pool` is not an index into `usage.pools`.
  public init(
    usage: FleetUsage, commitments: Commitments = Commitments(), catalog: PriceCatalog,
    savingsPlanRates: SavingsPlanRates = SavingsPlanRates(), options: BillingOptions = BillingOptions(),
    storage: [StorageUsage] = [], start: Date = Date(timeIntervalSince1970: 0)
  ) throws {
    let engine = try BillingEngine(
      usage: usage, commitments: commitments, catalog: catalog, rates: savingsPlanRates, options: options)
    var none = BillingEngine.NoLineItems()
    try self.init(
      engine: engine, commitments: commitments, options: options, storage: storage, start: start, emitsRows: false,
      sink: &none)
  }

  private init<Sink: LineItemSink>(
    usage: [InstanceUsage], commitments input: Commitments, catalog: PriceCatalog,
    rates: SavingsPlanRates, options: BillingOptions, storage: [StorageUsage], start: Date, emitsRows: Bool,
    sink: inout Sink
  ) throws {
    let engine = try BillingEngine(
      usage: usage, commitments: input, catalog: catalog, rates: rates, options: options)
    try self.init(
      engine: engine, commitments: input, options: options, storage: storage, start: start, emitsRows: emitsRows,
      sink: &sink)
  }

  private init<Sink: LineItemSink>(
    engine: BillingEngine, commitments input: Commitments, options: BillingOptions, storage: [StorageUsage],
    start: Date, emitsRows: Bool, sink: inout Sink
  ) throws {
    let charges = try StorageCharges(storage, hourCount: engine.hourCount, start: start, emitsRows: emitsRows)
    var totals: BillingEngine.Accumulated
    if emitsRows && !storage.isEmpty {
      var withStorage = StorageRowSink(base: sink, storageRows: charges.rows)
      totals = try engine.run(start: start, emitsRows: emitsRows, sink: &withStorage)
      sink = withStorage.base
    } else {
      totals = try engine.run(start: start, emitsRows: emitsRows, sink: &sink)
    }
    totals.addStorage(charges)
    let secondsPerHour = HourlyAttribution.secondsPerHour
    let commitmentCount = engine.commitments.count

    // Commitment reports.
    var reservedInstances = [CommitmentReport?](repeating: nil, count: input.reservedInstances.count)
    var savingsPlans = [CommitmentReport?](repeating: nil, count: input.savingsPlans.count)
    var coverage = CoverageReport()
    var wasteUSD = 0.0
    for (c, commitment) in engine.commitments.enumerated() {
      var coveredSeconds = 0.0, coveredList = 0.0
      for b in engine.buckets.indices {
        let s = totals.coveredSeconds[b * commitmentCount + c]
        guard s > 0 else { continue }
        coveredSeconds += s
        coveredList += s * engine.buckets[b].onDemandUSDPerHour / secondsPerHour
        if commitment.isReservedInstance {
          coverage.reservedInstanceNormalizedUnitHours +=
            s * engine.buckets[b].normalizationFactor / secondsPerHour
        } else {
          coverage.savingsPlanCoveredOnDemandEquivalentUSD += s * engine.buckets[b].onDemandUSDPerHour / secondsPerHour
        }
      }
      coverage.commitmentCoveredOnDemandEquivalentUSD += coveredList
      let waste = totals.unusedUnits[c] * commitment.effectiveUSDPerUnit
      wasteUSD += waste
      let report = CommitmentReport(
        id: commitment.id,
        kind: commitment.isReservedInstance ? .reservedInstance : .savingsPlan,
        summary: commitment.summary, activeHours: totals.activeHours[c], unit: commitment.unitName,
        purchasedQuantity: totals.purchasedUnits[c], usedQuantity: totals.usedUnits[c],
        billedCostUSD: totals.billedUSD[c],
        effectiveCostUSD: (totals.usedUnits[c] + totals.unusedUnits[c]) * commitment.effectiveUSDPerUnit,
        wasteUSD: waste, coveredInstanceHours: coveredSeconds / secondsPerHour,
        coveredOnDemandEquivalentUSD: coveredList)
      if commitment.isReservedInstance {
        reservedInstances[commitment.inputIndex] = report
      } else {
        savingsPlans[commitment.inputIndex] = report
      }
    }
    for b in engine.onDemandBuckets {
      let bucket = engine.buckets[b]
      coverage.runningNormalizedUnitHours += bucket.billedInstanceSeconds * bucket.normalizationFactor / secondsPerHour
      coverage.onDemandOptionListUSD += bucket.billedInstanceSeconds * bucket.onDemandUSDPerHour / secondsPerHour
      coverage.onDemandBilledUSD += totals.onDemandSeconds[b] * bucket.onDemandUSDPerHour / secondsPerHour
    }

    // Showback per service, then per team.
    var services = engine.services.map { ShowbackRow(name: $0.name, team: $0.team) }
    // Per commitment, the on-demand value each service had covered (for waste sharing).
    var coveredListByService = [Double](repeating: 0, count: services.count * commitmentCount)
    for (b, bucket) in engine.buckets.enumerated() {
      let s = bucket.service
      let onDemandPerSecond = bucket.onDemandUSDPerHour / secondsPerHour
      services[s].billedInstanceHours += bucket.billedInstanceSeconds / secondsPerHour
      services[s].listCostUSD += bucket.billedInstanceSeconds * onDemandPerSecond
      if bucket.option == .spot {
        services[s].spotCostUSD += bucket.billedInstanceSeconds * bucket.spotUSDPerHour / secondsPerHour
        continue
      }
      services[s].onDemandCostUSD += totals.onDemandSeconds[b] * onDemandPerSecond
      for (c, commitment) in engine.commitments.enumerated() {
        let index = b * commitmentCount + c
        let seconds = totals.coveredSeconds[index]
        guard seconds > 0 else { continue }
        let cost = totals.coveredUnits[index] * commitment.effectiveUSDPerUnit
        services[s].coveredCostUSD += cost
        services[s].commitmentBenefitUSD += seconds * onDemandPerSecond - cost
        coveredListByService[s * commitmentCount + c] += seconds * onDemandPerSecond
      }
    }
    var unallocated = 0.0
    // Per (service, commitment): the share of the commitment's waste charged to the service
    // (its share of the on-demand value the commitment covered over the whole bill), so
    // each hour's waste is charged with the same shares and the hours add up to the window.
    var wasteShare = [Double](repeating: 0, count: services.count * commitmentCount)
    for (c, commitment) in engine.commitments.enumerated() {
      let waste = totals.unusedUnits[c] * commitment.effectiveUSDPerUnit
      guard waste > 0 else { continue }
      var coveredTotal = 0.0
      for s in services.indices { coveredTotal += coveredListByService[s * commitmentCount + c] }
      guard options.wasteAttribution == .coveredUsageShare, coveredTotal > 0 else {
        unallocated += waste
        continue
      }
      for s in services.indices {
        let share = coveredListByService[s * commitmentCount + c] / coveredTotal
        wasteShare[s * commitmentCount + c] = share
        services[s].allocatedWasteUSD += waste * share
      }
    }
    // EBS storage: each service's share, and a row for a service with storage only.
    var storageServices: [(name: String, team: String, hours: [Double])] = []
    for (name, hours) in charges.hourlyServiceUSD.sorted(by: { $0.key < $1.key }) {
      let cost = hours.reduce(0, +)
      if let s = services.firstIndex(where: { $0.name == name }) {
        services[s].ebsStorageCostUSD += cost
        services[s].listCostUSD += cost
      } else {
        let tags = storage.first { ($0.service ?? FleetBill.unnamedService) == name }?.tags ?? [:]
        var row = ShowbackRow(name: name, team: tags["team"] ?? FleetBill.untaggedTeam)
        row.ebsStorageCostUSD = cost
        row.listCostUSD = cost
        services.append(row)
      }
      storageServices.append((name, services.first { $0.name == name }!.team, hours))
    }
    var teamIndex: [String: Int] = [:]
    var teams: [ShowbackRow] = []
    for service in services {
      let index = teamIndex[service.team] ?? teams.count
      if index == teams.count {
        teamIndex[service.team] = index
        teams.append(ShowbackRow(name: service.team, team: service.team))
      }
      teams[index].add(service)
    }
    func ranked(_ rows: [ShowbackRow]) -> [ShowbackRow] {
      rows.sorted {
        $0.effectiveCostUSD != $1.effectiveCostUSD
          ? $0.effectiveCostUSD > $1.effectiveCostUSD : $0.name < $1.name
      }
    }

    hourCount = engine.hourCount
    billed = totals.billed
    effective = totals.effective
    listCostUSD = totals.listUSD
    self.wasteUSD = wasteUSD
    self.reservedInstances = reservedInstances.map { $0! }
    self.savingsPlans = savingsPlans.map { $0! }
    self.coverage = coverage
    showback = Showback(
      services: ranked(services), teams: ranked(teams), unallocatedCommitmentUSD: unallocated,
      wasteAttribution: options.wasteAttribution)
    instanceStarts = engine.buckets.reduce(0) { $0 + $1.instanceStarts }
    runningInstanceSeconds = engine.buckets.reduce(0) { $0 + $1.runningInstanceSeconds }
    billedInstanceSeconds = engine.buckets.reduce(0) { $0 + $1.billedInstanceSeconds }
    hourlyBilledCostUSD = totals.hourlyBilledUSD
    hourlyEffectiveCostUSD = totals.hourlyEffectiveUSD
    hourlyBreakdown = totals.hourlyBreakdown
    let serviceCount = engine.services.count
    var serviceCosts = engine.services.enumerated().map { s, service in
      let shares = (0..<commitmentCount).filter { wasteShare[s * commitmentCount + $0] > 0 }
      return ServiceHourlyCost(
        name: service.name, team: service.team,
        usageCostUSD: (0..<engine.hourCount).map { totals.hourlyServiceUSD[$0 * serviceCount + s] },
        allocatedWasteUSD: (0..<engine.hourCount).map { h in
          shares.reduce(0) { $0 + totals.hourlyCommitmentWasteUSD[h * commitmentCount + $1] * wasteShare[s * commitmentCount + $1] }
        })
    }
    for (name, team, hours) in storageServices {
      if let s = serviceCosts.firstIndex(where: { $0.name == name }) {
        for h in hours.indices { serviceCosts[s].usageCostUSD[h] += hours[h] }
      } else {
        serviceCosts.append(
          ServiceHourlyCost(
            name: name, team: team, usageCostUSD: hours, allocatedWasteUSD: Array(repeating: 0, count: hours.count)))
      }
    }
    hourlyServiceCosts = serviceCosts
    ebsStorageGBMonths = charges.gbMonths
  }
}
