import Foundation
import FuzzSupport
import Scenario

/// Relative demand paths in seeds resolve against the shipped scenarios/ directory.
let scenariosDirectory = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().appendingPathComponent("../../../scenarios").standardizedFileURL

/// Any scenario text: parsed and validated, or a ScenarioError. Never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = FuzzInput(data, size)
  _ = try? ScenarioDefinition.parse(yaml: input.text, file: "fuzz.yaml", baseDirectory: scenariosDirectory)
  return 0
}
