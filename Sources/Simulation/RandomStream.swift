#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A seeded pseudo-random stream: xoshiro256** (Blackman and Vigna, "Scrambled Linear
/// Pseudorandom Number Generators", 2018) whose 256-bit state is filled from the seed by
/// SplitMix64, as the authors recommend.
///
/// ```swift
/// let root = RandomStream(seed: 42)
/// var launches = root.substream(named: "launch-latency")
/// let jitterSeconds = launches.nextNormal(mean: 0, standardDeviation: 5)
/// ```
///
/// The integer and uniform outputs depend only on the seed, on every platform.
/// `nextNormal` and `nextExponential` also call `log` (and `sqrt`, which IEEE 754 rounds
/// exactly); the C libraries of different platforms may round `log` differently in the
/// last bit, so those two are deterministic per platform, and almost always equal across.
///
/// Never use one stream from two places: derive a named ``substream(named:)`` per
/// consumer (per policy variant, per Monte Carlo path), so adding a consumer changes no
/// other consumer's numbers. Not for cryptography.
public struct RandomStream: RandomNumberGenerator, Sendable {
  /// The seed this stream started from; substreams derive from it, not from the state.
  public let seed: UInt64

  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64
  /// The second value of the last polar-method pair, not yet returned.
  @usableFromInline var spareStandardNormal: Double?

  /// A stream whose state is the first four outputs of SplitMix64 started at `seed`.
  ///
  /// - Complexity: O(1).
  public init(seed: UInt64) {
    self.seed = seed
    var state = seed
    s0 = Self.splitMix64(&state)
    s1 = Self.splitMix64(&state)
    s2 = Self.splitMix64(&state)
    s3 = Self.splitMix64(&state)
    // SplitMix64 is a bijection of its counter, so four consecutive outputs are never
    // all zero; xoshiro's one forbidden state cannot occur.
  }

  /// An independent stream derived from this stream's seed and `name`.
  ///
  /// The derived seed is `splitMix64(splitMix64(seed) ^ fnv1a64(utf8(name)))`, where
  /// `splitMix64(x)` is one SplitMix64 output from counter `x` and FNV-1a is the 64-bit
  /// variant; neither depends on the platform or on Swift's per-process hash seeding.
  /// Deriving reads only `seed`, so it never advances or perturbs this stream, and the
  /// same `(seed, name)` always gives the same stream.
  ///
  /// - Complexity: O(`name.utf8.count`).
  public func substream(named name: String) -> RandomStream {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a 64 offset basis
    for byte in name.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3  // FNV-1a 64 prime
    }
    var state = seed
    var mixed = Self.splitMix64(&state) ^ hash
    return RandomStream(seed: Self.splitMix64(&mixed))
  }

  /// The next 64 uniformly distributed bits.
  ///
  /// - Complexity: O(1).
  @inlinable
  public mutating func next() -> UInt64 {
    let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = s3.rotatedLeft(by: 45)
    return result
  }

  /// A uniform double in `[0, 1)`: the top 53 bits of ``next()`` times 2^-53.
  ///
  /// - Complexity: O(1).
  @inlinable
  public mutating func nextUnitDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A normally distributed double, by Marsaglia's polar method.
  ///
  /// Each accepted pair yields two standard normals; the second is kept and returned
  /// (scaled by that call's parameters) by the next call.
  ///
  /// - Parameter standardDeviation: must be >= 0 and finite.
  /// - Complexity: O(1) expected (acceptance probability pi/4).
  public mutating func nextNormal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
    precondition(
      standardDeviation >= 0 && standardDeviation.isFinite,
      "standardDeviation must be finite and >= 0, got \(standardDeviation)")
    if let spare = spareStandardNormal {
      spareStandardNormal = nil
      return mean + standardDeviation * spare
    }
    while true {
      let u = 2 * nextUnitDouble() - 1
      let v = 2 * nextUnitDouble() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        let factor = (-2 * log(s) / s).squareRoot()
        spareStandardNormal = v * factor
        return mean + standardDeviation * (u * factor)
      }
    }
  }

  /// An exponentially distributed double with the given mean (`-mean * log(1 - u)`,
  /// u uniform in `[0, 1)`, so the result is finite and >= 0).
  ///
  /// - Parameter mean: must be > 0 and finite (1 / rate).
  /// - Complexity: O(1).
  public mutating func nextExponential(mean: Double) -> Double {
    precondition(mean > 0 && mean.isFinite, "mean must be finite and > 0, got \(mean)")
    return -mean * log(1 - nextUnitDouble())
  }

  /// One SplitMix64 step (Steele, Lea and Flood, 2014): advances `state` by the golden
  /// gamma and returns the mixed value.
  @usableFromInline
  static func splitMix64(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}

extension UInt64 {
  @inlinable
  func rotatedLeft(by k: UInt64) -> UInt64 {
    (self << k) | (self >> (64 &- k))
  }
}
