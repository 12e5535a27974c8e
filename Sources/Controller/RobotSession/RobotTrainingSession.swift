#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MotorModel
import PolicyFormat
import SwingUpCriterion

/// `furuta-controller session`: episodes of the swing-up task, each one `ControllerSession` run
/// (handshake, arm, homing as the reset, the policy with exploration, safe stop, disarm): the same
/// safety layer as `run`, nothing bypassed. Between episodes, and only then, the newest candidate
/// policy from the learner is checked and swapped in. The loop never talks to the learner: it
/// reads files the learner renamed into place, so a slow or dead learner only means the same
/// policy runs again.
public final class RobotTrainingSession: @unchecked Sendable {
    public struct Settings: Sendable {
        public var port: PortSelection
        public var folder: SessionFolder
        public var budgets = SessionBudgets()
        public var episodeSeconds = 10.0
        /// An episode succeeds when the pendulum was upright for the whole last this many seconds
        /// of its episodeSeconds, the arm inside its travel (`criterion`), s.
        public var successUprightSeconds = 5.0
        /// How long to wait for the learner's first policy when the folder has none, s.
        public var firstPolicyTimeoutSeconds = 60.0
        /// The controller's exploration, and the maxima of what a learner may ask for
        /// (`LearnerExploration`).
        public var exploration = ExplorationNoiseSequence()
        /// The link that streams episodes to `furuta learn` and brings its policies (nil: the
        /// folder alone). Started and stopped by the owner.
        public var learnerLink: LearnerLink?
        /// The reset between episodes takes the energy out of the swing with the arm
        /// (`ActiveReset`); false waits with the motor off, as `run` does.
        public var activeReset = true
        /// A reset that has not found the pendulum hanging still within this fails, s.
        public var resetTimeoutSeconds = 20.0
        /// After an episode of this process on the same device boot (its clock checked before
        /// homing drives anything), the reset brings the arm back from up to this far beyond its
        /// soft limit, rad — past the hard limit (θ_lim + 0.35), where a faulted episode's swinging
        /// pendulum can drag the free arm. The zero is the boot's, seen inside the limits; inward
        /// duty only (`HomingSettings.armStartMarginRad`).
        public var armRecoveryMarginRad = 1.0
        /// Applied to every episode's `SessionConfiguration` (limits, realtime, baud, signals).
        public var configure: @Sendable (inout SessionConfiguration) -> Void = { _ in }
        public init(port: PortSelection, folder: SessionFolder) {
            self.port = port
            self.folder = folder
        }

        /// What an episode's `success` means: `SwingUpSuccess` over episodeSeconds with the last
        /// successUprightSeconds upright — with the defaults (10 s, 5 s) exactly the criterion
        /// `furuta eval` and `furuta eval --log` score with.
        public var criterion: SwingUpSuccess {
            var c = SwingUpSuccess()
            c.episodeSeconds = episodeSeconds
            c.holdSeconds = successUprightSeconds
            return c
        }
    }

    public struct Summary: Sendable, Codable, Equatable {
        public var episodes = 0
        public var successes = 0
        public var robotTimeS = 0.0
        public var wallTimeS = 0.0
        public var policiesUsed: [String] = []
        public var rejectedPolicies: [String] = []
        public var stopReason = ""
        public var wear = 0.0
        public var latestPolicy: String?
        /// The resets' median and longest duration, s (nil before any episode ran).
        public var resetMedianS: Double?
        public var resetMaxS: Double?
    }

    public let settings: Settings
    public let robot: RobotParameters
    public let stops = ExternalStops()
    public var report: @Sendable (String) -> Void = { _ in }
    public private(set) var state = SessionState()
    /// The device's clock at the end of this process's last episode, µs: a device found behind
    /// it restarted between episodes (`ControllerError.deviceRestarted`).
    private var deviceClockFloor: UInt64?

    public init(settings: Settings, robot: RobotParameters) {
        self.settings = settings
        self.robot = robot
    }

