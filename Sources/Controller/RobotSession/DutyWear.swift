import Foundation

/// Motor wear of an episode from its telemetry CSV: Σ|Δduty| of the commanded duty and the
/// number of direction reversals (sign changes between non-zero duties).
public enum DutyWear {
    public static func measure(csvPath: String) -> (variation: Double, reversals: Int) {
        guard let text = try? String(contentsOfFile: csvPath, encoding: .utf8) else { return (0, 0) }
        var lines = text.split(separator: "\n")
        guard !lines.isEmpty else { return (0, 0) }
        let header = lines.removeFirst().split(separator: ",")
        guard let column = header.firstIndex(of: "duty_commanded") else { return (0, 0) }
        var previous = 0.0, lastSign = 0.0, variation = 0.0, reversals = 0
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
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
