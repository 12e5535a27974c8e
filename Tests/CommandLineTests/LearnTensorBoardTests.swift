import Foundation
import Testing

/// `furuta learn` leaves event files in the session folder that TensorBoard's own reader loads:
/// per episode what the learner made of the log and what the controller recorded of it in
/// session.json, per published policy the learner's losses, temperature and speed.
@Suite struct LearnTensorBoardTests {
    static let header = "tick,time_s,wake_latency_us,work_us,inference_ns,skipped_periods,phase,homing_stage,"
        + "has_sample,device_time_us,arm_counts,pendulum_counts,arm_angle_rad,pendulum_angle_rad,"
        + "arm_velocity_rad_s,pendulum_velocity_rad_s,action,duty_commanded,duty_applied,device_status,safety_flags"

    /// An episode log in the controller's format: `rows` running rows of an arm sweeping and a
    /// pendulum swinging by `swing` rad (the shipped robot's 4096 and 8192 counts a turn).
    static func episodeLog(rows: Int, swing: Double) -> String {
        var lines = [header]
        for tick in 0...rows {
            let t = Double(tick) * 0.01
            let arm = Int((0.5 * sin(t) * 4096 / (2 * .pi)).rounded())
            let pendulum = Int((swing * sin(5 * t) * 8192 / (2 * .pi)).rounded())
            let armAngle = Double(arm) * 2 * .pi / 4096, pendulumAngle = Double(pendulum) * 2 * .pi / 8192
            lines.append("\(tick),\(t),1,1,0,0,\(tick == 0 ? "homing" : "running"),3,1,\(10_000 * tick),\(arm),\(pendulum),"
                + String(format: "%.5f,%.5f,0.1,0.2,%.3f,0,0,0,0", armAngle, pendulumAngle, 0.3 * sin(3 * t)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// session.json as the controller writes it, listing episodes 1 and 2 (3 is "not yet").
    static let sessionState = """
        {"episodes": [
          {"index": 1, "policy": "candidate-000001.policy", "policy_checksum": 1, "outcome": "completed", "longest_upright_s": 6.5,
           "running_s": 10.0, "success": true, "duty_variation": 1, "reversals": 1},
          {"index": 2, "policy": "candidate-000002.policy", "policy_checksum": 2, "outcome": "safety_fault", "fault": "arm_soft_limit",
           "longest_upright_s": 0.5, "running_s": 7.5, "success": false, "duty_variation": 1, "reversals": 1}],
         "policies_used": [], "last_candidate_judged": 2, "rejected_policies": []}
        """

    @Test func tensorBoardShowsTheSessionsEpisodesAndTheLearnersFigures() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("learn-tb-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let episodes = folder.appendingPathComponent("episodes")
        try FileManager.default.createDirectory(at: episodes, withIntermediateDirectories: true)
        for (k, swing) in [0.5, 1.5, 3.0].enumerated() {
            try Self.episodeLog(rows: 150, swing: swing).write(to: episodes.appendingPathComponent(String(format: "episode-%06d.csv", k + 1)),
                                                               atomically: true, encoding: .utf8)
        }
        try Self.sessionState.write(to: folder.appendingPathComponent("session.json"), atomically: true, encoding: .utf8)
        let arguments = ["learn", "--session", folder.path, "--robot", RobotDescriptionPaths.shipped, "--seconds", "6",
                         "--poll-seconds", "0.1", "--publish-every-updates", "100", "--nice", "0",
                         "--set", "sac.learningStarts=100", "--set", "sac.updatesPerStep=1",
                         "--set", "sac.actorHiddenWidths=[16,16]", "--set", "sac.criticHiddenWidths=[16,16]", "--set", "sac.policyDelay=2"]
        let first = try BuiltBinaries.run("furuta", arguments, timeoutSeconds: 120)
        #expect(first.status == 0, "\(first.stderr)")

        // What the learner reported of each log: "episode-000001.csv: 149 transitions, return -12.3, …".
        var reported: [Int: (transitions: Int, episodeReturn: Double)] = [:]
        for line in first.stdout.split(separator: "\n") where line.contains(".csv: ") {
            let words = line.split(separator: " ")
            guard let name = words.first(where: { $0.hasPrefix("episode-") }), let index = Int(name.dropFirst(8).prefix(6)),
                  let count = words.firstIndex(of: "transitions,").flatMap({ Int(words[$0 - 1]) }),
                  let value = words.firstIndex(of: "return").flatMap({ Double(words[$0 + 1].dropLast()) }) else { continue }
            reported[index] = (count, value)
        }
        #expect(reported.keys.sorted() == [1, 2, 3], "\(first.stdout)")

        let scalars = try TensorBoardScalars.read(folder)
        let returns = scalars["episode/return"] ?? []
        #expect(returns.map(\.step) == [1, 2, 3], "tags: \(scalars.keys.sorted())")
        for point in returns {
            #expect(abs(point.value - (reported[point.step]?.episodeReturn ?? .nan)) <= 0.051, "episode \(point.step)")
        }
        #expect(scalars["episode/transitions"]?.map { Int($0.value) } == [1, 2, 3].map { reported[$0]?.transitions ?? -1 })
        // From session.json, for the episodes it lists.
        #expect(scalars["episode/success"]?.map(\.step) == [1, 2])
        #expect(scalars["episode/success"]?.map(\.value) == [1, 0])
        #expect(scalars["episode/longest_upright_s"]?.map(\.value) == [6.5, 0.5])
        #expect(scalars["episode/robot_time_s"]?.map(\.value) == [10, 17.5])
        #expect(scalars["episode/policy"]?.map(\.value) == [1, 2])
        #expect(scalars["episode/fault"]?.map(\.value) == [0, 1])
        // Per publish, at step = gradient steps: ~447 owed steps in chunks of 100.
        let critic = scalars["learner/critic_loss"] ?? []
        #expect(critic.count >= 2, "tags: \(scalars.keys.sorted())")
        #expect(zip(critic, critic.dropFirst()).allSatisfy { $0.step < $1.step })
        #expect(critic.allSatisfy { $0.value.isFinite && $0.value >= 0 })
        #expect(scalars["learner/temperature"]?.allSatisfy { $0.value > 0 } == true)
        #expect(scalars["learner/updates_per_s"]?.allSatisfy { $0.value > 0 } == true)
        #expect(scalars["learner/actor_loss"]?.isEmpty == false)
        #expect(scalars["learner/episodes"]?.last?.value == 3)

        // A learner started again from nothing re-learns from every episode: TensorBoard shows
        // each episode once, not once per learner.
        let second = try BuiltBinaries.run("furuta", arguments.map { $0 == "6" ? "3" : $0 }, timeoutSeconds: 120)
        #expect(second.status == 0, "\(second.stderr)")
        let again = try TensorBoardScalars.read(folder)
        #expect(again["episode/return"]?.map(\.step) == [1, 2, 3])
        #expect(again["episode/success"]?.map(\.step) == [1, 2])
    }
}
