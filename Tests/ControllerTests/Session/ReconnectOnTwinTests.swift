import Controller
import Foundation
import Testing
import Twin

extension RealTimeSessions {
    /// `--reconnect`: a device reset mid-run ends that session safely, then a new handshake, homing
    /// and policy run follow on the same port.
    @Suite(.serialized) struct ReconnectOnTwinTests {
        @Test func brownoutMidRunResumesWithANewHandshakeAndHoming() throws {
            let robot = try ControllerFixtures.robot()
            var faults = FaultInjection.none
            faults.brownoutAfter = 3.0
            // A well-damped pendulum, so homing's "hanging still" after the reset comes quickly.
            let device = try ControllerFixtures.startTwin(faults: faults, physics: ["pendulum.damping_nms_per_rad": "1e-3"])
            defer { device.close() }
            var configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath,
                                                                 port: device.slavePath, robot: robot.parameters, seconds: 4)
            configuration.reconnect = true
            configuration.reconnectTimeoutSeconds = 10
            let session = try ControllerSession(configuration: configuration, robot: robot.parameters)
            let summary = try session.run()

            #expect(summary.connections == 2, "summary: \(summary)")
            #expect(summary.safetyEvents.contains { $0.kind == "device_reset" }, "events: \(summary.safetyEvents.map(\.kind))")
            #expect(summary.outcome == "completed", "fault \(summary.fault ?? "-"), events \(summary.safetyEvents.map(\.kind))")
            #expect(summary.motorStopConfirmed)
            #expect(device.snapshot.resetReason == .brownout)
            #expect(device.snapshot.appliedDutyQ15 == 0)
            // Both sessions drove the motor: commands after the reset reached the rebooted core.
            let resetTime = 3.0
            #expect(device.dutyChanges.contains { Double($0.timeMicroseconds) * 1e-6 > resetTime && $0.dutyQ15 != 0 })
        }

        @Test func withoutReconnectADeviceResetEndsTheRunAsAFault() throws {
            let robot = try ControllerFixtures.robot()
            var faults = FaultInjection.none
            faults.brownoutAfter = 1.5
            let device = try ControllerFixtures.startTwin(faults: faults)
            defer { device.close() }
            let configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath,
                                                                 port: device.slavePath, robot: robot.parameters, seconds: 4)
            let summary = try ControllerSession(configuration: configuration, robot: robot.parameters).run()
            #expect(summary.connections == 1)
            #expect(summary.outcome == "fault")
            #expect(summary.fault == "device_reset")
            #expect(device.snapshot.appliedDutyQ15 == 0)
        }
    }
}
