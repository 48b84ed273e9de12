import Foundation
import Testing

@testable import CivilCalendar

@Suite struct CivilTimeTests {
  @Test("day numbers agree with Foundation's Gregorian calendar in UTC, both ways, 1900...2200")
  func dayNumbersMatchFoundation() throws {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
    for days in stride(from: -25_567, through: 84_000, by: 97) {
      let date = Date(timeIntervalSince1970: Double(days) * CivilTime.secondsPerDay)
      let c = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
      let civil = CivilTime.civilFromDays(days)
      #expect(civil == (c.year!, c.month!, c.day!))
      #expect(CivilTime.daysFromCivil(year: civil.year, month: civil.month, day: civil.day) == days)
      #expect(CivilTime.weekday(ofDay: days) == c.weekday! - 1)
    }
  }

  @Test("month lengths follow the Gregorian leap-year rule", arguments: [(1900, 28), (2000, 29), (2024, 29), (2026, 28)])
  func february(year: Int, days: Int) {
    #expect(CivilTime.daysInMonth(year: year, month: 2) == days)
  }

  @Test("a local time skipped by a daylight-saving jump has no instant; a repeated one maps to the earlier")
  func daylightSaving() throws {
    let newYork = try #require(TimeZone(identifier: "America/New_York"))
    let springDay = CivilTime.daysFromCivil(year: 2026, month: 3, day: 8)
    let skipped = Double(springDay * LocalTime.secondsPerDay + 2 * 3_600 + 30 * 60)
    #expect(LocalTime.instant(localSeconds: skipped, in: newYork) == nil)
    let fallDay = CivilTime.daysFromCivil(year: 2026, month: 11, day: 1)
    let repeated = Double(fallDay * LocalTime.secondsPerDay + 3_600 + 30 * 60)
    #expect(LocalTime.instant(localSeconds: repeated, in: newYork) == repeated + 4 * 3_600)  // EDT, UTC-4
  }
}