    private var folder: SessionFolder { settings.folder }
    private var stopRequested: Bool { stops.count > 0 || StopSignals.count > 0 }

    public func run() throws -> Summary {
        try folder.create()
        if let saved = try SessionState.load(folder.statePath) {
            state = saved
            report("resuming: \(state.episodes.count) episodes done, \(String(format: "%.1f", state.robotTimeSeconds)) s of robot time")
        }
        let started = Date()
        var consecutiveFaults = 0
        var reason = SessionStopReason.episodesReached
        while true {
            if let limit = settings.budgets.episodes, state.episodes.count >= limit { reason = .episodesReached; break }
            if let limit = settings.budgets.wallSeconds, Date().timeIntervalSince(started) >= limit { reason = .wallTime; break }
            if let limit = settings.budgets.robotSeconds, state.robotTimeSeconds >= limit { reason = .robotTime; break }
            if let limit = settings.budgets.wearLimit, state.wear >= limit { reason = .wearLimit; break }
            if let limit = settings.budgets.windingRiseLimitK, let rise = coolWinding()?.riseK, rise >= limit { reason = .windingTemperature; break }
            if consecutiveFaults >= settings.budgets.maxConsecutiveFaults { reason = .consecutiveFaults; break }
            if stopRequested { reason = .stopSignal; break }

            adoptNewestCandidate()
            if state.currentPolicy == nil, !waitForFirstPolicy() {
                reason = stopRequested ? .stopSignal : .noPolicy
                break
            }
            let index = (state.episodes.last?.index ?? 0) + 1
            let episode: SessionState.Episode, log: EpisodeLogTable?
            do {
                (episode, log) = try runEpisode(index)
            } catch ControllerError.deviceRestarted(let port, let last, let now) {
                // The zeros of this session are gone with the device's counters: paused, and the
                // pendulum's reference is forgotten so the resumed session takes a new one.
                let error = ControllerError.deviceRestarted(port: port, lastSeconds: last, nowSeconds: now)
                report("reset failed before episode \(index): \(error)")
                folder.appendIncident("episode \(index): reset failed: device restarted (clock \(last) s → \(now) s)")
                state.pendulumZeroReference = nil
                try state.save(folder.statePath)
                reason = .resetFailed
                break
            } catch {
                report("episode \(index) could not start: \(error)")
                folder.appendIncident("episode \(index) could not start: \(error)")
                reason = .cannotStart
                break
            }
            if let fault = episode.fault, let message = ResetCheck.pauseMessage(fault: fault, policyRan: episode.runningS > 0) {
                // The reset refused to take this state as the zero: nothing ran, and nothing will
                // until someone fixes the robot. The session pauses: saved, resumable.
                _ = rename(folder.episodeLog(episode.index), folder.episodeLog(episode.index) + ".rejected")
                _ = rename(folder.episodeSummary(episode.index), folder.episodeSummary(episode.index) + ".rejected")
                report("reset failed before episode \(episode.index) (\(fault)): \(message). The session is paused; "
                       + "start the same command again to resume from \(folder.path)")
                folder.appendIncident("episode \(episode.index): reset failed: \(fault)")
                reason = .resetFailed
                break
            }
            if let problem = episode.resetProblem {
                // Kept for inspection, hidden from the learner (it reads episode-N.csv only).
                _ = rename(folder.episodeLog(episode.index), folder.episodeLog(episode.index) + ".rejected")
                report("reset failed before episode \(episode.index): \(problem). Bring the pendulum to hang still by hand, "
                       + "then start the session again: it resumes from \(folder.path)")
                folder.appendIncident("episode \(episode.index): reset failed: \(problem)")
                reason = .resetFailed
                break
            }
            let untrusted = episode.fault.flatMap(FaultRecovery.untrustedMessage(fault:))
            if let message = untrusted, episode.runningS <= 0 {
                _ = rename(folder.episodeLog(episode.index), folder.episodeLog(episode.index) + ".rejected")
                _ = rename(folder.episodeSummary(episode.index), folder.episodeSummary(episode.index) + ".rejected")
                reason = try pause(untrusted: message, episode: episode)
                break
            }
            var recorded = episode
            let heat = WindingHeat.measure(log, motor: robot.motor, start: coolWinding() ?? WindingTemperature())
            recorded.windingRiseK = heat.riseK
            recorded.currentSquaredSeconds = heat.currentSquaredSeconds - (state.winding?.currentSquaredSeconds ?? 0)
            state.winding = heat
            state.windingAt = Date()
            state.episodes.append(recorded)
            if !state.policiesUsed.contains(episode.policy) { state.policiesUsed.append(episode.policy) }
            try state.save(folder.statePath)
            settings.learnerLink?.episodeRecorded(episode.index)
            consecutiveFaults = episode.fault == nil ? 0 : consecutiveFaults + 1
            if let fault = episode.fault { folder.appendIncident("episode \(index): fault \(fault)") }
            report(statusLine(recorded, started: started))
            if episode.outcome == "stopped" || episode.outcome == "immediate_stop" { reason = .stopSignal; break }
            if let message = untrusted {
                // Recorded (its steps up to the fault are real), then paused: no reset is built
                // on readings that cannot be trusted.
                reason = try pause(untrusted: message, episode: episode)
                break
            }
        }
        var summary = Summary()
        summary.episodes = state.episodes.count
        summary.successes = state.successes
        summary.robotTimeS = state.robotTimeSeconds
        summary.wallTimeS = Date().timeIntervalSince(started)
        summary.policiesUsed = state.policiesUsed
        summary.rejectedPolicies = state.rejectedPolicies
        summary.stopReason = reason.rawValue
        summary.wear = state.wear
        let resets = state.resetTimes
        summary.resetMedianS = resets.isEmpty ? nil : resets[resets.count / 2]
        summary.resetMaxS = resets.last
        summary.latestPolicy = FileManager.default.fileExists(atPath: folder.latestPolicy) ? folder.latestPolicy : nil
        if reason != .episodesReached { folder.appendIncident("session stopped: \(reason.rawValue)") }
        return summary
    }

