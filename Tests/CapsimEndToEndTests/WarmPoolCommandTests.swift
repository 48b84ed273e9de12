import Foundation
import Testing

/// `capsim run` on scenarios/seoul-warm-pool.yaml, as a user would.
@Suite struct WarmPoolCommandTests {
  static let path = "scenarios/seoul-warm-pool.yaml"

  @Test("run --format json twice is byte-identical; pool variants report the pool and EBS, the plain one neither")
  func deterministicJSON() throws {
    let first = try CapsimCommandTests.capsim(["run", Self.path, "--format", "json"])
    let second = try CapsimCommandTests.capsim(["run", Self.path, "--format", "json"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout == second.stdout)
    let parsed = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
    let variants = try #require(parsed?["variants"] as? [[String: Any]])
    #expect(variants.map { $0["name"] as? String } == ["no-pool", "stopped-pool", "running-pool", "stopped-pool-reuse"])
    #expect(variants[0]["warmPool"] == nil)
    let plainBill = try #require(variants[0]["bill"] as? [String: Any])
    #expect((plainBill["effectiveByPurchaseOption"] as? [String: Any])?["ebsStorageUSD"] == nil)
    let pool = try #require(variants[1]["warmPool"] as? [String: Any])
    #expect((pool["launchesFromPool"] as? Int ?? 0) > 0)
    let bill = try #require(variants[1]["bill"] as? [String: Any])
    let effective = try #require(bill["effectiveByPurchaseOption"] as? [String: Any])
    let ebs = try #require(effective["ebsStorageUSD"] as? Double)
    let onDemand = try #require(effective["onDemandUSD"] as? Double)
    let cost = try #require(variants[1]["costUSD"] as? Double)
    #expect(ebs > 0)
    #expect(abs(cost - (onDemand + ebs)) < 1e-5)
  }

  @Test("--line-items writes EBS rows for the stopped pool, and the rows add up to the variant's cost")
  func lineItems() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-warm-pool-\(getpid()).csv").path
    defer { try? FileManager.default.removeItem(atPath: file) }
    let run = try CapsimCommandTests.capsim(
      ["run", Self.path, "--policy", "stopped-pool", "--line-items", file, "--format", "json"])
    #expect(run.status == 0, "\(run.stderr)")
    let csv = try String(contentsOfFile: file, encoding: .utf8)
    let lines = csv.split(separator: "\n")
    let header = lines[0].split(separator: ",").map(String.init)
    let effectiveColumn = try #require(header.firstIndex(of: "EffectiveCost"))
    let skuColumn = try #require(header.firstIndex(of: "SkuId"))
    // No quoted commas in these rows' first columns up to SkuId and EffectiveCost.
    var total = 0.0
    var ebsRows = 0
    for line in lines.dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard fields.count > max(effectiveColumn, skuColumn) else { continue }
      total += Double(fields[effectiveColumn]) ?? 0
      if fields[skuColumn] == "EBS:VolumeUsage" { ebsRows += 1 }
    }
    #expect(ebsRows > 0)
    let parsed = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    let variant = try #require((parsed?["variants"] as? [[String: Any]])?.first)
    let cost = try #require(variant["costUSD"] as? Double)
    #expect(abs(total - cost) < 1e-3)
  }
}
