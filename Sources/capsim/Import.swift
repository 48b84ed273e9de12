import ArgumentParser
import Foundation
import Scenario

struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Build a scenario from what the AWS CLI prints about existing Auto Scaling groups.",
    discussion: """
      Reads describe-auto-scaling-groups, describe-policies, and optionally describe-alarms, \
      describe-scheduled-actions and describe-warm-pool output, with get-metric-data output \
      as the demand, and writes a scenario with one variant 'current' per group (several \
      groups: a services scenario). Whatever cannot be mapped is listed in YAML comments. \
      See docs/import.md.

      Example:
        aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names orders > groups.json
        aws autoscaling describe-policies --auto-scaling-group-name orders > policies.json
        aws cloudwatch describe-alarms > alarms.json
        capsim import --groups groups.json --policies policies.json --alarms alarms.json \\
          --demand requests.json --units-per-minute 1200 --output orders.yaml
      """)

  @Option(help: "`aws autoscaling describe-auto-scaling-groups` output.", completion: .file(extensions: ["json"]))
  var groups: String

  @Option(help: "`aws autoscaling describe-policies` output.", completion: .file(extensions: ["json"]))
  var policies: String

  @Option(help: "`aws cloudwatch describe-alarms` output: the alarms of step and simple policies.", completion: .file(extensions: ["json"]))
  var alarms: String?

  @Option(help: "`aws autoscaling describe-scheduled-actions` output.", completion: .file(extensions: ["json"]))
  var scheduledActions: String?

  @Option(help: "`aws autoscaling describe-warm-pool` output (reported, not simulated yet).", completion: .file(extensions: ["json"]))
  var warmPool: String?

  @Option(help: "`aws cloudwatch get-metric-data` output: the demand the scenario replays (referenced, not copied).", completion: .file(extensions: ["json"]))
  var demand: String

  @Option(help: "Demand units one instance serves per minute at 100% CPU (capacity.unitsPerMinute). Required.")
  var unitsPerMinute: Double?

  @Option(help: "The instance type, when the groups name none (a launch template alone) or to override theirs.")
  var instanceType: String?

  @Option(name: [.short, .long], help: "Write the scenario here instead of standard output.", completion: .file(extensions: ["yaml"]))
  var output: String?

  func validate() throws {
    guard unitsPerMinute != nil else {
      throw ValidationError(
        "--units-per-minute is required: how many demand units one instance serves per minute at 100% CPU "
          + "(capsim cannot estimate it from CPU and request metrics yet)")
    }
  }

  func run() throws {
    let yaml = try reportingErrors {
      try AutoScalingImport.scenarioYAML(AutoScalingImport.Inputs(
        groupsPath: groups, policiesPath: policies, alarmsPath: alarms, scheduledActionsPath: scheduledActions,
        warmPoolPath: warmPool, demandPath: demand, unitsPerMinute: unitsPerMinute ?? 0, instanceType: instanceType,
        outputPath: output))
    }
    guard let output else {
      print(yaml, terminator: "")
      return
    }
    do {
      try yaml.write(toFile: output, atomically: true, encoding: .utf8)
    } catch {
      printError("cannot write '\(output)': \(error.localizedDescription)")
      throw ExitCode.failure
    }
  }
}
