import ArgumentParser
import CommandLogging
import Controller
import Foundation
import RobotDescription
import SessionLink

/// `furuta-controller session`: a safety-limited training session (docs/sessions.md).
struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Run episodes of the swing-up task on the pendulum with the learner's newest policy, inside the safety limits of `run`.",
        discussion: """
            Each episode is one `run` (handshake, arm, homing as the reset, the policy plus bounded \
            coloured exploration for --episode-seconds, safe stop). Between episodes the newest \
            candidate in DIR/candidates (published by `furuta learn --session DIR`) is checked \
            (CRC, robot/rate/layout, finite actions on a probe batch) and, if it passes, becomes \
            DIR/latest.policy. Budgets stop the session; it resumes from DIR when started again. \
            Episodes stream to the learner while they run over --learner (default: the Unix socket \
            DIR/learner.sock; HOST:PORT for a learner on another machine; 'folder' for none), both \
            ends authenticated by the session secret DIR/learner.secret (HMAC-SHA256 challenge-response); \
            a slow or absent learner never delays the loop and catches up from the folder. The \
            exploration is the learner's request (sent with each candidate) clamped to \
            --exploration-sigma and --exploration-correlation.
            Exit status: 0 when a budget or a first SIGINT/SIGTERM ended it, 3 after \
            --max-consecutive-faults faulted episodes, a failed reset, or a fault that means the device \
            cannot be trusted (e-stop, clock, device reset, lost frames: stop_reason device_untrusted), \
            1 when it could not start. After other faults the next reset brings the robot back, the arm \
            from up to 1 rad beyond its soft limit (inward only) while the device is on the same boot.
            Example: furuta-controller session --port /tmp/furuta-twin --session runs/s1 --episodes 20 --summary s1.json
            """
    )

    @Option(help: "Serial port of the ESP32 or the twin's link.")
    var port: String

    @Option(help: "Session folder (created; resumed when it exists).")
    var session: String

    @Option(help: "robot.yaml (default: the bundled robot).")
    var robot: String?

    @Option(help: "Where `furuta learn` listens: socket (DIR/learner.sock), unix:PATH, HOST:PORT (TCP, a learner on another machine), or folder (no socket: episodes and policies only through the session folder).")
    var learner = "socket"

    @Option(help: "The session secret both ends prove they hold (default DIR/learner.secret, created with mode 0600 when missing).")
    var secret: String?

    @Option(help: "Stop after this many episodes in the session folder.")
    var episodes: Int?

    @Option(help: "Seconds of each episode (after the reset).")
    var episodeSeconds: Double = 10

    @Option(help: "Stop after this much wall time, s.")
    var wallSeconds: Double?

    @Option(help: "Stop after this much robot time (episodes' running time), s.")
    var robotSeconds: Double?

    @Option(help: "Stop after this many faulted episodes in a row.")
    var maxConsecutiveFaults = 3

    @Option(help: "Stop when the session's Σ|Δduty| reaches this.")
    var wearLimit: Double?

    @Option(help: "Stop when the I²t estimate of the motor winding's temperature rise over ambient reaches this many K (motor model currents, 25 K/W, 120 s).")
    var windingRiseLimit: Double?

    @Option(help: "Exploration: standard deviation of the coloured noise added to the action (the most a learner's request may set).")
    var explorationSigma = 0.3

    @Option(help: "Exploration: correlation ρ of successive noise values (0 white, → 1 smoother; the most a learner's request may set).")
    var explorationCorrelation = 0.95

    @Flag(inversion: .prefixedNo, help: "Reset between episodes actively: the arm takes the energy out of the swing and centres itself (--no-active-reset: wait with the motor off, as `run` does).")
    var activeReset = true

    @Option(help: "A reset that has not brought the pendulum to rest hanging within this many seconds fails, s.")
    var resetTimeout: Double = 20

    @Option(help: "Seconds to wait for the learner's first policy when the folder has none.")
    var firstPolicyTimeout: Double = 60

    @Option(help: "Summary JSON written at the end.")
    var summary: String?

    @Option(help: "SCHED_FIFO priority of the loop thread (1-99); 0 for normal scheduling.")
    var priority: Int32 = 80

    func validate() throws {
        do { _ = try LinkAddress.parse(learner, sessionFolder: session) } catch { throw ValidationError("--learner: \(error)") }
        if let episodes, episodes < 1 { throw ValidationError("--episodes is at least 1") }
        if !(episodeSeconds > 0) { throw ValidationError("--episode-seconds takes positive seconds, e.g. 10") }
        if let limit = windingRiseLimit, !(limit > 0 && limit.isFinite) { throw ValidationError("--winding-rise-limit takes positive kelvin, e.g. 40") }
        if !(resetTimeout > 0) { throw ValidationError("--reset-timeout takes positive seconds, e.g. 20") }
        if maxConsecutiveFaults < 1 { throw ValidationError("--max-consecutive-faults is at least 1") }
        let problems = ExplorationNoiseSequence(sigma: explorationSigma, correlation: explorationCorrelation).problems
        if let first = problems.first { throw ValidationError(first) }
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let description: RobotDescription
        do {
            description = try RobotDescription.load(from: robot ?? RobotDescription.defaultPath)
        } catch {
            throw ControllerFailure(ControllerError.invalidRobot(error.description))
        }
        var settings = RobotTrainingSession.Settings(port: .path(port), folder: SessionFolder(path: session))
        settings.budgets.episodes = episodes
        settings.budgets.wallSeconds = wallSeconds
        settings.budgets.robotSeconds = robotSeconds
        settings.budgets.maxConsecutiveFaults = maxConsecutiveFaults
        settings.budgets.wearLimit = wearLimit
        settings.budgets.windingRiseLimitK = windingRiseLimit
        settings.episodeSeconds = episodeSeconds
        settings.firstPolicyTimeoutSeconds = firstPolicyTimeout
        settings.exploration = ExplorationNoiseSequence(sigma: explorationSigma, correlation: explorationCorrelation)
        settings.activeReset = activeReset
        settings.resetTimeoutSeconds = resetTimeout
        let fifo = priority == 0 ? nil : priority
        settings.configure = { configuration in
            configuration.realtime.fifoPriority = fifo
        }
        if let problem = StopSignals.install() { logger.warning("\(problem)") }
        // The link to the learner (a thread of its own; the folder stays the source of truth).
        let link: LearnerLink?
        do {
            link = try LinkAddress.parse(learner, sessionFolder: session).map { address in
                try SessionFolder(path: session).create()
                let key = try SessionSecret.loadOrCreate(secret ?? SessionSecret.defaultPath(sessionFolder: session))
                return LearnerLink(address: address, secret: key, folder: SessionFolder(path: session), report: logReport)
            }
        } catch {
            throw ControllerFailure(.invalidSettings("--learner \(learner): \(error)"))
        }
        link?.start()
        defer { link?.stop() }
        settings.learnerLink = link
        let trainingSession = RobotTrainingSession(settings: settings, robot: description.parameters)
        trainingSession.report = logReport
        let result: RobotTrainingSession.Summary
        do {
            result = try trainingSession.run()
        } catch {
            throw ControllerFailure(.invalidSettings("session folder \(session): \(error)"))
        }
        if let summary {
            try SessionFolder.writeAtomically(try JSONOutput.encode(result), to: summary)
        }
        print("""
            session stopped (\(result.stopReason)): \(result.episodes) episodes, \(result.successes) successes, \
            \(String(format: "%.1f", result.robotTimeS)) s robot time, policies used \(result.policiesUsed.joined(separator: ", "))
            """)
        switch result.stopReason {
        case "consecutive_faults", "reset_failed", "device_untrusted": throw ExitCode(3)
        case "cannot_start", "no_policy": throw ExitCode(1)
        default: return
        }
    }
}
