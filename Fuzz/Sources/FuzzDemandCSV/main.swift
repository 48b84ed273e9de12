import FuzzSupport
import Workload

/// Selector byte: load options (`DemandLoadOptions(fuzzSelector:)`); then the CSV text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDemandCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var input = FuzzInput(data, size)
  let options = DemandLoadOptions(fuzzSelector: input.takeSelector())
  (try? DemandSeries.parseCSV(input.text, source: "fuzz.csv", options: options))?.checkInvariants()
  return 0
}
