import SwingUpCriterion
import Testing

/// The judgement of samples by device time: periods from timestamps, only the first episode judged.
@Suite struct SwingUpJudgementTests {
    static func judge(_ samples: [(timeUs: Int64, arm: Double, pendulum: Double)]) -> SwingUpJudgement.Verdict {
        var j = SwingUpJudgement(criterion: SwingUpSuccess(), periodS: 0.01, armLimit: 1.5)
        for s in samples { j.add(deviceTimeUs: s.timeUs, armAngle: s.arm, pendulumAngle: s.pendulum) }
        return j.verdict
    }

    @Test func noSamplesIsNoSuccessAndNothingRun() {
        let v = Self.judge([])
        #expect(!v.success && v.runningS == 0 && v.finalUprightS == 0 && !v.terminated)
    }

    @Test func periodsComeFromTheDeviceClockNotTheSampleCount() {
        // 500 samples 20 ms apart: 10 s of device time, every sample upright.
        let sparse = Self.judge((0..<500).map { (Int64(7_000_000 + $0 * 20_000), 0, Double.pi) })
        #expect(abs(sparse.runningS - 9.99) < 1e-9, "the last sample is period 998: \(sparse.runningS)")
        #expect(!sparse.success, "999 periods judged, the episode needs 1000")
        let full = Self.judge((0..<1000).map { (Int64(7_000_000 + $0 * 10_000), 0, Double.pi) })
        #expect(full.success && abs(full.finalUprightS - 10) < 1e-9)
    }

    @Test func aToleranceOrHoldChangesTheVerdict() {
        var c = SwingUpSuccess()
        c.holdSeconds = 2
        c.uprightTolerance = 0.3
        var j = SwingUpJudgement(criterion: c, periodS: 0.01, armLimit: 1.5)
        for k in 0..<1000 { j.add(deviceTimeUs: Int64(k * 10_000), armAngle: 0, pendulumAngle: k < 750 ? 0 : .pi - 0.25) }
        #expect(j.verdict.success && abs(j.verdict.finalUprightS - 2.5) < 1e-9)
        #expect(!Self.judge((0..<1000).map { (Int64($0 * 10_000), 0, $0 < 750 ? 0 : .pi - 0.25) }).success)
    }
}
