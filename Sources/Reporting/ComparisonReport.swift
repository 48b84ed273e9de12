import AutoScaling
import Billing
import Foundation
import Results

/// Renders a `capsim run` result as a terminal table or a JSON document.
public enum ComparisonReport {
  // MARK: JSON

  /// One JSON document, keys in a fixed order, numbers rounded for reading (money to
  /// 1e-6 USD, percentages to 1e-4); identical bytes for identical results.
  /// A fleet's busiest-day timeline: one inline array per series, a value per bucket.
  static func busiestDayJSON(_ day: DayTimeline, start: Date, zone: TimeZone) -> JSONValue {
    func series(_ values: [Double], _ places: Int) -> JSONValue {
      .inlineArray(values.map { $0.isFinite ? .rounded($0, places: places) : .null })
    }
    var members: [(String, JSONValue)] = [
      ("date", .string(day.date)),
      ("start", .string(isoString(start.addingTimeInterval(day.startSeconds), zone: zone))),
      ("bucketSeconds", .number(day.bucketSeconds)),
      ("demandPerMinute", series(day.demandPerMinute, 3)),
      ("inService", series(day.inService, 3)),
      ("cpuPercent", series(day.cpuPercent, 2)),
      ("delayedPerMinute", series(day.delayedPerMinute, 3)),
    ]
    if let p99 = day.latencyP99Seconds { members.append(("latencyP99Seconds", series(p99, 4))) }
    return .object(members)
  }

  public static func json(_ result: ScenarioResult) -> String {
    let zone = TimeZone(identifier: result.timeZone) ?? TimeZone(identifier: "UTC")!
    var scenarioMembers: [(String, JSONValue)] = [
      ("name", .string(result.scenarioName)),
      ("description", result.scenarioDescription.map(JSONValue.string) ?? .null),
      ("file", .string(result.file)),
      ("timeZone", .string(result.timeZone)),
      ("region", .string(result.region)),
      ("start", .string(isoString(result.start, zone: zone))),
      ("end", .string(isoString(result.end, zone: zone))),
      ("tickSeconds", .number(result.tickSeconds)),
      ("seed", .string(String(result.seed))),
      ("demandSource", .string(result.demandSource)),
      ("demandUnits", .rounded(result.demandUnits, places: 3)),
    ]
    if result.fidelity != .fluid { scenarioMembers.append(("fidelity", .string(result.fidelity.rawValue))) }
    let scenario = JSONValue.object(scenarioMembers)
    func fleetJSON(_ variant: VariantResult) -> JSONValue {
      let s = variant.statistics
      var members: [(String, JSONValue)] = [
        ("name", .string(variant.name)),
        ("description", variant.description.map(JSONValue.string) ?? .null),
      ]
      if let team = variant.team { members.append(("team", .string(team))) }
      members += [
        ("instanceType", .string(variant.instanceType)),
        ("region", .string(variant.region)),
        ("policies", .array(variant.policySummaries.map(JSONValue.string))),
        ("instanceHours", .rounded(variant.billedInstanceHours, places: 6)),
        ("onDemandUSDPerHour", .number(variant.onDemandUSDPerHour)),
        ("costUSD", .rounded(variant.costUSD, places: 6)),
        ("peakInstances", .integer(s.peakInstances)),
        ("meanInstances", .rounded(s.meanInstances, places: 4)),
        ("meanCPUUtilizationPercent", .rounded(s.meanCPUUtilization, places: 4)),
        ("minutesAboveCPU80", .rounded(s.minutesAboveCPU80, places: 4)),
        ("demandUnits", .rounded(s.demandUnits, places: 3)),
        ("servedUnits", .rounded(s.servedUnits, places: 3)),
        ("delayedUnits", .rounded(s.delayedUnits, places: 3)),
        ("delayedPercent", .rounded(s.delayedShare * 100, places: 4)),
        ("scaleOutActions", .integer(s.scaleOutActions)),
        ("scaleInActions", .integer(s.scaleInActions)),
      ]
      members += RunReport.variantTrendMembers(result, variant)
      if let requests = s.requests { members += requestMembers(requests, series: variant.latencySeries) }
      if let pool = s.warmPool { members.append(("warmPool", warmPoolJSON(pool))) }
      if !variant.predictiveForecasts.isEmpty {
        members.append(("predictive", .array(variant.predictiveForecasts.map { PredictiveForecastSummary($0).json })))
      }
      if !variant.disruptionEffects.isEmpty {
        members.append(("disruptions", DisruptionReport.json(variant.disruptionEffects)))
      }
      if !variant.instanceTypeShares.isEmpty {
        members.append(("instanceTypes", InstanceTypeMixReport.json(variant.instanceTypeShares)))
      }
      if let day = variant.busiestDay { members.append(("busiestDay", busiestDayJSON(day, start: result.start, zone: zone))) }
      if let bill = variant.bill { members.append(("bill", BillReport.json(bill))) }
      return .object(members)
    }
    var document: [(String, JSONValue)] = [("scenario", scenario)]
    if let account = result.accountBill {
      document.append(("services", .array(result.services.map(fleetJSON))))
      var accountMembers: [(String, JSONValue)] = []
      if case .object(let members) = BillReport.json(account) { accountMembers = members }
      accountMembers.append(("showback", RunReport.showbackJSON(result, account: account)))
      document.append(("account", .object(accountMembers)))
    } else {
      document.append(("variants", .array(result.variants.map(fleetJSON))))
    }
    document.append(("opportunities", SavingsOpportunity.json(SavingsOpportunity.ranked(result))))
    return JSONValue.object(document).rendered()
  }

