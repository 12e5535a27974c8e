import PolicyFormat

/// Every hyperparameter of the off-policy learner, one line each. The defaults are SAC with
/// automatic entropy tuning and the DroQ recipe (Hiraoka et al. 2022: dropout and layer
/// normalisation in the Q-networks, several gradient steps per env step), sized so that one
/// core runs ≥ 1000 gradient updates per second (docs/training.md has the measurements).
public struct SACConfig: Sendable, Equatable, Codable {
    /// Seed of every random choice (init, exploration noise, minibatches, dropout).
    public var seed: UInt64 = 1
    /// Hidden widths of the actor and of each Q-network.
    public var actorHiddenWidths: [Int] = [64, 64]
    public var criticHiddenWidths: [Int] = [64, 64]
    /// Hidden activation of both (ReLU, as SAC and DroQ; tanh gives smooth losses for
    /// gradient checks).
    public var hiddenActivation: Activation = .relu
    /// Q-networks (the target takes their minimum, the actor their mean, as in REDQ/DroQ).
    public var criticCount = 2
    /// Dropout probability in the Q-networks' hidden layers (DroQ: 0.01).
    public var criticDropout: Float = 0.01
    /// Layer normalisation in the Q-networks' hidden layers (DroQ).
    public var criticLayerNorm = true
    /// Transitions per gradient step (128, not DroQ's 256: half the work per step, and the
    /// 1000 updates/s on one core is the binding constraint; see docs/training.md).
    public var batchSize = 128
    /// Replay capacity, transitions (preallocated; the oldest are overwritten).
    public var replayCapacity = 100_000
    /// Gradient steps per env step (update-to-data ratio, per env).
    public var updatesPerStep = 10
    /// One actor and temperature step every this many critic steps (DroQ: once per env step,
    /// i.e. `updatesPerStep`; the critics take the high update-to-data ratio).
    public var policyDelay = 10
    /// Critic steps before the first actor step (0: from the first update). A fine-tuning start
    /// (`furuta learn --from`) holds the given actor while the fresh critics learn its values.
    public var actorWarmupSteps = 0
    /// Fine-tuning: weight w of a behaviour-cloning term toward the start policy's deterministic
    /// action in the actor loss, L_π += w·(1/B) Σ_b Σ_j (tanh μ_bj − tanh μ⁰_bj)² with μ⁰ the
    /// actor as `startActor(from:)` left it (0: off; without a start policy it does nothing).
    public var behaviorCloningWeight: Float = 0
    /// Env steps (all envs) collected before the first update.
    public var learningStarts = 1_000
    /// Control steps per env in one iteration (one metrics row).
    public var stepsPerIteration = 50
    /// Discount γ per control step.
    public var gamma: Float = 0.99
    /// Target-network Polyak factor τ: θ' ← (1 − τ)θ' + τθ after each critic step.
    public var tau: Float = 0.005
    /// Adam learning rates.
    public var actorLearningRate: Float = 1e-3
    public var criticLearningRate: Float = 1e-3
    public var temperatureLearningRate: Float = 1e-3
    /// Initial temperature α.
    public var initialTemperature: Float = 0.1
    /// Target entropy H̄ per action component (SAC's heuristic: −1 per dimension).
    public var targetEntropyPerAction: Float = -1
    /// The actor's log σ lies in [minimum, maximum] (tanh-scaled, so it stays differentiable).
    public var logStdMinimum: Float = -5
    public var logStdMaximum: Float = 2
    /// Exploration noise: "pink" (coloured, 1/f^β with `noiseExponent`) or "white" (i.i.d.).
    public var exploration = ExplorationNoise.pink
    /// β of the coloured noise's 1/f^β power spectrum (1: pink, 2: red/Brownian-like).
    public var noiseExponent: Float = 1
    /// Length of each drawn noise sequence, control steps (an episode at 100 Hz).
    public var noiseSequenceLength = 1000
    /// Keep a running observation normaliser (exported with the policy).
    public var normalizeObservations = true
    /// Normalised observations are clamped to ±observationClip.
    public var observationClip: Float = 10
    /// OpenBLAS threads.
    public var blasThreads = 1

    public init() {}

    public var problems: [String] {
        var found: [String] = []
        if actorHiddenWidths.isEmpty || actorHiddenWidths.contains(where: { $0 < 1 }) { found.append("actorHiddenWidths must be non-empty and positive") }
        if criticHiddenWidths.isEmpty || criticHiddenWidths.contains(where: { $0 < 1 }) { found.append("criticHiddenWidths must be non-empty and positive") }
        if criticCount < 1 { found.append("criticCount must be ≥ 1") }
        if !(criticDropout >= 0 && criticDropout < 1) { found.append("criticDropout must be in [0, 1)") }
        if batchSize < 1 { found.append("batchSize must be ≥ 1") }
        if replayCapacity < batchSize { found.append("replayCapacity must be ≥ batchSize") }
        if updatesPerStep < 0 { found.append("updatesPerStep must be ≥ 0") }
        if policyDelay < 1 { found.append("policyDelay must be ≥ 1") }
        if actorWarmupSteps < 0 { found.append("actorWarmupSteps must be ≥ 0") }
        if !(behaviorCloningWeight >= 0 && behaviorCloningWeight.isFinite) { found.append("behaviorCloningWeight must be ≥ 0") }
        if learningStarts < 1 { found.append("learningStarts must be ≥ 1") }
        if stepsPerIteration < 1 { found.append("stepsPerIteration must be ≥ 1") }
        if !(gamma > 0 && gamma <= 1) { found.append("gamma must be in (0, 1]") }
        if !(tau > 0 && tau <= 1) { found.append("tau must be in (0, 1]") }
        if !(initialTemperature > 0) { found.append("initialTemperature must be > 0") }
        if !(logStdMinimum < logStdMaximum) { found.append("logStdMinimum must be below logStdMaximum") }
        if noiseSequenceLength < 2 { found.append("noiseSequenceLength must be ≥ 2") }
        return found
    }
}

/// How the actor's Gaussian noise is drawn over time.
public enum ExplorationNoise: String, Sendable, Equatable, Codable, CaseIterable {
    /// Independent N(0, 1) per step.
    case white
    /// Coloured N(0, 1) per step, correlated in time with a 1/f^β spectrum.
    case pink
}
