/// Weight initialisation. PPO implementations that learn reliably (CleanRL, rsl_rl, SB3) use
/// orthogonal weights with gain √2 for hidden layers, 0.01 for the policy's output and 1 for
/// the value output, and zero biases.
public enum Initialization {
    /// An inputCount × outputCount matrix (row-major) with orthonormal columns (if
    /// inputCount ≥ outputCount) or rows (otherwise), times `gain`: Gram–Schmidt on Gaussian
    /// samples, in Double.
    public static func orthogonal(inputCount: Int, outputCount: Int, gain: Float,
                                  rng: inout Xoshiro256StarStar) -> [Float] {
        // Orthonormalise `count` vectors of length `length`, stored as rows of `v`.
        let transpose = inputCount < outputCount
        let count = transpose ? inputCount : outputCount
        let length = transpose ? outputCount : inputCount
        var v = (0..<count * length).map { _ in rng.nextGaussian() }
        for a in 0..<count {
            for b in 0..<a {
                var dot = 0.0
                for k in 0..<length { dot += v[a * length + k] * v[b * length + k] }
                for k in 0..<length { v[a * length + k] -= dot * v[b * length + k] }
            }
            var norm = 0.0
            for k in 0..<length { norm += v[a * length + k] * v[a * length + k] }
            norm = norm.squareRoot()
            for k in 0..<length { v[a * length + k] /= norm }
        }
        var w = [Float](repeating: 0, count: inputCount * outputCount)
        for i in 0..<inputCount {
            for o in 0..<outputCount {
                // transpose: row i of v is row i of W; otherwise row o of v is column o of W.
                w[i * outputCount + o] = gain * Float(transpose ? v[i * length + o] : v[o * length + i])
            }
        }
        return w
    }
}
