import Controller
import Foundation
import MotorModel
import Testing
import Twin

extension RealTimeSessions {
    /// Homing that cannot be fooled: each way a robot can be found not ready is refused before the
    /// policy runs, with its own fault and message, and the motor ends at 0.
    @Suite(.serialized) struct HomingRefusalsOnTwinTests {
        private func run(_ plant: any TwinPlant) throws -> (RunSummary, [String], VirtualDevice) {
            let robot = try ControllerFixtures.robot()
            let device = try VirtualDevice(plant: plant)
            device.start()
            let configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath, port: device.slavePath,
                                                                 robot: robot.parameters, seconds: 3)
            let session = try ControllerSession(configuration: configuration, robot: robot.parameters)
            let messages = MessageLog()
            session.report = { messages.append($0) }
            let summary = try session.run()
            return (summary, messages.lines, device)
        }

        private func expectRefused(_ summary: RunSummary, _ messages: [String], kind: SafetyEventKind, mentioning words: String,
                                   device: VirtualDevice) {
            #expect(summary.fault == kind.name, "events: \(summary.safetyEvents.map(\.kind))")
            #expect(summary.policySteps == 0, "the policy must never run")
            #expect(summary.motorStopConfirmed)
            #expect(device.snapshot.appliedDutyQ15 == 0)
            let message = messages.first { $0.hasPrefix("homing refused") } ?? ""
            #expect(message.contains(words), "message: \(message)")
            #expect(message.contains(kind.homingMessage ?? "?"))
        }

        @Test func pendulumRestingUprightIsRefusedAsNotHanging() throws {
            let plant = try PhysicsPlant(description: ControllerFixtures.robot(), initialPendulumAngle: .pi)
            let (summary, messages, device) = try run(plant)
            defer { device.close() }
            expectRefused(summary, messages, kind: .homingPendulumNotHanging, mentioning: "resting upright", device: device)
        }

        @Test func pendulumStuckOffCentreIsRefusedAsStuck() throws {
            let inner = try PhysicsPlant(description: ControllerFixtures.robot())
            let counts = inner.robot.pendulum.encoderCounts(forAngleRad: 0.6)
            let (summary, messages, device) = try run(StuckPendulumPlant(inner: inner, stuckCounts: counts))
            defer { device.close() }
            expectRefused(summary, messages, kind: .homingPendulumStuck, mentioning: "stuck", device: device)
        }

        @Test func glitchingEncoderIsRefusedAsImplausible() throws {
            let inner = try PhysicsPlant(description: ControllerFixtures.robot())
            let (summary, messages, device) = try run(GlitchingEncoderPlant(inner: inner, jump: 3000, period: 0.25))
            defer { device.close() }
            expectRefused(summary, messages, kind: .homingEncoderImplausible, mentioning: "encoder", device: device)
        }

        /// The motor never moves: no duty other than 0 ever reaches the twin's H-bridge.
        @Test func armBeyondSoftLimitAtStartIsRefusedWithoutDrivingTheMotor() throws {
            let inner = try PhysicsPlant(description: ControllerFixtures.robot())
            let offset = inner.robot.arm.encoderCounts(forAngleRad: inner.robot.arm.softLimitRad + 0.3)
            let (summary, messages, device) = try run(OffsetArmPlant(inner: inner, offsetCounts: offset))
            defer { device.close() }
            expectRefused(summary, messages, kind: .homingArmOutsideSoftLimit, mentioning: "soft limit", device: device)
            #expect(device.dutyChanges.allSatisfy { $0.dutyQ15 == 0 }, "duties: \(device.dutyChanges.map(\.dutyQ15))")
        }

        /// The same checks pass a healthy robot: homing completes and the policy runs.
        @Test func healthyPendulumPassesEveryHomingCheck() throws {
            let plant = try PhysicsPlant(description: ControllerFixtures.robot())
            let (summary, _, device) = try run(plant)
            defer { device.close() }
            #expect(summary.fault == nil, "events: \(summary.safetyEvents.map(\.kind))")
            #expect(summary.policySteps > 0)
        }
    }
}

/// Collects a session's report lines from whatever thread reports them.
final class MessageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
