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

        /// A loaded host holds a new thread off the CPU: 150 ms between the loop thread's
        /// creation and its first instruction, three times the firmware watchdog (50 ms). The loop
        /// thread arms the device itself (`ArmedLoopStart`), so the watchdog starts counting only
        /// once it runs; a `rearm` sent before the thread was created tripped it before the first
        /// command (`device_watchdog` at the first tick, 4 of 50 rehearsal episodes).
        @Test func aLoopThreadHeldOffTheCPUAtItsStartDoesNotTripTheWatchdog() throws {
            let robot = try ControllerFixtures.robot()
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath, port: device.slavePath,
                                                                 robot: robot.parameters, seconds: 1)
            let session = try ControllerSession(configuration: configuration, robot: robot.parameters)
            session.launchLoopThread = ControllerFixtures.loopThreadHeldOff(seconds: 0.15)
            let summary = try session.run()
            #expect(summary.fault == nil, "fault \(summary.fault ?? "-"), events \(summary.safetyEvents.map(\.kind))")
            #expect(summary.outcome == "completed")
            #expect(summary.motorStopConfirmed)
        }
    }
}
