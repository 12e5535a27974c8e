import Controller
import Foundation
import Testing

/// `RunProgress` turns drained telemetry records into `run`'s progress lines: one per interval
/// of loop time, each saying what the records say (phase, angles, upright time, lateness).
@Suite struct RunProgressTests {
    /// 100 Hz records from 0 to `seconds` s inclusive, pendulum upright (α = π) from `uprightFrom` s on.
    func records(seconds: Int64, uprightFrom: Double, lateTick: Int64 = -1) -> [TickRecord] {
        (0...seconds * 100).map { tick in
            var r = TickRecord()
            r.tick = tick
            r.deadlineNanoseconds = tick * 10_000_000
            r.phase = .running
            r.hasSample = true
            r.pendulumAngle = Double(tick) / 100 >= uprightFrom ? .pi : 0
            r.wakeLatencyNanoseconds = tick == lateTick ? 250_000 : 20_000
            r.dutyCommanded = 0.25
            return r
        }
    }

    @Test func oneLinePerIntervalOfLoopTimeSayingWhatTheRecordsSay() throws {
        var lines: [String] = []
        let progress = RunProgress(everySeconds: 1, uprightToleranceRad: 0.2) { lines.append($0) }
        for r in records(seconds: 3, uprightFrom: 1.5, lateTick: 150) { progress.observe(r) }
        try #require(lines.count == 3, "\(lines)")
        #expect(lines[0].hasPrefix("1.0 s: running, pendulum 0.0°"), "\(lines[0])")
        #expect(lines[0].contains("upright no (longest 0.0 s)"), "\(lines[0])")
        #expect(lines[0].contains("worst wake-up 20 µs late"), "\(lines[0])")
        #expect(lines[1].hasPrefix("2.0 s: running, pendulum 180.0°"), "\(lines[1])")
        #expect(lines[1].contains("upright 0.5 s (longest 0.5 s)"), "\(lines[1])")
        #expect(lines[1].contains("worst wake-up 250 µs late"), "the late tick at 1.5 s is in the second interval: \(lines[1])")
        #expect(lines[2].contains("upright 1.5 s (longest 1.5 s)"), "\(lines[2])")
        #expect(lines[2].contains("worst wake-up 20 µs late"), "lateness is per interval: \(lines[2])")
        #expect(lines.allSatisfy { $0.contains("duty 0.25") })
        #expect(lines[0].contains("last 101 ticks"), "ticks 0…100: \(lines[0])")
        #expect(lines.dropFirst().allSatisfy { $0.contains("last 100 ticks") }, "\(lines)")
    }

    @Test func uprightCountsOnlyWhileRunningWithinTheTolerance() throws {
        var lines: [String] = []
        let progress = RunProgress(everySeconds: 1, uprightToleranceRad: 0.2) { lines.append($0) }
        for var r in records(seconds: 1, uprightFrom: 0) {
            r.pendulumAngle = .pi - 0.25   // outside 0.2 rad of π
            progress.observe(r)
        }
        try #require(lines.count == 1)
        #expect(lines[0].contains("upright no (longest 0.0 s)"), "\(lines[0])")
        lines.removeAll()
        let homing = RunProgress(everySeconds: 1, uprightToleranceRad: 0.2) { lines.append($0) }
        for var r in records(seconds: 1, uprightFrom: 0) {
            r.phase = .homing
            homing.observe(r)
        }
        try #require(lines.count == 1)
        #expect(lines[0].hasPrefix("1.0 s: homing"), "\(lines[0])")
        #expect(lines[0].contains("upright no"), "only the policy's stretch counts: \(lines[0])")
    }
}
