import PolicyFormat
import Simulation

/// Proximal policy optimisation against a `BatchedEnvironment`, read top to bottom:
/// `collectRollout()` runs T steps of every env with the current stochastic policy, then
/// `update()` computes GAE advantages and takes epochs × minibatches Adam steps on the clipped
/// surrogate, value loss and entropy bonus. `iterate()` does both. Minibatch arrays carry a
/// `b_` prefix (CleanRL's convention).
public final class PPOTrainer {
    public let config: PPOConfig
    public let environment: any BatchedEnvironment
    public internal(set) var policy: GaussianPolicy
    public internal(set) var critic: MLP
    public internal(set) var normalizer: RunningNormalizer
    public internal(set) var learningRate: AdaptiveLearningRate
    public internal(set) var rng: Xoshiro256StarStar
    /// Completed iterations and environment steps (all envs).
    public internal(set) var iteration = 0
    public internal(set) var environmentSteps = 0
    public let actionScaling: ActionScaling

    var actorAdam: Adam
    var logStdAdam: Adam
    var criticAdam: Adam
    private var storage: RolloutStorage
    var episodeReturns: [Float]
    var episodeLengths: [Int]

    /// What one iteration did, for the progress line and tests.
    public struct Statistics: Sendable {
        public var iteration = 0
        public var environmentSteps = 0
        /// Mean return and length of the episodes that ended during the rollout (nan if none).
        public var meanEpisodeReturn = Float.nan
        public var meanEpisodeLength = Float.nan
        public var episodesEnded = 0
        public var meanReward: Float = 0
        public var policyLoss: Float = 0
        public var valueLoss: Float = 0
        public var entropy: Float = 0
        public var approximateKL: Float = 0
        public var clipFraction: Float = 0
        public var gradientNorm: Float = 0
        public var learningRate: Float = 0
        public var actionStd: Float = 0
        public var secondsCollecting = 0.0
        public var secondsUpdating = 0.0
    }

    public init(config: PPOConfig, environment: any BatchedEnvironment) {
        precondition(config.problems.isEmpty, "PPOConfig: \(config.problems.joined(separator: "; "))")
        self.config = config
        self.environment = environment
        BLAS.setThreadCount(config.blasThreads)
        var rng = Xoshiro256StarStar(seed: config.seed)
        let o = environment.observationSize, a = environment.actionSize
        policy = GaussianPolicy(observationSize: o, actionSize: a, hiddenWidths: config.hiddenWidths,
                                activation: config.activation, initialLogStd: config.initialLogStd, rng: &rng)
        critic = MLP(widths: [o] + config.hiddenWidths + [1], hiddenActivation: config.activation,
                     outputActivation: .identity, outputGain: 1, rng: &rng)
        normalizer = RunningNormalizer(size: o, clip: config.observationClip)
        learningRate = AdaptiveLearningRate(initial: config.learningRate, targetKL: config.targetKL,
                                            minimum: config.minimumLearningRate, maximum: config.maximumLearningRate)
        actorAdam = Adam(parameterCount: policy.mean.parameters.count)
        logStdAdam = Adam(parameterCount: a)
        criticAdam = Adam(parameterCount: critic.parameters.count)
        storage = RolloutStorage(steps: config.stepsPerEnvironment, environments: environment.count,
                                 observationSize: o, actionSize: a)
        episodeReturns = Array(repeating: 0, count: environment.count)
        episodeLengths = Array(repeating: 0, count: environment.count)
        actionScaling = .unit(count: a, squash: config.actionSquash)
        environment.reset(seed: rng.nextSeed())
        self.rng = rng
    }

    /// The normaliser the policy currently uses (identity when normalisation is off).
    public var observationNormalization: ObservationNormalization {
        config.normalizeObservations ? normalizer.frozen() : .identity(size: environment.observationSize)
    }

    /// One rollout and one update.
    @discardableResult
    public func iterate() -> Statistics {
        var stats = Statistics()
        let start = monotonicSeconds()
        collectRollout(into: &stats)
        let middle = monotonicSeconds()
        update(into: &stats)
        stats.secondsCollecting = middle - start
        stats.secondsUpdating = monotonicSeconds() - middle
        iteration += 1
        stats.iteration = iteration
        stats.environmentSteps = environmentSteps
        return stats
    }

    // MARK: Rollout

