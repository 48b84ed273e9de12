/// Minimizes a convex function over a box with linear constraints by the deep-cut ellipsoid
/// method, and proves how close it got.
///
/// Why this and not a simplex LP: the commitment problem has few decision variables (one
/// per family-bound instrument plus the Compute plan: 2 to about 12) but, written as an LP,
/// three variables per family and hour (131,400 for 5 families x 8,760 hours; the HiGHS peer
/// solves exactly that). Its cost function and a subgradient are cheap to evaluate exactly
/// (PortfolioCostModel, one pass over the hours), so an oracle method in the small space
/// wins. The ellipsoid method needs nothing but the oracle, shrinks its volume by a fixed
/// factor per step, and gives a certificate: the optimum x* stays inside the ellipsoid E,
/// so for any query point y with subgradient g, f(x*) >= f(y) + min over E of g.(x - y) =
/// f(y) - sqrt(g' P g). The run stops when the best value found is within `tolerance` of the
/// largest such lower bound, so the answer is optimal up to a proven gap (reported).
/// Kelley's cutting-plane method would need an LP solver per step; the level and bundle
/// methods a QP. Hand-written because no maintained Swift package offers either.
struct EllipsoidMinimizer {
  struct Result {
    var x: [Double]
    var value: Double
    /// A proven lower bound on the minimum.
    var lowerBound: Double
    var iterations: Int
  }

  /// a . x <= b
  struct LinearConstraint {
    var a: [Double]
    var b: Double
  }

  var upperBounds: [Double]
  var constraints: [LinearConstraint] = []
  /// Stop when best - lowerBound <= absoluteTolerance.
  var absoluteTolerance: Double
  var maxIterations: Int = 200_000

  /// `oracle(x)` returns f(x) and a subgradient at x. The point x = 0 must be feasible.
  func minimize(startingAt start: [Double]? = nil, _ oracle: ([Double]) -> (Double, [Double])) -> Result {
    let dimension = upperBounds.count
    let zero = [Double](repeating: 0, count: dimension)
    var (bestValue, _) = oracle(zero)
    var best = zero
    if let start, start != zero, isFeasible(start) {
      let (value, _) = oracle(start)
      if value < bestValue { (bestValue, best) = (value, start) }
    }
    // Variables with no room are fixed at 0; the rest are scaled to [0, 1].
    let free = (0..<dimension).filter { upperBounds[$0] > 0 }
    guard !free.isEmpty else { return Result(x: best, value: bestValue, lowerBound: bestValue, iterations: 0) }
    // The method needs n >= 2; a lone variable gets a dummy partner with zero gradient.
    let n = max(2, free.count)
    let scale = free.map { upperBounds[$0] }
    func point(_ y: [Double]) -> [Double] {
      var x = zero
      for (k, j) in free.enumerated() { x[j] = y[k] * scale[k] }
      return x
    }
    var center = [Double](repeating: 0.5, count: n)
    if free.count == 1 { center[1] = 0 }
    // A ball of radius sqrt(n)/2 around the cube's center contains the cube.
    var shape = [Double](repeating: 0, count: n * n)
    for i in 0..<n { shape[i * n + i] = Double(n) / 4 }
    var lowerBound = -Double.infinity
    var iterations = 0
    var g = [Double](repeating: 0, count: n)
    var pg = [Double](repeating: 0, count: n)
    let scaledConstraints = constraints.map { c in (a: free.enumerated().map { c.a[$0.element] * scale[$0.offset] }, b: c.b) }

    while iterations < maxIterations {
      iterations += 1
      // The cut g . (y - center) <= -h.
      var h = 0.0
      var isObjectiveCut = false
      var value = 0.0
      if let j = (0..<free.count).first(where: { center[$0] < 0 }) {
        for k in 0..<n { g[k] = 0 }
        g[j] = -1
        h = -center[j]
      } else if let j = (0..<free.count).first(where: { center[$0] > 1 }) {
        for k in 0..<n { g[k] = 0 }
        g[j] = 1
        h = center[j] - 1
      } else if let c = scaledConstraints.first(where: { dot($0.a, center) > $0.b }) {
        for k in 0..<n { g[k] = k < free.count ? c.a[k] : 0 }
        h = dot(c.a, center) - c.b
      } else {
        isObjectiveCut = true
        let x = point(center)
        let (fx, gx) = oracle(x)
        value = fx
        for k in 0..<n { g[k] = k < free.count ? gx[free[k]] * scale[k] : 0 }
        if fx < bestValue {
          bestValue = fx
          best = x
        }
        h = fx - bestValue
      }
      // pg = P g, norm = sqrt(g' P g)
      var gpg = 0.0
      for i in 0..<n {
        var s = 0.0
        for k in 0..<n { s += shape[i * n + k] * g[k] }
        pg[i] = s
        gpg += g[i] * s
      }
      if !(gpg > 0) {
        // A zero subgradient: the center minimizes f over the feasible set.
        if isObjectiveCut { lowerBound = max(lowerBound, value) }
        break
      }
      let norm = gpg.squareRoot()
      if isObjectiveCut {
        lowerBound = max(lowerBound, value - norm)
        if bestValue - lowerBound <= absoluteTolerance { break }
      }
      let alpha = h / norm
      if alpha >= 1 {
        // No point of E satisfies the cut: for an objective cut the best point is optimal
        // (every point of E is at least bestValue); a constraint cut cannot miss E because
        // x* is feasible and inside it, so this is rounding: stop with what we have.
        if isObjectiveCut { lowerBound = max(lowerBound, bestValue) }
        break
      }
      let nn = Double(n)
      let step = (1 + nn * alpha) / (nn + 1)
      let shrink = nn * nn * (1 - alpha * alpha) / (nn * nn - 1)
      let rankOne = 2 * (1 + nn * alpha) / ((nn + 1) * (1 + alpha))
      for i in 0..<n { center[i] -= step * pg[i] / norm }
      for i in 0..<n {
        for k in i..<n {
          let updated = shrink * (shape[i * n + k] - rankOne * pg[i] * pg[k] / gpg)
          shape[i * n + k] = updated
          shape[k * n + i] = updated
        }
      }
    }
    return Result(x: best, value: bestValue, lowerBound: min(lowerBound, bestValue), iterations: iterations)
  }

  func isFeasible(_ x: [Double]) -> Bool {
    for (j, value) in x.enumerated() where value < 0 || value > upperBounds[j] { return false }
    return constraints.allSatisfy { dot($0.a, x) <= $0.b }
  }
}

@inline(__always)
func dot(_ a: [Double], _ b: [Double]) -> Double {
  var s = 0.0
  for i in 0..<min(a.count, b.count) { s += a[i] * b[i] }
  return s
}
