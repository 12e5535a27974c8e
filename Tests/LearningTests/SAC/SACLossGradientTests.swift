import Testing
@testable import Learning

/// Every SAC loss against central finite differences of the same loss, with the minibatch,
/// the policy noise ε and the dropout masks held fixed. The networks use tanh so the losses are
/// smooth (ReLU's kinks make finite differences wrong wherever a unit crosses zero; the layer
/// code is shared and checked with both in DenseNetworkGradientTests).
@Suite("SAC loss gradients")
struct SACLossGradientTests {
    @Test func criticLossGradientEqualsFiniteDifferences() {
        let learner = smallLearner { $0.hiddenActivation = .tanh }
        learner.batch.sample(from: learner.replay, normalization: learner.normalization, rng: &learner.rng)
        SACLosses.computeTargets(learner)
        let masks = learner.dropoutRNG.pointee
        func loss() -> Float {
            learner.dropoutRNG.pointee = masks
            return SACLosses.criticLoss(learner, gradients: false)
        }
        learner.dropoutRNG.pointee = masks
        _ = SACLosses.criticLoss(learner, gradients: true)
        for critic in learner.critics {
            let analytic = (0..<critic.parameterCount).map { Double(critic.gradients[$0]) }
            let numeric = (0..<critic.parameterCount).map { centralDifference(critic.parameters, $0, step: 1e-3, loss) }
            let error = worstScaledError(analytic, numeric)
            #expect(error < 5e-3, "critic gradient error \(error)")
            #expect(analytic.contains { $0 != 0 })
        }
    }

    @Test func actorLossGradientEqualsFiniteDifferences() {
        let learner = smallLearner { $0.hiddenActivation = .tanh }
        let (_, analytic, error, _) = actorGradientCheck(learner)
        #expect(error < 5e-3, "actor gradient error \(error)")
        let actor = learner.actor
        // Both heads get gradient: the mean's and the log-std's.
        let last = actor.layers[actor.layers.count - 1]
        #expect(analytic[last.biasesOffset] != 0 && analytic[last.biasesOffset + 2] != 0)
    }

    @Test func actorLossWithBehaviourCloningGradientEqualsFiniteDifferences() {
        let learner = smallLearner { $0.hiddenActivation = .tanh; $0.behaviorCloningWeight = 3 }
        // A reference actor away from the actor, so the cloning term and its gradient are not 0.
        var rng = Xoshiro256StarStar(seed: 77)
        let reference = DenseNetwork(widths: [3, 8, 8, 4], hiddenActivation: .tanh, outputGain: 1, maxBatch: 16, rng: &rng)
        learner.referenceActor = reference
        let (withCloning, _, error, masks) = actorGradientCheck(learner)
        #expect(error < 5e-3, "actor gradient error with behaviour cloning \(error)")
        // The term is there: the same loss without it is smaller (the same dropout masks).
        learner.referenceActor = nil
        learner.dropoutRNG.pointee = masks
        #expect(SACLosses.actorLoss(learner, drawEpsilon: false, gradients: false).loss < withCloning)
    }

    @Test func temperatureLossGradientEqualsFiniteDifferences() {
        for meanLogProbability: Float in [-3, -0.5, 1.2] {
            let logAlpha: Float = -1.3, target: Float = -2
            let (_, gradient) = SACLosses.temperatureLoss(logTemperature: logAlpha, meanLogProbability: meanLogProbability,
                                                          targetEntropy: target)
            let h: Float = 1e-2
            let plus = SACLosses.temperatureLoss(logTemperature: logAlpha + h, meanLogProbability: meanLogProbability, targetEntropy: target).loss
            let minus = SACLosses.temperatureLoss(logTemperature: logAlpha - h, meanLogProbability: meanLogProbability, targetEntropy: target).loss
            #expect(abs(gradient - (plus - minus) / (2 * h)) < 1e-4)
        }
    }

    @Test func temperatureRisesWhenEntropyIsBelowTargetAndFallsWhenAbove() {
        // Entropy estimate −log π: below the target H̄ the temperature must grow, above it shrink.
        let low = smallLearner(), high = smallLearner()
        let before = low.temperature
        for _ in 0..<20 {
            SACLosses.temperatureStep(low, meanLogProbability: -low.targetEntropy + 1)    // entropy H̄ − 1
            SACLosses.temperatureStep(high, meanLogProbability: -high.targetEntropy - 1)  // entropy H̄ + 1
        }
        #expect(low.temperature > before)
        #expect(high.temperature < before)
    }
}
