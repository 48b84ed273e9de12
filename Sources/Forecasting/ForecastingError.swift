/// Everything that can go wrong in Forecasting: bad shapes, singular systems, unusable
/// series. Each case carries what was being done, what was expected and what was found;
/// `description` is the sentence the user reads.
public enum ForecastingError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Two matrices (or a matrix and an array) whose shapes do not fit an operation.
  case dimensionMismatch(operation: String, expected: String, found: String)
  /// Cholesky factorization failed: the leading minor of `order` is not positive.
  case notPositiveDefinite(operation: String, order: Int)
  /// A LAPACK routine reported an illegal argument or a rank-deficient system.
  case lapackFailure(routine: String, info: Int)
  /// An argument outside its allowed range.
  case invalidArgument(name: String, expected: String, found: String)
  /// Too few usable observations for the requested model.
  case tooShort(what: String, expected: Int, found: Int)
  /// Every usable observation has the same value: no seasonality or trend to fit.
  case constantSeries(value: Double)
  /// No finite observation at all.
  case noObservations(count: Int)

  public var description: String {
    switch self {
    case .dimensionMismatch(let operation, let expected, let found):
      return "\(operation): expected \(expected), found \(found)."
    case .notPositiveDefinite(let operation, let order):
      return "\(operation): the matrix is not positive definite (leading minor of order \(order) is not positive)."
    case .lapackFailure(let routine, let info):
      return info < 0
        ? "\(routine): argument \(-info) had an illegal value."
        : "\(routine): the system is rank deficient (diagonal element \(info) of the triangular factor is zero)."
    case .invalidArgument(let name, let expected, let found):
      return "'\(name)' should be \(expected), found \(found)."
    case .tooShort(let what, let expected, let found):
      return "\(what) needs at least \(expected) finite observations, found \(found)."
    case .constantSeries(let value):
      return "The series is constant (every finite value is \(value)); there is nothing to fit. Forecast it as that constant."
    case .noObservations(let count):
      return "None of the \(count) values is a finite number (all NaN or infinite)."
    }
  }
}
