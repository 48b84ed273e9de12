import Billing
import FuzzSupport

let catalog = try! PriceCatalog.bundled()

/// Selector byte: bit 0 the region for hourly CSVs (us-east-1 or ap-northeast-2); then the
/// usage export text (hourly CSV, FOCUS 1.x or CUR 2.0). A result must keep the invariants
/// the advisor relies on.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUsage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var input = FuzzInput(data, size)
  let region = input.takeSelector() & 1 == 0 ? "us-east-1" : "ap-northeast-2"
  guard let usage = try? EligibleUsageReader.read(csv: input.text, fileName: "fuzz.csv", catalog: catalog, region: region)
  else { return 0 }
  // What the advisor relies on: one row of hours per pool, finite usage >= 0.
  precondition(usage.pools.count == usage.units.count && usage.units.allSatisfy { $0.count == usage.hours })
  precondition(
    usage.units.allSatisfy { $0.allSatisfy { $0.isFinite && $0 >= 0 } }, "usage not finite and >= 0: \(usage.units)")
  return 0
}
