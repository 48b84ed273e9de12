import FuzzSupport
import Workload

/// Selector bytes: load options, then bits 0-2 the statistic (none or one of the five) and
/// bit 3 a metric id (`requests`); then the JSON bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCloudWatch(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var input = FuzzInput(data, size)
  let options = DemandLoadOptions(fuzzSelector: input.takeSelector())
  let choice = input.takeSelector()
  let statistics: [CloudWatchStatistic?] = [nil] + CloudWatchStatistic.allCases.map { $0 }
  let statistic = statistics[Int(choice & 7) % statistics.count]
  let metricId = choice & 8 == 0 ? nil : "requests"
  let series = try? DemandSeries.parseCloudWatchJSON(
    input.data, source: "fuzz.json", options: options, metricId: metricId, statistic: statistic)
  series?.checkInvariants()
  return 0
}
