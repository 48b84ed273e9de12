import ArgumentParser
import Foundation
import Reporting
import Scenario

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a variant's scaling policies as AWS CLI input or CloudFormation.",
    discussion: """
      cli-json: one --cli-input-json document per request (update-auto-scaling-group for \
      zones and Capacity Rebalancing, put-warm-pool, put-scaling-policy, put-metric-alarm for \
      step and simple policies, put-scheduled-update-group-action), in the order to apply \
      them. cloudformation: one template with the group as a parameter. \
      Alarm actions hold a placeholder ARN until put-scaling-policy returns the policy's; \
      see docs/export.md.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case cliJSON = "cli-json"
    case cloudFormation = "cloudformation"
  }

  @Argument(help: "The scenario YAML file.", completion: .file(extensions: ["yaml", "yml"]))
  var file: String

  @Option(help: ArgumentHelp("The variant (or service) to export; needed when there are several.", valueName: "name"))
  var variant: String?

  @Option(help: ArgumentHelp("The Auto Scaling group's name; default: the scenario's (or service's) name.", valueName: "name"))
  var groupName: String?

  @Option(
    help: ArgumentHelp(
      "The ALB target group request-count metrics use: app/<lb>/<id>/targetgroup/<tg>/<id>.", valueName: "label"))
  var resourceLabel: String?

  @Option(help: "cli-json: AWS CLI request documents; cloudformation: one template.")
  var format: Format

  @Option(
    help: ArgumentHelp("Write one file per document into this directory instead of printing.", valueName: "dir"),
    completion: .directory)
  var output: String?

  func run() throws {
    try reportingErrors {
      let definition = try ScenarioDefinition.load(path: file)
      let target = try resourceLabel.map { label throws(ReportingError) in try LoadBalancerTarget(resourceLabel: label) }
      let export = try AutoScalingExport(
        scenario: definition, variant: variant, groupName: groupName, loadBalancerTarget: target)
      guard !export.isEmpty else {
        throw ValidationError("\(export.source) has no policies, scheduled actions, warm pool or zones to export")
      }
      let files: [(name: String, text: String)]
      switch format {
      case .cliJSON: files = try export.cliDocuments().map { ($0.fileName, $0.text) }
      case .cloudFormation: files = [("template.yaml", try export.cloudFormationTemplate())]
      }
      if let output {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        for file in files {
          let path = URL(fileURLWithPath: output).appendingPathComponent(file.name).path
          guard FileManager.default.createFile(atPath: path, contents: Data(file.text.utf8)) else {
            throw ValidationError("cannot write '\(path)'")
          }
          print(path)
        }
      } else {
        print(format == .cliJSON ? try export.cliListing() : files[0].text, terminator: "")
      }
      if format == .cliJSON {
        for note in export.placeholderNotes {
          FileHandle.standardError.write(Data("capsim: note: \(note)\n".utf8))
        }
      }
    }
  }
}
