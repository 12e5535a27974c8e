import Foundation
import Testing

/// `furuta eval --physics KEY=VALUE` scores on a robot whose physics differ from the description,
/// and `furuta eval --log FILE` judges recorded runs by the same criterion.
@Suite struct EvalPhysicsAndLogCommandTests {
    static var packageRoot: URL { EvalSessionCommandTests.packageRoot }
    static var robot: String { packageRoot.appendingPathComponent("assets/furuta/robot.yaml").path }

    static func successRate(_ arguments: [String]) throws -> Double {
        let result = try BuiltBinaries.run("furuta", ["eval", "--robot", robot, "--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        return try #require(object["success_rate"] as? Double, "\(object)")
    }

    @Test func aHeavierPendulumLowersTheFixturesScoreAndABadItemIsRefused() throws {
        let fixture = Self.packageRoot.appendingPathComponent("Tests/ControllerTests/Fixtures/swingup.policy").path
        let nominal = try Self.successRate(["--policy", fixture, "--episodes", "4"])
        let heavy = try Self.successRate(["--policy", fixture, "--episodes", "4", "--physics", "pendulum.mass_kg=0.2", "--physics", "mujoco"])
        #expect(nominal == 1, "the fixture balances the nominal robot")
        #expect(heavy < nominal, "a pendulum eight times as heavy is not the robot the fixture was trained on")
        let bad = try BuiltBinaries.run("furuta", ["eval", "--policy", fixture, "--physics", "rk4"])
        #expect(bad.status != 0 && bad.stderr.contains("a backend is mujoco or analytic"), "\(bad.stderr)")
    }

    /// A controller log of `periods` running rows at 100 Hz whose pendulum is upright from period `uprightFrom`.
    static func runLog(periods: Int, uprightFrom: Int) -> String {
        var lines = ["tick,time_s,wake_latency_us,work_us,inference_ns,skipped_periods,phase,homing_stage,"
            + "has_sample,device_time_us,arm_counts,pendulum_counts,arm_angle_rad,pendulum_angle_rad,"
            + "arm_velocity_rad_s,pendulum_velocity_rad_s,action,duty_commanded,duty_applied,device_status,safety_flags"]
        lines.append("0,0,1,1,0,0,homing,3,1,0,0,0,0,0,0,0,0,0,0,0,0")
        for j in 0..<periods {
            let alpha = j >= uprightFrom ? Double.pi : 0
            lines.append("\(j + 1),\(Double(j + 1) * 0.01),1,1,0,0,running,3,1,\((j + 1) * 10_000),0,0,0,\(alpha),0,0,0,0,0,0,0")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func recordedRunsAreJudgedByTheEvaluationsCriterion() throws {
        let folder = NSTemporaryDirectory() + "eval-log-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.runLog(periods: 1000, uprightFrom: 400).write(toFile: folder + "/held.csv", atomically: true, encoding: .utf8)
        try Self.runLog(periods: 1000, uprightFrom: 600).write(toFile: folder + "/late.csv", atomically: true, encoding: .utf8)
        let result = try BuiltBinaries.run("furuta", ["eval", "--robot", Self.robot, "--json", "--log", folder + "/held.csv", "--log", folder + "/late.csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect(object["successes"] as? Int == 1 && object["episodes"] as? Int == 2, "\(object)")
        let verdicts = (object["logs"] as? [[String: Any]])?.compactMap { $0["verdict"] as? [String: Any] } ?? []
        #expect(verdicts.map { $0["success"] as? Bool } == [true, false], "\(verdicts)")
        #expect(abs((verdicts.last?["final_upright_s"] as? Double ?? 0) - 4) < 1e-6, "\(verdicts)")
    }
}
