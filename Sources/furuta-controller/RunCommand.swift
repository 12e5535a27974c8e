import ArgumentParser
import CommandLogging
import Controller
import Foundation
import MotorModel
import RobotDescription

/// `furuta-controller run`: deploy a policy on the pendulum (or the twin) inside safety limits.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Home the arm and run a policy on the pendulum at its control rate, inside safety limits.",
        discussion: """
            Exit status: 0 when the run ended by --duration or a first SIGINT/SIGTERM (safe stop; \
            also during discovery or the handshake, which a signal ends at once), 3 when a safety \
            fault stopped it (the summary names it), 130 after a second signal (immediate stop), \
            1 when it could not start (nothing was driven), e.g. the port is in use by another \
            controller (named). The summary is written on every exit after the port was opened.
            Example: furuta-controller run --policy runs/a/final.policy --port /tmp/furuta-twin --duration 20 --log run.csv --summary run.json
            Limits, states, log and summary format: docs/controller.md.
            """
    )

    @Option(help: "The .policy file to deploy.")
    var policy: String

    @Option(help: "Serial port of the ESP32 or the twin's link, or 'auto' to find the ESP32 by its USB id.")
    var port: String

    @Option(help: "robot.yaml the policy must fit (default: the bundled robot).")
    var robot: String?

    @Option(help: "Seconds to run the policy after homing (default: until SIGINT/SIGTERM).")
    var duration: Double?

    @Option(help: "Telemetry CSV, one line per control period.")
    var log: String?

    @Option(help: "Summary JSON written at the end.")
    var summary: String?

    @Flag(help: "After the device disappears or resets, wait for it, handshake and home again, and resume.")
    var reconnect = false

    @Option(help: "With --port auto: seconds to wait for the board to be plugged in.")
    var discoveryTimeout: Double = 10

    @Option(help: "Seconds to wait for the handshake reply.")
    var handshakeTimeout: Double = 2

    @Option(help: "Host duty limit (0, 1], also configured in the firmware.")
    var dutyLimit: Double?

    @Option(help: "SCHED_FIFO priority of the loop thread (1-99); 0 for normal scheduling.")
    var priority: Int32 = 80

    @Flag(help: "Do not mlockall.")
    var noMemoryLock = false

    @Option(help: "Seconds of loop time between progress lines on stderr (phase, angles, upright time, wake-up lateness), and one line a second while --port auto waits; 0 for none.")
    var progressEvery: Double = 5

    func validate() throws {
        if let duration, !(duration > 0) { throw ValidationError("--duration takes positive seconds, e.g. --duration 20") }
        if let dutyLimit, !(dutyLimit > 0 && dutyLimit <= 1) { throw ValidationError("--duty-limit is in (0, 1], e.g. --duty-limit 0.8") }
        guard (0...99).contains(priority) else { throw ValidationError("--priority is 1-99, or 0 for normal scheduling") }
        if let duration { try NumberRange.above(0, upTo: 1e7).check("--duration", duration) }
        try CommandInputs.checkTimeouts(discovery: discoveryTimeout, handshake: handshakeTimeout)
        if progressEvery != 0 { try NumberRange.closed(0.1, 3600).check("--progress-every", progressEvery) }
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let (_, description) = try CommandInputs.robot(robot)
        let selection = CommandInputs.port(port, discoveryTimeout: discoveryTimeout)
        var configuration = SessionConfiguration(policyPath: policy, port: selection, robot: description.parameters)
        configuration.durationSeconds = duration
        configuration.logPath = log
        configuration.summaryPath = summary
        configuration.reconnect = reconnect
        configuration.handshakeTimeout = .milliseconds(Int64(handshakeTimeout * 1000))
        if let dutyLimit { configuration.limits.dutyLimit = dutyLimit }
        configuration.realtime.fifoPriority = priority == 0 ? nil : priority
        configuration.realtime.lockMemory = !noMemoryLock
        configuration.progressEverySeconds = progressEvery == 0 ? nil : progressEvery
        let result: RunSummary
        do {
            let session = try ControllerSession(configuration: configuration, robot: description.parameters)
            session.report = logReport
            result = try session.run()
        } catch {
            throw ControllerFailure(error)
        }
        for warning in result.realtime.warnings { logger.warning("\(warning)") }
        print("""
            outcome \(result.outcome) (\(result.stopReason ?? "-"))\(result.fault.map { ", fault \($0)" } ?? ""); \
            motor stop \(result.motorStopConfirmed ? "confirmed" : "NOT confirmed")
            longest upright \(String(format: "%.2f", result.longestUprightS)) s of \(String(format: "%.2f", result.runningS)) s running
            jitter p50 \(result.jitterUs.p50Us) µs, p99 \(result.jitterUs.p99Us) µs, max \(result.jitterUs.maxUs) µs; \
            overruns \(result.overruns.count); inference p50 \(result.inferenceUs.p50Us) µs
            frames sent \(result.frames.sent), received \(result.frames.received), corrupt \(result.frames.corrupt), lost \(result.frames.lost)
            """)
        switch result.outcome {
        case "fault": throw ExitCode(3)
        case "immediate_stop": throw ExitCode(130)
        default: return
        }
    }
}

/// A `ControllerError` as the CLI's failure: its message on stderr, exit status 1.
struct ControllerFailure: Error, CustomStringConvertible {
    let error: ControllerError
    init(_ error: ControllerError) { self.error = error }
    var description: String { error.description }
}
