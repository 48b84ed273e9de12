import Foundation
import Testing

/// `capsim run --fidelity queueing|requests` on small scenarios written to a scratch directory.
/// Each run stays far below a million simulated requests (a debug build serves about a
/// million per second).
@Suite struct RequestFidelityCommandTests {
  /// A scratch directory for this process's scenarios and data.
  static let directory: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-e2e-requests-\(getpid())")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }()

  @discardableResult
  static func write(_ text: String, to name: String) throws -> String {
    let url = directory.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  /// 30 minutes of requests per minute: 1000 rising to 4000 at 09:15 and back (73,500 in all).
  static let demand: String = {
    let rows = (0..<30).map { minute -> String in
      let s = sin(Double.pi * Double(minute) / 29)
      return "2026-03-02 09:\(String(format: "%02d", minute)):00,\(Int((1_000 + 3_000 * s * s).rounded()))"
    }
    return "timestamp,value\n" + rows.joined(separator: "\n") + "\n"
  }()

  // Line numbers, for the error tests (with the default demand):
  //  7   workersPerInstance: 4
  //  8   serviceTime: {distribution: lognormal, meanMs: 100, cv: 1.2}
  //  9   loadBalancer: leastOutstandingRequests
  // 14 fleet:
  // 21 variants:
  static func scenario(demand: String = "csv: demand.csv\n  values: perMinute", serviceTime: String? = nil) -> String {
    """
    name: e2e-requests
    timeZone: Asia/Seoul
    demand:
      \(demand)
    serving:
      workersPerInstance: 4
      serviceTime: \(serviceTime ?? "{distribution: lognormal, meanMs: 100, cv: 1.2}")
      loadBalancer: leastOutstandingRequests
      timeoutMs: 1500
      queueLimitPerInstance: 200
      retries: {maxAttempts: 2, backoffMs: 100}
    slo: {latencyMs: 800, percentile: 99}
    fleet:
      region: ap-northeast-2
      instanceType: m5.large
      minSize: 1
      maxSize: 8
      launchTime: 1m
      warmup: 1m
    variants:
      - name: fixed-2
        fleet: {minSize: 2, maxSize: 2}
      - name: target-cpu-50
        policies:
          - targetTracking: {metric: cpu, target: 50}

    """
  }

  /// Writes the demand and `text` as NAME.yaml; returns the scenario's path.
  static func scenarioFile(_ name: String, _ text: String = scenario()) throws -> String {
    try write(demand, to: "demand.csv")
    return try write(text, to: "\(name).yaml")
  }

  static func json(_ output: CapsimCommandTests.Output) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
  }

  static func number(_ object: [String: Any], _ key: String) throws -> Double {
    try #require(object[key] as? Double, "missing number '\(key)'")
  }

