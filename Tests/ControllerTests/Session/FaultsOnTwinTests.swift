import Controller
import FirmwareLink
import Foundation
import MotorModel
import Testing
import Twin

extension RealTimeSessions {
    /// Faults injected on the twin while a policy runs. Each test states the bound within which the
    /// duty reaching the twin's motor must be 0 after the fault, and checks that the session ends
    /// by itself with the fault reported.
    @Suite(.serialized) struct FaultsOnTwinTests {
        /// Runs the known-good policy (or `policy`) against a twin with `faults`.
        private func run(faults: FaultInjection, policy: String = ControllerFixtures.swingUpPolicyPath, seconds: Double = 4,
                         log: String? = nil) throws -> (RunSummary, VirtualDevice, Double) {
            let robot = try ControllerFixtures.robot()
            let device = try ControllerFixtures.startTwin(faults: faults)
            var configuration = ControllerFixtures.configuration(policy: policy, port: device.slavePath,
                                                                 robot: robot.parameters, seconds: seconds)
            configuration.logPath = log
            let session = try ControllerSession(configuration: configuration, robot: robot.parameters)
            let start = ContinuousClock.now
            let summary = try session.run()
            let elapsed = (ContinuousClock.now - start) / .seconds(1)
            return (summary, device, elapsed)
        }

        /// Bound: the firmware watchdog (5 periods = 50 ms) plus one twin pass (0.5 ms) after the cable goes.
        @Test func disconnectMidRunStopsTheMotorWithinTheWatchdogTimeout() throws {
            var faults = FaultInjection()
            faults.disconnectAfter = 2.0
            let (summary, device, elapsed) = try run(faults: faults)
            defer { device.close() }
            #expect(summary.fault == "link_lost")
            #expect(summary.outcome == "fault")
            #expect(elapsed < 3.5, "the session must end by itself soon after the disconnect")
            #expect(eventually(within: .seconds(1)) { device.snapshot.appliedDutyQ15 == 0 })
            let zero = try #require(device.zeroSince(after: 2.0))
            #expect(zero <= 2.0 + 0.050 + 0.005, "duty reached 0 at \(zero) s")
            #expect(device.snapshot.watchdogTrips >= 1)
        }

        /// 1 % of bytes corrupted each way: frames are dropped and counted, the run goes on.
        @Test func corruptedBytesAreCountedAndTheRunContinues() throws {
            var faults = FaultInjection()
            faults.corruptByteProbability = 0.01
            let (summary, device, _) = try run(faults: faults, seconds: 3)
            defer { device.close() }
            #expect(summary.fault == nil, "events: \(summary.safetyEvents.filter { $0.isFault })")
            #expect(summary.outcome == "completed")
            #expect(summary.frames.corrupt > 0)
            #expect(summary.samplesMissed > 0)
            #expect(device.snapshot.received.corruptFrames > 0)
            #expect(summary.motorStopConfirmed)
            #expect(device.snapshot.appliedDutyQ15 == 0)
        }

        /// The device stops answering: the host sees stale state after 5 periods; the firmware
        /// watchdog has already zeroed the motor 50 ms after the last command it read.
        @Test func deviceStallStopsTheMotorWithinTheWatchdogTimeout() throws {
            var faults = FaultInjection()
            faults.stallAfter = 2.0
            let (summary, device, elapsed) = try run(faults: faults)
            defer { device.close() }
            #expect(summary.fault == "stale_state")
            #expect(!summary.motorStopConfirmed, "a stalled device cannot confirm")
            #expect(elapsed < 3.5)
            let zero = try #require(device.zeroSince(after: 2.0))
            #expect(zero <= 2.0 + 0.050 + 0.005, "duty reached 0 at \(zero) s")
        }

        /// A brownout resets the device (motor 0 at once); the host sees "not ready", latches the
        /// fault and confirms the stop with a new handshake.
        @Test func brownoutMidRunIsLatchedAndTheStopConfirmedByANewHandshake() throws {
            var faults = FaultInjection()
            faults.brownoutAfter = 2.0
            let (summary, device, elapsed) = try run(faults: faults)
            defer { device.close() }
            #expect(summary.fault == "device_reset")
            #expect(summary.motorStopConfirmed)
            #expect(elapsed < 3.5)
            let zero = try #require(device.zeroSince(after: 2.0))
            #expect(zero <= 2.0 + 0.001)
            #expect(device.snapshot.brownouts == 1)
        }

