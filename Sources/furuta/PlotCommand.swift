import ArgumentParser
import CommandLogging
import Foundation
import Plotting

/// `furuta plot`: a picture of a training run, a deployment log or a simulated trajectory.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Plot a run folder, a deployment log or a furuta sim trajectory as SVG or PNG.",
        discussion: """
        PATH is recognised by its contents:
          run folder (metrics.csv)   learning curve: episode return and evaluation success over steps
          folder of run folders      the same for every run (e.g. seeds), with mean and min–max spread
          furuta-controller --log    angles, duty, phases, limits and safety events, jitter histogram
                                     (safety events come from run.json beside run.csv, if present)
          furuta sim --out CSV       angles, velocities, action and duty, reward over time
        Several run folders may be given at once. PNG is rendered from the SVG by rsvg-convert.
        Examples:
          furuta plot runs/a --out learning.png
          furuta plot run.csv --out deploy.svg
        """)

    @Argument(help: "Run folder(s), a deployment log CSV, or a trajectory CSV.")
    var paths: [String]
    @Option(help: "Output file: .svg or .png.")
    var out: String

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give a run folder or a CSV file to plot") }
        let ext = URL(fileURLWithPath: out).pathExtension.lowercased()
        guard ext == "svg" || ext == "png" else { throw ValidationError("--out must end in .svg or .png, e.g. --out plot.png") }
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        do {
            let figure = try PlotInput.figure(for: paths.map { URL(fileURLWithPath: $0) })
            let svg = figure.svg()
            let url = URL(fileURLWithPath: out)
            let data = url.pathExtension.lowercased() == "png" ? try PNGConverter.png(fromSVG: svg) : Data(svg.utf8)
            do { try data.write(to: url, options: .atomic) } catch {
                throw CommandFailure("cannot write \(out): \(error.localizedDescription)")
            }
            print("wrote \(out) (\(figure.title.lowercased()), \(figure.panels.count) panels, \(Int(figure.width))×\(Int(figure.height)) px)")
        } catch let error as PlotError {
            throw CommandFailure(error.description)
        }
    }
}
