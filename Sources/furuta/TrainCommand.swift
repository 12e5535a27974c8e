import ArgumentParser
import Foundation
import Trainer

/// `furuta train`: PPO in simulation, from defaults, a YAML config and key=value overrides.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a swing-up policy with PPO in simulation.",
        discussion: """
        Writes DIR/config.yaml, DIR/metrics.csv (a row per iteration), DIR/final.policy and
        DIR/summary.json. Keys: see --print-config. Example:
          furuta train --out runs/a ppo.seed=3 environment.historyLength=2 maxSeconds=120
        """)

    @Option(help: "YAML file with training settings (any subset of --print-config).")
    var config: String?
    @Option(help: "Run directory.")
    var out: String = "runs/latest"
    @Option(help: "Robot description (YAML).")
    var robot: String = RobotDescriptionDefault.path
    @Flag(help: "Print the full configuration with every key and exit.")
    var printConfig = false
    @Flag(help: "No live progress line, one line per evaluation instead.")
    var quiet = false
    @Argument(help: "Overrides as key.path=value, e.g. ppo.learningRate=3e-4.")
    var overrides: [String] = []

    func run() throws {
        let settings: TrainingConfig
        do {
            settings = try LayeredConfig.load(defaults: TrainingConfig(), file: config, overrides: overrides)
        } catch { throw CommandFailure("\(error)") }
        if printConfig {
            print(try LayeredConfig.yaml(settings), terminator: "")
            return
        }
        let problems = settings.problems
        guard problems.isEmpty else { throw CommandFailure("invalid configuration: " + problems.joined(separator: "; ")) }
        let description = try loadRobot(robot)
        let directory = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try LayeredConfig.yaml(settings).write(to: directory.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        let run = try TrainingRun(config: settings, description: description, directory: directory)
        let line = ProgressLine(enabled: !quiet)
        let summary = try run.run { p in
            let success = p.lastSuccessRate.map { String(format: "%3.0f%%", $0 * 100) } ?? "  –"
            let text = String(format: "iter %4d  %6.2fM steps  %7.0f steps/s  return %7.1f  ", p.iteration,
                              Double(p.environmentSteps) / 1e6, p.stepsPerSecond,
                              p.meanEpisodeReturn.isNaN ? 0 : Double(p.meanEpisodeReturn))
                + "success " + success
                + String(format: "  %5.0fs  ETA %4.0fs", p.elapsedSeconds, p.etaSeconds.isFinite ? p.etaSeconds : 0)
            line.update(text, permanent: p.evaluated != nil)
        }
        line.finish()
        print("""
        stopped: \(summary.stoppedBecause) after \(String(format: "%.1f", summary.wallS)) s, \(summary.envSteps) env steps \
        (\(Int(summary.stepsPerS)) steps/s; collect \(String(format: "%.1f", summary.collectS)) s, update \
        \(String(format: "%.1f", summary.updateS)) s, evaluate \(String(format: "%.1f", summary.evaluateS)) s)
        time to success: \(summary.timeToSuccessS.map { String(format: "%.1f s", $0) } ?? "not reached")
        policy: \(summary.policy)
        summary: \(directory.appendingPathComponent("summary.json").path)
        """)
    }
}

/// A progress line redrawn in place on a terminal; permanent lines scroll up.
final class ProgressLine {
    private let live: Bool
    private let enabled: Bool
    init(enabled: Bool) {
        self.enabled = enabled
        live = enabled && isatty(STDOUT_FILENO) != 0
    }
    func update(_ text: String, permanent: Bool) {
        if live {
            let bytes = Array(("\r\u{1B}[2K" + text + (permanent ? "\n" : "")).utf8)
            bytes.withUnsafeBufferPointer { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        } else if permanent || !enabled {
            if permanent { print(text) }
        }
    }
    func finish() { if live { _ = write(STDOUT_FILENO, "\n", 1) } }
}
