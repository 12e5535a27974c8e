import Controller
import Foundation
import Testing
import Twin

extension RealTimeSessions {
    /// The log is never allowed to hurt the run: a FIFO whose reader leaves (SIGPIPE used to kill
    /// the controller, exit 141, no safe stop) and a full disk (every row lost, `telemetry_dropped`
    /// said 0) are counted telemetry loss; past `telemetryLossLimit` rows the run stops safely.
    @Suite(.serialized) struct TelemetryFailureTests {
        private var binary: String { BuiltProducts.executable("furuta-controller") }

        private func runBinary(device: VirtualDevice, log: String, seconds: Int, whileRunning: () -> Void = {}) throws
            -> (Int32, [String: Any]) {
            let summaryPath = ControllerFixtures.temporaryPath("summary.json")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["run", "--policy", ControllerFixtures.swingUpPolicyPath, "--port", device.slavePath,
                                 "--robot", ControllerFixtures.robotPath, "--duration", "\(seconds)", "--log", log,
                                 "--summary", summaryPath, "--no-memory-lock"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            whileRunning()
            let exited = eventually(within: .seconds(Int64(seconds) + 15)) { !process.isRunning }
            if !exited { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summaryPath))) as? [String: Any])
            return (process.terminationStatus, json)
        }

        @Test func aLogReaderThatLeavesIsCountedLossNotADeadLoop() throws {
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let fifo = ControllerFixtures.temporaryPath("log.fifo")
            #expect(mkfifo(fifo, 0o600) == 0)
            let reader = open(fifo, O_RDONLY | O_NONBLOCK)
            #expect(reader >= 0)
            let (status, json) = try runBinary(device: device, log: fifo, seconds: 4) {
                // Read for a while once the policy drives, then leave.
                _ = eventually(within: .seconds(5)) { device.snapshot.appliedDutyQ15 != 0 }
                var buffer = [UInt8](repeating: 0, count: 65_536)
                for _ in 0..<50 {
                    _ = read(reader, &buffer, buffer.count)
                    Thread.sleep(forTimeInterval: 0.01)
                }
                close(reader)
            }
            #expect(status == 0, "exit \(status) (141 = killed by SIGPIPE)")
            #expect(json["outcome"] as? String == "completed")
            #expect(json["motor_stop_confirmed"] as? Bool == true)
            #expect((json["telemetry_lost_to_write_errors"] as? Int ?? 0) > 0)
            #expect((json["telemetry_dropped"] as? Int ?? 0) >= (json["telemetry_lost_to_write_errors"] as? Int ?? 0))
            #expect((json["telemetry_error"] as? String)?.contains("pipe") == true, "\(json["telemetry_error"] ?? "none")")
            #expect(device.snapshot.appliedDutyQ15 == 0)
        }

        @Test func aFullDiskIsCountedLoss() throws {
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let (status, json) = try runBinary(device: device, log: "/dev/full", seconds: 2)
            #expect(status == 0)
            let ticks = json["ticks"] as? Int ?? 0
            #expect(ticks > 100)
            #expect(json["telemetry_lost_to_write_errors"] as? Int == ticks, "every row was lost")
            #expect(json["telemetry_dropped"] as? Int == ticks)
            #expect(json["telemetry_error"] as? String == "No space left on device")
        }

        /// Past the limit, losing the log stops the run safely (fault `telemetry_lost`).
        @Test func losingMoreRowsThanTheLimitStopsTheRunSafely() throws {
            let robot = try ControllerFixtures.robot()
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            var configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath, port: device.slavePath,
                                                                 robot: robot.parameters, seconds: 10)
            configuration.logPath = "/dev/full"
            configuration.limits.telemetryLossLimit = 100
            let start = ContinuousClock.now
            let summary = try ControllerSession(configuration: configuration, robot: robot.parameters).run()
            #expect((ContinuousClock.now - start) < .seconds(8))
            #expect(summary.fault == "telemetry_lost")
            #expect(summary.motorStopConfirmed)
            #expect(summary.telemetryLostToWriteErrors > 100)
            #expect(device.snapshot.appliedDutyQ15 == 0)
        }
    }
}
