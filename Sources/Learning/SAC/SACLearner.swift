import MonotonicTime
import PolicyFormat

/// Soft actor-critic (Haarnoja et al. 2018) with automatic entropy tuning and the DroQ recipe
/// (Hiraoka et al. 2022), as an `Algorithm`. Per gradient step on a minibatch (s, a, r, d, s′)
/// from the replay buffer, with C Q-networks Q_i, their Polyak targets Q′_i and temperature α:
///
///     a′ ~ π(·|s′)                                    (fresh ε, dropout on in Q′ as in DroQ)
///     y  = r + γ (1 − d) (min_i Q′_i(s′, a′) − α log π(a′|s′))      d: terminated, not truncated
///     L_Q = (1/B) Σ_b Σ_i ½ (Q_i(s_b, a_b) − y_b)²
///     θ′_i ← (1 − τ) θ′_i + τ θ_i
///
/// and every `policyDelay` critic steps, with ã ~ π(·|s) reparameterised:
///
///     L_π = (1/B) Σ_b [ α log π(ã_b|s_b) − (1/C) Σ_i Q_i(s_b, ã_b) ]
///     L_α = −(1/B) Σ_b log α · (log π(ã_b|s_b) + H̄)      (log π held constant; H̄ = −|A|)
///
/// The losses are written out in `SACLosses`; this class owns the networks, the buffers (all
/// allocated once: a gradient step allocates nothing), the replay buffer, exploration noise and
/// the observation normaliser. Transitions come from `observe` (a runner's env) or `ingest`
/// (recorded elsewhere, e.g. on the robot).
public final class SACLearner: Algorithm {
    public let config: SACConfig
    public let environmentCount: Int
    public let observationSize: Int
    public let actionSize: Int

    public let actor: DenseNetwork
    /// The start policy's actor, frozen (fine-tuning: `startActor(from:)`), the target of the
    /// behaviour-cloning term; nil from scratch.
    public internal(set) var referenceActor: DenseNetwork?
    public let critics: [DenseNetwork]
    public let targetCritics: [DenseNetwork]
    var actorAdam: Adam
    var criticAdams: [Adam]
    var temperatureAdam: Adam
    /// log α, as a one-element vector for Adam.
    var logTemperature: [Float]
    public internal(set) var replay: ReplayBuffer
    public internal(set) var normalizer: RunningNormalizer
    var normalization: ObservationNormalization
    var rng: Xoshiro256StarStar
    /// Dropout masks draw from their own stream (a pointer: the networks take it in `forward`).
    let dropoutRNG: UnsafeMutablePointer<Xoshiro256StarStar>
    /// The i.i.d. counterfactual of the smoothness figure draws from its own stream, so it never
    /// changes the run.
    var smoothnessRNG: Xoshiro256StarStar
    public internal(set) var gradientSteps = 0

    let batch: SACBatch
    var exploration: ExplorationState
    var smoothness: SmoothnessMeter
    var accumulated = SACStatistics()
    public private(set) var timing = SACTiming()
    private let lastObservations: UnsafeMutableBufferPointer<Float>
    private let lastActions: UnsafeMutableBufferPointer<Float>
    private let actInput: UnsafeMutableBufferPointer<Float>

    public init(config: SACConfig, environmentCount: Int, observationSize o: Int, actionSize a: Int) {
        precondition(config.problems.isEmpty, "SACConfig: \(config.problems.joined(separator: "; "))")
        self.config = config
        self.environmentCount = environmentCount
        observationSize = o
        actionSize = a
        BLAS.setThreadCount(config.blasThreads)
        var rng = Xoshiro256StarStar(seed: config.seed)
        let maxBatch = max(config.batchSize, environmentCount)
        actor = DenseNetwork(widths: [o] + config.actorHiddenWidths + [2 * a], hiddenActivation: config.hiddenActivation,
                             outputGain: 0.01, maxBatch: maxBatch, rng: &rng)
        // Start with σ = 1: the raw log-std head's bias puts logσ at 0 inside [lo, hi].
        let lo = config.logStdMinimum, hi = config.logStdMaximum
        let neutral = Float(_atanh(Double(2 * (0 - lo) / (hi - lo) - 1)))
        let last = actor.layers[actor.layers.count - 1]
        for j in 0..<a { actor.parameters[last.biasesOffset + a + j] = min(max(neutral, -3), 3) }
        var critics: [DenseNetwork] = [], targets: [DenseNetwork] = []
        for _ in 0..<config.criticCount {
            let q = DenseNetwork(widths: [o + a] + config.criticHiddenWidths + [1], hiddenActivation: config.hiddenActivation,
                                 layerNorm: config.criticLayerNorm,
                                 dropout: config.criticDropout, outputGain: 1, maxBatch: config.batchSize, rng: &rng)
            let target = DenseNetwork(widths: [o + a] + config.criticHiddenWidths + [1], hiddenActivation: config.hiddenActivation,
                                      layerNorm: config.criticLayerNorm,
                                      dropout: config.criticDropout, outputGain: 1, maxBatch: config.batchSize, rng: &rng)
            target.copyParameters(from: q)
            critics.append(q)
            targets.append(target)
        }
        self.critics = critics
        targetCritics = targets
        actorAdam = Adam(parameterCount: actor.parameterCount)
        criticAdams = critics.map { Adam(parameterCount: $0.parameterCount) }
        temperatureAdam = Adam(parameterCount: 1)
        logTemperature = [Float(_log(Double(config.initialTemperature)))]
        replay = ReplayBuffer(capacity: config.replayCapacity, observationSize: o, actionSize: a)
        normalizer = RunningNormalizer(size: o, clip: config.observationClip)
        normalization = .identity(size: o)
        dropoutRNG = .allocate(capacity: 1)
        dropoutRNG.initialize(to: Xoshiro256StarStar(seed: rng.nextSeed()))
        smoothnessRNG = Xoshiro256StarStar(seed: rng.nextSeed())
        batch = SACBatch(batchSize: config.batchSize, observationSize: o, actionSize: a)
        exploration = ExplorationState(environments: environmentCount, actionSize: a, config: config)
        smoothness = SmoothnessMeter(environments: environmentCount, actionSize: a)
        lastObservations = .allocate(capacity: environmentCount * o)
        lastObservations.initialize(repeating: 0)
        lastActions = .allocate(capacity: environmentCount * a)
        lastActions.initialize(repeating: 0)
        actInput = .allocate(capacity: environmentCount * o)
        actInput.initialize(repeating: 0)
        exploration.redrawAll(rng: &rng)
        self.rng = rng
        if config.normalizeObservations { normalization = normalizer.frozen() }
    }

