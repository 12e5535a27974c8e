import ArgumentParser
import CommandLogging
import RobotDescription
import Simulation

/// `furuta robot …`: work with robot description files.
struct RobotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robot",
        abstract: "Check robot description files.",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a robot description and print a summary with derived figures.")

        @Option(help: "Robot description (YAML). Default: the bundled robot (searched as docs/architecture.md describes).")
        var robot: String = RobotDescriptionDefault.path

        @OptionGroup var logging: LogLevelOptions

        func run() throws {
            logging.apply()
            let description = try loadRobot(robot)
            // The description checks the MJCF file exists and is XML; MuJoCo's parser checks it
            // is a model.
            do { _ = try MuJoCoModel.load(mjcfPath: description.mjcfPath) } catch {
                throw CommandFailure("\(description.sourcePath): mjcf: \(description.mjcfPath) is not a usable MuJoCo model: \(error)")
            }
            print(description.summary)
        }
    }
}

/// Load a description or fail with its message (no stack trace, non-zero exit).
func loadRobot(_ path: String, overrides: [String: String] = [:]) throws -> RobotDescription {
    do {
        return try RobotDescription.load(from: path, overrides: overrides)
    } catch {
        throw CommandFailure(error.description)
    }
}
