import AutoScaling
import Foundation
import Testing

@testable import Scenario

/// A scenario with every `serving:` key, the top-level `slo:` and requests fidelity; its
/// capacity comes from `serving` (no `capacity:` block).
enum ServingFixture {
  static let base = """
    name: test
    demand:
      csv: data/orders.csv
    serving:
      workersPerInstance: 4
      serviceTime: {distribution: exponential, meanMs: 20}
      loadBalancer: leastOutstandingRequests
      timeoutMs: 2000
      queueLimitPerInstance: 1000
      retries: {maxAttempts: 2, backoffMs: 100}
    slo: {latencyMs: 250, percentile: 99}
    fleet:
      region: us-east-1
      instanceType: m5.large
      minSize: 2
      maxSize: 10
    variants:
      - name: a
        policies:
          - targetTracking: {metric: cpu, target: 50}
    simulation: {fidelity: requests}

    """

  static let exponential = "serviceTime: {distribution: exponential, meanMs: 20}"

  /// `base` with one line (matched exactly, trimmed) replaced by `replacement`.
  static func replacing(_ line: String, with replacement: String, in text: String = base) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let index = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == line }!
    var result = lines
    result[index] = replacement
    return result.joined(separator: "\n")
  }

  /// Writes `text` to `data/NAME` in the fixture directory; returns the relative path.
  @discardableResult
  static func write(_ name: String, _ text: String) throws -> String {
    try text.write(to: Fixture.directory.appendingPathComponent("data/\(name)"), atomically: true, encoding: .utf8)
    return "data/\(name)"
  }

  /// The absolute path errors name for `data/NAME`.
  static func path(_ name: String) -> String {
    Fixture.directory.appendingPathComponent("data/\(name)").standardizedFileURL.path
  }

  /// 30 one-minute rows of 600 requests, for scenarios that must also prepare.
  static func demandCSV() throws -> String {
    let rows = (0..<30).map { "2026-03-02 00:\(String(format: "%02d", $0)):00,600\n" }.joined()
    return try write("serving-demand.csv", "timestamp,value\n" + rows)
  }

  /// `base` with `arrivals: PATH` as its demand.
  static func withArrivals(_ path: String, in text: String = base) -> String {
    replacing("csv: data/orders.csv", with: "  arrivals: \(path)", in: text)
  }
}

// ServingFixture.base, for reading the expected positions:
//  1 name: test
//  2 demand:
//  3   csv: data/orders.csv
//  4 serving:
//  5   workersPerInstance: 4
//  6   serviceTime: {distribution: exponential, meanMs: 20}
//  7   loadBalancer: leastOutstandingRequests
//  8   timeoutMs: 2000
//  9   queueLimitPerInstance: 1000
// 10   retries: {maxAttempts: 2, backoffMs: 100}
// 11 slo: {latencyMs: 250, percentile: 99}
// 12 fleet:
// 13   region: us-east-1
// 14   instanceType: m5.large
// 15   minSize: 2
// 16   maxSize: 10
// 17 variants:
// 18   - name: a
// 19     policies:
// 20       - targetTracking: {metric: cpu, target: 50}
// 21 simulation: {fidelity: requests}
@Suite struct ServingErrorTests {
  static let servingKeys = "workersPerInstance, serviceTime, loadBalancer, timeoutMs, queueLimitPerInstance, retries"
  static let distributions = "'distribution' should be one of exponential, lognormal, empirical"
  static let distributionRule = "exponential takes meanMs; lognormal takes meanMs and cv; empirical takes csv"

  static func mistake(
    _ name: String, _ old: String, _ new: String, at line: Int, _ column: Int, _ message: String
  ) -> Mistake {
    Mistake(name, yaml: ServingFixture.replacing(old, with: new), at: line, column, message)
  }

  static func serviceTime(_ name: String, _ new: String, at column: Int, _ message: String) -> Mistake {
    mistake(name, ServingFixture.exponential, "  serviceTime: \(new)", at: 6, column, message)
  }

