/// The arm as the safety envelope models it: the robot's inertia about the motor axis driven by
/// the nominal motor chain of robot.yaml (`MotorChain`, unchanged), with the pendulum's reaction
/// left out (the stopping-distance factor covers it):
///
///     J_a·θ̈ = motorTorque(effectiveDrive(u), θ̇) + frictionTorque(θ̇)
///
/// Used to predict where the arm stops (`StoppingDistanceTable`), to dead-reckon through missed
/// samples (`StoppingEnvelope`), by the controller to say when frozen counts under duty cannot
/// be true (`StateFreshness`), and by the simulator, which applies the same envelope.
public struct ArmDynamics: Sendable, Hashable, Codable {
    /// J_a, kg·m² (`RobotParameters.armAxisInertiaKgM2`: arm, pendulum mass at the tip, rotor).
    public var inertiaKgM2: Double
    public var motor: MotorParameters

    public init(inertiaKgM2: Double, motor: MotorParameters) {
        self.inertiaKgM2 = inertiaKgM2
        self.motor = motor
    }

    public init(robot: RobotParameters) {
        self.init(inertiaKgM2: robot.armAxisInertiaKgM2, motor: robot.motor)
    }

    /// θ̈ at duty u and velocity ω, rad/s², the drive's lag taken as settled.
    @inlinable
    public func acceleration(duty u: Double, velocity omega: Double) -> Double {
        (motorTorque(effectiveDrive: effectiveDrive(duty: u, motor), armVelocityRadPerS: omega, motor)
            + frictionTorque(velocityRadPerS: omega, motor.friction)) / inertiaKgM2
    }

    /// The smallest |θ̈| from rest the model promises at duty u, rad/s²: the drive's stall torque
    /// less the static (breakaway) friction, halved for model error; 0 where the drive is not
    /// clearly beyond breakaway (|τ| < 3·F_s), so a sticky real gearbox is never called frozen.
    /// The sign of the motor torque at duty u from rest (+1, −1, or 0 with no drive).
    public func driveDirectionFromRest(duty u: Double) -> Double {
        let torque = motorTorque(effectiveDrive: effectiveDrive(duty: u, motor), armVelocityRadPerS: 0, motor)
        return torque > 0 ? 1 : (torque < 0 ? -1 : 0)
    }

    public func guaranteedAccelerationFromRest(duty u: Double) -> Double {
        let torque = abs(motorTorque(effectiveDrive: effectiveDrive(duty: u, motor), armVelocityRadPerS: 0, motor))
        let breakaway = motor.friction.staticNm
        guard torque >= 3 * breakaway else { return 0 }
        return 0.5 * (torque - breakaway) / inertiaKgM2
    }
}
