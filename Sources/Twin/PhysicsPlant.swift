import MotorModel
import RobotDescription
import Simulation

/// The twin's pendulum: MuJoCo physics driven through `MotorModel`, read through encoders
/// quantised to the robot's resolution — the same chain as training, without the trainer's
/// randomisation (the twin is one particular robot; `--physics` overrides make it differ from
/// the nominal description, as a real one does).
public final class PhysicsPlant: TwinPlant, @unchecked Sendable {
    public let physics: PendulumPhysics
    public let robot: RobotParameters
    /// Time not yet simulated because it was less than one physics step, seconds.
    private var pending = 0.0
    private let initialPendulumAngle: Double

    /// - Parameters:
    ///   - description: the twin's robot (overrides already applied).
    ///   - initialPendulumAngle: where the pendulum starts and resets to, rad (0 hanging).
    public init(description: RobotDescription, initialPendulumAngle: Double = 0) throws {
        let template = try MuJoCoModel.load(mjcfPath: description.mjcfPath)
        robot = description.parameters
        physics = try PendulumPhysics(template: template, robot: robot)
        self.initialPendulumAngle = initialPendulumAngle
        try physics.reset(pendulumAngle: initialPendulumAngle)
    }

    public var armCountsPerRevolution: UInt32 { UInt32(robot.arm.encoderCountsPerRevolution) }
    public var pendulumCountsPerRevolution: UInt32 { UInt32(robot.pendulum.encoderCountsPerRevolution) }
    public var armCounts: Int32 { robot.arm.encoderCounts(forAngleRad: physics.armAngle) }
    public var pendulumCounts: Int32 { robot.pendulum.encoderCounts(forAngleRad: physics.pendulumAngle) }

    /// Whole physics steps covering `seconds`, the remainder carried to the next call, with the
    /// duty held at the H-bridge throughout.
    public func advance(duty: Double, seconds: Double) {
        let dt = robot.control.physicsTimestepS
        pending += seconds
        while pending >= dt {
            pending -= dt
            do { try physics.step(duty: duty) } catch {
                // A MuJoCo failure is a broken robot: start over hanging still, as after a reset.
                reset()
                return
            }
        }
    }

    public func reset() {
        pending = 0
        try? physics.reset(pendulumAngle: initialPendulumAngle)
    }
}
