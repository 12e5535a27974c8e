import ArgumentParser
import Controller
import Foundation
import Learning
import PolicyFormat
import Simulation
import Trainer

/// `furuta bench session`: the figures of a robot training session (docs/sessions.md).
struct BenchSessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Learning from scratch through the session folder: episodes to success (the simulator in the robot's place).",
        discussion: """
        --simulated: the session's episodes are played on the simulator exactly as the controller \
        plays them (deterministic policy plus the controller's AR(1) exploration, observations from \
        encoder counts, the controller's log format), the learner (`furuta learn`'s) learns from the \
        folder after each episode; every --evaluate-every episodes the newest candidate is scored \
        on --eval-episodes nominal simulated episodes (success: upright the whole last 5 s).
        """)

    @OptionGroup var robotOptions: RobotOptions
    @Option(help: "Episodes of the session.")
    var episodes: Int = 60
    @Option(help: "Score the newest candidate every this many episodes.")
    var evaluateEvery: Int = 5
    @Option(help: "Nominal simulated episodes per score.")
    var evalEpisodes: Int = 16
    @Option(help: "Session folder (default: a fresh temporary one).")
    var session: String?
    @Option(name: .customLong("set"), help: "Learner setting key=value (as `furuta learn --set`).")
    var overrides: [String] = []
    @Option(help: "Exploration σ (controller default 0.3).")
    var explorationSigma: Double = 0.3
    @Option(help: "Exploration correlation ρ (controller default 0.95).")
    var explorationCorrelation: Double = 0.95
    @Option(help: "Exploration bound (controller default 0.5).")
    var explorationBound: Double = 0.5
    @Flag(help: "The simulator in the robot's place (the only mode so far).")
    var simulated = false
    @Option(help: "Fine-tune this sim-trained policy (as `furuta learn --from`) instead of learning from scratch.")
    var from: String?
    @Flag(help: "With --from: critics and temperature from the SAC checkpoint beside the policy (as `furuta learn --critics-from-run`).")
    var criticsFromRun = false
    @Option(name: .customLong("physics"), parsing: .singleValue,
            help: "Override a robot.yaml value of the simulated robot (not of the learner's description), e.g. --physics pendulum.mass_kg=0.03 (repeatable).")
    var physics: [String] = []

    func run() throws {
        let description = try loadRobot(robotOptions.robot)
        let physicsOverrides = try PhysicsOverrides.parse(physics)
        let simulatedDescription = try loadRobot(robotOptions.robot, overrides: physicsOverrides)
        var defaults = LearnCommand.Settings()
        let start = try from.map { try PolicyFile(contentsOfFile: $0) }
        let checkpoint = try LearnFineTuning.checkpoint(besides: from, wanted: criticsFromRun)
        if let start { LearnFineTuning.apply(to: &defaults, start: start, criticsFromCheckpoint: checkpoint != nil) }
        let settings = try LayeredConfig.load(defaults: defaults, file: nil, overrides: overrides)
        let robot = description.parameters
        let folder = session ?? NSTemporaryDirectory() + "furuta-bench-session-\(UUID().uuidString)"
        let learner = try LearnCommand.makeLearner(settings: settings, robot: robot, folder: folder)
        learner.report = { print("  learn: \($0)") }
        if let start, let from {
            print("  " + (try LearnFineTuning.start(learner, policy: start, path: from, checkpoint: checkpoint)))
        }
        try learner.publish(notes: from.map { "session learner: actor started from \($0)" } ?? "session learner: untrained actor")
        var environmentConfig = EnvironmentConfig()
        environmentConfig.count = 1
        environmentConfig.threads = 1
        environmentConfig.randomization = nil
        environmentConfig.historyLength = settings.historyLength
        environmentConfig.velocitySmoothing = settings.velocitySmoothing
        environmentConfig.task.episodeSeconds = 1e6 // the episode's length is the session's, not the env's
        let template = try MuJoCoModel.load(mjcfPath: description.mjcfPath)
        let environment = try FurutaEnvironment(robot: SimulatedRobotEpisode.environmentRobot(simulatedDescription.parameters),
                                                template: template, config: environmentConfig)
        let exploration = ExplorationNoiseSequence(sigma: explorationSigma, correlation: explorationCorrelation, bound: explorationBound)
        let steps = Int((10 * robot.control.rateHz).rounded())
        let simulatedSession = SimulatedSession(folder: folder, learner: learner, environment: environment, robot: robot,
                                                episodeSteps: steps) { episode, count in exploration.values(count: count, seed: UInt64(episode)) }
        var evaluationSettings = PolicyEvaluation.Settings()
        evaluationSettings.episodes = evalEpisodes
        evaluationSettings.randomized = false
        evaluationSettings.threads = 1
        var evalEnvironment = EnvironmentConfig()
        evalEnvironment.historyLength = settings.historyLength
        evalEnvironment.velocitySmoothing = settings.velocitySmoothing
        let evaluation = try PolicyEvaluation(robot: simulatedDescription.parameters, template: template,
                                              training: evalEnvironment, settings: evaluationSettings)
        if let path = simulatedSession.newestCandidate() {
            let result = evaluation.run(try FrozenPolicy(try PolicyFile(contentsOfFile: path)))
            print(String(format: "  before the session: %@ succeeds %.0f %% (mean upright %.2f s)",
                         (path as NSString).lastPathComponent, result.successRate * 100, result.meanUprightS))
        }
        let started = Date()
        var firstSuccess: Int?
        for index in 1...episodes {
            let outcome = try simulatedSession.step(episode: index)
            print(String(format: "episode %3d [%@]: return %7.1f, upright %5.2f s, %d transitions, %.0f s wall",
                         index, outcome.policy, outcome.episodeReturn, outcome.longestUprightS, outcome.transitions,
                         Date().timeIntervalSince(started)))
            if index % evaluateEvery == 0, let path = simulatedSession.newestCandidate() {
                let result = evaluation.run(try FrozenPolicy(try PolicyFile(contentsOfFile: path)))
                print(String(format: "  after %d episodes: %@ succeeds %.0f %% (mean upright %.2f s)", index,
                             (path as NSString).lastPathComponent, result.successRate * 100, result.meanUprightS))
                if result.successRate >= 0.9, firstSuccess == nil { firstSuccess = index }
            }
        }
        print("first ≥ 90 % success after \(firstSuccess.map { "\($0) episodes (\($0 * 10) s of robot time)" } ?? "none")")
    }
}
