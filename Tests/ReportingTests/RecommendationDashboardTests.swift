import Advisor
import Foundation
import Results
import Scenario
import Testing

@testable import Reporting

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `capsim recommend --format html`: one well-formed, self-contained, deterministic page.
@Suite struct RecommendationDashboardTests {
  /// A scenario whose name needs escaping; three days, a tiny search space, two short paths.
  static let recommendation: Result<ScenarioRecommendation, any Error> = Result {
    let yaml = """
      name: mini
      timeZone: Asia/Seoul
      demand:
        synthetic: {start: 2026-03-02T00:00:00, days: 3, interval: 1m, baselinePerMinute: 300, lunchPeakHour: 12,
                    dinnerPeakHour: 18.5, noiseSigma: 0.05}
      capacity: {unitsPerMinute: {m5.large: 120}}
      fleet: {region: ap-northeast-2, instanceType: m5.large, minSize: 3, maxSize: 80, launchTime: 2m, warmup: 5m}
      variants:
        - name: current
          policies:
            - targetTracking: {metric: cpu, target: 50}
      savingsPlanRates:
        - {type: ec2Instance, family: m5, region: ap-northeast-2, term: 1y, payment: noUpfront, discountPercent: 37}
      simulation: {tick: 1m, seed: 3}
      """
    let definition = try ScenarioDefinition.parse(yaml: yaml, file: "mini.yaml", baseDirectory: URL(fileURLWithPath: "/tmp"))
    var options = RecommendationOptions()
    options.forecastDays = 1
    options.forecastPaths = 2
    var space = PolicySearchSpace()
    space.targetValues = [50, 70]
    space.warmupSeconds = [300]
    space.scheduledFloors = [.none]
    space.predictive = [.off]
    options.space = space
    var r = try ScenarioRecommender.recommend(try ScenarioRunner.prepare(definition), options: options)
    r.scenarioName = "mini <b>&\"' orders"
    r.file = "mini <&>.yaml"
    return r
  }

  /// NaN or infinity as String(format:) or Swift print them, as a word.
  static func hasNonFinite(_ page: String) throws -> Bool {
    try page.contains(Regex("(?i)\\b(nan|inf|infinity)\\b"))
  }

