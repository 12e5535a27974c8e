/// PPO's loss on one minibatch of B transitions, and its gradient with respect to the policy
/// means μ (B × A), the log standard deviations logσ (A) and the value predictions V (B).
/// The networks' backward passes take it from there.
///
/// Clipped surrogate (Schulman et al. 2017), with ratio r = π_new(u|s) / π_old(u|s)
/// = exp(log π_new − log π_old) and (normalised) advantage Â:
///
///     L_clip = −(1/B) Σ min( r·Â, clip(r, 1 − ε, 1 + ε)·Â )
///
/// The min picks the pessimistic term. Where it picks the clipped one with r outside
/// [1 − ε, 1 + ε] the gradient is 0 (the update has already gone far enough); elsewhere
/// ∂L_clip/∂log π_new = −Â·r / B. Through the Gaussian:
///
///     ∂log π/∂μ_j    = (u_j − μ_j) / σ_j²
///     ∂log π/∂logσ_j = (u_j − μ_j)² / σ_j² − 1
///
/// Value loss, optionally clipped around the old prediction V_old with the same ε:
///
///     L_V = (1/2B) Σ max( (V − R)², (V_old + clip(V − V_old, −ε, ε) − R)² )
///
/// Entropy bonus: −c_e·H, H = Σ_j logσ_j + const, so ∂/∂logσ_j = −c_e.
///
///     L = L_clip + c_v·L_V − c_e·H
public enum PPOLoss {
    public struct Terms: Sendable, Equatable {
        public var policyLoss: Float
        public var valueLoss: Float
        public var entropy: Float
        public var total: Float
        /// Fraction of samples whose ratio was clipped (gradient zero).
        public var clipFraction: Float
    }

    public struct Gradients: Sendable, Equatable {
        /// ∂L/∂μ, B × A.
        public var means: [Float]
        /// ∂L/∂logσ, A.
        public var logStd: [Float]
        /// ∂L/∂V, B.
        public var values: [Float]
    }

    public static func evaluate(means: [Float], logStd: [Float], actions: [Float], oldLogProbabilities: [Float],
                                advantages: [Float], values: [Float], oldValues: [Float], returns: [Float],
                                clipRange epsilon: Float, clipValueLoss: Bool,
                                valueCoefficient: Float, entropyCoefficient: Float) -> (Terms, Gradients) {
        let a = logStd.count, batch = advantages.count
        precondition(means.count == batch * a && actions.count == batch * a && oldLogProbabilities.count == batch
                     && values.count == batch && oldValues.count == batch && returns.count == batch,
                     "PPOLoss: inconsistent minibatch shapes")
        let inverseVariance = logStd.map { _expf(-2 * $0) }
        let logStdSum = logStd.reduce(0, +)
        let invB = 1 / Float(batch)

        var gradMeans = [Float](repeating: 0, count: batch * a)
        var gradLogStd = [Float](repeating: -entropyCoefficient, count: a)
        var gradValues = [Float](repeating: 0, count: batch)
        var policyLoss = 0.0, valueLoss = 0.0
        var clipped = 0

        for b in 0..<batch {
            // log π_new(u|s) and the ratio.
            var squared: Float = 0
            for j in 0..<a {
                let d = actions[b * a + j] - means[b * a + j]
                squared += d * d * inverseVariance[j]
            }
            let logProbability = DiagonalGaussian.logProbability(squaredStandardizedNorm: squared, logStdSum: logStdSum, dimension: a)
            let ratio = _expf(logProbability - oldLogProbabilities[b])
            let advantage = advantages[b]
            let clippedRatio = min(max(ratio, 1 - epsilon), 1 + epsilon)
            let unclippedTerm = ratio * advantage, clippedTerm = clippedRatio * advantage
            policyLoss -= Double(min(unclippedTerm, clippedTerm))
            // ∂L_clip/∂log π_new: the unclipped term is the active one when it is the smaller.
            var dLogProbability: Float = 0
            if unclippedTerm <= clippedTerm {
                dLogProbability = -advantage * ratio * invB
            } else {
                clipped += 1
            }
            if dLogProbability != 0 {
                for j in 0..<a {
                    let d = actions[b * a + j] - means[b * a + j]
                    gradMeans[b * a + j] = dLogProbability * d * inverseVariance[j]
                    gradLogStd[j] += dLogProbability * (d * d * inverseVariance[j] - 1)
                }
            }

            // Value loss.
            let v = values[b], target = returns[b]
            let unclippedError = v - target
            if clipValueLoss {
                let delta = v - oldValues[b]
                let vClipped = oldValues[b] + min(max(delta, -epsilon), epsilon)
                let clippedError = vClipped - target
                if unclippedError * unclippedError >= clippedError * clippedError {
                    valueLoss += Double(0.5 * unclippedError * unclippedError)
                    gradValues[b] = valueCoefficient * unclippedError * invB
                } else {
                    valueLoss += Double(0.5 * clippedError * clippedError)
                    // ∂vClipped/∂V is 1 inside the clip range, 0 outside.
                    let inside = delta > -epsilon && delta < epsilon
                    gradValues[b] = inside ? valueCoefficient * clippedError * invB : 0
                }
            } else {
                valueLoss += Double(0.5 * unclippedError * unclippedError)
                gradValues[b] = valueCoefficient * unclippedError * invB
            }
        }
        let entropy = DiagonalGaussian.entropy(logStdSum: logStdSum, dimension: a)
        let pl = Float(policyLoss) * invB, vl = Float(valueLoss) * invB
        let terms = Terms(policyLoss: pl, valueLoss: vl, entropy: entropy,
                          total: pl + valueCoefficient * vl - entropyCoefficient * entropy,
                          clipFraction: Float(clipped) * invB)
        return (terms, Gradients(means: gradMeans, logStd: gradLogStd, values: gradValues))
    }
}
