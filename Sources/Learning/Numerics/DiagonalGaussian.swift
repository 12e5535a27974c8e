/// The one Gaussian log-density of the learners (PPO's policy and SAC's pre-squash sample):
///
///     log N(u; μ, diag σ²) = Σ_j [ −ε_j²/2 − logσ_j − ½ log 2π ],   ε_j = (u_j − μ_j)/σ_j
///
/// written from the standardised sample ε so a caller that drew ε (SAC's reparameterisation)
/// and one that has u (PPO's ratio) share it.
public enum DiagonalGaussian {
    /// ½ log 2π.
    public static let halfLogTwoPi = Float(0.5 * _log(2 * Double.pi))

    /// log N from Σ_j ε_j², Σ_j logσ_j and the dimension.
    @inlinable @inline(__always)
    public static func logProbability(squaredStandardizedNorm: Float, logStdSum: Float, dimension: Int) -> Float {
        -0.5 * squaredStandardizedNorm - logStdSum - Float(dimension) * halfLogTwoPi
    }

    /// Entropy of the Gaussian: Σ_j logσ_j + dimension · ½(1 + log 2π).
    @inlinable
    public static func entropy(logStdSum: Float, dimension: Int) -> Float {
        logStdSum + Float(dimension) * (0.5 + halfLogTwoPi)
    }
}
