import Results

/// The busiest day, fleet by fleet: what an engineer looks at before changing a policy.
/// Demand, instances in service and CPU (and p99 latency in the queueing and requests
/// fidelities) through the scenario's busiest local day, one line per variant or service,
/// in the buckets `--format json` lists under each fleet's `busiestDay`.
extension RunReport {
  /// Okabe-Ito strokes, each with its own dash pattern, so lines stay apart in grey.
  static let busiestDayCSS = """
    .chart .line{fill:none;stroke-width:1.8}.chart .reference{stroke:#8a94a3;stroke-width:2;stroke-dasharray:10 4}.chart .line.demand{stroke:#1d2530}
    .chart .line.l0{stroke:#0072B2}.chart .line.l1{stroke:#E69F00;stroke-dasharray:7 3}.chart .line.l2{stroke:#009E73;stroke-dasharray:2 2}
    .chart .line.l3{stroke:#CC79A7;stroke-dasharray:9 3 2 3}.chart .line.l4{stroke:#D55E00;stroke-dasharray:4 4}.chart .line.l5{stroke:#56B4E9;stroke-dasharray:1 3}
    svg.key{width:30px;height:10px;vertical-align:middle;margin-right:5px}svg.key line{stroke-width:2.2}
    svg.key .l0{stroke:#0072B2}svg.key .l1{stroke:#E69F00;stroke-dasharray:7 3}svg.key .l2{stroke:#009E73;stroke-dasharray:2 2}
    svg.key .l3{stroke:#CC79A7;stroke-dasharray:9 3 2 3}svg.key .l4{stroke:#D55E00;stroke-dasharray:4 4}svg.key .l5{stroke:#56B4E9;stroke-dasharray:1 3}
    svg.key .demand{stroke:#1d2530}

    """

  /// The fleets the section draws: the variants, or the services, that have a timeline.
  static func dayFleets(_ r: ScenarioResult) -> [(name: String, day: DayTimeline)] {
    (r.accountBill != nil ? r.services : r.variants).compactMap { v in v.busiestDay.map { (v.name, $0) } }
  }

  static func busiestDaySection(_ r: ScenarioResult) -> String {
    let fleets = dayFleets(r)
    guard let first = fleets.first?.day else { return "" }
    let noun = r.accountBill != nil ? "service" : "variant"
    let sharedDemand = r.accountBill == nil
    var out = "<section id=\"busiest-day\">\n<h2>The busiest day, \(e(first.date)): demand, instances in service and CPU per \(noun)</h2>\n"
    out += "<p class=\"muted\">The local day (\(e(r.timeZone))) with the most demand units in the window. Each point is the mean of "
    out += "\(f(first.bucketSeconds / 60, 0)) minutes; the JSON lists the same points under each \(noun)&#39;s <code>busiestDay</code>.</p>\n"
    out += "<ul class=\"legend\">"
    for (i, fleet) in fleets.enumerated() {
      out += "<li>\(key("l\(i % 6)"))\(e(fleet.name))</li>"
    }
    if sharedDemand { out += "<li>\(key("demand"))demand</li>" }
    out += "</ul>\n"
    let demandSeries: [(String, [Double?], String)] =
      sharedDemand
      ? [("demand", first.demandPerMinute.map { $0 }, "demand")]
      : fleets.enumerated().map { i, fleet in (fleet.name, fleet.day.demandPerMinute.map { $0 }, "l\(i % 6)") }
    out += "<h3>Demand, units per minute</h3>\n"
    out += dayChart(demandSeries, day: first, label: "Demand on \(first.date), units per minute", yTitle: "units per minute")
    out += "<h3>Instances in service</h3>\n"
    out += dayChart(
      fleets.enumerated().map { i, fleet in (fleet.name, fleet.day.inService.map { $0 }, "l\(i % 6)") }, day: first,
      label: "Instances in service on \(first.date), per \(noun)", yTitle: "instances")
    out += "<h3>CPU utilization</h3>\n"
    out += dayChart(
      fleets.enumerated().map { i, fleet in (fleet.name, fleet.day.cpuPercent.map { $0 }, "l\(i % 6)") }, day: first,
      label: "Mean CPU utilization on \(first.date), per \(noun), percent", yTitle: "CPU (%)",
      axis: SVGChart.Axis([0, 100], padding: 0, targetTicks: 4), suffix: "%")
    if fleets.contains(where: { $0.day.latencyP99Seconds != nil }) {
      out += "<h3>Latency, p99</h3>\n"
      // The SLO as a reference line when every fleet has the same p99 objective.
      let objectives = Set(
        (r.accountBill != nil ? r.services : r.variants).compactMap { $0.statistics.requests?.latencySLO }
          .filter { $0.percentile == 99 }.map(\.latencySeconds))
      let reference = objectives.count == 1 ? objectives.first.map { $0 * 1_000 } : nil
      if let reference {
        out += "<p class=\"muted\">The grey line is the latency objective, p99 ≤ \(ComparisonReport.grouped(reference, decimals: 0)) ms.</p>\n"
      }
      out += dayChart(
        fleets.enumerated().map { i, fleet in
          (fleet.name, (fleet.day.latencyP99Seconds ?? []).map { $0.isFinite ? $0 * 1_000 : nil }, "l\(i % 6)")
        }, day: first, label: "Worst p99 latency per point on \(first.date), per \(noun), milliseconds", yTitle: "p99 (ms)",
        reference: reference)
    }
    out += daySummaryTable(fleets, noun: noun)
    out += dayHourlyTable(fleets, sharedDemand: sharedDemand)
    return out + "</section>\n"
  }

