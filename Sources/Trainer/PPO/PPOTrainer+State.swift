import Simulation
/// The learner's whole state between two iterations — weights, optimiser moments, normaliser,
/// learning rate, random stream and counters — so a checkpoint resumes exactly.
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
    var iteration: Int
    var environmentSteps: Int
    var episodeReturns: [Float]
    var episodeLengths: [Int]
}

public struct TrainerStateMismatch: Error, CustomStringConvertible {
    public var description: String
}

extension PPOTrainer {
    public var state: PPOTrainerState {
        PPOTrainerState(actorParameters: policy.mean.parameters, logStd: policy.logStd,
                        criticParameters: critic.parameters, actorAdam: actorAdam, logStdAdam: logStdAdam,
                        criticAdam: criticAdam, normalizer: normalizer, learningRate: learningRate, rng: rng,
                        iteration: iteration, environmentSteps: environmentSteps, episodeReturns: episodeReturns,
                        episodeLengths: episodeLengths)
    }

    /// Continue from a saved state; the network shapes must be the ones this trainer was built with.
    public func restore(_ s: PPOTrainerState) throws(TrainerStateMismatch) {
        guard s.actorParameters.count == policy.mean.parameters.count,
              s.criticParameters.count == critic.parameters.count, s.logStd.count == policy.logStd.count,
              s.episodeReturns.count == episodeReturns.count else {
            throw TrainerStateMismatch(description: "the checkpoint's networks or env count differ from this configuration's")
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
        iteration = s.iteration
        environmentSteps = s.environmentSteps
        episodeReturns = s.episodeReturns
        episodeLengths = s.episodeLengths
    }
}
