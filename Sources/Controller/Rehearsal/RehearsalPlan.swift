import PolicyFormat

/// The episodes of a rehearsal: conditions in turn (so every condition gets its share),
/// latencies stratified over the range (every band covered even for few episodes) in a seeded
/// random order, one physics seed per episode. The same seed gives the same plan.
public struct RehearsalPlan: Sendable, Equatable {
    public var episodes: [RehearsalEpisodeSpec]
    /// The added-latency range the episodes cover, s.
    public var latencyRange: ClosedRange<Double>

    /// Latency range: 0 … 2 × robot.yaml's declared latency, narrowed to the policy's trained
    /// range when the file records one.
    public static func latencyRange(declaredSeconds: Double, trained: TrainedLatency?) -> ClosedRange<Double> {
        var low = 0.0, high = 2 * declaredSeconds
        if let trained {
            low = max(low, trained.minimumSeconds)
            high = min(high, trained.maximumSeconds)
        }
        return low...max(low, high)
    }

    public init(episodes count: Int, conditions: [RehearsalCondition] = RehearsalCondition.allCases,
                latencyRange: ClosedRange<Double>, seed: UInt64) {
        self.latencyRange = latencyRange
        var random = RehearsalRandom(seed: seed)
        // A random permutation of the strata 0..<count (Fisher–Yates).
        var strata = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) { strata.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        let width = latencyRange.upperBound - latencyRange.lowerBound
        episodes = (0..<count).map { index in
            let u = random.uniform()
            let latency = latencyRange.lowerBound + width * (Double(strata[index]) + u) / Double(max(count, 1))
            return RehearsalEpisodeSpec(index: index, condition: conditions[index % conditions.count],
                                        latencySeconds: latency, replyShare: 0.5 + 0.5 * random.uniform(),
                                        seed: random.next())
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): z = (s += φ); z ^= z>>30, ×0xBF58…; z ^= z>>27, ×0x94D0…; z ^ z>>31.
struct RehearsalRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1) from the top 53 bits.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
}
