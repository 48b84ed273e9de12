import Foundation
import Testing

@testable import Workload

@Suite struct FoodDeliveryDemandGeneratorTests {
  /// 2026-01-05 is a Monday.
  static let monday = instant("2026-01-05T00:00:00Z")

  static func generator(
    timeZone: TimeZone = utc, days: Int = 7, noiseSigma: Double = 0,
    promotions: [FoodDeliveryDemandGenerator.Promotion] = [], holidays: [FoodDeliveryDemandGenerator.Holiday] = []
  ) throws -> FoodDeliveryDemandGenerator {
    try FoodDeliveryDemandGenerator(
      start: monday, timeZone: timeZone, days: days, baselineUnitsPerMinute: 2000, noiseSigma: noiseSigma,
      promotions: promotions, holidays: holidays)
  }

  /// The peer script's formula, written out independently.
  static func peerShape(hour h: Double) -> Double {
    0.15 + 5 * exp(-((h - 12) * (h - 12)) / 1.2) + 7 * exp(-((h - 18.5) * (h - 18.5)) / 1.8)
  }

  @Test("same seed, same series; another seed, another series")
  func determinism() throws {
    let generator = try Self.generator(noiseSigma: 0.05)
    var first = SplitMix64(seed: 1), second = SplitMix64(seed: 1), other = SplitMix64(seed: 2)
    let a = generator.generate(using: &first)
    let b = generator.generate(using: &second)
    let c = generator.generate(using: &other)
    #expect(a == b)
    #expect(a != c)
    #expect(a.count == 7 * 1440)
    #expect(a.intervalSeconds == 60)
    #expect(a.start == Self.monday)
  }

  @Test("without noise the weekday curve is the peer's formula times the baseline")
  func matchesPeerFormula() throws {
    var rng = SplitMix64(seed: 9)
    let series = try Self.generator().generate(using: &rng)
    for minute in [0, 4 * 60, 11 * 60 + 17, 12 * 60, 18 * 60 + 30, 23 * 60 + 59] {
      let expected = 2000 * Self.peerShape(hour: Double(minute) / 60)
      #expect(isClose(series.valuesPerMinute[minute], expected, relative: 1e-13))
    }
  }

  @Test("lunch and dinner peaks are far above 4 am; dinner is the highest")
  func peaks() throws {
    var rng = SplitMix64(seed: 3)
    let series = try Self.generator(noiseSigma: 0.05).generate(using: &rng)
    let fourAM = series.valuesPerMinute[4 * 60]
    let lunch = series.valuesPerMinute[12 * 60]
    let dinner = series.valuesPerMinute[18 * 60 + 30]
    #expect(lunch > 20 * fourAM)  // 5.15 / 0.15 = 34 without noise
    #expect(dinner > lunch)
    let busiest = series.valuesPerMinute[0..<1440].indices.max { series.valuesPerMinute[$0] < series.valuesPerMinute[$1] }
    #expect(abs(busiest! - (18 * 60 + 30)) < 45)
  }

  @Test("Saturday and Sunday are weekend-multiplier busier than Monday at the same hour")
  func weekend() throws {
    var rng = SplitMix64(seed: 3)
    let series = try Self.generator().generate(using: &rng)
    for minuteOfDay in [4 * 60, 12 * 60, 18 * 60 + 30] {
      let monday = series.valuesPerMinute[minuteOfDay]
      let saturday = series.valuesPerMinute[5 * 1440 + minuteOfDay]
      let sunday = series.valuesPerMinute[6 * 1440 + minuteOfDay]
      let friday = series.valuesPerMinute[4 * 1440 + minuteOfDay]
      #expect(isClose(saturday, 1.3 * monday))
      #expect(isClose(sunday, 1.3 * monday))
      #expect(friday == monday)
    }
  }

  @Test("peaks follow local wall-clock time: Seoul lunch is at 03:00Z")
  func timeZone() throws {
    var rng = SplitMix64(seed: 3)
    let seoul = try Self.generator(timeZone: TimeZone(identifier: "Asia/Seoul")!, days: 1).generate(using: &rng)
    #expect(isClose(seoul.valuesPerMinute[3 * 60], 2000 * Self.peerShape(hour: 12)))
  }

  @Test("across a DST change the lunch peak stays at local noon")
  func daylightSaving() throws {
    // New York springs forward on 2026-03-08: noon is 17:00Z on Saturday the 7th, 16:00Z on the 8th.
    let generator = try FoodDeliveryDemandGenerator(
      start: instant("2026-03-07T05:00:00Z"), timeZone: newYork, days: 2, baselineUnitsPerMinute: 100,
      weekendMultiplier: 1, noiseSigma: 0)
    var rng = SplitMix64(seed: 1)
    let series = generator.generate(using: &rng)
    let saturdayNoon = 12 * 60  // 17:00Z
    let sundayNoon = 35 * 60  // 16:00Z on the 8th: 24 h + 11 h after the start
    #expect(isClose(series.valuesPerMinute[saturdayNoon], 100 * Self.peerShape(hour: 12)))
    #expect(isClose(series.valuesPerMinute[sundayNoon], 100 * Self.peerShape(hour: 12)))
  }

