import RobotDescription

/// The default `--robot` of every command.
enum RobotDescriptionDefault {
    static var path: String { RobotDescription.defaultPath }
}
