import ArgumentParser
import CommandLogging
import Controller
import FirmwareLink
import Foundation
import RobotDescription

/// `furuta-controller probe --port PATH [--json] [--timeout S]`: opens the port without
/// resetting the board, handshakes, and prints what the firmware reports.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Handshake with the ESP32 (or the twin) and print what its firmware reports.",
        discussion: """
            Exits non-zero with both versions named if the firmware speaks another protocol
            version or message schema than this build, and refuses a port a controller is using
            (naming it) rather than disturb a run.
            Example: furuta-controller probe --port /dev/ttyACM0 --json
            """
    )

    @Option(help: "Serial port of the ESP32, or the twin's link (e.g. /tmp/furuta-twin).")
    var port: String

    @Flag(help: "Print one JSON object with snake_case keys instead of text.")
    var json = false

    @Option(help: "Seconds to wait for the handshake reply.")
    var timeout: Double = 2

    @Option(help: "Baud rate for a UART bridge (ignored by USB CDC and the twin).")
    var baud: Int = 921_600

    func validate() throws {
        guard timeout > 0, timeout.isFinite else {
            throw ValidationError("--timeout must be a positive number of seconds, e.g. --timeout 2")
        }
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        // The port's lock, as a controller takes it: a probe must not handshake (and so disarm)
        // a device in the middle of a run.
        let lock: PortLock
        do { lock = try PortLock(path: port) } catch { throw ControllerFailure(error) }
        defer { lock.release() }
        let link = try DeviceLink(port: port, baud: baud)
        let info = try link.handshake(timeout: .milliseconds(Int64(timeout * 1000)))
        let report = ProbeReport(info)
        if json {
            print(try JSONOutput.string(report))
        } else {
            print(report.text)
        }
    }
}

/// What `probe` prints. JSON keys are the property names in snake_case.
struct ProbeReport: Codable, Equatable {
    var port: String
    var protocolVersion: Int
    var schemaHash: String
    var firmwareVersion: String
    var resetReason: String
    var armCountsPerRev: Int
    var pendulumCountsPerRev: Int
    var serial: String

    init(_ info: DeviceInfo) {
        port = info.port
        protocolVersion = Int(info.protocolVersion)
        schemaHash = "0x" + String(info.schemaHash, radix: 16)
        firmwareVersion = info.firmwareVersion.description
        resetReason = info.resetReason.description
        armCountsPerRev = Int(info.armCountsPerRevolution)
        pendulumCountsPerRev = Int(info.pendulumCountsPerRevolution)
        serial = info.serialHex
    }

    var text: String {
        """
        port                     \(port)
        protocol_version         \(protocolVersion) (schema \(schemaHash))
        firmware_version         \(firmwareVersion)
        reset_reason             \(resetReason)
        arm_counts_per_rev       \(armCountsPerRev)
        pendulum_counts_per_rev  \(pendulumCountsPerRev)
        serial                   \(serial)
        """
    }
}
