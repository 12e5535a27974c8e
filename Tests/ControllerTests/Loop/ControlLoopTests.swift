import Controller
import FirmwareLink
import MotorModel
import PolicyFormat
import Testing

/// The loop core alone: made-up device states in, commands out. No clock, thread or port.
struct ControlLoopTests {
    private let robot: RobotParameters
    init() throws { robot = try ControllerFixtures.robot().parameters }

    private func loop(action: Float, skipHoming: Bool = true, configure: (inout ControlLoopConfiguration) -> Void = { _ in }) throws -> ControlLoop {
        let policy = try FrozenPolicy(ControllerFixtures.constantPolicy(action, robot: robot))
        var configuration = ControlLoopConfiguration(limits: SafetyLimits(robot: robot), periodSeconds: 0.01)
        configuration.skipHoming = skipHoming
        configuration.homing.stillSeconds = 0.1
        configure(&configuration)
        return ControlLoop(configuration: configuration, runner: PolicyRunner(policy: policy, motor: robot.motor))
    }

    /// A state at tick k (10 ms apart) with the arm at `arm` rad and the pendulum hanging.
    private func state(_ k: Int, arm: Double = 0, applied: Int16 = 0) -> DeviceState {
        DeviceState(timeMicroseconds: UInt64(1_000 + k * 10_000),
                    armCounts: Int32((arm / (2 * .pi) * Double(robot.arm.encoderCountsPerRevolution)).rounded()),
                    pendulumCounts: 0, lastCommandSequence: 0, appliedDutyQ15: applied, status: [], mode: .armed)
    }

    private func step(_ loop: ControlLoop, _ k: Int, sample: DeviceState?, stop: StopRequest = .none) -> TickCommand {
        var input = TickInput(timeNanoseconds: Int64(k) * 10_000_000, sample: sample)
        input.stop = stop
        var record = TickRecord()
        return loop.step(input, record: &record)
    }

    @Test func runningPolicyActionBecomesCompensatedDutyWithinTheSlewLimit() throws {
        let loop = try loop(action: 0.5)
        let first = step(loop, 0, sample: state(0))
        // Slew: at most 150/s × 10 ms = 1.5 per period, so 0.5 passes at once.
        #expect(first.flags == .enable)
        #expect(abs(first.duty - compensatedDuty(action: 0.5, robot.motor)) < 1e-12)
    }

    /// Motor off while the pendulum settles; then only homing's probe — one period toward the
    /// centre at the probe's action — before the policy engages. (These made-up states never
    /// move, so the probe is inconclusive and homing goes on.)
    @Test func homingWaitsForAStillPendulumThenEngagesThePolicy() throws {
        let loop = try loop(action: 0.3, skipHoming: false)
        let probeDuty = compensatedDuty(action: HomingSettings().probeAction, robot.motor)
        var k = 0, driven = 0
        while loop.phase == .homing && k < 200 {
            let stage = loop.homing.stage
            let command = step(loop, k, sample: state(k))
            if loop.phase == .homing && command.duty != 0 {
                driven += 1
                #expect(stage == .settling && loop.homing.stage == .probing, "driven at tick \(k) in stage \(loop.homing.stage)")
                #expect(abs(command.duty - probeDuty) < 1e-12)
            }
            k += 1
        }
        #expect(loop.phase == .running)
        #expect(driven == 1)
        #expect(k >= 10, "still for 0.1 s first, found after \(k) periods")
    }

    @Test func nonFiniteActionLatchesAFaultAndCommandsZero() throws {
        let policy = try FrozenPolicy(ControllerFixtures.nanPolicy(robot: robot))
        var configuration = ControlLoopConfiguration(limits: SafetyLimits(robot: robot), periodSeconds: 0.01)
        configuration.skipHoming = true
        let loop = ControlLoop(configuration: configuration, runner: PolicyRunner(policy: policy, motor: robot.motor))
        let command = step(loop, 0, sample: state(0))
        #expect(loop.latchedFault == .nonFiniteAction)
        #expect(command == .zero)
        _ = step(loop, 1, sample: state(1, applied: 0))
        #expect(loop.phase == .stopped)
        #expect(loop.stopConfirmed == true)
    }

    @Test func beyondTheSoftLimitOnlyInwardDutyPassesUntilBackInsideTheHysteresis() throws {
        let outward = try loop(action: 1)
        _ = step(outward, 0, sample: state(0, arm: 2.05))
        let blocked = step(outward, 1, sample: state(1, arm: 2.05))
        #expect(blocked.duty == 0, "outward duty at +2.05 rad must be blocked")
        #expect(outward.safety.isOutsideSoftLimit)

        let inward = try loop(action: -1)
        _ = step(inward, 0, sample: state(0, arm: 1.5))
        let allowed = step(inward, 1, sample: state(1, arm: 2.05))
        #expect(allowed.duty < 0, "inward duty is allowed beyond the limit")
        _ = step(inward, 2, sample: state(2, arm: 1.9))
        #expect(inward.safety.isOutsideSoftLimit, "inside θ_lim but not yet inside θ_lim − h")
        _ = step(inward, 3, sample: state(3, arm: 1.7))
        #expect(!inward.safety.isOutsideSoftLimit)
    }

    @Test func missingStatesForFivePeriodsAreStaleAndStopTheRun() throws {
        let loop = try loop(action: 0.2)
        _ = step(loop, 0, sample: state(0))
        for k in 1...4 { _ = step(loop, k, sample: nil) }
        #expect(loop.latchedFault == nil)
        _ = step(loop, 5, sample: nil)
        #expect(loop.latchedFault == .staleState)
        #expect(loop.phase == .safeStop)
    }

    @Test func gracefulStopSendsZeroUntilTheDeviceConfirmsIt() throws {
        let loop = try loop(action: 0.4)
        _ = step(loop, 0, sample: state(0))
        let stopping = step(loop, 1, sample: state(1, applied: 9000), stop: .graceful)
        #expect(stopping == .zero)
        #expect(loop.phase == .safeStop)
        _ = step(loop, 2, sample: state(2, applied: 0), stop: .graceful)
        #expect(loop.phase == .stopped)
        #expect(loop.stopConfirmed == true)
        #expect(loop.stopReason == .stopSignal)
        #expect(loop.latchedFault == nil)
    }

    @Test func immediateStopSendsAnEmergencyStopAtOnce() throws {
        let loop = try loop(action: 0.4)
        _ = step(loop, 0, sample: state(0))
        #expect(step(loop, 1, sample: nil, stop: .immediate) == .emergencyStop)
        #expect(loop.phase == .stopped)
    }

    @Test func skippedPeriodsAreCountedAndSustainedOverrunsStopTheRun() throws {
        let loop = try loop(action: 0)
        var input = TickInput(timeNanoseconds: 0, sample: state(0))
        input.skippedPeriods = 3
        var record = TickRecord()
        _ = loop.step(input, record: &record)
        #expect(loop.overrunTicks == 1 && loop.skippedPeriods == 3)
        #expect(loop.latchedFault == nil, "an isolated overrun is tolerated")
        input = TickInput(timeNanoseconds: 40_000_000, sample: state(4))
        input.skippedPeriods = 3
        _ = loop.step(input, record: &record)
        #expect(loop.latchedFault == .sustainedOverruns)
    }
}
