import Foundation
import MotorModel
import PolicyFormat
import RobotDescription
import Simulation

/// One training run: PPO on the simulated batch, a metrics row per iteration, periodic
/// evaluation of the exported policy, and at the end `final.policy` and `summary.json`.
public final class TrainingRun {
    public let config: TrainingConfig
    public let description: RobotDescription
    public let directory: URL
    let environment: FurutaEnvironment
    let trainer: PPOTrainer
    let evaluation: PolicyEvaluation

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
    }

    public struct Summary: Sendable, Codable {
        public var envSteps: Int
        public var iterations: Int
        public var wallS: Double
        /// Wall time until an evaluation first met the success criterion (nil if none did).
        public var timeToSuccessS: Double?
        public var envStepsToSuccess: Int?
        public var stepsPerS: Double
        /// Wall time spent collecting rollouts (simulation + policy sampling) and updating.
        public var collectS: Double
        public var updateS: Double
        public var evaluateS: Double
        public var finalEvaluation: PolicyEvaluation.Result?
        public var policy: String
        public var seed: UInt64
        public var stoppedBecause: String
    }

    public init(config: TrainingConfig, description: RobotDescription, directory: URL) throws {
        let problems = config.problems
        guard problems.isEmpty else { throw TrainingError.invalidConfig(problems) }
        self.config = config
        self.description = description
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let template = try MuJoCoModel.load(mjcfPath: description.mjcfPath)
        environment = try FurutaEnvironment(robot: description.parameters, template: template, config: config.environment)
        trainer = PPOTrainer(config: config.ppo, environment: environment)
        evaluation = try PolicyEvaluation(robot: description.parameters, template: template,
                                          training: config.environment, settings: config.evaluation.settings)
    }

    /// The policy as it would be exported now.
    public func currentPolicy() -> PolicyFile {
        let robot = description.parameters
        return trainer.exportPolicy(robotIdentity: robot.identity, robotName: robot.name, controlRateHz: robot.control.rateHz)
    }

    public func run(progress: (Progress) -> Void) throws -> Summary {
        let start = monotonicSeconds()
        let metrics = try MetricsWriter(url: directory.appendingPathComponent("metrics.csv"))
        var timeToSuccess: Double?, stepsToSuccess: Int?
        var lastEvaluation = start, lastSuccessRate: Double?
        var collect = 0.0, update = 0.0, evaluate = 0.0
        var stopped = "time budget (maxSeconds)"
        while true {
            let stats = trainer.iterate()
            collect += stats.secondsCollecting
            update += stats.secondsUpdating
            var evaluated: PolicyEvaluation.Result?
            let now = monotonicSeconds()
            if now - lastEvaluation >= config.evaluation.everySeconds {
                let t0 = monotonicSeconds()
                evaluated = evaluation.run(try FrozenPolicy(currentPolicy()))
                evaluate += monotonicSeconds() - t0
                lastEvaluation = monotonicSeconds()
                lastSuccessRate = evaluated?.successRate
                if let rate = evaluated?.successRate, rate >= config.evaluation.successRate, timeToSuccess == nil {
                    timeToSuccess = monotonicSeconds() - start
                    stepsToSuccess = stats.environmentSteps
                }
            }
            let elapsed = monotonicSeconds() - start
            try metrics.append(stats, elapsed: elapsed, evaluation: evaluated)
            let fraction = max(elapsed / config.maxSeconds, Double(stats.environmentSteps) / Double(config.maxEnvironmentSteps))
            progress(Progress(iteration: stats.iteration, environmentSteps: stats.environmentSteps,
                              elapsedSeconds: elapsed, stepsPerSecond: Double(stats.environmentSteps) / elapsed,
                              meanEpisodeReturn: stats.meanEpisodeReturn, lastSuccessRate: lastSuccessRate,
                              etaSeconds: fraction > 0 ? elapsed / fraction - elapsed : .infinity, evaluated: evaluated))
            if config.stopAtSuccess && timeToSuccess != nil { stopped = "evaluation met the success criterion"; break }
            if elapsed >= config.maxSeconds { break }
            if stats.environmentSteps >= config.maxEnvironmentSteps { stopped = "step budget (maxEnvironmentSteps)"; break }
        }
        let policy = currentPolicy()
        let policyURL = directory.appendingPathComponent("final.policy")
        try policy.write(toFile: policyURL.path)
        let wall = monotonicSeconds() - start
        let summary = Summary(envSteps: trainer.environmentSteps, iterations: trainer.iteration, wallS: wall,
                              timeToSuccessS: timeToSuccess, envStepsToSuccess: stepsToSuccess,
                              stepsPerS: Double(trainer.environmentSteps) / wall, collectS: collect, updateS: update,
                              evaluateS: evaluate, finalEvaluation: nil, policy: policyURL.path, seed: config.ppo.seed,
                              stoppedBecause: stopped)
        try writeJSON(summary, to: directory.appendingPathComponent("summary.json"))
        return summary
    }
}

public enum TrainingError: Error, CustomStringConvertible {
    case invalidConfig([String])
    public var description: String {
        switch self {
        case .invalidConfig(let problems): return "invalid training config: " + problems.joined(separator: "; ")
        }
    }
}

/// Write a value as pretty, snake_case JSON, atomically.
public func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    try encoder.encode(value).write(to: url, options: .atomic)
}
