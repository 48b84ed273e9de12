import Foundation
import Workload

/// One libFuzzer input: leading selector bytes that pick options, then the document.
///
/// Seeds in `Corpus/<Target>/` start with the selector bytes their target takes (see
/// `Fuzz/seed.sh`), so the document part of a seed is a shipped file unchanged.
public struct FuzzInput {
  public var bytes: UnsafeBufferPointer<UInt8>

  public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
    bytes = UnsafeBufferPointer(start: data, count: size)
  }

  /// Removes and returns the first byte (0 when the input is empty).
  public mutating func takeSelector() -> UInt8 {
    guard let first = bytes.first else { return 0 }
    bytes = UnsafeBufferPointer(rebasing: bytes.dropFirst())
    return first
  }

  /// The rest as text, as the file loaders see it after UTF-8 decoding (invalid
  /// sequences repaired, so every input reaches the parser).
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  /// The rest as bytes.
  public var data: Data { Data(buffer: bytes) }
}

extension DemandLoadOptions {
  /// Load options from one selector byte: bits 0-1 gaps, 2-3 value meaning, 4-5 the zone
  /// of naive timestamps (UTC, Seoul, New York, Lord Howe with its 30-minute DST), 6-7 the
  /// interval (inferred, 1 s, 5 min, 1 h): every choice the CLI and scenario files can make.
  public init(fuzzSelector byte: UInt8) {
    let gaps: [GapPolicy] = [.error, .interpolate, .zero, .error]
    let meanings: [ValueMeaning] = [.totalPerInterval, .ratePerMinute, .ratePerSecond, .totalPerInterval]
    let zones = ["UTC", "Asia/Seoul", "America/New_York", "Australia/Lord_Howe"]
    let intervals: [Double?] = [nil, 1, 300, 3_600]
    self.init(
      valueMeaning: meanings[Int(byte >> 2 & 3)], gaps: gaps[Int(byte & 3)],
      intervalSeconds: intervals[Int(byte >> 6 & 3)],
      naiveTimeZone: TimeZone(identifier: zones[Int(byte >> 4 & 3)])!)
  }
}

extension DemandSeries {
  /// Traps unless a loaded series keeps the documented invariants (the public initializer
  /// re-checks them): a loader that returns a bad series is as wrong as one that crashes.
  public func checkInvariants() {
    do {
      _ = try DemandSeries(start: start, intervalSeconds: intervalSeconds, valuesPerMinute: valuesPerMinute)
    } catch {
      preconditionFailure("a loader returned a series that breaks the invariants: \(error)")
    }
  }
}
