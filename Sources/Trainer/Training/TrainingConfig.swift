import Learning
import Simulation

/// Everything a `furuta train` run is made of; a run is reproducible from (this, the robot
/// description). Loadable from YAML and overridable as `key.path=value`.
public struct TrainingConfig: Sendable, Equatable, Codable {
    /// Which learner trains: PPO (on-policy, many simulated envs) or SAC (the off-policy
    /// family: SAC with the DroQ recipe, sample-efficient enough for a robot).
    public var algorithm = AlgorithmName.ppo
    /// PPO hyperparameters (seed included).
    public var ppo = PPOConfig()
    /// Off-policy learner hyperparameters (seed included), used with `algorithm: sac`.
    public var sac = SACConfig()
    /// The simulated batch: envs, threads, history, noise, randomisation, task.
    public var environment = EnvironmentConfig()
    /// Periodic evaluation of the exported policy during training.
    public var evaluation = TrainingEvaluation()
    /// Stop after this much wall time, seconds.
    public var maxSeconds = 600.0
    /// Stop after this many environment steps (all envs together).
    public var maxEnvironmentSteps = 100_000_000
    /// Stop once `evaluation.consecutiveSuccessesToStop` evaluations in a row met the success
    /// criterion (time to success is still the first one's).
    public var stopAtSuccess = true
    /// Write a checkpoint at least this often, seconds of wall time.
    public var checkpointEverySeconds = 30.0

    /// The defaults for `algorithm`: PPO learns from 128 simulated envs on 2 threads; the
    /// off-policy learner from one env, as it would on the robot.
    public static func defaults(for algorithm: AlgorithmName) -> TrainingConfig {
        var c = TrainingConfig()
        c.algorithm = algorithm
        if algorithm == .sac {
            c.environment.count = 1
            c.environment.threads = 1
            // Spinning through the top must pay less than holding it there: without this the
            // learner settled in spinning (return ≈ 533 per 10 s episode) for 30 k steps.
            c.environment.task.pendulumSpeedWeight = 1e-3
            // SAC's time is its updates, not the physics; its figures were measured on MuJoCo.
            c.environment.physics = .mujoco
        }
        return c
    }

    public init() {
        // Defaults chosen for this task (see docs/training.md).
        ppo.stepsPerEnvironment = 32
        ppo.epochs = 5
        ppo.minibatches = 4
        ppo.learningRate = 1e-3
        ppo.hiddenWidths = [64, 64]
        ppo.initialLogStd = -0.5
        environment.count = 128
        environment.threads = 2
        // The closed-form physics, held to MuJoCo's trajectories by AnalyticPhysicsAgreementTests:
        // MuJoCo's step was 57 % of a training run's CPU time (docs/training.md, Speed).
        // `furuta bench train` scores every final policy on MuJoCo.
        environment.physics = .analytic
    }

    /// The seed of the configured algorithm's run (`ppo.seed` or `sac.seed`).
    public var seed: UInt64 { algorithm == .ppo ? ppo.seed : sac.seed }

    public var problems: [String] {
        var found = algorithm == .ppo ? ppo.problems.map { "ppo: \($0)" } : sac.problems.map { "sac: \($0)" }
        if environment.count < 1 { found.append("environment.count must be ≥ 1") }
        if environment.threads < 1 { found.append("environment.threads must be ≥ 1") }
        if environment.historyLength < 0 { found.append("environment.historyLength must be ≥ 0") }
        if evaluation.settings.episodes < 1 { found.append("evaluation.settings.episodes must be ≥ 1") }
        if evaluation.everyIterations < 1 { found.append("evaluation.everyIterations must be ≥ 1") }
        if evaluation.consecutiveSuccessesToStop < 1 { found.append("evaluation.consecutiveSuccessesToStop must be ≥ 1") }
        if !(checkpointEverySeconds > 0) { found.append("checkpointEverySeconds must be positive") }
        if !(maxSeconds > 0) { found.append("maxSeconds must be positive") }
        return found
    }
}

/// When and how a run evaluates itself.
public struct TrainingEvaluation: Sendable, Equatable, Codable {
    /// Evaluate every this many iterations (counted, not timed, so a run and its resumption
    /// evaluate at the same points).
    public var everyIterations = 40
    /// The evaluation's episodes, physics randomisation and criterion.
    public var settings: PolicyEvaluation.Settings = {
        var s = PolicyEvaluation.Settings()
        s.episodes = 64
        s.seed = 777
        return s
    }()
    /// An evaluation succeeds when its success rate reaches this.
    public var successRate = 0.95
    /// Successful evaluations in a row before `stopAtSuccess` stops the run. Each evaluation
    /// draws fresh episodes (seed + iteration), so two in a row are evidence the policy, not the
    /// episode set, is good: one pass at 95 % on 64 episodes is also what a 95 % policy scores
    /// by luck more than half the time.
    public var consecutiveSuccessesToStop = 2
    public init() {}
}

/// The learners `furuta train --algorithm` knows.
public enum AlgorithmName: String, Sendable, Equatable, Codable, CaseIterable {
    case ppo
    case sac
}
