import MotorModel

/// The active reset of a training session: the arm takes the energy out of a swinging (or
/// spinning) pendulum and centres itself, instead of waiting minutes for the bearing's damping.
///
/// Physics (furuta.xml: the arm turns about z, the pendulum about the arm's axis, α = 0 hanging):
/// the arm's acceleration θ̈ pushes the pendulum with the torque −m·l·r·θ̈·cos α, so
///
///     E = ½·J_p·α̇² + m·g·l·(1 − cos α),     dE/dt = −m·l·r·θ̈·α̇·cos α  (+ the bearing's loss)
///
/// and an arm acceleration θ̈ = k·α̇·cos α makes dE/dt = −m·l·r·k·(α̇·cos α)² ≤ 0 at every
/// instant — for a swing and for a pendulum spinning over the top alike. Near hanging it is a
/// damper: the swing's energy decays at the rate m·l·r·k/J_p ≈ 1.05·k per second. The
/// demanded acceleration is
///
///     θ̈* = sat(k·α̇·cos α, ±A) − ω_a²·θ − 2·ω_a·θ̇          (a critically damped spring centres the arm)
///
/// saturated at ±A (the arm then swings about ±A/ω_p² ≈ ±0.5 rad at the pendulum's frequency
/// ω_p ≈ 10.7 rad/s, far inside the soft limit). The action that gives θ̈* is the nominal motor
/// chain inverted (`ArmDynamics`, robot.yaml's motor): torque J_a·θ̈* plus the friction to
/// overcome, current = torque/(G·k_t), action = (R·current + k_e·G·θ̇)/V — the back-EMF term
/// matters because the arm's electrical time constant J_a·R/(k_t·G)² ≈ 0.25 s is longer than a
/// swing. The action then goes through `compensatedDuty` (deadzone, bias) and every safety
/// filter like any other. On a robot whose drive differs from robot.yaml's, `DriveOffsetFallback`
/// adds a dither, integral action and less friction feed-forward at the end of a reset.
public struct ActiveReset: Sendable {
    public let settings: HomingSettings
    public let arm: ArmDynamics

    /// Demands below this get proportionally less of the breakaway friction feed-forward, rad/s².
    static let frictionRampRadPerS2 = 5.0

    public init(settings: HomingSettings, arm: ArmDynamics) {
        self.settings = settings
        self.arm = arm
    }

    /// The action for arm angle θ and speed θ̇ (rad, rad/s, from the arm's zero), the pendulum's
    /// angle from hanging α and speed α̇; `hangingKnown` false means α is measured from an
    /// unknown rest (cos α is then taken as 1: right for swings below ±90°).
    /// `extraAcceleration` (rad/s²) is added to θ̈* and `frictionScale` scales the friction
    /// feed-forward (`DriveOffsetFallback`; 0 and 1 for the nominal law).
    public func action(armAngle theta: Double, armVelocity thetaDot: Double,
                       pendulumFromHanging alpha: Double, pendulumVelocity alphaDot: Double, hangingKnown: Bool,
                       extraAcceleration: Double = 0, frictionScale: Double = 1) -> Double {
        let c = hangingKnown ? _cos(alpha) : 1
        let limit = settings.activeResetMaxAccelerationRadPerS2
        let damping = min(max(settings.activeResetGainPerS * alphaDot * c, -limit), limit)
        let w = settings.activeResetCentringRadPerS
        let wanted = damping - w * w * theta - 2 * w * thetaDot + extraAcceleration
        return action(forAcceleration: min(max(wanted, -limit), limit), armVelocity: thetaDot, frictionScale: frictionScale)
    }

    /// The nominal motor chain inverted: the action (effective drive) that gives θ̈ at θ̇.
    /// Friction: the model's at speed; from (near) rest the Coulomb level in the direction wanted,
    /// so small demands are not swallowed by the gearbox; all of it times `frictionScale`.
    public func action(forAcceleration acceleration: Double, armVelocity omega: Double, frictionScale: Double = 1) -> Double {
        let m = arm.motor
        // From (near) rest the gearbox holds with its breakaway level F_s; the feed-forward rises
        // to it as the demand reaches `frictionRampRadPerS2`, so a tiny demand does not buzz.
        let breakaway = (acceleration < 0 ? -1 : 1) * m.friction.staticNm * min(1, abs(acceleration) / Self.frictionRampRadPerS2)
        let moving = abs(omega) > m.friction.stribeckVelocityRadPerS
        let friction = frictionScale * (moving ? -frictionTorque(velocityRadPerS: omega, m.friction) : breakaway)
        let torque = arm.inertiaKgM2 * acceleration + friction
        let current = torque / (m.gearRatio * m.torqueConstantNmPerA)
        let a = (m.resistanceOhm * current + m.backEmfVsPerRad * m.gearRatio * omega) / m.supplyVoltageV
        return min(max(a, -settings.activeResetMaxAction), settings.activeResetMaxAction)
    }
}
