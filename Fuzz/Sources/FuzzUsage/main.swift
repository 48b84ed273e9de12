import Billing
import FuzzSupport

let catalog = try! PriceCatalog.bundled()

/// Selector byte: bit 0 the region for hourly CSVs (us-east-1 or ap-northeast-2); then the
/// usage export text (hourly CSV, FOCUS 1.x or CUR 2.0).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUsage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var input = FuzzInput(data, size)
  let region = input.takeSelector() & 1 == 0 ? "us-east-1" : "ap-northeast-2"
  _ = try? EligibleUsageReader.read(csv: input.text, fileName: "fuzz.csv", catalog: catalog, region: region)
  return 0
}
