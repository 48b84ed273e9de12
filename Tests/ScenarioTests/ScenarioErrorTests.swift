import Foundation
import Testing

@testable import Scenario

/// One planted mistake and the exact error it must produce.
struct Mistake: Sendable, CustomTestStringConvertible {
  var name: String
  var yaml: String
  var line: Int
  var column: Int
  var message: String
  var testDescription: String { name }

  /// `Fixture.minimal` with one line replaced.
  init(_ name: String, replacing old: String, with new: String, at line: Int, _ column: Int, _ message: String) {
    self.init(name, yaml: Fixture.minimal(replacing: old, with: new), at: line, column, message)
  }

  init(_ name: String, yaml: String, at line: Int, _ column: Int, _ message: String) {
    self.name = name
    self.yaml = yaml
    self.line = line
    self.column = column
    self.message = message
  }
}

// Fixture.minimal, for reading the expected positions:
//  1 name: test
//  2 demand:
//  3   csv: data/orders.csv
//  4 capacity:
//  5   unitsPerMinute: {m5.large: 120}
//  6 fleet:
//  7   region: us-east-1
//  8   instanceType: m5.large
//  9   minSize: 2
// 10   maxSize: 10
// 11 variants:
// 12   - name: a
// 13     policies:
// 14       - targetTracking: {metric: cpu, target: 50}
@Suite struct ScenarioErrorTests {
  static let tracking = "- targetTracking: {metric: cpu, target: 50}"
  static let fleetKeys =
    "region, instanceType, minSize, maxSize, initialCapacity, launchTime, launchJitter, warmup, availabilityZone, availabilityZones, purchaseOptions, warmPool"

