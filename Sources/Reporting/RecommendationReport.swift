import Advisor
import AutoScaling
import Foundation
import Results

/// `capsim recommend` output: per fleet the policy search (current vs recommended, the
/// Pareto front of cost vs SLO), then the commitment recommendation, then the backtest.
public enum RecommendationReport {
  public static func table(_ r: ScenarioRecommendation) -> String {
    var out = "Recommendation for \(r.scenarioName) (\(r.file))\n"
    for fleet in r.fleets {
      let s = fleet.search
      out += "\n== \(fleet.name): \(fleet.instanceType) in \(fleet.region)\n"
      out += instanceTypeTable(fleet).dropFirst()
      out += s.summary + "\n"
      if s.recommended != nil, fleet.chosen.variant.name != s.variants[s.outcome.variantIndex].variant.name {
        let c = fleet.chosen
        out += "Chosen with its commitments (below): \(c.variant.name): \(ComparisonReport.grouped(c.costUSD, decimals: 2)) USD on the history, "
        out += "SLO figure \(sloText(c.sloValue, s.objective.serviceLevel.metric)).\n"
      }
      let slo = s.objective.serviceLevel
      out += "\nPareto front (history cost vs SLO figure; SLO \(slo))\n"
      let rows = s.paretoFront.prefix(12).map { index -> [String] in
        let v = s.variants[index]
        let marker = s.requestLevelVariants.isEmpty ? "" : (v.fidelity == .requests ? " r" : " q")
        return [v.variant.name, ComparisonReport.grouped(v.costUSD, decimals: 2), sloText(v.sloValue, slo.metric) + marker,
                v.meetsSLO ? "yes" : "no", v.forecast.map { ComparisonReport.grouped($0.meanCostUSD, decimals: 2) } ?? "",
                s.variants[index].variant.name == fleet.chosen.variant.name ? "<- chosen"
                  : index == s.outcome.variantIndex ? (s.recommended == nil ? "<- closest to the SLO" : "<- cheapest On-Demand") : ""]
      }
      out += TextGrid(
        headers: ["variant", "cost USD", "SLO figure", "meets", "mean cost on paths", ""],
        rows: rows + [["current", ComparisonReport.grouped(s.current.costUSD, decimals: 2), sloText(s.current.sloValue, slo.metric),
                       s.current.meetsSLO ? "yes" : "no", s.current.forecast.map { ComparisonReport.grouped($0.meanCostUSD, decimals: 2) } ?? "", ""]],
        leftAligned: [0, 5]).rendered()
      if s.paretoFront.count > 12 { out += "(\(s.paretoFront.count - 12) more on the front; --format json lists all)\n" }
      if !s.requestLevelVariants.isEmpty {
        out += "(r: request-level figure of a re-run variant; q: queueing figure, not re-run, so not eligible)\n"
      }
      out += requestLevelTable(s)
      if !fleet.commitmentAware.isEmpty {
        let weighted = s.objective.isWeightedScore
        out += weighted
          ? "\nPolicy and commitments together (the lowest-scoring variants, expected USD/h on the forecast paths, plus the SLO penalty per history hour)\n"
          : "\nPolicy and commitments together (the cheapest SLO-meeting variants, expected USD/h on the forecast paths)\n"
        out += TextGrid(
          headers: ["variant", "On-Demand + Spot", "with its optimal commitments"] + (weighted ? ["SLO penalty"] : []) + [""],
          rows: fleet.commitmentAware.map { t in
            [t.name, ComparisonReport.formatted(t.onDemandHourlyCost, decimals: 3),
             ComparisonReport.formatted(t.withCommitmentsHourlyCost, decimals: 3)]
              + (weighted ? [ComparisonReport.formatted(t.penaltyHourlyCost, decimals: 3)] : [])
              + [t.name == fleet.chosen.variant.name ? "<- chosen" : ""]
          },
          leftAligned: [0, weighted ? 4 : 3]).rendered()
      }
      out += s.recommended == nil ? "\nNo variant meets the SLO: keeping the current policies (" : "\nRecommended policies ("
      out += "group default instance warm-up \(Int(fleet.chosen.variant.group.warmupSeconds)) s: "
      out += "aws autoscaling update-auto-scaling-group --default-instance-warmup):\n"
      for policy in fleet.chosen.variant.policies { out += "  - \(describe(policy, schedule: fleet.currentScheduledActions))\n" }
      for floor in fleet.chosen.variant.dailyFloors {
        out += "  - \(floor.name): daily at \(clock(floor.secondOfDay, start: r.start, zone: r.timeZone)) min size \(floor.minSize)\n"
      }
    }
    out += "\n" + CommitmentReport.table(r.commitments, source: r.file)
    if let b = r.backtest { out += "\n" + CommitmentReport.backtestTable(b, source: r.file) }
    if let rolling = r.rollingBacktest { out += "\n" + CommitmentReport.rollingTable(rolling, source: r.file) }
    if !r.notes.isEmpty { out += "\nNotes:\n" + r.notes.map { "  - \($0)\n" }.joined() }
    return out
  }

