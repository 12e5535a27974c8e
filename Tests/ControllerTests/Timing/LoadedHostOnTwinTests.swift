import Controller
import Foundation
import Testing
import Twin

extension RealTimeSessions {
    /// Both cores saturated by a CPU hog at ordinary priority: the loop (SCHED_FIFO 80) and the
    /// twin's device clock (SCHED_FIFO 70) hold their schedules, and a nominal deployment passes.
    /// Where SCHED_FIFO is refused (no root or CAP_SYS_NICE) this cannot hold, and the test says so
    /// instead of passing: it requires the grant.
    @Suite(.serialized) struct LoadedHostOnTwinTests {
        @Test func nominalDeploymentPassesWithEveryCoreBusy() throws {
            let robot = try ControllerFixtures.robot()
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let hog = CPUHog(threads: ProcessInfo.processInfo.activeProcessorCount, nice: 0)
            hog.start()
            defer { hog.stop() }
            let configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath, port: device.slavePath,
                                                                 robot: robot.parameters, seconds: 8)
            let session = try ControllerSession(configuration: configuration, robot: robot.parameters)
            let summary = try session.run()
            #expect(summary.realtime.fifoPriority != nil, "SCHED_FIFO refused: \(summary.realtime.warnings)")
            #expect(device.snapshot.fifoPriority != nil, "twin SCHED_FIFO refused: \(device.snapshot.realtimeWarning ?? "")")
            #expect(summary.outcome == "completed", "fault \(summary.fault ?? "-"), events \(summary.safetyEvents.map(\.kind))")
            #expect(summary.longestUprightS >= 4)
            #expect(summary.overruns.count == 0)
        }
    }
}
