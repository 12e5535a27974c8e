/// Adam (Kingma & Ba 2015) with bias correction, for one flat parameter vector. The trainer
/// keeps one `Adam` per parameter vector (actor, log-std, critic); all step together, so this
/// is the same as one Adam over their concatenation.
///
/// At step t = 1, 2, …, with gradient g:
///
///     m_t = β₁ m_{t−1} + (1 − β₁) g                 first moment
///     v_t = β₂ v_{t−1} + (1 − β₂) g²                second moment
///     m̂_t = m_t / (1 − β₁ᵗ),  v̂_t = v_t / (1 − β₂ᵗ)   bias correction (m, v start at 0)
///     θ_t = θ_{t−1} − α m̂_t / (√v̂_t + ε)
///
/// Without the correction the first steps are too small by 1 − β₂ᵗ under the root (about 30×
/// at t = 1 for β₂ = 0.999), which quietly trains worse.
public struct Adam: Sendable, Equatable, Codable {
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// Steps taken so far (t after the last step).
    public private(set) var stepCount: Int = 0
    public private(set) var firstMoment: [Float]
    public private(set) var secondMoment: [Float]

    public init(parameterCount: Int, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = Array(repeating: 0, count: parameterCount)
        secondMoment = Array(repeating: 0, count: parameterCount)
    }

    /// One update of `parameters` with `gradients` at learning rate α.
    public mutating func step(parameters: inout [Float], gradients: [Float], learningRate: Float) {
        precondition(parameters.count == firstMoment.count && gradients.count == firstMoment.count,
                     "Adam: \(parameters.count) parameters, \(gradients.count) gradients, \(firstMoment.count) moments")
        stepCount += 1
        let t = Double(stepCount)
        let correction1 = Float(1 - _exp(t * _log(Double(beta1))))
        let correction2 = Float(1 - _exp(t * _log(Double(beta2))))
        let b1 = beta1, b2 = beta2, eps = epsilon
        // Fold the corrections into the step: α m̂/(√v̂ + ε) = (α/c₁) m / (√(v/c₂) + ε).
        let stepSize = learningRate / correction1
        let inverseCorrection2 = 1 / correction2
        firstMoment.withUnsafeMutableBufferPointer { m in
            secondMoment.withUnsafeMutableBufferPointer { v in
                parameters.withUnsafeMutableBufferPointer { theta in
                    gradients.withUnsafeBufferPointer { g in
                        for i in 0..<m.count {
                            let gi = g[i]
                            m[i] = b1 * m[i] + (1 - b1) * gi
                            v[i] = b2 * v[i] + (1 - b2) * gi * gi
                            theta[i] -= stepSize * m[i] / ((v[i] * inverseCorrection2).squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}