  /// A latency objective: the candidates re-run request by request, both figures side by side.
  static func requestLevelTable(_ s: PolicySearchResult) -> String {
    guard !s.requestLevelVariants.isEmpty else { return "" }
    let metric = s.objective.serviceLevel.metric
    func row(_ name: String, _ v: PolicyVariantResult, marker: String) -> [String] {
      let q = v.ranking
      return [
        name, q.map { ComparisonReport.grouped($0.costUSD, decimals: 2) } ?? "", q.map { sloText($0.sloValue, metric) } ?? "",
        ComparisonReport.grouped(v.costUSD, decimals: 2), sloText(v.sloValue, metric), v.meetsSLO ? "yes" : "no", marker,
      ]
    }
    let rows = s.requestLevelVariants.map { index in
      row(s.variants[index].variant.name, s.variants[index], marker: index == s.outcome.variantIndex ? "<- decides" : "")
    } + [row("current", s.current, marker: "")]
    return "\nRanked in queueing fidelity (M/G/c with backlog); the cheapest candidates re-run request by request, "
      + "in rounds until one meets the SLO (\(s.requestLevelVariants.count) re-run); the request-level figure decides "
      + "(SLO \(s.objective.serviceLevel))\n"
      + TextGrid(
        headers: ["variant", "queueing USD", "queueing SLO", "requests USD", "requests SLO", "meets", ""],
        rows: rows, leftAligned: [0, 6]
      ).rendered()
  }

