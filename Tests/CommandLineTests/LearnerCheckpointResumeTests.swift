import Foundation
import Testing

/// The built `furuta learn` killed with SIGKILL (a crash, a power cut) mid-session and started
/// again: it continues from its checkpoint, ingests only the episode that arrived meanwhile,
/// and counts no episode twice.
@Suite(.serialized) struct LearnerCheckpointResumeTests {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    static var robotPath: String { packageRoot.appendingPathComponent("assets/furuta/robot.yaml").path }

    static let header = "tick,time_s,wake_latency_us,work_us,inference_ns,skipped_periods,phase,homing_stage,"
        + "has_sample,device_time_us,arm_counts,pendulum_counts,arm_angle_rad,pendulum_angle_rad,"
        + "arm_velocity_rad_s,pendulum_velocity_rad_s,action,duty_commanded,duty_applied,device_status,safety_flags"

    /// An episode log in the controller's format: `rows` running rows at 100 Hz of a swinging
    /// pendulum (robot.yaml's encoders: 4096 and 8192 counts per turn): 99 transitions.
    static func episode(seed: Int, rows: Int = 100) -> String {
        var text = header + "\n"
        for k in 0..<rows {
            let arm = Int(300 * sin(Double(k + seed) * 0.05)), pendulum = Int(1_500 * sin(Double(k) * 0.1 + Double(seed)))
            let armAngle = Double(arm) * 2 * .pi / 4096, pendulumAngle = Double(pendulum) * 2 * .pi / 8192
            text += "\(k),\(Double(k) * 0.01),0,0,0,0,running,3,1,\(10_000 * k),\(arm),\(pendulum),"
            text += String(format: "%.5f,%.5f,0.0,0.0,%.5f", armAngle, pendulumAngle, sin(Double(k * (seed + 1)) * 0.03))
            text += ",0,0,0,0\n"
        }
        return text
    }

    static func writeEpisode(_ folder: String, _ index: Int) throws {
        try episode(seed: index).write(toFile: folder + "/episodes/episode-" + String(format: "%06d", index) + ".csv",
                                       atomically: true, encoding: .utf8)
    }

    /// The newest checkpoint's JSON, nil while there is none.
    static func newestCheckpoint(_ folder: String) -> [String: Any]? {
        let directory = folder + "/learner"
        guard let name = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter({ $0.hasPrefix("checkpoint-") && $0.hasSuffix(".json") }).sorted().last,
              let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    static func figures(_ checkpoint: [String: Any]) -> (ingested: [String], gradientSteps: Int, owed: Int, replayAdded: Int) {
        let sac = checkpoint["sac"] as? [String: Any] ?? [:]
        let replay = sac["replay"] as? [String: Any] ?? [:]
        return (checkpoint["ingested"] as? [String] ?? [], sac["gradientSteps"] as? Int ?? -1,
                checkpoint["owedSteps"] as? Int ?? -1, replay["added"] as? Int ?? -1)
    }

    static func start(_ folder: String, output: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltBinaries.path("furuta"))
        process.arguments = ["learn", "--session", folder, "--robot", robotPath, "--checkpoint-seconds", "0.3", "--poll-seconds", "0.1",
                             "--nice", "0", "--publish-every-updates", "100",
                             "--set", "sac.learningStarts=50", "--set", "sac.updatesPerStep=2"]
        FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = process.standardOutput
        try process.run()
        return process
    }

    static func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    @Test func aLearnerKilledMidSessionResumesFromItsCheckpointAndIngestsOnlyWhatItMissed() throws {
        let folder = "/tmp/fl-learn-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder + "/episodes", withIntermediateDirectories: true)
        try Self.writeEpisode(folder, 1)
        try Self.writeEpisode(folder, 2)

        let firstLog = folder + "/first.log"
        let first = try Self.start(folder, output: firstLog)
        // Killed as soon as it checkpointed some learning from both episodes, with steps still owed.
        let learning = Self.waitFor(seconds: 300) {
            guard let c = Self.newestCheckpoint(folder) else { return false }
            let f = Self.figures(c)
            return f.ingested.count == 2 && f.gradientSteps > 0 && f.owed > 0
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(learning, "no checkpoint with both episodes: \((try? String(contentsOfFile: firstLog, encoding: .utf8)) ?? "")")
        let atKill = Self.figures(try #require(Self.newestCheckpoint(folder)))
        #expect(atKill.replayAdded == 2 * 99)

        // Meanwhile the robot recorded episode 3.
        try Self.writeEpisode(folder, 3)
        let secondLog = folder + "/second.log"
        let second = try Self.start(folder, output: secondLog)
        let caughtUp = Self.waitFor(seconds: 300) {
            guard let c = Self.newestCheckpoint(folder) else { return false }
            let f = Self.figures(c)
            return f.ingested.count == 3 && f.owed == 0
        }
        kill(second.processIdentifier, SIGTERM)
        second.waitUntilExit()
        let log = (try? String(contentsOfFile: secondLog, encoding: .utf8)) ?? ""
        #expect(caughtUp, "\(log)")
        #expect(second.terminationReason == .exit && second.terminationStatus == 0, "\(log)")
        #expect(log.contains("resumed from checkpoint") && log.contains("2 episodes ingested, \(atKill.gradientSteps) gradient steps"), "\(log)")
        #expect(!log.contains("episode-000001.csv:") && !log.contains("episode-000002.csv:"), "re-ingested: \(log)")
        #expect(log.contains("episode-000003.csv: 99 transitions"), "\(log)")
        #expect(log.contains("stopping (SIGTERM): checkpoint"), "\(log)")
        let end = Self.figures(try #require(Self.newestCheckpoint(folder)))
        #expect(end.ingested == ["episode-000001.csv", "episode-000002.csv", "episode-000003.csv"])
        #expect(end.replayAdded == 3 * 99) // no episode counted twice
        // Every transition owed its 2 steps exactly once, across both processes.
        #expect(end.gradientSteps == 2 * 3 * 99)
    }
}
