import MotorModel

/// One simulated Furuta pendulum: its own MuJoCo model copy (so its physics can be randomised
/// independently), its data, and the motor chain that turns PWM duty into arm torque exactly as
/// `MotorModel` defines it. The MJCF gives geometry and joint axes; every physical number comes
/// from `RobotParameters` (see `apply`).
public final class PendulumPhysics: PendulumPhysicsBackend, @unchecked Sendable {
    public let model: MuJoCoModel
    public let data: MuJoCoData
    /// The drive chain with this pendulum's (possibly randomised) motor parameters.
    public var motor: MotorChain
    /// The parameters currently applied.
    public private(set) var robot: RobotParameters

    let armQpos: Int, armDof: Int, pendulumQpos: Int, pendulumDof: Int
    let armBody: Int, pendulumBody: Int
    private var constantsComputed = false

    /// - Parameter template: the loaded MJCF, shared read-only; this pendulum copies it.
    public init(template: MuJoCoModel, robot: RobotParameters) throws(MuJoCoError) {
        model = try template.copy()
        guard let armJoint = model.jointID("arm"), let pendulumJoint = model.jointID("pendulum"),
              let armBody = model.bodyID("arm"), let pendulumBody = model.bodyID("pendulum") else {
            throw MuJoCoError("the MJCF must define bodies and hinge joints named 'arm' and 'pendulum'")
        }
        armQpos = model.qposAddress(joint: armJoint)
        armDof = model.dofAddress(joint: armJoint)
        pendulumQpos = model.qposAddress(joint: pendulumJoint)
        pendulumDof = model.dofAddress(joint: pendulumJoint)
        self.armBody = armBody
        self.pendulumBody = pendulumBody
        data = try MuJoCoData(model: model)
        motor = MotorChain(parameters: robot.motor)
        self.robot = robot
        apply(robot)
    }

    /// Write the physical parameters into the model. Links are treated as bodies whose principal
    /// axes are the link's axis (small inertia about it) and the two perpendicular axes
    /// (`inertiaAboutComKgM2`). The arm lies along +x, the pendulum hangs along −z.
    public func apply(_ robot: RobotParameters) {
        self.robot = robot
        let arm = robot.arm, pendulum = robot.pendulum
        let axial = 1e-7 // kg·m²: a thin printed link's inertia about its own long axis
        model.setBodyMass(armBody, arm.massKg)
        model.setBodyCenterOfMass(armBody, arm.comDistanceM, 0, 0)
        model.setBodyInertia(armBody, axial, arm.inertiaAboutComKgM2, arm.inertiaAboutComKgM2)
        model.setBodyPosition(pendulumBody, arm.lengthM, 0, 0)
        model.setBodyMass(pendulumBody, pendulum.massKg)
        model.setBodyCenterOfMass(pendulumBody, 0, 0, -pendulum.comDistanceM)
        model.setBodyInertia(pendulumBody, pendulum.inertiaAboutComKgM2, pendulum.inertiaAboutComKgM2, axial)
        model.setDofArmature(armDof, robot.motor.gearRatio * robot.motor.gearRatio * arm.rotorInertiaKgM2)
        model.setDofDamping(armDof, arm.dampingNmsPerRad)
        model.setDofDamping(pendulumDof, pendulum.dampingNmsPerRad)
        model.gravityZ = -robot.gravityMPerS2
        model.timestep = robot.control.physicsTimestepS
        // Derived constants (mj_setConst) serve constraints, which this unconstrained model has
        // none of; the dynamics read masses and inertias directly. Computed once, at creation.
        if !constantsComputed {
            model.recomputeConstants(using: data)
            constantsComputed = true
        }
        motor.parameters = robot.motor
    }

    /// Put the pendulum at rest (or moving) at the given angles; the motor's lag is cleared.
    public func reset(armAngle: Double = 0, pendulumAngle: Double = 0,
                      armVelocity: Double = 0, pendulumVelocity: Double = 0) throws(MuJoCoError) {
        data.resetState()
        data.setQpos(armQpos, armAngle)
        data.setQpos(pendulumQpos, pendulumAngle)
        data.setQvel(armDof, armVelocity)
        data.setQvel(pendulumDof, pendulumVelocity)
        motor.reset()
        try data.forward()
    }

    /// Advance one physics step with `duty` held at the H-bridge: the motor chain gives the arm
    /// torque at the current arm speed, applied as a generalised force over the step.
    @inline(__always)
    public func step(duty: Double) throws(MuJoCoError) {
        let torque = motor.step(duty: duty, armVelocityRadPerS: data.qvel(armDof), dtS: model.timestep)
        data.setAppliedForce(armDof, torque)
        try data.step()
    }

    /// Arm angle θ, rad (0 = centre).
    public var armAngle: Double { data.qpos(armQpos) }
    /// Pendulum angle α, rad (0 = hanging, ±π upright), not wrapped.
    public var pendulumAngle: Double { data.qpos(pendulumQpos) }
    public var armVelocity: Double { data.qvel(armDof) }
    public var pendulumVelocity: Double { data.qvel(pendulumDof) }
    public var time: Double { data.time }
    /// Mechanical energy (kinetic + gravitational), J.
    public var energy: Double { data.totalEnergy() }
    public var state: MuJoCoData.State { data.state }
    public func restore(_ state: MuJoCoData.State) throws(MuJoCoError) { try data.restore(state) }
}
