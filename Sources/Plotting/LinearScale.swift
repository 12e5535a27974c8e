import Foundation

/// Maps a data interval onto a pixel interval: p = r₀ + (x − d₀)·(r₁ − r₀)/(d₁ − d₀).
public struct LinearScale: Sendable {
    public var domain: ClosedRange<Double>
    public var range: ClosedRange<Double>
    /// Pixel ranges that run downwards on screen (y axes) are given reversed.
    public var reversed = false

    public init(domain: ClosedRange<Double>, range: ClosedRange<Double>, reversed: Bool = false) {
        let width = domain.upperBound - domain.lowerBound
        self.domain = width > 0 ? domain : (domain.lowerBound - 0.5)...(domain.upperBound + 0.5)
        self.range = range
        self.reversed = reversed
    }

    public func callAsFunction(_ x: Double) -> Double {
        let t = (x - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        return reversed ? range.upperBound - t * (range.upperBound - range.lowerBound)
                        : range.lowerBound + t * (range.upperBound - range.lowerBound)
    }

    /// "Nice" tick positions: a step of 1, 2 or 5 × 10ⁿ giving about `count` ticks inside the domain.
    public func ticks(count: Int = 6) -> [Double] {
        let step = Self.niceStep(span: domain.upperBound - domain.lowerBound, count: count)
        let first = (domain.lowerBound / step).rounded(.up)
        let last = (domain.upperBound / step).rounded(.down)
        guard first <= last else { return [] }
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    static func niceStep(span: Double, count: Int) -> Double {
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * magnitude
    }

    /// A tick label with just the decimals the step needs.
    public func label(_ value: Double, count: Int = 6) -> String {
        let step = Self.niceStep(span: domain.upperBound - domain.lowerBound, count: count)
        let decimals = max(0, Int(-floor(log10(step))))
        let v = abs(value) < step * 1e-9 ? 0 : value
        return String(format: "%.\(decimals)f", v)
    }

    /// A domain covering `values` (NaN ignored), padded by `padding` of its span.
    public static func extent<S: Sequence>(_ values: S, padding: Double = 0.05) -> ClosedRange<Double>? where S.Element == Double {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        guard lo <= hi else { return nil }
        let pad = (hi - lo) * padding
        return (lo - pad)...(hi + pad)
    }
}
