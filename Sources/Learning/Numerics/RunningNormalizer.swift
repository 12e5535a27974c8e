import PolicyFormat

/// Running mean and variance of observations, per component, in Double, merged batch by batch
/// (Chan, Golub & LeVeque's parallel form of Welford's algorithm). For a running set A (n_A,
/// μ_A, M2_A) and a new batch B (n_B, μ_B, M2_B = Σ(x − μ_B)²):
///
///     δ = μ_B − μ_A,  n = n_A + n_B
///     μ  = μ_A + δ · n_B / n
///     M2 = M2_A + M2_B + δ² · n_A n_B / n,       variance = M2 / n
///
/// The policy sees `frozen()`: the Float statistics at a moment, as `ObservationNormalization`,
/// which is exactly what an exported policy file carries.
public struct RunningNormalizer: Sendable, Equatable, Codable {
    public let size: Int
    public private(set) var count: Double = 0
    public private(set) var mean: [Double]
    /// Σ(x − μ)² per component.
    public private(set) var sumOfSquares: [Double]
    /// Added to the variance under the square root.
    public var epsilon: Float
    /// Normalised observations are clamped to ±clip.
    public var clip: Float

    public init(size: Int, epsilon: Float = 1e-8, clip: Float = 10) {
        self.size = size
        self.epsilon = epsilon
        self.clip = clip
        mean = Array(repeating: 0, count: size)
        sumOfSquares = Array(repeating: 0, count: size)
    }

    /// Statistics as if `count` samples with this mean and variance had been merged (a
    /// policy's frozen normaliser as the prior of a fine-tuning run).
    public init(mean: [Double], variance: [Double], count: Double, epsilon: Float = 1e-8, clip: Float = 10) {
        precondition(mean.count == variance.count && count > 0)
        self.init(size: mean.count, epsilon: epsilon, clip: clip)
        self.mean = mean
        sumOfSquares = variance.map { $0 * count }
        self.count = count
    }

    /// Population variance; 1 before any sample.
    public var variance: [Double] {
        count > 0 ? sumOfSquares.map { $0 / count } : Array(repeating: 1, count: size)
    }

    /// Merge `rows` observations (row-major, `size` each).
    public mutating func update(_ batch: UnsafeBufferPointer<Float>, rows: Int) {
        guard rows > 0 else { return }
        precondition(batch.count >= rows * size, "RunningNormalizer.update: buffer too small")
        let nB = Double(rows)
        let n = count + nB
        for i in 0..<size {
            var batchMean = 0.0
            for r in 0..<rows { batchMean += Double(batch[r * size + i]) }
            batchMean /= nB
            var batchM2 = 0.0
            for r in 0..<rows {
                let d = Double(batch[r * size + i]) - batchMean
                batchM2 += d * d
            }
            let delta = batchMean - mean[i]
            mean[i] += delta * nB / n
            sumOfSquares[i] += batchM2 + delta * delta * count * nB / n
        }
        count = n
    }

    public mutating func update(_ batch: [Float], rows: Int) {
        batch.withUnsafeBufferPointer { update($0, rows: rows) }
    }

    /// Merge another normaliser's statistics (e.g. from another worker).
    public mutating func merge(_ other: RunningNormalizer) {
        precondition(other.size == size)
        guard other.count > 0 else { return }
        let n = count + other.count
        for i in 0..<size {
            let delta = other.mean[i] - mean[i]
            mean[i] += delta * other.count / n
            sumOfSquares[i] += other.sumOfSquares[i] + delta * delta * count * other.count / n
        }
        count = n
    }

    /// The current statistics as the frozen Float normaliser the policy uses and exports.
    public func frozen() -> ObservationNormalization {
        ObservationNormalization(mean: mean.map { Float($0) }, variance: variance.map { Float($0) },
                                 epsilon: epsilon, clip: clip)
    }
}