  /// A warm pool's statistics (instance-hours to 1e-6).
  static func warmPoolJSON(_ pool: WarmPoolStatistics) -> JSONValue {
    .object([
      ("meanPoolSize", .rounded(pool.meanPoolSize, places: 4)),
      ("launchesFromPool", .integer(pool.launchesFromPool)),
      ("coldLaunches", .integer(pool.coldLaunches)),
      ("poolRefills", .integer(pool.poolRefills)),
      ("returnedToPool", .integer(pool.returnedToPool)),
      ("poolTerminations", .integer(pool.poolTerminations)),
      ("runningPoolInstanceHours", .rounded(pool.runningPoolInstanceSeconds / 3_600, places: 6)),
      ("storedPoolInstanceHours", .rounded(pool.storedPoolInstanceSeconds / 3_600, places: 6)),
    ])
  }

  /// One line per fleet with a warm pool: its size, launches served and EBS cost.
  static func warmPoolLines(_ fleets: [VariantResult]) -> String {
    var out = ""
    for fleet in fleets {
      guard let pool = fleet.statistics.warmPool else { continue }
      out += "Warm pool (\(fleet.name)): mean \(formatted(pool.meanPoolSize, decimals: 1)) instances; "
      out += "\(pool.launchesFromPool) launches from the pool, \(pool.coldLaunches) cold; "
      out += "\(grouped(pool.storedPoolInstanceSeconds / 3_600, decimals: 1)) instance-h stopped"
      if let bill = fleet.bill { out += " (EBS \(grouped(bill.effective.ebsStorageUSD, decimals: 2)) USD)" }
      out += ", \(grouped(pool.runningPoolInstanceSeconds / 3_600, decimals: 1)) instance-h running outside the group.\n"
    }
    return out
  }

