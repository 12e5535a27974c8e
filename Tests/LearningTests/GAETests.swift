import Testing
@testable import Learning

@Suite("Generalised advantage estimation")
struct GAETests {
    @Test func handExampleWithATruncationAndATermination() {
        // Two envs, T = 5, γ = 0.5, λ = 0.5 (γλ = 0.25), time outermost (index t·2 + e).
        // Env 0: r = 1…5, V = 0.5…2.5, truncated at t = 1 (V(final) = 10), terminated at t = 3,
        //        V after the rollout = 4.
        //   t=4: δ = 5 + 0.5·4 − 2.5 = 4.5                 A = 4.5
        //   t=3: terminated, δ = 4 + 0 − 2 = 2             A = 2      (no bootstrap, chain cut)
        //   t=2: δ = 3 + 0.5·2 − 1.5 = 2.5                 A = 2.5 + 0.25·2 = 3
        //   t=1: truncated, δ = 2 + 0.5·10 − 1 = 6          A = 6      (bootstrap V(final), chain cut)
        //   t=0: δ = 1 + 0.5·1 − 0.5 = 1                   A = 1 + 0.25·6 = 2.5
        // Env 1: r = 1, V = 0, no ends, V after = 0: δ = 1 everywhere,
        //   A = 1, 1.25, 1.3125, 1.328125, 1.33203125 from t = 4 back to t = 0.
        let rewards: [Float] = [1, 1, 2, 1, 3, 1, 4, 1, 5, 1]
        let values: [Float] = [0.5, 0, 1, 0, 1.5, 0, 2, 0, 2.5, 0]
        let terminated: [UInt8] = [0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
        let truncated: [UInt8] = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
        let truncationValues: [Float] = [0, 0, 10, 0, 0, 0, 0, 0, 0, 0]
        let (advantages, returns) = GAE.compute(
            rewards: rewards, values: values, terminated: terminated, truncated: truncated,
            truncationValues: truncationValues, lastValues: [4, 0], steps: 5, environments: 2, gamma: 0.5, lambda: 0.5)
        let env0 = stride(from: 0, to: 10, by: 2).map { advantages[$0] }
        let env1 = stride(from: 1, to: 10, by: 2).map { advantages[$0] }
        #expect(env0 == [2.5, 6, 3, 2, 4.5])
        #expect(env1 == [1.33203125, 1.328125, 1.3125, 1.25, 1])
        #expect(stride(from: 0, to: 10, by: 2).map { returns[$0] } == [3, 7, 4.5, 4, 7])
    }

    @Test func truncationBootstrapsWithTheFinalObservationsValue() {
        // The same single step, truncated: only V(final) enters, not V(next episode's start).
        func advantage(truncationValue: Float) -> Float {
            GAE.compute(rewards: [1, 0], values: [0, 100], terminated: [0, 0], truncated: [1, 0],
                        truncationValues: [truncationValue, 0], lastValues: [100], steps: 2, environments: 1,
                        gamma: 0.9, lambda: 0.95).advantages[0]
        }
        #expect(advantage(truncationValue: 2) == 1 + 0.9 * 2)
        #expect(advantage(truncationValue: 0) == 1)
    }

    @Test func normalisedAdvantagesHaveZeroMeanUnitVariance() {
        var a: [Float] = [1, 2, 3, 4, 10]
        GAE.normalize(&a)
        let mean = a.reduce(0, +) / 5
        let variance = a.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5
        #expect(abs(mean) < 1e-6)
        #expect(abs(variance - 1) < 1e-5)
    }
}
