import Testing
@testable import Learning

@Suite("Adam and gradient clipping")
struct OptimiserTests {
    @Test func adamFollowsTheBiasCorrectedFormula() {
        // Hand computation, α = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, θ₀ = 1:
        // t=1, g=0.5:  m=0.05, v=0.00025, m̂=0.5, v̂=0.25, θ = 1 − 0.1·0.5/0.5 = 0.9
        // t=2, g=−1:   m=−0.055, v=0.00124975, m̂=−0.055/0.19=−0.2894737,
        //              v̂=0.00124975/0.001999=0.6251876, √v̂=0.7906881,
        //              θ = 0.9 + 0.1·0.2894737/0.7906881 = 0.9366101
        // t=3, g=0.25: m=−0.0245, v=0.00131100025, m̂=−0.0245/0.271=−0.0904059,
        //              v̂=0.0013110/0.002997001=0.4374372, √v̂=0.6613903,
        //              θ = 0.9366101 + 0.1·0.0904059/0.6613903 = 0.9502792
        var adam = Adam(parameterCount: 1)
        var theta: [Float] = [1]
        adam.step(parameters: &theta, gradients: [0.5], learningRate: 0.1)
        #expect(abs(theta[0] - 0.9) < 1e-6)
        adam.step(parameters: &theta, gradients: [-1], learningRate: 0.1)
        #expect(abs(theta[0] - 0.9366101) < 1e-6)
        adam.step(parameters: &theta, gradients: [0.25], learningRate: 0.1)
        #expect(abs(theta[0] - 0.9502792) < 1e-6)
        #expect(adam.stepCount == 3)
    }

    @Test func adamFirstStepMovesEveryParameterByTheLearningRate() {
        // With bias correction the first step is α·sign(g) whatever |g| (up to ε).
        var adam = Adam(parameterCount: 3)
        var theta: [Float] = [0, 0, 0]
        adam.step(parameters: &theta, gradients: [1e-3, -5, 200], learningRate: 0.01)
        #expect(theta.map { abs($0 - 0) } .allSatisfy { abs($0 - 0.01) < 1e-6 })
        #expect(theta[0] < 0 && theta[1] > 0 && theta[2] < 0)
    }

    @Test func globalClippingScalesAllVectorsTogether() {
        var a: [Float] = [3, 0], b: [Float] = [0, 4]
        let norm = GradientClipping.globalNorm([a, b])
        #expect(norm == 5)
        let factor = GradientClipping.scaleFactor(norm: norm, maxNorm: 1)
        GradientClipping.scale(&a, by: factor)
        GradientClipping.scale(&b, by: factor)
        #expect(abs(GradientClipping.globalNorm([a, b]) - 1) < 1e-6)
        #expect(abs(a[0] / b[1] - 0.75) < 1e-6)
        #expect(GradientClipping.scaleFactor(norm: 0.5, maxNorm: 1) == 1)
    }
}
