/// Layer normalisation (Ba, Kiros & Hinton 2016) over each row of a batch, in place:
///
///     μ_r = (1/n) Σ_i x_ri,   σ_r² = (1/n) Σ_i (x_ri − μ_r)²,   s_r = 1/√(σ_r² + ε)
///     x̂_ri = (x_ri − μ_r)·s_r,   y_ri = γ_i x̂_ri + β_i
///
/// and its backward pass, with g = ∂L/∂y:
///
///     ∂L/∂γ_i += Σ_r g_ri x̂_ri,   ∂L/∂β_i += Σ_r g_ri,   ĝ = g ⊙ γ
///     ∂L/∂x_ri = s_r · (ĝ_ri − mean_i(ĝ_r) − x̂_ri · mean_i(ĝ_r ⊙ x̂_r))
///
/// Rows are summed eight lanes at a time (`SIMD8`; the compiler does not reorder float sums
/// by itself), then the rest one by one.
enum LayerNormalization {
    static func forward(_ x: UnsafeMutablePointer<Float>, rows: Int, width n: Int,
                        gain: UnsafePointer<Float>, shift: UnsafePointer<Float>,
                        normalized: UnsafeMutablePointer<Float>, inverseStd: UnsafeMutablePointer<Float>,
                        epsilon: Float) {
        let invN = 1 / Float(n)
        let vectorEnd = n & ~7
        for r in 0..<rows {
            let row = x + r &* n, hat = normalized + r &* n
            var sum8 = SIMD8<Float>()
            var i = 0
            while i < vectorEnd { sum8 += load(row + i); i &+= 8 }
            var mean = sum8.sum()
            while i < n { mean += row[i]; i &+= 1 }
            mean *= invN
            let mean8 = SIMD8<Float>(repeating: mean)
            var square8 = SIMD8<Float>()
            i = 0
            while i < vectorEnd { let d = load(row + i) - mean8; square8 += d * d; i &+= 8 }
            var variance = square8.sum()
            while i < n { let d = row[i] - mean; variance += d * d; i &+= 1 }
            variance *= invN
            let s = 1 / (variance + epsilon).squareRoot()
            inverseStd[r] = s
            let s8 = SIMD8<Float>(repeating: s)
            i = 0
            while i < vectorEnd {
                let h = (load(row + i) - mean8) * s8
                store(h, hat + i)
                store(load(gain + i) * h + load(shift + i), row + i)
                i &+= 8
            }
            while i < n {
                let h = (row[i] - mean) * s
                hat[i] = h
                row[i] = gain[i] * h + shift[i]
                i &+= 1
            }
        }
    }

    /// `g` holds ∂L/∂y on entry and ∂L/∂x on return.
    static func backward(_ g: UnsafeMutablePointer<Float>, rows: Int, width n: Int, gain: UnsafePointer<Float>,
                         normalized: UnsafePointer<Float>, inverseStd: UnsafePointer<Float>,
                         gainGradient: UnsafeMutablePointer<Float>?, shiftGradient: UnsafeMutablePointer<Float>?) {
        let invN = 1 / Float(n)
        let vectorEnd = n & ~7
        for r in 0..<rows {
            let row = g + r &* n, hat = normalized + r &* n
            if let gainGradient, let shiftGradient {
                var i = 0
                while i < vectorEnd {
                    let gi = load(row + i)
                    store(load(gainGradient + i) + gi * load(hat + i), gainGradient + i)
                    store(load(shiftGradient + i) + gi, shiftGradient + i)
                    i &+= 8
                }
                while i < n {
                    gainGradient[i] += row[i] * hat[i]
                    shiftGradient[i] += row[i]
                    i &+= 1
                }
            }
            var g8 = SIMD8<Float>(), gx8 = SIMD8<Float>()
            var i = 0
            while i < vectorEnd {
                let gh = load(row + i) * load(gain + i)
                g8 += gh
                gx8 += gh * load(hat + i)
                i &+= 8
            }
            var meanG = g8.sum(), meanGX = gx8.sum()
            while i < n {
                let gh = row[i] * gain[i]
                meanG += gh
                meanGX += gh * hat[i]
                i &+= 1
            }
            meanG *= invN
            meanGX *= invN
            let s = inverseStd[r]
            let s8 = SIMD8<Float>(repeating: s), meanG8 = SIMD8<Float>(repeating: meanG), meanGX8 = SIMD8<Float>(repeating: meanGX)
            i = 0
            while i < vectorEnd {
                store(s8 * (load(row + i) * load(gain + i) - meanG8 - load(hat + i) * meanGX8), row + i)
                i &+= 8
            }
            while i < n { row[i] = s * (row[i] * gain[i] - meanG - hat[i] * meanGX); i &+= 1 }
        }
    }

    @inline(__always) private static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) private static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) private static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}
