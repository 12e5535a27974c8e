import ArgumentParser
import CommandLogging
import Foundation
import Plotting
import RegularFiles
import RobotDescription

/// `furuta plot`: a picture of a training run, a deployment log, a simulated trajectory, a
/// system-identification report or a robot training session.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Plot a run folder, a deployment log, a furuta sim trajectory, a sysid report or a session folder as SVG or PNG.",
        discussion: """
        PATH is recognised by its contents:
          run folder (metrics.csv)   learning curve: episode return and evaluation success over steps
          folder of run folders      the same for every run (e.g. seeds), with mean and min–max spread
          furuta-controller --log    angles, duty, phases, limits and safety events, jitter histogram
                                     (safety events come from run.json beside run.csv, if present)
          furuta sim --out CSV       angles, velocities, action and duty, reward over time
          sysid fit --report DIR     per recording: recorded arm and pendulum angles vs the nominal
                                     and the tuned replay, loss before and after
          session folder             per episode over robot time: return (the learner's reward),
                                     longest upright stretch and success, policy changes marked
        Several run folders may be given at once. PNG is rendered from the SVG by rsvg-convert.
        Examples:
          furuta plot runs/a --out learning.png
          furuta plot run.csv --out deploy.svg
          furuta plot sysid-report --out fit.png
          furuta plot runs/s1 --out session.png
        """)

    @Argument(help: "Run folder(s), a deployment log CSV, a trajectory CSV, a sysid report folder or a session folder.")
    var paths: [String]
    @Option(help: "Output file: .svg or .png.")
    var out: String

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give a run folder or a CSV file to plot") }
        let ext = URL(fileURLWithPath: out).pathExtension.lowercased()
        guard ext == "svg" || ext == "png" else { throw ValidationError("--out must end in .svg or .png, e.g. --out plot.png") }
    }

    @OptionGroup var logging: LogLevelOptions
    @OptionGroup(title: "Session folders (the arm's soft limit enters the reward)") var robotOptions: RobotOptions

    func run() throws {
        logging.apply()
        do {
            let figure = try PlotInput.figure(for: paths.map { URL(fileURLWithPath: $0) }, sessionReturns: { folder in
                do {
                    let robot = try RobotDescription.load(from: robotOptions.robot)
                    return SessionEpisodeReturns.returns(folder: folder, armLimitRad: robot.parameters.arm.softLimitRad)
                } catch {
                    logger.warning("episode returns left out: \(error)")
                    return [:]
                }
            })
            let svg = figure.svg()
            let url = URL(fileURLWithPath: out)
            let data = url.pathExtension.lowercased() == "png" ? try PNGConverter.png(fromSVG: svg) : Data(svg.utf8)
            // Atomic, and never over a device, FIFO or directory (`--out /dev/null` is refused).
            do { try RegularFile.write([UInt8](data), to: url.path) } catch {
                throw CommandFailure("cannot write --out \(out): \(error)")
            }
            print("wrote \(out) (\(figure.title.lowercased()), \(figure.panels.count) panels, \(Int(figure.width))×\(Int(figure.height)) px)")
        } catch let error as PlotError {
            throw CommandFailure(error.description)
        }
    }
}
