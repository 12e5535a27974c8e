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
