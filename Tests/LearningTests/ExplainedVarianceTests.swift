import Testing
@testable import Learning

@Suite("Explained variance of the value function")
struct ExplainedVarianceTests {
    let returns: [Float] = [1, 2, 3, 4, 5]   // mean 3, Var = (4+1+0+1+4)/5 = 2

    @Test func perfectPredictionsExplainEverything() {
        #expect(ExplainedVariance.of(predictions: returns, targets: returns) == 1)
    }

    @Test func aConstantOffsetStillExplainsEverything() {
        // G − V = 0.5 everywhere: the residual has no variance (EV measures shape, not bias).
        #expect(ExplainedVariance.of(predictions: returns.map { $0 - 0.5 }, targets: returns) == 1)
    }

    @Test func predictingTheMeanExplainsNothing() {
        #expect(ExplainedVariance.of(predictions: [3, 3, 3, 3, 3], targets: returns) == 0)
    }

    @Test func handExampleAgainstTheFormula() {
        // V = [1, 1, 3, 5, 5]: G − V = [0, 1, 0, −1, 0], mean 0, Var = 2/5 = 0.4 → EV = 1 − 0.4/2 = 0.8.
        let ev = ExplainedVariance.of(predictions: [1, 1, 3, 5, 5], targets: returns)
        #expect(abs(ev - 0.8) < 1e-6)
    }

    @Test func anticorrelatedPredictionsAreWorseThanTheMean() {
        // V = reversed G: G − V = [−4, −2, 0, 2, 4], Var = 8 → EV = 1 − 8/2 = −3.
        let ev = ExplainedVariance.of(predictions: returns.reversed(), targets: returns)
        #expect(abs(ev - -3) < 1e-6)
    }

    @Test func returnsThatDoNotVaryHaveNothingToExplain() {
        #expect(ExplainedVariance.of(predictions: [0, 1, 2], targets: [2, 2, 2]).isNaN)
        #expect(ExplainedVariance.of(predictions: [1], targets: [1]).isNaN)
    }
}