    /// One episode: a `ControllerSession` run of `episodeSeconds` with the current policy and
    /// this episode's exploration; its telemetry CSV and summary renamed into place at the end.
    /// The episode's record and its log, read once for every analysis of it.
    private func runEpisode(_ index: Int) throws -> (SessionState.Episode, EpisodeLogTable?) {
        let policyName = state.currentPolicy!
        let policyBytes = try Data(contentsOf: URL(fileURLWithPath: folder.latestPolicy))
        let logTemporary = folder.episodeLog(index) + ".partial"
        let summaryTemporary = folder.episodeSummary(index) + ".partial"
        var configuration = SessionConfiguration(policyPath: folder.latestPolicy, port: settings.port, robot: robot)
        configuration.durationSeconds = settings.episodeSeconds
        configuration.logPath = logTemporary
        configuration.summaryPath = summaryTemporary
        let steps = Int((settings.episodeSeconds * robot.control.rateHz).rounded(.up)) + 1
        let exploration = state.learnerExploration?.limited(by: settings.exploration) ?? settings.exploration
        configuration.explorationNoise = exploration.values(count: steps, seed: UInt64(index))
        if let link = settings.learnerLink {
            link.beginEpisode(index, header: TelemetryCSV.header)
            configuration.telemetrySink = { rows in link.offerRows(rows) }
        }
        if settings.activeReset {
            configuration.homing.enableActiveReset(pendulumFrequencyRadPerS: robot.pendulumNaturalFrequencyRadPerS)
            configuration.homing.resetAfterRun = true
        }
        configuration.homing.timeoutSeconds = settings.resetTimeoutSeconds
        settings.configure(&configuration)
        if deviceClockFloor != nil {
            // This process ran the last episode on this device, and the session refuses a device
            // whose clock is behind it (restarted) before homing drives anything: the arm's zero
            // is this boot's, so the reset may bring the arm back from beyond its hard limit.
            configuration.homing.armStartMarginRad = settings.armRecoveryMarginRad
        } else if state.pendulumZeroReference != nil {
            // Resumed: not the first episode on this robot; the arm's zero is known (a device
            // reboot restarts the counts at 0, inside the limit), so homing may bring it back.
            configuration.homing.armStartMarginRad = max(0, configuration.limits.armHardMarginRad - 0.05)
        }
        if let zero = state.pendulumZeroReference {
            configuration.homing.hangingRawPendulumAngle = Double(zero) * 2 * Double.pi / Double(robot.pendulum.encoderCountsPerRevolution)
        }
        configuration.deviceClockFloorMicroseconds = deviceClockFloor
        let session = try ControllerSession(configuration: configuration, robot: robot)
        session.report = { [report] message in report("episode \(index): \(message)") }
        let forwardStops = stops.count
        for _ in 0..<forwardStops { session.stops.request() }
        let result = try session.run()
        deviceClockFloor = session.lastDeviceTimeMicroseconds ?? deviceClockFloor
        try FileManager.default.moveItemReplacing(logTemporary, to: folder.episodeLog(index))
        try FileManager.default.moveItemReplacing(summaryTemporary, to: folder.episodeSummary(index))
        let log = EpisodeLogTable(csvPath: folder.episodeLog(index))
        let wear = DutyWear.measure(log)
        var resetProblem: String?
        let n = robot.pendulum.encoderCountsPerRevolution
        if let zero = ResetCheck.pendulumZero(log, countsPerRevolution: n) {
            if let reference = state.pendulumZeroReference {
                resetProblem = ResetCheck.problem(zero: zero, reference: reference, countsPerRevolution: n)
            } else {
                state.pendulumZeroReference = zero
            }
        }
        let verdict = EpisodeLogJudgement.verdict(log, criterion: settings.criterion,
                                                  periodS: robot.control.periodS, armLimit: robot.arm.softLimitRad)
        var episode = SessionState.Episode(index: index, policy: policyName, policyChecksum: CRC32.checksum(policyBytes),
                                           outcome: result.outcome, fault: result.fault, longestUprightS: result.longestUprightS,
                                           runningS: result.runningS, success: verdict?.success ?? false,
                                           dutyVariation: wear.variation, reversals: wear.reversals, resetProblem: resetProblem,
                                           resetS: ResetCheck.resetSeconds(log))
        episode.finalUprightS = verdict?.finalUprightS
        episode.explorationSigma = exploration.sigma
        episode.explorationCorrelation = exploration.correlation
        return (episode, log)
    }