  /// Queueing and requests fidelity: request counts, latency percentiles (ms, to 1e-3)
  /// and the per-tick latency series (ms, to 0.1; null where a tick had no request).
  static func requestMembers(_ r: RequestStatistics, series: LatencySeries?) -> [(String, JSONValue)] {
    func ms(_ seconds: Double?) -> JSONValue { seconds.map { .rounded($0 * 1_000, places: 3) } ?? .null }
    var members: [(String, JSONValue)] = [
      ("requests", .rounded(r.requests, places: 3)),
      ("completedRequests", .rounded(r.completedRequests, places: 3)),
      ("timedOutRequests", .rounded(r.timedOutRequests, places: 3)),
      ("rejectedRequests", .rounded(r.rejectedRequests, places: 3)),
      ("inFlightRequestsAtEnd", .rounded(r.inFlightAtEnd, places: 3)),
      ("retriedRequests", .rounded(r.retriedRequests, places: 3)),
      ("waitedRequests", .rounded(r.waitedRequests, places: 3)),
    ]
    members.append(("latencyMs", latencyJSON(r, withMean: true)))
    if let slo = r.latencySLO {
      let met: JSONValue = r.latencyAtSLOPercentileSeconds.map { JSONValue.bool($0 <= slo.latencySeconds) } ?? .null
      let sloMembers: [(String, JSONValue)] = [
        ("latencyMs", .rounded(slo.latencySeconds * 1_000, places: 3)), ("percentile", .number(slo.percentile)),
        ("latencyAtPercentileMs", ms(r.latencyAtSLOPercentileSeconds)), ("met", met),
      ]
      members.append(("latencySLO", .object(sloMembers)))
    }
    let minutes: JSONValue = r.minutesMeetingLatencySLOPercent.map { JSONValue.rounded($0, places: 4) } ?? .null
    members.append(("minutesMeetingLatencySLOPercent", minutes))
    if let series {
      func column(_ values: [Double]) -> JSONValue {
        .inlineArray(values.map { $0.isFinite ? .rounded($0 * 1_000, places: 1) : .null })
      }
      members.append(("latencySeries", .object([
        ("tickSeconds", .number(series.tickSeconds)), ("p50Ms", column(series.p50Seconds)),
        ("p99Ms", column(series.p99Seconds)),
      ])))
    }
    return members
  }

  /// `latencyMs`: p50, p90, p99, p999 (and the mean) in ms to 1e-3; null where no request
  /// got a worker.
  static func latencyJSON(_ r: RequestStatistics, withMean: Bool) -> JSONValue {
    func ms(_ seconds: Double?) -> JSONValue { seconds.map { .rounded($0 * 1_000, places: 3) } ?? .null }
    var members: [(String, JSONValue)] = [
      ("p50", ms(r.latencyP50Seconds)), ("p90", ms(r.latencyP90Seconds)), ("p99", ms(r.latencyP99Seconds)),
      ("p999", ms(r.latencyP999Seconds)),
    ]
    if withMean { members.append(("mean", ms(r.latencyMeanSeconds))) }
    return .object(members)
  }

  // MARK: Table

