import Testing
import PolicyFormat
@testable import Learning

@Suite("SAC learner", .serialized)
struct SACLearnerTests {
    /// One env's step outcome with the given flags; the final observation differs from the
    /// next (auto-reset) one so a test can tell which was stored.
    final class OneStep {
        var next: [Float] = [9, 9, 9], final: [Float] = [1, 2, 3], reward: [Float] = [0.5]
        var terminated: [UInt8] = [0], truncated: [UInt8] = [0]
        func outcome(_ body: (StepOutcome) -> Void) {
            next.withUnsafeBufferPointer { n in final.withUnsafeBufferPointer { f in reward.withUnsafeBufferPointer { r in
                terminated.withUnsafeBufferPointer { d in truncated.withUnsafeBufferPointer { t in
                    body(StepOutcome(count: 1, observationSize: 3, observations: n, finalObservations: f, rewards: r,
                                     terminated: d, truncated: t))
                } }
            } } }
        }
    }

    func learnerAfterOneStep(terminated: UInt8, truncated: UInt8) -> SACLearner {
        let learner = smallLearner(observationSize: 3, actionSize: 1, transitions: 0) { $0.normalizeObservations = false }
        var action: [Float] = [0]
        let observation: [Float] = [0.1, 0.2, 0.3]
        observation.withUnsafeBufferPointer { o in action.withUnsafeMutableBufferPointer { learner.act(observations: o, into: $0) } }
        let step = OneStep()
        step.terminated = [terminated]
        step.truncated = [truncated]
        step.outcome { learner.observe($0) }
        return learner
    }

    @Test func truncationBootstrapsFromTheFinalObservationAndTerminationDoesNot() {
        let truncated = learnerAfterOneStep(terminated: 0, truncated: 1)
        let row = Array(truncated.replay.row(0))
        // [obs 3 | action 1 | reward | terminal | next 3]
        #expect(row[5] == 0, "a truncation is not terminal")
        #expect(Array(row[6...]) == [1, 2, 3], "next is the ended episode's final observation")
        let terminated = learnerAfterOneStep(terminated: 1, truncated: 0)
        #expect(terminated.replay.row(0)[5] == 1)
        let continuing = learnerAfterOneStep(terminated: 0, truncated: 0)
        #expect(Array(continuing.replay.row(0)[6...]) == [9, 9, 9])

        // Targets from a buffer holding only that one row: y = r exactly when terminal,
        // y = r + γ(min Q′ − α log π) otherwise.
        for (learner, terminal) in [(terminated, true), (truncated, false)] {
            learner.batch.sample(from: learner.replay, normalization: learner.normalization, rng: &learner.rng)
            SACLosses.computeTargets(learner)
            for b in 0..<learner.batch.size {
                let soft = learner.batch.minimumTargetQ[b] - learner.temperature * learner.batch.logProbabilities[b]
                let expected = terminal ? Float(0.5) : 0.5 + learner.config.gamma * soft
                #expect(abs(learner.batch.targets[b] - expected) < 1e-6)
                if !terminal { #expect(abs(soft) > 1e-4) }
            }
        }
    }

    @Test func targetNetworksFollowThePolyakAverage() {
        let learner = smallLearner()
        let targetsBefore = learner.targetCritics.map(\.parameterArray)
        #expect(targetsBefore[0] == learner.critics[0].parameterArray, "targets start as copies")
        learner.gradientStep()
        let tau = learner.config.tau
        for i in learner.critics.indices {
            let online = learner.critics[i].parameterArray, target = learner.targetCritics[i].parameterArray
            #expect(online != targetsBefore[i], "the critic moved")
            for k in online.indices {
                let expected = (1 - tau) * targetsBefore[i][k] + tau * online[k]
                #expect(abs(target[k] - expected) <= 1e-7 * max(1, abs(expected)))
            }
        }
    }

    @Test func exportedPolicyGivesBitIdenticalActionsToTheLearnersDeterministicPolicy() throws {
        let learner = smallLearner(observationSize: 3, actionSize: 2)
        for _ in 0..<20 { learner.gradientStep() }
        let layout = ObservationLayout(features: [.armAngle, .armVelocity, .pendulumSin], historyLength: 0, actionCount: 2,
                                       armCountsPerRevolution: 4096, pendulumCountsPerRevolution: 4096)
        let file = learner.exportPolicy(layout: layout, robotIdentity: 1, robotName: "test", controlRateHz: 100, notes: "")
        #expect(file.actionScaling.squash == .tanh)
        #expect(file.normalization == learner.observationNormalization)
        let frozen = try FrozenPolicy(decoding: try file.encoded())
        var rng = Xoshiro256StarStar(seed: 3)
        var mismatches = 0
        var fromLearner: [Float] = [0, 0], fromFile: [Float] = [0, 0]
        for _ in 0..<2000 {
            let observation = (0..<3).map { _ in Float(rng.nextGaussian() * 2) }
            observation.withUnsafeBufferPointer { o in
                fromLearner.withUnsafeMutableBufferPointer { learner.deterministicAction(observation: o, into: $0) }
                fromFile.withUnsafeMutableBufferPointer { frozen.act(observation: o, action: $0) }
            }
            if fromLearner.map(\.bitPattern) != fromFile.map(\.bitPattern) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func sameSeedGivesTheSameLearner() {
        let a = smallLearner(seed: 8), b = smallLearner(seed: 8)
        for _ in 0..<10 { a.gradientStep(); b.gradientStep() }
        #expect(a.state == b.state)
        let c = smallLearner(seed: 9)
        for _ in 0..<10 { c.gradientStep() }
        #expect(a.actor.parameterArray != c.actor.parameterArray)
    }

    @Test func stateRestoresIntoAFreshLearnerAndContinuesIdentically() throws {
        let a = smallLearner(seed: 12)
        for _ in 0..<15 { a.gradientStep() }
        let saved = a.state
        let b = smallLearner(seed: 12, transitions: 0)
        try b.restore(saved)
        for _ in 0..<15 { a.gradientStep(); b.gradientStep() }
        #expect(a.state == b.state)
    }
}
