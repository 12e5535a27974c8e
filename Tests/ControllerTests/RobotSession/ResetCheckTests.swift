import Controller
import FirmwareLink
import Foundation
import MotorModel
import PolicyFormat
import Testing

/// Reset failures: a pendulum that never comes to rest (the loop core's homing gives up, with a
/// deterministic double of the device), one that rests upright or reads implausibly (its zero
/// disagrees with the session's).
@Suite struct ResetCheckTests {
    @Test func aPendulumThatNeverComesToRestEndsTheResetWithHomingTimedOut() throws {
        let robot = try ControllerFixtures.robot().parameters
        let policy = try FrozenPolicy(ControllerFixtures.constantPolicy(0, robot: robot))
        var configuration = ControlLoopConfiguration(limits: SafetyLimits(robot: robot), periodSeconds: 0.01)
        configuration.homing.timeoutSeconds = 2
        let loop = ControlLoop(configuration: configuration, runner: PolicyRunner(policy: policy, motor: robot.motor))
        var k = 0
        while !loop.isFinished && k < 1000 {
            // Swinging ±0.3 rad at 1 Hz, forever: never within 0.01 rad for 0.5 s.
            let alpha = 0.3 * sin(2 * Double.pi * Double(k) * 0.01)
            let state = DeviceState(timeMicroseconds: UInt64(1_000 + k * 10_000), armCounts: 0,
                                    pendulumCounts: Int32((alpha / (2 * .pi) * Double(robot.pendulum.encoderCountsPerRevolution)).rounded()),
                                    lastCommandSequence: 0, appliedDutyQ15: 0, status: [], mode: .armed)
            var record = TickRecord()
            _ = loop.step(TickInput(timeNanoseconds: Int64(k) * 10_000_000, sample: state), record: &record)
            #expect(loop.phase != .running, "the policy must not start on a swinging pendulum")
            k += 1
        }
        #expect(loop.latchedFault == .homingTimedOut)
        #expect(k > 200 && k < 300, "gave up after \(k) periods, the timeout is 2 s")
    }

    @Test func zerosAWholeTurnApartAgreeAndUprightOrOffsetZerosAreRefused() {
        #expect(ResetCheck.problem(zero: 2048 * 3 + 5, reference: 0, countsPerRevolution: 2048) == nil)
        #expect(ResetCheck.problem(zero: -2048 - 10, reference: 0, countsPerRevolution: 2048) == nil)
        let upright = ResetCheck.problem(zero: 1024 + 7, reference: 0, countsPerRevolution: 2048)
        #expect(upright?.contains("upright") == true)
        let offset = ResetCheck.problem(zero: 300, reference: 0, countsPerRevolution: 2048)
        #expect(offset?.contains("53°") == true, "\(offset ?? "nil")")
    }

    @Test func theZeroIsReadFromTheEpisodeLog() throws {
        let path = ControllerFixtures.temporaryPath("episode.csv")
        var a = TickRecord(), b = TickRecord()
        a.phase = .homing; a.hasSample = true; a.pendulumCounts = 5000
        b.phase = .running; b.hasSample = true; b.pendulumCounts = 5100
        b.pendulumAngle = 100 * 2 * Double.pi / 2048
        try (TelemetryCSV.header + "\n" + TelemetryCSV.line(a) + TelemetryCSV.line(b)).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(ResetCheck.pendulumZero(EpisodeLogTable(csvPath: path), countsPerRevolution: 2048) == 5000)
    }

    /// Which faults pause a session: homing refusals always, an arm beyond what the reset
    /// brings back or one it could not bring back only before the policy ran (during an episode
    /// it is the episode's fault, and the next reset brings the arm back).
    @Test func homingRefusalsAndAnArmBeyondTheHardLimitBeforeThePolicyPauseTheSession() {
        #expect(ResetCheck.pauseMessage(fault: "homing_pendulum_stuck", policyRan: false) != nil)
        #expect(ResetCheck.pauseMessage(fault: "arm_beyond_hard_limit", policyRan: false)?.contains("by hand") == true)
        #expect(ResetCheck.pauseMessage(fault: "arm_beyond_hard_limit", policyRan: true) == nil)
        #expect(ResetCheck.pauseMessage(fault: "arm_outside_limit_too_long", policyRan: false)?.contains("by hand") == true)
        #expect(ResetCheck.pauseMessage(fault: "arm_outside_limit_too_long", policyRan: true) == nil)
        #expect(ResetCheck.pauseMessage(fault: "stale_state", policyRan: false) == nil)
    }

    /// After a timing fault (late states, the device's watchdog, overruns) or a fault of the
    /// policy the next reset brings the robot back; after one that means the device or its
    /// readings cannot be trusted, or that a person stopped it, the session pauses saying what to do.
    @Test func faultsOfUntrustedReadingsPauseTheSessionAndTimingFaultsDoNot() {
        let resettable: [SafetyEventKind] = [.staleState, .deviceWatchdog, .sustainedOverruns, .armBeyondHardLimit,
                                             .armOutsideLimitTooLong, .armVelocityLimit, .pendulumVelocityLimit, .nonFiniteAction]
        for kind in resettable { #expect(FaultRecovery.untrustedMessage(fault: kind.name) == nil, "\(kind.name)") }
        let untrusted: [(SafetyEventKind, String)] = [(.deviceEmergencyStop, "emergency stop"), (.deviceClockBackwards, "cannot be trusted"),
                                                      (.deviceClockJump, "cannot be trusted"), (.deviceReset, "restarted"),
                                                      (.framesLost, "another program"), (.telemetryLost, "disk")]
        for (kind, says) in untrusted {
            let message = FaultRecovery.untrustedMessage(fault: kind.name)
            #expect(message?.contains(says) == true, "\(kind.name): \(message ?? "nil")")
        }
    }
}
