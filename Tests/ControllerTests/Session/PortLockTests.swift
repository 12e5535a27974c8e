import Controller
import FirmwareLink
import Foundation
import Testing
import Twin

extension RealTimeSessions {
    /// One controller per port: a second `run` (or a `probe`) on a port in use is refused with a
    /// message naming the holder, and the first run is not disturbed (no lost frames, no fault).
    @Suite(.serialized) struct PortLockTests {
        private var binary: String { BuiltProducts.executable("furuta-controller") }

        @Test func secondControllerOnThePortIsRefusedAndTheFirstRunsUndisturbed() throws {
            let robot = try ControllerFixtures.robot()
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath, port: device.slavePath,
                                                                 robot: robot.parameters, seconds: 4)
            let first = try ControllerSession(configuration: configuration, robot: robot.parameters)
            let result = SummaryBox()
            let thread = Thread { result.set(try? first.run()) }
            thread.start()
            #expect(eventually(within: .seconds(5)) { device.snapshot.appliedDutyQ15 != 0 }, "the first run drives the motor")

            // In this process (a second open file description: flock refuses it too).
            let second = try ControllerSession(configuration: configuration, robot: robot.parameters)
            #expect {
                _ = try second.run()
            } throws: { error in
                guard case .portInUse(let port, let holder) = error as? ControllerError else { return false }
                return port == device.slavePath && holder.contains("pid \(getpid())")
            }
            // And the built binary, as a user would start it.
            let run = try ChildProcess.run(binary, ["run", "--policy", ControllerFixtures.swingUpPolicyPath, "--port", device.slavePath,
                                                    "--robot", ControllerFixtures.robotPath, "--duration", "1", "--no-memory-lock"],
                                           timeout: .seconds(20))
            #expect(run.status == 1)
            #expect(run.standardError.contains("\(device.slavePath) is in use by pid \(getpid())"), "\(run.standardError)")
            let probe = try ChildProcess.run(binary, ["probe", "--port", device.slavePath], timeout: .seconds(20))
            #expect(probe.status != 0 && probe.status < 128)
            #expect(probe.standardError.contains("is in use by pid"), "\(probe.standardError)")

            #expect(eventually(within: .seconds(10)) { result.value != nil })
            let summary = try #require(result.value)
            #expect(summary.outcome == "completed")
            #expect(summary.fault == nil)
            #expect(summary.frames.lost == 0)
            #expect(device.snapshot.mode == .disarmed, "left disarmed by the first run, not by the probe mid-run")
            // Released: the port can be used again.
            let after = try ChildProcess.run(binary, ["probe", "--port", device.slavePath], timeout: .seconds(20))
            #expect(after.status == 0, "\(after.standardError)")
        }
    }
}

final class SummaryBox: @unchecked Sendable {
    private let lock = NSLock()
    private var summary: RunSummary?
    func set(_ value: RunSummary?) { lock.withLock { summary = value } }
    var value: RunSummary? { lock.withLock { summary } }
}
