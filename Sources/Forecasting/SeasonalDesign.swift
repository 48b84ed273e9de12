import Foundation

/// The regression's columns for one set of orders, laid out in a fixed order:
/// intercept, trend, one hinge per changepoint, a level-shift step (when one was detected:
/// 1 from that point index on, 0 before), holiday terms (when a calendar is given:
/// a shared indicator, one indicator per holiday name in `holidayNames`, then sin/cos
/// pairs of the shared indicator times daily harmonics 1...holidayShapeOrder), daily Fourier pairs (sin, cos) for k = 1...dailyOrder, then weekly pairs for
/// k = 1...weeklyOrder skipping multiples of 7 (those are daily harmonics already).
///
/// Time enters as absolute seconds since 1970, so the seasonal phase does not depend on
/// where a training window starts; the trend runs over `s = index / trendSpan`
/// (0 at the first training point, 1 at the end of training), and changepoints sit evenly
/// on `0 < s < changepointRange`.
struct SeasonalDesign: Sendable, Equatable {
  var dailyOrder: Int
  var weeklyOrder: Int
  var changepointCount: Int
  var changepointRange: Double = 0.9
  /// Point index (from the series start) where a detected level shift begins; nil for none.
  var levelShiftIndex: Int? = nil
  var hasHoliday: Bool
  /// Distinct holiday names with a column each (deviations from the shared effect).
  var holidayNames: [String] = []
  /// Daily harmonics 1...k of the holiday indicator: a holiday's own daily shape.
  var holidayShapeOrder: Int = 0

  static let secondsPerDay = 86_400.0
  static let secondsPerWeek = 604_800.0

  var weeklyHarmonics: [Int] { (0..<max(0, weeklyOrder)).map { $0 + 1 }.filter { $0 % 7 != 0 } }
  var holidayColumnCount: Int { hasHoliday ? 1 + holidayNames.count + 2 * holidayShapeOrder : 0 }
  var levelShiftColumnCount: Int { levelShiftIndex == nil ? 0 : 1 }
  var baseColumnCount: Int { 2 + changepointCount + levelShiftColumnCount + holidayColumnCount }
  var columnCount: Int { baseColumnCount + 2 * dailyOrder + 2 * weeklyHarmonics.count }

  /// Ridge weight of each column relative to the base penalty: 0 for intercept and slope,
  /// `changepointWeight` for hinges, 1 for the rest (the level shift too, so that a
  /// prefix before the shift, where its column is all 0, leaves it at 0).
  func penaltyWeights(changepointWeight: Double) -> [Double] {
    var weights = [0.0, 0.0] + [Double](repeating: changepointWeight, count: changepointCount)
    weights += [Double](repeating: 1, count: columnCount - weights.count)
    return weights
  }

  /// Columns (indices into this design) that a smaller design `sub` (same trend and
  /// holiday settings) uses; the Gram of `sub` is that submatrix of this design's Gram.
  func columnIndices(of sub: SeasonalDesign) -> [Int] {
    precondition(sub.dailyOrder <= dailyOrder && sub.weeklyOrder <= weeklyOrder, "sub-design \(sub) exceeds \(self)")
    var indices = Array(0..<baseColumnCount)
    indices += (0..<(2 * sub.dailyOrder)).map { baseColumnCount + $0 }
    let weeklyStart = baseColumnCount + 2 * dailyOrder
    for (position, k) in weeklyHarmonics.enumerated() where k <= sub.weeklyOrder {
      indices += [weeklyStart + 2 * position, weeklyStart + 2 * position + 1]
    }
    return indices
  }

  /// Rows for the given point indices (points are `startSeconds + index * intervalSeconds`).
  func matrix(
    indices: [Int], startSeconds: Double, intervalSeconds: Double, trendSpan: Int,
    holidays: HolidayCalendar?
  ) -> Matrix {
    let n = indices.count
    var x = Matrix(rows: n, columns: columnCount)
    let span = Double(max(1, trendSpan))
    let changepoints = (0..<changepointCount).map { Double($0 + 1) / Double(changepointCount + 1) * changepointRange }
    let weekly = weeklyHarmonics
    let nameColumns = Dictionary(uniqueKeysWithValues: holidayNames.enumerated().map { ($1, $0) })
    x.elements.withUnsafeMutableBufferPointer { e in
      for (row, index) in indices.enumerated() {
        let s = Double(index) / span
        e[row] = 1
        e[row + n] = s
        for (c, point) in changepoints.enumerated() { e[row + (2 + c) * n] = max(0, s - point) }
        let seconds = startSeconds + Double(index) * intervalSeconds
        var column = 2 + changepointCount
        if let levelShiftIndex {
          e[row + column * n] = index >= levelShiftIndex ? 1 : 0
          column += 1
        }
        if hasHoliday, let holidays, let name = holidays.holidayName(on: Date(timeIntervalSince1970: seconds)) {
          e[row + column * n] = 1
          if let k = nameColumns[name] { e[row + (column + 1 + k) * n] = 1 }
          if holidayShapeOrder > 0 {
            let angle = 2 * Double.pi * seconds.truncatingRemainder(dividingBy: Self.secondsPerDay) / Self.secondsPerDay
            var shapeColumn = column + 1 + holidayNames.count
            for k in 1...holidayShapeOrder {
              e[row + shapeColumn * n] = sin(Double(k) * angle)
              e[row + (shapeColumn + 1) * n] = cos(Double(k) * angle)
              shapeColumn += 2
            }
          }
        }
        column += holidayColumnCount
        // Harmonics by rotation: (cos kθ, sin kθ) from (cos θ, sin θ), two trig calls per period.
        let dayAngle = 2 * Double.pi * seconds.truncatingRemainder(dividingBy: Self.secondsPerDay) / Self.secondsPerDay
        let (c1, s1) = (cos(dayAngle), sin(dayAngle))
        var (ck, sk) = (c1, s1)
        for _ in 0..<dailyOrder {
          e[row + column * n] = sk
          e[row + (column + 1) * n] = ck
          column += 2
          (ck, sk) = (ck * c1 - sk * s1, sk * c1 + ck * s1)
        }
        if !weekly.isEmpty {
          let weekAngle = 2 * Double.pi * seconds.truncatingRemainder(dividingBy: Self.secondsPerWeek) / Self.secondsPerWeek
          let (w1c, w1s) = (cos(weekAngle), sin(weekAngle))
          var (wc, ws) = (w1c, w1s)
          var k = 1
          for harmonic in weekly {
            while k < harmonic {
              (wc, ws) = (wc * w1c - ws * w1s, ws * w1c + wc * w1s)
              k += 1
            }
            e[row + column * n] = ws
            e[row + (column + 1) * n] = wc
            column += 2
          }
        }
      }
    }
    return x
  }
}

extension SeasonalDesign {
  /// The design for these orders under `configuration`'s trend and holiday settings.
  init(dailyOrder: Int, weeklyOrder: Int, configuration: SeasonalRegressionConfiguration, levelShiftIndex: Int? = nil) {
    let names = configuration.fitsEachHoliday ? configuration.holidays.map { Set($0.namesByDay.values).sorted() } ?? [] : []
    self.init(
      dailyOrder: dailyOrder, weeklyOrder: weeklyOrder, changepointCount: configuration.changepointCount,
      levelShiftIndex: levelShiftIndex, hasHoliday: configuration.holidays != nil,
      holidayNames: names, holidayShapeOrder: max(0, configuration.holidayDailyOrder))
  }
}
