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

  @Option(help: "Demand units one instance serves per minute at 100% CPU (capacity.unitsPerMinute). Required unless --cpu and --requests are given.")
  var unitsPerMinute: Double?

  @Option(help: "The group's CPUUtilization (Average), get-metric-data JSON or timestamp,value CSV: with --requests, estimates --units-per-minute.", completion: .file(extensions: ["json", "csv"]))
  var cpu: String?

  @Option(help: "RequestCountPerTarget (Sum) over the same periods, JSON or CSV; or RequestCount (Sum) with --instances.", completion: .file(extensions: ["json", "csv"]))
  var requests: String?

  @Option(help: "GroupInServiceInstances (Average) over the same periods, JSON or CSV: --requests is divided by it.", completion: .file(extensions: ["json", "csv"]))
  var instances: String?

  @Option(help: "The instance type, when the groups name none (a launch template alone) or to override theirs.")
  var instanceType: String?

  @Option(
    name: .customLong("type-units-per-minute"),
    help: "TYPE=N: the capacity of another type the group may launch (MixedInstancesPolicy Overrides); with one for each, the Overrides are simulated as purchaseOptions.instanceTypes. Repeatable.")
  var typeUnitsPerMinute: [String] = []

  /// `--type-units-per-minute` as a map; each entry must be TYPE=N.
  func typeCapacities() throws -> [String: Double] {
    var capacities: [String: Double] = [:]
    for entry in typeUnitsPerMinute {
      let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty, let units = Double(parts[1]) else {
        throw ValidationError("--type-units-per-minute expects TYPE=N (such as m6i.large=138), found '\(entry)'")
      }
      guard capacities[parts[0]] == nil else {
        throw ValidationError("--type-units-per-minute gives \(parts[0]) twice")
      }
      capacities[parts[0]] = units
    }
    return capacities
  }

  @Option(name: [.short, .long], help: "Write the scenario here instead of standard output.", completion: .file(extensions: ["yaml"]))
  var output: String?

  func validate() throws {
    _ = try typeCapacities()
    if unitsPerMinute != nil, cpu != nil || requests != nil || instances != nil {
      throw ValidationError(
        "give either --units-per-minute or --cpu and --requests (to estimate it), not both")
    }
    if (cpu == nil) != (requests == nil) || (instances != nil && cpu == nil) {
      throw ValidationError(
        "estimating --units-per-minute needs both --cpu (CPUUtilization) and --requests (RequestCountPerTarget, "
          + "or RequestCount with --instances)")
    }
    guard unitsPerMinute != nil || cpu != nil else {
      throw ValidationError(
        "--units-per-minute is required: how many demand units one instance serves per minute at 100% CPU "
          + "(or give --cpu and --requests metrics to estimate it)")
    }
  }

  func run() throws {
    let yaml = try reportingErrors {
      var inputs: AutoScalingImport.Inputs
      if let cpu, let requests {
        inputs = try AutoScalingImport.Inputs.estimatingCapacity(
          groupsPath: groups, policiesPath: policies, alarmsPath: alarms, scheduledActionsPath: scheduledActions,
          warmPoolPath: warmPool, demandPath: demand,
          metrics: AutoScalingImport.CapacityMetrics(cpuPath: cpu, requestsPath: requests, instancesPath: instances),
          instanceType: instanceType, outputPath: output)
        if let estimate = inputs.capacityEstimate?.estimate {
          FileHandle.standardError.write(
            Data("capsim: note: \(AutoScalingImport.capacitySentence(estimate, unitsPerMinute: inputs.unitsPerMinute))\n".utf8))
        }
      } else {
        inputs = AutoScalingImport.Inputs(
          groupsPath: groups, policiesPath: policies, alarmsPath: alarms, scheduledActionsPath: scheduledActions,
          warmPoolPath: warmPool, demandPath: demand, unitsPerMinute: unitsPerMinute ?? 0, instanceType: instanceType,
          outputPath: output)
      }
      inputs.typeUnitsPerMinute = try typeCapacities()
      return try AutoScalingImport.scenarioYAML(inputs)
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
