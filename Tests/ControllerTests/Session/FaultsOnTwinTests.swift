import Controller
import FirmwareLink
import Foundation
import MotorModel
import Testing
import Twin

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

    /// A policy that pushes the arm outward at full duty: beyond the soft limit only inward duty
    /// passes, so the applied duty is 0 within 2 periods (20 ms) of the first state beyond it.
    @Test func policyDrivingTheArmIntoItsLimitIsCutOffAtTheSoftLimit() throws {
        let robot = try ControllerFixtures.robot()
        let policy = try ControllerFixtures.write(ControllerFixtures.constantPolicy(1, robot: robot.parameters))
        let log = ControllerFixtures.temporaryPath("limit.csv")
        let (summary, device, _) = try run(faults: .none, policy: policy, seconds: 6, log: log)
        defer { device.close() }
        let limit = robot.parameters.arm.softLimitRad
        #expect(summary.safetyEvents.contains { $0.kind == "arm_soft_limit_entered" })
        #expect(summary.fault == "arm_outside_limit_too_long" || summary.fault == "arm_beyond_hard_limit", "\(summary.fault ?? "none")")
        #expect(summary.outwardBlockedTicks > 0)
        let rows = try TelemetryRows(path: log)
        let crossing = try #require(rows.first { $0.hasSample && abs($0.armAngle) > limit })
        let stopped = try #require(rows.first { $0.hasSample && $0.deviceTime > crossing.deviceTime && $0.dutyApplied == 0 })
        #expect(stopped.deviceTime - crossing.deviceTime <= 0.020 + 0.001)
        for row in rows where row.tick >= crossing.tick && row.phase != "homing" {
            #expect(row.dutyCommanded * row.armAngle <= 0 || abs(row.armAngle) <= limit - 0.2, "outward duty beyond the limit at tick \(row.tick)")
        }
        #expect(device.snapshot.appliedDutyQ15 == 0)
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
