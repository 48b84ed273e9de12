import Foundation
import Testing

@testable import Workload

/// Bad input never traps: random text built from the characters that matter to the parsers
/// either loads (and then keeps the series invariants) or throws a WorkloadError.
@Suite struct RobustnessTests {
  static let alphabet = Array("0123456789-:TZ .,+\n\r\"eEinfa")

  /// A valid file of 2-6 rows in one of several timestamp forms, then 0-3 random edits.
  static func mutatedCSV(_ rng: inout SplitMix64) -> String {
    let forms = ["2026-01-05T12:%02d:00Z", "2014-11-02 01:%02d:00", "17676144%02d", "2026-01-05T12:%02d:00+09:00"]
    let form = forms[Int(rng.next() % UInt64(forms.count))]
    var text = rng.next() % 2 == 0 ? "timestamp,value\n" : ""
    var minute = 0
    for _ in 0..<(2 + Int(rng.next() % 5)) {
      text += String(format: form, minute) + ",\(rng.next() % 100)\n"
      minute += 1 + Int(rng.next() % 3) / 2
    }
    var characters = Array(text)
    for _ in 0..<Int(rng.next() % 4) where !characters.isEmpty {
      let at = Int(rng.next() % UInt64(characters.count))
      let replacement = alphabet[Int(rng.next() % UInt64(alphabet.count))]
      switch rng.next() % 3 {
      case 0: characters[at] = replacement
      case 1: characters.insert(replacement, at: at)
      default: characters.remove(at: at)
      }
    }
    return String(characters)
  }

  @Test("random edits of CSV files load or throw, never trap")
  func randomCSV() {
    var rng = SplitMix64(seed: 2026)
    var loaded = 0, failed = 0
    for _ in 0..<3000 {
      let text = Self.mutatedCSV(&rng)
      let zone = rng.next() % 2 == 0 ? utc : newYork
      let gaps = DemandLoadOptions.GapPolicy.allCases[Int(rng.next() % 3)]
      let options = DemandLoadOptions(gaps: gaps, naiveTimeZone: zone)
      do {
        let series = try DemandSeries.parseCSV(text, source: "fuzz.csv", options: options)
        loaded += 1
        #expect(series.count >= 2)
        #expect(series.valuesPerMinute.allSatisfy { $0.isFinite && $0 >= 0 })
      } catch {
        failed += 1
        #expect(!error.description.isEmpty)
      }
    }
    #expect(loaded > 100 && failed > 100)
  }

  @Test("every truncation of a CloudWatch document loads or throws, never traps")
  func truncatedJSON() {
    let bytes = Array(CloudWatchTests.metricData.utf8)
    for length in 0...bytes.count {
      let data = Data(bytes[0..<length])
      _ = try? DemandSeries.parseCloudWatchJSON(data, source: "cut.json", metricId: "requests")
    }
  }

  @Test("loadCloudWatchJSON reads a file and names its path in errors")
  func jsonFromFile() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("workload-\(UUID().uuidString).json")
    try Data(CloudWatchTests.statistics.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let series = try DemandSeries.loadCloudWatchJSON(path: url.path)
    #expect(series.valuesPerMinute == [2, 4, 6])
    do {
      _ = try DemandSeries.loadCloudWatchJSON(path: url.path, statistic: .minimum)
      Issue.record("expected an error")
    } catch {
      #expect(error.description.hasPrefix("\(url.path): Datapoints[0]: expected the statistic Minimum"))
    }
  }
}
