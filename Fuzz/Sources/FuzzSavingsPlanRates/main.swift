import Billing
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSavingsPlanRates(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  _ = try? SavingsPlanRates(csv: FuzzInput(data, size).text, fileName: "rates.csv")
  return 0
}
