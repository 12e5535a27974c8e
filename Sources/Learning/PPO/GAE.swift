/// Generalised advantage estimation (Schulman et al. 2016) over a rollout of T steps × N envs,
/// with episode ends handled by kind.
///
/// TD error of step t, with V_next the value of what follows the transition:
///
///     δ_t = r_t + γ · V_next − V(s_t)
///     V_next = V(s_{t+1})            episode continues (at t = T−1: the value of the
///                                    observation after the rollout, `lastValues`)
///     V_next = 0                     terminated: a true terminal state, nothing follows
///     V_next = V(s_final)            truncated (time limit): the episode would have gone on, so
///                                    bootstrap with the value of its *final* observation, not
///                                    the next episode's first one, not V(s_t), not 0
///
/// Advantages accumulate backwards and stop at any episode end:
///
///     A_t = δ_t + γλ · (1 − end_t) · A_{t+1},     end_t = terminated_t or truncated_t
///     R_t = A_t + V(s_t)                            (the value target)
public enum GAE {
    /// All arrays are row-major T × N (time outermost); `lastValues` is N.
    /// `truncationValues[t, e]` is V(final observation) where `truncated[t, e]`, else ignored.
    public static func compute(rewards: [Float], values: [Float], terminated: [UInt8], truncated: [UInt8],
                               truncationValues: [Float], lastValues: [Float],
                               steps: Int, environments: Int, gamma: Float, lambda: Float)
        -> (advantages: [Float], returns: [Float]) {
        let count = steps * environments
        precondition(rewards.count == count && values.count == count && terminated.count == count
                     && truncated.count == count && truncationValues.count == count
                     && lastValues.count == environments, "GAE: inconsistent shapes")
        var advantages = [Float](repeating: 0, count: count)
        var returns = [Float](repeating: 0, count: count)
        for e in 0..<environments {
            var nextAdvantage: Float = 0
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let i = t * environments + e
                var nextValue = t == steps - 1 ? lastValues[e] : values[i + environments]
                var continues: Float = 1
                if terminated[i] != 0 {
                    nextValue = 0
                    continues = 0
                } else if truncated[i] != 0 {
                    nextValue = truncationValues[i]
                    continues = 0
                }
                let delta = rewards[i] + gamma * nextValue - values[i]
                nextAdvantage = delta + gamma * lambda * continues * nextAdvantage
                advantages[i] = nextAdvantage
                returns[i] = nextAdvantage + values[i]
            }
        }
        return (advantages, returns)
    }

    /// Shift and scale to zero mean and unit (population) standard deviation, in place:
    /// Â = (A − mean) / (std + 1e-8).
    public static func normalize(_ advantages: inout [Float]) {
        guard advantages.count > 1 else { return }
        var mean = 0.0
        for a in advantages { mean += Double(a) }
        mean /= Double(advantages.count)
        var variance = 0.0
        for a in advantages { variance += (Double(a) - mean) * (Double(a) - mean) }
        variance /= Double(advantages.count)
        let scale = Float(1 / (variance.squareRoot() + 1e-8)), shift = Float(mean)
        for i in advantages.indices { advantages[i] = (advantages[i] - shift) * scale }
    }
}
