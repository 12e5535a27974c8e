import Foundation
import Learning
import PolicyFormat
import Testing

/// A controller's episode log becomes the transitions the controller's policy saw.
@Suite struct RecordedEpisodeTests {
    static let header = "tick,time_s,wake_latency_us,work_us,inference_ns,skipped_periods,phase,homing_stage,"
        + "has_sample,device_time_us,arm_counts,pendulum_counts,arm_angle_rad,pendulum_angle_rad,"
        + "arm_velocity_rad_s,pendulum_velocity_rad_s,action,duty_commanded,duty_applied,device_status,safety_flags"
    static let layout = ObservationLayout(historyLength: 2, armCountsPerRevolution: 2048, pendulumCountsPerRevolution: 2048)

    /// One log line; angles given in counts so they are exact multiples of 2π/2048.
    static func line(_ tick: Int, phase: String, sample: Bool = true, arm: Int, pendulum: Int, action: Double) -> String {
        let scale = 2 * Double.pi / 2048
        let t = 10_000 * tick
        return "\(tick),\(Double(tick) * 0.01),1,1,0,0,\(phase),3,\(sample ? 1 : 0),\(t),\(arm),\(pendulum),"
            + String(format: "%.5f,%.5f", Double(arm) * scale, Double(pendulum) * scale) + ",0.1,0.2,\(action),0,0,0,0"
    }

    static func episodeCSV(armCounts: [Int], pendulumCounts: [Int], actions: [Double]) -> String {
        var lines = [header, line(0, phase: "homing", arm: 0, pendulum: 0, action: 0.1)]
        for k in armCounts.indices {
            lines.append(line(k + 1, phase: "running", arm: armCounts[k], pendulum: pendulumCounts[k], action: actions[k]))
        }
        lines.append(line(armCounts.count + 1, phase: "safe_stop", arm: 0, pendulum: 0, action: 0))
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func runningRowsWithAFreshStateBecomeTransitionsWithTheTaskReward() throws {
        let csv = Self.episodeCSV(armCounts: [0, 10, 20, 30], pendulumCounts: [0, 100, 300, 600], actions: [0.5, 2, -0.25, 0.3])
        let task = SwingUpTask()
        let transitions = try RecordedEpisode.transitions(csv: csv, layout: Self.layout, task: task, armLimit: 2)
        #expect(transitions.count == 3)
        #expect(transitions.map(\.action) == [[0.5], [1], [-0.25]]) // clipped as the runner clips
        #expect(transitions.map(\.truncated) == [false, false, true])
        #expect(transitions.allSatisfy { !$0.terminated })

        // The observations are the builder's, fed as the controller feeds it.
        var builder = ObservationBuilder(layout: Self.layout)
        var expected: [[Float]] = []
        var previous = [0.0]
        for (k, (a, p)) in zip([0, 10, 20, 30], [0, 100, 300, 600]).enumerated() {
            var out = [Float](repeating: 0, count: Self.layout.size)
            previous.withUnsafeBufferPointer { prev in
                out.withUnsafeMutableBufferPointer { o in
                    builder.observe(armCounts: Int32(a), pendulumCounts: Int32(p), timeUs: Int64(10_000 * (k + 1)), previousAction: prev, into: o)
                }
            }
            expected.append(out)
            previous[0] = [0.5, 1, -0.25, 0.3][k]
        }
        #expect(transitions.map(\.observation) == Array(expected[0..<3]))
        #expect(transitions.map(\.nextObservation) == Array(expected[1..<4]))
        let scale = 2 * Double.pi / 2048
        let r0 = task.reward(armAngle: 10 * scale, armLimit: 2, pendulumAngle: 100 * scale, armVelocity: 0.1,
                             pendulumVelocity: 0.2, action: 0.5)
        #expect(abs(Double(transitions[0].reward) - r0) < 1e-6)
    }

    @Test func leavingTheArmTravelTerminatesWithThePenalty() throws {
        let csv = Self.episodeCSV(armCounts: [0, 400, 800, 900], pendulumCounts: [0, 0, 0, 0], actions: [1, 1, 1, 1])
        let transitions = try RecordedEpisode.transitions(csv: csv, layout: Self.layout, task: SwingUpTask(), armLimit: 2)
        // 800 counts = 2.45 rad > 2: the second transition ends the episode.
        #expect(transitions.count == 2)
        #expect(transitions[1].terminated && !transitions[1].truncated)
        #expect(transitions[1].reward < -9)
    }

    @Test func aLogWithoutTheNeededColumnsIsAnErrorNamingTheColumn() {
        #expect(throws: RecordedEpisode.Failure.self) {
            try RecordedEpisode.transitions(csv: "tick,phase\n1,running\n", layout: Self.layout, task: SwingUpTask(), armLimit: 2)
        }
    }
}

/// The session learner reads the folder, learns, and publishes loadable policies atomically.
@Suite struct SessionLearnerTests {
    @Test func ingestsNewEpisodesOncePublishesNumberedCandidatesAndCatchesUpAfterARestart() throws {
        let folder = NSTemporaryDirectory() + "furuta-learner-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/episodes", withIntermediateDirectories: true)
        let counts = Array(0..<60)
        let csv = RecordedEpisodeTests.episodeCSV(armCounts: counts.map { $0 % 7 }, pendulumCounts: counts.map { $0 * 3 },
                                                  actions: counts.map { sin(Double($0) * 0.3) })
        try csv.write(toFile: folder + "/episodes/episode-000001.csv", atomically: true, encoding: .utf8)
        var config = SACConfig()
        config.batchSize = 16
        config.replayCapacity = 1000
        config.learningStarts = 10
        config.updatesPerStep = 1
        config.actorHiddenWidths = [8]
        config.criticHiddenWidths = [8]
        let identity = SessionLearner.Identity(layout: RecordedEpisodeTests.layout, robotIdentity: 42, robotName: "test",
                                               controlRateHz: 100, armLimit: 2)
        let learner = SessionLearner(folder: folder, identity: identity, config: config, task: SwingUpTask())
        #expect(try learner.poll() == 59)
        #expect(learner.learner.gradientSteps == 59)
        #expect(try learner.poll() == 0) // nothing new
        let first = try learner.publish(notes: "test")
        #expect(first.hasSuffix("candidates/candidate-000001.policy"))
        let file = try PolicyFile(contentsOfFile: first)
        #expect(file.robotIdentity == 42 && file.observationLayout == RecordedEpisodeTests.layout && file.controlRateHz == 100)

        // A new learner on the same folder (no checkpoint saved) takes every episode again and numbers on.
        let restarted = SessionLearner(folder: folder, identity: identity, config: config, task: SwingUpTask())
        #expect(try restarted.poll() == 59)
        #expect(try restarted.publish(notes: "test").hasSuffix("candidate-000002.policy"))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/candidates")
        // Each candidate with the exploration it asks for; no temporary file left.
        #expect(names.sorted() == ["candidate-000001.exploration.json", "candidate-000001.policy",
                                   "candidate-000002.exploration.json", "candidate-000002.policy"])
    }
}
