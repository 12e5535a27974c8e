@testable import Controller
import FirmwareLink
import Foundation
import Testing
import Twin

extension RealTimeSessions {
    /// `--port auto` end to end under umockdev: the controller waits for an ESP32 by its USB id; a
    /// fake Espressif board appears; the twin's firmware core plays the board on the pty umockdev
    /// puts behind its /dev/ttyACM0; the controller handshakes, homes and runs the policy there.
    @Suite("Port auto under umockdev")
    struct PortAutoOnFakeDeviceTests {
        /// Things the plugging thread hands back, kept alive until the test ends.
        final class Board: @unchecked Sendable {
            var device: VirtualDevice?
            var error: Error?
        }

        @Test func portAutoStartsTalkingToTheFakeBoardOnceItAppears() throws {
            try UMockdevSandbox.run { testbed in
                let robot = try ControllerFixtures.robot()
                let fake = FakeUSBSerialDevice.espressif()
                let board = Board()
                nonisolated(unsafe) let bed = testbed
                let plugged = DispatchSemaphore(value: 0)
                let plugger = Thread {
                    Thread.sleep(forTimeInterval: 0.5) // the controller is waiting by now
                    do {
                        try bed.plug(fake)
                        let master = dup(bed.masterFileDescriptor(of: fake.devnode))
                        let terminal = PseudoTerminal(adoptingMaster: master, devicePath: fake.devnode)
                        let device = VirtualDevice(plant: try PhysicsPlant(description: robot), terminal: terminal)
                        device.start()
                        board.device = device
                    } catch { board.error = error }
                    plugged.signal()
                }
                plugger.start()

                var configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath,
                                                                     port: "unused", robot: robot.parameters, seconds: 1.5)
                configuration.port = .automatic(matcher: .esp32Defaults, timeout: .seconds(10))
                let started = ContinuousClock.now
                let summary = try ControllerSession(configuration: configuration, robot: robot.parameters).run()
                plugged.wait()
                if let error = board.error { Issue.record("plugging the fake board failed: \(error)") }
                let device = try #require(board.device)
                defer { device.close() }

                #expect(ContinuousClock.now - started > .milliseconds(400), "the session did not wait for the board")
                #expect(summary.port.contains(fake.devnode) || summary.port.contains("auto"), "port \(summary.port)")
                #expect(summary.outcome == "completed", "summary: \(summary)")
                #expect(summary.connections == 1)
                #expect(summary.policySteps > 100)
                #expect(summary.motorStopConfirmed)
                #expect(device.snapshot.commandsApplied > 100)
                #expect(device.snapshot.appliedDutyQ15 == 0)
            }
        }
    }
}

extension RealTimeSessions.PortAutoOnFakeDeviceTests {
    @Test func unplugMidRunIsASafeStopWithTheMotorAtZero() throws {
        try UMockdevSandbox.run { testbed in
            let robot = try ControllerFixtures.robot()
            let fake = FakeUSBSerialDevice.espressif()
            let board = Board()
            nonisolated(unsafe) let bed = testbed
            // Plug the board in while the controller waits for it (as a user would), with the
            // twin's firmware core on its pty; pull the cable once the policy has been running.
            let cable = Thread {
                Thread.sleep(forTimeInterval: 0.3)
                do {
                    try bed.plug(fake)
                    let master = dup(bed.masterFileDescriptor(of: fake.devnode))
                    let device = VirtualDevice(plant: try PhysicsPlant(description: robot),
                                               terminal: PseudoTerminal(adoptingMaster: master, devicePath: fake.devnode))
                    device.start()
                    board.device = device
                    let deadline = Date().addingTimeInterval(20)
                    while device.snapshot.commandsApplied < 150 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
                } catch { board.error = error }
                bed.unplug(fake)
            }
            cable.start()

            var configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath,
                                                                 port: "unused", robot: robot.parameters, seconds: 20)
            configuration.port = .automatic(matcher: .esp32Defaults, timeout: .seconds(10))
            let started = ContinuousClock.now
            let summary = try ControllerSession(configuration: configuration, robot: robot.parameters).run()
            if let error = board.error { Issue.record("plugging the fake board failed: \(error)") }
            let device = try #require(board.device)
            defer { device.close() }

            #expect(ContinuousClock.now - started < .seconds(15), "the run did not stop at the unplug")
            #expect(device.snapshot.commandsApplied >= 150)
            #expect(summary.fault == "device_removed", "summary: \(summary)")
            #expect(summary.outcome == "fault")
            // The host's zero command or the firmware's watchdog leaves the motor off.
            #expect(eventually(within: .milliseconds(500)) { device.snapshot.appliedDutyQ15 == 0 })
        }
    }
}
