import Foundation
import Testing

/// `capsim recommend` and `capsim commitments` as a user runs them.
@Suite struct RecommendCommandTests {
  static func capsim(_ arguments: [String]) throws -> CapsimCommandTests.Output {
    try CapsimCommandTests.capsim(arguments)
  }

  /// Four (or `days`) synthetic days of the Seoul order API, with illustrative Savings Plans rates.
  static func miniScenario(days: Int = 4) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-recommend-e2e-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent(days == 4 ? "mini.yaml" : "mini-\(days).yaml")
    try """
      name: mini-orders
      timeZone: Asia/Seoul
      demand:
        synthetic: {start: 2026-03-02T00:00:00, days: \(days), interval: 1m, baselinePerMinute: 400, lunchPeakHour: 12,
                    dinnerPeakHour: 18.5, weekendMultiplier: 1.3, noiseSigma: 0.05}
      capacity: {unitsPerMinute: {m5.large: 120}}
      fleet: {region: ap-northeast-2, instanceType: m5.large, minSize: 4, maxSize: 120, launchTime: 2m, warmup: 5m}
      variants:
        - name: target-cpu-50
          policies:
            - targetTracking: {metric: cpu, target: 50}
      savingsPlanRates:
        - {type: compute, family: m5, region: ap-northeast-2, term: 1y, payment: noUpfront, discountPercent: 28}
        - {type: ec2Instance, family: m5, region: ap-northeast-2, term: 1y, payment: noUpfront, discountPercent: 37}
      simulation: {tick: 1m, seed: 7}
      """.write(to: file, atomically: true, encoding: .utf8)
    return file
  }

  @Test("recommend: a policy meeting the SLO, a Pareto front, an exact portfolio, exports; same bytes twice")
  func recommend() throws {
    let scenario = try Self.miniScenario()
    let out = scenario.deletingLastPathComponent().appendingPathComponent("out")
    let arguments = [
      "recommend", scenario.path, "--targets", "50,70", "--warmups", "300", "--paths", "2", "--forecast-days", "2",
      "--format", "json",
    ]
    let run = try Self.capsim(arguments + ["--output", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let fleet = try #require((doc["fleets"] as? [[String: Any]])?.first)
    #expect(fleet["variantsSearched"] as? Int == 12)  // 2 targets x 1 warm-up x 2 floors x 3 predictive
    let recommended = try #require(fleet["recommended"] as? [String: Any])
    if fleet["outcome"] as? String == "recommended" { #expect(recommended["meetsSLO"] as? Bool == true) }
    // The front is sorted by cost up and SLO figure down.
    let front = try #require(fleet["paretoFront"] as? [[String: Any]])
    let costs = front.compactMap { $0["costUSD"] as? Double }
    let slos = front.compactMap { $0["sloValue"] as? Double }
    #expect(costs == costs.sorted() && slos == slos.sorted(by: >) && !front.isEmpty)
    // Commitments: never dearer than On-Demand; purchase lines add up to the summary.
    let commitments = try #require(doc["commitments"] as? [String: Any])
    let recommendation = try #require(commitments["Recommendation"] as? [String: Any])
    let summary = try #require(recommendation["Summary"] as? [String: Any])
    let onDemand = try #require(summary["CurrentAverageHourlyOnDemandSpend"] as? Double)
    let expected = try #require(summary["EstimatedAverageHourlyCost"] as? Double)
    #expect(expected <= onDemand + 1e-4)
    let purchases = try #require(recommendation["Purchases"] as? [[String: Any]])
    let monthly = purchases.compactMap { $0["EstimatedMonthlySavingsAmount"] as? Double }.reduce(0, +)
    #expect(abs(monthly - (summary["EstimatedMonthlySavingsAmount"] as? Double ?? -1)) < 0.01 * Double(max(1, purchases.count)))
    let solver = try #require(recommendation["Solver"] as? [String: Any])
    let bound = try #require(solver["ProvenLowerBoundHourlyCost"] as? Double)
    let continuous = try #require(solver["ContinuousOptimumHourlyCost"] as? Double)
    #expect(bound <= continuous && (continuous - bound) <= 1e-6 * onDemand)
    // Files: the JSON and the recommended policy as AWS CLI input and CloudFormation.
    let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    #expect(files.contains("recommendation.json") && files.contains("template.yaml"))
    #expect(files.contains { $0.hasPrefix("put-scaling-policy-") && $0.hasSuffix(".json") })
    let policy = try #require(files.first { $0.hasPrefix("put-scaling-policy-") })
    let put = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(policy))) as? [String: Any])
    #expect(put["AutoScalingGroupName"] as? String == "mini-orders-target-cpu-50")
    // Determinism.
    #expect(try Self.capsim(arguments).stdout == run.stdout)
    // The HTML dashboard: printed with --format html, written as dashboard.html; same bytes.
    #expect(files.contains("dashboard.html"))
    let html = try Self.capsim(Array(arguments.dropLast()) + ["html"])
    #expect(html.status == 0, "\(html.stderr)")
    #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("<svg") && html.stdout.contains("mini-orders"))
    #expect(try String(contentsOf: out.appendingPathComponent("dashboard.html"), encoding: .utf8) == html.stdout)
    let htmlCommitments = try Self.capsim(["commitments", scenario.path, "--format", "html"])
    #expect(htmlCommitments.status != 0 && htmlCommitments.stderr.contains("--format"))
  }

  @Test("recommend --types: type x policy on two types, the saving is the difference of their optimal totals; unknown types are an error")
  func recommendInstanceTypes() throws {
    let mini = try Self.miniScenario()
    let scenario = mini.deletingLastPathComponent().appendingPathComponent("mini-types.yaml")
    try String(contentsOf: mini, encoding: .utf8)
      .replacingOccurrences(of: "{m5.large: 120}", with: "{m5.large: 120, m7g.large: 150, c6i.large: 138}")
      .write(to: scenario, atomically: true, encoding: .utf8)
    let arguments = [
      "recommend", scenario.path, "--targets", "70", "--warmups", "300", "--paths", "1", "--forecast-days", "1",
      "--types", "m5.large,m7g.large", "--format", "json",
    ]
    let run = try Self.capsim(arguments)
    #expect(run.status == 0, "\(run.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let fleet = try #require((doc["fleets"] as? [[String: Any]])?.first)
    let choice = try #require(fleet["instanceTypeChoice"] as? [String: Any])
    let types = try #require(choice["types"] as? [[String: Any]])
    #expect(types.compactMap { $0["instanceType"] as? String } == ["m5.large", "m7g.large"])  // c6i narrowed away
    #expect(choice["currentInstanceType"] as? String == "m5.large")
    #expect(fleet["instanceType"] as? String == choice["chosenInstanceType"] as? String)
    let totals = types.compactMap { $0["withOptimalCommitmentsHourlyCost"] as? Double }
    let saving = try #require(choice["familyMoveHourlySavingUSD"] as? Double)
    // Each figure is rounded to 4 places in the JSON: the difference of two is within 1e-4.
    #expect(totals.count == 2 && abs(saving - (totals[0] - totals[1])) <= 1.01e-4)
    let table = try Self.capsim(Array(arguments.dropLast()) + ["table"])
    #expect(table.stdout.contains("Instance types") && table.stdout.contains("m7g.large"))

    let unknown = try Self.capsim(["recommend", scenario.path, "--types", "m5.large,m7g.larg"])
    #expect(unknown.status == 1 && unknown.stdout.isEmpty)
    #expect(unknown.stderr.contains("--types") && unknown.stderr.contains("did you mean 'm7g.large'?"), "\(unknown.stderr)")
  }

  @Test("recommend: a backtest that holds out more than the demand, or a bad option, is a clear error")
  func recommendErrors() throws {
    let scenario = try Self.miniScenario()
    let long = try Self.capsim(["recommend", scenario.path, "--backtest-days", "3", "--targets", "50"])
    #expect(long.status == 1)
    #expect(long.stderr.contains("--backtest-days") && long.stderr.contains("at least 3 whole days"))
    let bad = try Self.capsim(["recommend", scenario.path, "--targets", "fifty"])
    #expect(bad.status != 0 && bad.stderr.contains("--targets"))
    let noDays = try Self.capsim(["recommend", scenario.path, "--backtest-origins", "3"])
    #expect(noDays.status != 0 && noDays.stderr.contains("--backtest-origins") && noDays.stderr.contains("--backtest-days"))
    // 1 held-out day + 1 origin 1 day earlier + 3 days of history = 5 > 4 days of demand.
    let tooMany = try Self.capsim(["recommend", scenario.path, "--backtest-days", "1", "--backtest-origins", "2", "--backtest-step-days", "1"])
    #expect(tooMany.status == 1)
    #expect(tooMany.stderr.contains("--backtest-origins") && tooMany.stderr.contains("<= 4 days of demand"), "\(tooMany.stderr)")
    let zero = try Self.capsim(["recommend", scenario.path, "--backtest-days", "1", "--backtest-origins", "0"])
    #expect(zero.status != 0 && zero.stderr.contains("expected 1 to 52"))
    // Longer than the demand (trapped cutting the prefix before), and absurdly long.
    let past = try Self.capsim(["recommend", scenario.path, "--backtest-days", "30"])
    #expect(past.status == 1 && past.stdout.isEmpty)
    #expect(past.stderr.contains("--backtest-days") && past.stderr.contains("at least 3 whole days"), "\(past.stderr)")
    let absurd = try Self.capsim(["recommend", scenario.path, "--backtest-days", "100000"])
    #expect(absurd.status == 1 && absurd.stderr.contains("expected 1 to 3660"), "\(absurd.stderr)")
  }

  @Test("recommend --usd-per-violation: weight 0 picks the cheapest variant outright; a prohibitive weight picks what the SLO picks")
  func weightedObjective() throws {
    let scenario = try Self.miniScenario()
    let base = ["recommend", scenario.path, "--targets", "40,60,80", "--warmups", "300", "--paths", "2", "--forecast-days", "2", "--format", "json"]
    func fleet(_ extra: [String]) throws -> [String: Any] {
      let run = try Self.capsim(base + extra)
      #expect(run.status == 0, "\(run.stderr)")
      let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
      return try #require((doc["fleets"] as? [[String: Any]])?.first)
    }
    func name(_ f: [String: Any]) -> String? { (f["recommended"] as? [String: Any])?["name"] as? String }
    let slo = try fleet([])
    let free = try fleet(["--usd-per-violation", "0"])
    let strict = try fleet(["--usd-per-violation", "1000000"])
    // Weight 0: the score is the cost, so the commitment-aware candidates are the cheapest
    // variants whether or not they meet the SLO, with no penalty.
    let freeTrials = try #require(free["commitmentAwareChoice"] as? [[String: Any]])
    #expect(freeTrials.allSatisfy { $0["sloPenaltyHourlyCost"] as? Double == 0 })
    // The cheapest variant of all is on the Pareto front, and first among the candidates.
    let front = try #require(free["paretoFront"] as? [[String: Any]])
    let cheapest = try #require(front.min { ($0["costUSD"] as? Double ?? .infinity) < ($1["costUSD"] as? Double ?? .infinity) })
    #expect(freeTrials.first?["name"] as? String == cheapest["name"] as? String)
    // A prohibitive weight: every violation costs more than any variant, so the choice is
    // the minimum-cost objective's.
    #expect(name(strict) == name(slo))
    let bad = try Self.capsim(base + ["--usd-per-violation", "-1"])
    #expect(bad.status != 0 && bad.stderr.contains("--usd-per-violation"))
  }

  @Test("recommend: a backtest from two origins; the first is the usual split; hindsight bounds every recommender")
  func rollingBacktest() throws {
    let scenario = try Self.miniScenario(days: 5)
    let run = try Self.capsim([
      "recommend", scenario.path, "--targets", "50,70", "--warmups", "300", "--paths", "2", "--backtest-days", "1",
      "--backtest-origins", "2", "--backtest-step-days", "1", "--format", "json",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let single = try #require(doc["backtest"] as? [String: Any])
    let rolling = try #require(doc["rollingBacktest"] as? [String: Any])
    let origins = try #require(rolling["Origins"] as? [[String: Any]])
    #expect(origins.map { $0["DaysBeforeEnd"] as? Int } == [0, 1])
    let first = try #require(origins[0]["Backtest"] as? [String: Any])
    #expect(NSDictionary(dictionary: first).isEqual(to: single))
    // Training shrinks by the step; the held-out window keeps its length.
    let second = try #require(origins[1]["Backtest"] as? [String: Any])
    #expect(first["TestHours"] as? Int == 24 && second["TestHours"] as? Int == 24)
    #expect((first["TrainHours"] as? Int).map { $0 - 24 } == second["TrainHours"] as? Int)
    for origin in origins {
      let b = try #require(origin["Backtest"] as? [String: Any])
      let best = try #require((b["Hindsight"] as? [String: Any])?["RealizedSavingsPercentage"] as? Double)
      let ours = try #require((b["Ours"] as? [String: Any])?["RealizedSavingsPercentage"] as? Double)
      #expect(ours <= best + 1e-3)
    }
    let wins = try #require(rolling["Wins"] as? Int), ties = try #require(rolling["Ties"] as? Int)
    #expect(wins + ties + (rolling["Losses"] as? Int ?? -1) == 2)
  }

  @Test("commitments: hourly CSV in, Cost Explorer fields and look-back baselines out; a rolling backtest; errors name the line")
  func commitments() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-commitments-e2e-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var text = "timestamp,m5.large\n"
    for hour in 0..<(8 * 24) {
      let day = hour / 24
      let h = hour % 24
      text += String(format: "2026-03-%02dT%02d:00:00Z,%d\n", 1 + day, h, 10 + (h >= 11 && h <= 20 ? 8 : 0))
    }
    let usage = directory.appendingPathComponent("usage.csv")
    try text.write(to: usage, atomically: true, encoding: .utf8)
    let run = try Self.capsim(["commitments", usage.path, "--format", "json"])
    #expect(run.status == 0, "\(run.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let purchases = try #require((doc["Recommendation"] as? [String: Any])?["Purchases"] as? [[String: Any]])
    // 10 instances run every hour, 8 more only 10 of 24 hours (42% < the RI's break-even
    // 62.5% = 0.06 / 0.096): exactly 10 Standard RIs (m5.large, us-east-1).
    let ri = try #require(purchases.first)
    #expect(ri["RecommendedNumberOfInstancesToPurchase"] as? Int == 10)
    #expect(ri["OfferingClass"] as? String == "standard")
    #expect(ri["EstimatedAverageUtilization"] as? Double == 100)
    let baselines = try #require(doc["CostExplorerStyleBaselines"] as? [[String: Any]])
    #expect(baselines.first?["LookbackPeriodInDays"] as? Int == 7)

    // Backtest from two origins: every day is the same, so hindsight is the same 10 RIs and
    // capsim realizes exactly what hindsight does.
    let rolling = try Self.capsim([
      "commitments", usage.path, "--backtest-days", "1", "--backtest-origins", "2", "--backtest-step-days", "1", "--format", "json",
    ])
    #expect(rolling.status == 0, "\(rolling.stderr)")
    let rollingDoc = try #require(try JSONSerialization.jsonObject(with: Data(rolling.stdout.utf8)) as? [String: Any])
    let origins = try #require(rollingDoc["Origins"] as? [[String: Any]])
    #expect(origins.map { $0["DaysBeforeEnd"] as? Int } == [0, 1])
    for origin in origins {
      let b = try #require(origin["Backtest"] as? [String: Any])
      let hindsight = try #require(b["Hindsight"] as? [String: Any])
      let ours = try #require(b["Ours"] as? [String: Any])
      #expect(hindsight["HourlyCommitment"] as? Double == 0.6)  // 10 x 0.06 USD/h
      #expect(ours["RealizedSavingsPercentage"] as? Double == hindsight["RealizedSavingsPercentage"] as? Double)
    }
    // 1 day + 6 origins 1 day apart + 2 days = 9 days > 8 days of usage.
    let tooMany = try Self.capsim(["commitments", usage.path, "--backtest-days", "1", "--backtest-origins", "7", "--backtest-step-days", "1"])
    #expect(tooMany.status != 0 && tooMany.stderr.contains("--backtest-origins") && tooMany.stderr.contains("there are 192"))

    try "timestamp,m5.large\n2026-03-01T00:00:00Z,x\n".write(to: usage, atomically: true, encoding: .utf8)
    let bad = try Self.capsim(["commitments", usage.path])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("usage.csv:2:2") && bad.stderr.contains("a number of hours"))
  }
}
