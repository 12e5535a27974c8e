import PolicyFormat

/// Every PPO hyperparameter, one line each (CleanRL style). Defaults are sensible for a batch
/// of simulated pendulums at ~200 Hz; the run is reproducible from (config, seed).
public struct PPOConfig: Sendable, Equatable, Codable {
    /// Seed of every random choice in the run (init, env resets, action noise, minibatches).
    public var seed: UInt64 = 1
    /// Control steps collected per environment between two updates (rollout length T).
    public var stepsPerEnvironment: Int = 64
    /// Passes over each rollout.
    public var epochs: Int = 5
    /// Minibatches per epoch; minibatch size is T·envs / minibatches.
    public var minibatches: Int = 4
    /// Discount γ per control step.
    public var gamma: Float = 0.99
    /// GAE λ: 0 is one-step TD, 1 is Monte Carlo.
    public var gaeLambda: Float = 0.95
    /// Clip range ε of the probability ratio in the surrogate objective.
    public var clipRange: Float = 0.2
    /// Clip the value prediction to ±clipRange around the old value in the value loss.
    public var clipValueLoss: Bool = true
    /// Weight of the value loss c_v.
    public var valueCoefficient: Float = 0.5
    /// Weight of the entropy bonus c_e.
    public var entropyCoefficient: Float = 0.0
    /// Initial Adam learning rate (also the fixed rate when targetKL is nil).
    public var learningRate: Float = 3e-4
    /// KL-adaptive learning rate: target KL(old‖new) per minibatch; nil keeps the rate fixed.
    public var targetKL: Float? = 0.01
    /// Bounds of the adaptive learning rate.
    public var minimumLearningRate: Float = 1e-5
    public var maximumLearningRate: Float = 1e-2
    /// Global gradient-norm clip over actor, log-std and critic gradients.
    public var maxGradientNorm: Float = 1.0
    /// Normalise advantages to zero mean and unit variance over the whole rollout.
    public var normalizeAdvantages: Bool = true
    /// Hidden layer widths of both actor and critic.
    public var hiddenWidths: [Int] = [64, 64]
    /// Hidden activation of both networks.
    public var activation: Activation = .tanh
    /// Initial log standard deviation of the Gaussian action noise (state-independent).
    public var initialLogStd: Float = -0.5
    /// How the network output is bounded into the environment's [−1, 1] action.
    public var actionSquash: ActionScaling.Squash = .clip
    /// Keep a running observation normaliser (exported with the policy).
    public var normalizeObservations: Bool = true
    /// Normalised observations are clamped to ±observationClip.
    public var observationClip: Float = 10
    /// OpenBLAS threads (1 while simulation threads run).
    public var blasThreads: Int = 1

    public init() {}

    /// Problems that make this config unusable, empty when it is valid.
    public var problems: [String] {
        var found: [String] = []
        if stepsPerEnvironment < 1 { found.append("stepsPerEnvironment must be ≥ 1") }
        if epochs < 1 { found.append("epochs must be ≥ 1") }
        if minibatches < 1 { found.append("minibatches must be ≥ 1") }
        if !(gamma > 0 && gamma <= 1) { found.append("gamma must be in (0, 1]") }
        if !(gaeLambda >= 0 && gaeLambda <= 1) { found.append("gaeLambda must be in [0, 1]") }
        if !(clipRange > 0) { found.append("clipRange must be > 0") }
        if !(learningRate > 0) { found.append("learningRate must be > 0") }
        if !(maxGradientNorm > 0) { found.append("maxGradientNorm must be > 0") }
        if hiddenWidths.isEmpty || hiddenWidths.contains(where: { $0 < 1 }) { found.append("hiddenWidths must be non-empty and positive") }
        return found
    }
}
