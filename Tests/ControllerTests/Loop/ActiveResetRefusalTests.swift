import Controller
import FirmwareLink
import MotorModel
import PolicyFormat
import Testing

/// The active reset never takes a bad state as the pendulum's zero: the loop core alone, fed
/// made-up states (no clock, thread or port). Each bad state ends homing with its own fault,
/// the policy never runs, and a safe stop follows.
struct ActiveResetRefusalTests {
    private let robot: RobotParameters
    init() throws { robot = try ControllerFixtures.robot().parameters }

    private func loop(timeout: Double = 20) throws -> ControlLoop {
        let policy = try FrozenPolicy(ControllerFixtures.constantPolicy(0.3, robot: robot))
        var configuration = ControlLoopConfiguration(limits: SafetyLimits(robot: robot), periodSeconds: 0.01)
        configuration.homing.enableActiveReset(pendulumFrequencyRadPerS: robot.pendulumNaturalFrequencyRadPerS)
        configuration.homing.hangingRawPendulumAngle = 0
        configuration.homing.timeoutSeconds = timeout
        return ControlLoop(configuration: configuration, runner: PolicyRunner(policy: policy, motor: robot.motor))
    }

    /// Runs the loop on states with the arm at 0 and the pendulum at `pendulum(t)` rad until it
    /// leaves homing or `seconds` pass; returns the ticks run.
    @discardableResult
    private func drive(_ loop: ControlLoop, seconds: Double, pendulum: (Double) -> Double) -> Int {
        let n = robot.pendulum.encoderCountsPerRevolution
        var k = 0
        while loop.phase == .homing && Double(k) * 0.01 < seconds {
            let t = Double(k) * 0.01
            let counts = Int32((pendulum(t) / (2 * .pi) * Double(n)).rounded())
            let state = DeviceState(timeMicroseconds: UInt64(1_000 + k * 10_000), armCounts: 0, pendulumCounts: counts,
                                    lastCommandSequence: 0, appliedDutyQ15: 0, status: [], mode: .armed)
            var record = TickRecord()
            _ = loop.step(TickInput(timeNanoseconds: Int64(k) * 10_000_000, sample: state), record: &record)
            k += 1
        }
        return k
    }

    /// A pendulum that goes on swinging whatever the arm does (held by something, or a reading
    /// that only looks like a swing) is never calm: the reset times out.
    @Test func aPendulumThatDoesNotComeToRestTimesOutAndIsNeverTakenAsTheZero() throws {
        let loop = try loop(timeout: 3)
        drive(loop, seconds: 5) { t in 0.4 * sin(10.7 * t) }
        #expect(loop.latchedFault == .homingTimedOut)
        #expect(loop.policySteps == 0)
        #expect(loop.phase == .safeStop || loop.phase == .stopped)
        #expect(SafetyEventKind.homingTimedOut.homingMessage?.contains("hangs still") == true)
    }

    /// Still, but half a turn from where it hangs: balanced or propped upright.
    @Test func aPendulumSittingUprightIsRefusedAsNotHanging() throws {
        let loop = try loop()
        let ticks = drive(loop, seconds: 5) { _ in .pi }
        #expect(loop.latchedFault == .homingPendulumNotHanging)
        #expect(loop.policySteps == 0)
        #expect(ticks <= 60, "refused after \(ticks) periods; the stillness check takes 0.5 s")
    }

    /// A whole turn away is still hanging (it spun over the top during the episode).
    @Test func aPendulumHangingWholeTurnsAwayIsAccepted() throws {
        let loop = try loop()
        drive(loop, seconds: 5) { _ in 4 * .pi }
        #expect(loop.latchedFault == nil)
        #expect(loop.phase == .running)
    }

    /// A count jump no pendulum makes in 10 ms (a loose wire, a glitching counter).
    @Test func anImplausibleReadingIsRefused() throws {
        let loop = try loop()
        drive(loop, seconds: 5) { t in t < 0.3 ? 0.02 * sin(10.7 * t) : 2.5 }
        #expect(loop.latchedFault == .homingEncoderImplausible)
        #expect(loop.policySteps == 0)
    }
}
