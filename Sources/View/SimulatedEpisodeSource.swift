import Foundation
import PolicyFormat
import RobotDescription
import Simulation

/// The MuJoCo pendulum in real time at the robot's control rate, driven by a policy or, without
/// one, by the arrow keys (the keyboard duty from the page). Episodes restart when they end
/// (time limit, arm at its travel) or when the page asks.
public struct SimulatedEpisodeSource: FrameSource {
    public let robot: RobotDescription
    public let policy: PolicyFile?
    public let episodeSeconds: Double
    public let seed: UInt64

    public init(robot: RobotDescription, policy: PolicyFile?, episodeSeconds: Double = 10, seed: UInt64 = 1) {
        self.robot = robot
        self.policy = policy
        self.episodeSeconds = episodeSeconds
        self.seed = seed
    }

    public var description: String {
        policy.map { "simulated episodes of \($0.robotName)'s policy (\(Int(episodeSeconds)) s each)" }
            ?? "simulated pendulum driven by the arrow keys (←/→ set the duty, space stops)"
    }

    public func run(into hub: FrameHub) async throws {
        var config = EnvironmentConfig()
        config.count = 1
        config.threads = 1
        config.randomization = nil
        config.task.episodeSeconds = policy == nil ? 3600 : episodeSeconds
        if let layout = policy?.observationLayout {
            config.historyLength = layout.historyLength
            config.velocitySmoothing = layout.velocitySmoothing
        }
        let env = try FurutaEnvironment(description: robot, config: config)
        let frozen = try policy.map { try FrozenPolicy($0) }
        let period = robot.parameters.control.periodS
        var episode: UInt64 = 0
        env.reset(seed: seed)
        var restarts = hub.controls.restarts
        var action: [Float] = [0]
        let single = UnsafeMutableBufferPointer<Float>.allocate(capacity: 1)
        defer { single.deallocate() }
        let clock = ContinuousClock()
        let start = clock.now
        var next = start
        var t = 0.0
        while !Task.isCancelled {
            let controls = hub.controls
            if controls.restarts != restarts {
                restarts = controls.restarts
                episode += 1
                env.reset(seed: seed &+ episode)
            }
            if let frozen {
                frozen.act(observation: env.observations, action: single)
                action[0] = single[0]
            } else {
                action[0] = Float(controls.keyboardDuty)
            }
            action.withUnsafeBufferPointer { env.step(actions: $0) }
            t += period
            let s = env.state(of: 0)
            hub.publish(ViewFrame(timeS: t, armAngleRad: s.armAngle, pendulumAngleRad: s.pendulumAngle,
                                  armVelocityRadPerS: s.armVelocity, pendulumVelocityRadPerS: s.pendulumVelocity,
                                  duty: env.lastAppliedDuty(of: 0), mode: frozen == nil ? "keyboard" : "policy"))
            next = next.advanced(by: .seconds(period))
            try await Task.sleep(until: next, clock: clock)
        }
    }
}