        /// A policy whose output is NaN never drives the motor: fault at its first step. (Homing's
        /// probe pulse moves it once before the policy runs; nothing after the policy's first step.)
        @Test func nonFinitePolicyOutputIsAFaultAndTheMotorStaysOff() throws {
            let robot = try ControllerFixtures.robot()
            let policy = try ControllerFixtures.write(ControllerFixtures.nanPolicy(robot: robot.parameters))
            let log = ControllerFixtures.temporaryPath("nan.csv")
            let (summary, device, elapsed) = try run(faults: .none, policy: policy, log: log)
            defer { device.close() }
            #expect(summary.fault == "non_finite_action")
            #expect(summary.motorStopConfirmed)
            #expect(elapsed < 4)
            let rows = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
            let header = TelemetryCSV.header.split(separator: ",")
            let phase = header.firstIndex(of: "phase")!, deviceTime = header.firstIndex(of: "device_time_us")!
            let hasSample = header.firstIndex(of: "has_sample")!
            // The first period past homing with a state: the policy's first (and only) step.
            let policyStart = try #require(rows.first { $0[phase] != "homing" && $0[hasSample] == "1" }.flatMap { Double($0[deviceTime]) })
            #expect(device.dutyChanges.allSatisfy { $0.dutyQ15 == 0 || Double($0.timeMicroseconds) < policyStart },
                    "the policy never moved the motor")
        }

