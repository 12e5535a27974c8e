import Foundation

enum Angles {
    /// α mod 2π in [0, 2π): the logs count whole turns (α = −3π is upright too); wrapped, upright
    /// is always π, in the middle of the axis, and hanging is at its edges.
    static func wrapped(_ angle: Double) -> Double {
        guard angle.isFinite else { return angle }
        let w = angle.truncatingRemainder(dividingBy: 2 * .pi)
        return w < 0 ? w + 2 * .pi : w
    }

    /// Wrapped angles with NaN where a wrap would draw a vertical line across the axis (a step
    /// of more than π between neighbours), so the line breaks there instead.
    static func wrappedForDrawing(_ angles: [Double]) -> [Double] {
        var out = angles.map(wrapped)
        var previous = Double.nan
        for i in out.indices {
            let v = out[i]
            if previous.isFinite && v.isFinite && abs(v - previous) > .pi { out[i] = .nan }
            previous = v
        }
        return out
    }
}
