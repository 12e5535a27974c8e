import Foundation
import MotorModel
import PolicyFormat
import RobotDescription
import Learning
import Simulation

/// Runs a frozen policy — the exact inference the controller will run — on full-length episodes
/// and scores it against the deployment criterion, `SwingUpSuccess` (the task's, shared with the
/// scoring of runs recorded on the robot):
///
///   success = the pendulum within `uprightTolerance` rad of upright for the whole last
///             `holdSeconds` of the episode, and the arm never past its soft limit.
public struct PolicyEvaluation: Sendable {
    public struct Settings: Sendable, Equatable, Codable {
        /// Episodes (one env each, run in parallel).
        public var episodes = 100
        /// Randomise the physics per episode as in training (otherwise the nominal robot).
        public var randomized = true
        /// Seed of the episodes' initial states and physics.
        public var seed: UInt64 = 12345
        /// Episode length, seconds.
        public var episodeSeconds = SwingUpSuccess().episodeSeconds
        /// The pendulum must be upright for this whole final stretch, seconds.
        public var holdSeconds = SwingUpSuccess().holdSeconds
        /// Upright means within this angle of α = π, rad.
        public var uprightTolerance = SwingUpSuccess().uprightTolerance
        /// Simulation threads.
        public var threads = 2
        public init() {}

        /// The criterion these settings score with.
        public var criterion: SwingUpSuccess {
            var c = SwingUpSuccess()
            c.episodeSeconds = episodeSeconds
            c.holdSeconds = holdSeconds
            c.uprightTolerance = uprightTolerance
            return c
        }
    }

    public struct Result: Sendable, Codable, Equatable {
        public var episodes: Int
        public var successes: Int
        public var successRate: Double
        public var meanReturn: Double
        /// Mean time with the pendulum upright (within tolerance), seconds per episode.
        public var meanUprightS: Double
        /// Episodes that ended early with the arm past its limit.
        public var armLimitExits: Int
        public var randomized: Bool
    }

    public let settings: Settings
    let environment: FurutaEnvironment

    /// Build the evaluation environments once; `run` can be called for each policy to score.
    public init(robot: RobotParameters, template: MuJoCoModel, training: EnvironmentConfig, settings: Settings) throws {
        var config = training
        config.count = settings.episodes
        config.threads = settings.threads
        config.task.episodeSeconds = settings.episodeSeconds
        config.task.startPendulumAngle = 0
        if !settings.randomized { config.randomization = nil }
        environment = try FurutaEnvironment(robot: robot, template: template, config: config)
        self.settings = settings
    }

    public func run(_ policy: FrozenPolicy) -> Result { run(policy, seed: settings.seed) }

    /// Score `policy` on the episodes drawn from `seed` (initial states and physics).
    public func run(_ policy: FrozenPolicy, seed: UInt64) -> Result {
        let env = environment
        let n = env.count, size = env.observationSize
        precondition(policy.observationSize == size, "policy expects \(policy.observationSize) inputs, env gives \(size)")
        let period = env.robot.control.periodS
        let criterion = settings.criterion
        let steps = criterion.episodeSteps(periodS: period)
        env.reset(seed: seed)
        // The policy runs on the simulation's threads too (between the physics steps).
        let inference = ParallelInference(policy: policy, envs: n, lanes: settings.threads)
        let alive = inference.active
        var streak = [Int](repeating: 0, count: n)
        var returns = [Double](repeating: 0, count: n)
        var upright = [Int](repeating: 0, count: n)
        var exits = 0
        for _ in 0..<steps {
            inference.act(observations: env.observations)
            env.step(actions: UnsafeBufferPointer(inference.actions))
            for i in 0..<n where alive[i] {
                returns[i] += Double(env.rewards[i])
                if env.terminated[i] == 1 {
                    alive[i] = false
                    exits += 1
                    continue
                }
                // The state after this step (before an auto-reset at the very last step).
                let isUpright = env.truncated[i] == 1
                    ? lastStepUpright(env, i) : criterion.isUpright(pendulumAngle: env.state(of: i).pendulumAngle)
                if isUpright { upright[i] += 1 }
                streak[i] = SwingUpSuccess.streak(streak[i], afterUpright: isUpright)
            }
        }
        let successes = (0..<n).filter {
            criterion.succeeded(stepsRun: steps, terminated: !alive[$0], finalUprightStreak: streak[$0], periodS: period)
        }.count
        return Result(episodes: n, successes: successes, successRate: Double(successes) / Double(n),
                      meanReturn: returns.reduce(0, +) / Double(n),
                      meanUprightS: Double(upright.reduce(0, +)) * period / Double(n),
                      armLimitExits: exits, randomized: settings.randomized)
    }

    /// At truncation the env has already reset; judge the last step from the final observation
    /// (cos α is feature 3 of the standard layout: upright when −cos α ≥ cos(tolerance)).
    private func lastStepUpright(_ env: FurutaEnvironment, _ i: Int) -> Bool {
        let size = env.observationSize
        guard let cosIndex = env.observationLayout.features.firstIndex(of: .pendulumCos) else { return false }
        return SwingUpTask.isUpright(cosPendulumAngle: Double(env.finalObservations[i * size + cosIndex]),
                                     tolerance: settings.uprightTolerance)
    }
}
