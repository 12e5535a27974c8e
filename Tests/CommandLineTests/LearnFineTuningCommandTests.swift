import Foundation
import PolicyFormat
import Testing

/// `furuta learn --from POLICY`: the first candidate is published at once, the fine-tuning recipe
/// (fresh critics, actor learning rate 1e-4, behaviour cloning 10) is what the log says, and
/// `--critics-from-run` takes the critics from the SAC checkpoint beside the policy (and refuses
/// to start without one).
@Suite struct LearnFineTuningCommandTests {
    @Test func fromAPolicyPublishesItAndStartsFreshOrRunCriticsWithBehaviourCloning() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("learn-from-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        // A tiny SAC run: 200 env steps, one update per step, no evaluation; it writes final.policy and a checkpoint.
        let train = try BuiltBinaries.run("furuta", ["train", "--algorithm", "sac", "--out", base + "/sac",
                                                     "maxEnvironmentSteps=200", "sac.learningStarts=100", "sac.updatesPerStep=1",
                                                     "evaluation.everyIterations=100000"])
        #expect(train.status == 0, "\(train.stderr)")
        let policy = base + "/sac/final.policy"

        let fresh = try BuiltBinaries.run("furuta", ["learn", "--session", base + "/s1", "--from", policy, "--seconds", "0.5"])
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.stdout.contains("fresh critics"), "\(fresh.stdout)")
        #expect(fresh.stdout.contains("actor steps after 20000 critic steps, actor learning rate 0.0001, behaviour cloning 10"), "\(fresh.stdout)")
        #expect(FileManager.default.fileExists(atPath: base + "/s1/candidates/candidate-000001.policy"))
        // The candidate records the start policy's trained latency, so the controller checks the
        // link against it instead of warning before every episode that the range is unknown.
        let started = try PolicyFile(contentsOfFile: policy).trainedLatency
        #expect(started != nil)
        #expect(try PolicyFile(contentsOfFile: base + "/s1/candidates/candidate-000001.policy").trainedLatency == started)
        #expect(fresh.stdout.contains("candidates record its trained latency"), "\(fresh.stdout)")

        let run = try BuiltBinaries.run("furuta", ["learn", "--session", base + "/s2", "--from", policy, "--critics-from-run",
                                                   "--seconds", "0.5", "--set", "sac.behaviorCloningWeight=3"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("critics and temperature from \(base)/sac/checkpoints"), "\(run.stdout)")
        #expect(run.stdout.contains("actor steps after 2000 critic steps, actor learning rate 0.0001, behaviour cloning 3"), "\(run.stdout)")

        // The same policy alone in a folder: --critics-from-run has no checkpoint to take and says so.
        try FileManager.default.createDirectory(atPath: base + "/alone", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: policy, toPath: base + "/alone/final.policy")
        let alone = try BuiltBinaries.run("furuta", ["learn", "--session", base + "/s4", "--from", base + "/alone/final.policy",
                                                     "--critics-from-run", "--seconds", "0.5"])
        #expect(alone.status != 0)
        #expect(alone.stderr.contains("no readable checkpoint in \(base)/alone/checkpoints"), "\(alone.stderr)")

        let bad = try BuiltBinaries.run("furuta", ["learn", "--session", base + "/s3", "--from", policy, "--seconds", "0.5",
                                                   "--set", "sac.behaviorCloningWeight=-1"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("behaviorCloningWeight"), "\(bad.stderr)")
    }
}