  /// "HH:00" for an hour count since midnight.
  static func hourText(_ h: Int) -> String { (h < 10 ? "0" : "") + "\(h):00" }

  /// A line sample for a legend, in the line's own colour and dash pattern.
  static func key(_ cls: String) -> String {
    "<svg class=\"key\" viewBox=\"0 0 30 10\" aria-hidden=\"true\"><line class=\"\(cls)\" x1=\"0\" y1=\"5\" x2=\"30\" y2=\"5\"/></svg>"
  }

  /// Lines over one day, x in hours since the day's start; nil values leave gaps.
  static func dayChart(
    _ series: [(name: String, values: [Double?], cls: String)], day: DayTimeline, label: String, yTitle: String,
    axis fixed: SVGChart.Axis? = nil, suffix: String = "", reference: Double? = nil
  ) -> String {
    let frame = SVGChart.Frame(width: 720, height: 240, left: 74, right: 16, top: 16, bottom: 46)
    let values = series.flatMap { $0.values.compactMap { $0 } } + (reference.map { [$0] } ?? [])
    let axis = fixed ?? SVGChart.Axis(values.isEmpty ? [0, 1] : values, including: [0])
    let count = series.map(\.values.count).max() ?? 0
    var out = frame.open(label: label)
    out += yAxis(axis, frame: frame, title: yTitle, suffix: suffix)
    func x(_ i: Double) -> Double { frame.plotLeft + (frame.plotRight - frame.plotLeft) * i / Double(max(1, count)) }
    if let reference {
      let py = n(axis.position(reference, from: frame.plotBottom, to: frame.plotTop))
      out += "<line class=\"reference\" x1=\"\(n(frame.plotLeft))\" y1=\"\(py)\" x2=\"\(n(frame.plotRight))\" y2=\"\(py)\">"
      out += "<title>objective: \(ComparisonReport.grouped(reference, decimals: 0))\(suffix)</title></line>\n"
    }
    for s in series {
      var d = ""
      var drawing = false
      for (i, value) in s.values.enumerated() {
        guard let value else {
          drawing = false
          continue
        }
        d += "\(drawing ? "L" : "M")\(n(x(Double(i) + 0.5))) \(n(axis.position(value, from: frame.plotBottom, to: frame.plotTop)))"
        drawing = true
      }
      let peak = s.values.compactMap { $0 }.max()
      out += "<path class=\"line \(s.cls)\" d=\"\(d)\"><title>\(e(s.name))\(peak.map { ": peak \(ComparisonReport.grouped($0, decimals: 1))\(suffix)" } ?? "")</title></path>\n"
    }
    // Hour ticks every three hours (a day with a daylight-saving change has 23 or 25).
    let perHour = 3_600 / day.bucketSeconds
    for hour in stride(from: 0, through: Int((Double(count) / perHour).rounded(.down)), by: 3) {
      let px = x(Double(hour) * perHour)
      out += "<line class=\"grid\" x1=\"\(n(px))\" y1=\"\(n(frame.plotTop))\" x2=\"\(n(px))\" y2=\"\(n(frame.plotBottom))\"/>"
      out += "<text class=\"tick\" x=\"\(n(px))\" y=\"\(n(frame.plotBottom + 16))\" text-anchor=\"middle\">\(hourText(hour))</text>\n"
    }
    out += "<text class=\"axis-title\" x=\"\(n((frame.plotLeft + frame.plotRight) / 2))\" y=\"\(n(frame.height - 8))\" "
    out += "text-anchor=\"middle\">hours since \(e(day.date)) 00:00</text>\n"
    return out + "</svg>\n"
  }

