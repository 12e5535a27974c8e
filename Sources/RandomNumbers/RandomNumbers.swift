/// Seedable random numbers for reproducible runs: the same (config, seed) gives the same run.
/// The one random-number source of the project, in a dependency-free module so that the
/// deploy side (Controller, PolicyFormat), which may not link Learning, draws from it too.

/// SplitMix64 (Steele, Lea, Flood 2014): a 64-bit counter through a mixing function. Used to
/// expand one seed into the state of `Xoshiro256StarStar` and to derive per-env seeds.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable, Codable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) from the top 53 bits.
    public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// xoshiro256** (Blackman, Vigna 2018): the trainer's generator, with Gaussian sampling. Its
/// whole state (four words and a pending Gaussian) is `Codable` for checkpoints.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable, Codable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// The second value of the last Box–Muller pair, not yet returned.
    private var spareGaussian: Double?

    public init(seed: UInt64) {
        var mix = SplitMix64(seed: seed)
        s0 = mix.next(); s1 = mix.next(); s2 = mix.next(); s3 = mix.next()
        spareGaussian = nil
    }

    public init(words: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = words
        spareGaussian = nil
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal N(0, 1) by the Box–Muller transform: for U₁ ∈ (0, 1], U₂ ∈ [0, 1),
    /// r = √(−2 ln U₁), θ = 2πU₂, and (r cos θ, r sin θ) are two independent normals.
    public mutating func nextGaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        let u1 = 1 - nextUniform()
        let u2 = nextUniform()
        let r = (-2 * _log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareGaussian = r * _sin(theta)
        return r * _cos(theta)
    }

    /// Fill `buffer` with N(0, 1) samples.
    public mutating func fillGaussian(_ buffer: UnsafeMutableBufferPointer<Float>) {
        for i in buffer.indices { buffer[i] = Float(nextGaussian()) }
    }

    /// A derived, independent seed (for per-env or per-worker generators).
    public mutating func nextSeed() -> UInt64 {
        var mix = SplitMix64(seed: next())
        return mix.next()
    }

    public static func == (l: Self, r: Self) -> Bool {
        l.s0 == r.s0 && l.s1 == r.s1 && l.s2 == r.s2 && l.s3 == r.s3 && l.spareGaussian == r.spareGaussian
    }
}

extension Xoshiro256StarStar {
    /// Set the raw state words (reference-vector tests only).
    public mutating func setStateForTesting(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) {
        self = Xoshiro256StarStar(words: (a, b, c, d))
    }
}

extension Xoshiro256StarStar {
    /// Stream `stream` of `seed` (e.g. one per env and episode): envs draw independent numbers
    /// whatever thread runs them.
    public init(seed: UInt64, stream: UInt64) {
        var mix = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        self.init(seed: mix.next())
    }

    /// Uniform in [lower, upper].
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUniform()
    }
}

extension SplitMix64 {
    /// True with probability p (p ≤ 0 never, p ≥ 1 always).
    public mutating func chance(_ p: Double) -> Bool {
        p > 0 && (p >= 1 || Double(next() >> 11) * 0x1p-53 < p)
    }
}