    private func collectRollout(into stats: inout Statistics) {
        let n = environment.count, o = environment.observationSize, a = environment.actionSize
        var endedReturns: [Float] = [], endedLengths: [Int] = []
        var rewardSum = 0.0
        var envActions = [Float](repeating: 0, count: n * a)
        for t in 0..<config.stepsPerEnvironment {
            let observations = normalizedCurrentObservations(updateStatistics: true)
            let means = policy.mean.predict(observations, batch: n)
            let values = critic.predict(observations, batch: n)
            let actions = policy.sample(means: means, rng: &rng)
            let logProbabilities = policy.logProbabilities(actions: actions, means: means)
            storage.record(step: t, observations: observations, actions: actions, means: means,
                           logProbabilities: logProbabilities, values: values)
            // The environment receives s(u) (it clips to [−1, 1] itself as well).
            actions.withUnsafeBufferPointer { u in
                envActions.withUnsafeMutableBufferPointer { actionScaling.apply(u.baseAddress!, into: $0.baseAddress!, count: n) }
            }
            envActions.withUnsafeBufferPointer { environment.step(actions: $0) }
            environmentSteps += n

            // Rewards, episode ends, and V(final observation) for time-limit truncations.
            var truncatedRows: [Int] = []
            for e in 0..<n {
                let i = t * n + e
                let r = environment.rewards[e]
                storage.rewards[i] = r
                storage.terminated[i] = environment.terminated[e]
                storage.truncated[i] = environment.terminated[e] != 0 ? 0 : environment.truncated[e]
                rewardSum += Double(r)
                episodeReturns[e] += r
                episodeLengths[e] += 1
                if environment.terminated[e] != 0 || environment.truncated[e] != 0 {
                    endedReturns.append(episodeReturns[e])
                    endedLengths.append(episodeLengths[e])
                    episodeReturns[e] = 0
                    episodeLengths[e] = 0
                }
                if storage.truncated[i] != 0 { truncatedRows.append(e) }
            }
            if !truncatedRows.isEmpty {
                var finals = [Float](repeating: 0, count: truncatedRows.count * o)
                for (k, e) in truncatedRows.enumerated() {
                    for j in 0..<o { finals[k * o + j] = environment.finalObservations[e * o + j] }
                }
                let normalization = observationNormalization
                finals.withUnsafeMutableBufferPointer { normalization.normalize($0.baseAddress!, into: $0.baseAddress!, count: truncatedRows.count) }
                let finalValues = critic.predict(finals, batch: truncatedRows.count)
                for (k, e) in truncatedRows.enumerated() { storage.truncationValues[t * n + e] = finalValues[k] }
            }
        }
        storage.lastValues = critic.predict(normalizedCurrentObservations(updateStatistics: false), batch: n)
        stats.meanReward = Float(rewardSum / Double(storage.transitionCount))
        stats.episodesEnded = endedReturns.count
        if !endedReturns.isEmpty {
            stats.meanEpisodeReturn = endedReturns.reduce(0, +) / Float(endedReturns.count)
            stats.meanEpisodeLength = Float(endedLengths.reduce(0, +)) / Float(endedLengths.count)
        }
    }

    /// The environment's current observations, normalised (after merging them into the running
    /// statistics when asked).
    private func normalizedCurrentObservations(updateStatistics: Bool) -> [Float] {
        let n = environment.count, o = environment.observationSize
        var observations = Array(environment.observations.prefix(n * o))
        if config.normalizeObservations {
            if updateStatistics { normalizer.update(observations, rows: n) }
            let normalization = normalizer.frozen()
            observations.withUnsafeMutableBufferPointer { normalization.normalize($0.baseAddress!, into: $0.baseAddress!, count: n) }
        }
        return observations
    }

    // MARK: Update

