import Foundation
import Testing
@testable import Trainer

/// The refinement on least-squares problems whose minimum is known.
struct LevenbergMarquardtTests {
    /// Rosenbrock as residuals, r = (10(y − x²), 1 − x), on the box [0, 1]² mapped to
    /// x, y ∈ [−2, 2]: minimum 0 at x = y = 1, i.e. u = (0.75, 0.75), along a curved valley.
    static func rosenbrock(_ u: [Double]) -> [Double] {
        let x = 4 * u[0] - 2, y = 4 * u[1] - 2
        return [10 * (y - x * x), 1 - x]
    }

    @Test func findsTheMinimumOfRosenbrocksValley() {
        var calls = 0
        let result = LevenbergMarquardt().minimise(start: [0.2, 0.9], deadline: .distantFuture) { points in
            calls += points.count
            return points.map(Self.rosenbrock)
        }
        #expect(result.cost < 1e-12, "cost \(result.cost) after \(result.iterations) iterations: \(result.stopReason)")
        #expect(abs(result.point[0] - 0.75) < 1e-5 && abs(result.point[1] - 0.75) < 1e-5, "\(result.point)")
        #expect(result.evaluations == calls)
    }

    /// A minimum outside the box: the result is on its face, not past it.
    @Test func staysInsideTheBox() {
        let result = LevenbergMarquardt().minimise(start: [0.5, 0.5], deadline: .distantFuture) { points in
            points.map { [$0[0] - 1.4, 3 * ($0[1] - 0.3)] }
        }
        #expect(result.point[0] == 1)
        #expect(abs(result.point[1] - 0.3) < 1e-6)
    }

    @Test func stopsAtTheDeadline() {
        let result = LevenbergMarquardt().minimise(start: [0.2, 0.9], deadline: Date()) { points in points.map(Self.rosenbrock) }
        #expect(result.iterations == 0)
        #expect(result.stopReason == "time budget")
    }
}
