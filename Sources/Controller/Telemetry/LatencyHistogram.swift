/// Fixed-bin histogram of durations for percentiles without storing samples: `binCount` bins of
/// `binWidth` ns from 0, everything beyond in an overflow bin, and the exact maximum. Recording
/// is one increment, no allocation; percentiles are exact to one bin width below the overflow.
public final class LatencyHistogram: @unchecked Sendable {
    public let binWidthNanoseconds: Int64
    private let bins: UnsafeMutableBufferPointer<Int>
    public private(set) var count = 0
    public private(set) var overflow = 0
    public private(set) var maximum: Int64 = 0
    public private(set) var sum: Int64 = 0

    /// Default: 1 µs bins up to 20 ms.
    public init(binWidthNanoseconds: Int64 = 1_000, binCount: Int = 20_000) {
        self.binWidthNanoseconds = binWidthNanoseconds
        bins = .allocate(capacity: binCount)
        bins.initialize(repeating: 0)
    }

    deinit { bins.deallocate() }

    @inline(__always)
    public func record(_ nanoseconds: Int64) {
        let value = max(nanoseconds, 0)
        let bin = Int(value / binWidthNanoseconds)
        if bin < bins.count { bins[bin] += 1 } else { overflow += 1 }
        if value > maximum { maximum = value }
        sum += value
        count += 1
    }

    /// Adds another histogram's counts (same bins).
    public func merge(_ other: LatencyHistogram) {
        for i in 0..<min(bins.count, other.bins.count) { bins[i] += other.bins[i] }
        overflow += other.overflow
        maximum = max(maximum, other.maximum)
        sum += other.sum
        count += other.count
    }

    public func reset() {
        for i in bins.indices { bins[i] = 0 }
        count = 0; overflow = 0; maximum = 0; sum = 0
    }

    /// The value below which a fraction `q` of samples lie: the upper edge of the bin holding
    /// the ⌈q·n⌉-th sample (the maximum if it is in the overflow bin), ns.
    public func quantile(_ q: Double) -> Int64 {
        guard count > 0 else { return 0 }
        let rank = max(1, Int((q * Double(count)).rounded(.up)))
        var seen = 0
        for i in bins.indices {
            seen += bins[i]
            if seen >= rank { return min(Int64(i + 1) * binWidthNanoseconds, maximum) }
        }
        return maximum
    }

    public var meanNanoseconds: Double { count == 0 ? 0 : Double(sum) / Double(count) }

    /// p50, p99, p99.9, max and mean in µs.
    public var summary: LatencySummary {
        LatencySummary(count: count, p50Us: Double(quantile(0.5)) / 1000, p99Us: Double(quantile(0.99)) / 1000,
                       p999Us: Double(quantile(0.999)) / 1000, maxUs: Double(maximum) / 1000,
                       meanUs: meanNanoseconds / 1000)
    }
}

/// Percentiles of a `LatencyHistogram`, µs (JSON keys: p50_us, p99_us, p999_us, max_us, mean_us).
public struct LatencySummary: Sendable, Equatable, Codable {
    public var count: Int
    public var p50Us: Double
    public var p99Us: Double
    public var p999Us: Double
    public var maxUs: Double
    public var meanUs: Double
}
