import MotorModel
import RobotDescription
import Simulation

/// The shipped robot description and its MJCF, loaded once.
enum Fixtures {
    static let description = try! RobotDescription.load(from: RobotDescription.defaultPath)
    static let template = try! MuJoCoModel.load(mjcfPath: description.mjcfPath)
    static var robot: RobotParameters { description.parameters }

    /// The robot with every loss removed: no friction, damping or back-EMF braking.
    static var lossless: RobotParameters {
        var robot = description.parameters
        robot.motor.friction = .none
        robot.motor.backEmfVsPerRad = 0
        robot.arm.dampingNmsPerRad = 0
        robot.pendulum.dampingNmsPerRad = 0
        return robot
    }
}