    /// Reports, logs and saves a pause after a fault that means the device cannot be trusted
    /// (after a device reset the pendulum's reference zero is forgotten: its counts restarted);
    /// returns the stop reason.
    private func pause(untrusted message: String, episode: SessionState.Episode) throws -> SessionStopReason {
        let fault = episode.fault ?? "?"
        report("episode \(episode.index) ended in \(fault): \(message). The session is paused; "
               + "start the same command again to resume from \(folder.path)")
        folder.appendIncident("episode \(episode.index): paused: \(fault)")
        if fault == SafetyEventKind.deviceReset.name { state.pendulumZeroReference = nil }
        try state.save(folder.statePath)
        return .deviceUntrusted
    }

    /// The winding estimate cooled (motor off) from the last episode's end to now.
    private func coolWinding() -> WindingTemperature? {
        guard var winding = state.winding else { return nil }
        winding.cool(seconds: max(0, Date().timeIntervalSince(state.windingAt ?? Date())))
        return winding
    }

    /// Checks candidates newer than the last judged, newest first; the first that passes becomes
    /// `latest.policy`. A rejected one is logged and never tried again; the old policy keeps running.
    public func adoptNewestCandidate() {
        let fresh = folder.candidates().filter { $0.number > state.lastCandidateJudged }
        guard let newest = fresh.last else { return }
        for candidate in fresh.reversed() {
            let name = (candidate.path as NSString).lastPathComponent
            let problems = CandidatePolicyCheck.problems(path: candidate.path, robot: robot)
            if problems.isEmpty {
                do {
                    try SessionFolder.copyAtomically(candidate.path, to: folder.latestPolicy)
                    state.currentPolicy = name
                    state.learnerExploration = ExplorationNoiseSequence.request(at: folder.candidateExploration(candidate.number))
                    let applied = state.learnerExploration.map { request -> String in
                        let e = request.limited(by: settings.exploration)
                        return String(format: " (exploration σ %.3f, ρ %.3f, bound %.2f)", e.sigma, e.correlation, e.bound)
                    } ?? ""
                    report("policy \(name) accepted\(applied)")
                    break
                } catch {
                    folder.appendIncident("policy \(name): cannot copy to latest.policy: \(error)")
                }
            } else {
                state.rejectedPolicies.append(name)
                report("policy \(name) rejected: \(problems.joined(separator: "; "))")
                folder.appendIncident("policy \(name) rejected: \(problems.joined(separator: "; "))")
            }
        }
        state.lastCandidateJudged = newest.number
    }