  /// Per fleet, the day in figures: demand, capacity, CPU, what waited and latency.
  static func daySummaryTable(_ fleets: [(name: String, day: DayTimeline)], noun: String) -> String {
    let hasLatency = fleets.contains { $0.day.latencyP99Seconds != nil }
    var out = "<table id=\"busiest-day-summary\">\n<tr><th>\(noun)</th><th class=\"n\">demand units</th>"
    out += "<th class=\"n\">mean in service</th><th class=\"n\">peak in service</th><th class=\"n\">mean CPU</th>"
    out += "<th class=\"n\">peak CPU</th><th class=\"n\">demand delayed (units)</th>"
    out += hasLatency ? "<th class=\"n\">worst p99 (ms)</th></tr>\n" : "</tr>\n"
    for fleet in fleets {
      let d = fleet.day
      let minutes = d.bucketSeconds / 60
      func mean(_ v: [Double]) -> Double { v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count) }
      out += "<tr><td>\(e(fleet.name))</td>"
      out += "<td class=\"n\">\(ComparisonReport.grouped(d.demandPerMinute.reduce(0, +) * minutes))</td>"
      out += "<td class=\"n\">\(f(mean(d.inService), 1))</td><td class=\"n\">\(f(d.inService.max() ?? 0, 1))</td>"
      out += "<td class=\"n\">\(f(mean(d.cpuPercent), 1))%</td><td class=\"n\">\(f(d.cpuPercent.max() ?? 0, 1))%</td>"
      out += "<td class=\"n\">\(ComparisonReport.grouped(d.delayedPerMinute.reduce(0, +) * minutes, decimals: 1))</td>"
      if hasLatency {
        let worst = d.latencyP99Seconds?.filter(\.isFinite).max()
        out += "<td class=\"n\">\(worst.map { ComparisonReport.grouped($0 * 1_000, decimals: 1) } ?? "—")</td>"
      }
      out += "</tr>\n"
    }
    out += "</table>\n<p class=\"muted\">Peaks are the highest \(f((fleets.first?.day.bucketSeconds ?? 300) / 60, 0))-minute means; "
    return out + "demand delayed is demand that waited past its minute for capacity.</p>\n"
  }

  /// Hour by hour (means of the hour's points): the table behind the charts.
  static func dayHourlyTable(_ fleets: [(name: String, day: DayTimeline)], sharedDemand: Bool) -> String {
    guard let first = fleets.first?.day else { return "" }
    let perHour = max(1, Int((3_600 / first.bucketSeconds).rounded()))
    let hours = (first.demandPerMinute.count + perHour - 1) / perHour
    func hourly(_ values: [Double], _ h: Int) -> String {
      let slice = values[min(values.count, h * perHour)..<min(values.count, (h + 1) * perHour)]
      return slice.isEmpty ? "—" : ComparisonReport.grouped(slice.reduce(0, +) / Double(slice.count), decimals: 1)
    }
    var out = "<details><summary>Hour by hour</summary>\n<table id=\"busiest-day-hours\">\n<tr><th>hour</th>"
    if sharedDemand { out += "<th class=\"n\">demand per minute</th>" }
    for fleet in fleets {
      if !sharedDemand { out += "<th class=\"n\">\(e(fleet.name)) demand per minute</th>" }
      out += "<th class=\"n\">\(e(fleet.name)) in service</th><th class=\"n\">\(e(fleet.name)) CPU %</th>"
    }
    out += "</tr>\n"
    for h in 0..<hours {
      out += "<tr><td>\(hourText(h))</td>"
      if sharedDemand { out += "<td class=\"n\">\(hourly(first.demandPerMinute, h))</td>" }
      for fleet in fleets {
        if !sharedDemand { out += "<td class=\"n\">\(hourly(fleet.day.demandPerMinute, h))</td>" }
        out += "<td class=\"n\">\(hourly(fleet.day.inService, h))</td><td class=\"n\">\(hourly(fleet.day.cpuPercent, h))</td>"
      }
      out += "</tr>\n"
    }
    return out + "</table>\n</details>\n"
  }
}
