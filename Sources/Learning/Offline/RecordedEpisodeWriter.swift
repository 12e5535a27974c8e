import Foundation

extension RecordedEpisode {
    /// The controller's log header (docs/controller.md "Log format"; `TelemetryCSV.header` in
    /// Sources/Controller: a test keeps the two equal).
    public static let header = "tick,time_s,wake_latency_us,work_us,inference_ns,skipped_periods,phase,homing_stage,"
        + "has_sample,device_time_us,arm_counts,pendulum_counts,arm_angle_rad,pendulum_angle_rad,"
        + "arm_velocity_rad_s,pendulum_velocity_rad_s,action,duty_commanded,duty_applied,device_status,safety_flags"

    /// An episode log in the controller's format from running steps, as a simulated session
    /// writes it (timing, duty and status columns zero): the same file the learner reads from
    /// a robot session. Angles with 5 decimals and velocities with 4, as the controller prints them.
    public static func csv(steps: [Step]) -> String {
        var text = header + "\n"
        text.reserveCapacity(steps.count * 120)
        for (k, s) in steps.enumerated() {
            text += "\(k),\(String(format: "%.6f", Double(s.deviceTimeUs) * 1e-6)),0,0,0,0,running,3,1,\(s.deviceTimeUs),"
            text += "\(s.armCounts),\(s.pendulumCounts),"
            text += String(format: "%.5f,%.5f,%.4f,%.4f,%.5f", s.armAngle, s.pendulumAngle, s.armVelocity, s.pendulumVelocity, s.action)
            text += ",0,0,0,\(s.safetyFlags)\n"
        }
        return text
    }
}
