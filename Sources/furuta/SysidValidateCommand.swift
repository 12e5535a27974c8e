import ArgumentParser
import CommandLogging
import Foundation
import RegularFiles
import RobotDescription
import Trainer

/// `furuta sysid validate`: a (tuned) description against a recording not used in the fit.
struct SysidValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Replay a recording with a robot description and print its error figures (and a plot).",
        discussion: "Example: furuta sysid validate --robot tuned.yaml --recording prbs.rec --plot prbs.svg"
    )

    @Option(help: "robot.yaml to check (a tuned one, or the nominal for comparison).")
    var robot: String

    @Option(help: "A recording not used in the fit.")
    var recording: String

    @Option(help: "Write the plot of recorded vs simulated angles here (SVG).")
    var plot: String?

    @Option(help: "Replays restart from the recorded state every this many seconds (as in the fit).")
    var segmentSeconds = 2.0

    @Flag(help: "Print the figures as JSON.")
    var json = false

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let description = try loadRobot(robot)
        let validation: SystemIdentification.Validation
        let pool: ReplayPool
        do { (validation, pool) = try SystemIdentification.validate(description: description, recordingPath: recording,
                                                                    segmentSeconds: segmentSeconds) } catch {
            throw CommandFailure(error.description)
        }
        if let plot {
            let data = pool.data[0]
            let simulated = pool.simulate(0, robot: description.parameters)
            let svg = TrajectoryPlot.svg(title: "\(recording) replayed with \(robot)", times: data.times,
                                         recorded: .init(label: "recorded", colour: "black", arm: data.armAngles, pendulum: data.pendulumAngles),
                                         simulated: [.init(label: robot, colour: "#1f77b4", arm: simulated.arm, pendulum: simulated.pendulum)])
            do { try RegularFile.write(svg, to: plot) } catch {
                throw CommandFailure("cannot write --plot \(error)")
            }
        }
        if json {
            print(try JSONOutput.string(validation))
            return
        }
        print(String(format: "%@ on %@: %d samples, %.1f s; loss %.4g rad²; RMS error arm %.4f rad, pendulum %.4f rad; max arm %.4f rad, pendulum %.4f rad",
                     recording, robot, validation.samples, validation.seconds, validation.loss, validation.rmsArmRad,
                     validation.rmsPendulumRad, validation.maxArmErrorRad, validation.maxPendulumErrorRad))
    }
}
