import MotorModel

/// Where the arm would go under an excitation, predicted before the motor moves, so a capture
/// that would run into the soft limits is refused instead of cut off by the safety layer.
///
/// The controller never links MuJoCo, so the prediction integrates the arm alone (pendulum
/// hanging, its reaction neglected) with the nominal motor chain of robot.yaml, exactly the
/// path a tick takes: action → `compensatedDuty` → duty limit → `MotorChain` → torque, and
///
///     J_a·θ̈ = τ(u, θ̇)          J_a = robot.armAxisInertiaKgM2 (pendulum mass at the tip included)
///
/// by semi-implicit Euler at 1 ms, the excitation re-evaluated every control period as the loop
/// does. The release's pumping stage is predicted for its longest time (`pumpSeconds`); its
/// free swing applies no drive.
public enum SoftLimitPrediction {
    public struct Result: Sendable, Equatable {
        /// Largest |θ| reached, rad.
        public var peakArmAngleRad: Double
        /// When, s from the start.
        public var peakTimeSeconds: Double
    }

    public static func predict(_ settings: ExcitationSettings, durationSeconds: Double, robot: RobotParameters,
                               dutyLimit: Double = 1) -> Result {
        var signal = ExcitationSignal(settings: settings, durationSeconds: durationSeconds)
        var motor = MotorChain(parameters: robot.motor)
        let inertia = robot.armAxisInertiaKgM2
        let period = robot.control.periodS
        let dt = 0.001
        let substeps = max(1, Int((period / dt).rounded()))
        let horizon = settings.kind == .release ? min(durationSeconds, settings.pumpSeconds) : durationSeconds
        var theta = 0.0, omega = 0.0, t = 0.0
        var peak = Result(peakArmAngleRad: 0, peakTimeSeconds: 0)
        while t < horizon {
            // The pendulum is taken to hang (α = 0): release keeps pumping for its longest time.
            let action = signal.action(t: t, armAngle: theta, armVelocity: omega, pendulumAngle: 0)
            let duty = min(max(compensatedDuty(action: action, robot.motor), -dutyLimit), dutyLimit)
            for _ in 0..<substeps {
                let torque = motor.step(duty: duty, armVelocityRadPerS: omega, dtS: dt)
                omega += torque / inertia * dt
                theta += omega * dt
                if abs(theta) > peak.peakArmAngleRad { peak = Result(peakArmAngleRad: abs(theta), peakTimeSeconds: t) }
            }
            t += period
        }
        return peak
    }

    /// The largest amplitude (to 0.01) whose predicted peak stays within `allowedRad`, by
    /// bisection; 0 if even 0.01 does not.
    public static func largestSafeAmplitude(_ settings: ExcitationSettings, durationSeconds: Double,
                                            robot: RobotParameters, allowedRad: Double, dutyLimit: Double = 1) -> Double {
        var low = 0.0, high = 1.0
        var probe = settings
        for _ in 0..<8 {
            let mid = (low + high) / 2
            probe.amplitude = mid
            if predict(probe, durationSeconds: durationSeconds, robot: robot, dutyLimit: dutyLimit).peakArmAngleRad <= allowedRad {
                low = mid
            } else {
                high = mid
            }
        }
        return (low * 100).rounded(.down) / 100
    }
}
