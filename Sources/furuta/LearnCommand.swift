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
import Controller
import SessionLink

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
            the control loop. It saves its whole state (networks, optimisers, replay buffer, which \
            episodes it ingested) to DIR/learner/ every --checkpoint-seconds and at SIGINT/SIGTERM, and \
            resumes from it when started again (after a kill -9 too), ingesting only the episodes it missed. \
            The controller streams episodes to it over --listen (default: DIR/learner.sock; HOST:PORT \
            for a controller on another machine), both ends authenticated by DIR/learner.secret; \
            candidates go back over the same link and into DIR/candidates, each with the exploration \
            (SAC's current spread) the controller should apply.
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

    @Option(help: "Where the controller reaches this learner: socket (DIR/learner.sock), unix:PATH, HOST:PORT (TCP, e.g. 0.0.0.0:7733 for a controller on another machine), or folder (no socket: the folder alone).")
    var listen = "socket"

    @Option(help: "The session secret both ends prove they hold (default DIR/learner.secret, created with mode 0600 when missing; copy it to a remote controller's folder).")
    var secret: String?

    @Option(help: "The least exploration σ asked of the controller with each candidate (the request is SAC's own spread in action units, (1 - tanh² μ)·σ; the controller clamps it to its --exploration-sigma).")
    var explorationSigmaFloor = 0.0

    @Option(help: "Save the learner's whole state (DIR/learner/checkpoint-N.json) at most this many seconds apart while it changes, and at SIGINT/SIGTERM; a restart resumes from it.")
    var checkpointSeconds: Double = 30

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
        guard explorationSigmaFloor >= 0, explorationSigmaFloor <= 1 else { throw ValidationError("--exploration-sigma-floor is in [0, 1], e.g. 0.1") }
        guard checkpointSeconds > 0, checkpointSeconds.isFinite else { throw ValidationError("--checkpoint-seconds must be a positive number of seconds, e.g. 30") }
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
        learner.explorationSigmaFloor = explorationSigmaFloor
        if let start, let from {
            Self.say(try LearnFineTuning.start(learner, policy: start, path: from, checkpoint: checkpoint))
        }
        try FileManager.default.createDirectory(atPath: session + "/episodes", withIntermediateDirectories: true)
        if let problem = StopSignals.install() { Self.say("warning: \(problem); Ctrl-C will not save a checkpoint") }
        if let saved = try learner.resumeFromFolder() {
            Self.say("resumed from checkpoint \(saved.sequence): \(saved.ingested.count) episodes ingested, "
                     + "\(learner.learner.gradientSteps) gradient steps, \(learner.owedSteps) owed, replay \(learner.learner.replay.count)")
        }
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
        let endpoint = try startLink(learner)
        defer { endpoint?.stop() }
        let started = Date()
        // Owed gradient steps run in chunks of --publish-every-updates, with a look at the folder
        // and a published policy after each: a learner slower than the robot still hands over a
        // fresher policy at every episode boundary, and new episodes join the queue at once.
        var sincePublished = 0
        // A checkpoint at most --checkpoint-seconds apart while the state changes, and one at
        // the end (SIGINT/SIGTERM or --seconds): a SIGKILL loses at most that much learning.
        var lastCheckpoint = Date()
        var changedSinceCheckpoint = false
        let stopping = { StopSignals.count > 0 }
        while !stopping(), seconds.map({ Date().timeIntervalSince(started) < $0 }) ?? true {
            let added = try learner.ingestNew()
            let ran = learner.train(maxSteps: publishEveryUpdates, stopWhen: stopping)
            changedSinceCheckpoint = changedSinceCheckpoint || added > 0 || ran > 0
            sincePublished += ran
            if ran > 0, learner.owedSteps == 0 || sincePublished >= publishEveryUpdates {
                let path = try learner.publish(notes: "session learner: \(learner.ingested.count) episodes, \(learner.learner.gradientSteps) gradient steps")
                Self.say("published \(path)")
                try board.published(learner)
                sincePublished = 0
            }
            if changedSinceCheckpoint, Date().timeIntervalSince(lastCheckpoint) >= checkpointSeconds {
                Self.say("checkpoint \(try learner.saveCheckpoint())")
                lastCheckpoint = Date()
                changedSinceCheckpoint = false
            }
            if ran == 0 { try board.logControllerRecords() }
            if ran == 0, added == 0, !stopping() { _ = StopSignals.wait(milliseconds: Int(pollSeconds * 1000)) }
        }
        Self.say("stopping (\(stopping() ? StopSignals.lastSignalName : "--seconds")): checkpoint \(try learner.saveCheckpoint())")
    }

    /// Listens for the controller (`--listen`), authenticated by the session secret; the newest
    /// candidate already in the folder goes to every controller that connects, then each new one.
    func startLink(_ learner: SessionLearner) throws -> LearnerEndpoint? {
        let address: LinkAddress?
        do { address = try LinkAddress.parse(listen, sessionFolder: session) } catch { throw ValidationError("--listen: \(error)") }
        guard let address else { return nil }
        if listen == "socket", case .unix(let path) = address, path.utf8.count > 107 {
            // The default must not stop a learner the folder alone can serve.
            Self.say("warning: the socket path \(path) is longer than Unix sockets allow (107 bytes); "
                     + "learning from the folder alone (give --listen unix:/tmp/SHORT.sock here and --learner unix:/tmp/SHORT.sock to the controller for the link)")
            return nil
        }
        let secretPath = secret ?? SessionSecret.defaultPath(sessionFolder: session)
        let endpoint: LearnerEndpoint
        do {
            let key = try SessionSecret.loadOrCreate(secretPath)
            endpoint = LearnerEndpoint(listener: try LinkListener(address), secret: key, episodesDirectory: session + "/episodes",
                                       report: { Self.say($0) })
        } catch {
            throw CommandFailure("--listen \(listen): \(error)")
        }
        let shown = endpoint.listener.boundPort.map { port -> String in
            if case .tcp(let host, _) = address { return "\(host):\(port)" }
            return address.description
        } ?? address.description
        Self.say("listening at \(shown) for the controller (secret \(secretPath))")
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: session + "/candidates")) ?? [])
            .filter { $0.hasPrefix("candidate-") && $0.hasSuffix(".policy") }.sorted()
        if let newest = candidates.last, let number = Int(newest.dropFirst("candidate-".count).dropLast(".policy".count)),
           let bytes = FileManager.default.contents(atPath: session + "/candidates/" + newest) {
            let exploration = FileManager.default.contents(atPath: session + "/candidates/" + newest.dropLast(".policy".count) + ".exploration.json")
            endpoint.publish(number: number, policy: Array(bytes), exploration: exploration.map { Array($0) } ?? [])
        }
        learner.onPublish = { number, policy, exploration in endpoint.publish(number: number, policy: policy, exploration: exploration) }
        endpoint.start()
        return endpoint
    }
}
