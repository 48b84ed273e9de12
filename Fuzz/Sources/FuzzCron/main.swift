import AutoScaling
import Foundation
import FuzzSupport

let start = Date(timeIntervalSince1970: 1_772_323_200)  // 2026-03-01T00:00:00Z
let end = start.addingTimeInterval(8 * 86_400)
let zones = ["UTC", "Asia/Seoul", "America/New_York", "Australia/Lord_Howe"].map { TimeZone(identifier: $0)! }

/// Selector byte: the zone of the firing dates; then the expression. A valid expression
/// is expanded over eight days, checked to fire in order inside the window.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCron(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var input = FuzzInput(data, size)
  let zone = zones[Int(input.takeSelector() & 3)]
  guard let cron = try? CronExpression(input.text) else { return 0 }
  let dates = cron.firingDates(from: start, to: end, in: zone)
  precondition(zip(dates, dates.dropFirst()).allSatisfy { $0 < $1 }, "firings out of order for '\(cron)'")
  precondition(dates.allSatisfy { $0 >= start && $0 < end }, "firing outside the window for '\(cron)'")
  return 0
}
