import Parallel

/// `transform` over `items` on all cores (`Parallel.map`), results in input order; the
/// first error (by index) is rethrown.
func parallelMap<T: Sendable, R: Sendable>(
  _ items: [T], _ transform: @Sendable (T) throws(ForecastingError) -> R
) throws(ForecastingError) -> [R] {
  try Parallel.map(count: items.count) { i throws(ForecastingError) in try transform(items[i]) }
}