  public static func json(_ r: ScenarioRecommendation) -> String {
    func variantJSON(_ v: PolicyVariantResult, index: Int?, schedule: [ScheduledActionDefinition]) -> JSONValue {
      var members: [(String, JSONValue)] = [("name", .string(v.variant.name))]
      if let index { members.append(("index", .integer(index))) }
      members += [
        ("costUSD", .rounded(v.costUSD, places: 4)), ("sloValue", .number(v.sloValue)), ("meetsSLO", .bool(v.meetsSLO)),
        ("historyDelayedShare", .number(v.history.delayedShare)),
        ("historyMinutesAboveCPUThreshold", .number(v.history.minutesAboveCPUThreshold)),
        ("historyMeanInstances", .rounded(v.history.meanInstances, places: 3)),
      ]
      if v.fidelity != .fluid {
        members.append(("fidelity", .string(v.fidelity.rawValue)))
        if let requests = v.history.requests {
          members.append(("historyLatencyMs", ComparisonReport.latencyJSON(requests, withMean: false)))
          members.append((
            "historyMinutesMeetingLatencySLOPercent",
            requests.minutesMeetingLatencySLOPercent.map { .rounded($0, places: 4) } ?? .null))
        }
        if let q = v.ranking {
          members.append(("queueing", .object([
            ("costUSD", .rounded(q.costUSD, places: 4)), ("sloValue", .number(q.sloValue)), ("meetsSLO", .bool(q.meetsSLO)),
          ])))
        }
      }
      if let p = v.forecast {
        members.append(("forecastPaths", .object([
          ("paths", .integer(p.pathCount)), ("meanCostUSD", .rounded(p.meanCostUSD, places: 4)),
          ("p10CostUSD", .rounded(p.p10CostUSD, places: 4)), ("p50CostUSD", .rounded(p.p50CostUSD, places: 4)),
          ("p90CostUSD", .rounded(p.p90CostUSD, places: 4)), ("shareMeetingSLO", .number(p.shareOfPathsMeetingSLO)),
        ])))
      }
      members.append(("defaultInstanceWarmupSeconds", .number(v.variant.group.warmupSeconds)))
      members.append(("policies", .array(v.variant.policies.map { .string(describe($0, schedule: schedule)) })))
      members.append(("dailyFloors", .array(v.variant.dailyFloors.map { floor in
        .object([("name", .string(floor.name)), ("localTime", .string(clock(floor.secondOfDay, start: r.start, zone: r.timeZone))),
                 ("minSize", .integer(floor.minSize))])
      })))
      return .object(members)
    }
    let fleets: [JSONValue] = r.fleets.map { fleet in
      let s = fleet.search
      let c = s.comparison
      let types: [(String, JSONValue)] = fleet.instanceTypes.isEmpty ? [] : [("instanceTypeChoice", instanceTypeJSON(fleet))]
      return .object([
        ("name", .string(fleet.name)), ("instanceType", .string(fleet.instanceType)), ("region", .string(fleet.region)),
        ("objective", .string(s.objective.serviceLevel.description)),
        ("outcome", .string({ if case .recommended = s.outcome { "recommended" } else { "noVariantMeetsSLO" } }())),
        ("variantsSearched", .integer(s.variants.count)),
      ] + types + [
        ("recommended", variantJSON(fleet.chosen, index: s.variants.firstIndex { $0.variant.name == fleet.chosen.variant.name }, schedule: fleet.currentScheduledActions)),
        ("current", variantJSON(s.current, index: nil, schedule: fleet.currentScheduledActions)),
        ("comparison", .object([
          ("currentCostUSD", .rounded(c.currentCostUSD, places: 4)), ("recommendedCostUSD", .rounded(c.chosenCostUSD, places: 4)),
          ("costDeltaUSD", .rounded(c.costDeltaUSD, places: 4)),
          ("costDeltaPercent", c.costDeltaPercent.map { .rounded($0, places: 3) } ?? .null),
          ("currentSLOValue", .number(c.currentSLOValue)), ("recommendedSLOValue", .number(c.chosenSLOValue)),
        ])),
        ("paretoFront", .array(s.paretoFront.map { variantJSON(s.variants[$0], index: $0, schedule: fleet.currentScheduledActions) })),
        ("requestLevelChecks", .array(s.requestLevelVariants.map { variantJSON(s.variants[$0], index: $0, schedule: fleet.currentScheduledActions) })),
        ("commitmentAwareChoice", .array(fleet.commitmentAware.map { t in
          .object([
            ("index", .integer(t.variantIndex)), ("name", .string(t.name)),
            ("onDemandAndSpotHourlyCost", .rounded(t.onDemandHourlyCost, places: 4)),
            ("withOptimalCommitmentsHourlyCost", .rounded(t.withCommitmentsHourlyCost, places: 4)),
            ("sloPenaltyHourlyCost", .rounded(t.penaltyHourlyCost, places: 4)),
            ("chosen", .bool(t.name == fleet.chosen.variant.name)),
          ])
        })),
      ])
    }
    let commitments = CommitmentReport.json(r.commitments, source: r.file)
    let backtest = r.backtest.map { CommitmentReport.backtestJSON($0, source: r.file) }
    // Splice the already-rendered commitment documents in as raw JSON members.
    var text = JSONValue.object([
      ("scenario", .string(r.scenarioName)), ("file", .string(r.file)), ("fleets", .array(fleets)),
      ("notes", .array(r.notes.map(JSONValue.string))),
    ]).rendered().trimmingCharacters(in: .whitespacesAndNewlines)
    text.removeLast()  // the closing brace
    text += ",\"commitments\":" + commitments.trimmingCharacters(in: .whitespacesAndNewlines)
    text += ",\"backtest\":" + (backtest?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "null")
    if let rolling = r.rollingBacktest {
      text += ",\"rollingBacktest\":" + CommitmentReport.rollingJSON(rolling, source: r.file).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    text += "}\n"
    return text
  }

  /// The recommended policies of one fleet as an export (AWS CLI JSON / CloudFormation):
  /// its policies and its daily floors as cron scheduled actions in the scenario's zone.
  public static func export(_ fleet: FleetRecommendation, recommendation r: ScenarioRecommendation) throws -> AutoScalingExport {
    // Kept scheduled actions go out as written (cron or time); the engine's expanded copies stay behind.
    let kept = fleet.keepsCurrentSchedule ? fleet.currentScheduledActions : []
    let dynamic = fleet.chosen.variant.policies.filter { !$0.isScheduled }
    let actions = try kept + fleet.chosen.variant.dailyFloors.map { floor -> ScheduledActionDefinition in
      let local = localSecondOfDay(floor.secondOfDay, start: r.start, zone: r.timeZone)
      let cron = try CronExpression("\(local / 60 % 60) \(local / 3600) * * *")
      return ScheduledActionDefinition(name: floor.name, schedule: .recurrence(cron), minSize: floor.minSize)
    }
    return try AutoScalingExport(
      groupName: AutoScalingExport.groupName(from: fleet.name == "" ? r.scenarioName : "\(r.scenarioName)-\(fleet.name)"),
      region: fleet.region, timeZone: r.timeZone, policies: dynamic, scheduledActions: actions,
      source: "capsim recommend: \(fleet.chosen.variant.name) for \(fleet.name) of scenario '\(r.scenarioName)'")
  }

  /// Engine seconds of the day (from the run's start) as local wall-clock seconds of day.
  static func localSecondOfDay(_ secondOfDay: Double, start: Date, zone: TimeZone) -> Int {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let c = calendar.dateComponents([.hour, .minute, .second], from: start)
    let startSeconds = (c.hour ?? 0) * 3600 + (c.minute ?? 0) * 60 + (c.second ?? 0)
    return (startSeconds + Int(secondOfDay.rounded())) % 86_400
  }

  static func clock(_ secondOfDay: Double, start: Date, zone: TimeZone) -> String {
    let s = localSecondOfDay(secondOfDay, start: start, zone: zone)
    return String(format: "%02d:%02d", s / 3600, s / 60 % 60)
  }

  static func sloText(_ value: Double, _ metric: ServiceLevelMetric) -> String {
    switch metric {
    case .minutesAboveCPU: String(format: "%.1f min", value)
    case .delayedShare: String(format: "%.4f%%", value * 100)
    case .latencyPercentile: value.isFinite ? String(format: "%.1f ms", value * 1_000) : "no requests"
    }
  }

  static func describe(_ policy: ScalingPolicy, schedule: [ScheduledActionDefinition] = []) -> String {
    func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x) }
    switch policy {
    case .targetTracking(let p):
      return "\(p.name): target tracking \(p.metric == .averageCPUUtilization ? "CPU" : "requests/target") \(number(p.targetValue))"
    case .step(let p):
      return "\(p.name): step scaling, alarm \(p.alarm.comparison.rawValue) \(number(p.alarm.threshold)), \(p.steps.count) steps"
    case .simple(let p):
      return "\(p.name): simple scaling, alarm \(p.alarm.comparison.rawValue) \(number(p.alarm.threshold)), adjust \(p.scalingAdjustment)"
    case .scheduled(let a):
      return schedule.first { $0.name == a.name }.map(\.summary) ?? "\(a.name): scheduled"
    case .predictive(let p):
      return "\(p.name): predictive \(p.mode.rawValue), target \(number(p.targetValue)), buffer \(number(p.schedulingBufferSeconds)) s"
    }
  }
}
