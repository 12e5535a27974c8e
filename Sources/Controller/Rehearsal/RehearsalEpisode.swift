import Foundation

/// How one rehearsal episode went, as the record and the table show it.
public struct RehearsalEpisodeResult: Sendable, Codable, Equatable {
    public var index: Int
    public var condition: RehearsalCondition
    public var latencyMs: Double
    public var seed: UInt64
    public var passed: Bool
    /// Why it failed (or "ok").
    public var reason: String
    public var exitStatus: Int32
    public var outcome: String?
    public var fault: String?
    public var longestUprightS: Double?
    public var motorStopConfirmed: Bool?
    /// The round trip `run` measured at connect time.
    public var roundTripMedianMs: Double?
    public var samplesMissed: Int?
    public var loopJitterP99Us: Double?
    /// The twin's own schedule: passes that started more than 1 ms late.
    public var twinDeadlineMisses: Int?
    public var seconds: Double

    public init(index: Int, condition: RehearsalCondition, latencyMs: Double, seed: UInt64, passed: Bool, reason: String,
                exitStatus: Int32, seconds: Double) {
        self.index = index
        self.condition = condition
        self.latencyMs = latencyMs
        self.seed = seed
        self.passed = passed
        self.reason = reason
        self.exitStatus = exitStatus
        self.seconds = seconds
    }
}

/// Settings shared by every episode.
public struct RehearsalSettings: Sendable {
    public var policyPath: String
    public var robotPath: String?
    /// `DIR/config.yaml` of the training run (its randomisation ranges), if found.
    public var trainingConfigPath: String?
    /// `furuta` (the twin) and `furuta-controller` (the real `run`).
    public var twinExecutable: String
    public var controllerExecutable: String
    /// Policy run time per episode, s, and how long the pendulum must stay upright in it.
    public var runSeconds = 8.0
    public var requiredUprightSeconds = 4.0
    /// Device time of the brownout, s after the twin starts (homing takes 1–2 s).
    public var brownoutAfterSeconds = 4.5
    /// Where each episode's twin log, controller output and summary go.
    public var workDirectory: String

    public init(policyPath: String, twinExecutable: String, controllerExecutable: String, workDirectory: String) {
        self.policyPath = policyPath
        self.twinExecutable = twinExecutable
        self.controllerExecutable = controllerExecutable
        self.workDirectory = workDirectory
    }
}

/// One episode: a `furuta twin` subprocess with the episode's physics, latency and faults, and
/// the real `furuta-controller run` against it, judged from its exit status and summary.
public enum RehearsalEpisode {
    public static func run(_ spec: RehearsalEpisodeSpec, settings: RehearsalSettings) -> RehearsalEpisodeResult {
        let started = Date()
        let directory = settings.workDirectory + "/episode-\(spec.index)"
        // The body's deferred clean-up (the twin stopped and waited for) has run when it returns.
        var result = runEpisode(spec, settings: settings, directory: directory, started: started)
        result.seconds = Date().timeIntervalSince(started)
        result.twinDeadlineMisses = deadlineMisses(inTwinLog: directory + "/twin.log")
        return result
    }

