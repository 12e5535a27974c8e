import PolicyFormat

/// Proximal policy optimisation as an `Algorithm`, read top to bottom: `act` samples the
/// current stochastic policy for every env and records the step, `observe` stores the rewards
/// and the bootstrap values of time-limit truncations, and once T steps are in (`updateIsDue`)
/// `update()` computes GAE advantages and takes epochs × minibatches Adam steps on the clipped
/// surrogate, value loss and entropy bonus. Minibatch arrays carry a `b_` prefix (CleanRL's
/// convention). A `Runner` drives it.
public final class PPOTrainer: Algorithm {
    public let config: PPOConfig
    public let environmentCount: Int
    public let observationSize: Int
    public let actionSize: Int
    public internal(set) var policy: GaussianPolicy
    public internal(set) var critic: MLP
    public internal(set) var normalizer: RunningNormalizer
    public internal(set) var learningRate: AdaptiveLearningRate
    public internal(set) var rng: Xoshiro256StarStar
    public let actionScaling: ActionScaling

    var actorAdam: Adam
    var logStdAdam: Adam
    var criticAdam: Adam
    private var storage: RolloutStorage
    /// Steps recorded in the current rollout.
    var rolloutStep = 0
    private var lastStatistics = TrainingStatistics()

    public init(config: PPOConfig, environmentCount: Int, observationSize o: Int, actionSize a: Int) {
        precondition(config.problems.isEmpty, "PPOConfig: \(config.problems.joined(separator: "; "))")
        self.config = config
        self.environmentCount = environmentCount
        observationSize = o
        actionSize = a
        BLAS.setThreadCount(config.blasThreads)
        var rng = Xoshiro256StarStar(seed: config.seed)
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
        storage = RolloutStorage(steps: config.stepsPerEnvironment, environments: environmentCount,
                                 observationSize: o, actionSize: a)
        actionScaling = .unit(count: a, squash: config.actionSquash)
        self.rng = rng
    }

    /// A learner shaped for `environment` (its count and sizes).
    public convenience init(config: PPOConfig, environment: any BatchedEnvironment) {
        self.init(config: config, environmentCount: environment.count,
                  observationSize: environment.observationSize, actionSize: environment.actionSize)
    }

    /// The normaliser the policy currently uses (identity when normalisation is off).
    public var observationNormalization: ObservationNormalization {
        config.normalizeObservations ? normalizer.frozen() : .identity(size: observationSize)
    }

    public var stepsPerIteration: Int { config.stepsPerEnvironment }
    public var updateIsDue: Bool { rolloutStep == config.stepsPerEnvironment }

    // MARK: Rollout

    public func act(observations raw: UnsafeBufferPointer<Float>, into envActions: UnsafeMutableBufferPointer<Float>) {
        let n = environmentCount
        let observations = normalized(raw, updateStatistics: true)
        let means = policy.mean.predict(observations, batch: n)
        let values = critic.predict(observations, batch: n)
        let actions = policy.sample(means: means, rng: &rng)
        let logProbabilities = policy.logProbabilities(actions: actions, means: means)
        storage.record(step: rolloutStep, observations: observations, actions: actions, means: means,
                       logProbabilities: logProbabilities, values: values)
        // The environment receives s(u) (it clips to [−1, 1] itself as well).
        actions.withUnsafeBufferPointer { u in actionScaling.apply(u.baseAddress!, into: envActions.baseAddress!, count: n) }
    }

    public func observe(_ outcome: StepOutcome) {
        let n = environmentCount, o = observationSize, t = rolloutStep
        // Rewards, episode ends, and V(final observation) for time-limit truncations.
        var truncatedRows: [Int] = []
        for e in 0..<n {
            let i = t * n + e
            storage.rewards[i] = outcome.rewards[e]
            storage.terminated[i] = outcome.terminated[e]
            storage.truncated[i] = outcome.terminated[e] != 0 ? 0 : outcome.truncated[e]
            if storage.truncated[i] != 0 { truncatedRows.append(e) }
        }
        if !truncatedRows.isEmpty {
            var finals = [Float](repeating: 0, count: truncatedRows.count * o)
            for (k, e) in truncatedRows.enumerated() {
                for j in 0..<o { finals[k * o + j] = outcome.finalObservations[e * o + j] }
            }
            let normalization = observationNormalization
            finals.withUnsafeMutableBufferPointer { normalization.normalize($0.baseAddress!, into: $0.baseAddress!, count: truncatedRows.count) }
            let finalValues = critic.predict(finals, batch: truncatedRows.count)
            for (k, e) in truncatedRows.enumerated() { storage.truncationValues[t * n + e] = finalValues[k] }
        }
        rolloutStep += 1
        if rolloutStep == config.stepsPerEnvironment {
            storage.lastValues = critic.predict(normalized(outcome.observations, updateStatistics: false), batch: n)
        }
    }

    /// `environmentCount` raw observations, normalised (after merging them into the running
    /// statistics when asked).
    private func normalized(_ raw: UnsafeBufferPointer<Float>, updateStatistics: Bool) -> [Float] {
        let n = environmentCount, o = observationSize
        var observations = Array(raw.prefix(n * o))
        if config.normalizeObservations {
            if updateStatistics { normalizer.update(observations, rows: n) }
            let normalization = normalizer.frozen()
            observations.withUnsafeMutableBufferPointer { normalization.normalize($0.baseAddress!, into: $0.baseAddress!, count: n) }
        }
        return observations
    }

    public func finishIteration(into statistics: inout TrainingStatistics) {
        let s = lastStatistics
        statistics.policyLoss = s.policyLoss
        statistics.valueLoss = s.valueLoss
        statistics.entropy = s.entropy
        statistics.approximateKL = s.approximateKL
        statistics.clipFraction = s.clipFraction
        statistics.explainedVariance = s.explainedVariance
        statistics.gradientNorm = s.gradientNorm
        statistics.learningRate = s.learningRate
        statistics.actionStd = s.actionStd
        lastStatistics = TrainingStatistics()
    }

    // MARK: Update

    public func update() {
        rolloutStep = 0
        var stats = TrainingStatistics()
        defer { lastStatistics = stats }
        var (advantages, returns) = GAE.compute(
            rewards: storage.rewards, values: storage.values, terminated: storage.terminated,
            truncated: storage.truncated, truncationValues: storage.truncationValues, lastValues: storage.lastValues,
            steps: storage.steps, environments: storage.environments, gamma: config.gamma, lambda: config.gaeLambda)
        if config.normalizeAdvantages { GAE.normalize(&advantages) }
        // Of the values predicted while collecting, before this update fits them (SB3's order).
        stats.explainedVariance = ExplainedVariance.of(predictions: storage.values, targets: returns)

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
    public func exportPolicy(layout: ObservationLayout, robotIdentity: UInt64, robotName: String,
                             controlRateHz: Double, notes: String) -> PolicyFile {
        PolicyExport.policyFile(mean: policy.mean, normalization: observationNormalization, actionScaling: actionScaling,
                                layout: layout, robotIdentity: robotIdentity, robotName: robotName,
                                controlRateHz: controlRateHz, notes: notes)
    }
}
