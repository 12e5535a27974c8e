import Foundation
import Learning
import Testing

/// A run recorded on the robot is judged by the evaluation's criterion (`SwingUpSuccess`):
/// upright within 0.2 rad for the whole last 5 s of the first 10 s, the arm inside its travel.
@Suite struct RecordedEpisodeVerdictTests {
    static let period = 0.01
    static let armLimit = 1.5

    /// Running rows at 100 Hz: the pendulum angle and arm angle of each period from `state(j)`;
    /// periods in `missing` carry no sample.
    static func steps(periods: Int, missing: Set<Int> = [], state: (Int) -> (arm: Double, pendulum: Double)) -> [RecordedEpisode.Step] {
        (0..<periods).filter { !missing.contains($0) }.map { j in
            let (arm, pendulum) = state(j)
            return RecordedEpisode.Step(deviceTimeUs: 5_000_000 + Int64(j) * 10_000, armCounts: 0, pendulumCounts: 0,
                                        armAngle: arm, pendulumAngle: pendulum, armVelocity: 0, pendulumVelocity: 0, action: 0)
        }
    }

    static func verdict(_ steps: [RecordedEpisode.Step]) -> RecordedEpisode.Verdict {
        RecordedEpisode.verdict(steps: steps, criterion: SwingUpSuccess(), periodS: period, armLimit: armLimit)
    }

    @Test func uprightForTheWholeLastFiveSecondsOfTenIsASuccess() {
        // Hanging for 4 s, swung up, upright (0.15 rad off, inside 0.2) from 4.5 s on; +2π on the first row (homing's zero).
        let v = Self.verdict(Self.steps(periods: 1000) { j in (0.1, j == 0 ? 2 * .pi : (j < 450 ? 0 : .pi + 0.15)) })
        #expect(v.success)
        #expect(abs(v.runningS - 10) < 1e-9 && abs(v.finalUprightS - 5.5) < 1e-9 && !v.terminated)
    }

    @Test func fallingInTheLastFiveSecondsOrTiltingBeyondTheToleranceIsNot() {
        let fell = Self.verdict(Self.steps(periods: 1000) { j in (0, j < 100 || j == 700 ? 0 : .pi) })
        #expect(!fell.success && abs(fell.finalUprightS - 2.99) < 1e-9)
        let tilted = Self.verdict(Self.steps(periods: 1000) { _ in (0, .pi - 0.25) })
        #expect(!tilted.success && tilted.finalUprightS == 0)
    }

    @Test func aRunShorterThanTheEpisodeOrOneThatLeftTheArmTravelIsNot() {
        let short = Self.verdict(Self.steps(periods: 800) { _ in (0, .pi) })
        #expect(!short.success && abs(short.runningS - 8) < 1e-9)
        let left = Self.verdict(Self.steps(periods: 1000) { j in (j == 300 ? 1.6 : 0, .pi) })
        #expect(!left.success && left.terminated)
    }

    @Test func periodsWithoutASampleDoNotBreakTheStretchAndOnlyTheFirstTenSecondsCount() {
        let gaps = Self.verdict(Self.steps(periods: 1000, missing: [600, 601]) { _ in (0, .pi) })
        #expect(gaps.success && abs(gaps.finalUprightS - 10) < 1e-9)
        // Upright for 10 s, then fallen for 5 s more: the first episode of the run succeeded.
        let longer = Self.verdict(Self.steps(periods: 1500) { j in (0, j < 1000 ? .pi : 0) })
        #expect(longer.success && abs(longer.runningS - 10) < 1e-9)
    }
}
