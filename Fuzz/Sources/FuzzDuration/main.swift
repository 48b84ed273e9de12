import FuzzSupport
import Simulation

/// Any text: nil, or a finite number of seconds whose magnitude is below 1e12 weeks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDuration(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = FuzzInput(data, size).text
  if let seconds = SimTime.parse(text) {
    precondition(seconds.isFinite && abs(seconds) < 1e12 * 604_800, "'\(text)' parsed to \(seconds)")
  }
  return 0
}
