import Foundation
import FuzzSupport
import Scenario

/// The whole `capsim import` on fuzzed AWS CLI documents: the input is up to four JSON
/// documents separated by NUL bytes (describe-auto-scaling-groups, describe-policies,
/// describe-alarms, describe-scheduled-actions; a missing one is left out), each written to
/// a file as the CLI's output would be, with the shipped scenarios/import/demand.json as the
/// demand. Every document goes through `ImportJSON` (the positioned JSON reader) and the
/// mapping. Checked beyond "no trap":
/// - an error names a location in a file: a JSON error its line and column (>= 1);
/// - a scenario the import writes is one capsim reads back (`ScenarioDefinition.parse`),
///   or the import wrote YAML that `capsim run` would reject: trap.
let importDirectory = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().appendingPathComponent("../../../scenarios/import").standardizedFileURL
let workDirectory: URL = {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-fuzz-import-\(getpid())")
  try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}()
let documentNames = ["groups.json", "policies.json", "alarms.json", "scheduled.json"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImportJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = FuzzInput(data, size)
  let parts = input.bytes.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false)
  var paths: [String?] = [nil, nil, nil, nil]
  for (index, part) in parts.enumerated() {
    let url = workDirectory.appendingPathComponent(documentNames[index])
    try! Data(part).write(to: url)
    paths[index] = url.path
  }
  // Groups and policies are required: an input without them reads an empty object.
  for index in 0..<2 where paths[index] == nil {
    let url = workDirectory.appendingPathComponent(documentNames[index])
    try! Data("{}".utf8).write(to: url)
    paths[index] = url.path
  }
  let inputs = AutoScalingImport.Inputs(
    groupsPath: paths[0]!, policiesPath: paths[1]!, alarmsPath: paths[2], scheduledActionsPath: paths[3],
    demandPath: importDirectory.appendingPathComponent("demand.json").path, unitsPerMinute: 1200,
    outputPath: workDirectory.appendingPathComponent("imported.yaml").path)
  let yaml: String
  do {
    yaml = try AutoScalingImport.scenarioYAML(inputs)
  } catch {
    if case .invalidJSON = error.problem {
      precondition(error.line >= 1 && error.column >= 1, "a JSON error without a position: \(error)")
    }
    return 0
  }
  do {
    _ = try ScenarioDefinition.parse(yaml: yaml, file: "imported.yaml", baseDirectory: workDirectory)
  } catch {
    fatalError("the import wrote a scenario capsim rejects: \(error)\n\(yaml)")
  }
  return 0
}
