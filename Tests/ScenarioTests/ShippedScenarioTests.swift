import Foundation
import Testing

@testable import Scenario

@Suite struct ShippedScenarioTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var formatDocument: String {
    get throws { try String(contentsOf: root.appendingPathComponent("docs/scenario-format.md"), encoding: .utf8) }
  }

  @Test("every scenario shipped in scenarios/ loads without error",
        arguments: ["seoul-food-delivery", "nyc-taxi", "elb-requests"])
  func shippedScenarioLoads(name: String) throws {
    let path = Self.root.appendingPathComponent("scenarios/\(name).yaml").path
    let scenario = try ScenarioDefinition.load(path: path)
    #expect(scenario.name == name)
    #expect(!scenario.variants.isEmpty)
  }

  @Test("the complete example in docs/scenario-format.md is a valid scenario")
  func documentedExampleParses() throws {
    let document = try Self.formatDocument
    let opening = try #require(document.range(of: "```yaml\n"))
    let closing = try #require(document.range(of: "\n```", range: opening.upperBound..<document.endIndex))
    let example = String(document[opening.upperBound..<closing.lowerBound])
    let scenario = try ScenarioDefinition.parse(yaml: example, file: "scenario-format.md", baseDirectory: Self.root)
    #expect(scenario.variants.map(\.name) == ["target-cpu-50", "step-and-simple"])
    #expect(scenario.variants[0].scheduledActions.map(\.name) == ["lunch-floor", "white-day"])
  }

  @Test("docs/scenario-format.md mentions every key the decoder accepts")
  func everyKeyIsDocumented() throws {
    let document = try Self.formatDocument
    let keys = ScenarioDecoder.topLevelKeys + ScenarioDecoder.demandKeys + ScenarioDecoder.syntheticKeys
      + ScenarioDecoder.fleetKeys + ScenarioDecoder.variantKeys + ScenarioDecoder.policyTypes
      + ScenarioDecoder.targetTrackingKeys + ScenarioDecoder.alarmKeys + ScenarioDecoder.stepKeys
      + ScenarioDecoder.stepAdjustmentKeys + ScenarioDecoder.simpleKeys + ScenarioDecoder.scheduledKeys
      + ScenarioDecoder.simulationKeys + ["unitsPerMinute"]
    let missing = Set(keys).filter { !document.contains("`\($0)`") && !document.contains("\($0):") }
    #expect(missing.isEmpty, "undocumented keys: \(missing.sorted())")
  }
}
