import Numerics
import Testing

@testable import Billing

/// Money and seconds compare with a relative tolerance far below a cent on any bill here.
let moneyTolerance = 1e-12

func expectApproximately(
  _ actual: Double, _ expected: Double, _ what: String = "value",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    actual.isApproximatelyEqual(
      to: expected, absoluteTolerance: 1e-12, relativeTolerance: moneyTolerance),
    "\(what): \(actual) != \(expected)", sourceLocation: sourceLocation)
}

func expectApproximately(
  _ actual: [Double], _ expected: [Double], _ what: String = "values",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(actual.count == expected.count, "\(what): \(actual) != \(expected)",
          sourceLocation: sourceLocation)
  for (index, (a, e)) in zip(actual, expected).enumerated() {
    expectApproximately(a, e, "\(what)[\(index)]", sourceLocation: sourceLocation)
  }
}

/// Conservation checks every bill must pass: lines add up to the totals, hours add up to the
/// totals, and no instance-hour holds more than 3600 s per running instance.
func expectConservation(
  _ bill: OnDemandBill, sourceLocation: SourceLocation = #_sourceLocation
) {
  expectApproximately(
    bill.lines.reduce(0) { $0 + $1.costUSD }, bill.costUSD, "Σ lines cost",
    sourceLocation: sourceLocation)
  expectApproximately(
    bill.hourlyCostUSD.reduce(0, +), bill.costUSD, "Σ hourly cost",
    sourceLocation: sourceLocation)
  expectApproximately(
    bill.hourlyBilledInstanceSeconds.reduce(0, +), bill.billedInstanceSeconds,
    "Σ hourly seconds", sourceLocation: sourceLocation)
  for line in bill.lines {
    expectApproximately(
      line.hourlyCostUSD.reduce(0, +), line.costUSD, "Σ hourly cost of \(line.key)",
      sourceLocation: sourceLocation)
    #expect(line.hourlyBilledInstanceSeconds.count == bill.hourCount,
            sourceLocation: sourceLocation)
  }
  #expect(bill.lines.map(\.key) == bill.lines.map(\.key).sorted(), sourceLocation: sourceLocation)
}

/// SplitMix64: a tiny seeded generator so generated inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
