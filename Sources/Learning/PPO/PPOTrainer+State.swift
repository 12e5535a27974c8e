/// The learner's whole state between two iterations — weights, optimiser moments, normaliser,
/// learning rate and random stream — so a checkpoint resumes exactly (the runner saves its
/// own counters).
public struct PPOTrainerState: Sendable, Codable, Equatable {
    var actorParameters: [Float]
    var logStd: [Float]
    var criticParameters: [Float]
    var actorAdam: Adam
    var logStdAdam: Adam
    var criticAdam: Adam
    var normalizer: RunningNormalizer
    var learningRate: AdaptiveLearningRate
    var rng: Xoshiro256StarStar
}

extension PPOTrainer {
    /// Saved between iterations, when the rollout is empty.
    public var state: PPOTrainerState {
        precondition(rolloutStep == 0, "PPO state is saved between iterations")
        return PPOTrainerState(actorParameters: policy.mean.parameters, logStd: policy.logStd,
                               criticParameters: critic.parameters, actorAdam: actorAdam, logStdAdam: logStdAdam,
                               criticAdam: criticAdam, normalizer: normalizer, learningRate: learningRate, rng: rng)
    }

    /// Continue from a saved state; the network shapes must be the ones this trainer was built with.
    public func restore(_ s: PPOTrainerState) throws(TrainerStateMismatch) {
        guard s.actorParameters.count == policy.mean.parameters.count,
              s.criticParameters.count == critic.parameters.count, s.logStd.count == policy.logStd.count else {
            throw TrainerStateMismatch(description: "the checkpoint's networks differ from this configuration's")
        }
        policy.mean.parameters = s.actorParameters
        policy.logStd = s.logStd
        critic.parameters = s.criticParameters
        actorAdam = s.actorAdam
        logStdAdam = s.logStdAdam
        criticAdam = s.criticAdam
        normalizer = s.normalizer
        learningRate = s.learningRate
        rng = s.rng
    }
}
