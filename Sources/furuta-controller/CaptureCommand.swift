import ArgumentParser
import CommandLogging
import Controller
import Foundation
import MotorModel
import RobotDescription

/// `furuta-controller capture`: play an excitation on the pendulum (or the twin) through the
/// controller's loop and safety layer, and write a recording for `furuta sysid`.
struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Home, play an excitation (chirp, prbs, steps, release) through the safety layer, and write a recording.",
        discussion: """
            The excitation's arm excursion is predicted with robot.yaml's motor first; one that would \
            cross the soft limits is refused before anything moves, with the largest safe --amplitude. \
            Exit status as for `run`: 0 completed or stopped, 3 safety fault (the recording is still \
            written), 130 immediate stop, 1 could not start.
            Example: furuta-controller capture --port /tmp/furuta-twin --excitation chirp --duration 20 --out chirp.rec
            Recording format and the sysid workflow: docs/sysid.md.
            """
    )

    @Option(help: "Serial port of the ESP32 or the twin's link, or 'auto' to find the ESP32 by its USB id.")
    var port: String

    @Option(help: "robot.yaml the controller runs with (default: the bundled robot); its identity goes into the recording.")
    var robot: String?

    @Option(help: "chirp | prbs | steps | release.")
    var excitation: String

    @Option(help: "Seconds of excitation after homing.")
    var duration: Double

    @Option(help: "The recording to write.")
    var out: String

    @Option(help: "Excitation amplitude in action units (0, 1] (default: chirp 0.3, prbs 0.3, steps 0.25, release 0.3).")
    var amplitude: Double?

    @Option(help: "With --port auto: seconds to wait for the board to be plugged in.")
    var discoveryTimeout: Double = 10

    @Option(help: "Seconds to wait for the handshake reply.")
    var handshakeTimeout: Double = 2

    @Option(help: "SCHED_FIFO priority of the loop thread (1-99); 0 for normal scheduling.")
    var priority: Int32 = 80

    @Flag(help: "Do not mlockall.")
    var noMemoryLock = false

    func validate() throws {
        guard ExcitationKind(rawValue: excitation) != nil else {
            throw ValidationError("--excitation is one of \(ExcitationKind.allCases.map(\.rawValue).joined(separator: ", ")), e.g. --excitation chirp")
        }
        guard duration > 0, duration <= 600 else { throw ValidationError("--duration takes seconds in (0, 600], e.g. --duration 20") }
        if let amplitude, !(amplitude > 0 && amplitude <= 1) { throw ValidationError("--amplitude is in (0, 1], e.g. --amplitude 0.3") }
        guard (0...99).contains(priority) else { throw ValidationError("--priority is 1-99, or 0 for normal scheduling") }
        try CommandInputs.checkTimeouts(discovery: discoveryTimeout, handshake: handshakeTimeout)
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let (robotPath, description) = try CommandInputs.robot(robot)
        let selection = CommandInputs.port(port, discoveryTimeout: discoveryTimeout)
        let settings = ExcitationSettings(kind: ExcitationKind(rawValue: excitation)!, amplitude: amplitude,
                                          robot: description.parameters)
        var configuration = CaptureConfiguration(port: selection, excitation: settings, durationSeconds: duration,
                                                 outputPath: out, robot: description.parameters)
        configuration.handshakeTimeout = .milliseconds(Int64(handshakeTimeout * 1000))
        configuration.realtime.fifoPriority = priority == 0 ? nil : priority
        configuration.realtime.lockMemory = !noMemoryLock
        configuration.metadata = [("robot_file", robotPath)]
        let outcome: CaptureSession.Outcome
        do {
            let session = try CaptureSession(configuration: configuration, robot: description.parameters)
            session.report = logReport
            outcome = try session.run()
        } catch {
            throw CaptureFailure(description: error.description)
        }
        let r = outcome.recording
        print("""
            wrote \(out): \(r.samples.count) samples, \(String(format: "%.2f", r.durationSeconds)) s of robot time, \
            robot \(r.header.robotName) (identity \(r.header.identityText))
            outcome \(outcome.outcome)\(outcome.fault.map { ", fault \($0)" } ?? ""); motor stop \(outcome.motorStopConfirmed ? "confirmed" : "NOT confirmed")
            """)
        switch outcome.outcome {
        case "fault": throw ExitCode(3)
        case "immediate_stop": throw ExitCode(130)
        default: return
        }
    }
}

/// A capture that could not start: its message on stderr, exit status 1.
struct CaptureFailure: Error, CustomStringConvertible {
    let description: String
}