  @Test("run --fidelity requests: request counts, latency percentiles, SLO minutes and the latency series, twice byte-identical")
  func requestsJSON() throws {
    let path = try Self.scenarioFile("requests")
    let first = try CapsimCommandTests.capsim(["run", path, "--fidelity", "requests", "--format", "json"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.isEmpty)
    let second = try CapsimCommandTests.capsim(["run", path, "--fidelity", "requests", "--format", "json"])
    #expect(second.stdout == first.stdout)

    let parsed = try Self.json(first)
    let scenario = try #require(parsed["scenario"] as? [String: Any])
    #expect(scenario["fidelity"] as? String == "requests")
    let variants = try #require(parsed["variants"] as? [[String: Any]])
    #expect(variants.map { $0["name"] as? String } == ["fixed-2", "target-cpu-50"])
    for variant in variants {
      let requests = try Self.number(variant, "requests")
      let completed = try Self.number(variant, "completedRequests")
      let timedOut = try Self.number(variant, "timedOutRequests")
      let rejected = try Self.number(variant, "rejectedRequests")
      let inFlight = try Self.number(variant, "inFlightRequestsAtEnd")
      let retried = try Self.number(variant, "retriedRequests")
      // Every attempt is counted once; first attempts are Poisson around the 73,500 of the demand.
      #expect(requests == completed + timedOut + rejected + inFlight)
      #expect(abs(requests - retried - 73_500) < 5 * 73_500.squareRoot())
      let latency = try #require(variant["latencyMs"] as? [String: Any])
      let percentiles = try ["p50", "p90", "p99", "p999"].map { try Self.number(latency, $0) }
      #expect(percentiles == percentiles.sorted())
      #expect(percentiles[0] > 10 && percentiles[3] < 10_000, "\(percentiles)")
      let minutes = try Self.number(variant, "minutesMeetingLatencySLOPercent")
      #expect(minutes >= 0 && minutes <= 100)
      let slo = try #require(variant["latencySLO"] as? [String: Any])
      #expect(slo["latencyMs"] as? Double == 800)
      #expect(slo["met"] as? Bool == (try Self.number(slo, "latencyAtPercentileMs") <= 800))
      let series = try #require(variant["latencySeries"] as? [String: Any])
      #expect(series["tickSeconds"] as? Double == 60)
      #expect((series["p50Ms"] as? [Any])?.count == 30)
      #expect((series["p99Ms"] as? [Any])?.count == 30)
    }
    // The fixed pair of instances is simulated, not scaled.
    #expect(variants[0]["peakInstances"] as? Double == 2)
  }

  @Test("run --fidelity queueing gives the same fields in expected values; the table shows the latency section")
  func queueing() throws {
    let path = try Self.scenarioFile("queueing")
    let output = try CapsimCommandTests.capsim(["run", path, "--fidelity", "queueing", "--format", "json"])
    #expect(output.status == 0, "\(output.stderr)")
    let parsed = try Self.json(output)
    #expect((parsed["scenario"] as? [String: Any])?["fidelity"] as? String == "queueing")
    let variants = try #require(parsed["variants"] as? [[String: Any]])
    #expect(variants.count == 2)
    for variant in variants {
      let requests = try Self.number(variant, "requests")
      #expect(abs(requests - (try Self.number(variant, "retriedRequests")) - 73_500) < 1)
      for key in ["completedRequests", "timedOutRequests", "rejectedRequests", "minutesMeetingLatencySLOPercent"] {
        _ = try Self.number(variant, key)
      }
      let latency = try #require(variant["latencyMs"] as? [String: Any])
      let percentiles = try ["p50", "p90", "p99", "p999"].map { try Self.number(latency, $0) }
      #expect(percentiles == percentiles.sorted())
      #expect(variant["latencySeries"] is [String: Any])
    }

    let table = try CapsimCommandTests.capsim(["run", path, "--fidelity", "queueing"])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("Latency (queueing fidelity: M/G/c approximation"))

    // --fidelity fluid overrides a file that asks for requests: no request fields.
    let fileSaysRequests = try Self.scenarioFile("file-requests", Self.scenario() + "simulation: {fidelity: requests}\n")
    let fluid = try CapsimCommandTests.capsim(["run", fileSaysRequests, "--fidelity", "fluid", "--format", "json"])
    #expect(fluid.status == 0, "\(fluid.stderr)")
    let fluidVariants = try #require(try Self.json(fluid)["variants"] as? [[String: Any]])
    #expect(fluidVariants.allSatisfy { $0["requests"] == nil && $0["latencyMs"] == nil })
    #expect(!fluid.stdout.contains("\"fidelity\""))
  }

