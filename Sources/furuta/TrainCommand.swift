import ArgumentParser
import CommandLogging
import Controller
import Foundation
import Trainer

/// `furuta train`: PPO or SAC in simulation, from defaults, a YAML config and key=value overrides.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a swing-up policy in simulation (PPO by default, or the off-policy SAC/DroQ learner).",
        discussion: """
        Writes DIR/config.yaml, DIR/metrics.csv (a row per iteration) and the same numbers as
        TensorBoard scalars (DIR/events.out.tfevents.*; tensorboard --logdir DIR), DIR/checkpoints/,
        DIR/final.policy and DIR/summary.json. Keys: see --print-config. Ctrl-C stops after the
        current iteration and saves everything; --resume DIR continues exactly where it stopped
        (overrides then apply to the saved configuration, e.g. a larger maxSeconds). Example:
          furuta train --out runs/a ppo.seed=3 environment.historyLength=2 maxSeconds=120
          furuta train --algorithm sac --out runs/s sac.seed=2 environment.randomization=null
        --algorithm sac starts from the off-policy defaults (one env, sac.* keys); the seed is
        ppo.seed or sac.seed.
        """)

    @Option(help: "Learner: ppo (default) or sac (SAC with the DroQ recipe and coloured exploration noise).")
    var algorithm: AlgorithmName?

    @Option(help: "YAML file with training settings (any subset of --print-config).")
    var config: String?
    @Option(help: "Run directory.")
    var out: String = "runs/latest"
    @OptionGroup var robotOptions: RobotOptions
    var robot: String { robotOptions.robot }
    @Option(help: "Continue the run in this directory from its newest checkpoint.")
    var resume: String?
    @Flag(help: "Print the full configuration with every key and exit.")
    var printConfig = false
    @Flag(help: "No live progress line, one line per evaluation instead.")
    var quiet = false
    @Argument(help: "Overrides as key.path=value, e.g. ppo.learningRate=3e-4.")
    var overrides: [String] = []

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        // Ctrl-C / SIGTERM: finish the iteration, save, report (counted by a real handler,
        // collected between iterations).
        if let problem = StopSignals.install() { logger.warning("\(problem); Ctrl-C will not save") }
        if let resume {
            guard config == nil, algorithm == nil else { throw ValidationError("--resume continues a saved configuration; give overrides as key=value instead of --config or --algorithm") }
            let directory = URL(fileURLWithPath: resume)
            let description = try loadRobot(robot)
            let run: TrainingRun
            do {
                let savedConfig = directory.appendingPathComponent("config.yaml")
                run = try TrainingRun.resuming(directory: directory, description: description, savedConfig: {
                    guard FileManager.default.fileExists(atPath: savedConfig.path) else { return nil }
                    logger.notice("\(resume) has no checkpoint yet (stopped before the first): training again from its config.yaml")
                    return try LayeredConfig.load(defaults: TrainingConfig(), file: savedConfig.path, overrides: [])
                }) { saved in
                    try LayeredConfig.load(defaults: saved, file: nil, overrides: overrides)
                }
            } catch { throw CommandFailure("\(error)") }
            try train(run, directory: directory)
            return
        }
        let settings: TrainingConfig
        do {
            settings = try TrainingSettings.load(algorithm: algorithm, file: config, overrides: overrides)
        } catch { throw CommandFailure("\(error)") }
        if printConfig {
            print(try LayeredConfig.yaml(settings), terminator: "")
            return
        }
        let problems = settings.problems
        guard problems.isEmpty else { throw CommandFailure("invalid configuration: " + problems.joined(separator: "; ")) }
        let description = try loadRobot(robot)
        let directory = URL(fileURLWithPath: out)
        if !(try TrainingCheckpointFiles.isEmpty(directory)) {
            throw CommandFailure("\(out) already holds a run; continue it with --resume \(out) or choose another --out")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try LayeredConfig.yaml(settings).write(to: directory.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        let run = try TrainingRun(config: settings, description: description, directory: directory)
        try train(run, directory: directory)
    }

    private func train(_ run: TrainingRun, directory: URL) throws {
        let line = ProgressLine(enabled: !quiet)
        var text = TrainingProgressText(config: run.config)
        let summary = try run.run(shouldStop: { StopSignals.wait(milliseconds: 0) }) { p in
            line.update(text.line(p), permanent: p.evaluated != nil)
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

enum TrainingCheckpointFiles {
    /// Whether `directory` has no run in it yet (no checkpoints, no metrics).
    static func isEmpty(_ directory: URL) throws -> Bool {
        let fm = FileManager.default
        return !fm.fileExists(atPath: directory.appendingPathComponent("checkpoints").path)
            && !fm.fileExists(atPath: directory.appendingPathComponent("metrics.csv").path)
    }
}
