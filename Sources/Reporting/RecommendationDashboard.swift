import Advisor
import AutoScaling
import Foundation
import Results

/// `capsim recommend --format html`: one self-contained page (inline CSS and SVG, no
/// JavaScript, no external assets, no timestamps: the same bytes for the same input). It
/// leads with the money (monthly total and delta), then per fleet the searched variants as
/// a cost vs SLO scatter with the Pareto front, then the commitments (purchases with Cost
/// Explorer's field names, the savings curve, the risk, what-ifs, baselines) and the
/// backtest. Numbers are formatted like `table`; every piece of text is escaped. The markup
/// is XHTML-compatible (closed tags, quoted attributes, only XML's five entities).
extension RecommendationReport {
  public static func html(_ r: ScenarioRecommendation) -> String {
    let e = SVGChart.escape
    var out = HTMLPage.open(title: "capsim recommendation: \(r.scenarioName)")
    out += Dashboard.header(r)
    for (i, fleet) in r.fleets.enumerated() { out += Dashboard.fleetSection(fleet, index: i, r) }
    out += Dashboard.commitmentsSection(r.commitments)
    if let b = r.backtest { out += Dashboard.backtestSection(b) }
    if let rolling = r.rollingBacktest { out += Dashboard.rollingSection(rolling) }
    if !r.notes.isEmpty {
      out += "<section id=\"notes\">\n<h2>Notes</h2>\n<ul class=\"notes\">\n"
      for note in r.notes { out += "<li>\(e(note))</li>\n" }
      out += "</ul>\n</section>\n"
    }
    out += "<footer>capsim recommend \(e(r.file)). Charts are inline SVG; hover a point for its figures.</footer>\n"
    return HTMLPage.scrollingTables(out) + "</body>\n</html>\n"
  }
}

/// The dashboard's sections, each a fragment of the page.
enum Dashboard {
  static func e(_ text: String) -> String { SVGChart.escape(text) }
  static func f(_ value: Double, _ decimals: Int) -> String { ComparisonReport.formatted(value, decimals: decimals) }
  static func n(_ value: Double) -> String { SVGChart.n(value) }

  // MARK: Header

  static func header(_ r: ScenarioRecommendation) -> String {
    let c = r.commitments.recommendation
    let month = CommitmentAdvisor.hoursPerMonth
    var out = "<header>\n<h1>Recommendation for \(e(r.scenarioName))</h1>\n<p class=\"muted\">\(e(r.file))</p>\n"
    out += "<div class=\"cards\">\n<div class=\"card\" id=\"headline\">\n"
    out += "<div class=\"muted\">Expected monthly compute cost with the recommended commitments</div>\n"
    out += "<div class=\"big\">\(ComparisonReport.grouped(c.expectedHourlyCost * month, decimals: 2)) USD/month</div>\n"
    let delta = c.monthlySavings
    out += "<div class=\"\(delta > 0 ? "good" : "muted")\">saves \(ComparisonReport.grouped(delta, decimals: 2)) USD/month "
    out += "(\(f(c.savingsPercent, 1))%) against \(ComparisonReport.grouped(c.onDemandHourlyCost * month, decimals: 2)) USD/month On-Demand</div>\n"
    out += "<div>On-Demand \(f(c.onDemandHourlyCost, 2)) USD/h -&gt; \(f(c.expectedHourlyCost, 2)) USD/h expected: "
    out += "saves \(ComparisonReport.grouped(c.monthlySavings, decimals: 2)) USD/month (\(f(c.savingsPercent, 1))%), "
    out += "coverage \(f(c.coverage, 1))%, utilization \(f(c.utilization, 1))%</div>\n"
    out += "<div class=\"muted\">commit \(f(c.hourlyCommitment, 3)) USD/h, upfront \(ComparisonReport.grouped(c.upfrontCost, decimals: 0)) USD; "
    out += "planned on \(e(r.commitments.planningBasis))"
    if r.commitments.planningBasis == "forecast" {
      out += " (\(r.commitments.planningPaths) paths x \(r.commitments.planningHours) h)"
    }
    out += "</div>\n</div>\n"
    for fleet in r.fleets {
      let s = fleet.search
      let cmp = s.comparison
      let slo = s.objective.serviceLevel
      let deltaPercent = cmp.costDeltaPercent.map { " (" + ComparisonReport.signed($0, decimals: 1) + "%)" } ?? ""
      let days = fleet.chosen.history.days
      out += "<div class=\"card fleet-summary\">\n<div class=\"muted\">\(e(fleet.name.isEmpty ? "fleet" : fleet.name)): "
      out += "\(e(fleet.instanceType)) in \(e(fleet.region))</div>\n"
      out += "<div><strong>\(e(fleet.chosen.variant.name))</strong> \(s.recommended == nil ? "(closest; no variant meets the SLO)" : "")</div>\n"
      out += "<div class=\"\(cmp.costDeltaUSD < 0 ? "good" : cmp.costDeltaUSD > 0 ? "bad" : "muted")\">"
      out += "cost delta \(cmp.costDeltaUSD >= 0 ? "+" : "")\(ComparisonReport.grouped(cmp.costDeltaUSD, decimals: 2)) USD\(deltaPercent) "
      out += "vs current over the \(f(days, 1))-day history (\(ComparisonReport.grouped(cmp.chosenCostUSD, decimals: 2)) vs "
      out += "\(ComparisonReport.grouped(cmp.currentCostUSD, decimals: 2)) USD)</div>\n"
      out += "<div>SLO figure \(e(sloText(cmp.chosenSLOValue, slo.metric))) (current \(e(sloText(cmp.currentSLOValue, slo.metric)))); "
      out += "SLO \(e(slo.description))</div>\n"
      if let moved = RecommendationReport.movedHistoryText(fleet) { out += "<div class=\"good\">\(e(moved))</div>\n" }
      out += "</div>\n"
    }
    return out + "</div>\n</header>\n"
  }