  @Test("requests fidelity on an arrival log simulates exactly the requests it lists")
  func arrivalLog() throws {
    // 6000 requests between 09:00 and 09:10 Seoul time, 100 ms apart, as epoch seconds and ISO times.
    let start = 1_772_409_600.0  // 2026-03-02T09:00:00+09:00 is 2026-03-02T00:00:00Z
    var lines = ["timestamp", "# cut from an ALB access log"]
    for i in 0..<6_000 {
      let time = start + Double(i) * 0.1
      lines.append(i % 2 == 0 ? String(format: "%.1f", time) : "2026-03-02T00:\(String(format: "%02d", i / 600)):"
        + String(format: "%04.1f", Double(i % 600) * 0.1) + "Z")
    }
    try Self.write(lines.joined(separator: "\n") + "\n", to: "arrivals.log")
    let path = try Self.scenarioFile("arrivals", Self.scenario(demand: "arrivals: arrivals.log"))
    let output = try CapsimCommandTests.capsim(["run", path, "--fidelity", "requests", "--format", "json"])
    #expect(output.status == 0, "\(output.stderr)")
    let parsed = try Self.json(output)
    let scenario = try #require(parsed["scenario"] as? [String: Any])
    #expect(scenario["demandSource"] as? String == "arrival log arrivals.log")
    #expect(scenario["demandUnits"] as? Double == 6_000)
    for variant in try #require(parsed["variants"] as? [[String: Any]]) {
      #expect(try Self.number(variant, "requests") - (try Self.number(variant, "retriedRequests")) == 6_000)
      #expect((variant["latencySeries"] as? [String: Any])?["p50Ms"] as? [Any] != nil)
    }
  }

  @Test("--fidelity bogus is a usage error: exit 1, nothing on stdout, the valid values on stderr")
  func bogusFidelity() throws {
    let path = try Self.scenarioFile("bogus")
    let output = try CapsimCommandTests.capsim(["run", path, "--fidelity", "bogus"])
    #expect(output.status == 1)
    #expect(output.stdout.isEmpty)
    #expect(output.stderr.contains("The value 'bogus' is invalid for '--fidelity <fidelity>'"))
    #expect(output.stderr.contains("'fluid', 'queueing' or 'requests'"))
  }

  @Test("bad serving input exits 1 with FILE:LINE:COLUMN on stderr and nothing on stdout", arguments: [
    ("zero workers", "  workersPerInstance: 4\n", "  workersPerInstance: 0\n", "yaml:7:23: 'workersPerInstance' must be in 1...4096, found 0"),
    ("cv with exponential", "{distribution: lognormal, meanMs: 100, cv: 1.2}", "{distribution: exponential, meanMs: 100, cv: 1.2}",
     "yaml:8:57: 'cv' cannot be combined with 'distribution'"),
    ("unknown load balancer", "leastOutstandingRequests", "leastConnections",
     "yaml:9:17: 'loadBalancer' should be one of leastOutstandingRequests, roundRobin, random, found \"leastConnections\""),
    ("unknown fidelity in the file", "variants:", "simulation: {fidelity: request}\nvariants:",
     "yaml:21:24: 'fidelity' should be one of fluid, queueing, requests, found \"request\"; did you mean 'requests'?"),
  ])
  func badServing(name: String, old: String, new: String, expected: String) throws {
    let file = "bad-\(name.replacingOccurrences(of: " ", with: "-"))"
    let path = try Self.scenarioFile(file, Self.scenario().replacingOccurrences(of: old, with: new))
    for command in [["validate", path], ["run", path, "--fidelity", "requests"]] {
      let output = try CapsimCommandTests.capsim(command)
      #expect(output.status == 1)
      #expect(output.stdout.isEmpty)
      #expect(output.stderr.hasPrefix("capsim: error: \(Self.directory.path)/\(file).\(expected)"), "\(output.stderr)")
    }
  }

  @Test("a bad line in an empirical service-time file is reported at that file's line and column")
  func badEmpiricalFile() throws {
    let samples = try Self.write("latency_ms\n42\n17.5\n  n/a\n", to: "samples.csv")
    let path = try Self.scenarioFile(
      "empirical", Self.scenario(serviceTime: "{distribution: empirical, csv: samples.csv}"))
    let output = try CapsimCommandTests.capsim(["run", path, "--fidelity", "requests"])
    #expect(output.status == 1)
    #expect(output.stdout.isEmpty)
    #expect(output.stderr == "capsim: error: \(samples):4:3: value 'n/a' is not a number; expected a decimal such as "
      + "12 or 12.5 (named at \(path):8:47)\n")
  }

  @Test("--fidelity requests on a scenario without serving exits 1 at its fleet")
  func requestsWithoutServing() throws {
    let text = Self.scenario()
      .replacingOccurrences(
        of: """
          serving:
            workersPerInstance: 4
            serviceTime: {distribution: lognormal, meanMs: 100, cv: 1.2}
            loadBalancer: leastOutstandingRequests
            timeoutMs: 1500
            queueLimitPerInstance: 200
            retries: {maxAttempts: 2, backoffMs: 100}
          slo: {latencyMs: 800, percentile: 99}

          """,
        with: "capacity: {unitsPerMinute: {m5.large: 2400}}\n")
    let path = try Self.scenarioFile("no-serving", text)
    let fluid = try CapsimCommandTests.capsim(["run", path, "--format", "json"])
    #expect(fluid.status == 0, "\(fluid.stderr)")
    let output = try CapsimCommandTests.capsim(["run", path, "--fidelity", "requests"])
    #expect(output.status == 1)
    #expect(output.stdout.isEmpty)
    #expect(output.stderr == "capsim: error: \(path):7:1: 'serving' should be a 'serving' block (workersPerInstance, "
      + "serviceTime) for the fleet: requests fidelity simulates requests, found none\n")
  }
}
