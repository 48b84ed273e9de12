import COpenBLAS

/// BLAS level 3 and LAPACK on `Matrix`. Shapes are checked before any call; LAPACK's
/// `info` is turned into `ForecastingError`.
extension Matrix {
  /// `op(self) * op(other)` by `cblas_dgemm`, where `op` transposes when asked.
  /// - Complexity: O(m * n * k).
  public func multiplied(
    by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false
  ) throws(ForecastingError) -> Matrix {
    let m = transposingSelf ? columns : rows
    let k = transposingSelf ? rows : columns
    let otherK = transposingOther ? other.columns : other.rows
    let n = transposingOther ? other.rows : other.columns
    guard k == otherK else {
      throw .dimensionMismatch(
        operation: "matrix product", expected: "inner dimensions to agree (left has \(k) columns)",
        found: "right has \(otherK) rows")
    }
    var result = Matrix(rows: m, columns: n)
    guard m > 0, n > 0, k > 0 else { return result }
    elements.withUnsafeBufferPointer { a in
      other.elements.withUnsafeBufferPointer { b in
        result.elements.withUnsafeMutableBufferPointer { c in
          cblas_dgemm(
            CblasColMajor, transposingSelf ? CblasTrans : CblasNoTrans,
            transposingOther ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), 1.0, a.baseAddress, Int32(max(1, rows)),
            b.baseAddress, Int32(max(1, other.rows)), 0.0, c.baseAddress, Int32(max(1, m)))
        }
      }
    }
    return result
  }

  /// `self^T * other[0..<self.rows, :]`: the product with only the leading `rows` rows of
  /// a taller `other`, read in place (no copy) through GEMM's leading dimension.
  public func transposedProduct(withLeadingRowsOf other: Matrix) throws(ForecastingError) -> Matrix {
    guard other.rows >= rows else {
      throw .dimensionMismatch(
        operation: "leading-rows product", expected: "a right matrix with at least \(rows) rows", found: "\(other.rows) rows")
    }
    var result = Matrix(rows: columns, columns: other.columns)
    guard rows > 0, columns > 0, other.columns > 0 else { return result }
    elements.withUnsafeBufferPointer { a in
      other.elements.withUnsafeBufferPointer { b in
        result.elements.withUnsafeMutableBufferPointer { c in
          cblas_dgemm(
            CblasColMajor, CblasTrans, CblasNoTrans, Int32(columns), Int32(other.columns), Int32(rows), 1.0,
            a.baseAddress, Int32(rows), b.baseAddress, Int32(other.rows), 0.0, c.baseAddress, Int32(columns))
        }
      }
    }
    return result
  }

  /// `self^T * self` (the Gram matrix, `columns x columns`, symmetric, both triangles
  /// filled) by `cblas_dsyrk`. - Complexity: O(rows * columns^2 / 2).
  public func gram() -> Matrix {
    var result = Matrix(rows: columns, columns: columns)
    guard columns > 0, rows > 0 else { return result }
    elements.withUnsafeBufferPointer { a in
      result.elements.withUnsafeMutableBufferPointer { c in
        cblas_dsyrk(
          CblasColMajor, CblasLower, CblasTrans, Int32(columns), Int32(rows), 1.0,
          a.baseAddress, Int32(rows), 0.0, c.baseAddress, Int32(columns))
      }
    }
    result.mirrorLowerTriangle()
    return result
  }

  /// Copies the lower triangle onto the upper one.
  mutating func mirrorLowerTriangle() {
    precondition(rows == columns, "mirrorLowerTriangle needs a square matrix, got \(rows)x\(columns)")
    for j in 0..<columns { for i in 0..<j { elements[i + j * rows] = elements[j + i * rows] } }
  }

  /// Solves `self * X = b` for symmetric positive definite `self` by Cholesky
  /// (`LAPACKE_dpotrf` then `LAPACKE_dpotrs`); only the lower triangle is read.
  /// Throws `.notPositiveDefinite` when the factorization breaks down.
  /// - Complexity: O(n^3 / 3 + n^2 * b.columns).
  public func choleskySolve(_ b: Matrix) throws(ForecastingError) -> Matrix {
    guard rows == columns else {
      throw .dimensionMismatch(operation: "Cholesky solve", expected: "a square matrix", found: "\(rows) x \(columns)")
    }
    guard b.rows == rows else {
      throw .dimensionMismatch(
        operation: "Cholesky solve", expected: "a right-hand side with \(rows) rows", found: "\(b.rows) rows")
    }
    guard rows > 0, b.columns > 0 else { return b }
    var factor = elements
    var solution = b.elements
    let n = Int32(rows)
    let lower = Int8(UInt8(ascii: "L"))
    let info = factor.withUnsafeMutableBufferPointer { a in
      LAPACKE_dpotrf(LAPACK_COL_MAJOR, lower, n, a.baseAddress, n)
    }
    if info > 0 { throw .notPositiveDefinite(operation: "Cholesky solve", order: Int(info)) }
    if info < 0 { throw .lapackFailure(routine: "LAPACKE_dpotrf", info: Int(info)) }
    let solveInfo = factor.withUnsafeBufferPointer { a in
      solution.withUnsafeMutableBufferPointer { x in
        LAPACKE_dpotrs(LAPACK_COL_MAJOR, lower, n, Int32(b.columns), a.baseAddress, n, x.baseAddress, n)
      }
    }
    if solveInfo != 0 { throw .lapackFailure(routine: "LAPACKE_dpotrs", info: Int(solveInfo)) }
    return try Matrix(rows: b.rows, columns: b.columns, columnMajor: solution)
  }

  /// The least-squares solution of `self * X ≈ b` (`rows >= columns`, full column rank) by
  /// QR (`LAPACKE_dgels`): slower than the normal equations but stable when `self^T self`
  /// is ill-conditioned. Throws `.lapackFailure` with a positive `info` when rank deficient.
  /// - Complexity: O(rows * columns^2).
  public func leastSquares(_ b: Matrix) throws(ForecastingError) -> Matrix {
    guard b.rows == rows else {
      throw .dimensionMismatch(
        operation: "least squares", expected: "a right-hand side with \(rows) rows", found: "\(b.rows) rows")
    }
    guard rows >= columns else {
      throw .dimensionMismatch(
        operation: "least squares", expected: "at least as many rows as columns (\(columns))", found: "\(rows) rows")
    }
    guard columns > 0, b.columns > 0 else { return Matrix(rows: columns, columns: b.columns) }
    var a = elements
    var x = b.elements
    let info = a.withUnsafeMutableBufferPointer { ap in
      x.withUnsafeMutableBufferPointer { xp in
        LAPACKE_dgels(
          LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int32(rows), Int32(columns), Int32(b.columns),
          ap.baseAddress, Int32(rows), xp.baseAddress, Int32(rows))
      }
    }
    if info != 0 { throw .lapackFailure(routine: "LAPACKE_dgels", info: Int(info)) }
    var solution = Matrix(rows: columns, columns: b.columns)
    for j in 0..<b.columns { for i in 0..<columns { solution.elements[i + j * columns] = x[i + j * rows] } }
    return solution
  }
}