  // MARK: Fleets

  static func fleetSection(_ fleet: FleetRecommendation, index: Int, _ r: ScenarioRecommendation) -> String {
    let s = fleet.search
    let slo = s.objective.serviceLevel
    let g = { (v: Double) in ComparisonReport.grouped(v, decimals: 2) }
    var out = "<section class=\"fleet\" id=\"fleet-\(index)\">\n"
    out += "<h2>\(e(fleet.name.isEmpty ? "Fleet" : fleet.name)): \(e(fleet.instanceType)) in \(e(fleet.region))</h2>\n"
    out += "<p>\(e(s.summary))</p>\n"
    out += instanceTypeSection(fleet)
    out += "<h3>Every searched variant: history cost vs SLO figure</h3>\n"
    out += scatter(fleet, slo: slo)
    out += "<table>\n<tr><th></th><th>variant</th><th class=\"n\">cost USD</th><th class=\"n\">SLO figure</th><th>meets</th>"
    out += "<th class=\"n\">mean cost on paths</th><th class=\"n\">paths meeting SLO</th></tr>\n"
    for (label, v) in [("current", s.current), ("chosen", fleet.chosen)] {
      out += "<tr\(label == "chosen" ? " class=\"chosen\"" : "")><td>\(label)</td><td>\(e(v.variant.name))</td>"
      out += "<td class=\"n\">\(g(v.costUSD))</td><td class=\"n\">\(e(sloText(v.sloValue, slo.metric)))</td><td>\(v.meetsSLO ? "yes" : "no")</td>"
      out += "<td class=\"n\">\(v.forecast.map { g($0.meanCostUSD) } ?? "")</td>"
      out += "<td class=\"n\">\(v.forecast.map { f($0.shareOfPathsMeetingSLO * 100, 0) + "%" } ?? "")</td></tr>\n"
    }
    out += "</table>\n"
    if !fleet.commitmentAware.isEmpty {
      out += "<h3>Policy and commitments together</h3>\n"
      out += "<p class=\"muted\">The cheapest SLO-meeting variants, expected USD/h on the forecast paths.</p>\n"
      out += "<table>\n<tr><th>variant</th><th class=\"n\">On-Demand + Spot</th><th class=\"n\">with its optimal commitments</th><th></th></tr>\n"
      for t in fleet.commitmentAware {
        let chosen = t.name == fleet.chosen.variant.name
        out += "<tr\(chosen ? " class=\"chosen\"" : "")><td>\(e(t.name))</td><td class=\"n\">\(f(t.onDemandHourlyCost, 3))</td>"
        out += "<td class=\"n\">\(f(t.withCommitmentsHourlyCost, 3))</td><td>\(chosen ? "chosen" : "")</td></tr>\n"
      }
      out += "</table>\n"
    }
    out += "<h3>\(s.recommended == nil ? "No variant meets the SLO: keeping the current policies" : "Recommended policies")</h3>\n"
    out += "<p class=\"muted\">Group default instance warm-up \(Int(fleet.chosen.variant.group.warmupSeconds)) s "
    out += "(aws autoscaling update-auto-scaling-group --default-instance-warmup).</p>\n<ul class=\"policies\">\n"
    for policy in fleet.chosen.variant.policies {
      out += "<li>\(e(RecommendationReport.describe(policy, schedule: fleet.currentScheduledActions)))</li>\n"
    }
    for floor in fleet.chosen.variant.dailyFloors {
      let time = RecommendationReport.clock(floor.secondOfDay, start: r.start, zone: r.timeZone)
      out += "<li>\(e(floor.name)): daily at \(e(time)) min size \(floor.minSize)</li>\n"
    }
    return out + "</ul>\n</section>\n"
  }

  static func sloText(_ value: Double, _ metric: ServiceLevelMetric) -> String { RecommendationReport.sloText(value, metric) }

  /// SLO figures in display units: percent of demand delayed, minutes per day, or
  /// milliseconds of latency (a run without requests, whose latency is undefined, at 0).
  static func sloDisplay(_ value: Double, _ metric: ServiceLevelMetric) -> Double {
    switch metric {
    case .delayedShare: value * 100
    case .minutesAboveCPU: value
    case .latencyPercentile: value.isFinite ? value * 1_000 : 0
    }
  }

  /// Every variant (grey: misses the SLO, blue: meets it), the Pareto front as a line, the
  /// current and chosen policies labelled, the SLO limit dashed. The y axis spans the front,
  /// current, chosen and the limit; variants above it sit on the top edge as triangles.
  static func scatter(_ fleet: FleetRecommendation, slo: ServiceLevelObjective) -> String {
    let s = fleet.search
    let metric = slo.metric
    let y = { (v: Double) in sloDisplay(v, metric) }
    let frame = SVGChart.Frame(width: 720, height: 340, left: 74)
    let all = s.variants + [s.current]
    let xAxis = SVGChart.Axis(all.map(\.costUSD))
    let focus = s.paretoFront.map { y(s.variants[$0].sloValue) } + [y(s.current.sloValue), y(fleet.chosen.sloValue), y(slo.limit)]
    let yAxis = SVGChart.Axis(focus, including: [0])
    let yTitle =
      switch metric {
      case .delayedShare: "demand delayed (%)"
      case .minutesAboveCPU: "minutes per day above the CPU threshold"
      case .latencyPercentile(let p): "p\(p == p.rounded() ? String(Int(p)) : String(p)) latency (ms)"
      }
    var out = frame.open(label: "\(fleet.name) variants: history cost vs SLO figure")
    out += frame.axes(x: xAxis, xTitle: "cost on the history (USD)", y: yAxis, yTitle: yTitle)
    func px(_ v: PolicyVariantResult) -> Double { xAxis.position(v.costUSD, from: frame.plotLeft, to: frame.plotRight) }
    func py(_ v: PolicyVariantResult) -> Double { yAxis.position(y(v.sloValue), from: frame.plotBottom, to: frame.plotTop) }
    func tip(_ v: PolicyVariantResult) -> String {
      e("\(v.variant.name): \(ComparisonReport.grouped(v.costUSD, decimals: 2)) USD, \(sloText(v.sloValue, metric))\(v.meetsSLO ? "" : ", misses the SLO")")
    }
    // The SLO limit.
    let limitY = n(yAxis.position(y(slo.limit), from: frame.plotBottom, to: frame.plotTop))
    out += "<line class=\"limit\" x1=\"\(n(frame.plotLeft))\" y1=\"\(limitY)\" x2=\"\(n(frame.plotRight))\" y2=\"\(limitY)\"/>"
    out += "<text class=\"limit-label\" x=\"\(n(frame.plotRight - 4))\" y=\"\(limitY)\" dy=\"-4\" text-anchor=\"end\">SLO limit \(e(sloText(slo.limit, metric)))</text>\n"
    // Every variant.
    var above = 0
    out += "<g class=\"variants\">\n"
    for v in s.variants {
      let cls = v.meetsSLO ? "variant meets" : "variant"
      if y(v.sloValue) > yAxis.upper {
        above += 1
        let x = px(v), top = frame.plotTop
        out += "<path class=\"\(cls)\" d=\"M\(n(x - 4)) \(n(top + 7))L\(n(x)) \(n(top))L\(n(x + 4)) \(n(top + 7))Z\"><title>\(tip(v))</title></path>\n"
      } else {
        out += "<circle class=\"\(cls)\" cx=\"\(n(px(v)))\" cy=\"\(n(py(v)))\" r=\"3.5\"><title>\(tip(v))</title></circle>\n"
      }
    }
    out += "</g>\n"
    // The Pareto front, cost ascending.
    let front = s.paretoFront.map { s.variants[$0] }
    if front.count > 1 {
      let points = front.map { "\(n(px($0))),\(n(py($0)))" }.joined(separator: " ")
      out += "<polyline class=\"front\" points=\"\(points)\"><title>Pareto front (\(front.count) variants)</title></polyline>\n"
    }
    // Current and chosen, labelled (current below right, chosen above left).
    let cx = px(s.current), cy = py(s.current)
    out += "<rect class=\"current\" x=\"\(n(cx - 6))\" y=\"\(n(cy - 6))\" width=\"12\" height=\"12\"><title>current: \(tip(s.current))</title></rect>\n"
    let currentAnchor = cx > (frame.plotLeft + frame.plotRight) / 2 ? "end" : "start"
    out += "<text class=\"label\" x=\"\(n(cx + (currentAnchor == "end" ? -9 : 9)))\" y=\"\(n(min(cy + 16, frame.plotBottom - 4)))\" text-anchor=\"\(currentAnchor)\">current</text>\n"
    let hx = px(fleet.chosen), hy = py(fleet.chosen)
    out += "<circle class=\"chosen\" cx=\"\(n(hx))\" cy=\"\(n(hy))\" r=\"7\"><title>chosen: \(tip(fleet.chosen))</title></circle>\n"
    let chosenAnchor = hx > (frame.plotLeft + frame.plotRight) / 2 ? "end" : "start"
    out += "<text class=\"label\" x=\"\(n(hx + (chosenAnchor == "end" ? -10 : 10)))\" y=\"\(n(max(hy - 10, frame.plotTop + 12)))\" text-anchor=\"\(chosenAnchor)\">"
    out += "chosen: \(e(fleet.chosen.variant.name))</text>\n</svg>\n"
    var legend = "<p class=\"muted\">\(s.variants.count) variants searched (blue: meets the SLO on the history and paths, grey: misses it); "
    legend += "the line joins the \(front.count) on the Pareto front; square: current policies; large dot: chosen."
    if above > 0 { legend += " \(above) variant\(above == 1 ? "" : "s") with a worse SLO figure than the chart shows sit on its top edge." }
    return out + legend + "</p>\n"
  }

  // MARK: Commitments

  static func purchaseWhat(_ p: CommitmentPurchase) -> String {
    if let count = p.numberOfInstances, let type = p.instanceType { return "\(count) x \(type)" }
    if let family = p.family { return "\(family) \(p.region ?? "")" }
    return "any family/region"
  }

  static func breakEven(_ p: CommitmentPurchase) -> String {
    guard p.estimatedBreakEvenInMonths.isFinite else { return "never" }
    return p.upfrontCost > 0 ? f(p.estimatedBreakEvenInMonths, 1) + " mo" : "util \(f(p.breakEvenUtilization, 0))%"
  }

  static func commitmentsSection(_ advice: CommitmentAdvice) -> String {
    let c = advice.recommendation
    var out = "<section id=\"commitments\">\n<h2>Commitments</h2>\n"
    out += "<p>\(advice.historyHours) hours of history, planned on \(e(advice.planningBasis))"
    out += advice.planningBasis == "forecast" ? " (\(advice.planningPaths) paths x \(advice.planningHours) h).</p>\n" : ".</p>\n"
    if !advice.pools.isEmpty {
      out += "<table>\n<tr><th>family</th><th>region</th><th class=\"n\">avg units/h</th><th class=\"n\">min</th><th class=\"n\">max</th><th class=\"n\">OD USD/unit-h</th></tr>\n"
      for p in advice.pools {
        out += "<tr><td>\(e(p.family))</td><td>\(e(p.region))</td><td class=\"n\">\(f(p.meanUnits, 1))</td><td class=\"n\">\(f(p.minUnits, 1))</td>"
        out += "<td class=\"n\">\(f(p.maxUnits, 1))</td><td class=\"n\">\(f(p.onDemandRatePerUnitHour, 4))</td></tr>\n"
      }
      out += "</table>\n"
    }
    let gap = max(0, (c.continuousHourlyCost - c.lowerBoundHourlyCost) / max(c.continuousHourlyCost, 1e-300))
    out += "<h3>Recommended purchase</h3>\n<p class=\"muted\">Exact optimum; proven gap \(String(format: "%.2e", gap.isFinite ? gap : 0)).</p>\n"
    if c.purchases.isEmpty {
      out += "<p>No commitment saves money on this usage: the optimum is to stay On-Demand.</p>\n"
    } else {
      out += "<table id=\"purchases\">\n<tr><th>commitment</th><th>Term</th><th>PaymentOption</th><th>what</th>"
      for head in ["HourlyCommitmentToPurchase", "UpfrontCost", "EstimatedAverageUtilization", "EstimatedMonthlySavingsAmount",
                   "EstimatedSavingsPercentage", "EstimatedROI", "break-even"] {
        out += "<th class=\"n\">\(head)</th>"
      }
      out += "</tr>\n"
      for p in c.purchases {
        let name = p.kind == .reservedInstance ? "RI \(p.offeringClass?.rawValue ?? "")" : p.kind.rawValue
        out += "<tr><td>\(e(name))</td><td>\(e(p.term.rawValue))</td><td>\(e(p.payment.rawValue))</td><td>\(e(purchaseWhat(p)))</td>"
        out += "<td class=\"n\">\(f(p.hourlyCommitment, 3))</td><td class=\"n\">\(f(p.upfrontCost, 0))</td>"
        out += "<td class=\"n\">\(f(p.estimatedAverageUtilization, 1))</td>"
        out += "<td class=\"n\">\(ComparisonReport.grouped(p.estimatedMonthlySavingsAmount, decimals: 2))</td>"
        out += "<td class=\"n\">\(f(p.estimatedSavingsPercentage, 1))</td><td class=\"n\">\(f(p.estimatedROI, 1))</td>"
        out += "<td class=\"n\">\(e(breakEven(p)))</td></tr>\n"
      }
      out += "</table>\n"
    }
    out += "<p>On-Demand \(f(c.onDemandHourlyCost, 2)) USD/h -&gt; \(f(c.expectedHourlyCost, 2)) USD/h expected: "
    out += "saves \(ComparisonReport.grouped(c.monthlySavings, decimals: 2)) USD/month (\(f(c.savingsPercent, 1))%), "
    out += "coverage \(f(c.coverage, 1))%, utilization \(f(c.utilization, 1))%.</p>\n"
    if !c.curve.isEmpty {
      out += "<h3>Savings vs commitment</h3>\n" + savingsCurve(c)
    }
    out += "<h3>Risk</h3>\n" + risk(c)
    if !c.whatIfs.isEmpty && !c.purchases.isEmpty {
      out += "<h3>If load changes</h3>\n<p class=\"muted\">This purchase vs the best purchase for that load.</p>\n"
      out += "<table>\n<tr><th class=\"n\">load</th><th class=\"n\">EstimatedSavingsPercentage</th><th class=\"n\">EstimatedAverageUtilization</th>"
      out += "<th class=\"n\">best possible savings %</th></tr>\n"
      for w in c.whatIfs {
        out += "<tr><td class=\"n\">\(ComparisonReport.signed(100 * (w.loadFactor - 1), decimals: 1))%</td><td class=\"n\">\(f(w.savingsPercent, 2))</td>"
        out += "<td class=\"n\">\(f(w.utilization, 1))</td><td class=\"n\">\(f(w.bestSavingsPercent, 2))</td></tr>\n"
      }
      out += "</table>\n"
    }
    if !c.ladder.isEmpty {
      out += "<h3>Laddered purchase</h3>\n<table>\n<tr><th class=\"n\">month</th><th class=\"n\">expires</th><th class=\"n\">share %</th>"
      out += "<th class=\"n\">HourlyCommitmentToPurchase</th><th class=\"n\">UpfrontCost</th><th>buy</th></tr>\n"
      for t in c.ladder {
        out += "<tr><td class=\"n\">\(t.month)</td><td class=\"n\">\(t.expiresMonth)</td><td class=\"n\">\(f(100 * t.share, 1))</td>"
        out += "<td class=\"n\">\(f(t.hourlyCommitment, 3))</td><td class=\"n\">\(f(t.upfrontCost, 0))</td>"
        out += "<td>\(e(t.items.map { CommitmentReport.ladderItemText($0, purchases: c.purchases) }.joined(separator: "; ")))</td></tr>\n"
      }
      out += "</table>\n"
    }
    if !advice.baselines.isEmpty {
      out += "<h3>Cost Explorer-style baselines vs ours</h3>\n"
      out += "<p class=\"muted\">Look-back, no forecast, one kind at a time, billed on the same planning usage.</p>\n"
      out += "<table>\n<tr><th>LookbackPeriodInDays</th><th>kind</th><th class=\"n\">HourlyCommitmentToPurchase</th>"
      out += "<th class=\"n\">EstimatedSavingsPercentage (look-back)</th><th class=\"n\">savings % (planning)</th></tr>\n"
      for b in advice.baselines {
        out += "<tr><td>\(b.baseline.lookbackDays) d</td><td>\(e(b.baseline.kind.rawValue))</td>"
        out += "<td class=\"n\">\(f(b.baseline.recommendation.hourlyCommitment, 3))</td>"
        out += "<td class=\"n\">\(f(b.baseline.recommendation.savingsPercent, 2))</td><td class=\"n\">\(f(b.planningSavingsPercent, 2))</td></tr>\n"
      }
      out += "<tr class=\"ours\"><td>ours</td><td>portfolio</td><td class=\"n\">\(f(c.hourlyCommitment, 3))</td><td class=\"n\"></td>"
      out += "<td class=\"n\">\(f(c.savingsPercent, 2))</td></tr>\n</table>\n"
    }
    let notes = advice.notes + c.notes
    if !notes.isEmpty {
      out += "<h3>Notes</h3>\n<ul class=\"notes\">\n"
      for note in notes { out += "<li>\(e(note))</li>\n" }
      out += "</ul>\n"
    }
    return out + "</section>\n"
  }

  /// Savings % against USD/h committed, commitment ascending: solid while optimized under
  /// the cap, dashed beyond (the optimum scaled up); the recommendation marked.
  static func savingsCurve(_ c: CommitmentRecommendation) -> String {
    let points = c.curve.sorted { ($0.hourlyCommitment, $0.savingsPercent) < ($1.hourlyCommitment, $1.savingsPercent) }
    let frame = SVGChart.Frame()
    let xAxis = SVGChart.Axis(points.map(\.hourlyCommitment), including: [0, c.hourlyCommitment])
    let yAxis = SVGChart.Axis(points.map(\.savingsPercent), including: [0, c.savingsPercent])
    var out = frame.open(label: "Savings vs commitment")
    out += frame.axes(x: xAxis, xTitle: "hourly commitment (USD/h)", y: yAxis, yTitle: "savings (%)")
    func x(_ v: Double) -> Double { xAxis.position(v, from: frame.plotLeft, to: frame.plotRight) }
    func y(_ v: Double) -> Double { yAxis.position(v, from: frame.plotBottom, to: frame.plotTop) }
    let zero = n(y(0))
    out += "<line class=\"zero\" x1=\"\(n(frame.plotLeft))\" y1=\"\(zero)\" x2=\"\(n(frame.plotRight))\" y2=\"\(zero)\"/>\n"
    // Segments: dashed when either end is the optimum scaled up.
    var solid: [String] = []
    var dashed = ""
    for (i, p) in points.enumerated() {
      let xy = "\(n(x(p.hourlyCommitment))),\(n(y(p.savingsPercent)))"
      if p.optimizedUnderCap { solid.append(xy) }
      if i > 0 && !(p.optimizedUnderCap && points[i - 1].optimizedUnderCap) {
        let q = points[i - 1]
        dashed += "M\(n(x(q.hourlyCommitment))) \(n(y(q.savingsPercent)))L\(n(x(p.hourlyCommitment))) \(n(y(p.savingsPercent)))"
      }
    }
    if solid.count > 1 { out += "<polyline class=\"curve\" points=\"\(solid.joined(separator: " "))\"/>\n" }
    if !dashed.isEmpty { out += "<path class=\"scaled\" d=\"\(dashed)\"><title>optimum scaled up</title></path>\n" }
    for p in points {
      let tip = "\(f(p.hourlyCommitment, 3)) USD/h: savings \(f(p.savingsPercent, 2))%, utilization \(f(p.utilization, 1))%\(p.optimizedUnderCap ? "" : " (optimum scaled up)")"
      out += "<circle class=\"point\" cx=\"\(n(x(p.hourlyCommitment)))\" cy=\"\(n(y(p.savingsPercent)))\" r=\"3\"><title>\(e(tip))</title></circle>\n"
    }
    let ox = x(c.hourlyCommitment), oy = y(c.savingsPercent)
    out += "<circle class=\"optimum\" cx=\"\(n(ox))\" cy=\"\(n(oy))\" r=\"7\"><title>optimum</title></circle>\n"
    // Above the optimum (the curve's peak), or below it when that leaves the plot.
    let anchor = ox < frame.plotLeft + 120 ? "start" : ox > frame.plotRight - 120 ? "end" : "middle"
    let labelY = oy - 14 < frame.plotTop + 10 ? oy + 22 : oy - 14
    out += "<text class=\"label\" x=\"\(n(ox))\" y=\"\(n(labelY))\" text-anchor=\"\(anchor)\">"
    out += "optimum \(f(c.hourlyCommitment, 3)) USD/h, \(f(c.savingsPercent, 1))%</text>\n</svg>\n"
    out += "<p class=\"muted\">Each point: the best purchase under a cap on the hourly commitment (a fraction of the optimum's); "
    out += "dashed: the optimum scaled up past 1x, buying more than pays.</p>\n"
    out += "<table>\n<tr><th class=\"n\">USD/h committed</th><th class=\"n\">savings %</th><th class=\"n\">util %</th><th></th></tr>\n"
    for p in points {
      out += "<tr><td class=\"n\">\(f(p.hourlyCommitment, 3))</td><td class=\"n\">\(f(p.savingsPercent, 2))</td>"
      out += "<td class=\"n\">\(f(p.utilization, 1))</td><td>\(p.optimizedUnderCap ? "" : "optimum scaled up")</td></tr>\n"
    }
    return out + "</table>\n"
  }

  /// P10-P90 savings over the paths as a range on one axis, P50 and the expected value marked.
  static func risk(_ c: CommitmentRecommendation) -> String {
    let k = c.risk
    guard k.paths > 1 else {
      return "<p>Planned on a single usage path: no spread to show (expected savings \(f(c.savingsPercent, 1))%).</p>\n"
    }
    var out = "<p>Risk over \(k.paths) paths: savings P10 \(f(k.savingsPercentP10, 1))%, P50 \(f(k.savingsPercentP50, 1))%, "
    out += "P90 \(f(k.savingsPercentP90, 1))%; hourly cost P10 \(f(k.costP10, 3)), P50 \(f(k.costP50, 3)), P90 \(f(k.costP90, 3)) USD/h.</p>\n"
    let frame = SVGChart.Frame(width: 640, height: 110, left: 30, right: 30, top: 12, bottom: 44)
    let values = [k.savingsPercentP10, k.savingsPercentP50, k.savingsPercentP90, c.savingsPercent]
    let axis = SVGChart.Axis(values, including: [0])
    func x(_ v: Double) -> Double { axis.position(v, from: frame.plotLeft, to: frame.plotRight) }
    out += frame.open(label: "Savings percentage P10 to P90 over the forecast paths")
    out += frame.axes(x: axis, xTitle: "savings (%) over the paths: P10 to P90, P50 dot, expected bar", y: nil, yTitle: "")
    let mid = (frame.plotTop + frame.plotBottom) / 2
    let lo = min(k.savingsPercentP10, k.savingsPercentP90), hi = max(k.savingsPercentP10, k.savingsPercentP90)
    out += "<line class=\"range\" x1=\"\(n(x(lo)))\" y1=\"\(n(mid))\" x2=\"\(n(x(hi)))\" y2=\"\(n(mid))\"><title>P10 to P90</title></line>\n"
    out += "<circle class=\"p50\" cx=\"\(n(x(k.savingsPercentP50)))\" cy=\"\(n(mid))\" r=\"5\"><title>P50 \(f(k.savingsPercentP50, 1))%</title></circle>\n"
    out += "<line class=\"zero\" x1=\"\(n(x(c.savingsPercent)))\" y1=\"\(n(mid - 12))\" x2=\"\(n(x(c.savingsPercent)))\" y2=\"\(n(mid + 12))\">"
    out += "<title>expected \(f(c.savingsPercent, 1))%</title></line>\n"
    if x(hi) - x(lo) >= 40 {
      out += "<text x=\"\(n(x(lo)))\" y=\"\(n(mid - 10))\" text-anchor=\"middle\">P10</text>"
      out += "<text x=\"\(n(x(hi)))\" y=\"\(n(mid - 10))\" text-anchor=\"middle\">P90</text>\n"
    } else {
      out += "<text x=\"\(n((x(lo) + x(hi)) / 2))\" y=\"\(n(mid - 14))\" text-anchor=\"middle\">P10-P90</text>\n"
    }
    return out + "</svg>\n"
  }

  // MARK: Backtest

  static func backtestSection(_ b: CommitmentBacktest) -> String {
    var out = "<section id=\"backtest\">\n<h2>Backtest</h2>\n"
    out += "<p>Recommend from the first \(b.trainHours) hours, bill the last \(b.testHours) as they happened. "
    out += "On-Demand over the held-out hours: \(f(b.onDemandHourlyCost, 3)) USD/h.</p>\n"
    let groups: [(String, [CommitmentBacktest.Line])] = [
      ("ours", [b.ours]), ("Cost Explorer-style", b.baselines), ("same-policy look-back", b.samePolicyBaselines),
      ("hindsight", b.hindsight.map { [$0] } ?? []),
    ]
    out += "<table>\n<tr><th>recommender</th><th></th><th class=\"n\">USD/h committed</th><th class=\"n\">expected savings %</th>"
    out += "<th class=\"n\">realized savings %</th><th class=\"n\">realized USD/h</th></tr>\n"
    for (group, lines) in groups {
      for line in lines {
        out += "<tr\(group == "ours" ? " class=\"ours\"" : "")><td>\(e(line.label))</td><td>\(e(group))</td>"
        out += "<td class=\"n\">\(f(line.hourlyCommitment, 3))</td><td class=\"n\">\(f(line.expectedSavingsPercent, 2))</td>"
        out += "<td class=\"n\">\(f(line.realizedSavingsPercent, 2))</td><td class=\"n\">\(f(line.realizedHourlyCost, 3))</td></tr>\n"
      }
    }
    out += "</table>\n"
    if let best = b.bestBaseline {
      out += "<p>capsim vs the best baseline (\(e(best.label))): \(ComparisonReport.signed(b.ours.realizedSavingsPercent - best.realizedSavingsPercent, decimals: 1)) points of realized savings.</p>\n"
    }
    if let best = b.samePolicyBaselines.max(by: { $0.realizedSavingsPercent < $1.realizedSavingsPercent }) {
      out += "<p>capsim vs the best look-back on the recommended policy&#39;s past usage (\(e(best.label))): "
      out += "\(ComparisonReport.signed(b.ours.realizedSavingsPercent - best.realizedSavingsPercent, decimals: 1)) points.</p>\n"
    }
    return out + realizedBars(groups) + "</section>\n"
  }

  /// The backtest from several origins: a row per origin, then pooled savings as bars.
  static func rollingSection(_ r: RollingBacktest) -> String {
    guard let first = r.origins.first else { return "" }
    var out = "<section id=\"rolling-backtest\">\n<h2>Backtest from \(r.origins.count) origins</h2>\n"
    out += "<p>Each origin plans on what was known then and bills the next \(first.backtest.testHours / 24) days as they happened; "
    out += "origins are the usual split, then the history cut earlier each time.</p>\n"
    out += "<table>\n<tr><th class=\"n\">held-out days end this many days before the data</th><th class=\"n\">train hours</th>"
    out += "<th class=\"n\">capsim realized %</th><th>best Cost Explorer-style</th><th class=\"n\">its realized %</th>"
    out += "<th class=\"n\">hindsight %</th><th class=\"n\">capsim - best (points)</th></tr>\n"
    for o in r.origins {
      let b = o.backtest
      let best = b.bestBaseline
      out += "<tr><td class=\"n\">\(o.daysBeforeEnd)</td><td class=\"n\">\(b.trainHours)</td>"
      out += "<td class=\"n\">\(f(b.ours.realizedSavingsPercent, 2))</td><td>\(e(best?.label ?? "none (history under 7 days)"))</td>"
      out += "<td class=\"n\">\(f(best?.realizedSavingsPercent ?? 0, 2))</td>"
      out += "<td class=\"n\">\(b.hindsight.map { f($0.realizedSavingsPercent, 2) } ?? "")</td>"
      out += "<td class=\"n\">\(ComparisonReport.signed(o.margin, decimals: 1))</td></tr>\n"
    }
    out += "</table>\n"
    let record = r.record
    out += "<p>capsim against the best look-back of each origin: \(record.wins) wins, \(record.ties) ties, \(record.losses) losses; "
    out += "pooled savings \(ComparisonReport.signed(r.ours.pooledSavingsPercent - r.bestPerOrigin.pooledSavingsPercent, decimals: 1)) points.</p>\n"
    func line(_ t: RollingBacktest.Total) -> CommitmentBacktest.Line {
      CommitmentBacktest.Line(
        label: t.label, hourlyCommitment: 0, expectedSavingsPercent: t.pooledSavingsPercent,
        realizedSavingsPercent: t.pooledSavingsPercent, realizedHourlyCost: 0)
    }
    let groups: [(String, [CommitmentBacktest.Line])] = [
      ("ours", [line(r.ours)]), ("Cost Explorer-style", (r.baselines + [r.bestPerOrigin]).map(line)),
      ("hindsight", r.hindsight.map { [line($0)] } ?? []),
    ]
    return out + realizedBars(groups, title: "pooled savings over every origin's held-out hours (%)") + "</section>\n"
  }

  /// Realized savings % per recommender as horizontal bars from zero (negative ones go left).
  static func realizedBars(
    _ groups: [(String, [CommitmentBacktest.Line])], title: String = "realized savings on the held-out hours (%)"
  ) -> String {
    let rows = groups.flatMap { group in group.1.map { (group.0, $0) } }
    // Each row: the recommender's name above its bar (names are long), the value after it.
    let rowHeight = 34.0
    var frame = SVGChart.Frame(width: 720, height: 0, left: 20, right: 70, top: 8, bottom: 44)
    frame.height = frame.top + frame.bottom + rowHeight * Double(max(1, rows.count))
    let axis = SVGChart.Axis(rows.map(\.1.realizedSavingsPercent), including: [0])
    func x(_ v: Double) -> Double { axis.position(v, from: frame.plotLeft, to: frame.plotRight) }
    var out = frame.open(label: "Realized savings per recommender")
    out += frame.axes(x: axis, xTitle: title, y: nil, yTitle: "")
    let zero = x(0)
    for (i, (group, line)) in rows.enumerated() {
      let top = frame.plotTop + rowHeight * Double(i)
      let end = x(line.realizedSavingsPercent)
      let cls = group == "ours" ? "bar ours" : group == "same-policy look-back" || group == "hindsight" ? "bar same" : "bar"
      out += "<text class=\"label\" x=\"\(n(frame.plotLeft + 4))\" y=\"\(n(top + 13))\">\(e(line.label))</text>"
      out += "<rect class=\"\(cls)\" x=\"\(n(min(zero, end)))\" y=\"\(n(top + 17))\" width=\"\(n(abs(end - zero)))\" height=\"13\">"
      out += "<title>\(e(line.label)): \(f(line.realizedSavingsPercent, 2))%</title></rect>"
      out += "<text x=\"\(n(max(zero, end) + 4))\" y=\"\(n(top + 23.5))\" dy=\"0.32em\">\(f(line.realizedSavingsPercent, 2))%</text>\n"
    }
    out += "<line class=\"zero\" x1=\"\(n(zero))\" y1=\"\(n(frame.plotTop))\" x2=\"\(n(zero))\" y2=\"\(n(frame.plotBottom))\"/>\n"
    return out + "</svg>\n"
  }
}