  static let mistakes: [Mistake] = [
    Mistake(
      "unknown key with a suggestion", replacing: "minSize: 2", with: "  minSise: 2", at: 9, 3,
      "unknown key 'minSise' in 'fleet'; did you mean 'minSize'? Allowed keys: \(fleetKeys)"),
    Mistake(
      "unknown key with nothing close", replacing: "minSize: 2", with: "  colour: red", at: 9, 3,
      "unknown key 'colour' in 'fleet'. Allowed keys: \(fleetKeys)"),
    Mistake(
      "unknown top-level key", replacing: "name: test", with: "name: test\nvariant: []", at: 2, 1,
      "unknown key 'variant' at the top level; did you mean 'variants'? Allowed keys: name, description, timeZone, "
        + "demand, capacity, fleet, variants, services, commitments, savingsPlanRates, simulation, forecast, serving, slo, faults, prices, sweep"),
    Mistake(
      "unknown policy type", replacing: tracking, with: "      - targetTraking: {metric: cpu, target: 50}", at: 14, 9,
      "unknown key 'targetTraking' in 'variants[0].policies[0]'; did you mean 'targetTracking'? "
        + "Allowed keys: targetTracking, step, simple, scheduled, predictive"),
    Mistake(
      "string where an integer belongs", replacing: "minSize: 2", with: "  minSize: two", at: 9, 12,
      "'minSize' should be an integer, found string \"two\""),
    Mistake(
      "quoted number where an integer belongs", replacing: "minSize: 2", with: "  minSize: \"2\"", at: 9, 12,
      "'minSize' should be an integer, found string \"2\""),
    Mistake(
      "fraction where an integer belongs", replacing: "minSize: 2", with: "  minSize: 2.5", at: 9, 12,
      "'minSize' should be an integer, found number 2.5"),
    Mistake(
      "empty value", replacing: "minSize: 2", with: "  minSize:", at: 9, 11,
      "'minSize' should be an integer, found nothing (an empty value)"),
    Mistake(
      "list where a mapping belongs", replacing: "unitsPerMinute: {m5.large: 120}", with: "  unitsPerMinute: [120]",
      at: 5, 19, "'unitsPerMinute' should be a mapping, found a list"),
    Mistake(
      "integer out of range", replacing: "maxSize: 10", with: "  maxSize: 2000000", at: 10, 12,
      "'maxSize' must be in 0...1000000, found 2000000"),
    Mistake(
      "number out of an open range", replacing: "csv: data/orders.csv", with: "  csv: data/orders.csv\n  scale: 0",
      at: 4, 10, "'scale' must be greater than 0 and at most 1000000, found 0"),
    Mistake(
      "infinite number", replacing: tracking, with: "      - targetTracking: {metric: cpu, target: .inf}", at: 14, 47,
      "'target' must be greater than 0 and at most 1000000000, found .inf"),
    Mistake(
      "integer too large for Int", replacing: "minSize: 2", with: "  minSize: 99999999999999999999", at: 9, 12,
      "'minSize' must be in 0...1000000, found 99999999999999999999"),
    Mistake(
      "seed too large for UInt64", replacing: "name: test", with: "name: test\nsimulation: {seed: 18446744073709551616}",
      at: 2, 20, "'seed' must be in 0...18446744073709551615, found 18446744073709551616"),
    Mistake(
      "duration literal beyond Double", replacing: tracking,
      with: "      - targetTracking: {metric: cpu, target: 50, metricPeriod: 1e400}", at: 14, 65,
      "'metricPeriod' must be in 10s...1h, found 1e400"),
    Mistake(
      "missing required key", replacing: "region: us-east-1", with: "", at: 6, 1,
      "missing required key 'region' in 'fleet'"),
    Mistake(
      "missing demand source", replacing: "csv: data/orders.csv", with: "  scale: 2", at: 2, 1,
      "missing one of 'csv', 'cloudwatch', 'synthetic', 'arrivals' in 'demand'"),
    Mistake(
      "duplicate variant name", yaml: Fixture.minimal + "  - name: a\n", at: 15, 11,
      "duplicate variant name 'a' (first at line 12); each must be unique"),
    Mistake(
      "duplicate policy name, one defaulted", replacing: tracking,
      with: "      \(tracking)\n      - targetTracking: {name: targetTracking-1, metric: cpu, target: 60}", at: 15, 32,
      "duplicate policy name 'targetTracking-1' (first at line 14); each must be unique"),
    Mistake(
      "duplicate YAML key", replacing: "maxSize: 10", with: "  maxSize: 10\n  minSize: 3", at: 11, 3,
      "duplicate key 'minSize' (first at line 9); each must be unique"),
    Mistake(
      "duplicate key in a flow mapping", replacing: "unitsPerMinute: {m5.large: 120}",
      with: "  unitsPerMinute: {m5.large: 120, m5.large: 130}", at: 5, 35,
      "duplicate key 'm5.large' (first at line 5); each must be unique"),
    Mistake(
      "both csv and synthetic", replacing: "csv: data/orders.csv",
      with: "  csv: data/orders.csv\n  synthetic: {start: 2026-03-02T00:00:00, days: 1, baselinePerMinute: 1}", at: 4, 3,
      "'synthetic' cannot be combined with 'csv': demand takes exactly one of csv, cloudwatch, synthetic, arrivals"),
    Mistake(
      "cloudwatch-only key with csv", replacing: "csv: data/orders.csv", with: "  csv: data/orders.csv\n  statistic: Sum",
      at: 4, 3, "'statistic' cannot be combined with 'csv': 'statistic' applies only to a cloudwatch source"),
    Mistake(
      "end and duration together", replacing: "name: test",
      with: "name: test\nsimulation: {end: 2026-01-01T00:00:00, duration: 1d}", at: 2, 40,
      "'duration' cannot be combined with 'end': give the end of the simulated window or its duration, not both"),
    Mistake(
      "bad duration string", replacing: "maxSize: 10", with: "  maxSize: 10\n  warmup: 5 minutes", at: 11, 11,
      "'warmup' should be a duration such as 90s, 5m, 1.5h, 28d, 2w or a number of seconds, found \"5 minutes\""),
    Mistake(
      "unknown duration unit", replacing: "maxSize: 10", with: "  maxSize: 10\n  warmup: 2y", at: 11, 11,
      "'warmup' should be a duration such as 90s, 5m, 1.5h, 28d, 2w or a number of seconds, found \"2y\""),
    Mistake(
      "weeks are a duration unit (the CLI's grammar too), here beyond warm-up's range", replacing: "maxSize: 10",
      with: "  maxSize: 10\n  warmup: 2w", at: 11, 11, "'warmup' must be in 0s...1d, found 2w"),
    Mistake(
      "sexagesimal duration", replacing: "maxSize: 10", with: "  maxSize: 10\n  warmup: 1:30", at: 11, 11,
      "'warmup' should be a duration such as 90s, 5m, 1.5h, 28d, 2w or a number of seconds, found \"1:30\""),
    Mistake(
      "duration out of range", replacing: "maxSize: 10", with: "  maxSize: 10\n  warmup: 2d", at: 11, 11,
      "'warmup' must be in 0s...1d, found 2d"),
    Mistake(
      "bad time zone", replacing: "name: test", with: "name: test\ntimeZone: Asia/Seol", at: 2, 11,
      "'timeZone' should be an IANA time zone name such as UTC, Asia/Seoul or America/New_York, found \"Asia/Seol\"; "
        + "did you mean 'Asia/Seoul'?"),
    Mistake(
      "offset instead of a zone name", replacing: "name: test", with: "name: test\ntimeZone: GMT+9", at: 2, 11,
      "'timeZone' should be an IANA time zone name such as UTC, Asia/Seoul or America/New_York, found \"GMT+9\""),
    Mistake(
      "local time skipped by daylight saving", replacing: "name: test",
      with: "name: test\ntimeZone: America/New_York\nsimulation: {start: 2026-03-08T02:30:00}", at: 3, 21,
      "'start' should be a local time that exists in America/New_York (this one is skipped when clocks move forward), "
        + "found \"2026-03-08T02:30:00\""),
    Mistake(
      "impossible date", replacing: "name: test", with: "name: test\nsimulation: {start: 2026-02-30T00:00:00}",
      at: 2, 21,
      "'start' should be a timestamp YYYY-MM-DDTHH:MM:SS (local to the scenario timeZone, or ending in Z or ±HH:MM), "
        + "found \"2026-02-30T00:00:00\""),
    Mistake(
      "offset beyond +-14:00 (read before the one ISO 8601 parser)", replacing: "name: test",
      with: "name: test\nsimulation: {start: 2026-03-02T23:30:00+14:30}", at: 2, 21,
      "'start' should be a timestamp YYYY-MM-DDTHH:MM:SS (local to the scenario timeZone, or ending in Z or ±HH:MM), "
        + "found \"2026-03-02T23:30:00+14:30\""),
    Mistake(
      "seconds left out", replacing: "name: test", with: "name: test\nsimulation: {start: 2026-03-02T09:00}",
      at: 2, 21,
      "'start' should be a timestamp YYYY-MM-DDTHH:MM:SS (local to the scenario timeZone, or ending in Z or ±HH:MM), "
        + "found \"2026-03-02T09:00\""),
    Mistake(
      "YAML 1.1 boolean spelling", replacing: tracking,
      with: "      - targetTracking: {metric: cpu, target: 50, disableScaleIn: yes}", at: 14, 67,
      "'disableScaleIn' should be true or false, found \"yes\""),
    Mistake(
      "misspelt enumeration value", replacing: tracking, with: "      - targetTracking: {metric: CPU, target: 50}",
      at: 14, 34, "'metric' should be cpu or requestCountPerTarget, found \"CPU\"; did you mean 'cpu'?"),
    Mistake(
      "instance type without capacity", replacing: "instanceType: m5.large", with: "  instanceType: m5.larg", at: 8, 17,
      "'instanceType' should be an instance type listed in capacity.unitsPerMinute (m5.large), found \"m5.larg\"; "
        + "did you mean 'm5.large'?"),
    Mistake(
      "policy item with two types", replacing: tracking,
      with: "      - {targetTracking: {metric: cpu, target: 50}, step: {}}", at: 14, 9,
      "'policies[0]' should be a one-key mapping naming the policy type (targetTracking, step, simple, scheduled, predictive), "
        + "found a mapping with 2 keys (targetTracking, step)"),
    Mistake(
      "cron hour out of range", replacing: tracking, with: "      - scheduled: {recurrence: \"30 25 * * *\", minSize: 2}",
      at: 14, 33, "'recurrence' should be a cron expression whose hour field is a value in 0...23, found '25' in \"30 25 * * *\""),
    Mistake(
      "cron with four fields", replacing: tracking, with: "      - scheduled: {recurrence: \"30 2 * *\", minSize: 2}",
      at: 14, 33,
      "'recurrence' should be a cron expression of 5 fields separated by spaces "
        + "(minute hour day-of-month month day-of-week), found 4 fields in \"30 2 * *\""),
    Mistake(
      "scheduled action with neither recurrence nor at", replacing: tracking, with: "      - scheduled: {minSize: 2}",
      at: 14, 9, "missing one of 'recurrence', 'at' in 'variants[0].policies[0].scheduled'"),
    Mistake(
      "missing demand file", replacing: "csv: data/orders.csv", with: "  csv: data/missing.csv", at: 3, 8,
      "cannot read 'data/missing.csv': no such file (looked for "
        + Fixture.directory.appendingPathComponent("data/missing.csv").standardizedFileURL.path + ")"),
    Mistake(
      "empty document", yaml: "# nothing here\n", at: 1, 1,
      "'scenario' should be a mapping with keys name, demand, capacity, fleet and variants, found an empty document"),
  ]

