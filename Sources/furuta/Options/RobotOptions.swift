import ArgumentParser

/// `--robot FILE`, shared by every command that loads the robot description.
struct RobotOptions: ParsableArguments {
    @Option(help: "Robot description (YAML).")
    var robot: String = RobotDescriptionDefault.path
}
