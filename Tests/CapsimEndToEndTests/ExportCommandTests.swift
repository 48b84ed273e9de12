import Foundation
import Testing

/// `capsim export` as a user runs it: files in a directory, or one listing on stdout.
@Suite struct ExportCommandTests {
  static func capsim(_ arguments: [String]) throws -> CapsimCommandTests.Output {
    try CapsimCommandTests.capsim(arguments)
  }

  @Test("--output writes one --cli-input-json file per request, in apply order, and lists them")
  func cliJSONFiles() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-export-e2e-\(getpid())")
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = try Self.capsim([
      "export", "scenarios/seoul-food-delivery.yaml", "--variant", "step-cpu", "--format", "cli-json",
      "--output", directory.path,
    ])
    #expect(output.status == 0, "\(output.stderr)")
    let names = ["put-scaling-policy-out.json", "put-metric-alarm-out.json", "put-scaling-policy-in.json", "put-metric-alarm-in.json"]
    #expect(output.stdout == names.map { directory.appendingPathComponent($0).path + "\n" }.joined())
    #expect(output.stderr.contains("AlarmActions holds a placeholder ARN"))
    let policy = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(names[0]))) as? [String: Any])
    #expect(policy["AutoScalingGroupName"] as? String == "seoul-food-delivery")
    #expect(policy["PolicyType"] as? String == "StepScaling")
    let alarm = try String(contentsOf: directory.appendingPathComponent(names[1]), encoding: .utf8)
    #expect(alarm.contains("\"Threshold\": 60,"))
  }

  @Test("stdout: a JSON listing (file, command, input) or the template; --group-name overrides the name; twice = same bytes")
  func stdout() throws {
    let arguments = [
      "export", "scenarios/seoul-food-delivery.yaml", "--variant", "target-cpu-60-scheduled", "--group-name", "orders-prod",
    ]
    let listing = try Self.capsim(arguments + ["--format", "cli-json"])
    #expect(listing.status == 0, "\(listing.stderr)")
    #expect(listing.stdout == (try Self.capsim(arguments + ["--format", "cli-json"])).stdout)
    let entries = try #require(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [[String: Any]])
    #expect(entries.map { $0["file"] as? String } == [
      "put-scaling-policy-targetTracking-1.json", "put-scheduled-update-group-action-lunch-floor.json",
      "put-scheduled-update-group-action-afternoon.json", "put-scheduled-update-group-action-dinner-floor.json",
      "put-scheduled-update-group-action-night.json",
    ])
    let lunch = try #require(entries[1]["input"] as? [String: Any])
    #expect(lunch["AutoScalingGroupName"] as? String == "orders-prod")
    #expect(lunch["Recurrence"] as? String == "30 11 * * *")
    #expect(lunch["TimeZone"] as? String == "Asia/Seoul")
    #expect(entries[1]["command"] as? String
      == "aws autoscaling put-scheduled-update-group-action --cli-input-json file://put-scheduled-update-group-action-lunch-floor.json")

    let template = try Self.capsim(arguments + ["--format", "cloudformation"])
    #expect(template.status == 0, "\(template.stderr)")
    #expect(template.stdout.contains("    Default: \"orders-prod\"\n"))
    #expect(template.stdout.contains("  LunchFloorScheduledAction:\n    Type: \"AWS::AutoScaling::ScheduledAction\"\n"))
  }

  @Test("a scenario with several variants needs --variant; a bad one or a bad group name exits 1 naming the choices")
  func errors() throws {
    let missing = try Self.capsim(["export", "scenarios/nyc-taxi.yaml", "--format", "cli-json"])
    #expect(missing.status == 1)
    #expect(missing.stdout.isEmpty)
    #expect(missing.stderr.contains("--variant should be given"))
    #expect(missing.stderr.contains("target-cpu-50, target-cpu-70"))

    let unknown = try Self.capsim(["export", "scenarios/nyc-taxi.yaml", "--variant", "nope", "--format", "cloudformation"])
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("'nope'"))

    let badName = try Self.capsim([
      "export", "scenarios/nyc-taxi.yaml", "--variant", "target-cpu-50", "--group-name", "a:b", "--format", "cli-json",
    ])
    #expect(badName.status == 1)
    #expect(badName.stderr.contains("without spaces or colons"))
  }
}
