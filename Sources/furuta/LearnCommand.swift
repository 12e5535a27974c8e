#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import CommandLogging
import Foundation
import Learning
import PolicyFormat
import RobotDescription
import Simulation
import Trainer
import MotorModel

/// `furuta learn`: the off-policy learner of a robot training session (docs/sessions.md).
struct LearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Learn from a session folder's episodes with SAC and publish candidate policies for `furuta-controller session`.",
        discussion: """
            Polls DIR/episodes for episode logs the controller renamed into place, rebuilds each \
            step's observation exactly as the controller's policy saw it, rewards it with the \
            swing-up task the simulator trains on, owes sac.updatesPerStep gradient steps per new \
            transition, runs them in chunks of --publish-every-updates and publishes \
            DIR/candidates/candidate-N.policy after each chunk (and when nothing is owed). The first candidate (published at once when the folder has none) is the \
            untrained actor, or with --from POLICY the actor started from that policy's weights \
            (fine-tuning: same deterministic actions; fresh critics, or with --critics-from-run the \
            sim run's; actor updates wait 20 000 critic steps (2 000 with the run's critics), then run at \
            actor learning rate 1e-4 with a behaviour-cloning term toward the start policy, \
            sac.behaviorCloningWeight 10; see docs/sessions.md). Runs with one BLAS thread at nice 10, below \
            the control loop. Killed and restarted, it catches up from the folder (no learner state \
            is lost that the episodes do not hold). The transport is the folder itself: no socket.
            Settings: --set sac.updatesPerStep=5 --set sac.learningStarts=500 --set task.actionWeight=0.02 \
            (any SACConfig / SwingUpTask field).
            Example: furuta learn --session runs/s1 &  furuta-controller session --port /tmp/furuta-twin --session runs/s1 --episodes 20
            """
    )

    @Option(help: "Session folder (created if missing).")
    var session: String

    @Option(help: "A sim-trained .policy (SAC: tanh actions) to fine-tune: the actor starts from its weights and normaliser, and it is the first candidate.")
    var from: String?

    @Flag(help: "With --from: start the critics and temperature from the SAC checkpoint in the policy's run folder (DIR/checkpoints beside DIR/final.policy) instead of fresh ones.")
    var criticsFromRun = false

    @OptionGroup var robotOptions: RobotOptions

    @Option(name: .customLong("set"), help: "Override a setting: key=value (sac.*, task.*).")
    var overrides: [String] = []

    @Option(help: "Seconds between looks at the folder when nothing is new.")
    var pollSeconds: Double = 0.5

    @Option(help: "Exit after this many seconds (default: run until killed).")
    var seconds: Double?

    @Option(help: "Publish a policy at least every this many gradient steps while steps are owed (and after the last).")
    var publishEveryUpdates = 2_500

    @Option(help: "Niceness of the learner process (the control loop runs at real-time priority).")
    var nice: Int32 = 10

    struct Settings: Codable {
        var sac = SACConfig()
        var task = SwingUpTask()
        var historyLength = EnvironmentConfig().historyLength
        var velocitySmoothing = EnvironmentConfig().velocitySmoothing
        init() {
            sac.learningStarts = 500
            sac.blasThreads = 1
            // The reward SAC trains on in simulation (TrainingConfig.defaults(for: .sac)).
            task = TrainingConfig.defaults(for: .sac).environment.task
        }
    }

    /// The session learner for `settings` on `robot`, over `folder`.
    static func makeLearner(settings: Settings, robot: RobotParameters, folder: String) throws -> SessionLearner {
        guard settings.sac.problems.isEmpty else {
            throw ValidationError("--set: \(settings.sac.problems.joined(separator: "; "))")
        }
        var environment = EnvironmentConfig()
        environment.historyLength = settings.historyLength
        environment.velocitySmoothing = settings.velocitySmoothing
        let layout = FurutaEnvironment.layout(for: robot, config: environment)
        let identity = SessionLearner.Identity(layout: layout, robotIdentity: robot.identity, robotName: robot.name,
                                               controlRateHz: robot.control.rateHz, armLimit: robot.arm.softLimitRad)
        return SessionLearner(folder: folder, identity: identity, config: settings.sac, task: settings.task)
    }

    /// One line on stdout, unbuffered (the log is read while the learner runs).
    static func say(_ line: String) { FileHandle.standardOutput.write(Data("learn: \(line)\n".utf8)) }

    @OptionGroup var logging: LogLevelOptions

    func validate() throws {
        guard publishEveryUpdates >= 1 else { throw ValidationError("--publish-every-updates must be ≥ 1") }
        guard pollSeconds > 0, pollSeconds.isFinite else { throw ValidationError("--poll-seconds must be a positive number of seconds") }
    }

    func run() throws {
        logging.apply()
        if nice != 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) }
        let description = try RobotDescription.load(from: robotOptions.robot)
        var defaults = Settings()
        let start = try from.map { try PolicyFile(contentsOfFile: $0) }
        let checkpoint = try LearnFineTuning.checkpoint(besides: from, wanted: criticsFromRun)
        if let start { LearnFineTuning.apply(to: &defaults, start: start, criticsFromCheckpoint: checkpoint != nil) }
        let settings = try LayeredConfig.load(defaults: defaults, file: nil, overrides: overrides)
        let learner = try Self.makeLearner(settings: settings, robot: description.parameters, folder: session)
        learner.report = { Self.say($0) }
        if let start, let from {
            Self.say(try LearnFineTuning.start(learner, policy: start, path: from, checkpoint: checkpoint))
        }
        try FileManager.default.createDirectory(atPath: session + "/episodes", withIntermediateDirectories: true)
        let hasCandidates = ((try? FileManager.default.contentsOfDirectory(atPath: session + "/candidates")) ?? [])
            .contains { $0.hasSuffix(".policy") }
        if !hasCandidates {
            let notes = from.map { "session learner: actor started from \($0)" } ?? "session learner: untrained actor"
            Self.say("published \(try learner.publish(notes: notes))")
        }
        let board = try SessionTensorBoard(folder: session, restartingFromScratch: learner.ingested.isEmpty && learner.learner.gradientSteps == 0)
        learner.episodeIngested = { name, transitions in
            do { try board.ingested(name, transitions: transitions) } catch { logger.warning("TensorBoard: \(error)") }
        }
        let started = Date()
        // Owed gradient steps run in chunks of --publish-every-updates, with a look at the folder
        // and a published policy after each: a learner slower than the robot still hands over a
        // fresher policy at every episode boundary, and new episodes join the queue at once.
        var sincePublished = 0
        while seconds.map({ Date().timeIntervalSince(started) < $0 }) ?? true {
            _ = try learner.ingestNew()
            let ran = learner.train(maxSteps: publishEveryUpdates)
            sincePublished += ran
            if ran > 0, learner.owedSteps == 0 || sincePublished >= publishEveryUpdates {
                let path = try learner.publish(notes: "session learner: \(learner.ingested.count) episodes, \(learner.learner.gradientSteps) gradient steps")
                Self.say("published \(path)")
                try board.published(learner)
                sincePublished = 0
            } else if ran == 0 {
                try board.logControllerRecords()
                Thread.sleep(forTimeInterval: pollSeconds)
            }
        }
    }
}
