import Foundation
import MonotonicTime
import MotorModel
import PolicyFormat
import RobotDescription
import Learning
import Simulation

/// One training run: a `Runner` driving the configured algorithm (PPO or the off-policy
/// learner) on the simulated batch, a metrics row per iteration, periodic evaluation of the
/// exported policy, and at the end `final.policy` and `summary.json`.
public final class TrainingRun {
    public let config: TrainingConfig
    public let description: RobotDescription
    public let directory: URL
    let environment: FurutaEnvironment
    let learner: Learner
    let runner: Runner
    let evaluation: PolicyEvaluation
    /// The confirming evaluation (nil when `evaluation.confirmationEpisodes` is 0).
    let confirmation: PolicyEvaluation?

    /// What the run reports as it goes.
    public struct Progress: Sendable {
        public var iteration: Int
        public var environmentSteps: Int
        public var elapsedSeconds: Double
        public var stepsPerSecond: Double
        public var meanEpisodeReturn: Float
        public var lastSuccessRate: Double?
        public var etaSeconds: Double
        public var evaluated: PolicyEvaluation.Result?
        /// The confirming evaluation of the same policy, when the screening passed.
        public var confirmed: PolicyEvaluation.Result?
        /// Whether this iteration's evaluation met the success criterion (screening and
        /// confirmation); nil when there was no evaluation.
        public var succeeded: Bool?
    }

    public struct Summary: Sendable, Codable {
        public var envSteps: Int
        public var iterations: Int
        public var wallS: Double
        /// Wall time until an evaluation first met the success criterion, screening and
        /// confirmation (nil if none did).
        public var timeToSuccessS: Double?
        public var envStepsToSuccess: Int?
        public var stepsPerS: Double
        /// Wall time spent collecting rollouts (simulation + policy sampling) and updating.
        public var collectS: Double
        public var updateS: Double
        public var evaluateS: Double
        public var policy: String
        /// The policy of the best evaluation (`best.policy`), its success rate and iteration.
        public var bestPolicy: String?
        public var bestSuccessRate: Double?
        public var bestIteration: Int?
        public var seed: UInt64
        public var stoppedBecause: String
        public var algorithm: String
        /// SAC: mean |Δa| per control step of the exploring actions over the run, and of i.i.d.
        /// Gaussian noise with the same σ at the same states (the smoothness figure).
        public var explorationMeanAbsDeltaAction: Double?
        public var iidMeanAbsDeltaAction: Double?
    }

    /// A new run in `directory`, or — with `resume` — the continuation of the checkpoint.
    public init(config: TrainingConfig, description: RobotDescription, directory: URL,
                resume checkpoint: TrainingCheckpoint? = nil) throws {
        let problems = config.problems
        guard problems.isEmpty else { throw TrainingError.invalidConfig(problems) }
        self.config = config
        self.description = description
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let template = try MuJoCoModel.load(mjcfPath: description.mjcfPath)
        environment = try FurutaEnvironment(robot: description.parameters, template: template, config: config.environment)
        learner = Learner(config: config, environment: environment)
        // The envs' episodes derive from the run's seed through their own stream.
        var environmentSeeds = SplitMix64(seed: config.seed ^ 0x454E_5652_4553_4554)
        runner = Runner(environment: environment, algorithm: learner.algorithm, seed: environmentSeeds.next())
        evaluation = try PolicyEvaluation(robot: description.parameters, template: template,
                                          training: config.environment, settings: config.evaluation.settings)
        confirmation = config.evaluation.confirmationEpisodes > 0
            ? try PolicyEvaluation(robot: description.parameters, template: template,
                                   training: config.environment, settings: config.evaluation.confirmationSettings)
            : nil
        if let checkpoint {
            guard checkpoint.robotIdentity == description.parameters.identity else {
                throw TrainingError.robotChanged(directory.path)
            }
            try learner.restore(checkpoint.learner)
            try runner.restore(checkpoint.runner)
            try environment.restore(checkpoint.environment)
            counters = checkpoint.run
            resumedAtIteration = checkpoint.runner.iteration
        }
    }

    private var counters = TrainingCheckpoint.RunCounters()
    private var resumedAtIteration: Int?

