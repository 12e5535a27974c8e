import Controller
import Foundation
import Learning
import SwingUpCriterion
import Testing

/// A session episode's success is judged from its log by the evaluation's criterion, exactly as
/// `furuta eval --log` judges it (`RecordedEpisode.verdict`), not by the longest upright stretch.
@Suite struct EpisodeLogJudgementTests {
    static let period = 0.01
    static let armLimit = 1.5

    /// A log as the controller writes it (`TelemetryCSV`): 1 s of homing, then `periods` running
    /// rows from `state(j)`; periods in `missing` carry no sample, and a stopped row ends it.
    static func log(periods: Int, missing: Set<Int> = [], state: (Int) -> (arm: Double, pendulum: Double)) throws -> String {
        var text = TelemetryCSV.header + "\n"
        var tick: Int64 = 0
        func row(_ phase: ControllerPhase, _ j: Int, sample: Bool, arm: Double, pendulum: Double) {
            var r = TickRecord()
            r.tick = tick
            r.deadlineNanoseconds = tick * 10_000_000
            r.phase = phase
            r.hasSample = sample
            r.deviceTimeMicroseconds = UInt64(3_000_000 + Int(tick) * 10_000)
            r.armAngle = arm
            r.pendulumAngle = pendulum
            text += TelemetryCSV.line(r)
            tick += 1
        }
        for _ in 0..<100 { row(.homing, 0, sample: true, arm: 0, pendulum: .pi) }  // homing rows never count
        for j in 0..<periods {
            let (arm, pendulum) = state(j)
            row(.running, j, sample: !missing.contains(j), arm: arm, pendulum: pendulum)
        }
        row(.stopped, 0, sample: true, arm: 0, pendulum: .pi)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("episode-\(UUID()).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func controllerVerdict(_ path: String) -> SwingUpJudgement.Verdict? {
        EpisodeLogJudgement.verdict(EpisodeLogTable(csvPath: path), criterion: SwingUpSuccess(), periodS: period, armLimit: armLimit)
    }

    static func evalVerdict(_ path: String) throws -> RecordedEpisode.Verdict {
        let steps = try RecordedEpisode.steps(csv: String(contentsOfFile: path, encoding: .utf8))
        return RecordedEpisode.verdict(steps: steps, criterion: SwingUpSuccess(), periodS: period, armLimit: armLimit)
    }

    @Test func uprightForSixSecondsThenFallenAtTheEndIsNoSuccess() throws {
        // Upright from 1 s to 7 s (a 6 s stretch, longer than the 5 s hold), hanging after it.
        let path = try Self.log(periods: 1000) { j in (0.2, j >= 100 && j < 700 ? .pi : 0) }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let v = try #require(Self.controllerVerdict(path))
        #expect(!v.success && v.finalUprightS == 0 && abs(v.runningS - 10) < 1e-9)
    }

    @Test func theControllerJudgesEveryLogAsEvalLogDoes() throws {
        let logs: [(String, Int, Set<Int>, (Int) -> (arm: Double, pendulum: Double))] = [
            ("upright the last 5.5 s", 1000, [], { j in (0.1, j < 450 ? 0 : .pi + 0.15) }),
            ("upright the last 4.99 s", 1000, [], { j in (0.1, j < 501 ? 0 : .pi) }),
            ("samples missing inside the stretch", 1000, [600, 601, 950], { _ in (0, .pi) }),
            ("the arm out of its travel once", 1000, [], { j in (j == 300 ? 1.6 : 0, .pi) }),
            ("cut short at 8 s", 800, [], { _ in (0, .pi) }),
            ("longer than the episode", 1500, [], { j in (0, j < 1000 ? .pi : 0) }),
        ]
        var successes = 0
        for (name, periods, missing, state) in logs {
            let path = try Self.log(periods: periods, missing: missing, state: state)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let controller = try #require(Self.controllerVerdict(path), "\(name)")
            #expect(controller == (try Self.evalVerdict(path)), "\(name)")
            if controller.success { successes += 1 }
        }
        #expect(successes == 3, "the last 5.5 s, with gaps, and the longer run succeed; the others do not")
    }

    @Test func aLogWithoutTheAngleColumnsGivesNoVerdict() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("episode-\(UUID()).csv").path
        try "tick,phase\n0,running\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(Self.controllerVerdict(path) == nil)
        #expect(EpisodeLogJudgement.verdict(EpisodeLogTable(csvPath: path + ".missing"), criterion: SwingUpSuccess(), periodS: Self.period, armLimit: Self.armLimit) == nil)
    }
}
