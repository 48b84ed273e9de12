import COpenBLAS

/// A dense matrix of `Double` in **column-major** order (LAPACK's natural layout): element
/// `(row, column)` lives at `elements[row + column * rows]`.
///
///     let a = Matrix(rows: 2, columns: 2, rowMajor: [4, 2, 2, 3])
///     let x = try a.choleskySolve(Matrix(column: [2, 5]))  // [-0.5, 2]
///
/// BLAS and LAPACK calls live in `Matrix+BLAS.swift`; they check shapes and LAPACK's
/// `info` and throw `ForecastingError` instead of trapping. This is the only place in capsim
/// that touches `COpenBLAS`.
public struct Matrix: Sendable, Equatable {
  /// Number of rows (>= 0).
  public let rows: Int
  /// Number of columns (>= 0).
  public let columns: Int
  /// `rows * columns` values, column after column.
  public internal(set) var elements: [Double]

  /// A `rows x columns` matrix filled with `value`.
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "Matrix shape must be >= 0, got \(rows)x\(columns)")
    self.rows = rows
    self.columns = columns
    self.elements = [Double](repeating: value, count: rows * columns)
  }

  /// Wraps column-major values; throws when `columnMajor.count != rows * columns`.
  public init(rows: Int, columns: Int, columnMajor: [Double]) throws(ForecastingError) {
    guard rows >= 0, columns >= 0, columnMajor.count == rows * columns else {
      throw .dimensionMismatch(
        operation: "Matrix(rows:columns:columnMajor:)", expected: "\(rows) x \(columns) = \(max(0, rows * columns)) values",
        found: "\(columnMajor.count) values")
    }
    self.rows = rows
    self.columns = columns
    self.elements = columnMajor
  }

  /// Reads values given row after row (the way matrices are written on paper).
  public init(rows: Int, columns: Int, rowMajor: [Double]) {
    precondition(rowMajor.count == rows * columns, "rowMajor has \(rowMajor.count) values, need \(rows * columns)")
    self.init(rows: rows, columns: columns)
    for i in 0..<rows { for j in 0..<columns { elements[i + j * rows] = rowMajor[i * columns + j] } }
  }

  /// A one-column matrix.
  public init(column: [Double]) {
    self.rows = column.count
    self.columns = 1
    self.elements = column
  }

  /// The `n x n` identity.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m.elements[i + i * n] = 1 }
    return m
  }

  public subscript(row: Int, column: Int) -> Double {
    get {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index (\(row), \(column)) outside \(rows)x\(columns)")
      return elements[row + column * rows]
    }
    set {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index (\(row), \(column)) outside \(rows)x\(columns)")
      elements[row + column * rows] = newValue
    }
  }

  /// The values of one column.
  public func column(_ j: Int) -> [Double] {
    precondition(j >= 0 && j < columns, "column \(j) outside 0..<\(columns)")
    return Array(elements[(j * rows)..<((j + 1) * rows)])
  }

  /// Each row multiplied by its factor (`factors.count == rows`).
  public func scalingRows(by factors: [Double]) -> Matrix {
    precondition(factors.count == rows, "scalingRows needs \(rows) factors, got \(factors.count)")
    var scaled = self
    for j in 0..<columns { for i in 0..<rows { scaled.elements[i + j * rows] *= factors[i] } }
    return scaled
  }

  /// The transpose, as a new matrix. - Complexity: O(rows * columns).
  public func transposed() -> Matrix {
    var t = Matrix(rows: columns, columns: rows)
    for j in 0..<columns { for i in 0..<rows { t.elements[j + i * columns] = elements[i + j * rows] } }
    return t
  }
}