    private func update(into stats: inout Statistics) {
        var (advantages, returns) = GAE.compute(
            rewards: storage.rewards, values: storage.values, terminated: storage.terminated,
            truncated: storage.truncated, truncationValues: storage.truncationValues, lastValues: storage.lastValues,
            steps: storage.steps, environments: storage.environments, gamma: config.gamma, lambda: config.gaeLambda)
        if config.normalizeAdvantages { GAE.normalize(&advantages) }

        let o = storage.observationSize, a = storage.actionSize
        let total = storage.transitionCount
        let minibatchSize = max(1, total / config.minibatches)
        var indices = Array(0..<total)
        var updates = 0
        var sums = (policy: 0.0, value: 0.0, entropy: 0.0, kl: 0.0, clip: 0.0, norm: 0.0)
        for _ in 0..<config.epochs {
            indices.shuffle(using: &rng)
            for start in stride(from: 0, to: total - minibatchSize + 1, by: minibatchSize) {
                let batchIndices = indices[start..<(start + minibatchSize)]
                let b_observations = RolloutStorage.gather(storage.observations, width: o, indices: batchIndices)
                let b_actions = RolloutStorage.gather(storage.actions, width: a, indices: batchIndices)
                let b_oldMeans = RolloutStorage.gather(storage.means, width: a, indices: batchIndices)
                let b_oldLogProbabilities = RolloutStorage.gather(storage.logProbabilities, width: 1, indices: batchIndices)
                let b_oldValues = RolloutStorage.gather(storage.values, width: 1, indices: batchIndices)
                let b_advantages = RolloutStorage.gather(advantages, width: 1, indices: batchIndices)
                let b_returns = RolloutStorage.gather(returns, width: 1, indices: batchIndices)
                let oldLogStd = policy.logStd

                let b_means = policy.mean.forward(b_observations, batch: minibatchSize)
                let b_values = critic.forward(b_observations, batch: minibatchSize)
                let (terms, gradients) = PPOLoss.evaluate(
                    means: b_means, logStd: policy.logStd, actions: b_actions,
                    oldLogProbabilities: b_oldLogProbabilities, advantages: b_advantages, values: b_values,
                    oldValues: b_oldValues, returns: b_returns, clipRange: config.clipRange,
                    clipValueLoss: config.clipValueLoss, valueCoefficient: config.valueCoefficient,
                    entropyCoefficient: config.entropyCoefficient)

                // KL(old ‖ current) before this step drives the learning rate (rsl_rl's order).
                let kl = GaussianPolicy.meanKL(oldMeans: b_oldMeans, oldLogStd: oldLogStd,
                                               newMeans: b_means, newLogStd: policy.logStd)
                learningRate.update(kl: kl)

                policy.mean.zeroGradients()
                critic.zeroGradients()
                policy.mean.backward(gradients.means, inputGradientNeeded: false)
                critic.backward(gradients.values, inputGradientNeeded: false)
                var logStdGradient = gradients.logStd
                let norm = GradientClipping.globalNorm([policy.mean.gradients, logStdGradient, critic.gradients])
                let factor = GradientClipping.scaleFactor(norm: norm, maxNorm: config.maxGradientNorm)
                GradientClipping.scale(&policy.mean.gradients, by: factor)
                GradientClipping.scale(&critic.gradients, by: factor)
                GradientClipping.scale(&logStdGradient, by: factor)
                policy.logStdGradient = logStdGradient

                let lr = learningRate.value
                actorAdam.step(parameters: &policy.mean.parameters, gradients: policy.mean.gradients, learningRate: lr)
                logStdAdam.step(parameters: &policy.logStd, gradients: logStdGradient, learningRate: lr)
                criticAdam.step(parameters: &critic.parameters, gradients: critic.gradients, learningRate: lr)

                updates += 1
                sums.policy += Double(terms.policyLoss)
                sums.value += Double(terms.valueLoss)
                sums.entropy += Double(terms.entropy)
                sums.kl += Double(kl)
                sums.clip += Double(terms.clipFraction)
                sums.norm += Double(norm)
            }
        }
        let u = Double(max(updates, 1))
        stats.policyLoss = Float(sums.policy / u)
        stats.valueLoss = Float(sums.value / u)
        stats.entropy = Float(sums.entropy / u)
        stats.approximateKL = Float(sums.kl / u)
        stats.clipFraction = Float(sums.clip / u)
        stats.gradientNorm = Float(sums.norm / u)
        stats.learningRate = learningRate.value
        stats.actionStd = policy.logStd.map { _expf($0) }.reduce(0, +) / Float(a)
    }

    // MARK: Deterministic policy and export

    /// The deterministic action for one raw observation: normalise with the current frozen
    /// statistics, the mean network through PolicyFormat's single-sample kernel, then the action
    /// scaling. Exactly what the exported `FrozenPolicy` computes.
    public func deterministicAction(observation: UnsafeBufferPointer<Float>, into action: UnsafeMutableBufferPointer<Float>) {
        Self.deterministicAction(mean: policy.mean, normalization: observationNormalization,
                                 actionScaling: actionScaling, observation: observation, into: action)
    }

    static func deterministicAction(mean: MLP, normalization: ObservationNormalization, actionScaling: ActionScaling,
                                    observation: UnsafeBufferPointer<Float>, into action: UnsafeMutableBufferPointer<Float>) {
        let o = mean.inputCount, a = mean.outputCount
        withUnsafeTemporaryAllocation(of: Float.self, capacity: o + a) { scratch in
            let z = scratch.baseAddress!, u = scratch.baseAddress! + o
            normalization.normalize(observation.baseAddress!, into: z)
            mean.predictSingle(z, into: u)
            actionScaling.apply(u, into: action.baseAddress!)
        }
    }

    /// The current deterministic policy as a policy file.
    public func exportPolicy(robotIdentity: UInt64, robotName: String, controlRateHz: Double,
                             notes: String = "") -> PolicyFile {
        PolicyExport.policyFile(mean: policy.mean, normalization: observationNormalization, actionScaling: actionScaling,
                                layout: environment.observationLayout, robotIdentity: robotIdentity,
                                robotName: robotName, controlRateHz: controlRateHz,
                                notes: notes.isEmpty ? "PPO seed \(config.seed), iteration \(iteration), \(environmentSteps) env steps" : notes)
    }
}