  static let mistakes: [Mistake] = [
    // serving
    Mistake(
      "serving that is not a mapping",
      yaml: ServingFixture.base.replacingOccurrences(
        of: "serving:\n  workersPerInstance: 4\n", with: "serving: 4\nslo: {latencyMs: 250}\n")
        .replacingOccurrences(of: "\n  serviceTime: {distribution: exponential, meanMs: 20}\n", with: "\n")
        .replacingOccurrences(
          of: "  loadBalancer: leastOutstandingRequests\n  timeoutMs: 2000\n  queueLimitPerInstance: 1000\n"
            + "  retries: {maxAttempts: 2, backoffMs: 100}\nslo: {latencyMs: 250, percentile: 99}\n", with: ""),
      at: 4, 10, "'serving' should be a mapping, found integer 4"),
    mistake(
      "workersPerInstance of the wrong type", "workersPerInstance: 4", "  workersPerInstance: four", at: 5, 23,
      "'workersPerInstance' should be an integer, found string \"four\""),
    mistake(
      "fractional workersPerInstance", "workersPerInstance: 4", "  workersPerInstance: 1.5", at: 5, 23,
      "'workersPerInstance' should be an integer, found number 1.5"),
    mistake(
      "zero workersPerInstance", "workersPerInstance: 4", "  workersPerInstance: 0", at: 5, 23,
      "'workersPerInstance' must be in 1...4096, found 0"),
    mistake(
      "negative workersPerInstance", "workersPerInstance: 4", "  workersPerInstance: -2", at: 5, 23,
      "'workersPerInstance' must be in 1...4096, found -2"),
    mistake(
      "missing workersPerInstance", "workersPerInstance: 4", "", at: 4, 1,
      "missing required key 'workersPerInstance' in 'serving'"),
    mistake(
      "unknown key in serving, with a suggestion", "workersPerInstance: 4", "  workerPerInstance: 4", at: 5, 3,
      "unknown key 'workerPerInstance' in 'serving'; did you mean 'workersPerInstance'? Allowed keys: \(servingKeys)"),
    mistake(
      "timeout without its unit", "timeoutMs: 2000", "  timeout: 2000", at: 8, 3,
      "unknown key 'timeout' in 'serving'; did you mean 'timeoutMs'? Allowed keys: \(servingKeys)"),
    // serving.serviceTime
    mistake(
      "serviceTime that is not a mapping", ServingFixture.exponential, "  serviceTime: 20", at: 6, 16,
      "'serviceTime' should be a mapping, found integer 20"),
    serviceTime(
      "unknown distribution", "{distribution: normal, meanMs: 20}", at: 31,
      "\(distributions), found \"normal\""),
    serviceTime(
      "misspelt distribution", "{distribution: lognormall, meanMs: 20, cv: 1}", at: 31,
      "\(distributions), found \"lognormall\"; did you mean 'lognormal'?"),
    serviceTime(
      "zero meanMs", "{distribution: exponential, meanMs: 0}", at: 52,
      "'meanMs' must be greater than 0 and at most 3600000, found 0"),
    serviceTime(
      "negative meanMs", "{distribution: exponential, meanMs: -20}", at: 52,
      "'meanMs' must be greater than 0 and at most 3600000, found -20"),
    serviceTime(
      "meanMs with a unit", "{distribution: exponential, meanMs: 20ms}", at: 52,
      "'meanMs' should be a number, found string \"20ms\""),
    serviceTime(
      "exponential without meanMs", "{distribution: exponential}", at: 3,
      "missing required key 'meanMs' in 'serving.serviceTime'"),
    serviceTime(
      "a cv given with exponential", "{distribution: exponential, meanMs: 20, cv: 1.5}", at: 56,
      "'cv' cannot be combined with 'distribution': \(distributionRule)"),
    serviceTime(
      "lognormal without cv", "{distribution: lognormal, meanMs: 20}", at: 3,
      "missing required key 'cv' in 'serving.serviceTime'"),
    serviceTime(
      "zero cv", "{distribution: lognormal, meanMs: 20, cv: 0}", at: 58,
      "'cv' must be greater than 0 and at most 100, found 0"),
    serviceTime(
      "empirical without csv", "{distribution: empirical}", at: 3,
      "missing required key 'csv' in 'serving.serviceTime'"),
    serviceTime(
      "meanMs given with empirical", "{distribution: empirical, csv: data/orders.csv, meanMs: 20}", at: 64,
      "'meanMs' cannot be combined with 'distribution': \(distributionRule)"),
    serviceTime(
      "unknown key in serviceTime", "{distribution: exponential, mean: 20}", at: 44,
      "unknown key 'mean' in 'serving.serviceTime'; did you mean 'meanMs'? Allowed keys: distribution, meanMs, cv, csv"),
    serviceTime(
      "missing empirical file", "{distribution: empirical, csv: data/latency.csv}", at: 47,
      "cannot read 'data/latency.csv': no such file (looked for \(ServingFixture.path("latency.csv")))"),
    // serving.loadBalancer, timeoutMs, queueLimitPerInstance, retries
    mistake(
      "unknown loadBalancer", "loadBalancer: leastOutstandingRequests", "  loadBalancer: leastConnections", at: 7, 17,
      "'loadBalancer' should be one of leastOutstandingRequests, roundRobin, random, found \"leastConnections\""),
    mistake(
      "misspelt loadBalancer", "loadBalancer: leastOutstandingRequests", "  loadBalancer: roundrobin", at: 7, 17,
      "'loadBalancer' should be one of leastOutstandingRequests, roundRobin, random, found \"roundrobin\"; "
        + "did you mean 'roundRobin'?"),
    mistake(
      "zero timeoutMs", "timeoutMs: 2000", "  timeoutMs: 0", at: 8, 14,
      "'timeoutMs' must be greater than 0 and at most 3600000, found 0"),
    mistake(
      "negative timeoutMs", "timeoutMs: 2000", "  timeoutMs: -1", at: 8, 14,
      "'timeoutMs' must be greater than 0 and at most 3600000, found -1"),
    mistake(
      "timeoutMs as a duration", "timeoutMs: 2000", "  timeoutMs: 2s", at: 8, 14,
      "'timeoutMs' should be a number, found string \"2s\""),
    mistake(
      "zero queueLimitPerInstance", "queueLimitPerInstance: 1000", "  queueLimitPerInstance: 0", at: 9, 26,
      "'queueLimitPerInstance' must be in 1...100000000, found 0"),
    mistake(
      "negative queueLimitPerInstance", "queueLimitPerInstance: 1000", "  queueLimitPerInstance: -5", at: 9, 26,
      "'queueLimitPerInstance' must be in 1...100000000, found -5"),
    mistake(
      "fractional queueLimitPerInstance", "queueLimitPerInstance: 1000", "  queueLimitPerInstance: 10.5", at: 9, 26,
      "'queueLimitPerInstance' should be an integer, found number 10.5"),
    mistake(
      "retries that is not a mapping", "retries: {maxAttempts: 2, backoffMs: 100}", "  retries: 2", at: 10, 12,
      "'retries' should be a mapping, found integer 2"),
    mistake(
      "zero maxAttempts", "retries: {maxAttempts: 2, backoffMs: 100}", "  retries: {maxAttempts: 0, backoffMs: 100}",
      at: 10, 26, "'maxAttempts' must be in 1...10, found 0"),
    mistake(
      "too many maxAttempts", "retries: {maxAttempts: 2, backoffMs: 100}", "  retries: {maxAttempts: 11}",
      at: 10, 26, "'maxAttempts' must be in 1...10, found 11"),
    mistake(
      "negative backoffMs", "retries: {maxAttempts: 2, backoffMs: 100}", "  retries: {maxAttempts: 2, backoffMs: -100}",
      at: 10, 40, "'backoffMs' must be in 0...3600000, found -100"),
    mistake(
      "retries without maxAttempts", "retries: {maxAttempts: 2, backoffMs: 100}", "  retries: {backoffMs: 100}",
      at: 10, 3, "missing required key 'maxAttempts' in 'serving.retries'"),
    mistake(
      "unknown key in retries", "retries: {maxAttempts: 2, backoffMs: 100}", "  retries: {maxAttempt: 2}", at: 10, 13,
      "unknown key 'maxAttempt' in 'serving.retries'; did you mean 'maxAttempts'? Allowed keys: maxAttempts, backoffMs"),
    // slo
    mistake(
      "slo that is not a mapping", "slo: {latencyMs: 250, percentile: 99}", "slo: 250", at: 11, 6,
      "'slo' should be a mapping, found integer 250"),
    mistake(
      "zero latencyMs", "slo: {latencyMs: 250, percentile: 99}", "slo: {latencyMs: 0}", at: 11, 18,
      "'latencyMs' must be greater than 0 and at most 3600000, found 0"),
    mistake(
      "latencyMs of the wrong type", "slo: {latencyMs: 250, percentile: 99}", "slo: {latencyMs: fast}", at: 11, 18,
      "'latencyMs' should be a number, found string \"fast\""),
    mistake(
      "percentile 100", "slo: {latencyMs: 250, percentile: 99}", "slo: {latencyMs: 250, percentile: 100}", at: 11, 35,
      "'percentile' must be greater than 0 and less than 100, found 100"),
    mistake(
      "percentile 0", "slo: {latencyMs: 250, percentile: 99}", "slo: {latencyMs: 250, percentile: 0}", at: 11, 35,
      "'percentile' must be greater than 0 and less than 100, found 0"),
    mistake(
      "slo without latencyMs", "slo: {latencyMs: 250, percentile: 99}", "slo: {percentile: 99}", at: 11, 1,
      "missing required key 'latencyMs' in 'slo'"),
    mistake(
      "unknown key in slo", "slo: {latencyMs: 250, percentile: 99}", "slo: {latency: 250}", at: 11, 7,
      "unknown key 'latency' in 'slo'; did you mean 'latencyMs'? Allowed keys: latencyMs, percentile"),
    // simulation.fidelity
    mistake(
      "misspelt fidelity", "simulation: {fidelity: requests}", "simulation: {fidelity: request}", at: 21, 24,
      "'fidelity' should be one of fluid, queueing, requests, found \"request\"; did you mean 'requests'?"),
    mistake(
      "unknown fidelity", "simulation: {fidelity: requests}", "simulation: {fidelity: exact}", at: 21, 24,
      "'fidelity' should be one of fluid, queueing, requests, found \"exact\""),
    mistake(
      "fidelity of the wrong type", "simulation: {fidelity: requests}", "simulation: {fidelity: [requests]}", at: 21, 24,
      "'fidelity' should be one of fluid, queueing, requests, found a list"),
    // capacity against serving
    mistake(
      "capacity contradicting serving", "slo: {latencyMs: 250, percentile: 99}",
      "slo: {latencyMs: 250, percentile: 99}\ncapacity:\n  unitsPerMinute: {m5.large: 120}", at: 13, 30,
      "'m5.large' should be the capacity the serving block at line 4 gives, workersPerInstance x 60000 / mean "
        + "service ms = 4 x 60000 / 20 = 12000 requests per minute (or leave it out), found 120"),
    mistake(
      "no capacity and no serving", "serving:", "servingX:", at: 4, 1,
      "unknown key 'servingX' at the top level; did you mean 'serving'? Allowed keys: name, description, timeZone, "
        + "demand, capacity, fleet, variants, services, commitments, savingsPlanRates, simulation, forecast, serving, slo, faults, prices, sweep"),
    // demand.arrivals
    mistake(
      "arrivals with scale", "csv: data/orders.csv", "  arrivals: data/orders.csv\n  scale: 2", at: 4, 3,
      "'scale' cannot be combined with 'arrivals': an arrival log lists requests, counted per simulation tick"),
    mistake(
      "arrivals with growth", "csv: data/orders.csv", "  arrivals: data/orders.csv\n  growthPercentPerYear: 5", at: 4, 3,
      "'growthPercentPerYear' cannot be combined with 'arrivals': an arrival log lists requests, counted per simulation tick"),
    mistake(
      "arrivals with shift", "csv: data/orders.csv", "  shift: 1h\n  arrivals: data/orders.csv", at: 4, 3,
      "'arrivals' cannot be combined with 'shift': an arrival log lists requests, counted per simulation tick"),
    mistake(
      "arrivals with csv", "csv: data/orders.csv", "  csv: data/orders.csv\n  arrivals: data/orders.csv", at: 4, 3,
      "'arrivals' cannot be combined with 'csv': demand takes exactly one of csv, cloudwatch, synthetic, arrivals"),
    mistake(
      "missing arrival log", "csv: data/orders.csv", "  arrivals: data/requests.log", at: 3, 13,
      "cannot read 'data/requests.log': no such file (looked for \(ServingFixture.path("requests.log")))"),
  ]

