import Billing
import FuzzSupport

/// The text up to the first `\u{1}` byte is the prices CSV; the rest, if present, the Spot
/// Advisor CSV. A parsed catalog is also queried, as the billing code does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPriceCatalog(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = FuzzInput(data, size).text
  let parts = text.split(separator: "\u{1}", maxSplits: 1, omittingEmptySubsequences: false)
  guard
    let catalog = try? PriceCatalog(
      pricesCSV: String(parts[0]), fileName: "prices.csv", spotAdvisorCSV: parts.count > 1 ? String(parts[1]) : nil,
      spotAdvisorFileName: "spot.csv")
  else { return 0 }
  for entry in catalog.entries.prefix(8) {
    _ = catalog.entry(region: entry.region, instanceType: entry.instanceType)
    _ = catalog.recommendedEntry(family: entry.family, region: entry.region)
  }
  return 0
}
