import Foundation
import MotorModel

/// The I²t winding-temperature estimate (`WindingTemperature`, Sources/MotorModel) over an
/// episode's telemetry CSV: every row's applied duty (`duty_applied`, what the device reports
/// reaching the H-bridge) and arm speed heat the winding for the time to the next row; the
/// session carries the rise from episode to episode and lets it cool over the gaps between.
public enum WindingHeat {
    /// `start` advanced through the log; `start` unchanged when the log could not be read (nil).
    public static func measure(_ log: EpisodeLogTable?, motor: MotorParameters, start: WindingTemperature) -> WindingTemperature {
        guard let log, let time = log.column("time_s"), let duty = log.column("duty_applied"),
              let speed = log.column("arm_velocity_rad_s") else { return start }
        var estimate = start
        var previous: (t: Double, duty: Double, omega: Double)?
        for f in log.rows {
            guard log.isComplete(f), let t = Double(f[time]), let d = Double(f[duty]), let w = Double(f[speed]) else { continue }
            if let p = previous { estimate.advance(duty: p.duty, armVelocityRadPerS: p.omega, seconds: t - p.t, motor: motor) }
            previous = (t, d, w)
        }
        return estimate
    }
}
