import Controller
import FirmwareLink
import MotorModel
import PolicyFormat
import Testing

/// A device that goes on answering with valid frames that are not news: frozen clock, frozen
/// counts under duty, a clock jumping back or ahead. On the arm plant (robot.yaml's motor chain)
/// with the loop core; without these rules the loop took the frozen states as fresh.
struct StateFreshnessTests {
    private let robot: RobotParameters
    private let period = 0.01
    init() throws { robot = try ControllerFixtures.robot().parameters }

    private var limits: SafetyLimits { SafetyLimits(robot: robot) }

    private func loop(action: Float) throws -> ControlLoop {
        let policy = try FrozenPolicy(ControllerFixtures.constantPolicy(action, robot: robot))
        var configuration = ControlLoopConfiguration(limits: limits, periodSeconds: period)
        configuration.skipHoming = true
        return ControlLoop(configuration: configuration, runner: PolicyRunner(policy: policy, motor: robot.motor))
    }

    private func step(_ loop: ControlLoop, _ k: Int, _ sample: DeviceState?) -> (TickCommand, TickRecord) {
        var record = TickRecord()
        let command = loop.step(TickInput(timeNanoseconds: Int64(k) * 10_000_000, sample: sample), record: &record)
        return (command, record)
    }

    /// The case: the device's time and counts freeze while it goes on answering; the
    /// policy asks for constant duty. The run must stop on stale state within 5 periods of the
    /// freeze, the arm must stay inside the hard limit, and the motor end at 0.
    @Test func aDeviceWhoseClockFreezesIsStaleAndTheMotorStopsWithinTheStaleBound() throws {
        let loop = try loop(action: 0.4)
        var plant = ArmPlant(robot: robot)
        var frozen: DeviceState?
        let freezeTick = 20
        var faultTick: Int?
        var lastOutward = 0
        for k in 0..<300 {
            if k == freezeTick { frozen = plant.state() }
            var sample = frozen ?? plant.state()
            if frozen != nil { sample.appliedDutyQ15 = DutyScale.quantise(plant.duty) } // duty and replies stay real
            let (command, _) = step(loop, k, sample)
            plant.advance(seconds: 0.001)
            plant.apply(command)
            plant.advance(seconds: period - 0.001)
            if plant.duty > 0 { lastOutward = k }
            if faultTick == nil, loop.latchedFault != nil { faultTick = k }
            if loop.isFinished { break }
        }
        #expect(loop.latchedFault == .staleState)
        let fault = try #require(faultTick)
        #expect(fault - freezeTick <= limits.stalePeriods, "stale after \(fault - freezeTick) periods")
        #expect(lastOutward - freezeTick < limits.stalePeriods, "outward duty ended \(lastOutward - freezeTick) periods after the freeze")
        #expect(loop.staleSamples >= limits.stalePeriods)
        #expect(plant.farthest < limits.armHardLimitRad, "reached \(plant.farthest) rad")
        #expect(loop.isFinished)
        #expect(!plant.enabled || plant.duty == 0, "the motor ends at 0")
        #expect(loop.events.events.filter { $0.kind == .staleState }.count == 1, "the fault is logged once")
    }

    /// Time goes on but the arm's counts do not while full duty is applied (an encoder unplugged):
    /// by the motor model the arm must have moved, so the states are stale and the run stops.
    @Test func frozenCountsUnderDutyThatMustMoveTheArmAreStale() throws {
        let loop = try loop(action: 1)
        var faultTick: Int?
        for k in 0..<40 {
            // Counts stuck at 0, device time advancing, the device applying what it was told.
            let applied = DutyScale.quantise(loop.holdCommand.flags.contains(.enable) ? loop.holdCommand.duty : 0)
            let state = DeviceState(timeMicroseconds: UInt64(1_000 + k * 10_000), armCounts: 0, pendulumCounts: 0,
                                    lastCommandSequence: 0, appliedDutyQ15: applied, status: [], mode: .armed)
            _ = step(loop, k, state)
            if faultTick == nil, loop.latchedFault != nil { faultTick = k }
        }
        #expect(loop.latchedFault == .staleState)
        #expect(try #require(faultTick) <= 2 + 5, "full duty moves the arm 20 counts in 2 periods; then 5 stale periods")
        #expect(loop.events.events.contains { $0.kind == .stateStale })
    }

    /// A duty that flips sign every period (a balancing policy's chatter, a ±deadzone centring
    /// pull) drives the arm back and forth: by the model it may end where it started, so counts
    /// that do not change are not evidence of a frozen encoder. The old rule integrated |torque|
    /// and called these states stale within a few periods.
    @Test func frozenCountsUnderDutyThatFlipsSignEveryPeriodAreFresh() throws {
        var freshness = StateFreshness(limits: limits, armCountsPerRevolution: robot.arm.encoderCountsPerRevolution)
        for k in 0..<200 {
            let duty = k.isMultiple(of: 2) ? 1.0 : -1.0
            let state = DeviceState(timeMicroseconds: UInt64(1_000 + k * 10_000), armCounts: 0, pendulumCounts: 0,
                                    lastCommandSequence: 0, appliedDutyQ15: DutyScale.quantise(duty), status: [], mode: .armed)
            #expect(freshness.judge(state, hostSeconds: Double(k) * period) == .fresh, "period \(k)")
        }
    }

