import COpenBLAS
import Testing

/// OpenBLAS is installed by the README's set-up commands; these checks prove the module
/// map links cblas and lapacke, against naive loops and a hand-solved system.
@Suite struct BLASLinkTests {
  @Test("cblas_dgemm agrees with a naive triple loop on a 3x4 by 4x2 product")
  func dgemmMatchesNaiveLoop() {
    let m = 3, k = 4, n = 2
    let a: [Double] = (0..<(m * k)).map { Double($0 % 5) - 1.5 }  // row-major m x k
    let b: [Double] = (0..<(k * n)).map { Double($0 % 3) + 0.25 }  // row-major k x n
    var c = [Double](repeating: 0, count: m * n)
    cblas_dgemm(
      CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
      1.0, a, Int32(k), b, Int32(n), 0.0, &c, Int32(n))
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        for p in 0..<k { sum += a[i * k + p] * b[p * n + j] }
        #expect(abs(c[i * n + j] - sum) < 1e-12)
      }
    }
  }

  @Test("LAPACKE_dposv solves a hand-computed 2x2 positive definite system")
  func choleskySolve() {
    // [4 2; 2 3] x = [2; 5]  =>  x = [-0.5, 2]
    var a: [Double] = [4, 2, 2, 3]
    var b: [Double] = [2, 5]
    let info = LAPACKE_dposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), 2, 1, &a, 2, &b, 1)
    #expect(info == 0)
    #expect(abs(b[0] + 0.5) < 1e-12)
    #expect(abs(b[1] - 2.0) < 1e-12)
  }
}