  @Test("each serving, slo, fidelity and arrivals mistake is reported at its line and column", arguments: mistakes)
  func mistakeIsLocated(_ mistake: Mistake) throws {
    let error = try #require(Fixture.error(mistake.yaml))
    #expect(error.file == "test.yaml")
    #expect(error.line == mistake.line)
    #expect(error.column == mistake.column)
    #expect(error.message == mistake.message)
    #expect(error.description == "test.yaml:\(mistake.line):\(mistake.column): \(mistake.message)")
  }

  // Services: positions in this scenario.
  //  1 name: test
  //  2 serving: {workersPerInstance: 4, serviceTime: {distribution: exponential, meanMs: 20}}
  //  3 services:
  //  4   - name: api
  //  5     team: a
  //  6     demand: {csv: data/orders.csv}
  //  7     serving: {workersPerInstance: 2, serviceTime: {distribution: exponential, meanMs: 50}}
  //  8     capacity: {unitsPerMinute: {m5.large: 2000}}
  //  9     fleet: {region: us-east-1, instanceType: m5.large, minSize: 1, maxSize: 4}
  static let services = """
    name: test
    serving: {workersPerInstance: 4, serviceTime: {distribution: exponential, meanMs: 20}}
    services:
      - name: api
        team: a
        demand: {csv: data/orders.csv}
        serving: {workersPerInstance: 2, serviceTime: {distribution: exponential, meanMs: 50}}
        capacity: {unitsPerMinute: {m5.large: 2000}}
        fleet: {region: us-east-1, instanceType: m5.large, minSize: 1, maxSize: 4}

    """

