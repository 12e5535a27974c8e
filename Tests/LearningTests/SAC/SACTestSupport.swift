@testable import Learning

/// A small learner with a replay buffer of random transitions, for the loss tests.
func smallLearner(seed: UInt64 = 4, observationSize: Int = 3, actionSize: Int = 2, batchSize: Int = 16,
                  transitions: Int = 64, configure: (inout SACConfig) -> Void = { _ in }) -> SACLearner {
    var config = SACConfig()
    config.seed = seed
    config.actorHiddenWidths = [8, 8]
    config.criticHiddenWidths = [8, 8]
    config.batchSize = batchSize
    config.replayCapacity = 256
    config.criticDropout = 0.1
    config.initialTemperature = 0.3
    configure(&config)
    let learner = SACLearner(config: config, environmentCount: 1, observationSize: observationSize, actionSize: actionSize)
    var rng = Xoshiro256StarStar(seed: seed &+ 1000)
    var list: [Transition] = []
    for _ in 0..<transitions {
        list.append(Transition(observation: (0..<observationSize).map { _ in Float(rng.nextGaussian()) },
                               action: (0..<actionSize).map { _ in Float(rng.uniform(-0.9...0.9)) },
                               reward: Float(rng.nextGaussian()),
                               nextObservation: (0..<observationSize).map { _ in Float(rng.nextGaussian()) },
                               terminated: rng.nextUniform() < 0.2, truncated: false))
    }
    learner.ingest(list)
    return learner
}

/// Central finite difference of `loss` in parameter `index` of `buffer`.
func centralDifference(_ buffer: UnsafeMutableBufferPointer<Float>, _ index: Int, step h: Float = 1e-2,
                       _ loss: () -> Float) -> Double {
    let saved = buffer[index]
    buffer[index] = saved + h
    let plus = Double(loss())
    buffer[index] = saved - h
    let minus = Double(loss())
    buffer[index] = saved
    return (plus - minus) / (2 * Double(h))
}

/// Largest |analytic − numeric| relative to the largest numeric gradient (so tiny components
/// are judged on the gradient's scale, not their own).
func worstScaledError(_ analytic: [Double], _ numeric: [Double]) -> Double {
    let scale = max(numeric.map(abs).max() ?? 0, 1e-6)
    return zip(analytic, numeric).map { abs($0 - $1) / scale }.max() ?? 0
}

/// The actor loss's analytic gradient against central differences of the same loss, on one
/// sampled minibatch with ε drawn once and the dropout masks held fixed: the loss at the start,
/// the analytic gradient, the worst scaled error, and the masks (to evaluate the loss again).
func actorGradientCheck(_ learner: SACLearner) -> (loss: Float, analytic: [Double], error: Double, masks: Xoshiro256StarStar) {
    learner.batch.sample(from: learner.replay, normalization: learner.normalization, rng: &learner.rng)
    let masks = learner.dropoutRNG.pointee
    learner.dropoutRNG.pointee = masks
    let loss = SACLosses.actorLoss(learner, drawEpsilon: true, gradients: true).loss   // draws ε, keeps it
    let actor = learner.actor
    let analytic = (0..<actor.parameterCount).map { Double(actor.gradients[$0]) }
    let numeric = (0..<actor.parameterCount).map { index in
        centralDifference(actor.parameters, index, step: 1e-2) {
            learner.dropoutRNG.pointee = masks
            return SACLosses.actorLoss(learner, drawEpsilon: false, gradients: false).loss
        }
    }
    return (loss, analytic, worstScaledError(analytic, numeric), masks)
}