    /// The same full duty held in one direction for two periods with counts that never change is
    /// stale even after a run of sign flips (the prediction restarts from rest at each flip).
    @Test func frozenCountsUnderDutyHeldInOneDirectionAfterFlipsAreStale() throws {
        var freshness = StateFreshness(limits: limits, armCountsPerRevolution: robot.arm.encoderCountsPerRevolution)
        var verdicts: [StateFreshness.Verdict] = []
        for k in 0..<30 {
            let duty = k < 20 ? (k.isMultiple(of: 2) ? 1.0 : -1.0) : 1.0
            let state = DeviceState(timeMicroseconds: UInt64(1_000 + k * 10_000), armCounts: 0, pendulumCounts: 0,
                                    lastCommandSequence: 0, appliedDutyQ15: DutyScale.quantise(duty), status: [], mode: .armed)
            verdicts.append(freshness.judge(state, hostSeconds: Double(k) * period))
        }
        #expect(verdicts[..<20].allSatisfy { $0 == .fresh })
        #expect(verdicts[20...].contains(.frozenCounts), "\(verdicts[20...])")
    }

    /// Counts that do not move while the duty is inside the deadzone are a resting arm, not a fault.
    @Test func frozenCountsWithoutEnoughDutyToMoveTheArmAreFresh() throws {
        let loop = try loop(action: 0)
        for k in 0..<50 {
            let state = DeviceState(timeMicroseconds: UInt64(1_000 + k * 10_000), armCounts: 0, pendulumCounts: 0,
                                    lastCommandSequence: 0, appliedDutyQ15: DutyScale.quantise(0.05), status: [], mode: .armed)
            _ = step(loop, k, state)
        }
        #expect(loop.latchedFault == nil)
        #expect(loop.staleSamples == 0)
    }

    @Test func aDeviceClockGoingBackwardsIsAFault() throws {
        let loop = try loop(action: 0)
        var plant = ArmPlant(robot: robot)
        for k in 0..<5 {
            _ = step(loop, k, plant.state())
            plant.advance(seconds: period)
        }
        var back = plant.state()
        back.timeMicroseconds -= 30_000
        _ = step(loop, 5, back)
        #expect(loop.latchedFault == .deviceClockBackwards)
    }

    @Test func aDeviceClockJumpingFarAheadOfTheHostIsAFault() throws {
        let loop = try loop(action: 0)
        var plant = ArmPlant(robot: robot)
        for k in 0..<5 {
            _ = step(loop, k, plant.state())
            plant.advance(seconds: period)
        }
        var ahead = plant.state()
        ahead.timeMicroseconds += 200_000
        _ = step(loop, 5, ahead)
        #expect(loop.latchedFault == .deviceClockJump)
    }

    /// Lost states and a late one (within the jump tolerance) are not clock faults.
    @Test func aClockThatAdvancesWithTheHostAcrossMissedPeriodsIsFresh() throws {
        let loop = try loop(action: 0)
        var plant = ArmPlant(robot: robot)
        for k in 0..<20 {
            let deliver = !(8..<12).contains(k)
            _ = step(loop, k, deliver ? plant.state() : nil)
            plant.advance(seconds: period)
        }
        #expect(loop.latchedFault == nil)
        #expect(loop.samplesMissed == 4)
    }

    /// Frames vanishing without being damaged (another reader on the port) stop the run.
    @Test func framesLostBeyondTheBucketAreAFault() throws {
        let loop = try loop(action: 0)
        var plant = ArmPlant(robot: robot)
        var lost = 0
        for k in 0..<30 {
            var input = TickInput(timeNanoseconds: Int64(k) * 10_000_000, sample: plant.state())
            if k % 10 == 0 { lost += 1 } // isolated losses drain away
            input.unexplainedLostFrames = lost
            var record = TickRecord()
            _ = loop.step(input, record: &record)
            plant.advance(seconds: period)
        }
        #expect(loop.latchedFault == nil)
        for k in 30..<50 {
            var input = TickInput(timeNanoseconds: Int64(k) * 10_000_000, sample: plant.state())
            lost += 1 // one lost per period, as with a second controller reading half the replies
            input.unexplainedLostFrames = lost
            var record = TickRecord()
            _ = loop.step(input, record: &record)
            plant.advance(seconds: period)
        }
        #expect(loop.latchedFault == .framesLost)
    }

    /// A hard-limit fault is one event, not two (it was logged as an event and again as the fault).
    @Test func aHardLimitFaultIsLoggedOnce() throws {
        let loop = try loop(action: 0)
        let counts = robot.arm.encoderCounts(forAngleRad: 2.5)
        for k in 0..<2 {
            let state = DeviceState(timeMicroseconds: UInt64(1_000 + k * 10_000), armCounts: counts, pendulumCounts: 0,
                                    lastCommandSequence: 0, appliedDutyQ15: 0, status: [], mode: .armed)
            _ = step(loop, k, state)
        }
        #expect(loop.latchedFault == .armBeyondHardLimit)
        #expect(loop.events.events.filter { $0.kind == .armBeyondHardLimit }.count == 1)
    }
}
