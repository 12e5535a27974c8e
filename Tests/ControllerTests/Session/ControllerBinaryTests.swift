import Controller
import FirmwareLink
import Foundation
import Testing
import Twin

extension RealTimeSessions {
    /// The built `furuta-controller run` as a subprocess against a twin on a pty in this process:
    /// signals, and the errors that must stop it before the motor moves.
    @Suite(.serialized) struct ControllerBinaryTests {
        private var binary: String { BuiltProducts.executable("furuta-controller") }

        /// Starts `run` with the known-good policy and waits until it is running the policy.
        private func startRun(_ device: VirtualDevice, summary: String) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["run", "--policy", ControllerFixtures.swingUpPolicyPath, "--port", device.slavePath,
                                 "--robot", ControllerFixtures.robotPath, "--duration", "30", "--summary", summary,
                                 "--no-memory-lock"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Running = the motor is being driven by the policy: a new duty every period (homing's
            // probe is a single pulse).
            _ = eventually(within: .seconds(8)) { device.dutyChanges.filter { $0.dutyQ15 != 0 }.count >= 10 }
            Thread.sleep(forTimeInterval: 0.5)
            return process
        }

        /// Waits for the process to end; kills it (and fails) if it does not.
        private func waitForExit(_ process: Process, within seconds: Double) -> Bool {
            if eventually(within: .milliseconds(Int64(seconds * 1000)), { !process.isRunning }) { return true }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }

        private func summary(_ path: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        }

        /// First SIGINT: safe stop — the arm braked to rest (at most `maxBrakeSeconds`, 0.4 s), then
        /// duty 0 within 2 more periods, confirmed — exit 0.
        @Test(arguments: [SIGINT, SIGTERM])
        func firstStopSignalStopsSafelyAndExitsZero(signal: Int32) throws {
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let summaryPath = ControllerFixtures.temporaryPath("summary.json")
            let process = try startRun(device, summary: summaryPath)
            #expect(device.snapshot.appliedDutyQ15 != 0, "the policy should be driving the motor")
            let sentAt = device.snapshot.deviceTimeMicroseconds
            kill(process.processIdentifier, signal)
            #expect(waitForExit(process, within: 2))
            #expect(process.terminationStatus == 0)
            let zero = try #require(device.zeroSince(after: Double(sentAt) * 1e-6))
            let bound = SafetyLimits(robot: try ControllerFixtures.robot().parameters).maxBrakeSeconds + 0.030
            #expect(zero - Double(sentAt) * 1e-6 <= bound, "duty reached 0 \(zero - Double(sentAt) * 1e-6) s after the signal")
            let json = try summary(summaryPath)
            #expect(json["outcome"] as? String == "stopped")
            if zero - Double(sentAt) * 1e-6 > 0.030 { #expect((json["braking_ticks"] as? Int ?? 0) > 0, "only braking may delay the zero") }
            #expect(json["motor_stop_confirmed"] as? Bool == true)
            #expect(device.snapshot.mode == .disarmed)
        }

        /// Second signal: the handler writes an e-stop at once; exit 130; the device is e-stopped.
        @Test func secondSignalStopsImmediately() throws {
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let summaryPath = ControllerFixtures.temporaryPath("summary.json")
            let process = try startRun(device, summary: summaryPath)
            let sentAt = Double(device.snapshot.deviceTimeMicroseconds) * 1e-6
            kill(process.processIdentifier, SIGINT)
            // Apart, or the kernel merges them into one pending SIGINT; well inside one 10 ms period.
            Thread.sleep(forTimeInterval: 0.002)
            kill(process.processIdentifier, SIGINT)
            #expect(waitForExit(process, within: 2))
            #expect(process.terminationStatus == 130)
            let zero = try #require(device.zeroSince(after: sentAt))
            #expect(zero - sentAt <= 0.030)
            #expect(device.snapshot.status.contains(.emergencyStop))
        }

        @Test func policyForAnotherRobotIsRefusedNamingTheMismatch() throws {
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let other = try ControllerFixtures.robot(overrides: ["pendulum.mass_kg": "0.03", "control.rate_hz": "250"])
            let policy = try ControllerFixtures.write(ControllerFixtures.constantPolicy(0.5, robot: other.parameters))
            let result = try ChildProcess.run(binary, ["run", "--policy", policy, "--port", device.slavePath,
                                                       "--robot", ControllerFixtures.robotPath], timeout: .seconds(20))
            #expect(result.status == 1)
            #expect(result.standardError.contains("robot identity"), "\(result.standardError)")
            #expect(result.standardError.contains("control rate: the policy runs at 250 Hz, the robot at 100 Hz"))
            #expect(device.snapshot.commandsApplied == 0)
            #expect(device.dutyChanges.allSatisfy { $0.dutyQ15 == 0 })
        }

        @Test func missingPortIsAClearError() throws {
            let result = try ChildProcess.run(binary, ["run", "--policy", ControllerFixtures.swingUpPolicyPath,
                                                       "--port", "/dev/furuta-does-not-exist", "--robot", ControllerFixtures.robotPath],
                                              timeout: .seconds(20))
            #expect(result.status == 1)
            #expect(result.standardError.contains("cannot open /dev/furuta-does-not-exist"), "\(result.standardError)")
        }

        /// A pty whose other side is silent, or answers garbage: no handshake, exit 1, nothing driven.
        @Test(arguments: [false, true])
        func nonRobotDeviceOnThePortIsRefused(answersGarbage: Bool) throws {
            let terminal = try PseudoTerminal()
            defer { terminal.close() }
            let stop = ExternalStops()
            let received = Counter()
            let thread = Thread {
                var buffer = [UInt8](repeating: 0, count: 256)
                var garbage: UInt8 = 0x5A
                while stop.count == 0 {
                    if let n = try? buffer.withUnsafeMutableBytes({ try terminal.readAvailable(into: $0) }), n > 0 { received.add(n) }
                    if answersGarbage {
                        garbage = garbage &* 31 &+ 7
                        let bytes = (0..<16).map { UInt8(truncatingIfNeeded: Int(garbage) &+ $0 &* 13) }
                        _ = try? bytes.withUnsafeBytes { try terminal.writeAvailable($0) }
                    }
                    Thread.sleep(forTimeInterval: 0.01)
                }
            }
            thread.start()
            defer { stop.request() }
            let result = try ChildProcess.run(binary, ["run", "--policy", ControllerFixtures.swingUpPolicyPath,
                                                       "--port", terminal.slavePath, "--robot", ControllerFixtures.robotPath,
                                                       "--handshake-timeout", "1"], timeout: .seconds(20))
            #expect(result.status == 1)
            #expect(result.standardError.contains("no hello_reply from \(terminal.slavePath)"), "\(result.standardError)")
            #expect(received.value > 0, "the controller sent its hello")
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    func add(_ n: Int) { lock.withLock { total += n } }
    var value: Int { lock.withLock { total } }
}
