import PolicyFormat
import RandomNumbers

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
        var random = SplitMix64(seed: seed)
        // A random permutation of the strata 0..<count (Fisher–Yates).
        var strata = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) { strata.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        let width = latencyRange.upperBound - latencyRange.lowerBound
        episodes = (0..<count).map { index in
            let u = random.nextUniform()
            let latency = latencyRange.lowerBound + width * (Double(strata[index]) + u) / Double(max(count, 1))
            return RehearsalEpisodeSpec(index: index, condition: conditions[index % conditions.count],
                                        latencySeconds: latency, replyShare: 0.5 + 0.5 * random.nextUniform(),
                                        seed: random.next())
        }
    }
}

