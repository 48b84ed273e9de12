import Foundation
import FuzzSupport
import Scenario

/// Relative demand paths in seeds resolve against the shipped scenarios/ directory.
let scenariosDirectory = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().appendingPathComponent("../../../scenarios").standardizedFileURL

/// Any scenario text: parsed and validated, or a ScenarioError. Never a trap. With a
/// `sweep:` block, the plan too (its paths patched into the tree) and a few of its points
/// decoded: the first ones and the last (a grid may hold millions).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = FuzzInput(data, size)
  let text = input.text
  _ = try? ScenarioDefinition.parse(yaml: text, file: "fuzz.yaml", baseDirectory: scenariosDirectory)
  if text.contains("sweep"), let plan = try? SweepPlan.parse(yaml: text, file: "fuzz.yaml", baseDirectory: scenariosDirectory) {
    for point in Set(Array(0..<min(plan.pointCount, 4)) + [plan.pointCount - 1]) where point >= 0 {
      _ = try? plan.scenario(ofPoint: point)
      _ = plan.axisCells(ofPoint: point)
    }
  }
  return 0
}
