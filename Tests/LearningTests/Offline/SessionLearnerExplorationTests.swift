import Foundation
import Learning
import PolicyFormat
import Testing

/// `furuta learn` publishes each candidate with the exploration SAC itself would use now.
@Suite struct SessionLearnerExplorationTests {
    static func request(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path.replacingOccurrences(of: ".policy", with: ".exploration.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func theUntrainedActorAsksForItsFullSpreadAndAShrunkenσAsksForLess() throws {
        let folder = try SessionLearnerCheckpointTests.folder()
        let learner = SessionLearnerCheckpointTests.learner(folder)
        // Untrained: μ ≈ 0 (output gain 0.01) and log σ = 0, so (1 − tanh² μ)·σ ≈ 1.
        #expect(abs(learner.learner.explorationScale() - 1) < 0.01)
        let first = try Self.request(try learner.publish(notes: "untrained"))
        #expect(abs((first["sigma"] as? Double ?? 0) - 1) < 0.01)
        #expect(first["correlation"] as? Double == 0.95 && first["bound"] as? Double == 0.5)

        // A fine-tuning start puts log σ at −1: the request follows (e^−1 ≈ 0.37 at μ ≈ 0).
        let file = learner.learner.exportPolicy(layout: learner.identity.layout, robotIdentity: 7, robotName: "test",
                                                controlRateHz: 100, notes: "")
        try learner.learner.startActor(from: file)
        let scale = learner.learner.explorationScale()
        #expect(abs(scale - exp(-1.0)) < 0.02, "\(scale)")
        let second = try Self.request(try learner.publish(notes: "fine-tuning start"))
        #expect(abs((second["sigma"] as? Double ?? 0) - scale) < 1e-3)
    }
}