  /// A fixed-width comparison, one row per variant, cost delta against the first variant.
  public static func table(_ result: ScenarioResult) -> String {
    let zone = TimeZone(identifier: result.timeZone) ?? TimeZone(identifier: "UTC")!
    let days = result.end.timeIntervalSince(result.start) / 86_400
    var out = "\(result.scenarioName) — \(result.file)\n"
    if let description = result.scenarioDescription, !description.isEmpty {
      out += "\(description)\n"
    }
    out += "Demand: \(result.demandSource), \(dayString(result.start, zone: zone)) to \(dayString(result.end, zone: zone)) "
    out += "\(result.timeZone) (\(formatted(days, decimals: 1)) days, tick \(formatted(result.tickSeconds, decimals: 0)) s, seed \(result.seed)), "
    out += "\(grouped(result.demandUnits)) units in \(result.region)\n\n"

    if let account = result.accountBill {
      out += servicesTable(result, account: account) + warmPoolLines(result.services)
      out += DisruptionReport.table(result) + InstanceTypeMixReport.table(result)
      return out
    }
    // Commitment columns only where commitments or Spot change the price.
    let priced = result.commitmentCount > 0 || result.variants.contains { ($0.bill?.effective.spotUSD ?? 0) > 0 }
    var headers = ["variant", "instance-h", "cost USD", "vs first"]
    if priced { headers += ["list USD", "savings %", "cover %", "waste USD"] }
    headers += ["peak", "mean", "CPU %", "min >80%", "delayed", "delayed %", "out/in"]
    let first = result.variants.first?.costUSD ?? 0
    var rows: [[String]] = []
    for variant in result.variants {
      let s = variant.statistics
      let delta = first > 0 ? (variant.costUSD - first) / first * 100 : 0
      var row = [
        variant.name,
        grouped(variant.billedInstanceHours, decimals: 1),
        grouped(variant.costUSD, decimals: 2),
        variant.name == result.variants.first?.name ? "—" : signed(delta, decimals: 1) + "%",
      ]
      if priced, let bill = variant.bill {
        row += [
          grouped(bill.listCostUSD, decimals: 2), BillReport.share(bill.effectiveSavingsRate),
          BillReport.share(bill.coverage.commitmentCoverage), grouped(bill.wasteUSD, decimals: 2),
        ]
      }
      row += [
        String(s.peakInstances),
        formatted(s.meanInstances, decimals: 1),
        formatted(s.meanCPUUtilization, decimals: 1),
        grouped(s.minutesAboveCPU80, decimals: 0),
        grouped(s.delayedUnits, decimals: 0),
        formatted(s.delayedShare * 100, decimals: 3),
        "\(s.scaleOutActions)/\(s.scaleInActions)",
      ]
      rows.append(row)
    }
    out += TextGrid(headers: headers, rows: rows, leftAligned: [0]).rendered()
    if let cheapest = result.variants.min(by: { $0.costUSD < $1.costUSD }),
      let fewestDelays = result.variants.min(by: { $0.statistics.delayedUnits < $1.statistics.delayedUnits })
    {
      out += "\nCheapest: \(cheapest.name) (\(grouped(cheapest.costUSD, decimals: 2)) USD). "
      out += "Fewest delayed units: \(fewestDelays.name) (\(formatted(fewestDelays.statistics.delayedShare * 100, decimals: 3))%).\n"
    }
    out += latencyTable(result.variants, fidelity: result.fidelity)
    out += DisruptionReport.table(result) + InstanceTypeMixReport.table(result)
    let predictive = result.variants.flatMap { variant in
      variant.predictiveForecasts.map { PredictiveForecastSummary($0).line(variant: variant.name) }
    }
    if !predictive.isEmpty { out += "Predictive scaling: " + predictive.joined(separator: "Predictive scaling: ") }
    out += warmPoolLines(result.variants)
    if priced {
      for variant in result.variants {
        guard let bill = variant.bill else { continue }
        out += "\n\(variant.name): " + BillReport.summaryText(bill)
      }
      out += "\nCost USD is the effective (amortized) cost: usage at its rate plus commitment fees and waste.\n"
    } else {
      out += "Costs are on-demand list prices, per-second billing with a 60 s minimum per instance.\n"
    }
    return out
  }

  /// Queueing and requests fidelity: requests, failures and latency per fleet.
  static func latencyTable(_ fleets: [VariantResult], fidelity: Fidelity) -> String {
    guard fleets.contains(where: { $0.statistics.requests != nil }) else { return "" }
    let headers = [
      "fleet", "requests", "timed out", "rejected", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "SLO", "SLO min %",
    ]
    func ms(_ seconds: Double?) -> String { seconds.map { formatted($0 * 1_000, decimals: 1) } ?? "—" }
    var rows: [[String]] = []
    for fleet in fleets {
      guard let r = fleet.statistics.requests else { continue }
      var slo = "—"
      if let objective = r.latencySLO, let at = r.latencyAtSLOPercentileSeconds {
        let p = objective.percentile == objective.percentile.rounded() ? String(Int(objective.percentile)) : String(objective.percentile)
        slo = "p\(p) \(at <= objective.latencySeconds ? "<=" : ">") \(formatted(objective.latencySeconds * 1_000, decimals: 0))"
      }
      rows.append([
        fleet.name, grouped(r.requests), grouped(r.timedOutRequests), grouped(r.rejectedRequests),
        ms(r.latencyP50Seconds), ms(r.latencyP90Seconds), ms(r.latencyP99Seconds), ms(r.latencyP999Seconds), slo,
        r.minutesMeetingLatencySLOPercent.map { formatted($0, decimals: 2) } ?? "—",
      ])
    }
    let how = fidelity == .requests
      ? "every request simulated; percentiles from HdrHistogram, 3 significant digits"
      : "M/G/c approximation (per instance, pooled over the fleet under least outstanding requests) with backlog; expected values"
    return "\nLatency (\(fidelity.rawValue) fidelity: \(how)):\n"
      + TextGrid(headers: headers, rows: rows, leftAligned: [0, 8]).rendered()
      + "Delayed = requests slower than the latency SLO (or the timeout) or failed. "
      + "SLO min % = minutes whose SLO percentile met it.\n"
  }

