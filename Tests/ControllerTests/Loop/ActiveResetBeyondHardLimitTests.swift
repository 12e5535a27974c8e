import Controller
import FirmwareLink
import Foundation
import Learning
import MotorModel
import PolicyFormat
import RobotDescription
import Simulation
import Testing
import Twin

/// After a faulted episode the motor lets go and the swinging pendulum can drag the free arm
/// past its hard limit. A session's next reset (the zero from the same boot,
/// `HomingSettings.armStartMarginRad`) brings it back from there, inward only, instead of
/// refusing: simulated time around the twin's MuJoCo pendulum (`SimulatedReset`), and the loop
/// core alone on made-up states for the bounds of that recovery.
struct ActiveResetBeyondHardLimitTests {
    private let description: RobotDescription
    private var robot: RobotParameters { description.parameters }
    private var limits: SafetyLimits { SafetyLimits(robot: robot) }
    init() throws { description = try ControllerFixtures.robot() }

    private func homing(margin: Double) -> HomingSettings {
        var h = HomingSettings()
        h.enableActiveReset(pendulumFrequencyRadPerS: robot.pendulumNaturalFrequencyRadPerS)
        h.timeoutSeconds = 20
        h.armStartMarginRad = margin
        return h
    }

    /// Worst starts a fault leaves: the arm 2.4–2.95 rad out on either side (the hard limit is
    /// 2.35, the recovery margin ends at 3.0), still moving outward at up to 3 rad/s, the
    /// pendulum swinging up to upright or spinning over the top.
    static func draggedStarts(count: Int, seed: UInt64) -> [SimulatedReset.Start] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { i in
            var s = SimulatedReset.Start()
            let side: Double = i % 2 == 0 ? 1 : -1
            s.armAngle = side * (i < 2 ? 2.95 : rng.uniform(2.4...2.95))
            s.armVelocity = side * (i < 2 ? 3 : rng.uniform(0...3))
            switch i % 3 {
            case 0: s.pendulumAngle = rng.uniform(-3.0...3.0); s.pendulumVelocity = rng.uniform(-8...8)
            case 1: s.pendulumAngle = rng.uniform(-0.2...0.2); s.pendulumVelocity = side * rng.uniform(23...28)
            default: s.pendulumAngle = rng.uniform(-0.5...0.5); s.pendulumVelocity = rng.uniform(-3...3)
            }
            return s
        }
    }

    @Test(arguments: [0.0, 0.008])
    func anArmDraggedPastTheHardLimitIsBroughtBackInwardOnlyAndTheEpisodeStarts(latency: Double) throws {
        let plant = try PhysicsPlant(description: description)
        let sim = try SimulatedReset(plant: plant, nominal: robot, homing: homing(margin: 1.0), latencySeconds: latency)
        var times: [Double] = [], farthestPastStart = 0.0
        for start in Self.draggedStarts(count: 10, seed: 21) {
            var outwardBeyondSoftLimit = 0
            let outcome = try sim.run(from: start) { _, _, command in
                let theta = plant.physics.armAngle
                if abs(theta) > robot.arm.softLimitRad, command.send, command.duty * theta > 0 { outwardBeyondSoftLimit += 1 }
            }
            let s = try #require(outcome.seconds, "start θ \(start.armAngle) θ̇ \(start.armVelocity) α̇ \(start.pendulumVelocity): \(outcome.fault?.name ?? "none")")
            times.append(s)
            #expect(outwardBeyondSoftLimit == 0, "outward duty beyond the soft limit in \(outwardBeyondSoftLimit) periods")
            farthestPastStart = max(farthestPastStart, outcome.farthestArmRad - abs(start.armAngle))
            #expect(outcome.farthestArmRad < robot.arm.softLimitRad + 1.15, "arm reached \(outcome.farthestArmRad) rad")
            #expect(abs(outcome.pendulumAtStart) <= 0.1)
        }
        times.sort()
        print(String(format: "reset from beyond the hard limit, latency %.0f ms: median %.2f s, worst %.2f s over %d starts; arm at most %.3f rad past its start",
                     latency * 1000, times[times.count / 2], times.last!, times.count, farthestPastStart))
        #expect(times.last! <= 8, "worst \(times.last!) s")
    }

    /// Without the margin (`run`, a session's first reset) the same arm faults at its first
    /// sample and no duty but 0 is commanded; beyond the margin, likewise.
    @Test(arguments: [(0.0, 2.5), (1.0, 3.05), (1.0, 3.3)])
    func anArmBeyondWhatTheResetMayBringBackIsRefusedWithoutDuty(margin: Double, theta: Double) throws {
        let plant = try PhysicsPlant(description: description)
        let sim = try SimulatedReset(plant: plant, nominal: robot, homing: homing(margin: margin), latencySeconds: 0.004)
        var driven = 0
        let outcome = try sim.run(from: SimulatedReset.Start(armAngle: theta)) { _, _, command in
            if command.send, command.duty != 0 { driven += 1 }
        }
        #expect(outcome.seconds == nil)
        #expect(outcome.fault == .armBeyondHardLimit || outcome.fault == .homingArmOutsideSoftLimit, "\(outcome.fault?.name ?? "none")")
        #expect(driven == 0)
    }

    /// The recovery's own bounds, on made-up states: an arm that goes on outward more than
    /// 0.15 rad past θ_lim + margin (3.15 rad) faults `arm_beyond_hard_limit`; one that does not
    /// come back inside the soft limit within 3 s faults `arm_outside_limit_too_long`.
    @Test func aRecoveringArmThatGoesFurtherOutOrStaysOutFaults() throws {
        let found = 2.6
        let further = try runOnMadeUpStates(margin: 1.0) { t in found + 0.5 * t }
        #expect(further.fault == .armBeyondHardLimit)
        #expect(abs(further.faultAngle - (robot.arm.softLimitRad + 1.15)) < 0.01, "faulted at \(further.faultAngle) rad")
        let stuck = try runOnMadeUpStates(margin: 1.0) { _ in found }
        #expect(stuck.fault == .armOutsideLimitTooLong)
        #expect(abs(stuck.faultTime - 3) < 0.05, "faulted after \(stuck.faultTime) s")
        #expect(stuck.outwardCommands == 0)
        // Without the margin the hard limit stays where it is.
        let plain = try runOnMadeUpStates(margin: 0) { _ in found }
        #expect(plain.fault == .armBeyondHardLimit && plain.faultTime < 0.02)
    }

    private struct MadeUpRun { var fault: SafetyEventKind?; var faultTime = 0.0; var faultAngle = 0.0; var outwardCommands = 0 }

    /// The loop core homing on states whose arm angle follows `arm(t)` (rad) with the pendulum
    /// hanging still, 10 ms periods, until it stops or 6 s pass.
    private func runOnMadeUpStates(margin: Double, arm: (Double) -> Double) throws -> MadeUpRun {
        let policy = try FrozenPolicy(ControllerFixtures.constantPolicy(0, robot: robot))
        var configuration = ControlLoopConfiguration(limits: limits, periodSeconds: 0.01)
        configuration.homing = homing(margin: margin)
        configuration.homing.hangingRawPendulumAngle = 0
        let loop = ControlLoop(configuration: configuration, runner: PolicyRunner(policy: policy, motor: robot.motor))
        var run = MadeUpRun()
        for k in 0..<600 where loop.phase == .homing {
            let t = Double(k) * 0.01
            let theta = arm(t)
            let state = DeviceState(timeMicroseconds: UInt64(1_000 + k * 10_000), armCounts: robot.arm.encoderCounts(forAngleRad: theta),
                                    pendulumCounts: 0, lastCommandSequence: 0, appliedDutyQ15: 0, status: [], mode: .armed)
            var record = TickRecord()
            let command = loop.step(TickInput(timeNanoseconds: Int64(k) * 10_000_000, sample: state), record: &record)
            if command.send, command.duty * theta > 0 { run.outwardCommands += 1 }
            if loop.latchedFault != nil, run.fault == nil { (run.fault, run.faultTime, run.faultAngle) = (loop.latchedFault, t, theta) }
        }
        return run
    }
}