    /// A learner shaped for `environment` (its count and sizes).
    public convenience init(config: SACConfig, environment: any BatchedEnvironment) {
        self.init(config: config, environmentCount: environment.count,
                  observationSize: environment.observationSize, actionSize: environment.actionSize)
    }

    deinit {
        dropoutRNG.deallocate()
        lastObservations.deallocate(); lastActions.deallocate(); actInput.deallocate()
    }

    public var temperature: Float { _expf(logTemperature[0]) }
    public var targetEntropy: Float { config.targetEntropyPerAction * Float(actionSize) }
    public var observationNormalization: ObservationNormalization { normalization }
    public var actionScaling: ActionScaling { .unit(count: actionSize, squash: .tanh) }
    /// Mean |Δa| per step of the executed (coloured or white) exploration, and of i.i.d.
    /// Gaussian noise with the same σ at the same states, over the whole run.
    public var explorationSmoothness: SmoothnessMeter.Figures { smoothness.figures }

    // MARK: Algorithm

    public var stepsPerIteration: Int { config.stepsPerIteration }
    public var updateIsDue: Bool { replay.added >= config.learningStarts && config.updatesPerStep > 0 }

    public func act(observations raw: UnsafeBufferPointer<Float>, into actions: UnsafeMutableBufferPointer<Float>) {
        let n = environmentCount, o = observationSize, a = actionSize
        if config.normalizeObservations {
            normalizer.update(raw, rows: n)
            normalization = normalizer.frozen()
        }
        for k in 0..<(n * o) { lastObservations[k] = raw[k] }
        normalization.normalize(raw.baseAddress!, into: actInput.baseAddress!, count: n)
        let out = actor.forward(actInput.baseAddress!, batch: n, dropoutRNG: nil)
        for e in 0..<n {
            for j in 0..<a {
                let mu = out[e * 2 * a + j]
                let logStd = SquashedGaussian.logStd(raw: out[e * 2 * a + a + j], minimum: config.logStdMinimum,
                                                     maximum: config.logStdMaximum).value
                let sigma = _expf(logStd)
                let epsilon = exploration.next(environment: e, component: j, rng: &rng)
                let action = SquashedGaussian.squash(mu + sigma * epsilon)
                let counterfactual = SquashedGaussian.squash(mu + sigma * Float(smoothnessRNG.nextGaussian()))
                smoothness.record(environment: e, component: j, executed: action, independent: counterfactual)
                actions[e * a + j] = action
                lastActions[e * a + j] = action
                accumulated.sigmaSum += Double(sigma)
                accumulated.sigmaCount += 1
            }
            exploration.advance(environment: e, rng: &rng)
        }
    }

    public func observe(_ outcome: StepOutcome) {
        let o = observationSize, a = actionSize
        for e in 0..<environmentCount {
            replay.add(observation: UnsafeBufferPointer(rebasing: UnsafeBufferPointer(lastObservations)[(e * o)..<((e + 1) * o)]),
                       action: UnsafeBufferPointer(rebasing: UnsafeBufferPointer(lastActions)[(e * a)..<((e + 1) * a)]),
                       reward: outcome.rewards[e], terminal: outcome.terminated[e] != 0,
                       nextObservation: outcome.successor(e))
            if outcome.terminated[e] != 0 || outcome.truncated[e] != 0 {
                exploration.redraw(environment: e, rng: &rng)
                smoothness.episodeEnded(environment: e)
            }
        }
    }

