import Foundation
import MotorModel

/// The I²t winding-temperature estimate (`WindingTemperature`, Sources/MotorModel) over an
/// episode's telemetry CSV: every row's applied duty (`duty_applied`, what the device reports
/// reaching the H-bridge) and arm speed heat the winding for the time to the next row; the
/// session carries the rise from episode to episode and lets it cool over the gaps between.
public enum WindingHeat {
    /// `start` advanced through the log at `csvPath`; `start` unchanged when the log is unreadable.
    public static func measure(csvPath: String, motor: MotorParameters, start: WindingTemperature) -> WindingTemperature {
        guard let text = try? String(contentsOfFile: csvPath, encoding: .utf8) else { return start }
        var lines = text.split(separator: "\n")
        guard !lines.isEmpty else { return start }
        let header = lines.removeFirst().split(separator: ",")
        guard let time = header.firstIndex(of: "time_s"), let duty = header.firstIndex(of: "duty_applied"),
              let speed = header.firstIndex(of: "arm_velocity_rad_s") else { return start }
        var estimate = start
        var previous: (t: Double, duty: Double, omega: Double)?
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == header.count, let t = Double(f[time]), let d = Double(f[duty]), let w = Double(f[speed]) else { continue }
            if let p = previous { estimate.advance(duty: p.duty, armVelocityRadPerS: p.omega, seconds: t - p.t, motor: motor) }
            previous = (t, d, w)
        }
        return estimate
    }
}
