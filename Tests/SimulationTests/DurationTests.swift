import Testing

@testable import Simulation

/// The one duration grammar, shared by scenario files and the command line.
@Suite struct DurationTests {
  @Test("number and unit: s, m, h, d, w; decimals and a sign; nothing else")
  func grammar() {
    #expect(SimTime.parse("90s") == 90)
    #expect(SimTime.parse("5m") == 300)
    #expect(SimTime.parse("1.5h") == 5_400)
    #expect(SimTime.parse("28d") == 2_419_200)
    #expect(SimTime.parse("2w") == 1_209_600)
    #expect(SimTime.parse("-10m") == -600)
    for bad in ["", "m", "5", "5 m", "5min", "1:30", "2y", ".5h", "5.h", "1e3s", "1e13s", "0x10s", "5mm"] {
      #expect(SimTime.parse(bad) == nil, "\(bad)")
    }
  }
}
