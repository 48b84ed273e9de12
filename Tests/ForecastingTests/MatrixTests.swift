import Testing
@testable import Forecasting

/// BLAS and LAPACK wrappers against naive loops and hand-solved systems.
@Suite struct MatrixTests {
  static func sample(rows: Int, columns: Int, seed: Int) -> Matrix {
    var m = Matrix(rows: rows, columns: columns)
    for i in 0..<rows { for j in 0..<columns { m[i, j] = Double((i * 7 + j * 3 + seed) % 11) - 5.25 } }
    return m
  }

  static func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = Matrix(rows: a.rows, columns: b.columns)
    for i in 0..<a.rows { for j in 0..<b.columns {
      var sum = 0.0
      for p in 0..<a.columns { sum += a[i, p] * b[p, j] }
      c[i, j] = sum
    } }
    return c
  }

  static func maxDifference(_ a: Matrix, _ b: Matrix) -> Double {
    zip(a.elements, b.elements).map { abs($0 - $1) }.max() ?? 0
  }

  @Test("storage is column-major: (row, column) lives at row + column * rows")
  func columnMajorLayout() {
    let m = Matrix(rows: 2, columns: 3, rowMajor: [1, 2, 3, 4, 5, 6])
    #expect(m.elements == [1, 4, 2, 5, 3, 6])
    #expect(m[1, 2] == 6)
    #expect(m.transposed()[2, 1] == 6)
  }

  @Test("gemm agrees with a naive triple loop for every transpose combination",
        arguments: [(false, false), (true, false), (false, true), (true, true)])
  func gemmMatchesNaiveLoop(transposes: (Bool, Bool)) throws {
    let a = Self.sample(rows: 5, columns: 3, seed: 1)
    let b = Self.sample(rows: 3, columns: 4, seed: 2)
    let left = transposes.0 ? a.transposed() : a
    let right = transposes.1 ? b.transposed() : b
    let product = try left.multiplied(by: right, transposingSelf: transposes.0, transposingOther: transposes.1)
    #expect(Self.maxDifference(product, Self.naiveProduct(a, b)) < 1e-12)
  }

  @Test("syrk's Gram matrix equals A^T A from naive loops, both triangles")
  func gramMatchesNaiveLoop() {
    let a = Self.sample(rows: 7, columns: 4, seed: 3)
    #expect(Self.maxDifference(a.gram(), Self.naiveProduct(a.transposed(), a)) < 1e-12)
  }

  @Test("Cholesky solves a hand-computed 2x2 system")
  func choleskyHandSolved() throws {
    let a = Matrix(rows: 2, columns: 2, rowMajor: [4, 2, 2, 3])
    let x = try a.choleskySolve(Matrix(column: [2, 5]))
    #expect(abs(x[0, 0] + 0.5) < 1e-12 && abs(x[1, 0] - 2) < 1e-12)
  }

  @Test("least squares (QR) recovers exact coefficients of a consistent tall system")
  func leastSquaresRecovers() throws {
    let a = Self.sample(rows: 8, columns: 3, seed: 4)
    let truth = Matrix(column: [1.5, -2, 0.25])
    let b = Self.naiveProduct(a, truth)
    #expect(Self.maxDifference(try a.leastSquares(b), truth) < 1e-10)
    #expect(Self.maxDifference(try a.gram().choleskySolve(try a.multiplied(by: b, transposingSelf: true)), truth) < 1e-9)
  }

  @Test("mismatched shapes are errors naming both sides")
  func mismatchThrows() {
    let a = Matrix(rows: 2, columns: 3)
    #expect(throws: ForecastingError.self) { try a.multiplied(by: Matrix(rows: 2, columns: 2)) }
    #expect(throws: ForecastingError.self) { try Matrix.identity(2).choleskySolve(Matrix(column: [1, 2, 3])) }
    #expect(throws: ForecastingError.self) { try Matrix(rows: 2, columns: 2, columnMajor: [1]) }
    do {
      _ = try a.multiplied(by: Matrix(rows: 2, columns: 2))
    } catch {
      #expect(error.description.contains("left has 3 columns") && error.description.contains("right has 2 rows"))
    }
  }

  @Test("a matrix that is not positive definite is an error, not a crash")
  func notPositiveDefiniteThrows() {
    let indefinite = Matrix(rows: 2, columns: 2, rowMajor: [1, 2, 2, 1])
    #expect(throws: ForecastingError.notPositiveDefinite(operation: "Cholesky solve", order: 2)) {
      try indefinite.choleskySolve(Matrix(column: [1, 1]))
    }
    let rankDeficient = Matrix(rows: 3, columns: 2, rowMajor: [1, 0, 2, 0, 3, 0])
    #expect(throws: ForecastingError.self) { try rankDeficient.leastSquares(Matrix(column: [1, 2, 3])) }
  }
}

@Suite struct LeadingRowsProductTests {
  @Test("the leading-rows product equals A^T times the first rows of B, by naive loops")
  func leadingRows() throws {
    let a = MatrixTests.sample(rows: 4, columns: 3, seed: 5)
    let b = MatrixTests.sample(rows: 7, columns: 2, seed: 6)
    let product = try a.transposedProduct(withLeadingRowsOf: b)
    for i in 0..<3 { for j in 0..<2 {
      var sum = 0.0
      for t in 0..<4 { sum += a[t, i] * b[t, j] }
      #expect(abs(product[i, j] - sum) < 1e-12)
    } }
    #expect(throws: ForecastingError.self) { try b.transposedProduct(withLeadingRowsOf: a) }
  }
}