        /// The worst policy: full duty outward, on the twin (MuJoCo arm and pendulum behind the
        /// firmware). Duty 0 at the limit used to let the arm coast to ~9 rad; the stopping envelope
        /// brakes from the predicted stopping distance, so the arm (the plant's truth, polled every
        /// millisecond) never passes the hard limit and stays near the soft one, on both sides.
        @Test(arguments: [Float(1), Float(-1)])
        func fullOutwardPolicyIsBrakedAndNeverPassesTheHardLimit(action: Float) throws {
            let robot = try ControllerFixtures.robot()
            let limits = SafetyLimits(robot: robot.parameters)
            let policy = try ControllerFixtures.write(ControllerFixtures.constantPolicy(action, robot: robot.parameters))
            let log = ControllerFixtures.temporaryPath("limit.csv")
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let truth = ArmTruth(device: device, countsPerRevolution: robot.parameters.arm.encoderCountsPerRevolution)
            var configuration = ControllerFixtures.configuration(policy: policy, port: device.slavePath,
                                                                 robot: robot.parameters, seconds: 4)
            configuration.logPath = log
            let summary = try ControllerSession(configuration: configuration, robot: robot.parameters).run()
            let farthest = truth.stop()
            print("twin, constant action \(action): |θ|max \(farthest) rad, braking ticks \(summary.brakingTicks)")
            #expect(farthest < limits.armHardLimitRad, """
                the arm reached \(farthest) rad (hard limit \(limits.armHardLimitRad)); overruns \(summary.overruns.count), \
                missed \(summary.samplesMissed), events \(summary.safetyEvents.filter { $0.kind != "state_missed" }.prefix(20).map(\.kind))
                """)
            #expect(farthest < limits.armSoftLimitRad + 0.1, "braked before the soft limit: reached \(farthest) rad")
            #expect(farthest > limits.armSoftLimitRad - 0.6, "the policy did drive it outward: \(farthest) rad")
            #expect(summary.brakingTicks > 0)
            #expect(summary.safetyEvents.contains { $0.kind == "braking_engaged" })
            #expect(summary.fault == nil || summary.fault == "arm_outside_limit_too_long", "\(summary.fault ?? "none")")
            #expect(summary.motorStopConfirmed)
            // Beyond the soft limit no outward duty is ever commanded.
            let rows = try TelemetryRows(path: log)
            for row in rows where row.hasSample && abs(row.armAngle) > limits.armSoftLimitRad && row.phase != "homing" {
                #expect(row.dutyCommanded * row.armAngle <= 0, "outward duty beyond the limit at tick \(row.tick)")
            }
            #expect(device.snapshot.appliedDutyQ15 == 0)
        }

        /// The issue's case on the twin: the firmware's clock and counts freeze mid-run while it goes
        /// on answering (its own watchdog, on the frozen clock, never trips). The host must see stale
        /// state, end outward drive within the stale bound (5 periods), keep the arm inside the hard
        /// limit, and say fault.
        @Test func deviceWhoseClockFreezesIsStoppedWithinTheStaleBound() throws {
            let robot = try ControllerFixtures.robot()
            let limits = SafetyLimits(robot: robot.parameters)
            var faults = FaultInjection()
            faults.freezeClockAfter = 2.5
            let device = try ControllerFixtures.startTwin(faults: faults)
            defer { device.close() }
            let truth = ArmTruth(device: device, countsPerRevolution: robot.parameters.arm.encoderCountsPerRevolution)
            let configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath, port: device.slavePath,
                                                                 robot: robot.parameters, seconds: 6)
            let start = ContinuousClock.now
            let summary = try ControllerSession(configuration: configuration, robot: robot.parameters).run()
            let elapsed = (ContinuousClock.now - start) / .seconds(1)
            let farthest = truth.stop()
            print("twin, frozen clock: |θ|max \(farthest) rad, stale samples \(summary.staleSamples), fault \(summary.fault ?? "none")")
            #expect(summary.fault == "stale_state", "\(summary.fault ?? "none")")
            #expect(summary.outcome == "fault")
            #expect(summary.staleSamples >= limits.stalePeriods)
            #expect(elapsed < 4, "the session must end soon after the freeze, took \(elapsed) s")
            #expect(farthest < limits.armHardLimitRad, "the arm reached \(farthest) rad")
            // The device's own record is on its frozen clock: the truth is the duty at the end.
            #expect(eventually(within: .seconds(1)) { device.snapshot.appliedDutyQ15 == 0 })
            let events = summary.safetyEvents
            let frozenAt = try #require(events.first { $0.kind == "state_stale" }).timeS
            let faultAt = try #require(events.first { $0.kind == "stale_state" }).timeS
            #expect(faultAt - frozenAt <= Double(limits.stalePeriods) * 0.01 + 0.001, "stale fault \(faultAt - frozenAt) s after the first frozen state")
        }
    }
}

/// The twin's true arm angle, polled every millisecond on a thread of its own: |θ|max.
final class ArmTruth: @unchecked Sendable {
    private let lock = NSLock()
    private var farthest = 0.0
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init(device: VirtualDevice, countsPerRevolution: Int) {
        let thread = Thread { [self] in
            while lock.withLock({ running }) {
                let counts = device.withPlant { $0.armCounts }
                let angle = abs(Double(counts) * 2 * .pi / Double(countsPerRevolution))
                lock.withLock { farthest = max(farthest, angle) }
                Thread.sleep(forTimeInterval: 0.001)
            }
            done.signal()
        }
        thread.start()
    }

    /// Stops polling; returns the largest |θ| seen, rad.
    func stop() -> Double {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { farthest }
    }
}

/// The `--log` CSV read back.
struct TelemetryRows {
    struct Row {
        var tick: Int
        var phase: String
        var hasSample: Bool
        var deviceTime: Double
        var armAngle: Double
        var dutyCommanded: Double
        var dutyApplied: Double
    }

    let rows: [Row]

    init(path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        let (tick, phase, has, time, arm, commanded, applied) = (column("tick"), column("phase"), column("has_sample"),
            column("device_time_us"), column("arm_angle_rad"), column("duty_commanded"), column("duty_applied"))
        rows = lines.dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Row(tick: Int(f[tick])!, phase: f[phase], hasSample: f[has] == "1", deviceTime: Double(f[time])! * 1e-6,
                       armAngle: Double(f[arm])!, dutyCommanded: Double(f[commanded])!, dutyApplied: Double(f[applied])!)
        }
    }

    func first(where predicate: (Row) -> Bool) -> Row? { rows.first(where: predicate) }
}

extension TelemetryRows: Sequence {
    func makeIterator() -> IndexingIterator<[Row]> { rows.makeIterator() }
}

/// Polls `condition` every millisecond until it holds or `timeout` passes.
func eventually(within timeout: Duration, _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.001)
    }
    return condition()
}
