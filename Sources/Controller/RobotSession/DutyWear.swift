import Foundation

/// Motor wear of an episode from its telemetry CSV: Σ|Δduty| of the commanded duty and the
/// number of direction reversals (sign changes between non-zero duties).
public enum DutyWear {
    /// (0, 0) when the log could not be read (nil) or has no `duty_commanded` column.
    public static func measure(_ log: EpisodeLogTable?) -> (variation: Double, reversals: Int) {
        guard let log, let column = log.column("duty_commanded") else { return (0, 0) }
        var previous = 0.0, lastSign = 0.0, variation = 0.0, reversals = 0
        for fields in log.rows {
            guard column < fields.count, let duty = Double(fields[column]) else { continue }
            variation += abs(duty - previous)
            previous = duty
            let sign: Double = duty > 0 ? 1 : duty < 0 ? -1 : 0
            if sign != 0 {
                if lastSign != 0, sign != lastSign { reversals += 1 }
                lastSign = sign
            }
        }
        return (variation, reversals)
    }
}
