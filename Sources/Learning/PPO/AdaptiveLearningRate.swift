/// KL-adaptive learning rate (as in rsl_rl): after each minibatch, compare the KL divergence
/// between the rollout's policy and the updated one with a target, and step the rate:
///
///     KL > 2·target    → lr ← max(lr / 1.5, lr_min)   (steps too big: the policy moved too far)
///     KL < target / 2  → lr ← min(lr · 1.5, lr_max)   (steps too timid)
public struct AdaptiveLearningRate: Sendable, Equatable, Codable {
    public private(set) var value: Float
    public var targetKL: Float?
    public var minimum: Float
    public var maximum: Float

    public init(initial: Float, targetKL: Float?, minimum: Float = 1e-5, maximum: Float = 1e-2) {
        value = initial
        self.targetKL = targetKL
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Adjust after a minibatch whose mean KL(old ‖ new) was `kl`; no change without a target.
    public mutating func update(kl: Float) {
        guard let target = targetKL, kl.isFinite else { return }
        if kl > 2 * target {
            value = max(value / 1.5, minimum)
        } else if kl < target / 2 {
            value = min(value * 1.5, maximum)
        }
    }
}
