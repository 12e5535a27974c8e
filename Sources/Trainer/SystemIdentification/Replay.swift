import Foundation
import MotorModel
import Simulation

/// Replays recordings in MuJoCo for one candidate robot and scores the match.
///
/// Each segment starts at the recorded state of its first sample, with the motor lag settled
/// at the applied duty; the physics then steps at robot.yaml's timestep, each step driven by
/// the recording's own commands through the shared `MotorChain` (inside `PendulumPhysics`):
/// command k, sent after sample k, acts from t_k + L to t_{k+1} + L (L = `control.latency_s`),
/// and each physics step receives the time average of that piecewise-constant duty over the
/// step (so the loss is continuous in L). The state at each sample time is interpolated
/// linearly between the two physics steps around it.
///
/// Loss, per recording, averaged over its N samples:
///
///     ℓ = (1/N)·Σ_k [ (θ_k − θ̂_k)² + (α_k − α̂_k)² + w_v²·((θ̇_k − θ̂̇_k)² + (α̇_k − α̂̇_k)²) ]
///
/// in rad², with w_v = 0.02 s (a velocity error of 1 rad/s weighs like an angle error of
/// 0.02 rad) and both velocities taken by the same central difference from the angles, so the
/// comparison is like with like and the encoder staircase does not bias it. The fit's loss is
/// the mean of the recordings' ℓ weighted by their sample counts. `residuals` lists the terms
/// under the square (for the uncertainty estimate).
public final class Replay: @unchecked Sendable {
    public static let velocityWeightSeconds = 0.02
    private let physics: PendulumPhysics

    public init(template: MuJoCoModel, robot: RobotParameters) throws(MuJoCoError) {
        physics = try PendulumPhysics(template: template, robot: robot)
    }

    /// Simulated angles at every sample of every segment (NaN outside segments or after a
    /// MuJoCo failure).
    public func simulate(_ data: ReplayData, robot: RobotParameters) -> (arm: [Double], pendulum: [Double]) {
        physics.apply(robot)
        var arm = [Double](repeating: .nan, count: data.times.count)
        var pendulum = arm
        let dt = robot.control.physicsTimestepS
        let latency = robot.control.latencyS
        for segment in data.segments {
            let s0 = segment.lowerBound
            do {
                try physics.reset(armAngle: data.armAngles[s0], pendulumAngle: data.pendulumAngles[s0],
                                  armVelocity: data.velocity(data.armAngles, at: s0),
                                  pendulumVelocity: data.velocity(data.pendulumAngles, at: s0))
            } catch { continue }
            physics.motor.lag.value = effectiveDrive(duty: data.appliedDuties[s0], robot.motor)
            arm[s0] = physics.armAngle
            pendulum[s0] = physics.pendulumAngle
            var t = data.times[s0]
            var command = s0 - 1 // index of the command acting at time t (−1: the applied duty before)
            var next = s0 + 1    // next sample to record
            let end = segment.upperBound
            while next < end {
                // Time-average duty over [t, t + dt).
                var duty = 0.0, from = t
                let to = t + dt
                while from < to {
                    let switchAt = command + 1 < end ? data.times[command + 1] + latency : .infinity
                    let until = min(switchAt, to)
                    let u = command < s0 ? data.appliedDuties[s0] : data.commandedDuties[command]
                    duty += u * (until - from)
                    from = until
                    if switchAt <= to { command += 1 }
                }
                duty /= dt
                let armBefore = physics.armAngle, pendulumBefore = physics.pendulumAngle
                do { try physics.step(duty: duty) } catch { break }
                let tAfter = t + dt
                while next < end, data.times[next] <= tAfter {
                    let f = (data.times[next] - t) / dt
                    arm[next] = armBefore + f * (physics.armAngle - armBefore)
                    pendulum[next] = pendulumBefore + f * (physics.pendulumAngle - pendulumBefore)
                    next += 1
                }
                t = tAfter
            }
        }
        return (arm, pendulum)
    }

    /// The loss terms under the square, four per sample (angle errors and weighted velocity
    /// errors); a sample the simulation did not reach contributes 1 rad (a large, finite miss).
    public func residuals(_ data: ReplayData, robot: RobotParameters) -> [Double] {
        let (arm, pendulum) = simulate(data, robot: robot)
        var out: [Double] = []
        out.reserveCapacity(4 * data.sampleCount)
        let w = Self.velocityWeightSeconds
        for segment in data.segments {
            let armError = segment.map { arm[$0].isFinite ? arm[$0] - data.armAngles[$0] : 1 }
            let pendulumError = segment.map { pendulum[$0].isFinite ? pendulum[$0] - data.pendulumAngles[$0] : 1 }
            for (offset, i) in segment.enumerated() {
                // Velocity error: the same ±2-sample central difference applied to the angle errors.
                let lo = max(0, offset - 2), hi = min(segment.count - 1, offset + 2)
                let span = data.times[segment.lowerBound + hi] - data.times[segment.lowerBound + lo]
                let armRate = span > 0 ? (armError[hi] - armError[lo]) / span : 0
                let pendulumRate = span > 0 ? (pendulumError[hi] - pendulumError[lo]) / span : 0
                _ = i
                out.append(armError[offset])
                // A pendulum that went over the top a different number of times is not 2π off.
                out.append(remainder(pendulumError[offset], 2 * Double.pi))
                out.append(w * armRate)
                out.append(w * pendulumRate)
            }
        }
        return out
    }

    /// ℓ for one recording (see the type's documentation).
    public func loss(_ data: ReplayData, robot: RobotParameters) -> Double {
        let r = residuals(data, robot: robot)
        guard data.sampleCount > 0 else { return 0 }
        var sum = 0.0
        for x in r { sum += x * x }
        return sum / Double(data.sampleCount)
    }
}
