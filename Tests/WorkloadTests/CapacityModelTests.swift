import Testing

@testable import Workload

@Suite struct CapacityModelTests {
  @Test("known types give their units per minute; unknown ones list the known")
  func lookup() throws {
    let model = try CapacityModel(unitsPerMinuteByInstanceType: ["m5.large": 120, "c6i.large": 40])
    #expect(try model.unitsPerMinute(for: "m5.large") == 120)
    #expect(model.instanceTypes == ["c6i.large", "m5.large"])
    do {
      _ = try model.unitsPerMinute(for: "m5.xlarge")
      Issue.record("expected an error")
    } catch {
      #expect(error.problem == .unknownInstanceType("m5.xlarge", known: ["c6i.large", "m5.large"]))
      #expect(
        error.description
          == "CapacityModel: no capacity given for instance type 'm5.xlarge'; known types: c6i.large, m5.large")
    }
  }

  @Test("capacities must be finite and positive", arguments: [0.0, -5, .nan, .infinity])
  func validation(units: Double) {
    #expect(throws: WorkloadError.self) { try CapacityModel(unitsPerMinuteByInstanceType: ["m5.large": units]) }
  }

  @Test("an empty model is an error")
  func empty() {
    #expect(throws: WorkloadError.self) { try CapacityModel(unitsPerMinuteByInstanceType: [:]) }
  }
}