  @Test("a promotion multiplies the intervals it covers, pro rata at its edges")
  func promotion() throws {
    let promotion = FoodDeliveryDemandGenerator.Promotion(
      start: instant("2026-01-05T12:00:30Z"), durationSeconds: 120, multiplier: 3)
    var rng = SplitMix64(seed: 1)
    let series = try Self.generator(days: 1, promotions: [promotion]).generate(using: &rng)
    let plain = (0..<4).map { 2000 * Self.peerShape(hour: 12 + Double($0) / 60) }
    #expect(isClose(series.valuesPerMinute[720], plain[0] * 2))  // half covered: 1 + 2 * 0.5
    #expect(isClose(series.valuesPerMinute[721], plain[1] * 3))
    #expect(isClose(series.valuesPerMinute[722], plain[2] * 2))
    #expect(isClose(series.valuesPerMinute[723], plain[3]))
  }

  @Test("a holiday multiplies its whole local day")
  func holiday() throws {
    let holiday = FoodDeliveryDemandGenerator.Holiday(year: 2026, month: 1, day: 6, multiplier: 0.5)
    var rng = SplitMix64(seed: 1)
    let series = try Self.generator(days: 3, holidays: [holiday]).generate(using: &rng)
    for minute in [0, 720, 1439] {
      #expect(isClose(series.valuesPerMinute[1440 + minute], 0.5 * series.valuesPerMinute[minute]))
      #expect(series.valuesPerMinute[2880 + minute] == series.valuesPerMinute[minute])
    }
  }

  @Test("noise is lognormal with median 1 and the given sigma")
  func noise() throws {
    var rng = SplitMix64(seed: 11)
    let noisy = try Self.generator(days: 14, noiseSigma: 0.05).generate(using: &rng)
    let clean = try Self.generator(days: 14).generate(using: &rng)
    let logs = zip(noisy.valuesPerMinute, clean.valuesPerMinute).map { log($0 / $1) }
    let mean = logs.reduce(0, +) / Double(logs.count)
    let sd = (logs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(logs.count - 1)).squareRoot()
    #expect(abs(mean) < 0.002)  // standard error 0.05 / sqrt(20160) = 0.00035
    #expect(abs(sd - 0.05) < 0.002)
  }

  @Test("nonsense parameters are errors naming the parameter")
  func validation() throws {
    func message(_ make: () throws(WorkloadError) -> FoodDeliveryDemandGenerator) -> String? {
      do {
        _ = try make()
        return nil
      } catch {
        return error.description
      }
    }
    #expect(
      message { () throws(WorkloadError) in
        try FoodDeliveryDemandGenerator(start: Self.monday, timeZone: utc, days: 0, baselineUnitsPerMinute: 1)
      } == "FoodDeliveryDemandGenerator: days should be a whole number of days > 0, found 0")
    #expect(
      message { () throws(WorkloadError) in
        try FoodDeliveryDemandGenerator(
          start: Self.monday, timeZone: utc, days: 1, baselineUnitsPerMinute: 1, noiseSigma: -0.1)
      } == "FoodDeliveryDemandGenerator: noiseSigma should be a number in 0...10, found -0.1")
    #expect(
      message { () throws(WorkloadError) in
        try FoodDeliveryDemandGenerator(
          start: Self.monday, timeZone: utc, days: 1, baselineUnitsPerMinute: 1,
          promotions: [.init(start: Self.monday, durationSeconds: 0, multiplier: 2)])
      } == "FoodDeliveryDemandGenerator: promotions[0].durationSeconds should be a finite number of seconds > 0, found 0.0")
    #expect(
      message { () throws(WorkloadError) in
        try FoodDeliveryDemandGenerator(
          start: Self.monday, timeZone: utc, days: 1, baselineUnitsPerMinute: 1,
          holidays: [.init(year: 2026, month: 2, day: 29, multiplier: 2)])
      } == "FoodDeliveryDemandGenerator: holidays[0] should be a real calendar date, found 2026-2-29")
    #expect(
      message { () throws(WorkloadError) in
        try FoodDeliveryDemandGenerator(
          start: Self.monday, timeZone: utc, days: 1, baselineUnitsPerMinute: 1,
          lunchPeak: .init(localHour: 25, height: 5, widthHours: 1))
      } == "FoodDeliveryDemandGenerator: lunchPeak.localHour should be an hour in [0, 24), found 25.0")
    #expect(
      message { () throws(WorkloadError) in
        try FoodDeliveryDemandGenerator(start: Self.monday, timeZone: utc, days: 1, baselineUnitsPerMinute: 1e308)
      } != nil)
    #expect(
      message { () throws(WorkloadError) in
        try FoodDeliveryDemandGenerator(
          start: Self.monday, timeZone: utc, days: 1_000_000, baselineUnitsPerMinute: 1)
      } != nil)
  }
}
