/// The nonlinearity after a dense layer. Raw values are stable: they are written into policy
/// files.
///
/// Every activation is defined here, once, and used by both the trainer and `FrozenPolicy`, so
/// that training, evaluation and deployment compute the same numbers.
public enum Activation: UInt8, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// y = x.
    case identity = 0
    /// y = tanh x, by the rational approximation `Activation.tanh(_:)` (not libm).
    case tanh = 1
    /// y = max(x, 0).
    case relu = 2
    /// y = x for x > 0, eˣ − 1 otherwise (α = 1).
    case elu = 3

    /// Human-readable name, as used in configs and messages.
    public var name: String {
        switch self {
        case .identity: return "identity"
        case .tanh: return "tanh"
        case .relu: return "relu"
        case .elu: return "elu"
        }
    }

    /// Parse a name such as "tanh" (case-insensitive).
    public init?(name: String) {
        guard let found = Activation.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = found
    }

    /// Apply the activation to one value.
    @inlinable @inline(__always)
    public func apply(_ x: Float) -> Float {
        switch self {
        case .identity: return x
        case .tanh: return Activation.tanh(x)
        case .relu: return x > 0 ? x : 0
        case .elu: return x > 0 ? x : Activation.expMinusOne(x)
        }
    }

    /// Apply the activation in place to `count` values.
    @inlinable
    public func apply(_ values: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .identity: return
        case .tanh: for i in 0..<count { values[i] = Activation.tanh(values[i]) }
        case .relu: for i in 0..<count { values[i] = values[i] > 0 ? values[i] : 0 }
        case .elu: for i in 0..<count { values[i] = values[i] > 0 ? values[i] : Activation.expMinusOne(values[i]) }
        }
    }

    /// tanh x as the format defines it: a [13/6] rational minimax approximation in x (the
    /// single-precision coefficients used by Eigen and ONNX Runtime), with x clamped to
    /// ±7.90531110763549805 where the approximation reaches ±1. Absolute error below 4e-7 over
    /// the whole line (tested). Plain float arithmetic in a fixed order: it vectorises (libm's
    /// tanhf costs ~8 ns per call here) and gives the same bits on every IEEE-754 machine, so
    /// the robot computer computes what the trainer computed.
    ///
    ///     x  ← clamp(x, −c, c)
    ///     p  = x·(a₁ + x²(a₃ + x²(a₅ + x²(a₇ + x²(a₉ + x²(a₁₁ + x²a₁₃))))))
    ///     q  = b₀ + x²(b₂ + x²(b₄ + x²b₆))
    ///     tanh x ≈ p / q
    @inlinable @inline(__always)
    public static func tanh(_ value: Float) -> Float {
        let c: Float = 7.90531110763549805
        let x = value < -c ? -c : (value > c ? c : value)
        let x2 = x * x
        var p: Float = -2.76076847742355e-16
        p = p * x2 + 2.00018790482477e-13
        p = p * x2 + -8.60467152213735e-11
        p = p * x2 + 5.12229709037114e-08
        p = p * x2 + 1.48572235717979e-05
        p = p * x2 + 6.37261928875436e-04
        p = p * x2 + 4.89352455891786e-03
        p = p * x
        var q: Float = 1.19825839466702e-06
        q = q * x2 + 1.18534705686654e-04
        q = q * x2 + 2.26843463243900e-03
        q = q * x2 + 4.89352518554385e-03
        return p / q
    }

    /// eˣ − 1 for x ≤ 0, as the format defines it (for ELU): exact-order float arithmetic,
    /// independent of libm. x = k·ln2 + r with |r| ≤ ln2/2, eʳ − 1 by a degree-7 Taylor
    /// polynomial (error < 1e-7 relative to the result's scale), then 2ᵏ(eʳ − 1) + (2ᵏ − 1).
    /// Values below −88 return −1.
    @inlinable @inline(__always)
    public static func expMinusOne(_ value: Float) -> Float {
        let x = value < -88 ? -88 : (value > 0 ? 0 : value)
        let kReal = (x * 1.44269504088896341).rounded(.toNearestOrEven)
        // ln 2 split in a high part with few bits and a low correction (Cody–Waite).
        let r = (x - kReal * 0.693145751953125) - kReal * 1.428606765330187045e-06
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r * r + r          // eʳ − 1
        let k = Int32(kReal)
        let twoToK = Float(bitPattern: UInt32(bitPattern: (k + 127) << 23))
        return twoToK * p + (twoToK - 1)
    }
}

extension Activation {
    /// Configs and checkpoints spell activations by name ("tanh"); policy files use the raw byte.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Activation(name: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "unknown activation '\(text)'; use one of \(Activation.allCases.map(\.name).joined(separator: ", "))")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
