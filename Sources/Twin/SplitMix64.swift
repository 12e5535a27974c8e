/// SplitMix64 (Steele, Lea & Flood 2014): a seedable generator so a twin run with the same
/// seed injects the same faults.
///     state += 0x9E3779B97F4A7C15; z = state
///     z = (z ^ (z >> 30)) · 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) · 0x94D049BB133111EB
///     return z ^ (z >> 31)
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability p (p ≤ 0 never, p ≥ 1 always).
    public mutating func chance(_ p: Double) -> Bool {
        p > 0 && (p >= 1 || Double(next() >> 11) * 0x1p-53 < p)
    }
}