  /// Checks well-formedness with libxml2 (through Foundation's XMLParser).
  final class Collector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var svgCount = 0
    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      elements.append(elementName)
      if elementName == "svg" { svgCount += 1 }
    }
  }

  @Test("the page is well-formed XHTML with its charts, escapes user text and has no NaN or infinity")
  func wellFormed() throws {
    let r = try Self.recommendation.get()
    let page = RecommendationReport.html(r)
    let parser = XMLParser(data: Data(page.utf8))
    let collector = Collector()
    parser.delegate = collector
    let parsed = parser.parse()
    #expect(parsed, "XML error: \(String(describing: parser.parserError)) at line \(parser.lineNumber)")
    #expect(collector.elements.first == "html")
    #expect(collector.svgCount >= 2 + (r.commitments.recommendation.risk.paths > 1 ? 1 : 0))  // scatter, curve, risk
    #expect(!collector.elements.contains("script") && !page.contains("<script"))
    #expect(!page.contains("src=") && !page.contains("href="))
    // The scenario name and file, escaped; never raw.
    #expect(page.contains("mini &lt;b&gt;&amp;&quot;&#39; orders"))
    #expect(page.contains("mini &lt;&amp;&gt;.yaml"))
    #expect(!page.contains("<b>&"))
    #expect(try !Self.hasNonFinite(page))
    // Every table scrolls in its own box (a phone-wide page never scrolls sideways; the
    // real browser check is Tests/browser/check_pages.py in .ci/run).
    let tables = page.components(separatedBy: "<table").count - 1
    #expect(tables >= 3)
    #expect(page.components(separatedBy: "<div class=\"scroll\"><table").count - 1 == tables)
    #expect(page.contains(".scroll{max-width:100%;overflow-x:auto}") && page.contains("@media print"))
  }

  @Test("the page names the chosen variant and shows the purchase figures as the table report formats them")
  func content() throws {
    let r = try Self.recommendation.get()
    let page = RecommendationReport.html(r)
    let fleet = try #require(r.fleets.first)
    #expect(page.contains(SVGChart.escape(fleet.chosen.variant.name)))
    #expect(page.contains("chosen: \(SVGChart.escape(fleet.chosen.variant.name))"))
    let c = r.commitments.recommendation
    let f = ComparisonReport.formatted
    #expect(page.contains("On-Demand \(f(c.onDemandHourlyCost, 2)) USD/h -&gt; \(f(c.expectedHourlyCost, 2)) USD/h expected"))
    #expect(page.contains("saves \(ComparisonReport.grouped(c.monthlySavings, decimals: 2)) USD/month (\(f(c.savingsPercent, 1))%)"))
    for head in ["HourlyCommitmentToPurchase", "EstimatedSavingsPercentage"] { #expect(page.contains(head)) }
    for p in c.purchases {
      #expect(page.contains("<td class=\"n\">\(f(p.hourlyCommitment, 3))</td><td class=\"n\">\(f(p.upfrontCost, 0))</td>"))
      #expect(page.contains("<td class=\"n\">\(ComparisonReport.grouped(p.estimatedMonthlySavingsAmount, decimals: 2))</td>"))
      #expect(page.contains("<td class=\"n\">\(f(p.estimatedSavingsPercentage, 1))</td><td class=\"n\">\(f(p.estimatedROI, 1))</td>"))
    }
    for policy in fleet.chosen.variant.policies {
      #expect(page.contains(SVGChart.escape(RecommendationReport.describe(policy))))
    }
    // Same input, same bytes.
    #expect(RecommendationReport.html(r) == page)
  }

  @Test("charts survive degenerate data: one variant, no commitment, an empty curve, a backtest with no baselines, a rolling backtest")
  func degenerate() throws {
    var r = try Self.recommendation.get()
    // One variant equal to the current policies; nothing bought; flat curve; zero risk.
    var fleet = r.fleets[0]
    fleet.search.variants = [fleet.search.current]
    fleet.search.paretoFront = [0]
    fleet.search.outcome = .recommended(variantIndex: 0)
    fleet.chosen = fleet.search.current
    fleet.commitmentAware = []
    r.fleets = [fleet]
    var c = r.commitments.recommendation
    c.purchases = []
    c.hourlyCommitment = 0
    c.upfrontCost = 0
    c.expectedHourlyCost = c.onDemandHourlyCost
    if var point = c.curve.first {
      (point.hourlyCommitment, point.savingsPercent, point.utilization, point.optimizedUnderCap) = (0, 0, 0, true)
      c.curve = [point]
    }
    c.risk.paths = 3
    (c.risk.costP10, c.risk.costP50, c.risk.costP90) = (1, 1, 1)
    (c.risk.savingsPercentP10, c.risk.savingsPercentP50, c.risk.savingsPercentP90) = (0, 0, 0)
    r.commitments.recommendation = c
    r.backtest = CommitmentBacktest(
      trainHours: 48, testHours: 24, onDemandHourlyCost: 0,
      ours: .init(label: "capsim", hourlyCommitment: 0, expectedSavingsPercent: 0, realizedSavingsPercent: 0, realizedHourlyCost: 0),
      baselines: [], advice: r.commitments)
    // A second origin with a baseline and a hindsight line (labels needing escapes).
    var other = r.backtest!
    other.onDemandHourlyCost = 1
    other.ours = .init(label: "capsim", hourlyCommitment: 0.2, expectedSavingsPercent: 10, realizedSavingsPercent: 8, realizedHourlyCost: 0.92)
    other.baselines = [.init(label: "7 d <RIs> & co", hourlyCommitment: 0.3, expectedSavingsPercent: 9, realizedSavingsPercent: 5, realizedHourlyCost: 0.95)]
    other.hindsight = .init(label: "hindsight", hourlyCommitment: 0.25, expectedSavingsPercent: 9, realizedSavingsPercent: 9, realizedHourlyCost: 0.91)
    r.rollingBacktest = RollingBacktest(origins: [.init(daysBeforeEnd: 0, backtest: r.backtest!), .init(daysBeforeEnd: 7, backtest: other)])
    r.notes = ["a note with <tags> & \"quotes\""]
    for variant in [r, { var empty = r; empty.commitments.recommendation.curve = []; return empty }()] {
      let page = RecommendationReport.html(variant)
      let parser = XMLParser(data: Data(page.utf8))
      #expect(parser.parse(), "XML error: \(String(describing: parser.parserError)) at line \(parser.lineNumber)")
      #expect(try !Self.hasNonFinite(page))
      #expect(page.contains("a note with &lt;tags&gt; &amp; &quot;quotes&quot;"))
      #expect(page.contains("No commitment saves money"))
      #expect(page.contains("id=\"backtest\""))
      #expect(page.contains("id=\"rolling-backtest\"") && page.contains("7 d &lt;RIs&gt; &amp; co"))
      #expect(page.contains("1 wins, 1 ties, 0 losses"))  // origin 0: 0 vs nothing bought; origin 7: 8 vs 5
    }
  }

  @Test("an axis over no values, one value or equal values has round, finite, increasing bounds", arguments: [
    [Double](), [0], [5], [-3], [2, 2, 2], [0.0001, 0.0001], [1, .infinity, .nan], [-10, 40],
  ])
  func axis(values: [Double]) {
    let axis = SVGChart.Axis(values)
    #expect(axis.lower.isFinite && axis.upper.isFinite && axis.lower < axis.upper && axis.step > 0)
    #expect(!axis.ticks.isEmpty && axis.ticks.count <= 51)
    for v in values where v.isFinite { #expect(axis.contains(v)) }
    let p = axis.position(values.first ?? 0, from: 10, to: 110)
    #expect(p >= 10 && p <= 110)
    #expect(SVGChart.n(.nan) == "0" && SVGChart.n(-0.0) == "0.0")
  }
}
