/// How the network's raw output u becomes the action handed to the robot.
///
///     a_i = offset_i + scale_i · s(u_i)
///     s(u) = clamp(u, −1, 1)            (squash .clip)
///     s(u) = Activation.tanh(u)         (squash .tanh)
///
/// The environment and the motor model take actions in [−1, 1]; with scale 1 and offset 0 the
/// action is s(u) itself. During training the Gaussian policy samples u around the network's
/// output μ and the environment receives s(u)·scale + offset; the deterministic action is the
/// same map applied to μ, which is exactly what `FrozenPolicy` computes.
public struct ActionScaling: Sendable, Equatable, Hashable {
    /// How unbounded network outputs are bounded. Raw values are stored in policy files.
    public enum Squash: UInt8, Sendable, Equatable, Hashable, Codable, CaseIterable {
        /// s(u) = clamp(u, −1, 1).
        case clip = 0
        /// s(u) = tanh u (the format's rational tanh).
        case tanh = 1

        /// Configs spell it by name ("clip", "tanh"); policy files use the raw byte.
        public init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            switch text.lowercased() {
            case "clip": self = .clip
            case "tanh": self = .tanh
            default:
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown squash '\(text)'; use clip or tanh")
            }
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(self == .clip ? "clip" : "tanh")
        }
    }

    public var squash: Squash
    /// Per-component scale.
    public var scale: [Float]
    /// Per-component offset.
    public var offset: [Float]

    public init(squash: Squash = .clip, scale: [Float], offset: [Float]) {
        precondition(scale.count == offset.count, "action scale and offset differ in length")
        self.squash = squash
        self.scale = scale
        self.offset = offset
    }

    /// Unit scaling for `count` actions: a = s(u).
    public static func unit(count: Int, squash: Squash = .clip) -> ActionScaling {
        ActionScaling(squash: squash, scale: Array(repeating: 1, count: count),
                      offset: Array(repeating: 0, count: count))
    }

    public var count: Int { scale.count }

    /// The bounded value s(u) before scale and offset.
    @inlinable @inline(__always)
    public func squashed(_ u: Float) -> Float {
        switch squash {
        case .clip: return u < -1 ? -1 : (u > 1 ? 1 : u)
        case .tanh: return Activation.tanh(u)
        }
    }

    /// Map `count` rows of raw outputs (`self.count` each) to actions; `output` may alias `raw`.
    @inlinable
    public func apply(_ raw: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count rows: Int = 1) {
        scale.withUnsafeBufferPointer { s in
            offset.withUnsafeBufferPointer { o in
                let n = s.count
                for row in 0..<rows {
                    for i in 0..<n {
                        output[row * n + i] = o[i] + s[i] * squashed(raw[row * n + i])
                    }
                }
            }
        }
    }
}
