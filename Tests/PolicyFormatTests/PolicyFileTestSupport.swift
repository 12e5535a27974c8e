import PolicyFormat

/// Shared fixtures for the policy-format tests.
enum Fixture {
    static let layout = ObservationLayout(historyLength: 2, armCountsPerRevolution: 2048,
                                          pendulumCountsPerRevolution: 4096, velocitySmoothing: 0.5)

    static func policy(activation: Activation = .tanh, squash: ActionScaling.Squash = .clip,
                       seed: UInt64 = 7) -> PolicyFile {
        var file = PolicyBenchmark.randomPolicy(layout: layout, hiddenWidths: [64, 64], activation: activation, seed: seed)
        file.robotName = "bench-rig"
        file.notes = "seed \(seed)"
        file.actionScaling = ActionScaling(squash: squash, scale: [0.8], offset: [0.05])
        return file
    }

    /// Replace the trailing CRC32 with the one of the (edited) contents.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        let crc = CRC32.checksum(out[0..<(out.count - 4)])
        for k in 0..<4 { out[out.count - 4 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
        return out
    }

    /// Byte offset of the first occurrence of `value`'s little-endian bits in `bytes`.
    static func offset(of value: Float, in bytes: [UInt8]) -> Int? {
        let b = value.bitPattern
        let pattern = (0..<4).map { UInt8(truncatingIfNeeded: b >> (8 * UInt32($0))) }
        return (0...(bytes.count - 4)).first { i in (0..<4).allSatisfy { bytes[i + $0] == pattern[$0] } }
    }

    /// Deterministic pseudo-random observations in roughly the range a pendulum produces.
    static func observations(count: Int, size: Int, seed: UInt64) -> [[Float]] {
        var g = SplitMix(state: seed)
        return (0..<count).map { _ in (0..<size).map { _ in g.nextFloat() * 12 - 6 } }
    }
}

struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }
}