  @Test("a service's own serving is checked where it is written, and against its own capacity")
  func serviceMistakes() throws {
    let contradiction = try #require(Fixture.error(Self.services))
    #expect(contradiction.description
      == "test.yaml:8:43: 'm5.large' should be the capacity the serving block at line 7 gives, workersPerInstance x "
        + "60000 / mean service ms = 2 x 60000 / 50 = 2400 requests per minute (or leave it out), found 2000")

    let workers = try #require(Fixture.error(Self.services.replacingOccurrences(
      of: "serving: {workersPerInstance: 2,", with: "serving: {workersPerInstance: 0,")))
    #expect(workers.description == "test.yaml:7:35: 'workersPerInstance' must be in 1...4096, found 0")

    let sloKey = try #require(Fixture.error(Self.services.replacingOccurrences(
      of: "    capacity: {unitsPerMinute: {m5.large: 2000}}\n", with: "    slo: {latencyMs: 100, percentil: 99}\n")))
    #expect(sloKey.description
      == "test.yaml:8:27: unknown key 'percentil' in 'services[0].slo'; did you mean 'percentile'? "
        + "Allowed keys: latencyMs, percentile")
  }

  // MARK: Files the scenario names

  /// A mistake inside a file: the file's text and the position the error names in it.
  struct FileMistake: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var line: Int
    var column: Int
    var message: String
    var testDescription: String { name }

    init(_ name: String, _ text: String, at line: Int, _ column: Int, _ message: String) {
      self.name = name
      self.text = text
      self.line = line
      self.column = column
      self.message = message
    }

    var fileName: String { String(name.map { $0.isLetter || $0.isNumber ? $0 : "-" }) }
  }

  static let notANumber = "is not a number; expected a decimal such as 12 or 12.5"
  static let sampleRange = "should be a number > 0 and <= 3600000"

  static let empiricalMistakes: [FileMistake] = [
    FileMistake("non-numeric sample", "12\n15\nabc\n", at: 3, 1, "value 'abc' \(notANumber)"),
    FileMistake("sample with a unit", "# p50 ok\n12 ms\n", at: 2, 1, "value '12 ms' \(notANumber)"),
    FileMistake("decimal comma, indented", "12\n\n  1,5\n", at: 3, 3, "value '1,5' \(notANumber)"),
    FileMistake("header not on the first line", "12\nlatency_ms\n", at: 2, 1, "value 'latency_ms' \(notANumber)"),
    FileMistake("zero sample", "latency_ms\n12\n0\n", at: 3, 1, "\(sampleRange), found 0"),
    FileMistake("negative sample", "-3\n", at: 1, 1, "\(sampleRange), found -3"),
    FileMistake("sample over an hour", "4000000\n", at: 1, 1, "\(sampleRange), found 4000000"),
    FileMistake("infinite sample", "1e999\n", at: 1, 1, "value '1e999' is not finite; expected a finite number >= 0"),
    FileMistake("bad sample in a CRLF file", "12\r\n\r\n  x\r\n", at: 3, 3, "value 'x' \(notANumber)"),
  ]

  /// `base` with `serviceTime: {distribution: empirical, csv: PATH}` (the csv value at 6:47).
  static func empirical(_ path: String) -> String {
    ServingFixture.replacing(
      ServingFixture.exponential, with: "  serviceTime: {distribution: empirical, csv: \(path)}")
  }

  @Test("a bad line in an empirical service-time file is reported at that file's line and column", arguments: empiricalMistakes)
  func empiricalFileMistake(_ mistake: FileMistake) throws {
    let relative = try ServingFixture.write("empirical-\(mistake.fileName).csv", mistake.text)
    let error = try #require(Fixture.error(Self.empirical(relative)))
    let path = ServingFixture.path("empirical-\(mistake.fileName).csv")
    #expect((error.file, error.line, error.column) == (path, mistake.line, mistake.column))
    #expect(error.description == "\(path):\(mistake.line):\(mistake.column): \(mistake.message) (named at test.yaml:6:47)")
  }

  @Test("an empirical file with no samples is reported at the YAML that names it")
  func emptyEmpiricalFile() throws {
    for (name, text) in [("empty", ""), ("comments", "# nothing yet\n\n"), ("header", "latency_ms\n")] {
      let relative = try ServingFixture.write("empirical-none-\(name).csv", text)
      let error = try #require(Fixture.error(Self.empirical(relative)))
      #expect(error.description
        == "test.yaml:6:47: \(ServingFixture.path("empirical-none-\(name).csv")): expected service times in "
          + "milliseconds, one per line, found none")
    }
  }

  static let timestampForms =
    "expected ISO 8601 (2026-01-05T12:00:00Z, 2026-01-05T12:00:00+09:00, 2026-01-05T12:00:00), "
    + "'2026-01-05 12:00:00' or epoch seconds (1767614400)"

  static let arrivalMistakes: [FileMistake] = [
    FileMistake(
      "unsorted arrival log", "2026-03-02T00:00:01Z\n2026-03-02T00:00:03Z\n2026-03-02T00:00:02Z\n", at: 3, 1,
      "timestamps go backwards: 2026-03-02T00:00:02Z comes after 2026-03-02T00:00:03Z (line 2); "
        + "rows must be sorted oldest first"),
    FileMistake(
      "unsorted after a comment", "2026-03-02T00:00:05Z\n# gap\n\n1772409601\n", at: 4, 1,
      "timestamps go backwards: 1772409601 comes after 2026-03-02T00:00:05Z (line 1); rows must be sorted oldest first"),
    FileMistake(
      "hour out of range", "2026-03-02T00:00:01Z\n\n# next\n  2026-03-02T25:00:00Z\n", at: 4, 3,
      "timestamp '2026-03-02T25:00:00Z' is not readable (hour 25 is outside 0-23); \(timestampForms)"),
    FileMistake(
      "not a timestamp", "2026-03-02T00:00:01Z\n12abc\n", at: 2, 1,
      "timestamp '12abc' is not readable (it is in none of the accepted forms); \(timestampForms)"),
    FileMistake(
      "bad timestamp in a CRLF file", "2026-03-02T00:00:01Z\r\n2026-13-02T00:00:02Z\r\n", at: 2, 1,
      "timestamp '2026-13-02T00:00:02Z' is not readable (month 13 is outside 1-12); \(timestampForms)"),
  ]

  @Test("a bad line in an arrival log is reported at that file's line and column", arguments: arrivalMistakes)
  func arrivalFileMistake(_ mistake: FileMistake) throws {
    let relative = try ServingFixture.write("arrivals-\(mistake.fileName).log", mistake.text)
    // The log is read when the scenario is prepared (capsim validate and run do both).
    let definition = try Fixture.parse(ServingFixture.withArrivals(relative))
    do {
      _ = try ScenarioRunner.prepare(definition)
      Issue.record("expected an error")
    } catch {
      let path = ServingFixture.path("arrivals-\(mistake.fileName).log")
      #expect((error.file, error.line, error.column) == (path, mistake.line, mistake.column))
      #expect(error.description == "\(path):\(mistake.line):\(mistake.column): \(mistake.message) (named at test.yaml:3:3)")
    }
  }

  @Test("an arrival log with no timestamps is reported at the YAML that names it")
  func emptyArrivalLog() throws {
    for (name, text) in [("empty", ""), ("comments", "# exported 2026-03-02\n\n"), ("header", "timestamp\n")] {
      let relative = try ServingFixture.write("arrivals-none-\(name).log", text)
      let definition = try Fixture.parse(ServingFixture.withArrivals(relative))
      do {
        _ = try ScenarioRunner.prepare(definition)
        Issue.record("expected an error for \(name)")
      } catch {
        #expect(error.description
          == "test.yaml:3:3: \(ServingFixture.path("arrivals-none-\(name).log")): expected request arrival "
            + "timestamps, one per line, found none")
      }
    }
  }

  @Test("queueing or requests fidelity without a serving block is an error at the fleet, from the file or --fidelity")
  func fidelityWithoutServing() throws {
    let csv = try ServingFixture.demandCSV()
    let plain = Fixture.minimal(replacing: "csv: data/orders.csv", with: "  csv: \(csv)")
    for fidelity in ["queueing", "requests"] {
      let definition = try Fixture.parse(plain + "simulation: {fidelity: \(fidelity)}\n")
      do {
        _ = try ScenarioRunner.prepare(definition)
        Issue.record("expected an error")
      } catch {
        #expect(error.description
          == "test.yaml:6:1: 'serving' should be a 'serving' block (workersPerInstance, serviceTime) for the fleet: "
            + "\(fidelity) fidelity simulates requests, found none")
      }
    }
    // capsim run --fidelity sets the same field after loading.
    var overridden = try Fixture.parse(plain)
    _ = try ScenarioRunner.prepare(overridden)
    overridden.simulation.fidelity = .requests
    #expect(throws: ScenarioError.self) { _ = try ScenarioRunner.prepare(overridden) }

    // A multi-service scenario names the service without one.
    let services = """
      name: test
      capacity: {unitsPerMinute: {m5.large: 120}}
      services:
        - name: api
          team: a
          demand: {csv: \(csv)}
          serving: {workersPerInstance: 2, serviceTime: {distribution: exponential, meanMs: 50}}
          fleet: {region: us-east-1, instanceType: c6i.large, minSize: 1, maxSize: 4}
        - name: batch
          team: b
          demand: {csv: \(csv)}
          fleet: {region: us-east-1, instanceType: m5.large, minSize: 1, maxSize: 4}
      simulation: {fidelity: requests}

      """
    do {
      _ = try ScenarioRunner.prepare(try Fixture.parse(services))
      Issue.record("expected an error")
    } catch {
      #expect(error.description
        == "test.yaml:12:5: 'serving' should be a 'serving' block (workersPerInstance, serviceTime) for service "
          + "'batch': requests fidelity simulates requests, found none")
    }
  }
}

