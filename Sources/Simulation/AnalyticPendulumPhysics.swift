#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MotorModel

/// The Furuta pendulum's rigid-body dynamics in closed form, integrated exactly as MuJoCo
/// integrates `furuta.xml` (RK4, the applied torque held over the step), with the same motor
/// chain. The model is the one `PendulumPhysics.apply` writes into MuJoCo:
///
/// - arm: hinge about z; mass m₁, centre of mass at c₁ along +x, principal inertia
///   (a, I₁, I₁) about it (a = the thin link's axial 1e-7), armature J_r = G²·J_rotor, damping b₁;
/// - pendulum: hinge about the arm's x axis at distance L₁; mass m₂, centre of mass c₂ below
///   the pivot, principal inertia (I₂, I₂, a), damping b₂; α = 0 hanging.
///
/// With s = sin α, c = cos α, the kinetic energy T = ½M₁₁θ̇² + M₁₂θ̇α̇ + ½M₂₂α̇² has
///
///     M₁₁ = A + B·s²      A = J_r + I₁ + m₁c₁² + m₂L₁² + a,   B = I₂ + m₂c₂² − a
///     M₁₂ = C·c           C = m₂L₁c₂
///     M₂₂ = I₂ + m₂c₂²
///
/// and V = −m₂·g·c₂·c. Lagrange's equations:
///
///     M₁₁θ̈ + M₁₂α̈ = τ − b₁θ̇ − 2B·s·c·θ̇α̇ + C·s·α̇²
///     M₁₂θ̈ + M₂₂α̈ = −b₂α̇ + B·s·c·θ̇² − m₂g c₂·s
///
/// solved by Cramer's rule (det = M₁₁M₂₂ − M₁₂² > 0). θ itself never enters. A step costs four
/// sin/cos pairs and ~150 flops against MuJoCo's generic pipeline.
public final class AnalyticPendulumPhysics: PendulumPhysicsBackend, @unchecked Sendable {
    public var motor: MotorChain
    public private(set) var robot: RobotParameters

    // State: θ, α, θ̇, α̇, time.
    private var theta = 0.0, alpha = 0.0, thetaDot = 0.0, alphaDot = 0.0
    public private(set) var time = 0.0

    // Constants of the equations above, for the applied parameters.
    private var a = 0.0, b = 0.0, c = 0.0, m22 = 0.0, gravityTorque = 0.0
    private var armDamping = 0.0, pendulumDamping = 0.0, h = 0.002

    /// A thin printed link's inertia about its own long axis, kg·m² (as `PendulumPhysics`).
    static let axialInertia = 1e-7

    public init(robot: RobotParameters) {
        self.robot = robot
        motor = MotorChain(parameters: robot.motor)
        apply(robot)
    }

    public func apply(_ robot: RobotParameters) {
        self.robot = robot
        let arm = robot.arm, pendulum = robot.pendulum, axial = Self.axialInertia
        let armature = robot.motor.gearRatio * robot.motor.gearRatio * arm.rotorInertiaKgM2
        let m2c2 = pendulum.massKg * pendulum.comDistanceM
        a = armature + arm.inertiaAboutComKgM2 + arm.massKg * arm.comDistanceM * arm.comDistanceM
            + pendulum.massKg * arm.lengthM * arm.lengthM + axial
        b = pendulum.inertiaAboutComKgM2 + m2c2 * pendulum.comDistanceM - axial
        c = m2c2 * arm.lengthM
        m22 = pendulum.inertiaAboutComKgM2 + m2c2 * pendulum.comDistanceM
        gravityTorque = m2c2 * robot.gravityMPerS2
        armDamping = arm.dampingNmsPerRad
        pendulumDamping = pendulum.dampingNmsPerRad
        h = robot.control.physicsTimestepS
        motor.parameters = robot.motor
    }

