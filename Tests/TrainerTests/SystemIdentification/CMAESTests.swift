import Foundation
import Testing
@testable import Trainer

/// The optimiser on functions whose minimum is known.
struct CMAESTests {
    /// f(x) = Σ 10^(6(i−1)/(n−1))·(Rx)_i² with a fixed rotation R: ill-conditioned (10⁶) and
    /// non-separable — what the covariance adaptation is for.
    static func rotatedEllipsoid(_ x: [Double]) -> Double {
        let n = x.count
        var sum = 0.0
        for i in 0..<n {
            // A fixed orthogonal mix: y_i = (x_i + x_{i+1 mod n})/√2 is not orthogonal for all n,
            // so use pairwise rotations by 30°.
            let j = (i + 1) % n
            let y = i % 2 == 0 ? (0.866 * (x[i] - 1) - 0.5 * (x[j] - 1)) : (0.5 * (x[j] - 1) + 0.866 * (x[i] - 1))
            sum += pow(10, 6 * Double(i) / Double(n - 1)) * y * y
        }
        return sum
    }

    @Test func minimisesAnIllConditionedRotatedEllipsoid() {
        var es = CMAES(start: Array(repeating: 0, count: 6), stepSize: 0.5, seed: 7)
        for _ in 0..<600 {
            let xs = es.ask()
            es.tell(xs.map(Self.rotatedEllipsoid))
            if es.best!.value < 1e-10 { break }
        }
        #expect(es.best!.value < 1e-8, "best \(es.best!.value) after \(es.generation) generations")
        for x in es.best!.x { #expect(abs(x - 1) < 1e-3) }
    }

    @Test func minimisesRosenbrock() {
        func rosenbrock(_ x: [Double]) -> Double {
            var sum = 0.0
            for i in 0..<(x.count - 1) {
                let a = x[i + 1] - x[i] * x[i], b = 1 - x[i]
                sum += 100 * a * a + b * b
            }
            return sum
        }
        var es = CMAES(start: Array(repeating: 0, count: 4), stepSize: 0.3, seed: 11)
        for _ in 0..<1500 where es.best?.value ?? 1 > 1e-12 {
            let xs = es.ask()
            es.tell(xs.map(rosenbrock))
        }
        #expect(es.best!.value < 1e-8)
    }

    @Test func defaultStrategyParametersFollowTheTutorial() {
        let es = CMAES(start: Array(repeating: 0, count: 10), stepSize: 1, seed: 1)
        #expect(es.populationSize == 4 + 6) // 4 + ⌊3 ln 10⌋ = 4 + 6
        #expect(es.parentCount == 5)
        #expect(abs(es.weights.reduce(0, +) - 1) < 1e-12)
        #expect(abs(es.muEff - 3.1672) < 1e-3)
        #expect(abs(es.cs - (es.muEff + 2) / (10 + es.muEff + 5)) < 1e-15)
        #expect(abs(es.c1 - 2 / (11.3 * 11.3 + es.muEff)) < 1e-15)
    }

    @Test func jacobiEigenDecompositionReconstructsTheMatrix() {
        let a: [[Double]] = [[4, 1, 0.5], [1, 3, -0.2], [0.5, -0.2, 1]]
        let (values, v) = SymmetricEigen.decompose(a)
        for i in 0..<3 { for j in 0..<3 {
            let r = (0..<3).reduce(0.0) { $0 + v[i][$1] * values[$1] * v[j][$1] }
            #expect(abs(r - a[i][j]) < 1e-10)
        } }
        let inverse = SymmetricEigen.pseudoInverse(a)
        for i in 0..<3 { for j in 0..<3 {
            let p = (0..<3).reduce(0.0) { $0 + a[i][$1] * inverse[$1][j] }
            #expect(abs(p - (i == j ? 1 : 0)) < 1e-9)
        } }
    }

    @Test func singularDirectionsGetInfiniteVariance() {
        // x and y enter only as x + y: neither is determined.
        let a: [[Double]] = [[1, 1, 0], [1, 1, 0], [0, 0, 2]]
        let inverse = SymmetricEigen.pseudoInverse(a)
        #expect(inverse[0][0] == .infinity && inverse[1][1] == .infinity)
        #expect(abs(inverse[2][2] - 0.5) < 1e-12)
    }
}
