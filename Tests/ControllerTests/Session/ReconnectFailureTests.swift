import Controller
import FirmwareLink
import Foundation
import MotorModel
import Testing
import Twin

extension RealTimeSessions {
    /// An error inside the reconnect path (the device came back but will not arm) used to escape
    /// `run()`: port left open, memory locked, no summary. Now it ends the run like any other way
    /// out: summary written, port released.
    @Suite(.serialized) struct ReconnectFailureTests {
        @Test func aDeviceThatComesBackButWillNotArmStillGetsTheSummaryAndThePortBack() throws {
            let robot = try ControllerFixtures.robot()
            let link = ControllerFixtures.temporaryPath("furuta-port")
            // The real device stops answering at 2 s (stale state: a fault --reconnect resumes from).
            var faults = FaultInjection()
            faults.stallAfter = 2.0
            let device = try ControllerFixtures.startTwin(faults: faults)
            defer { device.close() }
            try device.createLink(at: link)
            // What comes back on the port: answers the handshake, never the configuration.
            let impostor = try HandshakeOnlyDevice(robot: robot.parameters)
            defer { impostor.stop() }

            var configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath, port: link,
                                                                 robot: robot.parameters, seconds: 10)
            configuration.reconnect = true
            configuration.reconnectTimeoutSeconds = 5
            let summaryPath = ControllerFixtures.temporaryPath("summary.json")
            configuration.summaryPath = summaryPath
            let session = try ControllerSession(configuration: configuration, robot: robot.parameters)
            let swap = Thread {
                _ = eventually(within: .seconds(10)) { device.snapshot.isStalled }
                PseudoTerminal.removeLink(at: link)
                try? impostor.terminal.createLink(at: link)
            }
            swap.start()
            let summary = try session.run()

            #expect(impostor.hellosAnswered > 0, "the session did reconnect to the impostor")
            #expect(summary.fault == "stale_state")
            #expect(summary.outcome == "fault")
            #expect(summary.stopReason == "stale_state")
            #expect(summary.connections == 2)
            #expect(FileManager.default.fileExists(atPath: summaryPath), "the summary was written")
            // The port is released: it can be locked again.
            #expect(throws: Never.self) { try PortLock(path: impostor.terminal.slavePath).release() }
        }
    }
}

/// A pty that answers `hello` with an accepted reply for `robot`'s encoders and ignores
/// everything else (so `configure` times out).
final class HandshakeOnlyDevice: @unchecked Sendable {
    let terminal: PseudoTerminal
    private let lock = NSLock()
    private var running = true
    private var answered = 0
    private let finished = DispatchSemaphore(value: 0)

    var hellosAnswered: Int { lock.withLock { answered } }

    init(robot: RobotParameters) throws {
        terminal = try PseudoTerminal()
        let reply = HelloReply(protocolVersion: ProtocolSide.thisBuild.version, schemaHash: ProtocolSide.thisBuild.schemaHash,
                               accepted: true, resetReason: .powerOn, firmwareVersion: FirmwareVersion(major: 0, minor: 1, patch: 0),
                               armCountsPerRevolution: UInt32(robot.arm.encoderCountsPerRevolution),
                               pendulumCountsPerRevolution: UInt32(robot.pendulum.encoderCountsPerRevolution), serial: 0x1234)
        let thread = Thread { [self] in
            var decoder = FrameDecoder()
            var buffer = [UInt8](repeating: 0, count: 512)
            var sequence: UInt16 = 0
            while lock.withLock({ running }) {
                _ = try? terminal.waitForInput(timeout: .milliseconds(10))
                guard let n = try? buffer.withUnsafeMutableBytes({ try terminal.readAvailable(into: $0) }), n > 0 else { continue }
                for frame in decoder.decode(Array(buffer[..<n])) {
                    guard case .hello = frame.message else { continue }
                    let bytes = FrameEncoder.bytes(of: Frame(sequence: sequence, message: .helloReply(reply)))
                    sequence &+= 1
                    _ = try? bytes.withUnsafeBytes { try terminal.writeAvailable($0) }
                    lock.withLock { answered += 1 }
                }
            }
            finished.signal()
        }
        thread.start()
    }

    func stop() {
        lock.withLock { running = false }
        finished.wait()
        terminal.close()
    }
}
