import PolicyFormat

extension SACLearner {
    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The actor's widths and hidden activation a policy file needs for `startActor(from:)`:
    /// set them in the config before building the learner.
    public static func actorShape(of file: PolicyFile) -> (widths: [Int], activation: Activation) {
        (file.hiddenWidths, file.layers.first?.activation ?? .relu)
    }

    /// Starts the actor from an exported policy (fine-tuning a sim-trained one): the hidden
    /// layers and the mean head are copied, so the deterministic action tanh(μ(s)) is the
    /// file's; the log-σ head keeps its initial weights with its bias set to `initialLogStd`;
    /// the observation normaliser becomes the file's with a prior weight of `normalizerPriorCount`
    /// samples (robot data then shifts it slowly instead of replacing it). A frozen copy of the
    /// started actor is kept as `referenceActor` (the behaviour-cloning target).
    public func startActor(from file: PolicyFile, initialLogStd: Float = -1, normalizerPriorCount: Double = 1e6) throws(StartFailure) {
        let a = actionSize
        guard file.observationLayout.size == observationSize, file.actionScaling.count == a else {
            throw StartFailure(description: "the policy takes \(file.observationLayout.size) inputs and gives \(file.actionScaling.count) actions; the learner \(observationSize) and \(a) (same --set historyLength as the policy's training?)")
        }
        guard file.actionScaling.squash == .tanh, file.actionScaling.scale.allSatisfy({ $0 == 1 }),
              file.actionScaling.offset.allSatisfy({ $0 == 0 }) else {
            throw StartFailure(description: "the policy's actions are not tanh-squashed to [−1, 1] as SAC's are: fine-tune a policy trained with `furuta train --algorithm sac`")
        }
        guard file.layers.count == actor.layers.count else {
            throw StartFailure(description: "the policy has \(file.layers.count) layers, the actor \(actor.layers.count): set sac.actorHiddenWidths=\(file.hiddenWidths)")
        }
        for (k, (source, target)) in zip(file.layers, actor.layers).enumerated() {
            let last = k == actor.layers.count - 1
            guard source.inputCount == target.inputCount, source.outputCount == (last ? target.outputCount / 2 : target.outputCount),
                  last || source.activation == target.activation else {
                throw StartFailure(description: "the policy's layer \(k) (\(source.inputCount)×\(source.outputCount), \(source.activation.name)) does not fit the actor's (\(target.inputCount)×\(target.outputCount), \(target.activation.name))")
            }
            for i in 0..<source.inputCount {
                for o in 0..<source.outputCount {
                    actor.parameters[target.weightsOffset + i * target.outputCount + o] = source.weights[i * source.outputCount + o]
                }
            }
            for o in 0..<source.outputCount { actor.parameters[target.biasesOffset + o] = source.biases[o] }
        }
        let lo = config.logStdMinimum, hi = config.logStdMaximum
        let raw = Float(_atanh(Double(2 * (initialLogStd - lo) / (hi - lo) - 1)))
        let last = actor.layers[actor.layers.count - 1]
        for j in 0..<a { actor.parameters[last.biasesOffset + a + j] = min(max(raw, -3), 3) }
        var rng = Xoshiro256StarStar(seed: config.seed)
        let reference = DenseNetwork(widths: [observationSize] + config.actorHiddenWidths + [2 * a],
                                     hiddenActivation: config.hiddenActivation, maxBatch: config.batchSize, rng: &rng)
        reference.copyParameters(from: actor)
        referenceActor = reference
        let n = file.normalization
        normalizer = RunningNormalizer(mean: n.mean.map(Double.init), variance: n.variance.map(Double.init),
                                       count: normalizerPriorCount, epsilon: n.epsilon, clip: n.clip)
        normalization = config.normalizeObservations ? normalizer.frozen() : normalization
    }
}

extension SACLearner {
    /// Starts the critics, their targets and the temperature from a saved learner (the
    /// checkpoint of the sim run that trained the start policy), so the first actor steps follow
    /// critics that already value the start actor rather than ones fitted to a few thousand robot
    /// transitions. (Measured in docs/sessions.md: they value the simulator's robot, and on a
    /// mismatched one they did worse than fresh critics with behaviour cloning; opt-in.) The actor,
    /// normaliser, replay buffer and Adam moments of the saved learner are not taken.
    public func startCritics(from saved: SACLearnerState) throws(StartFailure) {
        guard saved.critics.count == critics.count, saved.targetCritics.count == critics.count,
              zip(saved.critics, critics).allSatisfy({ $0.count == $1.parameterCount }) else {
            throw StartFailure(description: "the checkpoint's critics (\(saved.critics.count), \(saved.critics.first?.count ?? 0) parameters each) do not fit this learner's (\(critics.count), \(critics.first?.parameterCount ?? 0)): set sac.criticHiddenWidths and sac.criticCount as in that run")
        }
        for i in critics.indices {
            critics[i].setParameters(saved.critics[i])
            targetCritics[i].setParameters(saved.targetCritics[i])
        }
        logTemperature = saved.logTemperature
    }
}