@Suite struct ServingDecodingTests {
  @Test("a serving block decodes every key and derives the capacity: no capacity block needed")
  func servingDerivesCapacity() throws {
    let definition = try Fixture.parse(ServingFixture.base)
    let serving = try #require(definition.fleet.serving)
    #expect(serving == ServingModel(
      workersPerInstance: 4, serviceTime: .exponential(meanSeconds: 0.02), loadBalancer: .leastOutstandingRequests,
      timeoutSeconds: 2, queueLimitPerInstance: 1000, retries: .init(maxAttempts: 2, backoffSeconds: 0.1)))
    #expect(definition.fleet.latencySLO == LatencySLO(latencySeconds: 0.25, percentile: 99))
    #expect(definition.simulation.fidelity == .requests)
    // 4 workers x 60000 ms per minute / 20 ms = 12000 requests per minute at 100% CPU.
    #expect(definition.fleet.group.capacityUnitsPerMinute == 12_000)
    #expect(definition.variants[0].group.capacityUnitsPerMinute == 12_000)
    #expect(definition.fleet.servingLocation == SourceLocation(file: "test.yaml", line: 4, column: 1))
  }

  @Test("defaults: least outstanding requests, no timeout, no queue limit, no retries, backoff 100 ms, p99, fluid")
  func defaults() throws {
    var text = ServingFixture.base
    for line in ["loadBalancer: leastOutstandingRequests", "timeoutMs: 2000", "queueLimitPerInstance: 1000"] {
      text = ServingFixture.replacing(line, with: "", in: text)
    }
    text = ServingFixture.replacing("retries: {maxAttempts: 2, backoffMs: 100}", with: "  retries: {maxAttempts: 3}", in: text)
    text = ServingFixture.replacing("slo: {latencyMs: 250, percentile: 99}", with: "slo: {latencyMs: 400}", in: text)
    text = ServingFixture.replacing("simulation: {fidelity: requests}", with: "", in: text)
    let definition = try Fixture.parse(text)
    #expect(definition.fleet.serving == ServingModel(
      workersPerInstance: 4, serviceTime: .exponential(meanSeconds: 0.02),
      retries: .init(maxAttempts: 3, backoffSeconds: 0.1)))
    #expect(definition.fleet.latencySLO == LatencySLO(latencySeconds: 0.4, percentile: 99))
    #expect(definition.simulation.fidelity == .fluid)
  }

  @Test("capacity may repeat the derived value, and list other types, beside serving")
  func capacityBesideServing() throws {
    let repeated = try Fixture.parse(ServingFixture.replacing(
      "slo: {latencyMs: 250, percentile: 99}",
      with: "slo: {latencyMs: 250, percentile: 99}\ncapacity: {unitsPerMinute: {c6i.large: 90, m5.large: 12000}}"))
    #expect(repeated.fleet.group.capacityUnitsPerMinute == 12_000)
    // Without serving, the capacity block is required as before.
    let withoutServing = ServingFixture.base.replacingOccurrences(
      of: "serving:\n  workersPerInstance: 4\n  serviceTime: {distribution: exponential, meanMs: 20}\n"
        + "  loadBalancer: leastOutstandingRequests\n  timeoutMs: 2000\n  queueLimitPerInstance: 1000\n"
        + "  retries: {maxAttempts: 2, backoffMs: 100}\n",
      with: "")
    let error = try #require(Fixture.error(withoutServing))
    #expect(error.description == "test.yaml:1:1: missing required key 'capacity' at the top level")
  }

  @Test("lognormal and empirical service times: the csv's samples in seconds, header, comments and CRLF skipped")
  func serviceTimes() throws {
    let lognormal = try Fixture.parse(ServingFixture.replacing(
      ServingFixture.exponential, with: "  serviceTime: {distribution: lognormal, meanMs: 50, cv: 1.5}"))
    #expect(lognormal.fleet.serving?.serviceTime == .lognormal(meanSeconds: 0.05, coefficientOfVariation: 1.5))
    #expect(lognormal.fleet.group.capacityUnitsPerMinute == 4_800)

    for (name, text) in [
      ("header", "latency_ms\n# warm cache\n12\n\n  18\n"), ("crlf", "latency_ms\r\n12\r\n\r\n18\r\n"),
    ] {
      let relative = try ServingFixture.write("samples-\(name).csv", text)
      let definition = try Fixture.parse(ServingErrorTests.empirical(relative))
      #expect(definition.fleet.serving?.serviceTime == .empirical(samplesSeconds: [0.012, 0.018]))
      // Mean 15 ms: 4 x 60000 / 15.
      #expect(definition.fleet.group.capacityUnitsPerMinute == 16_000)
    }
  }

  @Test("a service's own serving and slo override the top-level ones; the others inherit them")
  func perServiceOverrides() throws {
    let definition = try Fixture.parse("""
      name: test
      serving:
        workersPerInstance: 4
        serviceTime: {distribution: exponential, meanMs: 20}
      slo: {latencyMs: 250}
      capacity: {unitsPerMinute: {c5.large: 600}}
      services:
        - name: api
          team: a
          demand: {csv: data/orders.csv}
          fleet: {region: us-east-1, instanceType: m5.large, minSize: 1, maxSize: 4}
        - name: search
          team: b
          demand: {csv: data/orders.csv}
          serving:
            workersPerInstance: 2
            serviceTime: {distribution: lognormal, meanMs: 50, cv: 0.5}
            loadBalancer: roundRobin
          slo: {latencyMs: 100, percentile: 99.9}
          fleet: {region: us-east-1, instanceType: c6i.large, minSize: 1, maxSize: 4}
        - name: batch
          team: c
          demand: {csv: data/orders.csv}
          slo: {latencyMs: 5000, percentile: 50}
          fleet: {region: us-east-1, instanceType: m5.large, minSize: 1, maxSize: 4}

      """)
    let (api, search, batch) = (definition.services[0].fleet, definition.services[1].fleet, definition.services[2].fleet)
    let top = ServingModel(workersPerInstance: 4, serviceTime: .exponential(meanSeconds: 0.02))
    #expect(api.serving == top)
    #expect(api.latencySLO == LatencySLO(latencySeconds: 0.25, percentile: 99))
    #expect(api.group.capacityUnitsPerMinute == 12_000)
    #expect(search.serving == ServingModel(
      workersPerInstance: 2, serviceTime: .lognormal(meanSeconds: 0.05, coefficientOfVariation: 0.5),
      loadBalancer: .roundRobin))
    #expect(search.latencySLO == LatencySLO(latencySeconds: 0.1, percentile: 99.9))
    // 2 x 60000 / 50 ms; the top-level capacity lists only another type.
    #expect(search.group.capacityUnitsPerMinute == 2_400)
    #expect(search.servingLocation?.line == 15)
    #expect(batch.serving == top)
    #expect(batch.latencySLO == LatencySLO(latencySeconds: 5, percentile: 50))
  }

  @Test("an arrival log becomes per-tick request counts; requests fidelity replays exactly the requests in the window")
  func arrivalLogReplay() throws {
    // 5 requests in 00:00, none in 00:01, 3 in 00:02, 4 in 00:03, 2 in 00:04 (UTC); a header,
    // comments, blank lines, fractional seconds, naive local times, offsets and epoch seconds.
    let log = """
      timestamp
      # cut from the ALB access log
      2026-03-02T00:00:00Z
      2026-03-02T00:00:00Z
      2026-03-02T00:00:12.250Z
      2026-03-02 00:00:30
      2026-03-02T09:00:59.5+09:00

      2026-03-02T00:02:00Z
      1772409750
      2026-03-02T00:02:59Z
      2026-03-02T00:03:01Z
      2026-03-02T00:03:02Z
      2026-03-02T00:03:02Z
      2026-03-02T00:03:40.5Z
      2026-03-02T00:04:00Z
      2026-03-02T00:04:59Z

      """
    let relative = try ServingFixture.write("arrivals-replay.log", log)
    var text = ServingFixture.withArrivals(relative)
    text = ServingFixture.replacing("retries: {maxAttempts: 2, backoffMs: 100}", with: "", in: text)

    let whole = try ScenarioRunner.prepare(try Fixture.parse(text))
    #expect(whole.start == Date.utc("2026-03-02T00:00:00Z"))
    #expect(whole.demand.valuesPerMinute == [5, 0, 3, 4, 2])
    #expect(whole.arrivalTimes.count == 1)
    #expect(whole.arrivalTimes[0] == [0, 0, 12.25, 30, 59.5, 120, 150, 179, 181, 182, 182, 220.5, 240, 299])
    #expect(whole.demandSourceLabel == "arrival log arrivals-replay.log")
    let all = try ScenarioRunner.run(whole)
    let allRequests = try #require(all.variants[0].statistics.requests)
    #expect(allRequests.requests == 14)

    // A window of three ticks: 00:01 to 00:04 holds 7 of the 14 requests.
    let windowed = ServingFixture.replacing(
      "simulation: {fidelity: requests}",
      with: "simulation: {fidelity: requests, start: 2026-03-02T00:01:00Z, end: 2026-03-02T00:04:00Z}", in: text)
    let prepared = try ScenarioRunner.prepare(try Fixture.parse(windowed))
    #expect(prepared.demand.valuesPerMinute == [0, 3, 4])
    #expect(prepared.arrivalTimes[0] == [60, 90, 119, 121, 122, 122, 160.5])
    let result = try ScenarioRunner.run(prepared)
    let requests = try #require(result.variants[0].statistics.requests)
    #expect(requests.requests == 7)
    #expect(requests.retriedRequests == 0)
    #expect(requests.completedRequests + requests.timedOutRequests + requests.rejectedRequests + requests.inFlightAtEnd == 7)
    #expect(result.variants[0].statistics.demandUnits == 7)

    // Fluid fidelity serves the same per-tick counts.
    let fluid = try ScenarioRunner.run(try ScenarioRunner.prepare(try Fixture.parse(
      windowed.replacingOccurrences(of: "fidelity: requests", with: "fidelity: fluid"))))
    #expect(fluid.variants[0].statistics.demandUnits == 7)
    #expect(fluid.variants[0].statistics.requests == nil)
  }

  @Test("requests fidelity replays a longer arrival log request for request, at a 10-second tick")
  func longerArrivalLog() throws {
    // 3000 requests over 20 minutes at uneven gaps (a deterministic sequence).
    var time = 1_772_409_600.0  // 2026-03-02T00:00:00Z
    var lines: [String] = []
    var state: UInt64 = 7
    for _ in 0..<3_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      time += Double(state >> 53) / Double(1 << 11) * 0.8  // 0...0.8 s
      lines.append(String(format: "%.3f", time))
    }
    let relative = try ServingFixture.write("arrivals-long.log", lines.joined(separator: "\n") + "\n")
    var text = ServingFixture.withArrivals(relative)
    text = ServingFixture.replacing("retries: {maxAttempts: 2, backoffMs: 100}", with: "", in: text)
    text = ServingFixture.replacing(
      "simulation: {fidelity: requests}", with: "simulation: {fidelity: requests, tick: 10s, duration: 15m}", in: text)
    let prepared = try ScenarioRunner.prepare(try Fixture.parse(text))
    let start = prepared.start.timeIntervalSince1970
    let inWindow = lines.compactMap(Double.init).filter { $0 >= start && $0 < start + 900 }.count
    #expect(prepared.demand.count == 90)
    #expect(prepared.demand.valuesPerMinute.reduce(0, +) / 6 == Double(inWindow))
    let requests = try #require(try ScenarioRunner.run(prepared).variants[0].statistics.requests)
    #expect(requests.requests == Double(inWindow))
    #expect(requests.retriedRequests == 0)
  }
}
