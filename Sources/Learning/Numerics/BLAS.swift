import CBLAS

/// The only file that calls OpenBLAS. Row-major single-precision products for the trainer.
public enum BLAS {
    /// Number of threads OpenBLAS may use (`openblas_set_num_threads`). Pin to 1 while
    /// simulation threads run: with busy cores, 2 BLAS threads fell from ~60 to 3.6 GFLOP/s.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }

    /// C ← α·op(A)·op(B) + β·C, row-major (`cblas_sgemm`). op(A) is m×k, op(B) is k×n, C m×n;
    /// `lda`, `ldb`, `ldc` are the row strides of A, B, C as stored.
    @inlinable
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
