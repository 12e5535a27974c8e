import Controller
import Foundation
import RobotRecording
import Testing
import Twin

extension RealTimeSessions {
    /// `CaptureSession` over a real pty against the twin: homing, the excitation through the loop
    /// and safety layer, and a recording that reads back with the robot's identity.
    @Suite(.serialized) struct CaptureOnTwinTests {
        static func configuration(_ kind: ExcitationKind, seconds: Double, port: String, out: String) throws -> CaptureConfiguration {
            let robot = try ControllerFixtures.robot().parameters
            var c = CaptureConfiguration(port: .path(port), excitation: ExcitationSettings(kind: kind, robot: robot),
                                         durationSeconds: seconds, outputPath: out, robot: robot)
            c.handleSignals = false
            c.realtime.lockMemory = false
            c.homing.stillSeconds = 0.3
            c.baud = nil
            return c
        }

        @Test func chirpCaptureWritesARecordingOfTheRunningTicks() throws {
            let robot = try ControllerFixtures.robot().parameters
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let out = ControllerFixtures.temporaryPath("chirp.rec")
            defer { unlink(out) }
            let session = try CaptureSession(configuration: Self.configuration(.chirp, seconds: 3, port: device.slavePath, out: out), robot: robot)
            let outcome = try session.run()
            #expect(outcome.outcome == "completed", "fault: \(outcome.fault ?? "-")")
            #expect(outcome.motorStopConfirmed)
            #expect(device.snapshot.appliedDutyQ15 == 0)

            let recording = try RobotRecording(contentsOfFile: out)
            #expect(recording == outcome.recording)
            #expect(recording.header.robotIdentity == robot.identity)
            #expect(recording.header.robotName == robot.name)
            #expect(recording.header[metadata: "excitation"] == "chirp")
            // 3 s at 100 Hz, a few periods lost to the load at most.
            #expect(recording.samples.count >= 270 && recording.samples.count <= 301, "\(recording.samples.count) samples")
            #expect(abs(recording.durationSeconds - 3) < 0.1)
            // The arm moved, inside the soft limits; the duties are the excitation's.
            let angles = recording.samples.map(recording.armAngle)
            #expect((angles.map(abs).max() ?? 0) > 0.05)
            #expect((angles.map(abs).max() ?? .infinity) < robot.arm.softLimitRad)
            #expect(recording.samples.contains { abs($0.dutyCommanded) > 0.2 })
            // The device applies what the controller commanded the tick before.
            let matching = zip(recording.samples, recording.samples.dropFirst()).filter { abs($1.dutyApplied - $0.dutyCommanded) < 1e-4 }.count
            #expect(Double(matching) >= 0.9 * Double(recording.samples.count - 1))
        }

        /// A loaded host holds a new thread off the CPU: here 150 ms between the loop thread's
        /// creation and its first instruction, three times the firmware watchdog (50 ms). The
        /// device is armed from the loop thread (`ArmedLoopStart`), so the watchdog only starts
        /// counting once the thread runs; armed before the thread was started (the old capture),
        /// the watchdog tripped before the first command.
        @Test func aLoopThreadHeldOffTheCPUAtItsStartDoesNotTripTheWatchdog() throws {
            let robot = try ControllerFixtures.robot().parameters
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let out = ControllerFixtures.temporaryPath("held.rec")
            defer { unlink(out) }
            let session = try CaptureSession(configuration: Self.configuration(.chirp, seconds: 1, port: device.slavePath, out: out), robot: robot)
            session.launchLoopThread = ControllerFixtures.loopThreadHeldOff(seconds: 0.15)
            let outcome = try session.run()
            #expect(outcome.fault == nil, "fault: \(outcome.fault ?? "-")")
            #expect(outcome.outcome == "completed")
            #expect(!outcome.recording.samples.isEmpty)
        }

        @Test func refusedExcitationNeverTalksToTheDevice() throws {
            let robot = try ControllerFixtures.robot().parameters
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            var configuration = try Self.configuration(.prbs, seconds: 20, port: device.slavePath, out: ControllerFixtures.temporaryPath("x.rec"))
            configuration.excitation.amplitude = 1
            #expect(throws: CaptureError.self) { try CaptureSession(configuration: configuration, robot: robot) }
            Thread.sleep(forTimeInterval: 0.1)
            #expect(device.snapshot.commandsApplied == 0)
            #expect(!FileManager.default.fileExists(atPath: configuration.outputPath))
        }
    }
}
