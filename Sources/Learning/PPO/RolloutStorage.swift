/// One rollout: T steps × N envs of what PPO's update needs, time outermost (index t·N + e).
/// Observations are stored normalised, as the policy saw them, so the update recomputes
/// exactly the log-probabilities that were sampled.
public struct RolloutStorage: Sendable {
    public let steps: Int
    public let environments: Int
    public let observationSize: Int
    public let actionSize: Int

    /// T·N × observationSize, normalised observations.
    public var observations: [Float]
    /// T·N × actionSize, the unsquashed Gaussian samples u.
    public var actions: [Float]
    /// T·N × actionSize, the policy mean μ when sampling (for the KL of the update).
    public var means: [Float]
    /// T·N, log π_old(u | s).
    public var logProbabilities: [Float]
    /// T·N, V_old(s).
    public var values: [Float]
    /// T·N, reward of the transition.
    public var rewards: [Float]
    /// T·N, 1 where the transition ended the episode in a terminal state.
    public var terminated: [UInt8]
    /// T·N, 1 where the transition hit the time limit.
    public var truncated: [UInt8]
    /// T·N, V(final observation) where truncated.
    public var truncationValues: [Float]
    /// N, V of the observation after the last step.
    public var lastValues: [Float]

    public init(steps: Int, environments: Int, observationSize: Int, actionSize: Int) {
        self.steps = steps
        self.environments = environments
        self.observationSize = observationSize
        self.actionSize = actionSize
        let n = steps * environments
        observations = Array(repeating: 0, count: n * observationSize)
        actions = Array(repeating: 0, count: n * actionSize)
        means = Array(repeating: 0, count: n * actionSize)
        logProbabilities = Array(repeating: 0, count: n)
        values = Array(repeating: 0, count: n)
        rewards = Array(repeating: 0, count: n)
        terminated = Array(repeating: 0, count: n)
        truncated = Array(repeating: 0, count: n)
        truncationValues = Array(repeating: 0, count: n)
        lastValues = Array(repeating: 0, count: environments)
    }

    public var transitionCount: Int { steps * environments }

    /// Store step t's rows (each array covers all N envs).
    public mutating func record(step t: Int, observations obs: [Float], actions act: [Float], means mu: [Float],
                                logProbabilities logp: [Float], values v: [Float]) {
        let n = environments
        observations.replaceSubrange(t * n * observationSize ..< (t + 1) * n * observationSize, with: obs)
        actions.replaceSubrange(t * n * actionSize ..< (t + 1) * n * actionSize, with: act)
        means.replaceSubrange(t * n * actionSize ..< (t + 1) * n * actionSize, with: mu)
        logProbabilities.replaceSubrange(t * n ..< (t + 1) * n, with: logp)
        values.replaceSubrange(t * n ..< (t + 1) * n, with: v)
    }

    /// Rows `indices` of a T·N × width array, gathered into a minibatch (`b_` arrays).
    public static func gather<T>(_ source: [T], width: Int, indices: ArraySlice<Int>) -> [T] {
        var out: [T] = []
        out.reserveCapacity(indices.count * width)
        for i in indices { out.append(contentsOf: source[i * width ..< (i + 1) * width]) }
        return out
    }
}
