import Learning
import MotorModel
import PolicyFormat
import Simulation

/// One episode of a robot training session played on the simulator instead of the robot, as
/// `furuta-controller session` plays it: the policy acts on observations its own
/// `ObservationBuilder` makes from encoder counts (exactly the controller's `PolicyRunner`),
/// the action is the deterministic policy plus the episode's exploration noise, clipped, and
/// every running step is logged as the controller logs it (`RecordedEpisode.Step`). The
/// simulator's own observation is not used. For the learner, such an episode is
/// indistinguishable from one recorded on the twin, minus the twin's timing.
public enum SimulatedRobotEpisode {
    /// The robot the env should simulate: `robot` with the arm's soft limit removed, so the
    /// env never ends an episode by itself and the state past the limit is logged (this episode
    /// ends there, as the policy's part of a robot episode ends at the safety layer's brake).
    public static func environmentRobot(_ robot: RobotParameters) -> RobotParameters {
        var r = robot
        r.arm.softLimitRad = .infinity
        return r
    }

    /// Plays `steps` control steps of `policy` with `noise[k]` added to the raw action on
    /// `environment` (one env, reset with `seed`), returning the log's running rows.
    public static func run(policy: FrozenPolicy, noise: [Double], environment: FurutaEnvironment, robot: RobotParameters,
                           seed: UInt64, steps: Int) -> [RecordedEpisode.Step] {
        precondition(environment.count == 1, "a simulated robot episode runs one env")
        environment.reset(seed: seed)
        let layout = policy.file.observationLayout
        var builder = ObservationBuilder(layout: layout)
        var observation = [Float](repeating: 0, count: layout.size)
        var output = [Float](repeating: 0, count: layout.actionCount)
        var previous = [Double](repeating: 0, count: layout.actionCount)
        var action = [Float](repeating: 0, count: 1)
        let periodUs = Int64((robot.control.periodS * 1e6).rounded())
        var rows: [RecordedEpisode.Step] = []
        rows.reserveCapacity(steps)
        for k in 0..<steps {
            let s = environment.state(of: 0)
            let armCounts = robot.arm.encoderCounts(forAngleRad: s.armAngle)
            let pendulumCounts = robot.pendulum.encoderCounts(forAngleRad: s.pendulumAngle)
            let t = Int64(k + 1) * periodUs
            previous.withUnsafeBufferPointer { p in
                observation.withUnsafeMutableBufferPointer { o in
                    builder.observe(armCounts: armCounts, pendulumCounts: pendulumCounts, timeUs: t, previousAction: p, into: o)
                }
            }
            observation.withUnsafeBufferPointer { o in
                output.withUnsafeMutableBufferPointer { a in policy.act(observation: o, action: a) }
            }
            let raw = Double(output[0]) + (noise.isEmpty ? 0 : noise[k % noise.count])
            let clipped = raw.isFinite ? min(max(raw, -1), 1) : 0
            rows.append(RecordedEpisode.Step(deviceTimeUs: t, armCounts: armCounts, pendulumCounts: pendulumCounts,
                                             armAngle: builder.armAngle, pendulumAngle: builder.pendulumAngle,
                                             armVelocity: builder.armVelocityEstimate, pendulumVelocity: builder.pendulumVelocityEstimate,
                                             action: raw))
            previous[0] = clipped
            // The arm's soft limit: the controller's safety layer stops the episode there.
            if abs(builder.armAngle) > robot.arm.softLimitRad { break }
            action[0] = Float(clipped)
            action.withUnsafeBufferPointer { environment.step(actions: $0) }
            if environment.truncated[0] != 0 || environment.terminated[0] != 0 { break }
        }
        return rows
    }
}
