import ArgumentParser
import CommandLogging
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
        abstract: "Run default training for several seeds and report time and env steps to success and success rate.",
        discussion: """
        Each seed trains with the defaults of --algorithm (and any overrides), then its final
        policy is scored on --episodes fresh episodes of MuJoCo (whatever environment.physics
        trained it) with the deployed inference: randomised,
        or on the nominal robot with --nominal (which also trains and evaluates in-run without
        randomisation); when another physics trained it, also on the same episodes of that
        physics (training_physics_success_rate), to show the two backends agree. SAC runs also report the exploration's smoothness: mean |Δaction| per
        step against i.i.d. Gaussian noise of the same σ at the same states. Progress goes to
        stderr: per seed, env steps, the last in-run evaluation's success, when success first
        came and an ETA (redrawn on a terminal, one line per evaluation otherwise).
        """)

    @Option(help: "Learner: ppo or sac.")
    var algorithm: AlgorithmName = .ppo
    @Flag(help: "The nominal robot: no domain randomisation in training, in-run and final evaluation.")
    var nominal = false

    @Option(help: "Seeds to run, comma-separated.")
    var seeds: String = "1,2,3"
    @Option(help: "Time budget per run, seconds (maxSeconds; default 120 for PPO, 600 for SAC).")
    var maxSeconds: Double?
    @Option(help: "Episodes of the final randomised evaluation.")
    var episodes: Int = 100
    @OptionGroup var robotOptions: RobotOptions
    var robot: String { robotOptions.robot }
    @Option(help: "Keep the runs here (default: a temporary directory).")
    var out: String?
    @OptionGroup var output: OutputOptions
    var json: Bool { output.json }
    @Argument(help: "Training overrides as key.path=value (as for furuta train).")
    var overrides: [String] = []

    struct Row: Codable {
        var seed: UInt64
        var algorithm: String
        var nominal: Bool
        /// The physics that trained (`environment.physics`); the final score is always MuJoCo's.
        var physics: String
        var timeToSuccessS: Double?
        var envStepsToSuccess: Int?
        var wallS: Double
        var envSteps: Int
        var stepsPerS: Double
        var collectS: Double
        var updateS: Double
        var evaluateS: Double
        var successRate: Double
        var meanUprightS: Double
        /// The same final policy on the same episodes (the same robots, delays and starts) of the
        /// training physics, when that is not MuJoCo: how far the two backends' scores part.
        var trainingPhysicsSuccessRate: Double?
        /// Why the run stopped (two successes in a row, or a budget).
        var stoppedBecause: String
        var explorationMeanAbsDeltaAction: Double?
        var iidMeanAbsDeltaAction: Double?
    }

    func validate() throws {
        if let maxSeconds { try NumberRange.above(0, upTo: 1e7).check("--max-seconds", maxSeconds) }
        try NumberRange.closed(1, 100_000).check("--episodes", episodes)
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let description = try loadRobot(robot)
        let seedList = seeds.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        guard !seedList.isEmpty else { throw ValidationError("--seeds takes numbers like 1,2,3") }
        let base = out.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("furuta-bench-train-\(getpid())")
        var rows: [Row] = []
        for (index, seed) in seedList.enumerated() {
            var config: TrainingConfig
            do {
                config = try TrainingSettings.load(algorithm: algorithm, file: nil, overrides: overrides)
            } catch { throw CommandFailure("\(error)") }
            config.ppo.seed = seed
            config.sac.seed = seed
            config.maxSeconds = maxSeconds ?? (config.algorithm == .sac ? 600 : 120)
            if nominal {
                config.environment.randomization = nil
                config.evaluation.settings.randomized = false
            }
            let directory = base.appendingPathComponent("seed-\(seed)")
            try? FileManager.default.removeItem(at: directory)
            let run = try TrainingRun(config: config, description: description, directory: directory)
            // Progress on stderr: redrawn on a terminal, a line per in-run evaluation otherwise.
            let line = ProgressLine(enabled: true, descriptor: STDERR_FILENO)
            var text = BenchTrainProgressText(seed: seed, position: index + 1, count: seedList.count, config: config)
            let summary = try run.run { p in line.update(text.line(p), permanent: p.evaluated != nil) }
            line.finish()
            logger.info("bench train: seed \(seed) (\(index + 1)/\(seedList.count)) stopped (\(summary.stoppedBecause)) after \(summary.envSteps) steps; scoring final.policy on \(episodes) \(nominal ? "nominal" : "randomised") episodes")
            var settings = PolicyEvaluation.Settings()
            settings.episodes = episodes
            settings.randomized = !nominal
            let template = try MuJoCoModel.load(mjcfPath: description.mjcfPath)
            // Scored on MuJoCo, the reference, whatever physics trained it.
            var scoredOn = config.environment
            scoredOn.physics = .mujoco
            let evaluation = try PolicyEvaluation(robot: description.parameters, template: template,
                                                  training: scoredOn, settings: settings)
            let finalPolicy = try FrozenPolicy(PolicyFile(contentsOfFile: summary.policy))
            let result = evaluation.run(finalPolicy)
            var onTrainingPhysics: Double?
            if config.environment.physics != .mujoco {
                onTrainingPhysics = try PolicyEvaluation(robot: description.parameters, template: template,
                                                         training: config.environment, settings: settings)
                    .run(finalPolicy).successRate
            }
            let row = Row(seed: seed, algorithm: config.algorithm.rawValue, nominal: nominal,
                          physics: config.environment.physics.rawValue, timeToSuccessS: summary.timeToSuccessS, envStepsToSuccess: summary.envStepsToSuccess, wallS: summary.wallS,
                          envSteps: summary.envSteps, stepsPerS: summary.stepsPerS, collectS: summary.collectS,
                          updateS: summary.updateS, evaluateS: summary.evaluateS, successRate: result.successRate,
                          meanUprightS: result.meanUprightS, trainingPhysicsSuccessRate: onTrainingPhysics,
                          stoppedBecause: summary.stoppedBecause,
                          explorationMeanAbsDeltaAction: summary.explorationMeanAbsDeltaAction,
                          iidMeanAbsDeltaAction: summary.iidMeanAbsDeltaAction)
            rows.append(row)
            if !json {
                let toSuccess = row.timeToSuccessS.map { String(format: "%.1f s", $0) } ?? "not reached"
                let stepsToSuccess = row.envStepsToSuccess.map { "\($0) env steps" } ?? "–"
                print("seed \(seed): time to success \(toSuccess) (\(stepsToSuccess)), " + String(
                    format: "%d env steps, %.0f steps/s (collect %.1f s, update %.1f s, evaluate %.1f s); final eval %.0f %% of %d ",
                    row.envSteps, row.stepsPerS, row.collectS, row.updateS, row.evaluateS, row.successRate * 100, episodes)
                    + (nominal ? "nominal" : "randomised") + " MuJoCo episodes"
                    + (row.trainingPhysicsSuccessRate.map { String(format: " (%.0f %%", $0 * 100) + " on the same episodes of \(row.physics) physics)" } ?? ""))
                if let executed = row.explorationMeanAbsDeltaAction, let independent = row.iidMeanAbsDeltaAction {
                    print(String(format: "  exploration smoothness: mean |Δa| per step %.4f vs %.4f for i.i.d. Gaussian noise of the same σ (×%.2f)",
                                 executed, independent, independent / executed))
                }
            }
        }
        if json { printJSON(rows) }
        if out == nil { try? FileManager.default.removeItem(at: base) }
    }
}
