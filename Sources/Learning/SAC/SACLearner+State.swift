/// The off-policy learner's whole state between two iterations — networks, targets, Adam
/// moments, temperature, normaliser, random streams, exploration noise and the replay buffer —
/// so a checkpoint resumes exactly.
public struct SACLearnerState: Sendable, Codable, Equatable {
    var actor: [Float]
    var critics: [[Float]]
    var targetCritics: [[Float]]
    var actorAdam: Adam
    var criticAdams: [Adam]
    var temperatureAdam: Adam
    var logTemperature: [Float]
    var normalizer: RunningNormalizer
    var rng: Xoshiro256StarStar
    var dropoutRNG: Xoshiro256StarStar
    var smoothnessRNG: Xoshiro256StarStar
    var smoothness: SmoothnessMeter
    var exploration: ExplorationState.Snapshot
    var gradientSteps: Int
    var replay: ReplayBuffer.Snapshot
}

extension SACLearner {
    public var state: SACLearnerState {
        SACLearnerState(actor: actor.parameterArray, critics: critics.map(\.parameterArray),
                        targetCritics: targetCritics.map(\.parameterArray), actorAdam: actorAdam, criticAdams: criticAdams,
                        temperatureAdam: temperatureAdam, logTemperature: logTemperature, normalizer: normalizer, rng: rng,
                        dropoutRNG: dropoutRNG.pointee, smoothnessRNG: smoothnessRNG, smoothness: smoothness,
                        exploration: exploration.snapshot, gradientSteps: gradientSteps, replay: replay.snapshot())
    }

    /// Continue from a saved state; shapes must be this configuration's.
    public func restore(_ s: SACLearnerState) throws(TrainerStateMismatch) {
        guard s.actor.count == actor.parameterCount, s.critics.count == critics.count,
              zip(s.critics, critics).allSatisfy({ $0.count == $1.parameterCount }),
              s.targetCritics.count == critics.count, s.normalizer.size == observationSize else {
            throw TrainerStateMismatch(description: "the checkpoint's networks differ from this configuration's")
        }
        try replay.restore(s.replay)
        try exploration.restore(s.exploration)
        actor.setParameters(s.actor)
        for i in critics.indices {
            critics[i].setParameters(s.critics[i])
            targetCritics[i].setParameters(s.targetCritics[i])
        }
        actorAdam = s.actorAdam
        criticAdams = s.criticAdams
        temperatureAdam = s.temperatureAdam
        logTemperature = s.logTemperature
        normalizer = s.normalizer
        normalization = config.normalizeObservations ? normalizer.frozen() : .identity(size: observationSize)
        rng = s.rng
        dropoutRNG.pointee = s.dropoutRNG
        smoothnessRNG = s.smoothnessRNG
        smoothness = s.smoothness
        gradientSteps = s.gradientSteps
    }
}