  @Test("each mistake is reported at its exact line and column with its sentence", arguments: mistakes)
  func mistakeIsLocated(_ mistake: Mistake) throws {
    let error = try #require(Fixture.error(mistake.yaml))
    #expect(error.file == "test.yaml")
    #expect(error.line == mistake.line)
    #expect(error.column == mistake.column)
    #expect(error.message == mistake.message)
    #expect(error.description == "test.yaml:\(mistake.line):\(mistake.column): \(mistake.message)")
  }

  @Test("the unknown-key error carries the key, the allowed keys and the suggestion as data")
  func unknownKeyProblem() throws {
    let error = try #require(Fixture.error(Fixture.minimal(replacing: "maxSize: 10", with: "  maxsize: 10")))
    #expect(error.problem == .unknownKey(
      key: "maxsize", in: "fleet",
      allowed: [
        "region", "instanceType", "minSize", "maxSize", "initialCapacity", "launchTime", "launchJitter", "warmup",
        "availabilityZone", "availabilityZones", "purchaseOptions", "warmPool",
      ],
      suggestion: "maxSize"))
  }

  @Test("YAML syntax errors from Yams become located ScenarioErrors")
  func syntaxErrors() throws {
    let unclosed = try #require(Fixture.error(Fixture.minimal(replacing: "maxSize: 10", with: "  maxSize: [10")))
    #expect(unclosed.description
      == "test.yaml:11:9: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 10, column 12)")
    let tab = try #require(Fixture.error("name: x\n\tdemand: 1\n"))
    #expect((tab.line, tab.column) == (2, 1))
    guard case .syntax(let text) = tab.problem else {
      Issue.record("expected a syntax problem, got \(tab.problem)")
      return
    }
    #expect(text.contains("tab"))
    // libyaml's reader rejects control characters; the offset becomes a line and column.
    let control = try #require(Fixture.error("name: test\ndescription: a\u{7}b\n"))
    #expect(control.description == "test.yaml:2:15: YAML syntax error: control characters are not allowed")
    // An unquoted ">=" starts a folded block scalar in YAML: a syntax error, not a comparison.
    let comparison = try #require(Fixture.error(Fixture.minimal(
      replacing: Self.tracking,
      with: "      - simple: {alarm: {metric: cpu, comparison: >=, threshold: 70}, adjustmentType: ChangeInCapacity, adjustment: 1}")))
    #expect(comparison.line == 14)
    if case .syntax = comparison.problem {} else { Issue.record("expected a syntax problem, got \(comparison.problem)") }
  }

  @Test("AutoScaling's validation errors are reported at the YAML key that set the field, in YAML terms")
  func autoScalingErrorsAreLocated() throws {
    let target = try #require(Fixture.error(Fixture.minimal(
      replacing: Self.tracking, with: "      - targetTracking: {metric: cpu, target: 150}")))
    #expect(target.description
      == "test.yaml:14:47: policy 'targetTracking-1': 'target' should be a CPU percentage in (0, 100), found 150.0")
    #expect(target.problem == .policy("policy 'targetTracking-1': 'target' should be a CPU percentage in (0, 100), found 150.0"))

    let steps = try #require(Fixture.error(Fixture.minimal(replacing: Self.tracking, with: """
            - step:
                name: out
                alarm: {metric: cpu, comparison: ">=", threshold: 70, evaluationPeriods: 2, datapointsToAlarm: 3}
                adjustmentType: ChangeInCapacity
                steps: [{lower: 0, adjustment: 1}]
      """)))
    #expect(steps.description
      == "test.yaml:16:106: policy 'out': 'alarm.datapointsToAlarm' should be 1...evaluationPeriods (2), found 3")

    let gap = try #require(Fixture.error(Fixture.minimal(replacing: Self.tracking, with: """
            - step:
                alarm: {metric: cpu, comparison: ">=", threshold: 70}
                adjustmentType: ChangeInCapacity
                steps:
                  - {lower: 0, upper: 10, adjustment: 1}
                  - {lower: 20, adjustment: 3}
      """)))
    #expect(gap.description == "test.yaml:19:23: policy 'step-1': 'steps[1].lower' should be equal to "
      + "steps[0].upperBound (10.0) so the intervals neither gap nor overlap, found 20.0 (a gap)")

    let group = try #require(Fixture.error(Fixture.minimal(replacing: "maxSize: 10", with: "  maxSize: 1")))
    #expect(group.description == "test.yaml:10:12: 'maxSize' should be >= minSize (2) and <= 1000000, found 1")

    // A variant override that breaks the group is reported at the override, naming the variant.
    let variant = try #require(Fixture.error(Fixture.minimal(
      replacing: "- name: a", with: "  - name: a\n    fleet: {minSize: 20}")))
    #expect(variant.description == "test.yaml:13:5: variant 'a': 'maxSize' should be >= minSize (20) and <= 1000000, found 10")
  }

  @Test("a scenario file that does not exist is reported against the file itself")
  func unreadableFile() throws {
    do {
      _ = try ScenarioDefinition.load(path: "/nonexistent/scenario.yaml")
      Issue.record("expected an error")
    } catch {
      #expect(error.problem == .fileUnreadable(path: "/nonexistent/scenario.yaml", reason: "no such file"))
      #expect(error.description == "/nonexistent/scenario.yaml: cannot read '/nonexistent/scenario.yaml': no such file")
    }
  }
}
