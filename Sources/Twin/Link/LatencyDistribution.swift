import Learning
import Simulation

/// How long one chunk of bytes (what one side wrote at once: usually one frame) spends in a
/// direction of the link beyond its byte timing: a fixed part, a uniform jitter, and rare
/// spikes (a USB-serial driver or a busy host computer stalling the queue).
///
///     latency = base + U(0, jitter) + (spike with probability p)
public struct LatencyDistribution: Sendable, Equatable {
    public var base: Duration
    public var jitter: Duration
    public var spikeProbability: Double
    public var spike: Duration

    public init(base: Duration = .zero, jitter: Duration = .zero, spikeProbability: Double = 0, spike: Duration = .zero) {
        self.base = base
        self.jitter = jitter
        self.spikeProbability = spikeProbability
        self.spike = spike
    }

    public static let none = LatencyDistribution()

    /// Largest latency it can produce, ns.
    public var maximumNanoseconds: Int64 {
        base.nanosecondsValue + jitter.nanosecondsValue + (spikeProbability > 0 ? spike.nanosecondsValue : 0)
    }

    /// One draw, ns.
    func sample(using random: inout SplitMix64) -> Int64 {
        var ns = base.nanosecondsValue
        let jitterNs = jitter.nanosecondsValue
        if jitterNs > 0 { ns += Int64(Double(random.next() >> 11) * 0x1p-53 * Double(jitterNs)) }
        if spikeProbability > 0, random.chance(spikeProbability) { ns += spike.nanosecondsValue }
        return ns
    }

    var problem: String? {
        for (name, value) in [("base", base), ("jitter", jitter), ("spike", spike)] where value < .zero {
            return "latency \(name) must be 0 or more, found \(value)"
        }
        guard (0...1).contains(spikeProbability) else { return "spike probability must be in 0…1, found \(spikeProbability)" }
        return nil
    }
}

extension Duration {
    /// Whole nanoseconds (truncated), for arithmetic on the monotonic clock.
    var nanosecondsValue: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
