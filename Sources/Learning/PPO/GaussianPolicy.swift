import PolicyFormat

/// The actor: a diagonal Gaussian over unsquashed actions u, with a network for the mean and a
/// state-independent log standard deviation (a learned vector, as in rsl_rl and CleanRL).
///
///     u ~ N(μ_θ(s), diag σ²),  σ = exp(logσ)
///     log π(u|s) = Σ_j [ −(u_j − μ_j)² / (2σ_j²) − logσ_j − ½ log 2π ]
///     H(π)       = Σ_j [ logσ_j + ½ (1 + log 2π) ]
///
/// The environment receives ActionScaling's s(u); the deterministic action is s(μ).
public struct GaussianPolicy: Sendable {
    public var mean: MLP
    public var logStd: [Float]
    public var logStdGradient: [Float]

    public init(observationSize: Int, actionSize: Int, hiddenWidths: [Int], activation: Activation,
                initialLogStd: Float, rng: inout Xoshiro256StarStar) {
        mean = MLP(widths: [observationSize] + hiddenWidths + [actionSize], hiddenActivation: activation,
                   outputActivation: .identity, outputGain: 0.01, rng: &rng)
        logStd = Array(repeating: initialLogStd, count: actionSize)
        logStdGradient = Array(repeating: 0, count: actionSize)
    }

    public var actionSize: Int { logStd.count }

    /// log π(u | μ) for each row, given means and samples (rows × actionSize).
    public func logProbabilities(actions u: [Float], means mu: [Float]) -> [Float] {
        let a = actionSize, rows = u.count / a
        let inverseVariance = logStd.map { _expf(-2 * $0) }
        let logStdSum = logStd.reduce(0, +)
        return (0..<rows).map { r in
            var s: Float = 0
            for j in 0..<a {
                let d = u[r * a + j] - mu[r * a + j]
                s += d * d * inverseVariance[j]
            }
            return DiagonalGaussian.logProbability(squaredStandardizedNorm: s, logStdSum: logStdSum, dimension: a)
        }
    }

    /// Entropy of the (state-independent) distribution.
    public var entropy: Float {
        DiagonalGaussian.entropy(logStdSum: logStd.reduce(0, +), dimension: actionSize)
    }

    /// Sample u = μ + σ·ε, ε ~ N(0, I).
    public func sample(means mu: [Float], rng: inout Xoshiro256StarStar) -> [Float] {
        let a = actionSize
        let std = logStd.map { _expf($0) }
        var u = mu
        for i in u.indices { u[i] += std[i % a] * Float(rng.nextGaussian()) }
        return u
    }

    /// KL(old ‖ new) between two diagonal Gaussians, averaged over rows:
    ///     Σ_j [ log(σn/σo) + (σo² + (μo − μn)²) / (2σn²) − ½ ]
    public static func meanKL(oldMeans: [Float], oldLogStd: [Float], newMeans: [Float], newLogStd: [Float]) -> Float {
        let a = oldLogStd.count, rows = oldMeans.count / a
        var total = 0.0
        for r in 0..<rows {
            for j in 0..<a {
                let oldVariance = _exp(2 * Double(oldLogStd[j])), newVariance = _exp(2 * Double(newLogStd[j]))
                let d = Double(oldMeans[r * a + j] - newMeans[r * a + j])
                total += Double(newLogStd[j] - oldLogStd[j]) + (oldVariance + d * d) / (2 * newVariance) - 0.5
            }
        }
        return Float(total / Double(max(rows, 1)))
    }
}
