import Controller
import Foundation
import MotorModel
import Learning
import Simulation
import Testing
import Twin

/// The active reset closed around the twin's MuJoCo pendulum in simulated time
/// (`SimulatedReset`): swinging, spinning and displaced starts, latencies 0–8 ms, robots drawn
/// from the trainer's randomisation ranges. Deterministic (seeded), fast.
struct ActiveResetInSimulationTests {
    private let robot: RobotParameters
    init() throws { robot = try ControllerFixtures.robot().parameters }

    /// Starts like the end of an episode: arm anywhere within ±1.5 rad moving up to ±4 rad/s,
    /// pendulum at rest, swinging up to upright, or spinning over the top.
    static func episodeEnds(count: Int, seed: UInt64) -> [SimulatedReset.Start] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { i in
            var s = SimulatedReset.Start()
            s.armAngle = rng.uniform(-1.5...1.5)
            s.armVelocity = rng.uniform(-4...4)
            switch i % 4 {
            case 0: s.pendulumAngle = rng.uniform(-0.5...0.5); s.pendulumVelocity = rng.uniform(-3...3)
            case 1: s.pendulumAngle = rng.uniform(-3.0...3.0); s.pendulumVelocity = rng.uniform(-8...8)
            case 2: s.pendulumAngle = .pi + rng.uniform(-0.1...0.1); s.pendulumVelocity = rng.uniform(-1...1) // near upright
            default: s.pendulumAngle = rng.uniform(-0.2...0.2); s.pendulumVelocity = (rng.next() % 2 == 0 ? 1 : -1) * rng.uniform(23...28) // spinning
            }
            return s
        }
    }

    private func settings() -> HomingSettings {
        var h = HomingSettings()
        h.enableActiveReset(pendulumFrequencyRadPerS: robot.pendulumNaturalFrequencyRadPerS)
        h.timeoutSeconds = 20
        return h
    }

    @Test func exploreActiveReset() throws {
        let env = ProcessInfo.processInfo.environment
        guard env["FURUTA_EXPLORE_RESET"] != nil else { return }
        let description = try ControllerFixtures.robot()
        var h = settings()
        if let v = env["K"].flatMap(Double.init) { h.activeResetGainPerS = v }
        if let v = env["A"].flatMap(Double.init) { h.activeResetMaxAccelerationRadPerS2 = v }
        if let v = env["W"].flatMap(Double.init) { h.activeResetCentringRadPerS = v }
        if let v = env["ACTIVE"] { h.activeReset = v == "1" }
        let randomise = env["RANDOM"] == "1"
        var rng = Xoshiro256StarStar(seed: 7)
        for latency in [0.0, 0.004, 0.008] {
            var times: [Double] = [], failures: [String] = [], farthest = 0.0, braking = 0
            for (i, start) in Self.episodeEnds(count: Int(env["N"] ?? "24")!, seed: 3).enumerated() {
                let plant = try PhysicsPlant(description: description)
                if randomise { plant.physics.apply(DomainRandomization().sample(robot, &rng).0) }
                let sim = try SimulatedReset(plant: plant, nominal: robot, homing: h, latencySeconds: latency)
                let traced = env["TRACE"].flatMap(Int.init) == i && latency == 0.004
                let o = try sim.run(from: start, hangingKnown: env["UNKNOWN"] == nil, trace: traced ? { t, stage, c in
                    if Int((t * 100).rounded()) % (t > 3 && t < 3.6 ? 1 : 10) == 0 {
                        print(String(format: "t %.2f %@ arm %.3f v %.2f pend %.3f pv %.2f duty %.3f", t, "\(stage)", plant.physics.armAngle,
                                     plant.physics.armVelocity, plant.physics.pendulumAngle, plant.physics.pendulumVelocity, c.duty))
                    }
                } : nil)
                if let s = o.seconds { times.append(s) } else { failures.append("\(i):\(o.fault.map { "\($0)" } ?? "-")") }
                farthest = max(farthest, o.farthestArmRad)
                braking += o.brakingTicks
            }
            times.sort()
            let median = times.isEmpty ? .nan : times[times.count / 2]
            print(String(format: "latency %.0f ms: n=%d median %.2f s worst %.2f s, farthest arm %.2f rad, braking %d, failures %@",
                         latency * 1000, times.count, median, times.last ?? .nan, farthest, braking, failures.description))
        }
    }
}
