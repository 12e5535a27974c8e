import Foundation
@testable import Learning
import PolicyFormat
import Testing

/// `furuta learn --from`: the actor starts from a given policy's weights and normaliser.
@Suite struct SACFineTuningStartTests {
    static let layout = ObservationLayout(features: [.armAngle, .armVelocity, .pendulumSin], historyLength: 0, actionCount: 2,
                                          armCountsPerRevolution: 4096, pendulumCountsPerRevolution: 4096)

    @Test func aLearnerStartedFromAPolicyActsExactlyAsThatPolicyAndHoldsItThroughTheActorWarmup() throws {
        // The "sim-trained" policy: another learner (seed 9) after some training.
        let trained = smallLearner(seed: 9, observationSize: 3, actionSize: 2)
        for _ in 0..<50 { trained.gradientStep() }
        let file = trained.exportPolicy(layout: Self.layout, robotIdentity: 1, robotName: "test", controlRateHz: 100, notes: "")
        let frozen = try FrozenPolicy(decoding: try file.encoded())

        let learner = smallLearner(seed: 4, observationSize: 3, actionSize: 2) { $0.actorWarmupSteps = 30 }
        func mismatches() -> Int {
            var rng = Xoshiro256StarStar(seed: 3)
            var fromLearner: [Float] = [0, 0], fromFile: [Float] = [0, 0]
            var count = 0
            for _ in 0..<500 {
                let observation = (0..<3).map { _ in Float(rng.nextGaussian() * 2) }
                observation.withUnsafeBufferPointer { o in
                    fromLearner.withUnsafeMutableBufferPointer { learner.deterministicAction(observation: o, into: $0) }
                    fromFile.withUnsafeMutableBufferPointer { frozen.act(observation: o, action: $0) }
                }
                if fromLearner.map(\.bitPattern) != fromFile.map(\.bitPattern) { count += 1 }
            }
            return count
        }
        #expect(mismatches() == 500) // a different actor before the start
        try learner.startActor(from: file)
        #expect(mismatches() == 0)
        #expect(learner.observationNormalization == file.normalization)
        // The critics learn, the actor waits (30 critic steps), then it moves.
        for _ in 0..<30 { learner.gradientStep() }
        #expect(mismatches() == 0)
        for _ in 0..<20 { learner.gradientStep() }
        #expect(mismatches() > 0)
    }

    /// Mean |tanh μ(s) − tanh μ_file(s)| over fixed random observations.
    static func distance(_ learner: SACLearner, _ frozen: FrozenPolicy) -> Double {
        var rng = Xoshiro256StarStar(seed: 3)
        var a: [Float] = [0, 0], b: [Float] = [0, 0]
        var sum = 0.0
        for _ in 0..<200 {
            let observation = (0..<3).map { _ in Float(rng.nextGaussian()) }
            observation.withUnsafeBufferPointer { o in
                a.withUnsafeMutableBufferPointer { learner.deterministicAction(observation: o, into: $0) }
                b.withUnsafeMutableBufferPointer { frozen.act(observation: o, action: $0) }
            }
            sum += zip(a, b).reduce(0) { $0 + Double(abs($1.0 - $1.1)) } / 2
        }
        return sum / 200
    }

    @Test func behaviourCloningKeepsTheFineTunedActorNearTheStartPolicy() throws {
        let trained = smallLearner(seed: 9, observationSize: 3, actionSize: 2)
        for _ in 0..<50 { trained.gradientStep() }
        let file = trained.exportPolicy(layout: Self.layout, robotIdentity: 1, robotName: "test", controlRateHz: 100, notes: "")
        let frozen = try FrozenPolicy(decoding: try file.encoded())
        func drift(weight: Float) throws -> Double {
            let learner = smallLearner(seed: 4, observationSize: 3, actionSize: 2) {
                $0.policyDelay = 1
                $0.behaviorCloningWeight = weight
            }
            try learner.startActor(from: file)
            #expect(learner.referenceActor != nil)
            for _ in 0..<300 { learner.gradientStep() }
            return Self.distance(learner, frozen)
        }
        let free = try drift(weight: 0), held = try drift(weight: 50)
        #expect(free > 0.05, "the actor did not move without cloning (\(free))")
        #expect(held < free / 3, "cloning moved the actor \(held), without \(free)")
    }

    @Test func criticsStartedFromASavedLearnerAreItsCriticsAndTargets() throws {
        let trained = smallLearner(seed: 9, observationSize: 3, actionSize: 2)
        for _ in 0..<50 { trained.gradientStep() }
        let learner = smallLearner(seed: 4, observationSize: 3, actionSize: 2)
        #expect(learner.critics[0].parameterArray != trained.critics[0].parameterArray)
        try learner.startCritics(from: trained.state)
        for i in learner.critics.indices {
            #expect(learner.critics[i].parameterArray == trained.critics[i].parameterArray)
            #expect(learner.targetCritics[i].parameterArray == trained.targetCritics[i].parameterArray)
        }
        #expect(learner.temperature == trained.temperature)
        // Another critic shape is refused with the settings to change.
        let wide = smallLearner(seed: 4, observationSize: 3, actionSize: 2) { $0.criticHiddenWidths = [16, 16] }
        do {
            try wide.startCritics(from: trained.state)
            Issue.record("critics of another shape were taken")
        } catch {
            #expect(error.description.contains("criticHiddenWidths"))
        }
    }

    @Test func aPolicyOfAnotherShapeIsRefusedWithWhatToChange() {
        let other = smallLearner(seed: 9, observationSize: 3, actionSize: 2) { $0.actorHiddenWidths = [16] }
        let file = other.exportPolicy(layout: Self.layout, robotIdentity: 1, robotName: "test", controlRateHz: 100, notes: "")
        let learner = smallLearner(seed: 4, observationSize: 3, actionSize: 2)
        do {
            try learner.startActor(from: file)
            Issue.record("a 1-layer policy was loaded into a 2-layer actor")
        } catch {
            #expect(error.description.contains("actorHiddenWidths"))
        }
        #expect(SACLearner.actorShape(of: file).widths == [16])
    }
}
