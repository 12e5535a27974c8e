/// The frozen observation normaliser stored in a policy: the statistics the running normaliser
/// had when the policy was exported.
///
///     z_i = clamp((x_i − mean_i) · scale_i, −clip, clip),   scale_i = 1 / √(variance_i + ε)
///
/// `scale` is computed once, in `init`, in Float: the trainer normalises its observations with
/// this very type, so the numbers it trained on are the numbers the robot feeds the network.
public struct ObservationNormalization: Sendable, Equatable, Hashable {
    /// Per-component mean, in observation units.
    public let mean: [Float]
    /// Per-component variance (population), in squared observation units.
    public let variance: [Float]
    /// Added to the variance before the square root; keeps constant components finite.
    public let epsilon: Float
    /// Normalised values are clamped to ±clip.
    public let clip: Float
    /// 1 / √(variance + ε), derived.
    public let scale: [Float]

    public init(mean: [Float], variance: [Float], epsilon: Float = 1e-8, clip: Float = 10) {
        precondition(mean.count == variance.count, "normaliser mean and variance differ in length")
        self.mean = mean
        self.variance = variance
        self.epsilon = epsilon
        self.clip = clip
        self.scale = variance.map { 1 / (($0 + epsilon).squareRoot()) }
    }

    /// The identity normaliser (mean 0, variance 1, ε 0: scale exactly 1),
    /// for policies trained without one. Clip is infinite.
    public static func identity(size: Int) -> ObservationNormalization {
        ObservationNormalization(mean: Array(repeating: 0, count: size),
                                 variance: Array(repeating: 1, count: size),
                                 epsilon: 0, clip: .infinity)
    }

    public var size: Int { mean.count }

    /// Normalise `count` observations of `size` components each, from `input` into `output`
    /// (which may be the same memory).
    @inlinable
    public func normalize(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count: Int = 1) {
        mean.withUnsafeBufferPointer { m in
            scale.withUnsafeBufferPointer { s in
                let n = m.count
                for row in 0..<count {
                    let base = row * n
                    for i in 0..<n {
                        output[base + i] = ObservationNormalization.clamp((input[base + i] - m[i]) * s[i], clip)
                    }
                }
            }
        }
    }

    @inlinable @inline(__always)
    static func clamp(_ z: Float, _ clip: Float) -> Float {
        z < -clip ? -clip : (z > clip ? clip : z)
    }
}
