#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PolicyFormat

/// SAC's policy distribution: a Gaussian over u squashed by tanh into the action a ∈ (−1, 1),
/// reparameterised with a standard-normal ε (white or coloured):
///
///     logσ = lo + ½(hi − lo)(tanh ℓ + 1)        the actor's raw head ℓ, kept in [lo, hi] smoothly
///     u = μ + σ ε,   a = tanh u                 (the format's tanh, as the exported policy)
///     log π(a|s) = Σ_j [ −ε_j²/2 − logσ_j − ½ log 2π − log(1 − tanh² u_j) ]
///
/// and log(1 − tanh² u) = 2 (log 2 − u − softplus(−2u)), stable for large |u|. With ε held,
/// ∂log π/∂μ_j = 2 tanh u_j and ∂log π/∂logσ_j = −1 + 2 tanh u_j · σ_j ε_j.
public enum SquashedGaussian {
    /// logσ from the raw head and dlogσ/dℓ.
    @inlinable @inline(__always)
    public static func logStd(raw: Float, minimum lo: Float, maximum hi: Float) -> (value: Float, derivative: Float) {
        let t = tanhf(raw)
        return (lo + 0.5 * (hi - lo) * (t + 1), 0.5 * (hi - lo) * (1 - t * t))
    }

    /// log(1 − tanh² u).
    @inlinable @inline(__always)
    public static func logOneMinusTanhSquared(_ u: Float) -> Float {
        let x = -2 * u
        let softplus = x > 20 ? x : log1pf(expf(x))
        return 2 * (0.693_147_18 - u - softplus)
    }

    /// The action for pre-squash u, with the exported policy's tanh.
    @inlinable @inline(__always)
    public static func squash(_ u: Float) -> Float { Activation.tanh(u) }
}