  /// A multi-service scenario: each service's fleet, then the shared bill and showback.
  static func servicesTable(_ result: ScenarioResult, account: FleetBill) -> String {
    let headers = [
      "service", "team", "type", "instance-h", "peak", "mean", "CPU %", "min >80%", "delayed %", "out/in",
    ]
    let rows = result.services.map { service in
      let s = service.statistics
      return [
        service.name, service.team ?? "", service.instanceType, grouped(service.billedInstanceHours, decimals: 1),
        String(s.peakInstances), formatted(s.meanInstances, decimals: 1), formatted(s.meanCPUUtilization, decimals: 1),
        grouped(s.minutesAboveCPU80, decimals: 0), formatted(s.delayedShare * 100, decimals: 3),
        "\(s.scaleOutActions)/\(s.scaleInActions)",
      ]
    }
    var out = TextGrid(headers: headers, rows: rows, leftAligned: [0, 1, 2]).rendered()
    out += latencyTable(result.services, fidelity: result.fidelity)
    out += "\n" + BillReport.summaryText(account)
    out += "\n" + BillReport.showbackText(account.showback, total: account.effectiveCostUSD)
    out += "\nCommitment benefit is shared in proportion to covered usage; cost USD is effective (amortized).\n"
    return out
  }

  // MARK: Formatting helpers (locale-independent, deterministic)

  static func isoString(_ date: Date, zone: TimeZone) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = zone
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }

  static func dayString(_ date: Date, zone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    func two(_ v: Int?) -> String { v.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
    return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
  }

  static func formatted(_ value: Double, decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
  }

  /// `value` with its sign always written and thousands grouped: "+1,234.5", "-0.25",
  /// "+0.0" (a negative zero too). The one signed figure of every report; percentages and
  /// points take the default, one decimal.
  static func signed(_ value: Double, decimals: Int = 1) -> String {
    (value < 0 ? "-" : "+") + grouped(abs(value), decimals: decimals)
  }

  /// Thousands separated with commas, e.g. 1,234,567.89.
  static func grouped(_ value: Double, decimals: Int = 0) -> String {
    let text = String(format: "%.\(decimals)f", value)
    let negative = text.hasPrefix("-")
    let body = negative ? String(text.dropFirst()) : text
    let parts = body.split(separator: ".", maxSplits: 1)
    let integer = Array(parts[0])
    var groupedInteger = ""
    for (i, digit) in integer.enumerated() {
      if i > 0 && (integer.count - i) % 3 == 0 { groupedInteger += "," }
      groupedInteger.append(digit)
    }
    let fraction = parts.count > 1 ? "." + parts[1] : ""
    return (negative ? "-" : "") + groupedInteger + fraction
  }
}

/// Columns padded to their widest cell; numbers right-aligned unless listed.
struct TextGrid {
  var headers: [String]
  var rows: [[String]]
  var leftAligned: Set<Int>

  /// Widths are terminal columns (`TerminalWidth`), so Korean and other wide names line up.
  func rendered() -> String {
    var widths = headers.map(TerminalWidth.of)
    for row in rows {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], TerminalWidth.of(cell)) }
    }
    func line(_ cells: [String]) -> String {
      let text = cells.enumerated().map { i, cell in
        TerminalWidth.padded(cell, to: widths[i], leftAligned: leftAligned.contains(i))
      }.joined(separator: "  ")
      return String(text.reversed().drop(while: { $0 == " " }).reversed())
    }
    var out = line(headers) + "\n"
    out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    for row in rows { out += line(row) + "\n" }
    return out
  }
}
