import SwingUpCriterion
import Testing

/// The deployment criterion's arithmetic: 1 000 steps of 10 ms, the last 500 upright.
@Suite struct SwingUpSuccessTests {
    @Test func theFinalStreakMustCoverTheHoldAndTheEpisodeMustRunToItsEnd() {
        let c = SwingUpSuccess()
        #expect(c.episodeSteps(periodS: 0.01) == 1000 && c.holdSteps(periodS: 0.01) == 500)
        #expect(c.succeeded(stepsRun: 1000, terminated: false, finalUprightStreak: 500, periodS: 0.01))
        #expect(!c.succeeded(stepsRun: 1000, terminated: false, finalUprightStreak: 499, periodS: 0.01))
        #expect(!c.succeeded(stepsRun: 999, terminated: false, finalUprightStreak: 999, periodS: 0.01))
        #expect(!c.succeeded(stepsRun: 1000, terminated: true, finalUprightStreak: 1000, periodS: 0.01))
        var streak = 0
        for upright in [true, true, false, true] { streak = SwingUpSuccess.streak(streak, afterUpright: upright) }
        #expect(streak == 1)
        #expect(c.isUpright(pendulumAngle: -.pi + 0.19) && !c.isUpright(pendulumAngle: .pi - 0.21))
    }
}
