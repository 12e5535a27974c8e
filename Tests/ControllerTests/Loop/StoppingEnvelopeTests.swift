import Controller
import FirmwareLink
import MotorModel
import PolicyFormat
import Testing

/// The hard limit against the worst policy: full duty outward from every state the envelope
/// still calls safe, with samples lost at the worst moment, on the arm plant (robot.yaml's motor
/// chain). Duty 0 alone lets the arm coast ~10 rad from 40 rad/s; these tests fail without
/// braking from the predicted stopping distance.
struct StoppingEnvelopeTests {
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

    /// Runs the loop on the plant for `seconds`: sample at each period start, command applied
    /// 1 ms later; `dropped` periods deliver no state. Returns the plant afterwards.
    private func drive(_ loop: ControlLoop, plant start: ArmPlant, seconds: Double,
                       dropped: Set<Int> = []) -> ArmPlant {
        var plant = start
        // A sample one period earlier on the same trajectory, as a running loop would have had.
        var prior = plant
        prior.angle -= plant.velocity * period
        prior.timeSeconds = 0
        var record = TickRecord()
        _ = loop.step(TickInput(timeNanoseconds: 0, sample: prior.state()), record: &record)
        plant.timeSeconds = period
        for k in 1...Int(seconds / period) {
            let input = TickInput(timeNanoseconds: Int64(k) * 10_000_000, sample: dropped.contains(k) ? nil : plant.state())
            var record = TickRecord()
            let command = loop.step(input, record: &record)
            plant.advance(seconds: 0.001)
            plant.apply(command)
            plant.advance(seconds: period - 0.001)
            if loop.isFinished { plant.advance(seconds: 1); break }
        }
        return plant
    }

    @Test func fullOutwardDutyFromRestStopsInsideTheHardLimitOnBothSides() throws {
        for side in [1.0, -1.0] {
            let loop = try loop(action: Float(side))
            let plant = drive(loop, plant: ArmPlant(robot: robot), seconds: 3)
            #expect(plant.farthest < limits.armHardLimitRad, "side \(side): reached \(plant.farthest) rad")
            #expect(plant.farthest <= limits.armSoftLimitRad + 0.05, "side \(side): the brake holds the soft limit, reached \(plant.farthest)")
            #expect(loop.brakingTicks > 0)
            #expect(loop.events.events.contains { $0.kind == .brakingEngaged })
        }
    }

    /// Every state (θ0, ω0) on a grid whose predicted stop the envelope calls inside θ_lim, then
    /// full outward duty: the arm never passes the hard limit.
    @Test func worstPolicyFromEveryStateTheEnvelopeAcceptsNeverPassesTheHardLimit() throws {
        var probe = StoppingEnvelope(limits: limits, periodSeconds: period)
        var worst = 0.0, cases = 0
        for side in [1.0, -1.0] {
            for theta0 in stride(from: -1.5, through: 1.95, by: 0.45) {
                for omega0 in stride(from: 0.0, through: 40.0, by: 8) {
                    probe.observe(angle: side * theta0 - side * omega0 * period, deviceMicroseconds: 0)
                    probe.observe(angle: side * theta0, deviceMicroseconds: 10_000)
                    guard probe.predictedStop(side: side) < limits.armSoftLimitRad else { continue }
                    let loop = try loop(action: Float(side))
                    let plant = drive(loop, plant: ArmPlant(robot: robot, angle: side * theta0, velocity: side * omega0),
                                      seconds: 1.0)
                    worst = max(worst, plant.farthest)
                    cases += 1
                    #expect(plant.farthest < limits.armHardLimitRad, "θ0 \(side * theta0), ω0 \(side * omega0): reached \(plant.farthest)")
                }
            }
        }
        #expect(cases > 20, "\(cases) cases")
        #expect(worst > limits.armSoftLimitRad - 0.3, "the sweep reaches the limit region (worst \(worst))")
        print("worst outward policy from \(cases) accepted states: farthest \(worst) rad (hard limit \(limits.armHardLimitRad))")
    }

