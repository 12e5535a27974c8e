import Controller
import Foundation
import Testing
import Twin

extension RealTimeSessions {
    /// The known-good policy deployed on the twin through a real pty: homing, swing-up, balance.
    @Suite(.serialized) struct SwingUpOnTwinTests {
        @Test func knownGoodPolicySwingsUpAndHoldsUprightForFiveSeconds() throws {
            let robot = try ControllerFixtures.robot()
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let log = ControllerFixtures.temporaryPath("run.csv")
            let summaryPath = ControllerFixtures.temporaryPath("summary.json")
            var configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath, port: device.slavePath,
                                                                 robot: robot.parameters, seconds: 10)
            configuration.logPath = log
            configuration.summaryPath = summaryPath
            let session = try ControllerSession(configuration: configuration, robot: robot.parameters)
            let summary = try session.run()

            #expect(summary.longestUprightS >= 5, "summary: \(summary)")
            #expect(summary.outcome == "completed")
            #expect(summary.fault == nil)
            #expect(summary.motorStopConfirmed)
            #expect(device.snapshot.appliedDutyQ15 == 0)
            #expect(summary.overruns.count == 0)
            #expect(summary.frames.corrupt == 0)
            // The summary file says the same, with the documented keys.
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summaryPath))) as? [String: Any])
            #expect((json["longest_upright_s"] as? Double ?? 0) >= 5)
            for key in ["jitter_us", "overruns", "inference_us", "safety_events", "frames"] { #expect(json[key] != nil, "missing \(key)") }
            let jitter = try #require(json["jitter_us"] as? [String: Any])
            for key in ["p50_us", "p99_us", "p999_us", "max_us"] { #expect(jitter[key] != nil, "missing jitter \(key)") }
            // The log has a header and one line per period.
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            #expect(lines.first.map(String.init) == TelemetryCSV.header)
            #expect(lines.count - 1 == summary.ticks)
        }
    }
}
