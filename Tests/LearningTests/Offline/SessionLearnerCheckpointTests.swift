import Foundation
import Learning
import PolicyFormat
import Testing

/// `furuta learn`'s checkpoints: the whole learner (SAC and the ingested episodes) saved to the
/// session folder and restored so that it continues exactly as if it had never stopped.
@Suite struct SessionLearnerCheckpointTests {
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "session-learner-checkpoint-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path + "/episodes", withIntermediateDirectories: true)
        return path
    }

    /// A swinging episode of `rows` running rows, different for each `seed`.
    static func episode(seed: Int, rows: Int = 60) -> String {
        let arm = (0..<rows).map { Int(200 * sin(Double($0 + seed) * 0.07)) }
        let pendulum = (0..<rows).map { Int(900 * sin(Double($0) * 0.11 + Double(seed))) }
        let actions = (0..<rows).map { sin(Double($0 * (seed + 2)) * 0.05) }
        return RecordedEpisodeTests.episodeCSV(armCounts: arm, pendulumCounts: pendulum, actions: actions)
    }

    static func write(_ folder: String, _ index: Int) throws {
        try episode(seed: index).write(toFile: folder + "/episodes/episode-\(String(format: "%06d", index)).csv", atomically: true, encoding: .utf8)
    }

    static func learner(_ folder: String) -> SessionLearner {
        var config = SACConfig()
        config.learningStarts = 50
        config.updatesPerStep = 2
        config.batchSize = 16
        config.actorHiddenWidths = [16]
        config.criticHiddenWidths = [16]
        config.policyDelay = 2
        let identity = SessionLearner.Identity(layout: RecordedEpisodeTests.layout, robotIdentity: 7, robotName: "test",
                                               controlRateHz: 100, armLimit: 2)
        return SessionLearner(folder: folder, identity: identity, config: config, task: SwingUpTask())
    }

    @Test func aLearnerRestoredFromItsCheckpointContinuesBitForBitAndIngestsOnlyNewEpisodes() throws {
        let folder = try Self.folder()
        try Self.write(folder, 1)
        try Self.write(folder, 2)
        let original = Self.learner(folder)
        _ = try original.ingestNew()
        original.train(maxSteps: 40)
        let owedAtCheckpoint = original.owedSteps
        #expect(owedAtCheckpoint > 0)
        try original.saveCheckpoint()

        let resumed = Self.learner(folder)
        let saved = try #require(try resumed.resumeFromFolder())
        #expect(saved.ingested == ["episode-000001.csv", "episode-000002.csv"])
        #expect(resumed.learner.state == original.learner.state)
        #expect(resumed.owedSteps == owedAtCheckpoint)

        // A third episode arrives; both learn from it and the steps owed before.
        try Self.write(folder, 3)
        for learner in [original, resumed] {
            #expect(try learner.ingestNew() == 59) // only episode 3 (60 running rows)
            learner.train(maxSteps: 1_000)
        }
        #expect(resumed.ingested == original.ingested)
        #expect(resumed.learner.replay.added == 3 * 59)
        #expect(resumed.learner.gradientSteps == original.learner.gradientSteps)
        #expect(resumed.learner.state == original.learner.state)
    }

    @Test func aTornNewestCheckpointFallsBackToThePreviousOneAndOnlyTwoAreKept() throws {
        let folder = try Self.folder()
        try Self.write(folder, 1)
        let learner = Self.learner(folder)
        _ = try learner.ingestNew()
        learner.train(maxSteps: 10)
        try learner.saveCheckpoint()
        learner.train(maxSteps: 10)
        try learner.saveCheckpoint()
        let afterTwentySteps = learner.learner.state
        learner.train(maxSteps: 10)
        let newest = try learner.saveCheckpoint()
        let directory = SessionLearnerCheckpoint.directory(in: folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(files == ["checkpoint-00000002.json", "checkpoint-00000003.json"])

        // The newest cut in half (a disk that lost the end of the last write).
        let bytes = try Data(contentsOf: URL(fileURLWithPath: newest))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: newest))
        var skipped: [String] = []
        let fallback = try #require(try SessionLearnerCheckpoint.latest(in: folder) { skipped.append($0) })
        #expect(fallback.sequence == 2)
        #expect(skipped.count == 1 && skipped[0].contains("checkpoint-00000003.json"))
        #expect(fallback.sac == afterTwentySteps)
        let restored = Self.learner(folder)
        try restored.restore(fallback)
        #expect(restored.learner.gradientSteps == 20)
    }

    @Test func aCheckpointOfOtherNetworkShapesIsRefusedWithTheWayOut() throws {
        let folder = try Self.folder()
        try Self.write(folder, 1)
        let learner = Self.learner(folder)
        _ = try learner.ingestNew()
        try learner.saveCheckpoint()
        var config = learner.learner.config
        config.actorHiddenWidths = [32]
        let other = SessionLearner(folder: folder, identity: learner.identity, config: config, task: SwingUpTask())
        #expect { try other.resumeFromFolder() } throws: { error in
            "\(error)".contains("does not fit these settings") && "\(error)".contains("learner")
        }
    }
}