    public func reset(armAngle: Double = 0, pendulumAngle: Double = 0,
                      armVelocity: Double = 0, pendulumVelocity: Double = 0) throws(MuJoCoError) {
        theta = armAngle; alpha = pendulumAngle; thetaDot = armVelocity; alphaDot = pendulumVelocity
        time = 0
        motor.reset()
    }

    /// (θ̈, α̈) at pendulum angle α and velocities (θ̇, α̇) with arm torque τ.
    @inline(__always)
    private func accelerations(_ alpha: Double, _ thetaDot: Double, _ alphaDot: Double, _ torque: Double)
        -> (Double, Double) {
        let s = sin(alpha), co = cos(alpha)
        let m11 = a + b * s * s, m12 = c * co
        let f1 = torque - armDamping * thetaDot - 2 * b * s * co * thetaDot * alphaDot + c * s * alphaDot * alphaDot
        let f2 = -pendulumDamping * alphaDot + b * s * co * thetaDot * thetaDot - gravityTorque * s
        let inverseDet = 1 / (m11 * m22 - m12 * m12)
        return ((m22 * f1 - m12 * f2) * inverseDet, (m11 * f2 - m12 * f1) * inverseDet)
    }

    /// One RK4 step (MuJoCo's tableau: stages at 0, h/2, h/2, h; weights 1/6, 1/3, 1/3, 1/6) with
    /// the motor torque computed once from the step's starting arm speed, as `PendulumPhysics`
    /// sets `qfrc_applied` before `mj_step`.
    @inline(__always)
    public func step(duty: Double) throws(MuJoCoError) {
        let torque = motor.step(duty: duty, armVelocityRadPerS: thetaDot, dtS: h)
        let half = 0.5 * h
        let (k1t, k1a) = accelerations(alpha, thetaDot, alphaDot, torque)
        let v2t = thetaDot + half * k1t, v2a = alphaDot + half * k1a
        let (k2t, k2a) = accelerations(alpha + half * alphaDot, v2t, v2a, torque)
        let v3t = thetaDot + half * k2t, v3a = alphaDot + half * k2a
        let (k3t, k3a) = accelerations(alpha + half * v2a, v3t, v3a, torque)
        let v4t = thetaDot + h * k3t, v4a = alphaDot + h * k3a
        let (k4t, k4a) = accelerations(alpha + h * v3a, v4t, v4a, torque)
        let sixth = h / 6
        theta += sixth * (thetaDot + 2 * v2t + 2 * v3t + v4t)
        alpha += sixth * (alphaDot + 2 * v2a + 2 * v3a + v4a)
        thetaDot += sixth * (k1t + 2 * k2t + 2 * k3t + k4t)
        alphaDot += sixth * (k1a + 2 * k2a + 2 * k3a + k4a)
        time += h
    }

    public var armAngle: Double { theta }
    public var pendulumAngle: Double { alpha }
    public var armVelocity: Double { thetaDot }
    public var pendulumVelocity: Double { alphaDot }

    public var state: MuJoCoData.State {
        MuJoCoData.State(time: time, qpos: [theta, alpha], qvel: [thetaDot, alphaDot], act: [], qaccWarmstart: [0, 0])
    }

    public func restore(_ state: MuJoCoData.State) throws(MuJoCoError) {
        guard state.qpos.count == 2, state.qvel.count == 2 else {
            throw MuJoCoError("saved state has \(state.qpos.count) positions; the analytic pendulum has 2 (arm, pendulum)")
        }
        time = state.time
        theta = state.qpos[0]; alpha = state.qpos[1]; thetaDot = state.qvel[0]; alphaDot = state.qvel[1]
    }

    /// Kinetic plus gravitational energy with the pendulum's centre of mass as height reference
    /// at α = π/2, J: T + V with V = −m₂g c₂ cos α.
    public var energy: Double {
        let s = sin(alpha), co = cos(alpha)
        let kinetic = 0.5 * (a + b * s * s) * thetaDot * thetaDot + c * co * thetaDot * alphaDot
            + 0.5 * m22 * alphaDot * alphaDot
        return kinetic - gravityTorque * co
    }
}