    private static func runEpisode(_ spec: RehearsalEpisodeSpec, settings: RehearsalSettings, directory: String,
                                   started: Date) -> RehearsalEpisodeResult {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let link = directory + "/twin.pty"
        let summaryPath = directory + "/summary.json"
        try? FileManager.default.removeItem(atPath: link)
        try? FileManager.default.removeItem(atPath: summaryPath)
        var result = RehearsalEpisodeResult(index: spec.index, condition: spec.condition, latencyMs: spec.latencySeconds * 1000,
                                            seed: spec.seed, passed: false, reason: "", exitStatus: -1, seconds: 0)

        let twinLog = directory + "/twin.log"
        let twin = Process()
        twin.executableURL = URL(fileURLWithPath: settings.twinExecutable)
        twin.arguments = ["twin", "--link", link]
            + spec.twinArguments(trainingConfig: settings.trainingConfigPath, robot: settings.robotPath,
                                 brownoutAfterSeconds: settings.brownoutAfterSeconds)
        FileManager.default.createFile(atPath: twinLog, contents: nil)
        let twinOutput = FileHandle(forWritingAtPath: twinLog)
        twin.standardOutput = twinOutput
        twin.standardError = twinOutput
        do { try twin.run() } catch {
            result.reason = "could not start the twin \(settings.twinExecutable): \(error)"
            return result
        }
        defer {
            if twin.isRunning { twin.interrupt() }
            twin.waitUntilExit()
            try? twinOutput?.close()
        }
        guard waitForPath(link, seconds: 10) else {
            result.reason = "the twin did not create its link within 10 s (see \(twinLog))"
            return result
        }

        let controllerLog = directory + "/controller.log"
        FileManager.default.createFile(atPath: controllerLog, contents: nil)
        let controllerOutput = FileHandle(forWritingAtPath: controllerLog)
        defer { try? controllerOutput?.close() }
        let controller = Process()
        controller.executableURL = URL(fileURLWithPath: settings.controllerExecutable)
        controller.arguments = ["run", "--policy", settings.policyPath, "--port", link,
                                "--duration", String(settings.runSeconds), "--summary", summaryPath]
            + (settings.robotPath.map { ["--robot", $0] } ?? [])
        controller.standardOutput = controllerOutput
        controller.standardError = controllerOutput
        do { try controller.run() } catch {
            result.reason = "could not start \(settings.controllerExecutable): \(error)"
            return result
        }
        // Homing ≤ 60 s by design; a run that hangs well beyond its budget is a failure too.
        let budget = settings.runSeconds + 75
        while controller.isRunning && Date().timeIntervalSince(started) < budget { usleep(50_000) }
        if controller.isRunning {
            controller.interrupt()
            controller.waitUntilExit()
            result.exitStatus = controller.terminationStatus
            result.reason = "the run did not end within \(Int(budget)) s"
            return result
        }
        result.exitStatus = controller.terminationStatus
        judge(&result, summaryPath: summaryPath, controllerLog: controllerLog, settings: settings)
        return result
    }

    /// Pass rules: see `RehearsalCondition.passCriterion`.
    static func judge(_ result: inout RehearsalEpisodeResult, summaryPath: String, controllerLog: String,
                      settings: RehearsalSettings) {
        guard let data = FileManager.default.contents(atPath: summaryPath),
              let summary = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            let lastLine = (try? String(contentsOfFile: controllerLog, encoding: .utf8))?
                .split(separator: "\n").last.map(String.init) ?? ""
            result.reason = "no summary (exit \(result.exitStatus)): \(lastLine)"
            return
        }
        result.outcome = summary["outcome"] as? String
        result.fault = summary["fault"] as? String
        result.longestUprightS = summary["longest_upright_s"] as? Double
        result.motorStopConfirmed = summary["motor_stop_confirmed"] as? Bool
        result.samplesMissed = summary["samples_missed"] as? Int
        result.roundTripMedianMs = (summary["link"] as? [String: Any])?["round_trip_median_ms"] as? Double
        result.loopJitterP99Us = (summary["jitter_us"] as? [String: Any])?["p99_us"] as? Double
        let confirmed = result.motorStopConfirmed == true
        switch result.condition {
        case .brownout:
            if result.fault != "device_reset" {
                result.reason = "expected the fault device_reset, got \(result.fault ?? "none") (outcome \(result.outcome ?? "?"))"
            } else if !confirmed {
                result.reason = "device reset but the motor stop was not confirmed"
            } else {
                result.passed = true
            }
        default:
            let upright = result.longestUprightS ?? 0
            if result.exitStatus != 0 || result.outcome != "completed" {
                result.reason = "outcome \(result.outcome ?? "?")\(result.fault.map { ", fault \($0)" } ?? "") (exit \(result.exitStatus))"
            } else if !confirmed {
                result.reason = "completed but the motor stop was not confirmed"
            } else if upright < settings.requiredUprightSeconds {
                result.reason = String(format: "upright only %.2f s (needs %.1f s)", upright, settings.requiredUprightSeconds)
            } else {
                result.passed = true
            }
        }
        if result.passed { result.reason = "ok" }
    }

    /// `deadline_misses=N` from the twin's last status line.
    static func deadlineMisses(inTwinLog path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let line = text.split(separator: "\n").last(where: { $0.hasPrefix("twin: status") }),
              let field = line.split(separator: " ").first(where: { $0.hasPrefix("deadline_misses=") }) else { return nil }
        return Int(field.dropFirst("deadline_misses=".count))
    }

    private static func waitForPath(_ path: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            usleep(20_000)
        }
        return false
    }
}
