import Foundation
import Testing

@Suite struct SimCommandTests {
    @Test func passiveSwingWritesATrajectory() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try BuiltBinaries.run("furuta", ["sim", "--action", "zero", "--start-angle", "1.0",
                                                     "--seconds", "2", "--out", path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first?.hasPrefix("time_s,action,duty,arm_angle_rad,pendulum_angle_rad") == true)
        #expect(lines.count == 201) // header + 2 s at 100 Hz
        // A passive swing from 1 rad stays within ±1 rad and crosses zero.
        let angles = lines.dropFirst().map { Double($0.split(separator: ",")[4])! }
        #expect(angles.allSatisfy { abs($0) <= 1.0 + 1e-6 })
        #expect(angles.contains { $0 < -0.5 })
    }

    /// The energy controller pumps at full duty; the simulator brakes the arm where the
    /// controller's stopping envelope would, which slows the pumping (over the top after about
    /// 7 s on the nominal robot, 2.8 rad at most in the first 5 s), so it gets 10 s.
    @Test func energySwingUpBringsThePendulumOverTheTop() throws {
        let result = try BuiltBinaries.run("furuta", ["sim", "--action", "energy", "--seconds", "10", "--out", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        let angles = result.stdout.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[4])! }
        #expect(angles.map(abs).max()! > 3.0)
    }

    @Test func unknownActionIsRefusedWithTheChoices() throws {
        let result = try BuiltBinaries.run("furuta", ["sim", "--action", "wiggle"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("zero, sine, pd, energy"))
    }

    @Test func benchSimReportsEfficiencyAndAllocations() throws {
        let result = try BuiltBinaries.run("furuta", ["bench", "sim", "--envs", "4", "--seconds", "0.2", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let efficiency = try #require(json["efficiency"] as? Double)
        #expect(efficiency > 0)
        #expect(json["allocations_per_step"] is Double)
        #expect(json["raw_steps_per_second"] is Double)
        #expect(json["analytic_allocations_per_step"] is Double)
        #expect((json["analytic_env_steps_per_second1_thread"] as? Double ?? 0) > 0)
    }
}
