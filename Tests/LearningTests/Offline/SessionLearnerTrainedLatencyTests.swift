import Foundation
import Learning
import PolicyFormat
import Testing

/// Candidates record the trained latency the learner was given (`--from`'s), or none from
/// scratch: the controller checks each episode's link against it.
@Suite struct SessionLearnerTrainedLatencyTests {
    static func learner(folder: String) -> SessionLearner {
        var config = SACConfig()
        config.actorHiddenWidths = [8]
        config.criticHiddenWidths = [8]
        let identity = SessionLearner.Identity(layout: RecordedEpisodeTests.layout, robotIdentity: 42, robotName: "test",
                                               controlRateHz: 100, armLimit: 2)
        return SessionLearner(folder: folder, identity: identity, config: config, task: SwingUpTask())
    }

    @Test func everyCandidateCarriesTheGivenRangeAndNoneWithoutOne() throws {
        let folder = NSTemporaryDirectory() + "furuta-learner-latency-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let learner = Self.learner(folder: folder)
        let scratch = try PolicyFile(contentsOfFile: try learner.publish(notes: "from scratch"))
        #expect(scratch.trainedLatency == nil)
        learner.trainedLatency = TrainedLatency(minimumSeconds: 0.003, maximumSeconds: 0.005)
        for _ in 0..<2 {
            let file = try PolicyFile(contentsOfFile: try learner.publish(notes: "fine-tuned"))
            #expect(file.trainedLatency == TrainedLatency(minimumSeconds: 0.003, maximumSeconds: 0.005))
        }
    }
}