    /// Add transitions that did not come from this learner's `act` (a robot session, a
    /// recorded episode): the replay buffer and the normaliser take them like their own.
    public func ingest(_ transitions: [Transition]) {
        for t in transitions {
            precondition(t.observation.count == observationSize && t.nextObservation.count == observationSize
                         && t.action.count == actionSize, "Transition shape does not fit the learner")
            t.observation.withUnsafeBufferPointer { obs in
                t.action.withUnsafeBufferPointer { act in
                    t.nextObservation.withUnsafeBufferPointer { next in
                        replay.add(observation: obs, action: act, reward: t.reward, terminal: t.terminated, nextObservation: next)
                    }
                }
                if config.normalizeObservations { normalizer.update(obs, rows: 1) }
            }
        }
        if config.normalizeObservations { normalization = normalizer.frozen() }
    }

    /// `updatesPerStep` gradient steps per env of the last step.
    public func update() {
        for _ in 0..<(config.updatesPerStep * environmentCount) { gradientStep() }
    }

    /// One critic step, the target update, and (every `policyDelay`) one actor and temperature
    /// step. Allocates nothing.
    public func gradientStep() {
        precondition(replay.count > 0, "SAC update with an empty replay buffer")
        let t0 = MonotonicClock.nanoseconds()
        batch.sample(from: replay, normalization: normalization, rng: &rng)
        let criticLoss = SACLosses.criticStep(self)
        let t1 = MonotonicClock.nanoseconds()
        for i in critics.indices { targetCritics[i].polyakUpdate(towards: critics[i], tau: config.tau) }
        let t2 = MonotonicClock.nanoseconds()
        accumulated.criticLoss += Double(criticLoss)
        accumulated.criticSteps += 1
        timing.criticNanoseconds += t1 - t0
        timing.targetNanoseconds += t2 - t1
        gradientSteps += 1
        if gradientSteps % config.policyDelay == 0, gradientSteps > config.actorWarmupSteps {
            let (actorLoss, meanLogProbability) = SACLosses.actorStep(self)
            let t3 = MonotonicClock.nanoseconds()
            SACLosses.temperatureStep(self, meanLogProbability: meanLogProbability)
            let t4 = MonotonicClock.nanoseconds()
            accumulated.actorLoss += Double(actorLoss)
            accumulated.entropy -= Double(meanLogProbability)
            accumulated.actorSteps += 1
            timing.actorNanoseconds += t3 - t2
            timing.temperatureNanoseconds += t4 - t3
            timing.actorSteps += 1
        }
        timing.steps += 1
    }

    public func finishIteration(into statistics: inout TrainingStatistics) {
        let s = accumulated
        if s.criticSteps > 0 { statistics.valueLoss = Float(s.criticLoss / Double(s.criticSteps)) }
        if s.actorSteps > 0 {
            statistics.policyLoss = Float(s.actorLoss / Double(s.actorSteps))
            statistics.entropy = Float(s.entropy / Double(s.actorSteps))
        }
        statistics.learningRate = config.criticLearningRate
        if s.sigmaCount > 0 { statistics.actionStd = Float(s.sigmaSum / Double(s.sigmaCount)) }
        accumulated = SACStatistics()
    }

    // MARK: Deterministic policy and export

    /// The exported policy's network: the actor's hidden layers and its mean head.
    public var meanNetwork: MLP { MLP(layers: actor.denseLayers(outputColumns: 0..<actionSize)) }

    /// The deterministic action tanh(μ(s)) for one raw observation, through the single-sample
    /// kernel: exactly what the exported `FrozenPolicy` computes.
    public func deterministicAction(observation: UnsafeBufferPointer<Float>, into action: UnsafeMutableBufferPointer<Float>) {
        PPOTrainer.deterministicAction(mean: meanNetwork, normalization: normalization, actionScaling: actionScaling,
                                       observation: observation, into: action)
    }

    public func exportPolicy(layout: ObservationLayout, robotIdentity: UInt64, robotName: String,
                             controlRateHz: Double, notes: String) -> PolicyFile {
        PolicyExport.policyFile(mean: meanNetwork, normalization: normalization, actionScaling: actionScaling,
                                layout: layout, robotIdentity: robotIdentity, robotName: robotName,
                                controlRateHz: controlRateHz, notes: notes)
    }
}

/// Loss sums since the last metrics row.
struct SACStatistics {
    var criticLoss = 0.0, actorLoss = 0.0, entropy = 0.0
    var criticSteps = 0, actorSteps = 0
    var sigmaSum = 0.0, sigmaCount = 0
}

/// Where a gradient step's time goes (ns, summed since the learner was built).
public struct SACTiming: Sendable {
    public var steps = 0
    public var actorSteps = 0
    public var criticNanoseconds: Int64 = 0
    public var targetNanoseconds: Int64 = 0
    public var actorNanoseconds: Int64 = 0
    public var temperatureNanoseconds: Int64 = 0
}
