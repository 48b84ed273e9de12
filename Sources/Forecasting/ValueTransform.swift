import Foundation

/// The scale the regression works on. `log` fits `log(y + offset)`, which turns
/// multiplicative seasonality (peaks that grow with the level) into additive terms;
/// `offset` keeps zeros finite.
struct ValueTransform: Sendable, Equatable {
  var isLog: Bool
  var offset: Double

  static let identity = ValueTransform(isLog: false, offset: 0)

  /// A log transform with offset 5% of the mean of the finite values (at least 1e-6).
  static func log(for values: [Double]) -> ValueTransform {
    var sum = 0.0, count = 0
    for v in values where v.isFinite { sum += v; count += 1 }
    return ValueTransform(isLog: true, offset: max(1e-6, 0.05 * sum / Double(max(1, count))))
  }

  func forward(_ y: Double) -> Double {
    guard isLog else { return y }
    return y + offset > 0 ? Foundation.log(y + offset) : .nan
  }

  func inverse(_ z: Double) -> Double {
    isLog ? max(0, exp(z) - offset) : z
  }
}
