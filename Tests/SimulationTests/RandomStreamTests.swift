import Testing
@testable import Simulation

@Suite struct RandomStreamTests {
  @Test("the same seed gives the same sequence; different seeds give different ones")
  func determinism() {
    var first = RandomStream(seed: 2_025)
    var second = RandomStream(seed: 2_025)
    var other = RandomStream(seed: 2_026)
    let a = (0..<1_000).map { _ in first.next() }
    let b = (0..<1_000).map { _ in second.next() }
    let c = (0..<1_000).map { _ in other.next() }
    #expect(a == b)
    #expect(a != c)
  }

  // Expected values were computed independently with a 20-line Python transcription of
  // the reference C code (SplitMix64 by Vigna, xoshiro256** 1.0 by Blackman and Vigna),
  // run while writing this test. SplitMix64(0)'s first output 0xe220a8397b1dcdaf is the
  // widely published value.
  @Test("xoshiro256** seeded by SplitMix64 reproduces known answers for seeds 0 and 1",
        arguments: [
          (UInt64(0), [0x99ec_5f36_cb75_f2b4, 0xbf6e_1f78_4956_452a, 0x1a5f_849d_4933_e6e0,
                       0x6aa5_94f1_262d_2d2c, 0xbba5_ad4a_1f84_2e59] as [UInt64]),
          (UInt64(1), [0xb3f2_af6d_0fc7_10c5, 0x853b_5596_4736_4cea, 0x92f8_9756_082a_4514,
                       0x642e_1c7b_c266_a3a7, 0xb27a_48e2_9a23_3673] as [UInt64]),
        ])
  func knownAnswers(seed: UInt64, expected: [UInt64]) {
    var state = seed
    if seed == 0 { #expect(RandomStream.splitMix64(&state) == 0xe220_a839_7b1d_cdaf) }
    var stream = RandomStream(seed: seed)
    #expect((0..<5).map { _ in stream.next() } == expected)
  }

  // Same Python script: (0xb3f2af6d0fc710c5 >> 11) * 2**-53, and for substreams
  // splitmix64(splitmix64(seed) ^ fnv1a64(name)) with FNV-1a 64("a") = 0xaf63dc4c8601ec8c.
  @Test("nextUnitDouble and substream derivation reproduce known answers")
  func derivedKnownAnswers() {
    var stream = RandomStream(seed: 1)
    #expect(stream.nextUnitDouble() == 0.7029218331588505)
    let a = RandomStream(seed: 1).substream(named: "a")
    #expect(a.seed == 0x1e29_4378_b45c_3f93)
    var named = RandomStream(seed: 42).substream(named: "launch-latency")
    #expect(named.seed == 0xa075_6b62_9327_475d)
    #expect(named.next() == 0x98f7_bb78_3fc9_fa8b)
  }

  @Test("a substream depends only on the parent's seed and its name, not on other substreams or the parent's use")
  func substreamIndependence() {
    var parent = RandomStream(seed: 99)
    var untouchedParent = RandomStream(seed: 99)
    var aBefore = parent.substream(named: "a")
    let expectedA = (0..<100).map { _ in aBefore.next() }

    var b = parent.substream(named: "b")
    let fromB = (0..<100).map { _ in b.next() }
    let fromParent = (0..<100).map { _ in parent.next() }  // advances the parent
    var aAfter = parent.substream(named: "a")
    #expect((0..<100).map { _ in aAfter.next() } == expectedA)

    #expect(fromParent == (0..<100).map { _ in untouchedParent.next() })  // deriving never perturbed it
    #expect(expectedA != fromB)
    #expect(expectedA != fromParent)
    #expect(parent.substream(named: "a").seed != parent.seed)
    #expect(parent.substream(named: "a").seed != RandomStream(seed: 100).substream(named: "a").seed)
  }

  static let sampleCount = 100_000

  @Test("nextUnitDouble stays in [0, 1) with mean 1/2 and variance 1/12 within 5 standard errors")
  func uniformMoments() {
    var stream = RandomStream(seed: 7)
    let samples = (0..<Self.sampleCount).map { _ in stream.nextUnitDouble() }
    #expect(samples.allSatisfy { $0 >= 0 && $0 < 1 })
    let (mean, variance) = Self.moments(samples)
    let n = Double(Self.sampleCount)
    // Standard errors: sqrt(1/12 / n) for the mean; sqrt((1/80 - 1/144) / n) for the variance.
    #expect(abs(mean - 0.5) < 5 * (1.0 / 12 / n).squareRoot())
    #expect(abs(variance - 1.0 / 12) < 5 * ((1.0 / 80 - 1.0 / 144) / n).squareRoot())
  }

  @Test("nextNormal has the requested mean and standard deviation within 5 standard errors")
  func normalMoments() {
    var stream = RandomStream(seed: 8)
    let samples = (0..<Self.sampleCount).map { _ in stream.nextNormal(mean: 10, standardDeviation: 3) }
    let (mean, variance) = Self.moments(samples)
    let n = Double(Self.sampleCount)
    #expect(abs(mean - 10) < 5 * 3 / n.squareRoot())
    #expect(abs(variance.squareRoot() - 3) < 5 * 3 / (2 * n).squareRoot())
    // About 68.27% within one standard deviation; binomial standard error ~0.0015.
    let withinOne = Double(samples.filter { abs($0 - 10) < 3 }.count) / n
    #expect(abs(withinOne - 0.6827) < 0.0075)
  }

  @Test("nextExponential is non-negative with the requested mean and standard deviation within 5 standard errors")
  func exponentialMoments() {
    var stream = RandomStream(seed: 9)
    let samples = (0..<Self.sampleCount).map { _ in stream.nextExponential(mean: 2) }
    #expect(samples.allSatisfy { $0 >= 0 && $0.isFinite })
    let (mean, variance) = Self.moments(samples)
    let n = Double(Self.sampleCount)
    #expect(abs(mean - 2) < 5 * 2 / n.squareRoot())
    // Exponential: standard deviation equals the mean; its fourth central moment 9 mean^4.
    #expect(abs(variance - 4) < 5 * ((9 * 16 - 16) / n).squareRoot())
  }

  static func moments(_ samples: [Double]) -> (mean: Double, variance: Double) {
    let n = Double(samples.count)
    let mean = samples.reduce(0, +) / n
    let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    return (mean, variance)
  }
}
