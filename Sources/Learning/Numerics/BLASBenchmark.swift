import MonotonicTime

/// Throughput of the trainer's matrix products, for `furuta bench` and the design notes.
public enum BLASBenchmark {
    /// GFLOP/s of C = A·B with A m×k, B k×n (2mnk flops per product), best of `rounds`
    /// rounds of `repeats` products, with OpenBLAS pinned to `threads`.
    public static func sgemmGFLOPS(m: Int = 4096, n: Int = 64, k: Int = 64, threads: Int = 1,
                                   repeats: Int = 50, rounds: Int = 5) -> Double {
        BLAS.setThreadCount(threads)
        var rng = Xoshiro256StarStar(seed: 42)
        let a = Matrix(rows: m, columns: k, values: (0..<m * k).map { _ in Float(rng.nextGaussian()) })
        let b = Matrix(rows: k, columns: n, values: (0..<k * n).map { _ in Float(rng.nextGaussian()) })
        var c = Matrix(rows: m, columns: n)
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = MonotonicClock.seconds()
            for _ in 0..<repeats {
                a.values.withUnsafeBufferPointer { pa in
                    b.values.withUnsafeBufferPointer { pb in
                        c.values.withUnsafeMutableBufferPointer { pc in
                            BLAS.gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                                      c: pc.baseAddress!, ldc: n)
                        }
                    }
                }
            }
            best = min(best, (MonotonicClock.seconds() - start) / Double(repeats))
        }
        return 2 * Double(m) * Double(n) * Double(k) / best / 1e9
    }
}
