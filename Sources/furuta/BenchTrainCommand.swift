import ArgumentParser
import Foundation
import PolicyFormat
import RobotDescription
import Simulation
import Trainer

/// `furuta bench train`: the default training run for several seeds, each scored afterwards on
/// 100 randomised episodes with the deployed inference: time to success, success rate,
/// throughput and where the time went.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Run default training for several seeds and report time to success and success rate.")

    @Option(help: "Seeds to run, comma-separated.")
    var seeds: String = "1,2,3"
    @Option(help: "Time budget per run, seconds (maxSeconds).")
    var maxSeconds: Double = 120
    @Option(help: "Episodes of the final randomised evaluation.")
    var episodes: Int = 100
    @Option(help: "Robot description (YAML).")
    var robot: String = RobotDescriptionDefault.path
    @Option(help: "Keep the runs here (default: a temporary directory).")
    var out: String?
    @Flag(help: "Print JSON.")
    var json = false
    @Argument(help: "Training overrides as key.path=value (as for furuta train).")
    var overrides: [String] = []

    struct Row: Codable {
        var seed: UInt64
        var timeToSuccessS: Double?
        var wallS: Double
        var envSteps: Int
        var stepsPerS: Double
        var collectS: Double
        var updateS: Double
        var evaluateS: Double
        var successRate: Double
        var meanUprightS: Double
    }

    func validate() throws {
        try NumberRange.above(0, upTo: 1e7).check("--max-seconds", maxSeconds)
        try NumberRange.closed(1, 100_000).check("--episodes", episodes)
    }

    func run() throws {
        let description = try loadRobot(robot)
        let seedList = seeds.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        guard !seedList.isEmpty else { throw ValidationError("--seeds takes numbers like 1,2,3") }
        let base = out.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("furuta-bench-train-\(getpid())")
        var rows: [Row] = []
        for seed in seedList {
            var config: TrainingConfig
            do {
                config = try LayeredConfig.load(defaults: TrainingConfig(), file: nil, overrides: overrides)
            } catch { throw CommandFailure("\(error)") }
            config.ppo.seed = seed
            config.maxSeconds = maxSeconds
            let directory = base.appendingPathComponent("seed-\(seed)")
            try? FileManager.default.removeItem(at: directory)
            let run = try TrainingRun(config: config, description: description, directory: directory)
            let summary = try run.run { _ in }
            var settings = PolicyEvaluation.Settings()
            settings.episodes = episodes
            settings.randomized = true
            let template = try MuJoCoModel.load(mjcfPath: description.mjcfPath)
            let evaluation = try PolicyEvaluation(robot: description.parameters, template: template,
                                                  training: config.environment, settings: settings)
            let result = evaluation.run(try FrozenPolicy(PolicyFile(contentsOfFile: summary.policy)))
            let row = Row(seed: seed, timeToSuccessS: summary.timeToSuccessS, wallS: summary.wallS,
                          envSteps: summary.envSteps, stepsPerS: summary.stepsPerS, collectS: summary.collectS,
                          updateS: summary.updateS, evaluateS: summary.evaluateS, successRate: result.successRate,
                          meanUprightS: result.meanUprightS)
            rows.append(row)
            if !json {
                let toSuccess = row.timeToSuccessS.map { String(format: "%.1f s", $0) } ?? "not reached"
                print("seed \(seed): time to success \(toSuccess), " + String(
                    format: "%d env steps, %.0f steps/s (collect %.1f s, update %.1f s, evaluate %.1f s); final eval %.0f %% of %d randomised episodes",
                    row.envSteps, row.stepsPerS, row.collectS, row.updateS, row.evaluateS, row.successRate * 100, episodes))
            }
        }
        if json { printJSON(rows) }
        if out == nil { try? FileManager.default.removeItem(at: base) }
    }
}