    /// Without any policy yet: an existing `latest.policy` (a fine-tuning start placed by hand),
    /// else wait for the learner's first candidate.
    private func waitForFirstPolicy() -> Bool {
        if FileManager.default.fileExists(atPath: folder.latestPolicy),
           CandidatePolicyCheck.problems(path: folder.latestPolicy, robot: robot).isEmpty {
            state.currentPolicy = "latest.policy"
            return true
        }
        report("waiting up to \(Int(settings.firstPolicyTimeoutSeconds)) s for the learner's first policy in \(folder.candidatesDirectory)")
        let deadline = Date().addingTimeInterval(settings.firstPolicyTimeoutSeconds)
        while Date() < deadline, !stopRequested {
            adoptNewestCandidate()
            if state.currentPolicy != nil { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }

    private func statusLine(_ e: SessionState.Episode, started: Date) -> String {
        var line = "episode \(e.index) [\(e.policy)]: \(e.outcome)\(e.fault.map { " (\($0))" } ?? ""), "
            + "upright \(String(format: "%.2f", e.longestUprightS)) s (at the end \(String(format: "%.2f", e.finalUprightS ?? 0)) s), "
            + "success \(e.success ? "yes" : "no"), "
            + "reset \(e.resetS.map { String(format: "%.1f", $0) } ?? "?") s, robot time \(String(format: "%.1f", state.robotTimeSeconds)) s, "
            + "winding +\(String(format: "%.1f", e.windingRiseK ?? 0)) K"
        if let n = settings.budgets.episodes { line += ", \(max(0, n - state.episodes.count)) episodes left" }
        if let w = settings.budgets.wallSeconds { line += ", \(Int(max(0, w - Date().timeIntervalSince(started)))) s wall time left" }
        return line
    }
}

extension SafetyEventKind {
    /// The homing message of the fault named `name` (a summary's `fault`), nil for other faults.
    static func homingMessage(forName name: String) -> String? {
        let kinds: [SafetyEventKind] = [.homingTimedOut, .homingArmOutsideSoftLimit, .homingEncoderImplausible,
                                        .homingPendulumNotHanging, .homingPendulumStuck, .homingPendulumOffCentre]
        return kinds.first { $0.name == name }?.homingMessage
    }
}

extension FileManager {
    func moveItemReplacing(_ source: String, to destination: String) throws {
        guard fileExists(atPath: source) else { return }
        if rename(source, destination) != 0 { throw CocoaError(.fileWriteUnknown) }
    }
}
