import RobotDescription
import Twin

/// The twin's plant: the robot description (with `--physics` overrides in robot.yaml's own
/// keys, e.g. `pendulum.mass_kg=0.03`) simulated by MuJoCo through the motor model.
func makeTwinPlant(robotPath: String?, physicsOverrides: [String: String]) throws -> any TwinPlant {
    let description = try loadRobot(robotPath ?? RobotDescriptionDefault.path, overrides: physicsOverrides)
    return try PhysicsPlant(description: description)
}
