import Advisor
import Foundation

/// The input format of ../shared/peers/commit_lp.py ({"families": [{name, od_rate, ri_rate?,
/// ec2_sp_discount?, compute_sp_discount?, usage}]}) as a CommitmentProblem, and its
/// generator (same shape as commit_lp.py --generate, seeded by our own generator: the
/// usage differs from numpy's but has the same daily/weekly/trend structure).
public enum PeerProblem {
  public static func load(path: String) throws -> CommitmentProblem {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let doc = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      let families = doc["families"] as? [[String: Any]]
    else { throw AdvisorError.invalidInput("\(path): expected {\"families\": [...]}") }
    var pools: [UsagePool] = []
    var usage: [[Double]] = []
    var instruments: [PoolInstrument] = []
    var computeRates: [Double?] = []
    for (p, family) in families.enumerated() {
      guard let od = (family["od_rate"] as? NSNumber)?.doubleValue, let values = family["usage"] as? [NSNumber] else {
        throw AdvisorError.invalidInput("\(path): family \(p) needs od_rate and usage")
      }
      pools.append(UsagePool(family: family["name"] as? String ?? "family\(p)", region: "", onDemandRate: od))
      usage.append(values.map(\.doubleValue))
      if let ri = (family["ri_rate"] as? NSNumber)?.doubleValue {
        instruments.append(PoolInstrument(pool: p, kind: .reservedInstance(.standard, .oneYear, .noUpfront), ratePerUnitHour: ri))
      }
      if let d = (family["ec2_sp_discount"] as? NSNumber)?.doubleValue {
        instruments.append(PoolInstrument(pool: p, kind: .ec2InstanceSavingsPlan(.oneYear, .noUpfront), ratePerUnitHour: od * (1 - d)))
      }
      computeRates.append((family["compute_sp_discount"] as? NSNumber).map { od * (1 - $0.doubleValue) })
    }
    let plan = computeRates.contains { $0 != nil }
      ? ComputeSavingsPlanOffering(term: .oneYear, payment: .noUpfront, coveredRate: computeRates) : nil
    return try CommitmentProblem(pools: pools, usage: UsagePaths(single: usage), poolInstruments: instruments, computePlan: plan)
  }

  /// commit_lp.py --generate FAMILIES HOURS: daily lunch/dinner shape, weekends x1.25, 10%
  /// trend, lognormal noise; RI at 0.62 x On-Demand, EC2 SP 34% off, Compute SP 27% off.
  public static func generate(families: Int, hours: Int, seed: UInt64) throws -> CommitmentProblem {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return (Double(state >> 11) + 0.5) / Double(1 << 53)
    }
    func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
    let rates = [0.096, 0.17, 0.252, 0.085, 0.34]
    var pools: [UsagePool] = []
    var usage: [[Double]] = []
    var instruments: [PoolInstrument] = []
    var computeRates: [Double?] = []
    for i in 0..<families {
      let od = rates[i % 5]
      pools.append(UsagePool(family: "family\(i)", region: "", onDemandRate: od))
      usage.append((0..<hours).map { t in
        let h = Double(t % 24)
        let daily = 1 + 0.6 * max(0, sin(2 * .pi * (h - 8) / 24)) + 0.9 * exp(-((h - 19) * (h - 19)) / 4)
        let weekly = (t / 24) % 7 >= 5 ? 1.25 : 1.0
        let trend = 1 + 0.1 * Double(t) / Double(hours)
        return 20 * Double(i + 1) * daily * weekly * trend * exp(0.08 * normal())
      })
      instruments.append(PoolInstrument(pool: i, kind: .reservedInstance(.standard, .oneYear, .noUpfront), ratePerUnitHour: od * 0.62))
      instruments.append(PoolInstrument(pool: i, kind: .ec2InstanceSavingsPlan(.oneYear, .noUpfront), ratePerUnitHour: od * 0.66))
      computeRates.append(od * 0.73)
    }
    return try CommitmentProblem(
      pools: pools, usage: UsagePaths(single: usage), poolInstruments: instruments,
      computePlan: ComputeSavingsPlanOffering(term: .oneYear, payment: .noUpfront, coveredRate: computeRates))
  }
}