    /// Full outward duty with four states in a row lost (one short of the stale fault) at every
    /// moment of the approach: dead reckoning through the gap still brakes in time.
    @Test func samplesLostAtTheWorstMomentStillStopInsideTheHardLimit() throws {
        var worst = 0.0
        for gapStart in stride(from: 5, through: 40, by: 3) {
            let loop = try loop(action: 1)
            let plant = drive(loop, plant: ArmPlant(robot: robot), seconds: 2, dropped: Set(gapStart..<(gapStart + 4)))
            worst = max(worst, plant.farthest)
            #expect(plant.farthest < limits.armHardLimitRad, "gap from tick \(gapStart): reached \(plant.farthest)")
        }
        #expect(worst > limits.armSoftLimitRad - 0.2)
        print("full outward duty with 4 states lost at the worst moment: farthest \(worst) rad")
    }

    /// A safe stop brakes a fast arm to rest within the duty limit instead of letting it coast.
    @Test func safeStopBrakesAMovingArmToRestBeforeDutyZero() throws {
        let loop = try loop(action: 0)
        var plant = ArmPlant(robot: robot, angle: -1.0, velocity: 25)
        var record = TickRecord()
        _ = loop.step(TickInput(timeNanoseconds: 0, sample: { var p = plant; p.angle -= 0.25; return p.state() }()), record: &record)
        plant.timeSeconds = period
        var stopAt: Double?
        for k in 1...100 {
            var input = TickInput(timeNanoseconds: Int64(k) * 10_000_000, sample: plant.state())
            input.stop = k >= 1 ? .graceful : .none
            var record = TickRecord()
            let command = loop.step(input, record: &record)
            if command.send, command.duty != 0 { #expect(abs(command.duty) <= limits.dutyLimit) }
            plant.apply(command)
            plant.advance(seconds: period)
            if stopAt == nil, abs(plant.velocity) < 1 { stopAt = plant.angle }
            if loop.isFinished { break }
        }
        #expect(loop.phase == .stopped)
        #expect(loop.stopConfirmed == true)
        let stopped = try #require(stopAt)
        // Coasting from 25 rad/s (back-EMF only, τ = J/b ≈ 0.25 s) would travel ~6 rad.
        #expect(stopped < -1.0 + 1.5, "stopped at \(stopped) rad")
        #expect(loop.brakingTicks > 0)
    }

    /// Beyond θ_lim − h an arm moving back inward is not braked (that would push it outward);
    /// inside, it is.
    @Test func safeStopDoesNotPushAnArmThatIsLeavingTheLimit() throws {
        var envelope = StoppingEnvelope(limits: limits, periodSeconds: period)
        envelope.observe(angle: 2.3, deviceMicroseconds: 0)
        envelope.observe(angle: 2.2, deviceMicroseconds: 10_000) // −10 rad/s, inward
        #expect(envelope.stopDuty(innerLimit: 1.8) == nil)
        envelope.observe(angle: 1.7, deviceMicroseconds: 60_000)
        let inside = try #require(envelope.stopDuty(innerLimit: 1.8))
        #expect(inside > 0, "braking −10 rad/s takes positive duty")
        envelope.observe(angle: 1.8, deviceMicroseconds: 70_000) // +10 rad/s, outward
        #expect(try #require(envelope.stopDuty(innerLimit: 1.8)) < 0)
    }

    @Test func stoppingDistanceGrowsWithSpeedAndCoversTheBrakeLatency() {
        let table = StoppingDistanceTable(arm: ArmDynamics(robot: robot), side: 1, dutyLimit: 1,
                                          latencySeconds: 0.02, factor: 1)
        let atRest = table.distance(outwardVelocity: 0)
        let slow = table.distance(outwardVelocity: 10)
        let fast = table.distance(outwardVelocity: 40)
        // At rest: ½·a·L² of outward travel at full duty, then as much again to brake (a ≈ 330 rad/s²).
        #expect(atRest > 0.05 && atRest < 0.2, "\(atRest)")
        #expect(slow > 10 * 0.02, "at least the latency's travel: \(slow)")
        #expect(fast > slow && fast < 10, "\(fast)")
        #expect(table.distance(outwardVelocity: -15) < 0.01, "moving away: \(table.distance(outwardVelocity: -15))")
        let shipped = StoppingDistanceTable(arm: ArmDynamics(robot: robot), side: 1, dutyLimit: 1,
                                            latencySeconds: limits.brakeLatencyPeriods * period, factor: limits.stoppingDistanceFactor)
        print("e(w) with the default limits: e(0) \(shipped.distance(outwardVelocity: 0)), e(10) \(shipped.distance(outwardVelocity: 10)), "
              + "e(20) \(shipped.distance(outwardVelocity: 20)), e(40) \(shipped.distance(outwardVelocity: 40)) rad")
    }
}
