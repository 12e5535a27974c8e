import Foundation
import RandomNumbers

/// The controller's own exploration for an episode: smooth, bounded, reproducible.
///
///     x_k = ρ·x_{k−1} + √(1 − ρ²)·σ·g_k,   g_k ~ N(0, 1) (seeded),   n_k = clamp(x_k, ±bound)
///
/// an AR(1) ("red") sequence with stationary standard deviation σ and correlation time
/// −1/ln ρ steps; the clamp bounds what exploration can add to the policy's action in [−1, 1].
/// The learner hands its parameters over in `exploration.json` in the session folder.
public struct ExplorationNoiseSequence: Sendable, Codable, Equatable {
    public var sigma = 0.3
    public var correlation = 0.95
    public var bound = 0.5

    public init(sigma: Double = 0.3, correlation: Double = 0.95, bound: Double = 0.5) {
        self.sigma = sigma
        self.correlation = correlation
        self.bound = bound
    }

    public var problems: [String] {
        var found: [String] = []
        if !(sigma >= 0 && sigma <= 1) { found.append("exploration sigma must be in [0, 1]") }
        if !(correlation >= 0 && correlation < 1) { found.append("exploration correlation must be in [0, 1)") }
        if !(bound >= 0 && bound <= 1) { found.append("exploration bound must be in [0, 1]") }
        return found
    }

    /// `count` values for the episode seeded by `seed`.
    public func values(count: Int, seed: UInt64) -> [Double] {
        var random = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15)
        // In (0, 1): the midpoint of each of the 2⁵³ steps, so log never sees 0.
        func uniform() -> Double { (Double(random.next() >> 11) + 0.5) * 0x1p-53 }
        var x = 0.0
        let innovation = (1 - correlation * correlation).squareRoot() * sigma
        return (0..<count).map { _ in
            // Box–Muller
            let g = (-2 * log(uniform())).squareRoot() * _cos(2 * Double.pi * uniform())
            x = correlation * x + innovation * g
            return min(max(x, -bound), bound)
        }
    }
}
