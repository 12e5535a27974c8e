import PolicyFormat

/// The link's round trip as measured at connect time: `ping` → `pong` a few dozen times after
/// the handshake, before anything is armed (no command is sent, the motor cannot move).
///
/// With request/reply, sensor-to-actuation latency ≈ one round trip: the device samples its
/// encoders when the request arrives (d_down), the state travels back (d_up), the host answers
/// at once, and the command travels down (d_down again, but the sample was taken d_down after
/// the request, so sample → applied = d_up + compute + d_down = a round trip). The median round
/// trip is therefore the figure compared with the policy's trained latency range.
public struct LinkLatency: Sendable, Equatable, Codable {
    /// Round trips measured, seconds, in the order taken.
    public var samplesSeconds: [Double]

    public init(samplesSeconds: [Double]) { self.samplesSeconds = samplesSeconds }

    public var count: Int { samplesSeconds.count }
    public var medianSeconds: Double { quantile(0.5) }
    public var p99Seconds: Double { quantile(0.99) }
    public var maximumSeconds: Double { samplesSeconds.max() ?? 0 }

    /// Nearest-rank quantile q ∈ [0, 1] (0 for no samples).
    public func quantile(_ q: Double) -> Double {
        guard !samplesSeconds.isEmpty else { return 0 }
        let sorted = samplesSeconds.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// "round trip median 4.12 ms, p99 4.90 ms, max 5.01 ms over 32 pings"
    public var description: String {
        "round trip median \(Self.ms(medianSeconds)) ms, p99 \(Self.ms(p99Seconds)) ms, max \(Self.ms(maximumSeconds)) ms over \(count) pings"
    }

    static func ms(_ seconds: Double) -> String {
        let hundredths = (seconds * 100_000).rounded()
        let whole = Int(hundredths) / 100, fraction = Int(hundredths) % 100
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// Whether a measured link fits the policy: inside the latency range it was trained for.
public enum LatencyVerdict: Sendable, Equatable {
    case fits
    /// The policy file records no range (format version 1): accepted, with a warning.
    case unknownRange
    /// Outside the range: the run is refused before anything is armed.
    case outside(measuredSeconds: Double, trained: TrainedLatency)

    public static func judge(_ link: LinkLatency, policy: TrainedLatency?) -> LatencyVerdict {
        guard let policy else { return .unknownRange }
        return policy.contains(link.medianSeconds) ? .fits : .outside(measuredSeconds: link.medianSeconds, trained: policy)
    }
}