    /// Resume the run in `directory` from its newest checkpoint, with `overrides` (budget keys
    /// such as maxSeconds) applied on top of its saved configuration.
    /// A run killed before its first checkpoint has nothing to continue but its config.yaml
    /// (`savedConfig`): since a run is determined by (config, seed), it starts again from
    /// iteration 0 in the same folder, its partial metrics.csv and event files discarded.
    public static func resuming(directory: URL, description: RobotDescription,
                                savedConfig: () throws -> TrainingConfig? = { nil },
                                adjust: (TrainingConfig) throws -> TrainingConfig) throws -> TrainingRun {
        if try TrainingCheckpoint.list(in: directory).isEmpty, let saved = try savedConfig() {
            let fm = FileManager.default
            for name in (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
            where name == "metrics.csv" || name.hasPrefix("events.out.tfevents.") {
                try fm.removeItem(at: directory.appendingPathComponent(name))
            }
            return try TrainingRun(config: try adjust(saved), description: description, directory: directory)
        }
        let checkpoint = try TrainingCheckpoint.latest(in: directory)
        let config = try adjust(checkpoint.config)
        return try TrainingRun(config: config, description: description, directory: directory, resume: checkpoint)
    }

    /// The policy as it would be exported now.
    public func currentPolicy() -> PolicyFile {
        let robot = description.parameters
        var policy = learner.algorithm.exportPolicy(
            layout: environment.observationLayout, robotIdentity: robot.identity, robotName: robot.name,
            controlRateHz: robot.control.rateHz,
            notes: "\(config.algorithm.rawValue.uppercased()) seed \(config.seed), iteration \(runner.iteration), \(runner.environmentSteps) env steps")
        policy.provenance = TrainingProvenance.make(config: config, environmentSteps: runner.environmentSteps)
        policy.trainedLatency = PolicyExport.trainedLatency(environment: config.environment, physicsTimestepS: robot.control.physicsTimestepS)
        return policy
    }

    private func writeCheckpoint() throws {
        try TrainingCheckpoint(config: config, robotIdentity: description.parameters.identity, learner: learner.state,
                               runner: runner.state, environment: environment.snapshot(), run: counters).write(in: directory)
    }

    /// Train until a stop condition; `shouldStop` is polled between iterations (e.g. SIGINT).
    public func run(shouldStop: () -> Bool = { false }, progress: (Progress) -> Void) throws -> Summary {
        let sessionStart = MonotonicClock.seconds() - counters.elapsedSeconds
        let metricsURL = directory.appendingPathComponent("metrics.csv")
        if let resumedAtIteration { try MetricsWriter.truncate(metricsURL, afterIteration: resumedAtIteration) }
        let metrics = try MetricsWriter(url: metricsURL, appending: resumedAtIteration != nil)
        var lastCheckpoint = MonotonicClock.seconds()
        var stopped = "time budget (maxSeconds)"
        while true {
            if config.stopAtSuccess && counters.consecutiveSuccesses >= config.evaluation.consecutiveSuccessesToStop {
                let n = counters.consecutiveSuccesses
                stopped = (n == 1 ? "an evaluation" : "\(n) evaluations in a row")
                    + (confirmation == nil ? " met the success criterion" : " met the success criterion, confirmed")
                break
            }
            if counters.elapsedSeconds >= config.maxSeconds { break }
            if runner.environmentSteps >= config.maxEnvironmentSteps { stopped = "step budget (maxEnvironmentSteps)"; break }
            if shouldStop() { stopped = "interrupted (resume with --resume)"; break }

            let stats = runner.iterate()
            counters.collectSeconds += stats.secondsCollecting
            counters.updateSeconds += stats.secondsUpdating
            var evaluated: PolicyEvaluation.Result?, confirmed: PolicyEvaluation.Result?, succeeded: Bool?
            if stats.iteration % config.evaluation.everyIterations == 0 {
                let t0 = MonotonicClock.seconds()
                // Fresh episodes each time, the same ones for a run and its resumption.
                let evaluatedPolicy = currentPolicy()
                let frozen = try FrozenPolicy(evaluatedPolicy)
                let result = evaluation.run(frozen, seed: config.evaluation.settings.seed &+ UInt64(stats.iteration))
                if result.successRate >= (counters.bestSuccessRate ?? -1) {
                    try evaluatedPolicy.write(toFile: directory.appendingPathComponent("best.policy").path)
                    counters.bestSuccessRate = result.successRate
                    counters.bestIteration = stats.iteration
                }
                evaluated = result
                counters.lastSuccessRate = result.successRate
                var met = result.successRate >= config.evaluation.successRate
                // A screening pass is confirmed on more, other episodes of the same policy.
                if met, let confirmation {
                    let second = confirmation.run(frozen, seed: config.evaluation.confirmationSettings.seed &+ UInt64(stats.iteration))
                    confirmed = second
                    met = second.successRate >= config.evaluation.confirmationSuccessRate
                }
                counters.evaluateSeconds += MonotonicClock.seconds() - t0
                succeeded = met
                if met {
                    counters.consecutiveSuccesses += 1
                    if counters.timeToSuccessSeconds == nil {
                        counters.timeToSuccessSeconds = MonotonicClock.seconds() - sessionStart
                        counters.environmentStepsToSuccess = stats.environmentSteps
                    }
                } else {
                    counters.consecutiveSuccesses = 0
                }
            }
            counters.elapsedSeconds = MonotonicClock.seconds() - sessionStart
            let elapsed = counters.elapsedSeconds
            try metrics.append(stats, elapsed: elapsed, evaluation: evaluated, confirmation: confirmed)
            if MonotonicClock.seconds() - lastCheckpoint >= config.checkpointEverySeconds {
                try writeCheckpoint()
                lastCheckpoint = MonotonicClock.seconds()
            }
            let fraction = max(elapsed / config.maxSeconds, Double(stats.environmentSteps) / Double(config.maxEnvironmentSteps))
            progress(Progress(iteration: stats.iteration, environmentSteps: stats.environmentSteps,
                              elapsedSeconds: elapsed, stepsPerSecond: Double(stats.environmentSteps) / elapsed,
                              meanEpisodeReturn: stats.meanEpisodeReturn, lastSuccessRate: counters.lastSuccessRate,
                              etaSeconds: fraction > 0 ? elapsed / fraction - elapsed : .infinity, evaluated: evaluated,
                              confirmed: confirmed, succeeded: succeeded))
        }
        // Always leave a checkpoint of where the run stopped, so it can be extended later.
        try writeCheckpoint()
        let policy = currentPolicy()
        let policyURL = directory.appendingPathComponent("final.policy")
        try policy.write(toFile: policyURL.path)
        let wall = counters.elapsedSeconds
        let summary = Summary(envSteps: runner.environmentSteps, iterations: runner.iteration, wallS: wall,
                              timeToSuccessS: counters.timeToSuccessSeconds,
                              envStepsToSuccess: counters.environmentStepsToSuccess,
                              stepsPerS: wall > 0 ? Double(runner.environmentSteps) / wall : 0,
                              collectS: counters.collectSeconds, updateS: counters.updateSeconds,
                              evaluateS: counters.evaluateSeconds, policy: policyURL.path,
                              bestPolicy: counters.bestIteration == nil ? nil : directory.appendingPathComponent("best.policy").path,
                              bestSuccessRate: counters.bestSuccessRate, bestIteration: counters.bestIteration,
                              seed: config.seed, stoppedBecause: stopped, algorithm: config.algorithm.rawValue,
                              explorationMeanAbsDeltaAction: learner.smoothness?.executedMeanAbsDelta,
                              iidMeanAbsDeltaAction: learner.smoothness?.independentMeanAbsDelta)
        try writeJSON(summary, to: directory.appendingPathComponent("summary.json"))
        return summary
    }
}

public enum TrainingError: Error, CustomStringConvertible {
    case invalidConfig([String])
    case noCheckpoint(String)
    case unreadableCheckpoint(String, String)
    case checkpointVersion(String, Int)
    case robotChanged(String)
    public var description: String {
        switch self {
        case .invalidConfig(let problems): return "invalid training config: " + problems.joined(separator: "; ")
        case .noCheckpoint(let dir): return "\(dir) has no checkpoints/ to resume from (was it written by furuta train?)"
        case .unreadableCheckpoint(let dir, let why): return "no readable checkpoint in \(dir)/checkpoints: \(why)"
        case .checkpointVersion(let file, let v):
            return "\(file) is checkpoint format \(v); this build reads format \(TrainingCheckpoint.formatVersion)"
        case .robotChanged(let dir):
            return "the robot description differs from the one \(dir) was trained on; resume with the same robot.yaml"
        }
    }
}

/// Write a value as pretty, snake_case JSON, atomically.
public func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
    try JSONOutput.encode(value).write(to: url, options: .atomic)
}
